using System;
using IndraSmartPro.Board;
using IndraSmartPro.Persistence;

namespace IndraSmartPro.Metering
{
    /// <summary>
    /// Meters the five mains-frequency channels (L-N, L-TTref, CPC-TTref, CT clamp, EV current):
    /// one sample of each every <see cref="SamplePeriodMicroseconds"/>, and per mains cycle the
    /// true RMS of each with its DC bias removed, the EV's real power and the tracked frequency,
    /// handed to every <see cref="IMainsCycleListener"/> as one <see cref="MainsCycle"/>.
    /// </summary>
    /// <remarks>
    /// <para>Cycles run from one rising zero crossing of L-N to the next. The crossing instant is
    /// interpolated between the two samples that bracket it, and the sample step containing it
    /// is split there, so each cycle integrates exactly one period even though 1 kHz is not a
    /// multiple of the mains frequency (20.2 samples per cycle at 49.5 Hz). Normalising by a
    /// whole number of samples instead would err by up to 1/20 of a cycle, about 2.5 % of RMS.</para>
    /// <para>The integral is the trapezoid rule over the actual sample times. Between crossings
    /// that is a sum of samples (each weighs one period), so the per-sample work is a square and
    /// two additions per channel; the trapezoid's half weights at the ends, the split steps and
    /// any step not 1 ms long (a late or dropped run) are corrections, computed once per cycle or
    /// only when a step is irregular. The trapezoid rule over one period of a signal whose
    /// harmonics stay below half the sample rate is exact, which is why 1 kHz carries a 7th
    /// harmonic (350 Hz) with no RMS error of its own.</para>
    /// <para>When L-N has no crossings (collapsed supply, open neutral) cycles are closed by a
    /// timeout after 22.3 ms, then every tracked period (20 ms by default) with
    /// <see cref="MainsCycle.LineLocked"/> false, so per-cycle protection still runs.</para>
    /// <para>Fixed point: samples are centred pin millivolts in Q8 (×256), squares in Q16 mV²,
    /// integrals in Q16 mV²·µs. See docs/metering.md for the derivations and the CPU estimate.
    /// Nothing here allocates after construction.</para>
    /// </remarks>
    public sealed class MainsMeter
    {
        /// <summary>Sampling period of the mains channels: 1 kHz, 20 samples per 50 Hz cycle (docs/metering.md, "Rate").</summary>
        public const int SamplePeriodMicroseconds = 1000;

        /// <summary>Channels the meter samples: <see cref="AnalogChannel"/> 0..4, in that order.</summary>
        public const int MeteredChannelCount = 5;

        /// <summary>Shortest period reported as locked: 53 Hz (1 000 000 / 53 = 18 867.9 µs).</summary>
        public const int MinimumPeriodMicroseconds = 18868;

        /// <summary>Longest period reported as locked: 47 Hz (1 000 000 / 47 = 21 276.6 µs). EN 50160: 47..52 Hz rarely, 49.5..50.5 Hz normally (docs/domain.md, "Supply reality").</summary>
        public const int MaximumPeriodMicroseconds = 21277;

        /// <summary>Period assumed before any lock: 50 Hz.</summary>
        public const int NominalPeriodMicroseconds = 20000;

        /// <summary>
        /// A rising crossing closer than this to the previous one is ignored (three quarters of the
        /// shortest period), so noise or harmonics near zero cannot split a cycle.
        /// </summary>
        public const int CrossingHoldoffMicroseconds = 15000;

        /// <summary>
        /// L-N must swing this far below its bias (25 pin mV = 6.7 V line peak, about 20 noise σ)
        /// before a rising crossing counts, so a collapsed supply's noise makes no crossings.
        /// </summary>
        public const int ArmThresholdPinMillivolts = 25;

        /// <summary>A step between samples longer than this (the protection task was starved) restarts the cycle instead of integrating across the gap.</summary>
        public const int MaximumSampleGapMicroseconds = 5000;

        /// <summary>Number of locked periods the reported frequency is averaged over (160 ms at 50 Hz).</summary>
        public const int FrequencyAveragingCycles = 8;

        /// <summary>A locked period further than this from the running mean (±0.5 Hz at 50 Hz) is a real frequency step: the mean restarts.</summary>
        public const int PeriodStepMicroseconds = 200;

        /// <summary>
        /// A step further than this from the sample period (scheduler lateness, a skipped period)
        /// gets its trapezoid corrected to its actual length; smaller deviations (clock jitter)
        /// are ignored: 20 µs of lateness moves a cycle's RMS by well under 0.05 %.
        /// </summary>
        public const int StepToleranceMicroseconds = 20;

        /// <summary>A window shorter than this ended by the first crossing after a timeout is dropped (it would be a fragment); longer ones are reported unlocked.</summary>
        private const int MinimumPartialMicroseconds = 10000;

