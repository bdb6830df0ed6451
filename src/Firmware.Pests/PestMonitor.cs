using IndraSmartPro.Metering;

namespace IndraSmartPro.Pests
{
    /// <summary>
    /// The PEST trip rules, evaluated once per mains cycle on its true RMS values (docs/faults.md).
    /// Pure logic: it says which cause, if any, trips on this cycle and how long the supply has
    /// been healthy; <see cref="PestProtection"/> acts on it. Allocation-free.
    /// </summary>
    public sealed class PestMonitor
    {
        private readonly PestMode _mode;
        private readonly int _lowMillivolts;
        private readonly int _highMillivolts;
        private readonly ViolationIntegrator _lineNeutral = new ViolationIntegrator(PestLimits.BandTripMicroseconds);
        private readonly ViolationIntegrator _lineTtRef = new ViolationIntegrator(PestLimits.BandTripMicroseconds);
        private readonly ViolationIntegrator _cpc30 = new ViolationIntegrator(PestLimits.BandTripMicroseconds);
        private readonly ViolationIntegrator _cpc70 = new ViolationIntegrator(PestLimits.FastTripMicroseconds);
        private long _healthyMicroseconds;
        private bool _bootChecked;

        /// <summary>Creates the rules of one mode.</summary>
        public PestMonitor(PestMode mode)
        {
            _mode = mode;
            if (mode == PestMode.B)
            {
                _lowMillivolts = PestLimits.ModeBLowMillivolts;
                _highMillivolts = PestLimits.ModeBHighMillivolts;
            }
            else
            {
                _lowMillivolts = PestLimits.ModeALowMillivolts;
                _highMillivolts = PestLimits.ModeAHighMillivolts;
            }
        }

        /// <summary>The mode in force.</summary>
        public PestMode Mode => _mode;

        /// <summary>
        /// How long every monitored voltage has been in range without a single violating or unlocked
        /// cycle, microseconds (the sum of the lengths of the consecutive healthy cycles).
        /// </summary>
        public long HealthyMicroseconds => _healthyMicroseconds;

        /// <summary>True once the supply has been healthy for <see cref="PestLimits.BootCheckMicroseconds"/> since boot.</summary>
        public bool BootChecked => _bootChecked;

        /// <summary>The band integrators' sums, for tests and the service view: L-N.</summary>
        public ViolationIntegrator LineNeutralIntegrator => _lineNeutral;

        /// <summary>L-TTref integrator (mode A with electrode).</summary>
        public ViolationIntegrator LineTtRefIntegrator => _lineTtRef;

        /// <summary>CPC-TTref above 30 V integrator (mode A with electrode).</summary>
        public ViolationIntegrator CpcTtRef30Integrator => _cpc30;

        /// <summary>CPC-TTref at or above 70 V integrator (mode A with electrode).</summary>
        public ViolationIntegrator CpcTtRef70Integrator => _cpc70;

        /// <summary>True when L-N is inside the mode's band (limits themselves are inside).</summary>
        public bool LineNeutralInRange(int millivolts)
        {
            return millivolts >= _lowMillivolts && millivolts <= _highMillivolts;
        }

        /// <summary>
        /// Counts one cycle. Returns the cause that trips on it (<see cref="TripCauses"/>), or
        /// <see cref="TripCauses.None"/>. When several trip together the most urgent is returned:
        /// CPC-TTref ≥ 70 V, CPC-TTref > 30 V, L-N, electrode open, L-TTref.
        /// </summary>
        public int Evaluate(MainsCycle cycle)
        {
            int period = cycle.PeriodMicroseconds;
            bool lineNeutralBad = !LineNeutralInRange(cycle.LineNeutralMillivolts);
            bool lineTtRefBad = false;
            bool cpc30Bad = false;
            bool cpc70Bad = false;
            if (_mode == PestMode.AWithElectrode)
            {
                int ltt = cycle.LineTtRefMillivolts;
                lineTtRefBad = ltt < PestLimits.ModeALowMillivolts || ltt > PestLimits.ModeAHighMillivolts;
                cpc30Bad = cycle.CpcTtRefMillivolts > PestLimits.CpcTtRefMillivolts;
                cpc70Bad = cycle.CpcTtRefMillivolts >= PestLimits.CpcTtRefFastMillivolts;
            }

            bool lineNeutralTrip = _lineNeutral.Add(lineNeutralBad, period);
            bool lineTtRefTrip = _lineTtRef.Add(lineTtRefBad, period);
            bool cpc30Trip = _cpc30.Add(cpc30Bad, period);
            bool cpc70Trip = _cpc70.Add(cpc70Bad, period);

            bool healthy = cycle.LineLocked && !lineNeutralBad && !lineTtRefBad && !cpc30Bad;
            if (healthy)
            {
                _healthyMicroseconds += period;
                if (_healthyMicroseconds >= PestLimits.BootCheckMicroseconds)
                {
                    _bootChecked = true;
                }
            }
            else
            {
                _healthyMicroseconds = 0;
            }

            if (cpc70Trip)
            {
                return TripCauses.CpcTtRefOver70V;
            }

            if (cpc30Trip)
            {
                return TripCauses.CpcTtRefOver30V;
            }

            if (lineNeutralTrip)
            {
                return TripCauses.LineNeutralOutOfRange;
            }

            if (lineTtRefTrip)
            {
                return cycle.LineTtRefMillivolts < PestLimits.ElectrodeOpenMillivolts ? TripCauses.ElectrodeOpen : TripCauses.LineTtRefOutOfRange;
            }

            return TripCauses.None;
        }

        /// <summary>
        /// Forgets the healthy time: the supply was not observed (metering stalled), so closing and
        /// resetting wait for a fresh healthy period.
        /// </summary>
        public void ForgetHealthy()
        {
            _healthyMicroseconds = 0;
        }

        /// <summary>Starts every integrator from zero (after an accepted reset).</summary>
        public void ClearIntegrators()
        {
            _lineNeutral.Clear();
            _lineTtRef.Clear();
            _cpc30.Clear();
            _cpc70.Clear();
        }
    }
}
