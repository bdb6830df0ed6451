using IndraSmartPro.Esp32.HostTests.DeviceApi;

// Stand-ins of nanoFramework.System.Device.Adc 1.1 (the members the binding uses, same signatures).
namespace System.Device.Adc
{
    public class AdcController
    {
        /// <summary>Largest conversion result (4095 on the ESP32's 12-bit ADC1).</summary>
        public int MaxValue => FakeChip.AdcMaxValue;

        public int MinValue => 0;

        public AdcChannel OpenChannel(int channelNumber)
        {
            if (!FakeChip.OpenAdcChannels.Add(channelNumber))
            {
                throw new InvalidOperationException($"ADC1 channel {channelNumber} is already open");
            }

            return new AdcChannel(channelNumber);
        }
    }

    public class AdcChannel : IDisposable
    {
        private readonly int _channel;

        internal AdcChannel(int channel) => _channel = channel;

        /// <summary>One conversion, in counts (0..MaxValue).</summary>
        public int ReadValue()
        {
            if (FakeChip.AdcFault != null)
            {
                throw FakeChip.AdcFault;
            }

            bool? mux = FakeChip.MuxSelectGpio is int gpio && FakeChip.OutputLevels.TryGetValue(gpio, out bool high) ? high : null;
            FakeChip.AdcReads.Add(new FakeChip.AdcRead(_channel, mux));
            return FakeChip.AdcCounts.TryGetValue(_channel, out int counts) ? counts : 0;
        }

        public void Dispose()
        {
        }
    }
}