        /// <summary>Shortest window over which the native sampler's clock is compared with the CPU's (5 cycles).</summary>
        public const int RateWindowMicroseconds = 100000;

        /// <summary>A sample clock off the CPU's by more than this, percent, makes the front end untrusted (ESP32 APB or ADC clock misconfigured; the RMS itself would still be right, the frequency and every time would not).</summary>
        public const int RateDriftPercent = 5;

        /// <summary>Q8 scaling of centred samples: 1 pin mV = 256.</summary>
        private const int SampleShift = 8;

        /// <summary>Output scaling: rms Q8 pin mV × (µ-units per pin mV × gain ppm) / (256 × 1000 × 10⁶) = milli-units.</summary>
        private const long RmsDivisor = 256L * 1000L * 1000000L;

        private const int MaxListeners = 4;

        private readonly IAnalogInputs _inputs;
        private readonly IMainsSampler _sampler;
        private readonly MainsCycleSums _sums;
        private bool _rateAnchored;
        private bool _rateDrift;
        private long _rateAnchorNow;
        private long _rateAnchorEnd;
        private readonly ChannelCalibration[] _calibration = new ChannelCalibration[MeteredChannelCount];
        private readonly long[] _scale = new long[MeteredChannelCount];
        private readonly IMainsCycleListener[] _listeners = new IMainsCycleListener[MaxListeners];
        private readonly MainsCycle _cycle = new MainsCycle();
        private readonly byte[] _record = new byte[CalibrationRecord.Length];

        // Per-channel state, indexed by AnalogChannel. Integrals carry a factor 2 (trapezoid
        // halves) and are in Q16 mV²·µs (squares) or Q8 mV·µs (values).
        private readonly int[] _biasQ8 = new int[MeteredChannelCount];
        private int[] _sampleQ8 = new int[MeteredChannelCount];
        private int[] _previousQ8 = new int[MeteredChannelCount];
        private readonly int[] _crossingQ8 = new int[MeteredChannelCount];
        private readonly long[] _sumSquares = new long[MeteredChannelCount];
        private readonly long[] _sumValues = new long[MeteredChannelCount];
        private readonly long[] _edgeSquares = new long[MeteredChannelCount];
        private readonly long[] _edgeValues = new long[MeteredChannelCount];
        private readonly long[] _windowSquares = new long[MeteredChannelCount];
        private readonly long[] _windowValues = new long[MeteredChannelCount];
        private readonly long[] _lastRmsQ8 = new long[MeteredChannelCount];
        private readonly int[] _biasStepQ8 = new int[MeteredChannelCount];

        // Rising crossings of consecutive locked cycles, for the averaged frequency.
        private readonly long[] _crossings = new long[FrequencyAveragingCycles + 1];
        private int _crossingCount;
        private int _crossingNewest;

        private long _sumPower;
        private long _edgePower;
        private long _windowPower;

        // The same for the CT clamp's product with L-N (the house's real power, signed).
        private long _sumHousePower;
        private long _edgeHousePower;
        private long _windowHousePower;
        private long _voltsScale;
        private long _evAmpsScale;
        private long _houseAmpsScale;
        private int _listenerCount;
        private bool _havePrevious;
        private long _previousMicroseconds;
        private long _windowStartMicroseconds;
        private bool _windowStartsAtCrossing;
        private int _windowSamples;
        private bool _armed;
        private long _lastCrossingMicroseconds = long.MinValue / 2;
        private int _trackedPeriodMicroseconds = NominalPeriodMicroseconds;
        private int _sequence;
        private int _sampleGaps;
        private bool _cycleReady;

        /// <summary>
        /// Creates a meter that samples every channel itself through <paramref name="inputs"/>
        /// (the managed fallback for a board without a native sampler: 1 kHz, cycle mean removed,
        /// too slow for the ESP32 by docs/metering.md's cost model), with identity calibration.
        /// </summary>
        public MainsMeter(IAnalogInputs inputs)
        {
            if (inputs == null)
            {
                throw new ArgumentNullException("inputs");
            }

            _inputs = inputs;
            Initialise();
        }

        /// <summary>
        /// Creates a meter on the board's native sampler (the product path: the device's C core
        /// does the per-sample work; this meter turns each cycle's sums into a <see cref="MainsCycle"/>),
        /// with identity calibration.
        /// </summary>
        public MainsMeter(IMainsSampler sampler)
        {
            if (sampler == null)
            {
                throw new ArgumentNullException("sampler");
            }

            _sampler = sampler;
            _sums = new MainsCycleSums();
            Initialise();
        }

        private void Initialise()
        {
            for (int i = 0; i < MeteredChannelCount; i++)
            {
                _calibration[i] = new ChannelCalibration();
                _biasQ8[i] = FrontEnd.BiasPinMillivolts << SampleShift;
            }

            UpdateScales();
        }

        /// <summary>The last completed cycle (same instance as passed to listeners).</summary>
        public MainsCycle LastCycle => _cycle;

