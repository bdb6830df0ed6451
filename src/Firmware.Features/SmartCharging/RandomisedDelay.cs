using IndraSmartPro.Board;

namespace IndraSmartPro.Features.SmartCharging
{
    /// <summary>
    /// The randomised delay of the Smart Charge Points Regulations 2021, reg. 11: a wait drawn
    /// uniformly from 0..<see cref="MaxSeconds"/> whole seconds (both ends included) from the
    /// board's hardware random source, so a fleet does not switch together after a schedule
    /// edge, a platform change or a power cut. Holds only the timer; what is delayed, and when,
    /// is <see cref="SmartCharging"/>'s decision.
    /// </summary>
    public sealed class RandomisedDelay
    {
        /// <summary>Reg. 11 default maximum, seconds (600 s).</summary>
        public const int DefaultMaxSeconds = 600;

        /// <summary>Reg. 11: the unit must be capable of at least 1800 s; the largest settable maximum, seconds.</summary>
        public const int LimitMaxSeconds = 1800;

        private readonly IHardwareRandom _random;
        private int _maxSeconds = DefaultMaxSeconds;
        private bool _running;
        private long _endMicroseconds;
        private int _drawnSeconds;

        /// <summary>Creates the delay on a random source.</summary>
        public RandomisedDelay(IHardwareRandom random)
        {
            _random = random;
        }

        /// <summary>Largest delay, seconds (0..1800; 0 turns the delay off).</summary>
        public int MaxSeconds => _maxSeconds;

        /// <summary>True while a delay counts down.</summary>
        public bool Running => _running;

        /// <summary>The length drawn for the running (or last) delay, seconds.</summary>
        public int DrawnSeconds => _drawnSeconds;

        /// <summary>Sets the maximum, seconds; false (and unchanged) outside 0..1800.</summary>
        public bool SetMaxSeconds(int seconds)
        {
            if (seconds < 0 || seconds > LimitMaxSeconds)
            {
                return false;
            }

            _maxSeconds = seconds;
            return true;
        }

        /// <summary>
        /// Draws a delay and starts it. Returns false (nothing running) when the draw is 0 s.
        /// </summary>
        public bool Start(long nowMicroseconds)
        {
            _drawnSeconds = Draw(_random, _maxSeconds);
            _endMicroseconds = nowMicroseconds + (_drawnSeconds * 1000000L);
            _running = _drawnSeconds > 0;
            return _running;
        }

        /// <summary>Stops a running delay (cancelled by the owner, or nothing left to delay).</summary>
        public void Stop()
        {
            _running = false;
        }

        /// <summary>True once a running delay has elapsed (it then stops).</summary>
        public bool Elapsed(long nowMicroseconds)
        {
            if (_running && nowMicroseconds >= _endMicroseconds)
            {
                _running = false;
                return true;
            }

            return false;
        }

        /// <summary>Whole seconds left of the running delay (rounded up); 0 when none runs.</summary>
        public int RemainingSeconds(long nowMicroseconds)
        {
            if (!_running)
            {
                return 0;
            }

            long left = _endMicroseconds - nowMicroseconds;
            return left <= 0 ? 0 : (int)((left + 999999) / 1000000);
        }

        /// <summary>
        /// A uniform whole number in 0..<paramref name="maxSeconds"/>: 32 random bits, rejecting the
        /// top partial range so every value is equally likely (plain modulo favours small values).
        /// </summary>
        public static int Draw(IHardwareRandom random, int maxSeconds)
        {
            if (maxSeconds <= 0)
            {
                return 0;
            }

            uint range = (uint)maxSeconds + 1;
            uint limit = uint.MaxValue - (uint.MaxValue % range);
            uint value;
            do
            {
                value = random.NextRandom32();
            }
            while (value >= limit);
            return (int)(value % range);
        }
    }
}
