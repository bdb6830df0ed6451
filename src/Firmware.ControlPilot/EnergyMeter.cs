using IndraSmartPro.Metering;
using IndraSmartPro.Persistence;
using IndraSmartPro.Safety;
using IndraSmartPro.Scheduling;

namespace IndraSmartPro.ControlPilot
{
    /// <summary>
    /// Energy delivered to the vehicle, from the meter's per-cycle EV power (EV current sense × L-N).
    /// <para>
    /// Integer accounting without lost remainders: each cycle adds power × duration in
    /// milliwatt-microseconds (7.4 kW × 20 ms = 1.5·10^11, far inside a long). Whole watt-hours
    /// (1 Wh = 3600 J = 3.6·10^12 mW·µs) move into the Wh counter and the remainder stays, so
    /// nothing is truncated, ever (a peer drops up to 999 mWs per interval). Session and lifetime
    /// keep separate remainders.
    /// </para>
    /// <para>
    /// Persistence (the <c>energy</c> record, format in <see cref="EnergyRecord"/>: lifetime Wh, lifetime remainder, session counter, and
    /// the open session's Wh with an open flag, so a session cut short by a power cut is reported at
    /// the next boot as stopped with reason <c>power-cut</c> and its energy up to the last write):
    /// written when the lifetime counter has grown by <see cref="SaveEveryWattHours"/> since the last
    /// write, at session start (so a session number is never reused) and at session end; never every
    /// second (flash wear: 100 Wh is about one write per 49 s at 7.4 kW). A power cut therefore loses
    /// less than <see cref="SaveEveryWattHours"/> Wh of lifetime energy (plus the open session's
    /// record of itself). Writes happen in <see cref="Run"/>, the 1 s energy task, never on the
    /// protection path.
    /// </para>
    /// </summary>
    public sealed class EnergyMeter : IMainsCycleListener, IPeriodicTask
    {
        /// <summary>Store key of the persisted record.</summary>
        public const string StoreKey = "energy";

        /// <summary>Milliwatt-microseconds in one watt-hour: 1000 mW × 3600 s × 10^6 µs/s.</summary>
        public const long MilliwattMicrosecondsPerWattHour = 3600000000000L;

        /// <summary>Lifetime energy between writes to the store, Wh: the most a power cut can lose.</summary>
        public const int SaveEveryWattHours = 100;

        /// <summary>Below this EV current the sense reads noise only, milliamps: such cycles add no energy.</summary>
        public const int NoiseFloorMilliamps = 100;

        /// <summary>Period of the energy task: power is reported every second (Smart Charge Points Regulations 2021).</summary>
        public const int TaskPeriodMicroseconds = 1000000;

        private readonly IStore _store;
        private readonly RelaySupervisor _relays;
        private readonly byte[] _record = new byte[48]; // EnergyRecord.Length, and the 40-byte record of earlier firmware
        private long _lifetimeWattHours;
        private long _lifetimeRemainder;
        private long _sessionWattHours;
        private long _sessionRemainder;
        private int _sessionCount;
        private bool _sessionOpen;
        private long _savedWattHours;
        private bool _saveRequested;
        private bool _interruptedSession;
        private int _interruptedSessionNumber;
        private long _interruptedSessionWattHours;
        private long _secondMilliwattMicroseconds;
        private long _secondMicroseconds;
        private int _powerMilliwatts;
        private int _evMilliamps;

        /// <summary>Creates the meter and restores the persisted counters, if any.</summary>
        public EnergyMeter(IStore store, RelaySupervisor relays)
        {
            _store = store;
            _relays = relays;
            Restore();
        }

        /// <summary>Lifetime energy, whole watt-hours.</summary>
        public long LifetimeWattHours => _lifetimeWattHours;

        /// <summary>Lifetime energy below one watt-hour not yet counted, milliwatt-microseconds.</summary>
        public long LifetimeRemainderMilliwattMicroseconds => _lifetimeRemainder;

        /// <summary>Energy of the open (or last) session, whole watt-hours.</summary>
        public long SessionWattHours => _sessionWattHours;

        /// <summary>Energy of the open (or last) session below one watt-hour, milliwatt-microseconds.</summary>
        public long SessionRemainderMilliwattMicroseconds => _sessionRemainder;

        /// <summary>Sessions started since commissioning; the open session's number.</summary>
        public int SessionCount => _sessionCount;

        /// <summary>True while a session is open.</summary>
        public bool SessionOpen => _sessionOpen;

        /// <summary>Mean power to the EV over the last whole second, milliwatts.</summary>
        public int PowerMilliwatts => _powerMilliwatts;

        /// <summary>EV current of the last mains cycle, milliamps RMS.</summary>
        public int EvMilliamps => _evMilliamps;

        /// <summary>Lifetime Wh of the last record written to the store.</summary>
        public long SavedWattHours => _savedWattHours;