        /// <summary>Times a sampling gap longer than <see cref="MaximumSampleGapMicroseconds"/> restarted the cycle.</summary>
        public int SampleGaps => _sampleGaps;

        /// <summary>Calibration of a metered channel; changes (validated by <see cref="ChannelCalibration.TrySet"/>) take effect from the next cycle.</summary>
        public ChannelCalibration GetCalibration(AnalogChannel channel) => _calibration[(int)channel];

        /// <summary>The bias the meter currently removes from a channel, pin millivolts (tracks drift cycle by cycle).</summary>
        public int GetBiasPinMillivolts(AnalogChannel channel) => ((_sums != null ? _sums.BiasQ8[(int)channel] : _biasQ8[(int)channel]) + 128) >> SampleShift;

        /// <summary>
        /// Sets a channel's calibration if it is valid (gain 900 000..1 100 000 ppm, |offset| ≤ 5 000
        /// milli-units); returns false and changes nothing otherwise. Takes effect from the next cycle.
        /// Not persisted until <see cref="SaveCalibration"/>.
        /// </summary>
        public bool TrySetCalibration(AnalogChannel channel, int gainPartsPerMillion, int offsetMilliUnits)
        {
            int index = (int)channel;
            if (index < 0 || index >= MeteredChannelCount)
            {
                return false;
            }

            return _calibration[index].TrySet(gainPartsPerMillion, offsetMilliUnits);
        }

        /// <summary>
        /// Loads the calibration record from <paramref name="store"/>. Anything but a complete,
        /// valid record leaves every channel at identity. Off the hot path (reads flash).
        /// </summary>
        public CalibrationRecordStatus LoadCalibration(IStore store)
        {
            for (int i = 0; i < MeteredChannelCount; i++)
            {
                _calibration[i].Reset();
            }

            CalibrationRecordStatus status;
            int length;
            if (!store.TryRead(CalibrationRecord.StoreKey, _record, out length))
            {
                status = CalibrationRecordStatus.Missing;
            }
            else
            {
                status = CalibrationRecord.Parse(_record, length, _calibration);
            }

            UpdateScales();
            return status;
        }

        /// <summary>Writes the calibration in force to <paramref name="store"/>. Off the hot path (writes flash).</summary>
        public void SaveCalibration(IStore store)
        {
            CalibrationRecord.Format(_calibration, _record);
            store.Write(CalibrationRecord.StoreKey, _record, CalibrationRecord.Length);
        }

        /// <summary>Adds a listener for completed cycles (at most 4).</summary>
        public void Subscribe(IMainsCycleListener listener)
        {
            if (listener == null)
            {
                throw new ArgumentNullException("listener");
            }

            if (_listenerCount == MaxListeners)
            {
                throw new InvalidOperationException("too many listeners");
            }

            _listeners[_listenerCount++] = listener;
        }

