using IndraSmartPro.Safety;

namespace IndraSmartPro.ControlPilot
{
    /// <summary>
    /// Whether and how much current the pilot may offer: why not offer (a reason latched until
    /// unplug, the pause claim, the state D allowance, the plug, protection's permission, the arbiter's limit, the
    /// socket lock), and the duty rules: a start offers the arbiter's limit at once, later
    /// increases and ordinary reductions change the duty at most once every 5 s, protective
    /// reductions act at once (IEC 61851-1 Table A.6 as peers apply it; docs/domain.md).
    /// </summary>
    public sealed class OfferPolicy
    {
        /// <summary>Duty changes at most once every 5 s, except protective reductions (IEC 61851-1 Table A.6 as peers apply it; docs/domain.md).</summary>
        public const int DutyChangeIntervalMicroseconds = 5000000;

        private readonly RelaySupervisor _relays;
        private readonly CurrentArbiter _arbiter;
        private readonly SocketController _socket;
        private readonly VentilationAllowance _ventilation;
        private string _latchedReason;
        private bool _transient;
        private long _lastDutyChangeMicroseconds;

        /// <summary>Builds the policy over protection's permission, the arbiter, the socket and the state D allowance.</summary>
        public OfferPolicy(RelaySupervisor relays, CurrentArbiter arbiter, SocketController socket, VentilationAllowance ventilation)
        {
            _ventilation = ventilation;
            _relays = relays;
            _arbiter = arbiter;
            _socket = socket;
        }

        /// <summary>A reason that forbids offering until the vehicle leaves (lock failure), or null.</summary>
        public string LatchedReason => _latchedReason;

        /// <summary>True when the last <see cref="WhyNotOffer"/> reason is transient (not worth a Notice).</summary>
        public bool LastReasonTransient => _transient;

        /// <summary>Protection's reason for refusing power, or a generic one when its interlock gave none.</summary>
        public string PowerRefusal => _relays.BlockingCode != null ? _relays.BlockingCode : ChargingSession.ReasonPowerNotPermitted;

        /// <summary>Latches a reason until <see cref="ForgetLatched"/> (the vehicle left).</summary>
        public void Latch(string reason)
        {
            _latchedReason = reason;
        }

        /// <summary>The vehicle left: a latched reason no longer holds.</summary>
        public void ForgetLatched()
        {
            _latchedReason = null;
        }

        /// <summary>
        /// Why current must not be offered now, or null. Sets <see cref="LastReasonTransient"/> for
        /// reasons not worth a Notice (plug check, locking). Requests the lock as the last step.
        /// </summary>
        public string WhyNotOffer(long nowMicroseconds)
        {
            _transient = false;
            if (_latchedReason != null)
            {
                return _latchedReason;
            }

            if (_arbiter.IsClaimActive(ClaimSlot.Pause) && _arbiter.GetClaimMilliamps(ClaimSlot.Pause) < PilotDuty.MinimumMilliamps)
            {
                return _arbiter.GetClaimReason(ClaimSlot.Pause);
            }

            if (_ventilation.Exhausted)
            {
                // State D's allowance is used up: no offer until it has drained (VentilationAllowance).
                return ChargingSession.ReasonVentilation;
            }

            string plug = _socket.WhyPlugNotReady(out _transient);
            if (plug != null)
            {
                return plug;
            }

            if (!_relays.ContactorPermitted)
            {
                return PowerRefusal;
            }

            if (_arbiter.LimitMilliamps < PilotDuty.MinimumMilliamps)
            {
                return _arbiter.LimitReason != null ? _arbiter.LimitReason : ChargingSession.ReasonLimitBelowMinimum;
            }

            if (!_socket.EnsureLocked(nowMicroseconds))
            {
                _transient = true;
                return ChargingSession.ReasonLocking;
            }

            return null;
        }

        /// <summary>Starts (or restarts) the offer at the arbiter's limit, at once: a start is not a 5 s-limited change.</summary>
        public void StartOffer(PilotGenerator generator, long nowMicroseconds)
        {
            generator.SetDutyPermille(nowMicroseconds, PilotDuty.FromMilliamps(_arbiter.LimitMilliamps));
            _lastDutyChangeMicroseconds = nowMicroseconds;
            _socket.OfferStarted();
        }

        /// <summary>Follows the arbiter's limit under the 5 s rule; protective reductions at once.</summary>
        public void UpdateDuty(PilotGenerator generator, long nowMicroseconds)
        {
            int target = PilotDuty.FromMilliamps(_arbiter.LimitMilliamps);
            int present = generator.DutyPermille;
            if (target == present || target == PilotDuty.SteadyPositivePermille)
            {
                return;
            }

            bool protectiveReduction = target < present && _arbiter.LimitProtective;
            if (protectiveReduction || nowMicroseconds - _lastDutyChangeMicroseconds >= DutyChangeIntervalMicroseconds)
            {
                generator.SetDutyPermille(nowMicroseconds, target);
                _lastDutyChangeMicroseconds = nowMicroseconds;
            }
        }
    }
}