        /// <inheritdoc />
        public void OnMainsCycle(MainsCycle cycle)
        {
            _evMilliamps = cycle.EvMilliamps;
            int milliwatts = cycle.EvMilliwatts;
            if (!_relays.ContactorClosed || cycle.EvMilliamps < NoiseFloorMilliamps || milliwatts < 0)
            {
                milliwatts = 0;
            }

            Add(milliwatts, cycle.PeriodMicroseconds);
        }

        /// <summary>Adds <paramref name="milliwatts"/> for <paramref name="microseconds"/> to every counter.</summary>
        public void Add(int milliwatts, int microseconds)
        {
            long increment = (long)milliwatts * microseconds;
            _secondMilliwattMicroseconds += increment;
            _secondMicroseconds += microseconds;
            _lifetimeRemainder += increment;
            if (_lifetimeRemainder >= MilliwattMicrosecondsPerWattHour)
            {
                long whole = _lifetimeRemainder / MilliwattMicrosecondsPerWattHour;
                _lifetimeWattHours += whole;
                _lifetimeRemainder -= whole * MilliwattMicrosecondsPerWattHour;
            }

            if (_sessionOpen)
            {
                _sessionRemainder += increment;
                if (_sessionRemainder >= MilliwattMicrosecondsPerWattHour)
                {
                    long whole = _sessionRemainder / MilliwattMicrosecondsPerWattHour;
                    _sessionWattHours += whole;
                    _sessionRemainder -= whole * MilliwattMicrosecondsPerWattHour;
                }
            }
        }

        /// <summary>Opens a session: zeroes the session counter, returns the new session number. The record is written by the next <see cref="Run"/>.</summary>
        public int BeginSession()
        {
            _sessionCount++;
            _sessionWattHours = 0;
            _sessionRemainder = 0;
            _sessionOpen = true;
            _saveRequested = true;
            return _sessionCount;
        }

        /// <summary>Closes the session, returns its energy in whole Wh, and asks for a write.</summary>
        public long EndSession()
        {
            _sessionOpen = false;
            _saveRequested = true;
            return _sessionWattHours;
        }

        /// <summary>The 1 s energy task: the power figure for the last second, then any write that is due.</summary>
        public void Run(long nowMicroseconds)
        {
            _powerMilliwatts = _secondMicroseconds <= 0 ? 0 : (int)(_secondMilliwattMicroseconds / _secondMicroseconds);
            _secondMilliwattMicroseconds = 0;
            _secondMicroseconds = 0;
            SaveIfDue();
        }

        /// <summary>Writes the record if a session started or ended or <see cref="SaveEveryWattHours"/> accumulated.</summary>
        public void SaveIfDue()
        {
            if (_saveRequested || _lifetimeWattHours - _savedWattHours >= SaveEveryWattHours)
            {
                try
                {
                    Save();
                }
                catch (System.Exception)
                {
                    // A failed flash write (worn or full flash) must not stop the scheduler, and with
                    // it protection: energy is not safety. The record stays due and is retried at the
                    // next run; the failures are counted for the service engineer.
                    _saveFailures++;
                }
            }
        }

        /// <summary>How many writes of the energy record failed (each is retried at the next run).</summary>
        public int SaveFailures => _saveFailures;

        private int _saveFailures;

        /// <summary>Writes the record now.</summary>
        public void Save()
        {
            int length = EnergyRecord.Encode(_record, _lifetimeWattHours, _lifetimeRemainder, _sessionCount, _sessionWattHours, _sessionOpen);
            _store.Write(StoreKey, _record, length);
            _savedWattHours = _lifetimeWattHours;
            _saveRequested = false;
        }

        private void Restore()
        {
            int length;
            long sessionWattHours;
            bool open;
            if (!_store.TryRead(StoreKey, _record, out length)
                || !EnergyRecord.TryDecode(_record, length, out _lifetimeWattHours, out _lifetimeRemainder, out _sessionCount, out sessionWattHours, out open))
            {
                // Missing or unreadable: counting starts from zero rather than from garbage.
                return;
            }

            _savedWattHours = _lifetimeWattHours;
            if (open)
            {
                _interruptedSession = true;
                _interruptedSessionNumber = _sessionCount;
                _interruptedSessionWattHours = sessionWattHours;
            }
        }

        /// <summary>
        /// True once after a boot whose record shows a session still open: the power was cut
        /// during it. <see cref="InterruptedSessionNumber"/> and
        /// <see cref="InterruptedSessionWattHours"/> (its energy up to the last write) tell the
        /// session machine what to report; <see cref="ClearInterruptedSession"/> forgets it.
        /// </summary>
        public bool InterruptedSession => _interruptedSession;

        /// <summary>Number of the session a power cut interrupted.</summary>
        public int InterruptedSessionNumber => _interruptedSessionNumber;

        /// <summary>Energy of the interrupted session up to its last write, whole Wh.</summary>
        public long InterruptedSessionWattHours => _interruptedSessionWattHours;

        /// <summary>Forgets the interrupted session once reported.</summary>
        public void ClearInterruptedSession()
        {
            _interruptedSession = false;
        }
    }
}
