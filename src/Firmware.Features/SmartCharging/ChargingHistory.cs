using IndraSmartPro.ControlPilot;
using IndraSmartPro.Events;
using IndraSmartPro.Persistence;

namespace IndraSmartPro.Features.SmartCharging
{
    /// <summary>
    /// Twelve months of charging data for the owner (Smart Charge Points Regulations 2021,
    /// reg. 9): one record per charging session and the energy of every half hour, each in a
    /// bounded <see cref="RecordRing"/> sized in docs/storage.md (sessions: 12 × 16 KiB, over 4 000
    /// sessions; half hours: 30 × 16 KiB, over 13 months). Read in pages with
    /// <see cref="TryReadSession"/> and <see cref="TryReadHalfHour"/> (the MQTT command
    /// <c>read-history</c>, docs/mqtt.md).
    /// <para>
    /// Session data (version 1, 32 bytes, little-endian): session number (int32), UTC start and end
    /// (uint32 seconds, 0 = clock not synchronised), energy Wh (int32), peak power W (int32, the
    /// largest one-second mean), why it stopped (12 ASCII bytes, zero-padded: the session's stop
    /// reason, e.g. "ev-disconnected", cut to 12).
    /// Half-hour data (version 1, 9 bytes): UTC start of the half hour (uint32 seconds), energy Wh
    /// delivered in it (int32), flags (1 = partial: the clock was synchronised, or the unit booted,
    /// during it). Half hours are recorded only while the clock is synchronised (a gap in the start
    /// times is a power cut or an unknown time), every half hour, charging or not, so the ring's
    /// 12 months hold.
    /// </para>
    /// Listens to session events (only copies values; the flash appends happen in
    /// <see cref="Run"/>, in the smart-charging task).
    /// </summary>
    public sealed class ChargingHistory : IChargerEventListener
    {
        /// <summary>Ring name of the session records.</summary>
        public const string SessionsRing = "sessions";

        /// <summary>Ring name of the half-hourly energy.</summary>
        public const string EnergyRing = "energy-hh";

        /// <summary>Session data bytes.</summary>
        public const int SessionBytes = 32;

        /// <summary>Half-hour data bytes.</summary>
        public const int HalfHourBytes = 9;

        /// <summary>Half hour, seconds.</summary>
        public const int HalfHourSeconds = 1800;

        /// <summary>Characters of the stop reason kept.</summary>
        public const int ReasonChars = 12;

        /// <summary>Half-hour flag: the half hour was not seen whole.</summary>
        public const int FlagPartial = 1;

        private const int Version = 1;

        private readonly RecordRing _sessions;
        private readonly RecordRing _energy;
        private readonly EnergyMeter _meter;
        private readonly SmartChargingRecord _record;
        private readonly byte[] _data = new byte[SessionBytes];
        private readonly byte[] _read = new byte[SessionBytes];

        // Latched by the listener, written by Run.
        private bool _started;
        private bool _stopped;
        private int _stoppedSession;
        private int _stoppedWattHours;
        private int _stoppedPeakWatts;
        private string _stoppedReason;

        private int _sessionNumber;
        private int _peakWatts;
        private long _currentHalfHour = -1;
        private long _halfHourBaseWattHours;
        private bool _halfHourPartial;
        private int _appendFailures;

        /// <summary>Opens (or starts) both rings in <paramref name="store"/>.</summary>
        public ChargingHistory(IStore store, EnergyMeter meter, SmartChargingRecord record)
        {
            _meter = meter;
            _record = record;
            _sessions = new RecordRing(store, SessionsRing, 12, 16384, SessionBytes);
            _energy = new RecordRing(store, EnergyRing, 30, 16384, HalfHourBytes);
        }

        /// <summary>The session records.</summary>
        public RecordRing Sessions => _sessions;

        /// <summary>The half-hourly energy.</summary>
        public RecordRing Energy => _energy;

        /// <summary>Appends that failed (flash full or worn); the history has a gap, charging goes on.</summary>
        public int AppendFailures => _appendFailures;

        /// <inheritdoc />
        public void OnEvent(ChargerEvent e)
        {
            if (e.Kind == ChargerEventKind.SessionStarted)
            {
                _started = true;
                _sessionNumber = e.Value;
                _peakWatts = 0;
            }
            else if (e.Kind == ChargerEventKind.SessionStopped)
            {
                _stopped = true;
                _stoppedSession = e.Value2;
                _stoppedWattHours = e.Value;
                _stoppedReason = e.Code;
                _stoppedPeakWatts = _peakWatts;
            }
        }

