using IndraSmartPro.Board;
using IndraSmartPro.Persistence;

namespace IndraSmartPro.Time
{
    /// <summary>
    /// The time of day for logic that needs it (schedules, default charging hours, history,
    /// timestamps), on top of the board's <see cref="IUtcSource"/> and the monotonic clock.
    /// <para>
    /// Not synchronised until the source first gives a plausible time (on the device: SNTP has
    /// answered since power-up). Until then <see cref="TryGetUtcSeconds"/> returns false and every
    /// user does its documented fallback (docs/smart-charging.md): schedules and default hours
    /// are not applied (the unit charges as a plain charger, so it still charges without a
    /// network, reg. 7), events and status carry no UTC. Between source reads the time advances
    /// with the monotonic clock, so it never jumps backwards between two reads of the source.
    /// </para>
    /// <para>
    /// The last known UTC is kept in the store (at the first synchronisation and then every hour),
    /// so after a reboot the status can say how old the last known time is; it is never used as
    /// the present time (the outage may have lasted days).
    /// </para>
    /// </summary>
    public sealed class WallClock
    {
        /// <summary>Store key of the last known time record.</summary>
        public const string StoreKey = "clock";

        /// <summary>Times before 2025-01-01T00:00Z are an unset RTC, not a synchronised clock.</summary>
        public const long EarliestPlausibleUtcSeconds = 1735689600;

        /// <summary>How often the source is read, microseconds (1 s).</summary>
        public const long ReadIntervalMicroseconds = 1000000;

        /// <summary>How often the last known time is written to flash while synchronised, seconds (1 h: 8 760 writes a year).</summary>
        public const long SaveIntervalSeconds = 3600;

        // RecordCodec frame of kind RecordKinds.WallClock, version 1, payload: last known UTC seconds (int64 LE).
        private const int RecordVersion = 1;
        private const int PayloadLength = 8;

        private readonly IUtcSource _source;
        private readonly IStore _store;
        private readonly byte[] _record = new byte[RecordCodec.OverheadBytes + PayloadLength];
        private bool _synchronised;
        private long _anchorUtcMicroseconds;
        private long _nextReadMicroseconds;
        private long _lastKnownUtcSeconds;
        private long _lastSavedUtcSeconds;

        /// <summary>Creates the clock and reads the last known time from the store.</summary>
        public WallClock(IUtcSource source, IStore store)
        {
            _source = source;
            _store = store;
            int length;
            if (store != null && store.TryRead(StoreKey, _record, out length) && RecordCodec.IsRecord(_record, length, RecordKinds.WallClock, RecordVersion, PayloadLength))
            {
                _lastKnownUtcSeconds = LittleEndian.ReadInt64(_record, RecordCodec.HeaderBytes);
                _lastSavedUtcSeconds = _lastKnownUtcSeconds;
            }
        }

        /// <summary>True once the source gave a plausible time since boot.</summary>
        public bool Synchronised => _synchronised;

        /// <summary>The last UTC seconds known (from this boot, or from the store before synchronisation); 0 = never.</summary>
        public long LastKnownUtcSeconds => _lastKnownUtcSeconds;

        /// <summary>
        /// Reads the source when due (once a second): the first plausible reading synchronises the
        /// clock, later ones correct it (SNTP adjustments). Call from a periodic task.
        /// </summary>
        public void Update(long nowMicroseconds)
        {
            if (nowMicroseconds < _nextReadMicroseconds)
            {
                return;
            }

            _nextReadMicroseconds = nowMicroseconds + ReadIntervalMicroseconds;
            long utcMilliseconds;
            if (_source == null || !_source.TryReadUtcMilliseconds(out utcMilliseconds) || utcMilliseconds / 1000 < EarliestPlausibleUtcSeconds)
            {
                return;
            }

            _anchorUtcMicroseconds = (utcMilliseconds * 1000) - nowMicroseconds;
            bool first = !_synchronised;
            _synchronised = true;
            long utcSeconds = utcMilliseconds / 1000;
            _lastKnownUtcSeconds = utcSeconds;
            if (first || utcSeconds - _lastSavedUtcSeconds >= SaveIntervalSeconds || utcSeconds < _lastSavedUtcSeconds)
            {
                Save(utcSeconds);
            }
        }

        /// <summary>UTC seconds since 1970 at <paramref name="nowMicroseconds"/>; false while not synchronised.</summary>
        public bool TryGetUtcSeconds(long nowMicroseconds, out long utcSeconds)
        {
            if (!_synchronised)
            {
                utcSeconds = 0;
                return false;
            }

            utcSeconds = (_anchorUtcMicroseconds + nowMicroseconds) / 1000000;
            return true;
        }

        /// <summary>UTC milliseconds since 1970 at <paramref name="nowMicroseconds"/>; false while not synchronised.</summary>
        public bool TryGetUtcMilliseconds(long nowMicroseconds, out long utcMilliseconds)
        {
            if (!_synchronised)
            {
                utcMilliseconds = 0;
                return false;
            }

            utcMilliseconds = (_anchorUtcMicroseconds + nowMicroseconds) / 1000;
            return true;
        }

        /// <summary>UK local seconds since 1970 (GMT/BST applied, <see cref="UkLocalTime"/>); false while not synchronised.</summary>
        public bool TryGetLocalSeconds(long nowMicroseconds, out long localSeconds)
        {
            long utc;
            if (!TryGetUtcSeconds(nowMicroseconds, out utc))
            {
                localSeconds = 0;
                return false;
            }

            localSeconds = UkLocalTime.ToLocalSeconds(utc);
            return true;
        }

        private void Save(long utcSeconds)
        {
            if (_store == null)
            {
                return;
            }

            byte[] r = _record;
            RecordCodec.WriteHeader(r, 0, RecordKinds.WallClock, RecordVersion);
            LittleEndian.WriteInt64(r, RecordCodec.HeaderBytes, utcSeconds);
            int length = RecordCodec.Seal(r, 0, PayloadLength);
            try
            {
                _store.Write(StoreKey, r, length);
                _lastSavedUtcSeconds = utcSeconds;
            }
            catch (System.Exception)
            {
                // A failed write only loses the "last known" hint; retried at the next interval.
                _lastSavedUtcSeconds = utcSeconds;
            }
        }
    }
}
