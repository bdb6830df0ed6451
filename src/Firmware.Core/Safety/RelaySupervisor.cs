using System;
using IndraSmartPro.Board;
using IndraSmartPro.Events;

namespace IndraSmartPro.Safety
{
    /// <summary>
    /// The only code that closes a relay. Closing asks every <see cref="IPowerInterlock"/> first;
    /// <see cref="Enforce"/> (run every protection tick) opens at once when any of them withdraws
    /// permission. Opening may be requested by anyone. Order: the earth relay closes before the
    /// contactor and opens after it, so the vehicle is never live without its protective earth.
    /// See docs/invariants.md.
    /// </summary>
    public sealed class RelaySupervisor
    {
        private const int MaxInterlocks = 8;
        private readonly IPowerRelays _relays;
        private readonly EventBus _events;
        private readonly IPowerInterlock[] _interlocks = new IPowerInterlock[MaxInterlocks];
        private int _interlockCount;
        private bool _contactorClosed;
        private bool _earthClosed;
        private long _contactorOpenedMicroseconds = -1;
        private long _contactorClosedMicroseconds = -1;

        /// <summary>Creates the supervisor and opens both relays (the safe state).</summary>
        public RelaySupervisor(IPowerRelays relays, EventBus events)
        {
            _relays = relays;
            _events = events;
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
        /// The pilot's safe-state hook that <see cref="Trip"/> calls. Until the control pilot
        /// registers itself, a trip holds the pilot output at −12 V directly.
        /// </summary>
        public IPilotSafety PilotSafety { get; set; }

        /// <summary>
        /// The protective trip path, all in this call: open the contactor and the earth relay and
        /// put the pilot in state F. Latching and reporting are the caller's (it knows the cause).
        /// </summary>
        public void Trip(long nowMicroseconds, string cause)
        {
            OpenAll(nowMicroseconds, cause);
            if (PilotSafety != null)
            {
                PilotSafety.EnterFaultState(nowMicroseconds);
            }
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

        /// <summary>Opens the contactor (both poles), now. The earth relay stays as it is.</summary>
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

        /// <summary>Opens the contactor and then the earth relay, now (the trip path).</summary>
        public void OpenAll(long nowMicroseconds, string reason)
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