        /// <summary>
        /// One step of the smart-charging task. <paramref name="utcKnown"/> and
        /// <paramref name="utcSeconds"/>: the wall clock now. Returns true when the settings record
        /// needs saving (a session's start time was noted in it).
        /// </summary>
        public bool Run(bool utcKnown, long utcSeconds)
        {
            bool save = false;
            int watts = _meter.PowerMilliwatts / 1000;
            if (_meter.SessionOpen && !_started && watts > _peakWatts)
            {
                _peakWatts = watts;
            }

            if (_stopped)
            {
                // Before a start in the same step: a stop at boot (power cut) closes the session before.
                _stopped = false;
                uint start = _record.OpenSessionStartUtcSeconds;
                AppendSession(_stoppedSession, start, utcKnown ? (uint)utcSeconds : 0, _stoppedWattHours, _stoppedPeakWatts, _stoppedReason);
                _record.OpenSessionStartUtcSeconds = 0;
                save = true;
            }

            if (_started)
            {
                _started = false;
                _record.OpenSessionStartUtcSeconds = utcKnown ? (uint)utcSeconds : 0;
                save = true;
            }

            if (utcKnown)
            {
                long halfHour = utcSeconds / HalfHourSeconds;
                if (_currentHalfHour < 0)
                {
                    StartHalfHour(halfHour, true);
                }
                else if (halfHour != _currentHalfHour)
                {
                    AppendHalfHour();
                    StartHalfHour(halfHour, halfHour != _currentHalfHour + 1);
                }
            }

            return save;
        }

        /// <summary>Reads the next session record at <paramref name="cursor"/>; false at the end.</summary>
        public bool TryReadSession(RecordRingCursor cursor, out int sequence, out int session, out uint startUtc, out uint endUtc,
            out int wattHours, out int peakWatts, char[] reason, out int reasonLength)
        {
            session = 0;
            startUtc = 0;
            endUtc = 0;
            wattHours = 0;
            peakWatts = 0;
            reasonLength = 0;
            int kind;
            int version;
            int length;
            while (_sessions.TryReadNext(cursor, _read, out sequence, out kind, out version, out length))
            {
                if (kind != RecordKinds.SessionHistory || version != Version || length != SessionBytes)
                {
                    continue;
                }

                session = LittleEndian.ReadInt32(_read, 0);
                startUtc = LittleEndian.ReadUInt32(_read, 4);
                endUtc = LittleEndian.ReadUInt32(_read, 8);
                wattHours = LittleEndian.ReadInt32(_read, 12);
                peakWatts = LittleEndian.ReadInt32(_read, 16);
                while (reasonLength < ReasonChars && _read[20 + reasonLength] != 0)
                {
                    reason[reasonLength] = (char)_read[20 + reasonLength];
                    reasonLength++;
                }

                return true;
            }

            return false;
        }

        /// <summary>Reads the next half-hour record at <paramref name="cursor"/>; false at the end.</summary>
        public bool TryReadHalfHour(RecordRingCursor cursor, out int sequence, out uint startUtc, out int wattHours, out int flags)
        {
            startUtc = 0;
            wattHours = 0;
            flags = 0;
            int kind;
            int version;
            int length;
            while (_energy.TryReadNext(cursor, _read, out sequence, out kind, out version, out length))
            {
                if (kind != RecordKinds.HalfHourEnergy || version != Version || length != HalfHourBytes)
                {
                    continue;
                }

                startUtc = LittleEndian.ReadUInt32(_read, 0);
                wattHours = LittleEndian.ReadInt32(_read, 4);
                flags = _read[8];
                return true;
            }

            return false;
        }

        private void StartHalfHour(long halfHour, bool partial)
        {
            _currentHalfHour = halfHour;
            _halfHourBaseWattHours = _meter.LifetimeWattHours;
            _halfHourPartial = partial;
        }

        private void AppendHalfHour()
        {
            byte[] d = _data;
            LittleEndian.WriteUInt32(d, 0, (uint)(_currentHalfHour * HalfHourSeconds));
            LittleEndian.WriteInt32(d, 4, (int)(_meter.LifetimeWattHours - _halfHourBaseWattHours));
            d[8] = (byte)(_halfHourPartial ? FlagPartial : 0);
            Append(_energy, RecordKinds.HalfHourEnergy, HalfHourBytes);
        }

        private void AppendSession(int session, uint startUtc, uint endUtc, int wattHours, int peakWatts, string reason)
        {
            byte[] d = _data;
            LittleEndian.WriteInt32(d, 0, session);
            LittleEndian.WriteUInt32(d, 4, startUtc);
            LittleEndian.WriteUInt32(d, 8, endUtc);
            LittleEndian.WriteInt32(d, 12, wattHours);
            LittleEndian.WriteInt32(d, 16, peakWatts);
            for (int i = 0; i < ReasonChars; i++)
            {
                char c = reason != null && i < reason.Length ? reason[i] : '\0';
                d[20 + i] = c < 0x80 ? (byte)c : (byte)'?';
            }

            Append(_sessions, RecordKinds.SessionHistory, SessionBytes);
        }

        private void Append(RecordRing ring, int kind, int length)
        {
            try
            {
                ring.Append(kind, Version, _data, length);
            }
            catch (System.Exception)
            {
                // A failed flash append must not stop the scheduler (history is not safety).
                _appendFailures++;
            }
        }
    }
}
