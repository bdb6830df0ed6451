namespace IndraSmartPro.Metering
{
    /// <summary>
    /// The measurements of one mains cycle, as the meter hands them to its listeners. The meter
    /// reuses one instance: listeners copy what they keep.
    /// </summary>
    public sealed class MainsCycle
    {
        /// <summary>Clock time at the end of the cycle (the positive-going zero crossing of L-N), microseconds.</summary>
        public long EndMicroseconds;

        /// <summary>Length of the cycle in microseconds (20 000 at 50 Hz). When L-N has no zero crossings the meter closes cycles on a timeout and sets <see cref="LineLocked"/> false.</summary>
        public int PeriodMicroseconds;

        /// <summary>True when the cycle was delimited by real L-N zero crossings (frequency tracked), false on a timeout.</summary>
        public bool LineLocked;

        /// <summary>Mains frequency in millihertz, tracked over recent cycles (50 000 = 50 Hz); 0 when not locked.</summary>
        public int FrequencyMillihertz;

        /// <summary>True RMS of line to neutral, millivolts.</summary>
        public int LineNeutralMillivolts;

        /// <summary>True RMS of line to the TT reference electrode, millivolts.</summary>
        public int LineTtRefMillivolts;

        /// <summary>True RMS of CPC (installation earth) to the TT reference electrode, millivolts.</summary>
        public int CpcTtRefMillivolts;

        /// <summary>True RMS of the house import measured by the CT clamp, milliamps.</summary>
        public int HouseMilliamps;

        /// <summary>True RMS of the current the charger delivers to the EV, milliamps.</summary>
        public int EvMilliamps;

        /// <summary>Real power delivered to the EV over the cycle (mean of v·i), milliwatts.</summary>
        public int EvMilliwatts;

        /// <summary>Number of ADC samples in the cycle.</summary>
        public int SampleCount;
    }
}
