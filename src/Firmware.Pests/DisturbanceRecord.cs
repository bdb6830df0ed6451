using IndraSmartPro.Metering;

namespace IndraSmartPro.Pests
{
    /// <summary>
    /// What the supply did around a trip: the per-cycle true RMS of L-N, L-TTref and CPC-TTref for
    /// about 1 s before the trip (<see cref="MaxPreTripCycles"/> cycles, the trip cycle included)
    /// and about 1 s after it (<see cref="MaxPostTripCycles"/>). Kept in RAM for publication
    /// (MQTT) and for the service engineer ("no voltage log to show the DNO" is a peer
    /// complaint). Preallocated: filling it allocates nothing. Read it when
    /// <see cref="Complete"/>; a new trip after completion overwrites it (see <see cref="Sequence"/>).
    /// </summary>
    public sealed class DisturbanceRecord
    {
        /// <summary>Cycles kept from before (and including) the trip: 50 = 1 s at 50 Hz.</summary>
        public const int MaxPreTripCycles = 50;

        /// <summary>Cycles kept after the trip: 50 = 1 s at 50 Hz.</summary>
        public const int MaxPostTripCycles = 50;

        /// <summary>Capacity of the record in cycles.</summary>
        public const int Capacity = MaxPreTripCycles + MaxPostTripCycles;

        private readonly long[] _endMicroseconds = new long[Capacity];
        private readonly int[] _lineNeutralMillivolts = new int[Capacity];
        private readonly int[] _lineTtRefMillivolts = new int[Capacity];
        private readonly int[] _cpcTtRefMillivolts = new int[Capacity];
        private int _count;
        private int _preTripCount;
        private int _postTripCount;

        /// <summary>Increments with every new record (0 before the first trip), so a reader can tell records apart.</summary>
        public int Sequence { get; private set; }

        /// <summary>The cause code of the trip that started the record, e.g. "cpc-tt-over-70v".</summary>
        public string CauseCode { get; private set; }

        /// <summary>Clock time of the trip, microseconds since boot.</summary>
        public long TripMicroseconds { get; private set; }

        /// <summary>True while after-trip cycles are still being added.</summary>
        public bool Recording { get; private set; }

        /// <summary>True once the after-trip second has been added.</summary>
        public bool Complete => Sequence > 0 && !Recording;

        /// <summary>Number of cycles in the record.</summary>
        public int Count => _count;

        /// <summary>Number of those cycles that ended at or before the trip.</summary>
        public int PreTripCount => _preTripCount;

        /// <summary>End time of cycle <paramref name="index"/> (0 = oldest), clock microseconds.</summary>
        public long GetEndMicroseconds(int index) => _endMicroseconds[index];

        /// <summary>L-N true RMS of cycle <paramref name="index"/>, millivolts.</summary>
        public int GetLineNeutralMillivolts(int index) => _lineNeutralMillivolts[index];

        /// <summary>L-TTref true RMS of cycle <paramref name="index"/>, millivolts.</summary>
        public int GetLineTtRefMillivolts(int index) => _lineTtRefMillivolts[index];

        /// <summary>CPC-TTref true RMS of cycle <paramref name="index"/>, millivolts.</summary>
        public int GetCpcTtRefMillivolts(int index) => _cpcTtRefMillivolts[index];

        /// <summary>Starts a record from the before-trip ring (oldest first). Called by the recorder.</summary>
        internal void Begin(long tripMicroseconds, string causeCode, DisturbanceRing ring)
        {
            Sequence++;
            CauseCode = causeCode;
            TripMicroseconds = tripMicroseconds;
            _count = 0;
            _postTripCount = 0;
            int n = ring.Count;
            for (int i = 0; i < n; i++)
            {
                int slot = ring.Slot(i);
                Put(ring.EndMicroseconds[slot], ring.LineNeutralMillivolts[slot], ring.LineTtRefMillivolts[slot], ring.CpcTtRefMillivolts[slot]);
            }

            _preTripCount = _count;
            Recording = true;
        }

        /// <summary>Adds one after-trip cycle. Returns true when this completed the record.</summary>
        internal bool AddAfterTrip(MainsCycle cycle)
        {
            if (!Recording)
            {
                return false;
            }

            Put(cycle.EndMicroseconds, cycle.LineNeutralMillivolts, cycle.LineTtRefMillivolts, cycle.CpcTtRefMillivolts);
            _postTripCount++;
            if (_postTripCount >= MaxPostTripCycles)
            {
                Recording = false;
                return true;
            }

            return false;
        }

        private void Put(long endMicroseconds, int lineNeutral, int lineTtRef, int cpcTtRef)
        {
            _endMicroseconds[_count] = endMicroseconds;
            _lineNeutralMillivolts[_count] = lineNeutral;
            _lineTtRefMillivolts[_count] = lineTtRef;
            _cpcTtRefMillivolts[_count] = cpcTtRef;
            _count++;
        }
    }

    /// <summary>The last <see cref="DisturbanceRecord.MaxPreTripCycles"/> cycles, always kept, so a record can start with the second before the trip.</summary>
    internal sealed class DisturbanceRing
    {
        internal readonly long[] EndMicroseconds = new long[DisturbanceRecord.MaxPreTripCycles];
        internal readonly int[] LineNeutralMillivolts = new int[DisturbanceRecord.MaxPreTripCycles];
        internal readonly int[] LineTtRefMillivolts = new int[DisturbanceRecord.MaxPreTripCycles];
        internal readonly int[] CpcTtRefMillivolts = new int[DisturbanceRecord.MaxPreTripCycles];
        private int _next;
        private int _count;

        internal int Count => _count;

        /// <summary>Array slot of the i-th oldest cycle.</summary>
        internal int Slot(int i)
        {
            int start = _count < DisturbanceRecord.MaxPreTripCycles ? 0 : _next;
            return (start + i) % DisturbanceRecord.MaxPreTripCycles;
        }

        internal void Add(MainsCycle cycle)
        {
            EndMicroseconds[_next] = cycle.EndMicroseconds;
            LineNeutralMillivolts[_next] = cycle.LineNeutralMillivolts;
            LineTtRefMillivolts[_next] = cycle.LineTtRefMillivolts;
            CpcTtRefMillivolts[_next] = cycle.CpcTtRefMillivolts;
            _next = (_next + 1) % DisturbanceRecord.MaxPreTripCycles;
            if (_count < DisturbanceRecord.MaxPreTripCycles)
            {
                _count++;
            }
        }
    }
}
