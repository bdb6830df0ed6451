using IndraSmartPro.Metering;

namespace IndraSmartPro.Pests
{
    /// <summary>
    /// True RMS of one voltage over a sliding window of recent mains cycles: the sum of each
    /// cycle's mean square weighted by its length, over the latest cycles whose lengths add up to
    /// at most the window (docs/faults.md, "Windowed rules"). A fault that comes and goes, tens of
    /// milliseconds on and hundreds off, is drained cycle by cycle by the per-cycle rules but its
    /// windowed RMS stays high; the windowed rules judge that. Thresholds are compared on squares,
    /// so no square root is taken. Allocation-free.
    /// </summary>
    public sealed class RmsWindow
    {
        private readonly int _windowMicroseconds;
        private readonly long[] _weightedSquares;
        private readonly int[] _periods;
        private int _oldest;
        private int _count;
        private long _sumSquares;
        private long _spanMicroseconds;

        /// <summary>Creates a window of <paramref name="windowMicroseconds"/>, holding up to <paramref name="capacityCycles"/> cycles.</summary>
        public RmsWindow(int windowMicroseconds, int capacityCycles)
        {
            _windowMicroseconds = windowMicroseconds;
            _weightedSquares = new long[capacityCycles];
            _periods = new int[capacityCycles];
        }

        /// <summary>Length of the window, microseconds.</summary>
        public int WindowMicroseconds => _windowMicroseconds;

        /// <summary>Time the cycles in the window span, microseconds (at most the window).</summary>
        public long SpanMicroseconds => _spanMicroseconds;

        /// <summary>
        /// True once the cycles in the window span all of it but one cycle (<see cref="PestLimits.MaxCycleMicroseconds"/>):
        /// before that (boot, after <see cref="Clear"/>) the window is not judged.
        /// </summary>
        public bool Full => _spanMicroseconds >= _windowMicroseconds - PestLimits.MaxCycleMicroseconds;

        /// <summary>
        /// Adds a cycle's true RMS. Bounds: 300 000 mV squared is 9e10, times a cycle of at most
        /// 40 000 µs is 3.6e15; 100 of them 3.6e17, inside a long.
        /// </summary>
        public void Add(int rmsMillivolts, int periodMicroseconds)
        {
            int period = periodMicroseconds < 0 ? 0 : (periodMicroseconds > PestLimits.MaxCycleMicroseconds ? PestLimits.MaxCycleMicroseconds : periodMicroseconds);
            long square = (long)rmsMillivolts * rmsMillivolts * period;
            if (_count == _periods.Length)
            {
                DropOldest();
            }

            int slot = (_oldest + _count) % _periods.Length;
            _weightedSquares[slot] = square;
            _periods[slot] = period;
            _count++;
            _sumSquares += square;
            _spanMicroseconds += period;
            while (_spanMicroseconds > _windowMicroseconds && _count > 1)
            {
                DropOldest();
            }
        }

        /// <summary>True when the window is <see cref="Full"/> and its RMS is above <paramref name="millivolts"/>.</summary>
        public bool Above(int millivolts) => Full && _sumSquares > (long)millivolts * millivolts * _spanMicroseconds;

        /// <summary>True when the window is <see cref="Full"/> and its RMS is at or above <paramref name="millivolts"/>.</summary>
        public bool AtOrAbove(int millivolts) => Full && _sumSquares >= (long)millivolts * millivolts * _spanMicroseconds;

        /// <summary>True when the window is <see cref="Full"/> and its RMS is below <paramref name="millivolts"/>.</summary>
        public bool Below(int millivolts) => Full && _sumSquares < (long)millivolts * millivolts * _spanMicroseconds;

        /// <summary>The window's true RMS, millivolts (0 while empty). Off the hot path: a square root.</summary>
        public int RmsMillivolts()
        {
            if (_spanMicroseconds <= 0)
            {
                return 0;
            }

            return (int)IntegerMath.SquareRoot(_sumSquares / _spanMicroseconds);
        }

        /// <summary>Empties the window.</summary>
        public void Clear()
        {
            _oldest = 0;
            _count = 0;
            _sumSquares = 0;
            _spanMicroseconds = 0;
        }

        private void DropOldest()
        {
            _sumSquares -= _weightedSquares[_oldest];
            _spanMicroseconds -= _periods[_oldest];
            _oldest = (_oldest + 1) % _periods.Length;
            _count--;
        }
    }
}
