using IndraSmartPro.Board;
using IndraSmartPro.Safety;

namespace IndraSmartPro.Pests
{
    /// <summary>
    /// Relay weld detection (manual's table: "Relay Weld detection", full in every mode). With
    /// the contactor commanded open, the load side must be dead within
    /// <see cref="PestLimits.WeldReleaseMicroseconds"/> of the opening; live after that, for
    /// <see cref="PestLimits.WeldConfirmMicroseconds"/>, latches "relay-welded". The same check runs
    /// all the time the contactor is open, so it is also the check before closing: the contactor
    /// may close only after the load side has been seen dead past the release window.
    /// Polled every 10 ms (<see cref="PestProtection.SlowPollMicroseconds"/>), so a weld latches
    /// 200–220 ms after the opening. Allocation-free.
    /// </summary>
    public sealed class WeldMonitor : IPowerInterlock
    {
        /// <summary>Blocking code while the load side has not been seen dead since the last opening.</summary>
        public const string CheckPendingCode = "relay-weld-check";

        private readonly IWeldSense _sense;
        private readonly RelaySupervisor _relays;
        private readonly IProtectiveLatch _latch;
        private long _liveSinceMicroseconds = -1;
        private bool _verifiedDead;

        /// <summary>Creates the monitor on the weld-sense input.</summary>
        public WeldMonitor(IWeldSense sense, RelaySupervisor relays, IProtectiveLatch latch)
        {
            _sense = sense;
            _relays = relays;
            _latch = latch;
        }

        /// <summary>True when the load side was last seen dead with the contactor open past the release window.</summary>
        public bool LoadSideVerifiedDead => _verifiedDead;

        /// <inheritdoc />
        public bool PermitsEarth => true;

        /// <inheritdoc />
        public bool PermitsContactor => _relays.ContactorClosed || _verifiedDead;

        /// <inheritdoc />
        public string BlockingCode => PermitsContactor ? null : CheckPendingCode;

        /// <summary>Reads the weld sense and latches a weld. Call every few milliseconds (≤ 10 ms).</summary>
        public void Poll(long nowMicroseconds)
        {
            if (_relays.ContactorClosed)
            {
                _liveSinceMicroseconds = -1;
                _verifiedDead = false;
                return;
            }

            long opened = _relays.ContactorOpenedMicroseconds;
            if (opened >= 0 && nowMicroseconds - opened < PestLimits.WeldReleaseMicroseconds)
            {
                // Still releasing: live is expected, dead does not yet count as verified.
                _liveSinceMicroseconds = -1;
                _verifiedDead = false;
                return;
            }

            if (_sense.ReadLoadSideLive())
            {
                _verifiedDead = false;
                if (_liveSinceMicroseconds < 0)
                {
                    _liveSinceMicroseconds = nowMicroseconds;
                }

                if (nowMicroseconds - _liveSinceMicroseconds >= PestLimits.WeldConfirmMicroseconds)
                {
                    _latch.Latch(nowMicroseconds, TripCauses.RelayWelded);
                }
            }
            else
            {
                _liveSinceMicroseconds = -1;
                _verifiedDead = true;
            }
        }
    }
}
