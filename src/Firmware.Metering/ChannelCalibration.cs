namespace IndraSmartPro.Metering
{
    /// <summary>
    /// One channel's commissioning calibration: a gain correction in parts per million of the
    /// nominal scale and an offset added to the RMS result. Identity is gain 1 000 000, offset 0.
    /// </summary>
    public sealed class ChannelCalibration
    {
        /// <summary>Gain correction, ppm of nominal (1 000 000 = as designed). Allowed 900 000..1 100 000.</summary>
        public int GainPartsPerMillion = 1000000;

        /// <summary>Offset added to the RMS value, in the channel's milli-units (mV or mA).</summary>
        public int OffsetMilliUnits;
    }
}