        /// <summary>
        /// Takes one sample of every metered channel and, when it completes a cycle, reports the
        /// cycle to the listeners before returning. Call every <see cref="SamplePeriodMicroseconds"/>
        /// from the protection task.
        /// </summary>
        /// <param name="nowMicroseconds">Clock time of this sample, microseconds.</param>
        public void Sample(long nowMicroseconds)
        {
            if (_sampler != null)
            {
                ReadNativeCycles(nowMicroseconds);
                return;
            }

            for (int i = 0; i < MeteredChannelCount; i++)
            {
                // Centre on the tracked bias: Q8 pin mV, |c| ≤ 3300 × 256 = 844 800, c² ≤ 7.2e11.
                _sampleQ8[i] = (_inputs.ReadPinMillivolts((AnalogChannel)i) << SampleShift) - _biasQ8[i];
            }

            long step = nowMicroseconds - _previousMicroseconds;
            if (!_havePrevious || step <= 0 || step > MaximumSampleGapMicroseconds)
            {
                if (_havePrevious)
                {
                    _sampleGaps++;
                }

                _havePrevious = true;
                RestartWindow(nowMicroseconds, false);
                _crossingCount = 0;
                _armed = false;
                Accumulate();
                _previousMicroseconds = nowMicroseconds;

                // The window starts on this sample: it gets only the half-step after it.
                StartWindowOnPrevious(-1);
                return;
            }

            int lineNow = _sampleQ8[(int)AnalogChannel.LineNeutral];
            int lineBefore = _previousQ8[(int)AnalogChannel.LineNeutral];
            if (lineNow < -(ArmThresholdPinMillivolts << SampleShift))
            {
                _armed = true;
            }

            bool crossing = _armed && lineBefore < 0 && lineNow >= 0
                && nowMicroseconds - _lastCrossingMicroseconds >= CrossingHoldoffMicroseconds;
            if (crossing)
            {
                CloseAtCrossing(step, IntegerMath.RisingZeroCrossingQ16(lineBefore, lineNow));
            }

            else if (step > SamplePeriodMicroseconds + StepToleranceMicroseconds || step < SamplePeriodMicroseconds - StepToleranceMicroseconds)
            {
                CorrectStep(step);
            }

            Accumulate();
            _previousMicroseconds = nowMicroseconds;

            if (!crossing)
            {
                long elapsed = nowMicroseconds - _windowStartMicroseconds;
                bool timedOut = _windowStartsAtCrossing
                    ? elapsed > MaximumPeriodMicroseconds + SamplePeriodMicroseconds
                    : elapsed >= _trackedPeriodMicroseconds - (SamplePeriodMicroseconds / 2);
                if (timedOut)
                {
                    // The window ends on this sample (now the previous one): the sum counts its
                    // half-step after it, which belongs to the next window.
                    int[] last = _previousQ8;
                    for (int i = 0; i < MeteredChannelCount; i++)
                    {
                        long c = last[i];
                        _windowSquares[i] = (2L * SamplePeriodMicroseconds * _sumSquares[i]) + _edgeSquares[i] - (c * c * SamplePeriodMicroseconds);
                        _windowValues[i] = (2L * SamplePeriodMicroseconds * _sumValues[i]) + _edgeValues[i] - (c * SamplePeriodMicroseconds);
                    }

                    long lastPower = (long)last[(int)AnalogChannel.LineNeutral] * last[(int)AnalogChannel.EvCurrent];
                    _windowPower = (2L * SamplePeriodMicroseconds * _sumPower) + _edgePower - (lastPower * SamplePeriodMicroseconds);
                    long lastHouse = (long)last[(int)AnalogChannel.LineNeutral] * last[(int)AnalogChannel.CtClamp];
                    _windowHousePower = (2L * SamplePeriodMicroseconds * _sumHousePower) + _edgeHousePower - (lastHouse * SamplePeriodMicroseconds);
                    ComputeCycle(nowMicroseconds, elapsed, elapsed, false);
                    _crossingCount = 0;
                    RestartWindow(nowMicroseconds, false);

                    // This sample moves onto the new bias and gives the new window its half-step.
                    for (int i = 0; i < MeteredChannelCount; i++)
                    {
                        last[i] -= _biasStepQ8[i];
                    }

                    ApplyBiasSteps();
                    StartWindowOnPrevious(1);
                }
            }

            if (_cycleReady)
            {
                _cycleReady = false;
                for (int i = 0; i < _listenerCount; i++)
                {
                    _listeners[i].OnMainsCycle(_cycle);
                }
            }
        }

        /// <summary>
        /// Adds the current sample to the window's sums and makes it the previous one by swapping
        /// the two sample arrays (no copy on the hot path). Each sample weighs one period here;
        /// steps of another length are corrected by <see cref="CorrectStep"/>.
        /// </summary>
        private void Accumulate()
        {
            int[] sample = _sampleQ8;
            for (int i = 0; i < MeteredChannelCount; i++)
            {
                int c = sample[i];
                _sumSquares[i] += (long)c * c;
                _sumValues[i] += c;
            }

            _sumPower += (long)sample[(int)AnalogChannel.LineNeutral] * sample[(int)AnalogChannel.EvCurrent];
            _sumHousePower += (long)sample[(int)AnalogChannel.LineNeutral] * sample[(int)AnalogChannel.CtClamp];
            _sampleQ8 = _previousQ8;
            _previousQ8 = sample;
            _windowSamples++;
        }

        /// <summary>
        /// The step from the previous sample to this one lasted <paramref name="step"/> µs, not one
        /// period: its trapezoid (a² + b²)·step/2 was counted as (a² + b²)·Δ/2 by the sums, so add
        /// (a² + b²)·(step − Δ) to the window's corrections (×2 form). A late sample is thereby
        /// weighted by the time it really covers, and a run that skipped periods bridges them.
        /// </summary>
        private void CorrectStep(long step)
        {
            long extra = step - SamplePeriodMicroseconds;
            for (int i = 0; i < MeteredChannelCount; i++)
            {
                long a = _previousQ8[i];
                long b = _sampleQ8[i];
                _edgeSquares[i] += ((a * a) + (b * b)) * extra;
                _edgeValues[i] += (a + b) * extra;
            }

            int line = (int)AnalogChannel.LineNeutral;
            int ev = (int)AnalogChannel.EvCurrent;
            _edgePower += (((long)_previousQ8[line] * _previousQ8[ev]) + ((long)_sampleQ8[line] * _sampleQ8[ev])) * extra;
            int ct = (int)AnalogChannel.CtClamp;
            _edgeHousePower += (((long)_previousQ8[line] * _previousQ8[ct]) + ((long)_sampleQ8[line] * _sampleQ8[ct])) * extra;
        }

