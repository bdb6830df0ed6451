using System;
using IndraSmartPro.Board;
using IndraSmartPro.Events;

namespace IndraSmartPro.Safety
{
    /// <summary>
    /// The only code that closes a relay: it alone is given the board's <see cref="IRelayDrive"/>.
    /// Closing asks every <see cref="IPowerInterlock"/> first; <see cref="Enforce"/> (run every
    /// protection tick) opens at once when any of them withdraws permission. Protection acts
    /// through one method per kind of trip (<see cref="TripPenFault"/>, <see cref="TripWeld"/>,
    /// <see cref="TripRdcDd"/>, <see cref="TripMeteringStale"/>),
    /// each opening what that kind must open and putting the pilot in state F through the
    /// <see cref="IPilotSafety"/> given to the constructor; the session opens only the contactor
    /// (<see cref="OpenContactor"/>). Only a PEN-fault trip and a blind protection (metering
    /// stale) open the earth relay (BS 7671 722.411.4.1: PE is disconnected for a PEN fault); a
    /// weld or RDC-DD latch keeps a possibly live vehicle earthed. Order: the earth relay closes
    /// before the contactor and opens after it, so the vehicle is never live without its
    /// protective earth. See docs/invariants.md (S2, S4) and docs/architecture.md.
    /// </summary>
    public sealed class RelaySupervisor
    {
        private const int MaxInterlocks = 8;
        private readonly IRelayDrive _relays;
        private readonly EventBus _events;
        private readonly IPilotSafety _pilot;
        private readonly IPowerInterlock[] _interlocks = new IPowerInterlock[MaxInterlocks];
        private int _interlockCount;
        private bool _contactorClosed;
        private bool _earthClosed;
        private long _contactorOpenedMicroseconds = -1;
        private long _contactorClosedMicroseconds = -1;

        /// <summary>
        /// Creates the supervisor and opens both relays (the safe state). <paramref name="pilot"/>
        /// is the control pilot's safe-state hook every trip calls; it is fixed for the unit's life.
        /// </summary>
        public RelaySupervisor(IRelayDrive relays, EventBus events, IPilotSafety pilot)
        {
            if (relays == null || events == null || pilot == null)
            {
                throw new ArgumentNullException();
            }

            _relays = relays;
            _events = events;
            _pilot = pilot;
            _relays.OpenAll();
        }

        /// <summary>True while the contactor is commanded closed.</summary>
        public bool ContactorClosed => _contactorClosed;

        /// <summary>True while the earth relay is commanded closed.</summary>
        public bool EarthClosed => _earthClosed;

        /// <summary>When the contactor last opened (clock µs), or −1 if it never closed.</summary>
        public long ContactorOpenedMicroseconds => _contactorOpenedMicroseconds;

        /// <summary>When the contactor last closed (clock µs), or −1.</summary>
        public long ContactorClosedMicroseconds => _contactorClosedMicroseconds;

        /// <summary>
        /// PEN-fault trip (L-N, L-TTref or CPC-TTref out of range, electrode open, or a latch
        /// record that cannot be read and might have held one): opens the
        /// contactor and then the earth relay and puts the pilot in state F, all in this call
        /// (BS 7671 722.411.4.1: disconnect line, neutral and protective earth). Latching and
        /// reporting are the caller's (it knows the cause).
        /// </summary>
        public void TripPenFault(long nowMicroseconds, string cause)
        {
            OpenAll(nowMicroseconds, cause);
            _pilot.EnterFaultState(nowMicroseconds);
        }

        /// <summary>
        /// Weld trip (load side live with the contactor open): opens the contactor (already
        /// commanded open, or closed again by nothing) and puts the pilot in state F. The earth
        /// relay stays closed: a welded contactor can leave the vehicle live, so it stays earthed.
        /// </summary>
        public void TripWeld(long nowMicroseconds, string cause)
        {
            TripContactorOnly(nowMicroseconds, cause);
        }

        /// <summary>
        /// RDC-DD trip (residual DC current of 6 mA or more, or a failed self-test, IEC 62955):
        /// opens the contactor and puts the pilot in state F, in this call. The earth relay stays
        /// closed: earth is what protects against the residual current.
        /// </summary>
        public void TripRdcDd(long nowMicroseconds, string cause)
        {
            TripContactorOnly(nowMicroseconds, cause);
        }

