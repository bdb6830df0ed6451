namespace IndraSmartPro.ControlPilot
{
    /// <summary>
    /// Offered current ↔ pilot duty (IEC 61851-1 Table A.8, SAE J1772), in integers: milliamps
    /// and permille of the 1 kHz period. Conversions round towards the lower current, so the
    /// vehicle is never offered more than the limit.
    /// </summary>
    public static class PilotDuty
    {
        /// <summary>Steady +12 V: no current offered (the "X1" level). Also the value of <see cref="FromMilliamps"/> below 6 A.</summary>
        public const int SteadyPositivePermille = 1000;

        /// <summary>Steady −12 V: state F.</summary>
        public const int SteadyNegativePermille = 0;

        /// <summary>Lowest current that can be offered: 6 A = 10 % (Table A.8).</summary>
        public const int MinimumMilliamps = 6000;

        /// <summary>Top of the first segment: 51 A = 85 %.</summary>
        public const int FirstSegmentMaxMilliamps = 51000;

        /// <summary>Highest current the table encodes: 80 A = 96 %.</summary>
        public const int MaximumMilliamps = 80000;

        /// <summary>10 %: 6 A.</summary>
        public const int MinimumPermille = 100;

        /// <summary>85 %: 51 A, the end of the first segment.</summary>
        public const int FirstSegmentMaxPermille = 850;

        /// <summary>96 %: 80 A.</summary>
        public const int MaximumPermille = 960;

        /// <summary>
        /// The duty that offers at most <paramref name="milliamps"/>.
        /// Below 6 A: <see cref="SteadyPositivePermille"/> (no current; 5 % is reserved for digital
        /// communication and never used). 6..51 A: duty % = A / 0.6, so permille = 10·A/0.6 =
        /// mA / 60 (6 A → 100, 32 A → 533). Above 51 A: duty % = A / 2.5 + 64, so permille =
        /// 4·A + 640 = mA / 250 + 640, but never below 850 (51 A): between 51 and 52.5 A the
        /// second formula gives less than 85 %, which would read back as less than 51 A; 850
        /// offers exactly 51 A. Capped at 960 (80 A). Integer division rounds down.
        /// </summary>
        public static int FromMilliamps(int milliamps)
        {
            if (milliamps < MinimumMilliamps)
            {
                return SteadyPositivePermille;
            }

            if (milliamps <= FirstSegmentMaxMilliamps)
            {
                return milliamps / 60;
            }

            if (milliamps >= MaximumMilliamps)
            {
                return MaximumPermille;
            }

            int permille = (milliamps / 250) + 640;
            return permille < FirstSegmentMaxPermille ? FirstSegmentMaxPermille : permille;
        }

        /// <summary>
        /// The current a duty offers, milliamps (what the vehicle reads): 100..850 permille →
        /// permille × 60 (A = duty % × 0.6); 851..960 → (permille − 640) × 250 (A = (duty % − 64) × 2.5);
        /// anything else (steady levels, 5 %, above 96 %) → 0.
        /// </summary>
        public static int ToMilliamps(int dutyPermille)
        {
            if (dutyPermille >= MinimumPermille && dutyPermille <= FirstSegmentMaxPermille)
            {
                return dutyPermille * 60;
            }

            if (dutyPermille > FirstSegmentMaxPermille && dutyPermille <= MaximumPermille)
            {
                return (dutyPermille - 640) * 250;
            }

            return 0;
        }
    }
}