        /// <summary>
        /// A window that starts on a sample (not a crossing) owns only the half-step after it:
        /// <paramref name="sign"/> −1 when the sample is in the window's sums (remove the half
        /// before it), +1 when it is not (add the half after it).
        /// </summary>
        private void StartWindowOnPrevious(int sign)
        {
            int[] first = _previousQ8;
            for (int i = 0; i < MeteredChannelCount; i++)
            {
                long c = first[i];
                _edgeSquares[i] = sign * c * c * SamplePeriodMicroseconds;
                _edgeValues[i] = sign * c * SamplePeriodMicroseconds;
            }

            _edgePower = sign * (long)first[(int)AnalogChannel.LineNeutral] * first[(int)AnalogChannel.EvCurrent] * SamplePeriodMicroseconds;
            _edgeHousePower = sign * (long)first[(int)AnalogChannel.LineNeutral] * first[(int)AnalogChannel.CtClamp] * SamplePeriodMicroseconds;
        }

        /// <summary>
        /// The step from the previous sample to this one contains the rising crossing of L-N, at
        /// <paramref name="fractionQ16"/> of the step: close the cycle at the interpolated instant
        /// and open the next one there. Runs before this sample is accumulated.
        /// </summary>
        /// <remarks>
        /// With Δ the sample period, a the last sample of the old window, b this sample (the first
        /// of the new one), x each channel's value interpolated at the crossing and Δ₁ = f·step,
        /// Δ₂ = step − Δ₁, the trapezoid integral of a window whose samples sum to S is
        /// 2∫ = 2Δ·S + head + tail, where the corrections replace the half-steps at the ends:
        /// tail = (a² + x²)·Δ₁ − a²·Δ and head = (x² + b²)·Δ₂ − b²·Δ (the same with x, a, b for ∫c,
        /// and with products v·i for the power).
        /// </remarks>
        private void CloseAtCrossing(long step, int fractionQ16)
        {
            // Split of the actual step at the crossing.
            long before = ((step * fractionQ16) + (IntegerMath.OneQ16 / 2)) >> 16;
            long after = step - before;
            long crossingMicroseconds = _previousMicroseconds + before;

            for (int i = 0; i < MeteredChannelCount; i++)
            {
                // L-N is ~0 at the crossing by definition; the other channels need not be.
                long a = _previousQ8[i];
                long x = IntegerMath.InterpolateQ16(_previousQ8[i], _sampleQ8[i], fractionQ16);
                _crossingQ8[i] = (int)x;
                _windowSquares[i] = (2L * SamplePeriodMicroseconds * _sumSquares[i]) + _edgeSquares[i]
                    + (((a * a) + (x * x)) * before) - (a * a * SamplePeriodMicroseconds);
                _windowValues[i] = (2L * SamplePeriodMicroseconds * _sumValues[i]) + _edgeValues[i]
                    + ((a + x) * before) - (a * SamplePeriodMicroseconds);
            }

            int line = (int)AnalogChannel.LineNeutral;
            int ev = (int)AnalogChannel.EvCurrent;
            long powerBefore = (long)_previousQ8[line] * _previousQ8[ev];
            long powerAt = (long)_crossingQ8[line] * _crossingQ8[ev];
            _windowPower = (2L * SamplePeriodMicroseconds * _sumPower) + _edgePower
                + ((powerBefore + powerAt) * before) - (powerBefore * SamplePeriodMicroseconds);
            int ct = (int)AnalogChannel.CtClamp;
            long houseBefore = (long)_previousQ8[line] * _previousQ8[ct];
            long houseAt = (long)_crossingQ8[line] * _crossingQ8[ct];
            _windowHousePower = (2L * SamplePeriodMicroseconds * _sumHousePower) + _edgeHousePower
                + ((houseBefore + houseAt) * before) - (houseBefore * SamplePeriodMicroseconds);

            long period = crossingMicroseconds - _windowStartMicroseconds;
            if (_windowStartsAtCrossing)
            {
                bool inRange = period >= MinimumPeriodMicroseconds && period <= MaximumPeriodMicroseconds;
                long normalising = TrackCrossing(crossingMicroseconds, period, inRange);
                ComputeCycle(crossingMicroseconds, period, normalising, inRange);
            }
            else
            {
                TrackCrossing(crossingMicroseconds, period, false);
                if (period >= MinimumPartialMicroseconds)
                {
                    ComputeCycle(crossingMicroseconds, period, period, false);
                }
            }

            _armed = false;
            _lastCrossingMicroseconds = crossingMicroseconds;
            RestartWindow(crossingMicroseconds, true);

            // The new window starts on the new bias: move this sample and the crossing values onto
            // it first, then its head is the part of the step after the crossing.
            for (int i = 0; i < MeteredChannelCount; i++)
            {
                int stepQ8 = _biasStepQ8[i];
                long x = _crossingQ8[i] - stepQ8;
                long b = _sampleQ8[i] - stepQ8;
                _sampleQ8[i] = (int)b;
                _crossingQ8[i] = (int)x;
                _edgeSquares[i] = (((x * x) + (b * b)) * after) - (b * b * SamplePeriodMicroseconds);
                _edgeValues[i] = ((x + b) * after) - (b * SamplePeriodMicroseconds);
            }

            long powerAfter = (long)_sampleQ8[line] * _sampleQ8[ev];
            long powerAtNew = (long)_crossingQ8[line] * _crossingQ8[ev];
            _edgePower = ((powerAtNew + powerAfter) * after) - (powerAfter * SamplePeriodMicroseconds);
            long houseAfter = (long)_sampleQ8[line] * _sampleQ8[ct];
            long houseAtNew = (long)_crossingQ8[line] * _crossingQ8[ct];
            _edgeHousePower = ((houseAtNew + houseAfter) * after) - (houseAfter * SamplePeriodMicroseconds);
            ApplyBiasSteps();
        }

