using IndraSmartPro.Board;
using IndraSmartPro.Metering;

namespace IndraSmartPro.ControlPilot
{
    /// <summary>
    /// First half of the pilot's first level: reads the pilot feedback once per run and keeps
    /// the highest (the high level) and lowest (the low level) reading over a window.
    /// <para>
    /// Why this works without synchronising to the PWM: the task runs every
    /// <see cref="SamplePeriodMicroseconds"/> = 1037 µs, so each sample lands 37 µs later in the
    /// 1 ms PWM period than the one before. 28 consecutive samples fall at phases 37 µs apart
    /// covering the whole period (28 × 37 = 1036 ≥ 1000), so any 37 µs of the period holds a
    /// sample. A window of <see cref="WindowSamples"/> = 28 samples (29.0 ms) therefore sees
    /// the 10 % duty high phase (100 µs, 6 A) at least twice and the shortest low phase the
    /// firmware can output (96 %, 40 µs) at least once. On the device, scheduler jitter only
    /// spreads the phases further.
    /// </para>
    /// <para>
    /// A window restarts whenever the pilot output changes mode (steady +12 V, steady −12 V,
    /// PWM), so no window mixes two outputs; the low level counts as the diode's negative half
    /// only when PWM ran for the whole window.
    /// </para>
    /// </summary>
    public sealed class PilotSampler
    {
        /// <summary>Task period, microseconds: deliberately not a multiple of the 1000 µs PWM period.</summary>
        public const int SamplePeriodMicroseconds = 1037;

        /// <summary>
        /// Samples per window (29.0 ms): the fewest that cover the whole PWM period, so that with
        /// two windows of debounce a change is confirmed well inside the 100 ms opening deadline
        /// (worst case about 26 ms until the next high-phase sample at 10 % duty + 2 × 29 ms).
        /// </summary>
        public const int WindowSamples = 28;

        private readonly IAnalogInputs _inputs;
        private int _count;
        private int _maxPinMillivolts;
        private int _minPinMillivolts;
        private int _windowEpoch = -1;
        private bool _windowPwm;
        private int _highMillivolts;
        private int _lowMillivolts;
        private bool _lowValid;

        /// <summary>Creates a sampler on the board's analogue inputs.</summary>
        public PilotSampler(IAnalogInputs inputs)
        {
            _inputs = inputs;
        }

        /// <summary>High level of the last completed window, pilot millivolts.</summary>
        public int HighMillivolts => _highMillivolts;

        /// <summary>Low level of the last completed window, pilot millivolts.</summary>
        public int LowMillivolts => _lowMillivolts;

        /// <summary>True when PWM ran for the whole last window (its low level is the negative half).</summary>
        public bool LowValid => _lowValid;

        /// <summary>
        /// Pilot volts from the feedback pin: the front end maps ±13 V to ±1500 mV around the
        /// 1650 mV bias, so pilot mV = (pin mV − 1650) × <see cref="FrontEnd.PilotMicrovoltsPerPinMillivolt"/> / 1000.
        /// </summary>
        public static int PilotMillivoltsFromPin(int pinMillivolts)
        {
            return (pinMillivolts - FrontEnd.BiasPinMillivolts) * FrontEnd.PilotMicrovoltsPerPinMillivolt / 1000;
        }

        /// <summary>
        /// Takes one sample. <paramref name="outputEpoch"/> changes whenever the output changes
        /// mode; <paramref name="pwmRunning"/> says whether PWM is on. Returns true when a window
        /// completed (read <see cref="HighMillivolts"/>, <see cref="LowMillivolts"/>, <see cref="LowValid"/>).
        /// </summary>
        public bool Sample(int outputEpoch, bool pwmRunning)
        {
            if (outputEpoch != _windowEpoch)
            {
                _windowEpoch = outputEpoch;
                _windowPwm = pwmRunning;
                _count = 0;
            }

            int pin = _inputs.ReadPinMillivolts(AnalogChannel.PilotFeedback);
            if (_count == 0)
            {
                _maxPinMillivolts = pin;
                _minPinMillivolts = pin;
            }
            else
            {
                if (pin > _maxPinMillivolts)
                {
                    _maxPinMillivolts = pin;
                }

                if (pin < _minPinMillivolts)
                {
                    _minPinMillivolts = pin;
                }
            }

            _count++;
            if (_count < WindowSamples)
            {
                return false;
            }

            _highMillivolts = PilotMillivoltsFromPin(_maxPinMillivolts);
            _lowMillivolts = PilotMillivoltsFromPin(_minPinMillivolts);
            _lowValid = _windowPwm;
            _count = 0;
            return true;
        }
    }
}
