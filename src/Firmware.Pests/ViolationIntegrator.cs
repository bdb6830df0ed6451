namespace IndraSmartPro.Pests
{
    /// <summary>
    /// The persistence rule of one trip condition, counted in mains cycles weighted by their
    /// length (docs/faults.md, "Timing"): a violating cycle adds its length, a healthy cycle takes
    /// away half its length (never below zero), and the condition trips when the sum reaches the
    /// limit. So a single excursion trips only if it lasts about the limit, a sustained violation
    /// trips exactly at the limit, and a violation that comes and goes still trips whenever it is
    /// present more than a third of the time: a flickering fault cannot escape by resetting the
    /// timer. Allocation-free.
    /// </summary>
    public sealed class ViolationIntegrator
    {
        private readonly int _limitMicroseconds;
        private int _sumMicroseconds;

        /// <summary>Creates an integrator that trips at <paramref name="limitMicroseconds"/>.</summary>
        public ViolationIntegrator(int limitMicroseconds)
        {
            _limitMicroseconds = limitMicroseconds;
        }

        /// <summary>The accumulated violation, microseconds.</summary>
        public int SumMicroseconds => _sumMicroseconds;

        /// <summary>The trip limit, microseconds.</summary>
        public int LimitMicroseconds => _limitMicroseconds;

        /// <summary>
        /// Counts one cycle. Returns true when the sum has reached the limit (and stays true for
        /// every further violating cycle until <see cref="Clear"/>).
        /// </summary>
        /// <param name="violating">The cycle broke the condition.</param>
        /// <param name="periodMicroseconds">The cycle's length; clamped to 0..<see cref="PestLimits.MaxCycleMicroseconds"/>.</param>
        public bool Add(bool violating, int periodMicroseconds)
        {
            int period = periodMicroseconds;
            if (period < 0)
            {
                period = 0;
            }
            else if (period > PestLimits.MaxCycleMicroseconds)
            {
                period = PestLimits.MaxCycleMicroseconds;
            }

            if (violating)
            {
                _sumMicroseconds += period;
                if (_sumMicroseconds >= _limitMicroseconds)
                {
                    _sumMicroseconds = _limitMicroseconds;
                    return true;
                }

                return false;
            }

            _sumMicroseconds -= period / PestLimits.DrainDivisor;
            if (_sumMicroseconds < 0)
            {
                _sumMicroseconds = 0;
            }

            return false;
        }

        /// <summary>Starts again from zero (after a reset).</summary>
        public void Clear()
        {
            _sumMicroseconds = 0;
        }
    }
}
