namespace IndraSmartPro.ControlPilot
{
    /// <summary>
    /// Classifies the proximity resistor (PP–PE) once per pilot window into a band, with
    /// hysteresis and a confirmation dwell, so that a resistor near a band edge cannot flip the
    /// cable rating and a resistor just outside a band never offers current.
    /// <para>
    /// Bands by resistance (docs/domain.md, "Proximity pilot"; IEC 61851-1 Annex B / IEC 62196
    /// nominal values, one peer's accepted bands): short below 75 Ω, 63 A 75–149 Ω, 32 A 150–329 Ω,
    /// 20 A 330–999 Ω, 13 A 1000–2200 Ω, out of range above 2200 Ω, and open (the divider reads
    /// the rail: no plug, or the plug is leaving). Each boundary moves
    /// <see cref="HysteresisPercent"/> % of its value away from the present band: leaving a band
    /// takes a reading that far past its edge, entering a band from outside takes a reading that
    /// far inside it. The nominal resistors (100, 220, 680, 1500 Ω) lie at least 30 % from every
    /// boundary, so a resistor within its tolerance never sits in a hysteresis zone.
    /// </para>
    /// <para>
    /// A new band is accepted only after <see cref="ConfirmWindows"/> consecutive windows agree
    /// (≈ 87 ms at 29 ms per window). Open is detected the same way; it is far from every band
    /// edge (the rail), so a wobbling in-band reading never reads open.
    /// </para>
    /// </summary>
    public sealed class ProximityClassifier
    {
        /// <summary>No band yet (nothing read since <see cref="Reset"/>).</summary>
        public const int BandUnknown = -1;

        /// <summary>Below 75 Ω: PP shorted to PE (no charging).</summary>
        public const int BandShort = 0;

        /// <summary>75–149 Ω: 63 A.</summary>
        public const int Band63 = 1;

        /// <summary>150–329 Ω: 32 A.</summary>
        public const int Band32 = 2;

        /// <summary>330–999 Ω: 20 A.</summary>
        public const int Band20 = 3;

        /// <summary>1000–2200 Ω: 13 A.</summary>
        public const int Band13 = 4;

        /// <summary>Above 2200 Ω and not open: out of every band (no charging).</summary>
        public const int BandOutOfRange = 5;

        /// <summary>The divider reads open: no plug, or the plug is leaving the socket.</summary>
        public const int BandOpen = 6;

        /// <summary>How far each boundary moves away from the present band, percent of the boundary's value.</summary>
        public const int HysteresisPercent = 5;

        /// <summary>Consecutive windows that must agree before a new band is accepted (≈ 87 ms).</summary>
        public const int ConfirmWindows = 3;

        // Lowest resistance of band i + 1 (a value on a shared boundary gets the band above it in
        // ohms, the lower current: the safe side). 2201: 2200 Ω itself is still 13 A.
        private static readonly int[] LowestOhms =
        {
            ProximityPilot.MinimumOhms, ProximityPilot.Boundary63To32Ohms, ProximityPilot.Boundary32To20Ohms,
            ProximityPilot.Boundary20To13Ohms, ProximityPilot.MaximumOhms + 1,
        };

        private static readonly int[] BandMilliamps = { 0, 63000, 32000, 20000, 13000, 0, 0 };

        private readonly ConfirmationDwell _dwell = new ConfirmationDwell(ConfirmWindows);
        private int _band = BandUnknown;

        /// <summary>The confirmed band (<see cref="BandUnknown"/> until one is confirmed).</summary>
        public int Band => _band;

        /// <summary>The confirmed band's cable rating, milliamps: 0 for short, out of range and open; −1 while unknown.</summary>
        public int RatingMilliamps => _band == BandUnknown ? -1 : BandMilliamps[_band];

        /// <summary>True when the confirmed band is <see cref="BandOpen"/>.</summary>
        public bool Open => _band == BandOpen;

        /// <summary>The cable rating of a band, milliamps (0 for short, out of range, open; −1 for unknown).</summary>
        public static int MilliampsOf(int band)
        {
            return band < 0 ? -1 : BandMilliamps[band];
        }

        /// <summary>
        /// The band of one reading against the present confirmed band, with hysteresis.
        /// <paramref name="ohms"/> is <see cref="ProximityPilot.OpenOhms"/> when the divider reads open.
        /// </summary>
        public int Classify(int ohms)
        {
            if (ohms == ProximityPilot.OpenOhms)
            {
                return BandOpen;
            }

            // Open is not a place a resistance can be "near": from open, the ordinary boundaries apply
            // as from out of range (the band just below it).
            int present = _band == BandOpen ? BandOutOfRange : _band;
            int band = 0;
            for (int i = 0; i < LowestOhms.Length; i++)
            {
                // Boundary i separates band i (below) from band i + 1 (above). From below (or from
                // nothing yet) it moves up; from above it moves down: the present band is sticky.
                int margin = LowestOhms[i] * HysteresisPercent / 100;
                int threshold = present >= 0 && present <= i ? LowestOhms[i] + margin : LowestOhms[i] - margin;
                if (present == BandUnknown)
                {
                    // Nothing confirmed yet: an edge reading falls on the safe side of every
                    // boundary: the short side of 75 Ω, the lower-current side of the others
                    // (out of range above 2200 Ω), so an edge value cannot start a session optimistically.
                    threshold = i == 0 ? LowestOhms[i] + margin : LowestOhms[i] - margin;
                }

                if (ohms >= threshold)
                {
                    band = i + 1;
                }
            }

            return band;
        }

        /// <summary>Takes one window's reading; returns true when the confirmed band changed.</summary>
        public bool Update(int ohms)
        {
            int raw = Classify(ohms);
            if (!_dwell.Confirms(raw, raw == _band))
            {
                return false;
            }

            _band = raw;
            return true;
        }

        /// <summary>Forgets the band (the vehicle has gone): the next plug is read afresh.</summary>
        public void Reset()
        {
            _band = BandUnknown;
            _dwell.Reset();
        }
    }
}
