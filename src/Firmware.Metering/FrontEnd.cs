using IndraSmartPro.Board;

namespace IndraSmartPro.Metering
{
    /// <summary>
    /// Nominal analogue front-end design: how a quantity at the terminals becomes millivolts at the
    /// ADC pin. Every AC channel is biased at mid-rail so both half-cycles fit the 0..3300 mV range.
    /// Commissioning calibration (<see cref="ChannelCalibration"/>) corrects each board's tolerances
    /// around these nominal values. The virtual board uses the same numbers in reverse.
    /// </summary>
    public static class FrontEnd
    {
        /// <summary>Mid-rail bias of the AC channels at the ADC pin, millivolts.</summary>
        public const int BiasPinMillivolts = 1650;

        /// <summary>
        /// Line voltage channels (L-N, L-TTref): 480 V peak maps to 1500 mV at the pin, so
        /// 1 pin mV = 320 line mV (one 12-bit LSB, 0.806 mV, is 0.26 V); stored as line microvolts
        /// per pin millivolt. Headroom: 280 V rms (top of the accuracy range) with 8 % THD whose
        /// 3rd, 5th and 7th all peak with the fundamental is 280 × √2 × (1 + 0.08 × √3) = 451 V
        /// peak; with +2 % gain and +40 mV bias tolerance that is 1650 + 1513 = 3163 mV, under 3300.
        /// </summary>
        public const int VoltageMicrovoltsPerPinMillivolt = 320000;

        /// <summary>
        /// CPC-TTref has its own, more sensitive divider: 250 V peak maps to 1500 mV (1 pin mV =
        /// 166.667 line mV, one LSB 0.13 V), because what matters on it is 0..70 V to ±0.5 V
        /// (trip levels 30 V and 70 V rms, docs/domain.md, "Modes A and B"). It reads true RMS to 176 V rms; beyond that
        /// the peaks clip and it reads low but still far above both trip levels.
        /// </summary>
        public const int CpcMicrovoltsPerPinMillivolt = 166667;

        /// <summary>CT clamp (100 A : 50 mA, 20 Ω burden): 1 pin mV = 100 mA, 141 A peak fits.</summary>
        public const int CtMicroampsPerPinMillivolt = 100000;

        /// <summary>EV current sense (on-board CT): 1 pin mV = 40 mA, so 60 A peak fits.</summary>
        public const int EvCurrentMicroampsPerPinMillivolt = 40000;

        /// <summary>Control pilot feedback: ±13 V maps to ±1500 mV around the bias; pilot µV per pin mV.</summary>
        public const int PilotMicrovoltsPerPinMillivolt = 8667;

        /// <summary>Proximity pilot: the plug's PP-PE resistor is the lower leg of a divider from 3300 mV through this pull-up.</summary>
        public const int ProximityPullUpOhms = 1000;

        /// <summary>Nominal scale of a channel in output micro-units (µV or µA) per pin millivolt.</summary>
        public static int NominalMicroUnitsPerPinMillivolt(AnalogChannel channel)
        {
            switch (channel)
            {
                case AnalogChannel.LineNeutral:
                case AnalogChannel.LineTtRef:
                    return VoltageMicrovoltsPerPinMillivolt;
                case AnalogChannel.CpcTtRef:
                    return CpcMicrovoltsPerPinMillivolt;
                case AnalogChannel.CtClamp:
                    return CtMicroampsPerPinMillivolt;
                case AnalogChannel.EvCurrent:
                    return EvCurrentMicroampsPerPinMillivolt;
                default:
                    return 1000;
            }
        }
    }
}
