namespace IndraSmartPro.Features.SmartCharging
{
    /// <summary>
    /// Boost: charge now at the highest current safety, curtailment and the ratings allow,
    /// overriding schedules, default hours, the randomised delay and eco modes, optionally for a
    /// duration or an energy amount. Holds what remains; <see cref="SmartCharging"/> puts the claim.
    /// Time is counted on the monotonic clock, so a Boost works without a synchronised clock.
    /// </summary>
    public sealed class Boost
    {
        /// <summary>Longest Boost duration, seconds (24 h).</summary>
        public const int MaxDurationSeconds = 86400;

        /// <summary>Largest Boost energy, watt-hours (200 kWh: more than any car battery).</summary>
        public const int MaxEnergyWattHours = 200000;

        private bool _active;
        private long _endMicroseconds;
        private bool _timed;
        private int _energyWattHours;
        private long _energyBaseWattHours;

        /// <summary>True while Boost runs.</summary>
        public bool Active => _active;

        /// <summary>True when this Boost ends after a duration.</summary>
        public bool Timed => _timed;

        /// <summary>True when this Boost ends after an energy amount.</summary>
        public bool EnergyLimited => _energyWattHours > 0;

        /// <summary>
        /// Starts (or restarts) Boost. <paramref name="durationSeconds"/> 0 = no time limit;
        /// <paramref name="energyWattHours"/> 0 = no energy limit; <paramref name="sessionWattHours"/>
        /// is the session's energy now (the amount counts from here).
        /// </summary>
        public void Start(long nowMicroseconds, int durationSeconds, int energyWattHours, long sessionWattHours)
        {
            _active = true;
            _timed = durationSeconds > 0;
            _endMicroseconds = nowMicroseconds + (durationSeconds * 1000000L);
            _energyWattHours = energyWattHours;
            _energyBaseWattHours = sessionWattHours;
        }

        /// <summary>Ends Boost.</summary>
        public void Stop()
        {
            _active = false;
        }

        /// <summary>Seconds left (rounded up), 0 when untimed or not active.</summary>
        public int RemainingSeconds(long nowMicroseconds)
        {
            if (!_active || !_timed)
            {
                return 0;
            }

            long left = _endMicroseconds - nowMicroseconds;
            return left <= 0 ? 0 : (int)((left + 999999) / 1000000);
        }

        /// <summary>Watt-hours left, 0 when not energy-limited or not active.</summary>
        public int RemainingWattHours(long sessionWattHours)
        {
            if (!_active || _energyWattHours <= 0)
            {
                return 0;
            }

            long left = _energyWattHours - (sessionWattHours - _energyBaseWattHours);
            return left <= 0 ? 0 : (int)left;
        }

        /// <summary>The reason Boost has run its course, or null while it has not (or is not active).</summary>
        public string Expired(long nowMicroseconds, long sessionWattHours)
        {
            if (!_active)
            {
                return null;
            }

            if (_timed && nowMicroseconds >= _endMicroseconds)
            {
                return SmartCharging.BoostEndedDuration;
            }

            if (_energyWattHours > 0 && sessionWattHours - _energyBaseWattHours >= _energyWattHours)
            {
                return SmartCharging.BoostEndedEnergy;
            }

            return null;
        }
    }
}