        /// <summary>Moves each channel's tracked bias by the step the last cycle computed.</summary>
        private void ApplyBiasSteps()
        {
            for (int i = 0; i < MeteredChannelCount; i++)
            {
                _biasQ8[i] += _biasStepQ8[i];
                _biasStepQ8[i] = 0;
            }
        }

        /// <summary>
        /// Records a crossing and returns the period to normalise this cycle's integrals by: the
        /// mean of up to <see cref="FrequencyAveragingCycles"/> consecutive locked periods.
        /// </summary>
        /// <remarks>
        /// Why not the cycle's own period: each interpolated crossing is off by some δ (noise, and
        /// the waveform's curvature between samples when harmonics are present) that changes from
        /// cycle to cycle as the sampling phase slides. The window then spans P + δ₁ − δ₀; the
        /// extra or missing sliver lies at the crossing where L-N is ~0, so the integral barely
        /// changes, but dividing by P + δ₁ − δ₀ would err by (δ₁ − δ₀)/P (0.35 % of RMS measured
        /// with 8 % 7th harmonic). The mean of N periods is (t_N − t_0)/N, whose error is
        /// (δ_N − δ_0)/N. A period more than <see cref="PeriodStepMicroseconds"/> from the mean is
        /// a real frequency change: averaging restarts so the mean never lags a step.
        /// </remarks>
        private long TrackCrossing(long crossingMicroseconds, long periodMicroseconds, bool lockedPeriod)
        {
            if (!lockedPeriod)
            {
                _crossingCount = 0;
            }
            else if (_crossingCount >= 2)
            {
                long mean = MeanTrackedPeriod();
                long difference = periodMicroseconds - mean;
                if (difference > PeriodStepMicroseconds || difference < -PeriodStepMicroseconds)
                {
                    // Keep only the crossing that starts this period.
                    _crossingCount = 1;
                }
            }

            _crossingNewest = (_crossingNewest + 1) % _crossings.Length;
            _crossings[_crossingNewest] = crossingMicroseconds;
            if (_crossingCount < _crossings.Length)
            {
                _crossingCount++;
            }

            return _crossingCount >= 2 ? MeanTrackedPeriod() : periodMicroseconds;
        }

        private long MeanTrackedPeriod()
        {
            int oldest = (_crossingNewest - _crossingCount + 1 + _crossings.Length) % _crossings.Length;
            return IntegerMath.DivideRounded(_crossings[_crossingNewest] - _crossings[oldest], _crossingCount - 1);
        }

