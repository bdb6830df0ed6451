using IndraSmartPro.Metering;

namespace IndraSmartPro.ControlPilot
{
    /// <summary>
    /// The Type 2 plug's proximity resistor (PP–PE, IEC 61851-1 Annex B / IEC 62196): which cable
    /// is in the socket and what it may carry. Nominal values 1.5 kΩ → 13 A, 680 Ω → 20 A,
    /// 220 Ω → 32 A, 100 Ω → 63 A; accepted bands as one peer uses them (docs/domain.md, "Proximity pilot"):
    /// 1000–2200 Ω → 13 A, 330–1000 → 20 A, 150–330 → 32 A, 75–150 → 63 A. A value on a
    /// shared boundary gets the lower current. Outside 75–2200 Ω (open, no plug, short) nothing
    /// may be offered.
    /// </summary>
    public static class ProximityPilot
    {
        /// <summary>Returned by <see cref="OhmsFromPinMillivolts"/> when the divider reads open (no plug).</summary>
        public const int OpenOhms = int.MaxValue;

        /// <summary>Lowest accepted resistance (63 A band), ohms.</summary>
        public const int MinimumOhms = 75;

        /// <summary>63 A / 32 A boundary, ohms.</summary>
        public const int Boundary63To32Ohms = 150;

        /// <summary>32 A / 20 A boundary, ohms.</summary>
        public const int Boundary32To20Ohms = 330;

        /// <summary>20 A / 13 A boundary, ohms.</summary>
        public const int Boundary20To13Ohms = 1000;

        /// <summary>Highest accepted resistance (13 A band), ohms.</summary>
        public const int MaximumOhms = 2200;

        /// <summary>The divider's supply at the top of the pull-up, millivolts.</summary>
        public const int DividerSupplyMillivolts = 3300;

        /// <summary>
        /// The plug's resistance from the pin voltage. The resistor is the lower leg of a divider
        /// from 3300 mV through <see cref="FrontEnd.ProximityPullUpOhms"/>:
        /// pin = 3300·R/(R + Rpu), so R = Rpu·pin/(3300 − pin). Within 10 mV of the rail reads as open.
        /// </summary>
        public static int OhmsFromPinMillivolts(int pinMillivolts)
        {
            if (pinMillivolts <= 0)
            {
                return 0;
            }

            if (pinMillivolts >= DividerSupplyMillivolts - 10)
            {
                return OpenOhms;
            }

            return (int)((long)FrontEnd.ProximityPullUpOhms * pinMillivolts / (DividerSupplyMillivolts - pinMillivolts));
        }

        /// <summary>The cable's rating in milliamps, or 0 when the resistance is outside every band (no charging).</summary>
        public static int RatingMilliamps(int ohms)
        {
            if (ohms < MinimumOhms || ohms > MaximumOhms)
            {
                return 0;
            }

            if (ohms < Boundary63To32Ohms)
            {
                return 63000;
            }

            if (ohms < Boundary32To20Ohms)
            {
                return 32000;
            }

            if (ohms < Boundary20To13Ohms)
            {
                return 20000;
            }

            return 13000;
        }
    }
}
