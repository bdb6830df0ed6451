namespace IndraSmartPro.ControlPilot
{
    /// <summary>
    /// State D (ventilation requested) on a unit without ventilation: accounts the time the
    /// contactor is closed while the vehicle shows D, so that alternating D with short spells of
    /// C cannot keep it closed in D beyond the allowance.
    /// <para>
    /// The rule (a leaky bucket; the firmware's own, docs/control-pilot.md "State D"): the level
    /// rises 1 µs per µs of pilot D with the contactor closed and falls at 1/<see cref="DrainDivisor"/>
    /// of that rate otherwise. When it reaches <see cref="AllowanceMicroseconds"/> (3 s: the bound
    /// IEC 61851-1 Table A.6 gives for leaving a state that forbids supply, as peers apply it) the
    /// contactor must open and no current may be offered until the level has drained to zero
    /// (30 s after a full allowance). Over any long run the contactor is closed in D at most
    /// 3 s plus 1/10 of the time since, and a single D spell still gets the whole 3 s to go back to B.
    /// </para>
    /// </summary>
    public sealed class VentilationAllowance
    {
        /// <summary>Closed-in-D time allowed before the contactor must open, microseconds (IEC 61851-1 Table A.6: 3 s).</summary>
        public const int AllowanceMicroseconds = 3000000;

        /// <summary>The level drains at 1/DrainDivisor of real time outside D (a full allowance drains in 30 s).</summary>
        public const int DrainDivisor = 10;

        private long _levelMicroseconds;
        private long _lastMicroseconds;
        private bool _started;
        private bool _exhausted;

        /// <summary>Closed-in-D time accounted now, microseconds (0..<see cref="AllowanceMicroseconds"/>).</summary>
        public long LevelMicroseconds => _levelMicroseconds;

        /// <summary>
        /// True from the moment the allowance is used up until the level has drained to zero: the
        /// contactor must be open and no current offered.
        /// </summary>
        public bool Exhausted => _exhausted;

        /// <summary>Accounts the time since the last call; <paramref name="closedInD"/>: pilot D with the contactor closed.</summary>
        public void Account(long nowMicroseconds, bool closedInD)
        {
            long elapsed = _started ? nowMicroseconds - _lastMicroseconds : 0;
            _started = true;
            _lastMicroseconds = nowMicroseconds;
            if (elapsed < 0)
            {
                elapsed = 0;
            }

            if (closedInD)
            {
                _levelMicroseconds += elapsed;
                if (_levelMicroseconds >= AllowanceMicroseconds)
                {
                    _levelMicroseconds = AllowanceMicroseconds;
                    _exhausted = true;
                }

                return;
            }

            _levelMicroseconds -= elapsed / DrainDivisor;
            if (_levelMicroseconds <= 0)
            {
                _levelMicroseconds = 0;
                _exhausted = false;
            }
        }
    }
}
