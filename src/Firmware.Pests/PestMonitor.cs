using IndraSmartPro.Metering;

namespace IndraSmartPro.Pests
{
    /// <summary>
    /// The PEST trip rules, evaluated once per mains cycle on its true RMS values and on the true
    /// RMS over sliding windows of 200 ms and 1 s (docs/faults.md).
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

        // Windowed rules: the same thresholds on true RMS over 200 ms and 1 s sliding windows.
        private readonly RmsWindow _lineNeutralShort = new RmsWindow(PestLimits.ShortWindowMicroseconds, PestLimits.WindowCapacityCycles);
        private readonly RmsWindow _lineNeutralLong = new RmsWindow(PestLimits.LongWindowMicroseconds, PestLimits.WindowCapacityCycles);
        private readonly RmsWindow _lineTtRefShort = new RmsWindow(PestLimits.ShortWindowMicroseconds, PestLimits.WindowCapacityCycles);
        private readonly RmsWindow _lineTtRefLong = new RmsWindow(PestLimits.LongWindowMicroseconds, PestLimits.WindowCapacityCycles);
        private readonly RmsWindow _cpcShort = new RmsWindow(PestLimits.ShortWindowMicroseconds, PestLimits.WindowCapacityCycles);
        private readonly RmsWindow _cpcLong = new RmsWindow(PestLimits.LongWindowMicroseconds, PestLimits.WindowCapacityCycles);
        private readonly ViolationIntegrator _lineNeutralShortRule = new ViolationIntegrator(PestLimits.ShortWindowBandTripMicroseconds);
        private readonly ViolationIntegrator _lineNeutralLongRule = new ViolationIntegrator(PestLimits.LongWindowBandTripMicroseconds);
        private readonly ViolationIntegrator _lineTtRefShortRule = new ViolationIntegrator(PestLimits.ShortWindowBandTripMicroseconds);
        private readonly ViolationIntegrator _lineTtRefLongRule = new ViolationIntegrator(PestLimits.LongWindowBandTripMicroseconds);
        private readonly ViolationIntegrator _cpc30ShortRule = new ViolationIntegrator(PestLimits.ShortWindowBandTripMicroseconds);
        private readonly ViolationIntegrator _cpc30LongRule = new ViolationIntegrator(PestLimits.LongWindowBandTripMicroseconds);
        private readonly ViolationIntegrator _cpc70ShortRule = new ViolationIntegrator(PestLimits.ShortWindowFastTripMicroseconds);
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

            // Windowed rules: a fault that comes and goes drains the per-cycle integrators between
            // its bursts, but not its RMS over a window (docs/faults.md, "Windowed rules").
            _lineNeutralShort.Add(cycle.LineNeutralMillivolts, period);
            _lineNeutralLong.Add(cycle.LineNeutralMillivolts, period);
            bool lineNeutralShortBad = _lineNeutralShort.Below(_lowMillivolts) || _lineNeutralShort.Above(_highMillivolts);
            bool lineNeutralLongBad = _lineNeutralLong.Below(_lowMillivolts) || _lineNeutralLong.Above(_highMillivolts);
            lineNeutralTrip |= _lineNeutralShortRule.Add(lineNeutralShortBad, period);
            lineNeutralTrip |= _lineNeutralLongRule.Add(lineNeutralLongBad, period);
            if (_mode == PestMode.AWithElectrode)
            {
                _lineTtRefShort.Add(cycle.LineTtRefMillivolts, period);
                _lineTtRefLong.Add(cycle.LineTtRefMillivolts, period);
                _cpcShort.Add(cycle.CpcTtRefMillivolts, period);
                _cpcLong.Add(cycle.CpcTtRefMillivolts, period);
                bool lineTtRefShortBad = _lineTtRefShort.Below(PestLimits.ModeALowMillivolts) || _lineTtRefShort.Above(PestLimits.ModeAHighMillivolts);
                bool lineTtRefLongBad = _lineTtRefLong.Below(PestLimits.ModeALowMillivolts) || _lineTtRefLong.Above(PestLimits.ModeAHighMillivolts);
                bool cpc30ShortBad = _cpcShort.Above(PestLimits.CpcTtRefMillivolts);
                bool cpc30LongBad = _cpcLong.Above(PestLimits.CpcTtRefMillivolts);
                lineTtRefTrip |= _lineTtRefShortRule.Add(lineTtRefShortBad, period);
                lineTtRefTrip |= _lineTtRefLongRule.Add(lineTtRefLongBad, period);
                cpc30Trip |= _cpc30ShortRule.Add(cpc30ShortBad, period);
                cpc30Trip |= _cpc30LongRule.Add(cpc30LongBad, period);
                cpc70Trip |= _cpc70ShortRule.Add(_cpcShort.AtOrAbove(PestLimits.CpcTtRefFastMillivolts), period);
            }

            // The healthy time that closing and reset wait for stays per cycle (a windowed RMS lags
            // a dip by up to its window; every burst of a chattering fault already resets it).
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
            _lineNeutralShortRule.Clear();
            _lineNeutralLongRule.Clear();
            _lineTtRefShortRule.Clear();
            _lineTtRefLongRule.Clear();
            _cpc30ShortRule.Clear();
            _cpc30LongRule.Clear();
            _cpc70ShortRule.Clear();
        }

        /// <summary>True RMS of CPC-TTref over the last 1 s, millivolts (service view; takes a square root).</summary>
        public int CpcTtRefLongWindowMillivolts => _cpcLong.RmsMillivolts();

        /// <summary>True RMS of L-N over the last 1 s, millivolts (service view; takes a square root).</summary>
        public int LineNeutralLongWindowMillivolts => _lineNeutralLong.RmsMillivolts();
    }
}