        /// <summary>
        /// Blind protection (no mains cycle evaluated for too long): opens the contactor and the
        /// earth relay and puts the pilot in state F here, because the protection task that would
        /// enforce a withdrawn permission may be what stalled. Not a latch.
        /// </summary>
        public void TripMeteringStale(long nowMicroseconds, string cause)
        {
            OpenAll(nowMicroseconds, cause);
            _pilot.EnterFaultState(nowMicroseconds);
        }

        /// <summary>Registers an interlock; call during composition.</summary>
        public void AddInterlock(IPowerInterlock interlock)
        {
            if (_interlockCount == MaxInterlocks)
            {
                throw new InvalidOperationException("too many interlocks");
            }

            _interlocks[_interlockCount++] = interlock;
        }

        /// <summary>True when every interlock permits the earth relay.</summary>
        public bool EarthPermitted
        {
            get
            {
                for (int i = 0; i < _interlockCount; i++)
                {
                    if (!_interlocks[i].PermitsEarth)
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        /// <summary>True when every interlock permits the earth relay and the contactor.</summary>
        public bool ContactorPermitted
        {
            get
            {
                for (int i = 0; i < _interlockCount; i++)
                {
                    IPowerInterlock interlock = _interlocks[i];
                    if (!interlock.PermitsEarth || !interlock.PermitsContactor)
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        /// <summary>The first refusing interlock's code, or null when power is permitted.</summary>
        public string BlockingCode
        {
            get
            {
                for (int i = 0; i < _interlockCount; i++)
                {
                    IPowerInterlock interlock = _interlocks[i];
                    if (!interlock.PermitsEarth || !interlock.PermitsContactor)
                    {
                        return interlock.BlockingCode;
                    }
                }

                return null;
            }
        }

        /// <summary>Closes the earth relay if every interlock permits it. Returns whether it is closed.</summary>
        public bool TryCloseEarth(long nowMicroseconds)
        {
            if (_earthClosed)
            {
                return true;
            }

            if (!EarthPermitted)
            {
                return false;
            }

            _relays.SetEarthRelay(true);
            _earthClosed = true;
            _events.Publish(ChargerEventKind.EarthRelay, nowMicroseconds, 0, true, null);
            return true;
        }

        /// <summary>
        /// Closes the contactor if the earth relay is closed and every interlock permits it.
        /// Returns whether it is closed.
        /// </summary>
        public bool TryCloseContactor(long nowMicroseconds)
        {
            if (_contactorClosed)
            {
                return true;
            }

            if (!_earthClosed || !ContactorPermitted)
            {
                return false;
            }

            _relays.SetContactor(true);
            _contactorClosed = true;
            _contactorClosedMicroseconds = nowMicroseconds;
            _events.Publish(ChargerEventKind.Contactor, nowMicroseconds, 0, true, null);
            return true;
        }

        /// <summary>
        /// Opens the contactor (both poles), now. The earth relay stays as it is. The session's
        /// way to stop (the vehicle stopped, unplugged, a pilot fault, the 6 s stop timeout).
        /// </summary>
        public void OpenContactor(long nowMicroseconds, string reason)
        {
            if (!_contactorClosed)
            {
                return;
            }

            _relays.SetContactor(false);
            _contactorClosed = false;
            _contactorOpenedMicroseconds = nowMicroseconds;
            _events.Publish(ChargerEventKind.Contactor, nowMicroseconds, 0, 0, false, reason, null, null);
        }

        private void TripContactorOnly(long nowMicroseconds, string cause)
        {
            OpenContactor(nowMicroseconds, cause);
            _pilot.EnterFaultState(nowMicroseconds);
        }

        /// <summary>Opens the contactor and then the earth relay, now (the PEN-fault path).</summary>
        private void OpenAll(long nowMicroseconds, string reason)
        {
            OpenContactor(nowMicroseconds, reason);
            _relays.OpenAll();
            if (_earthClosed)
            {
                _earthClosed = false;
                _events.Publish(ChargerEventKind.EarthRelay, nowMicroseconds, 0, 0, false, reason, null, null);
            }
        }

        /// <summary>
        /// Opens whatever an interlock no longer permits. Run every protection tick, after the
        /// interlocks have evaluated, so a withdrawn permission acts in the same tick.
        /// </summary>
        public void Enforce(long nowMicroseconds)
        {
            if (_earthClosed && !EarthPermitted)
            {
                OpenAll(nowMicroseconds, BlockingCode);
            }
            else if (_contactorClosed && !ContactorPermitted)
            {
                OpenContactor(nowMicroseconds, BlockingCode);
            }
        }
    }
}
