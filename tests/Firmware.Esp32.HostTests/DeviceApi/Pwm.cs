using IndraSmartPro.Esp32.HostTests.DeviceApi;

// Stand-in of nanoFramework.System.Device.Pwm 1.1 (the members the binding uses, same signatures).
namespace System.Device.Pwm
{
    public sealed class PwmChannel : IDisposable
    {
        private double _dutyCycle;

        private PwmChannel(double dutyCycle) => _dutyCycle = dutyCycle;

        /// <summary>
        /// A channel on a pin that already carries a PWM function (Configuration.SetPinFunction on
        /// the ESP32); the device returns null when it has none, and so does this stand-in.
        /// </summary>
        public static PwmChannel CreateFromPin(int pin, int frequency = 400, double dutyCyclePercentage = 0.5)
        {
            if (!FakeChip.PinFunctions.ContainsKey(pin))
            {
                return null;
            }

            FakeChip.PwmPin = pin;
            FakeChip.PwmFrequencyHz = frequency;
            FakeChip.PwmChannelsCreated++;
            FakeChip.DutyCycles.Add(dutyCyclePercentage);
            return new PwmChannel(dutyCyclePercentage);
        }

        public int Frequency => FakeChip.PwmFrequencyHz;

        /// <summary>High fraction of the period, 0..1.</summary>
        public double DutyCycle
        {
            get => _dutyCycle;
            set
            {
                if (value < 0.0 || value > 1.0)
                {
                    throw new ArgumentOutOfRangeException(nameof(value));
                }

                _dutyCycle = value;
                FakeChip.DutyCycles.Add(value);
            }
        }

        public void Start() => FakeChip.PwmStarted = true;

        public void Stop() => FakeChip.PwmStarted = false;

        public void Dispose()
        {
        }
    }
}
