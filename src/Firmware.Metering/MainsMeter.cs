using System;
using IndraSmartPro.Board;

namespace IndraSmartPro.Metering
{
    /// <summary>
    /// Samples the five mains-frequency channels every <see cref="SamplePeriodMicroseconds"/> and
    /// closes a <see cref="MainsCycle"/> at each positive-going zero crossing of L-N.
    /// (First cut: to be replaced by the tracked, interpolating meter.)
    /// </summary>
    public sealed class MainsMeter
    {
        /// <summary>Sampling period of the mains channels: 1 kHz, 20 samples per 50 Hz cycle.</summary>
        public const int SamplePeriodMicroseconds = 1000;

        /// <summary>Channels the meter samples, in order.</summary>
        public const int MeteredChannelCount = 5;

        private const int MaxListeners = 4;
        private readonly IAnalogInputs _inputs;
        private readonly ChannelCalibration[] _calibration = new ChannelCalibration[MeteredChannelCount];
        private readonly IMainsCycleListener[] _listeners = new IMainsCycleListener[MaxListeners];
        private readonly MainsCycle _cycle = new MainsCycle();
        private readonly long[] _sumSquares = new long[MeteredChannelCount];
        private readonly int[] _biasPinMicrovolts = new int[MeteredChannelCount];
        private long _sumPower;
        private int _samples;
        private int _listenerCount;
        private int _previousLineNeutral;
        private long _cycleStartMicroseconds = -1;

        /// <summary>Creates a meter reading through the given front end.</summary>
        public MainsMeter(IAnalogInputs inputs)
        {
            _inputs = inputs;
            for (int i = 0; i < MeteredChannelCount; i++)
            {
                _calibration[i] = new ChannelCalibration();
                _biasPinMicrovolts[i] = FrontEnd.BiasPinMillivolts * 1000;
            }
        }

        /// <summary>The last completed cycle (same instance as passed to listeners).</summary>
        public MainsCycle LastCycle => _cycle;

        /// <summary>Calibration of a metered channel; change only off the hot path.</summary>
        public ChannelCalibration GetCalibration(AnalogChannel channel) => _calibration[(int)channel];

        /// <summary>Adds a listener for completed cycles.</summary>
        public void Subscribe(IMainsCycleListener listener)
        {
            if (_listenerCount == MaxListeners)
            {
                throw new InvalidOperationException("too many listeners");
            }

            _listeners[_listenerCount++] = listener;
        }

        /// <summary>Takes one sample of every metered channel. Call every <see cref="SamplePeriodMicroseconds"/>.</summary>
        public void Sample(long nowMicroseconds)
        {
            if (_cycleStartMicroseconds < 0)
            {
                _cycleStartMicroseconds = nowMicroseconds;
            }

            int lineNeutral = 0;
            for (int i = 0; i < MeteredChannelCount; i++)
            {
                int pinMicrovolts = _inputs.ReadPinMillivolts((AnalogChannel)i) * 1000;
                // DC bias: first-order tracker with a time constant of 1024 samples (~1 s).
                _biasPinMicrovolts[i] += (pinMicrovolts - _biasPinMicrovolts[i]) / 1024;
                int centered = pinMicrovolts - _biasPinMicrovolts[i];
                _sumSquares[i] += (long)centered * centered / 1000;
                if (i == 0)
                {
                    lineNeutral = centered;
                }
                else if (i == (int)AnalogChannel.EvCurrent)
                {
                    _sumPower += (long)lineNeutral * centered / 1000;
                }
            }

            _samples++;
            long elapsed = nowMicroseconds - _cycleStartMicroseconds;
            bool crossing = _previousLineNeutral < 0 && lineNeutral >= 0 && elapsed >= 15000;
            _previousLineNeutral = lineNeutral;
            if (crossing || elapsed >= 25000)
            {
                CloseCycle(nowMicroseconds, crossing);
            }
        }

        private void CloseCycle(long nowMicroseconds, bool locked)
        {
            MainsCycle c = _cycle;
            c.EndMicroseconds = nowMicroseconds;
            c.PeriodMicroseconds = (int)(nowMicroseconds - _cycleStartMicroseconds);
            c.LineLocked = locked;
            c.FrequencyMillihertz = locked && c.PeriodMicroseconds > 0 ? (int)(1000000000L / c.PeriodMicroseconds) : 0;
            c.SampleCount = _samples;
            c.LineNeutralMillivolts = Rms(0);
            c.LineTtRefMillivolts = Rms(1);
            c.CpcTtRefMillivolts = Rms(2);
            c.HouseMilliamps = Rms(3);
            c.EvMilliamps = Rms(4);
            long meanPowerPinSquared = _sumPower / _samples;
            c.EvMilliwatts = (int)(meanPowerPinSquared * FrontEnd.VoltageMicrovoltsPerPinMillivolt / 1000 * FrontEnd.EvCurrentMicroampsPerPinMillivolt / 1000000000L);
            for (int i = 0; i < MeteredChannelCount; i++)
            {
                _sumSquares[i] = 0;
            }

            _sumPower = 0;
            _samples = 0;
            _cycleStartMicroseconds = nowMicroseconds;
            for (int i = 0; i < _listenerCount; i++)
            {
                _listeners[i].OnMainsCycle(c);
            }
        }

        private int Rms(int channel)
        {
            // sum of squares is in pin µV²/1000 = pin mV² × 1000 -> mean square in pin mV² × 1000.
            long meanSquare = _sumSquares[channel] / _samples;
            long rmsPinMicrovoltsOver = IntegerMath.SquareRoot(meanSquare * 1000); // pin µV
            ChannelCalibration cal = _calibration[channel];
            long value = rmsPinMicrovoltsOver * FrontEnd.NominalMicroUnitsPerPinMillivolt((AnalogChannel)channel) / 1000000;
            value = value * cal.GainPartsPerMillion / 1000000 + cal.OffsetMilliUnits;
            return value < 0 ? 0 : (int)value;
        }
    }
}
