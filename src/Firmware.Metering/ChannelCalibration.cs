namespace IndraSmartPro.Metering
{
    /// <summary>
    /// One channel's commissioning calibration: a gain correction in parts per million of the
    /// nominal front-end scale (<see cref="FrontEnd"/>) and an offset applied to the RMS result in
    /// quadrature, reading = √(rms² + offset·|offset|), so a negative offset removes a noise floor.
    /// Identity is gain 1 000 000, offset 0. Every change is validated (<see cref="TrySet"/>), so a
    /// calibration in force is always inside the accepted ranges; the meter reads it once per cycle.
    /// </summary>
    public sealed class ChannelCalibration
    {
        /// <summary>Identity gain, ppm.</summary>
        public const int UnityGainPartsPerMillion = 1000000;

        /// <summary>
        /// Lowest accepted gain, ppm (−10 %). The front end is built from 1 % resistors and the
        /// ESP32 ADC's calibrated gain error is a few percent at most, so a correction beyond ±10 %
        /// means a wrong reference or a broken channel, not a tolerance to trim.
        /// </summary>
        public const int MinimumGainPartsPerMillion = 900000;

        /// <summary>Highest accepted gain, ppm (+10 %).</summary>
        public const int MaximumGainPartsPerMillion = 1100000;

        /// <summary>
        /// Largest accepted |offset| in milli-units: 5 000 (5 V on a voltage channel, 5 A on a
        /// current channel). A larger noise floor would be a fault to fix, not a floor to trim.
        /// </summary>
        public const int MaximumOffsetMilliUnits = 5000;

        /// <summary>Gain correction, ppm of nominal (1 000 000 = as designed), 900 000..1 100 000.</summary>
        public int GainPartsPerMillion { get; private set; } = UnityGainPartsPerMillion;

        /// <summary>
        /// Offset in the channel's milli-units (mV or mA), −5 000..5 000, applied in quadrature:
        /// reading = √(rms² + offset·|offset|). Noise adds power, not amplitude: commissioning reads
        /// the channel with no signal and stores minus that floor, which then cancels the floor at
        /// zero input and leaves readings well above it unchanged (at 30 V a 0.5 V floor is 4 mV).
        /// </summary>
        public int OffsetMilliUnits { get; private set; }

        /// <summary>True when the pair is inside the accepted ranges.</summary>
        public static bool IsValid(int gainPartsPerMillion, int offsetMilliUnits)
        {
            return gainPartsPerMillion >= MinimumGainPartsPerMillion
                && gainPartsPerMillion <= MaximumGainPartsPerMillion
                && offsetMilliUnits >= -MaximumOffsetMilliUnits
                && offsetMilliUnits <= MaximumOffsetMilliUnits;
        }

        /// <summary>
        /// The gain that makes a channel reading <paramref name="measuredMilliUnits"/> with
        /// <paramref name="currentGainPartsPerMillion"/> read <paramref name="referenceMilliUnits"/>
        /// (commissioning against a reference meter). Returns 0 when the measurement is not positive.
        /// The result is not validated: pass it to <see cref="TrySet"/>.
        /// </summary>
        public static int GainForReference(int currentGainPartsPerMillion, int measuredMilliUnits, int referenceMilliUnits)
        {
            if (measuredMilliUnits <= 0 || referenceMilliUnits < 0)
            {
                return 0;
            }

            // Reading scales linearly with gain: new = current × reference / measured.
            return (int)IntegerMath.DivideRounded((long)currentGainPartsPerMillion * referenceMilliUnits, measuredMilliUnits);
        }

        /// <summary>Sets both values if they are valid (<see cref="IsValid"/>); returns false and changes nothing otherwise.</summary>
        public bool TrySet(int gainPartsPerMillion, int offsetMilliUnits)
        {
            if (!IsValid(gainPartsPerMillion, offsetMilliUnits))
            {
                return false;
            }

            GainPartsPerMillion = gainPartsPerMillion;
            OffsetMilliUnits = offsetMilliUnits;
            return true;
        }

        /// <summary>Back to identity.</summary>
        public void Reset()
        {
            GainPartsPerMillion = UnityGainPartsPerMillion;
            OffsetMilliUnits = 0;
        }
    }
}
