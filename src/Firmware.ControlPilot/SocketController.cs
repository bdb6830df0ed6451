using IndraSmartPro.Board;
using IndraSmartPro.Safety;

namespace IndraSmartPro.ControlPilot
{
    /// <summary>
    /// The Type 2 socket's own part of a session: the plug's proximity resistor (debounced, its
    /// rating put to the arbiter as the cable rating, IEC 61851-1 Annex B) and the socket lock
    /// (locked as the last step before current is offered, released only when no current flows).
    /// On a tethered variant every method is a no-op that reports "ready".
    /// </summary>
    public sealed class SocketController
    {
        /// <summary>The socket unlocks only when the EV current is below this, milliamps (and the contactor is open).</summary>
        public const int UnlockBelowMilliamps = 500;

        private readonly IAnalogInputs _inputs;
        private readonly RelaySupervisor _relays;
        private readonly CurrentArbiter _arbiter;
        private readonly EnergyMeter _energy;
        private readonly SocketLock _lock;
        private readonly bool _socket;
        private readonly ProximityClassifier _proximity = new ProximityClassifier();
        private int _plugRatingMilliamps = -1;
        private bool _offered;

        /// <summary>Builds the controller; <paramref name="socketVariant"/> false makes it inert (tethered cable).</summary>
        public SocketController(IAnalogInputs inputs, ISocketLock socketLock, int lockTimeoutMicroseconds, bool socketVariant,
            RelaySupervisor relays, CurrentArbiter arbiter, EnergyMeter energy)
        {
            _inputs = inputs;
            _relays = relays;
            _arbiter = arbiter;
            _energy = energy;
            _socket = socketVariant;
            _lock = new SocketLock(socketLock, lockTimeoutMicroseconds);
        }

        /// <summary>True on the Type 2 socket variant.</summary>
        public bool IsSocket => _socket;

        /// <summary>The socket lock.</summary>
        public SocketLock Lock => _lock;

        /// <summary>The plug's rating from its proximity resistor, milliamps; 0 invalid, −1 not read yet.</summary>
        public int PlugRatingMilliamps => _plugRatingMilliamps;

        /// <summary>
        /// True when the divider reads open, confirmed: the plug is leaving the socket (socket
        /// variant only). The only proximity reading that opens the contactor under load; a
        /// resistor out of every band only withdraws the offer.
        /// </summary>
        public bool PlugLeaving => _socket && _proximity.Open;

        /// <summary>The proximity classifier (read-only use: status and tests).</summary>
        public ProximityClassifier Proximity => _proximity;

        /// <summary>Runs the lock's timing; true when the lock just failed to confirm or lost its feedback.</summary>
        public bool UpdateLock(long nowMicroseconds)
        {
            return _socket && _lock.Update(nowMicroseconds);
        }

        /// <summary>
        /// Reads the proximity resistor once per pilot window. A band confirmed by the
        /// <see cref="ProximityClassifier"/> (hysteresis and dwell) becomes the plug rating and
        /// goes to the arbiter as the cable rating. Once current has been offered in this plug
        /// session (<see cref="OfferStarted"/>) the rating can only fall until the plug is removed:
        /// a rating that changes while charging lowers the offer (a rating is a protective limit:
        /// at once) and never raises it.
        /// </summary>
        public void ReadPlug()
        {
            if (!_socket)
            {
                return;
            }

            int ohms = ProximityPilot.OhmsFromPinMillivolts(_inputs.ReadPinMillivolts(AnalogChannel.ProximityPilot));
            if (!_proximity.Update(ohms))
            {
                return;
            }

            int rating = _proximity.RatingMilliamps;
            if (_offered && _plugRatingMilliamps >= 0 && rating > _plugRatingMilliamps)
            {
                return;
            }

            if (rating != _plugRatingMilliamps)
            {
                _plugRatingMilliamps = rating;
                _arbiter.SetCableRating(rating, CurrentArbiter.ReasonPlugRating);
            }
        }

        /// <summary>Current is offered in this plug session: from now on the plug rating can only fall until unplug.</summary>
        public void OfferStarted()
        {
            _offered = true;
        }

        /// <summary>Forgets the plug (the vehicle has gone): the next plug is read afresh.</summary>
        public void ForgetPlug()
        {
            _plugRatingMilliamps = -1;
            _offered = false;
            _proximity.Reset();
        }

        /// <summary>
        /// Why the plug does not allow an offer yet, or null. <paramref name="transient"/> is true
        /// for the plug check still running (not worth a Notice).
        /// </summary>
        public string WhyPlugNotReady(out bool transient)
        {
            transient = false;
            if (!_socket)
            {
                return null;
            }

            if (_plugRatingMilliamps < 0)
            {
                transient = true;
                return ChargingSession.ReasonPlugChecking;
            }

            return _plugRatingMilliamps == 0 ? ChargingSession.ReasonPlugInvalid : null;
        }

        /// <summary>
        /// Locks as the last step before current is offered, so a cable is not held in the socket
        /// while nothing could be offered anyway. Returns true once locked (always on a tethered unit).
        /// </summary>
        public bool EnsureLocked(long nowMicroseconds)
        {
            if (!_socket || _lock.Status == SocketLockStatus.Locked)
            {
                return true;
            }

            _lock.RequestLock(nowMicroseconds);
            return false;
        }

        /// <summary>Releases the lock once no current flows; true when the socket is unlocked (always on a tethered unit).</summary>
        public bool ReleaseWhenSafe()
        {
            if (!_socket)
            {
                return true;
            }

            if (_lock.Status == SocketLockStatus.Unlocked && !_lock.Driven)
            {
                return true;
            }

            // Unlock only when no current flows: contactor open and the sense reads no current.
            if (!NoCurrent)
            {
                return false;
            }

            _lock.Reset();
            return true;
        }

        /// <summary>After a lock failure: stop driving the lock if no current flows (it may hold nothing).</summary>
        public void ReleaseAfterFailure()
        {
            if (NoCurrent)
            {
                _lock.Release();
            }
        }

        private bool NoCurrent => !_relays.ContactorClosed && _energy.EvMilliamps < UnlockBelowMilliamps;
    }
}