        /// <summary>Fills <see cref="_cycle"/> from the window's integrals and updates the bias trackers.</summary>
        /// <param name="endMicroseconds">End of the window.</param>
        /// <param name="periodMicroseconds">Length of the window as measured.</param>
        /// <param name="normalisingMicroseconds">The period the integrals are divided by (see <see cref="TrackCrossing"/>).</param>
        /// <param name="locked">Whether the window is a locked cycle.</param>
        private void ComputeCycle(long endMicroseconds, long periodMicroseconds, long normalisingMicroseconds, bool locked)
        {
            MainsCycle c = _cycle;
            UpdateScales();
            long twicePeriod = 2 * normalisingMicroseconds;
            long meanLineQ8 = 0;
            long meanEvQ8 = 0;
            long meanHouseQ8 = 0;
            for (int i = 0; i < MeteredChannelCount; i++)
            {
                // Mean (the residual DC after the tracked bias) and mean square over exactly the
                // window: integrals carry a factor 2 from the trapezoid rule, hence 2·P.
                long meanQ8 = IntegerMath.DivideRounded(_windowValues[i], twicePeriod);
                long meanSquareQ16 = (_windowSquares[i] / twicePeriod) - (meanQ8 * meanQ8);

                // Newton from last cycle's value: two or three divisions instead of 32 bit steps.
                long rmsQ8 = IntegerMath.SquareRoot(meanSquareQ16, _lastRmsQ8[i]);
                _lastRmsQ8[i] = rmsQ8;

                SetChannel(c, i, ScaleRms(i, rmsQ8));
                if (i == (int)AnalogChannel.LineNeutral)
                {
                    meanLineQ8 = meanQ8;
                }
                else if (i == (int)AnalogChannel.CtClamp)
                {
                    meanHouseQ8 = meanQ8;
                }
                else if (i == (int)AnalogChannel.EvCurrent)
                {
                    meanEvQ8 = meanQ8;
                }

                // Bias drift: move the tracked bias a quarter of the way to this cycle's mean
                // (time constant ~4 cycles), applied by the caller once the window is closed.
                // The RMS above already removed this cycle's own mean, so the tracker only keeps
                // samples centred for crossing detection and for headroom in the sums.
                _biasStepQ8[i] = (int)(meanQ8 / 4);
            }

            // Real power = mean(v·i) − mean(v)·mean(i), in Q16 pin mV². To milliwatts:
            // P[mW] = m × (µV/pin mV) × (µA/pin mV) / (65 536 × 10⁹), done in two steps so every
            // product stays below 2^63: m ≤ 7.2e11, × 3.6e5 ≤ 2.6e17; / 65 536 ≤ 4.0e12, × 4.4e4 ≤ 1.8e17.
            // The CT's K_I (1.1e5 with gain) keeps the second product ≤ 4.4e17.
            long meanPowerQ16 = (_windowPower / twicePeriod) - (meanLineQ8 * meanEvQ8);
            c.EvMilliwatts = ToMilliwatts(meanPowerQ16, _voltsScale, _evAmpsScale);
            long meanHousePowerQ16 = (_windowHousePower / twicePeriod) - (meanLineQ8 * meanHouseQ8);
            c.HouseMilliwatts = ToMilliwatts(meanHousePowerQ16, _voltsScale, _houseAmpsScale);

            c.EndMicroseconds = endMicroseconds;
            c.PeriodMicroseconds = (int)periodMicroseconds;
            c.LineLocked = locked;
            c.SampleCount = _windowSamples;
            c.FrequencyMillihertz = 0;
            if (locked && _crossingCount >= 2)
            {
                // f[mHz] = periods × 10⁹ / span[µs], over the same crossings as the normalising period.
                int oldest = (_crossingNewest - _crossingCount + 1 + _crossings.Length) % _crossings.Length;
                long span = _crossings[_crossingNewest] - _crossings[oldest];
                c.FrequencyMillihertz = (int)IntegerMath.DivideRounded((_crossingCount - 1) * 1000000000L, span);
                _trackedPeriodMicroseconds = (int)normalisingMicroseconds;
            }

            _sequence = _sequence == int.MaxValue ? 1 : _sequence + 1;
            c.Sequence = _sequence;
            _cycleReady = true;
        }

        /// <summary>
        /// Reads every cycle the native sampler has closed since the last call and reports each:
        /// per cycle a square root, a scaling and the calibration per channel, and two products.
        /// </summary>
        private void ReadNativeCycles(long nowMicroseconds)
        {
            MainsCycleSums sums = _sums;
            while (_sampler.TryReadCycle(sums))
            {
                MainsCycle c = _cycle;
                UpdateScales();
                for (int i = 0; i < MeteredChannelCount; i++)
                {
                    long rmsQ8 = IntegerMath.SquareRoot(sums.MeanSquareQ16[i], _lastRmsQ8[i]);
                    _lastRmsQ8[i] = rmsQ8;
                    SetChannel(c, i, ScaleRms(i, rmsQ8));
                }

                // The sums' products already include any DC (true real power).
                c.EvMilliwatts = ToMilliwatts(sums.EvPowerQ16, _voltsScale, _evAmpsScale);
                c.HouseMilliwatts = ToMilliwatts(sums.HousePowerQ16, _voltsScale, _houseAmpsScale);
                c.EndMicroseconds = sums.EndMicroseconds;
                c.PeriodMicroseconds = sums.PeriodMicroseconds;
                c.LineLocked = sums.Locked;
                c.SampleCount = sums.SampleCount;
                c.FrequencyMillihertz = sums.FrequencyMillihertz;
                c.FrontEndFlags = sums.Flags | CheckRate(sums.EndMicroseconds, nowMicroseconds);
                _sequence = _sequence == int.MaxValue ? 1 : _sequence + 1;
                c.Sequence = _sequence;
                for (int l = 0; l < _listenerCount; l++)
                {
                    _listeners[l].OnMainsCycle(c);
                }
            }
        }

