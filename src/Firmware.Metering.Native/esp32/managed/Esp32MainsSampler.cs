using System;
using System.Runtime.CompilerServices;
using IndraSmartPro.Board;

namespace IndraSmartPro.Board.Esp32
{
    /// <summary>
    /// The ESP32's native mains sampler (device only, assembly Indra.Metering.Esp32): managed
    /// declarations of the interop component in ../indra_metering_interop.cpp, which runs ESP-IDF's
    /// ADC continuous driver into the portable C core. Exists only in a nanoCLR image built with
    /// that component (docs/device.md, "Custom nanoCLR image"); on a stock image the first call
    /// throws NotImplementedException, and the firmware must not be flashed onto it.
    /// </summary>
    public sealed class Esp32MainsSampler : IMainsSampler
    {
        /// <summary>Length of the record array the native side fills (indra_metering_interop.cpp).</summary>
        public const int RecordLength = 24;

        private readonly long[] _record = new long[RecordLength];
        private readonly int[] _health = new int[4];

        /// <summary>Starts the ADC stream on the given ADC1 channels (L-N, L-TTref, CPC-TTref, CT, EV current, pilot; hw/pinmap.json).</summary>
        public Esp32MainsSampler(int[] adc1Channels)
        {
            int result = NativeStart(adc1Channels);
            if (result != 0)
            {
                throw new InvalidOperationException("ADC continuous start failed: " + result.ToString());
            }
        }

        /// <inheritdoc />
        public bool TryReadCycle(MainsCycleSums sums)
        {
            long[] r = _record;
            if (!NativeTryReadCycle(r))
            {
                return false;
            }

            sums.EndMicroseconds = r[0];
            for (int i = 0; i < MainsCycleSums.ChannelCount; i++)
            {
                sums.MeanSquareQ16[i] = r[1 + i];
                sums.MeanQ8[i] = (int)r[14 + i];
                sums.BiasQ8[i] = (int)r[19 + i];
            }

            sums.EvPowerQ16 = r[6];
            sums.HousePowerQ16 = r[7];
            sums.PeriodMicroseconds = (int)r[8];
            sums.FrequencyMillihertz = (int)r[9];
            sums.Locked = r[10] != 0;
            sums.SampleCount = (int)r[11];
            sums.Flags = (int)r[12];
            sums.Dropped = (int)r[13];
            return true;
        }

        /// <summary>Sample clock against the CPU's timer over the last 100 ms, parts per million (0 = exact).</summary>
        public int RateErrorPartsPerMillion
        {
            get
            {
                NativeReadHealth(_health);
                return _health[3];
            }
        }

        /// <summary>The newest converted value of a channel, pin millivolts: what one-shot reads of the pilot and proximity return while the stream owns ADC1.</summary>
        public int LatestPinMillivolts(AnalogChannel channel) => NativeLatestPinMillivolts((int)channel);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern int NativeStart(int[] adc1Channels);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern bool NativeTryReadCycle(long[] record);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern void NativeReadHealth(int[] health);

        [MethodImpl(MethodImplOptions.InternalCall)]
        private static extern int NativeLatestPinMillivolts(int channel);
    }
}
