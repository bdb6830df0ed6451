namespace IndraSmartPro.Metering
{
    /// <summary>
    /// The measurements of one mains cycle, as the meter hands them to its listeners. The meter
    /// reuses one instance: listeners copy what they keep.
    /// </summary>
    public sealed class MainsCycle
    {
        /// <summary>Clock time at the end of the cycle, microseconds: the interpolated positive-going zero crossing of L-N, or the closing sample's time on a timeout.</summary>
        public long EndMicroseconds;

        /// <summary>Length of the cycle in microseconds (20 000 at 50 Hz). When L-N has no zero crossings the meter closes cycles on a timeout and sets <see cref="LineLocked"/> false.</summary>
        public int PeriodMicroseconds;

        /// <summary>True when the cycle was delimited by two consecutive L-N zero crossings 18 868..21 277 µs apart (47..53 Hz); false on a timeout, a partial cycle while re-locking, or a period out of range.</summary>
        public bool LineLocked;

        /// <summary>Mains frequency in millihertz, averaged over up to the last 8 locked cycles (50 000 = 50 Hz); 0 when not locked.</summary>
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

        /// <summary>
        /// Real power through the CT clamp over the cycle (mean of v·i on L-N and the clamp),
        /// milliwatts, signed: positive while the house imports from the grid, negative while it
        /// exports (solar). Curtailment and solar charging decide by it.
        /// </summary>
        public int HouseMilliwatts;

        /// <summary>
        /// The native sampler's health flags for the cycle (<c>MainsCycleSums.Flags</c>: restarted,
        /// a channel stuck or at a rail) plus <see cref="RateDriftFlag"/>; 0 on the managed fallback
        /// path and when healthy. Protection does not evaluate a cycle with any <see cref="FrontEndFaultMask"/> bit.
        /// </summary>
        public int FrontEndFlags;

        /// <summary>Flag: the sample clock disagrees with the CPU's clock by more than 5 % (MainsMeter.RateDriftPercent).</summary>
        public const int RateDriftFlag = 0x2;

        /// <summary>
        /// Flags that make a cycle unusable for protection: rate drift, and the stuck (bits 8..12)
        /// and rail (bits 16..20) bits of the five channels.
        /// </summary>
        public const int FrontEndFaultMask = RateDriftFlag | (0x1F << 8) | (0x1F << 16);

        /// <summary>Number of ADC samples in the cycle.</summary>
        public int SampleCount;

        /// <summary>Counts the cycles the meter has reported since it was built (1 for the first); wraps at int.MaxValue.</summary>
        public int Sequence;
    }
}