        /// <summary>
        /// Compares the sample clock (the records' end times) with the CPU's clock over windows of
        /// at least <see cref="RateWindowMicroseconds"/>: a converter clock off by more than
        /// <see cref="RateDriftPercent"/> % flags every record until a window agrees again. Records
        /// are polled every 1 ms, so one window's reading is good to about 2 ms in 100.
        /// </summary>
        private int CheckRate(long endMicroseconds, long nowMicroseconds)
        {
            if (!_rateAnchored || nowMicroseconds - _rateAnchorNow > 4 * RateWindowMicroseconds)
            {
                _rateAnchored = true;
                _rateAnchorNow = nowMicroseconds;
                _rateAnchorEnd = endMicroseconds;
                return _rateDrift ? MainsCycle.RateDriftFlag : 0;
            }

            long elapsedNow = nowMicroseconds - _rateAnchorNow;
            if (elapsedNow >= RateWindowMicroseconds)
            {
                long difference = (endMicroseconds - _rateAnchorEnd) - elapsedNow;
                if (difference < 0)
                {
                    difference = -difference;
                }

                _rateDrift = difference * 100 > elapsedNow * RateDriftPercent;
                _rateAnchorNow = nowMicroseconds;
                _rateAnchorEnd = endMicroseconds;
            }

            return _rateDrift ? MainsCycle.RateDriftFlag : 0;
        }

        /// <summary>A channel's RMS (Q8 pin mV) in calibrated milli-units.</summary>
        private int ScaleRms(int i, long rmsQ8)
        {
            // milli-units = rms pin mV × µ-units/pin mV / 1000 × gain / 10⁶, one rounded division:
            // rmsQ8 ≤ 844 800, scale ≤ 320 000 × 1 100 000, product ≤ 3.0e17 < 9.2e18.
            long value = ((rmsQ8 * _scale[i]) + (RmsDivisor / 2)) / RmsDivisor;

            // The offset acts in quadrature: √(rms² + offset·|offset|). Uncorrelated noise adds
            // power, not amplitude, so a negative offset removes a channel's noise floor (0.5 V
            // on a voltage channel at 2 LSB of noise) without biasing readings well above it.
            // value ≤ 1.5e6 milli-units at full scale, so value² ≤ 2.3e12.
            int offset = _calibration[i].OffsetMilliUnits;
            if (offset != 0)
            {
                long power = (value * value) + ((long)offset * (offset < 0 ? -offset : offset));
                value = IntegerMath.SquareRoot(power);
            }

            return value > int.MaxValue ? int.MaxValue : (int)value;
        }

        private static void SetChannel(MainsCycle c, int i, int result)
        {
            switch (i)
            {
                case (int)AnalogChannel.LineNeutral:
                    c.LineNeutralMillivolts = result;
                    break;
                case (int)AnalogChannel.LineTtRef:
                    c.LineTtRefMillivolts = result;
                    break;
                case (int)AnalogChannel.CpcTtRef:
                    c.CpcTtRefMillivolts = result;
                    break;
                case (int)AnalogChannel.CtClamp:
                    c.HouseMilliamps = result;
                    break;
                default:
                    c.EvMilliamps = result;
                    break;
            }
        }

        /// <summary>
        /// Mean product of two centred channels (Q16 pin mV²) to milliwatts, saturating to int:
        /// mW = m × K_V × K_I / (65 536 × 10⁹) with K in µV or µA per pin mV including gain.
        /// </summary>
        internal static int ToMilliwatts(long meanProductQ16, long voltsScale, long ampsScale)
        {
            long milliwatts = IntegerMath.DivideRounded(meanProductQ16 * voltsScale, 65536) * ampsScale;
            milliwatts = IntegerMath.DivideRounded(milliwatts, 1000000000L);
            return milliwatts > int.MaxValue ? int.MaxValue : (milliwatts < int.MinValue ? int.MinValue : (int)milliwatts);
        }

        private void RestartWindow(long startMicroseconds, bool atCrossing)
        {
            _windowStartMicroseconds = startMicroseconds;
            _windowStartsAtCrossing = atCrossing;
            _windowSamples = 0;
            for (int i = 0; i < MeteredChannelCount; i++)
            {
                _sumSquares[i] = 0;
                _sumValues[i] = 0;
                _edgeSquares[i] = 0;
                _edgeValues[i] = 0;
            }

            _sumPower = 0;
            _edgePower = 0;
            _sumHousePower = 0;
            _edgeHousePower = 0;
        }

        /// <summary>Per-cycle, not per-sample: 5 multiplies and 2 divides, and calibration changes need no notification.</summary>
        private void UpdateScales()
        {
            for (int i = 0; i < MeteredChannelCount; i++)
            {
                _scale[i] = (long)FrontEnd.NominalMicroUnitsPerPinMillivolt((AnalogChannel)i) * _calibration[i].GainPartsPerMillion;
            }

            // Calibrated µV and µA per pin mV for the power product.
            _voltsScale = IntegerMath.DivideRounded(_scale[(int)AnalogChannel.LineNeutral], 1000000);
            _evAmpsScale = IntegerMath.DivideRounded(_scale[(int)AnalogChannel.EvCurrent], 1000000);
            _houseAmpsScale = IntegerMath.DivideRounded(_scale[(int)AnalogChannel.CtClamp], 1000000);
        }
    }
}
