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
        /// path and when healthy. Protection does not evaluate a cycle with a
        /// <see cref="PestFaultMask"/> bit of its mode (a fault on a channel it does not use must
        /// not blind it); curtailment reads <see cref="CtClampFaulty"/>.
        /// </summary>
        public int FrontEndFlags;

        /// <summary>Flag: the sample clock disagrees with the CPU's clock by more than 5 % (MainsMeter.RateDriftPercent).</summary>
        public const int RateDriftFlag = 0x2;

        /// <summary>
        /// Every fault flag: rate drift, and the stuck (bits 8..12) and rail (bits 16..20) bits of
        /// the five channels (numbered as <c>AnalogChannel</c>: L-N 0, L-TTref 1, CPC-TTref 2,
        /// CT clamp 3, EV current 4).
        /// </summary>
        public const int FrontEndFaultMask = RateDriftFlag | (0x1F << 8) | (0x1F << 16);

        /// <summary>Stuck or rail flags of L-N (channel 0).</summary>
        public const int LineNeutralFaultMask = (1 << 8) | (1 << 16);

        /// <summary>Stuck or rail flags of L-TTref and CPC-TTref (channels 1 and 2).</summary>
        public const int EarthChannelsFaultMask = (0x6 << 8) | (0x6 << 16);

        /// <summary>Stuck or rail flags of the CT clamp (channel 3).</summary>
        public const int CtClampFaultMask = (1 << 11) | (1 << 19);

        /// <summary>Stuck or rail flags of the EV-current channel (channel 4).</summary>
        public const int EvCurrentFaultMask = (1 << 12) | (1 << 20);

        /// <summary>
        /// The flags that make a cycle unusable for PEST (BS 7671 722.411.4.1): rate drift (every
        /// RMS is wrong) and the channels the mode measures: L-N always, L-TTref and CPC-TTref
        /// only in mode A with electrode. The CT clamp and EV current are not PEST inputs: a
        /// stuck clamp or an unused, floating earth input must not stop protection.
        /// </summary>
        /// <param name="usesEarthChannels">True in mode A with electrode.</param>
        public static int PestFaultMask(bool usesEarthChannels)
        {
            return RateDriftFlag | LineNeutralFaultMask | (usesEarthChannels ? EarthChannelsFaultMask : 0);
        }

        /// <summary>
        /// True when the CT clamp's reading this cycle cannot be trusted (stuck or at a rail) or
        /// the sample clock drifts: <see cref="HouseMilliamps"/> and <see cref="HouseMilliwatts"/>
        /// are then unknown. Not yet read by curtailment, which judges the clamp by its own
        /// evidence (<c>CtHealth</c>).
        /// </summary>
        public bool CtClampFaulty => (FrontEndFlags & (CtClampFaultMask | RateDriftFlag)) != 0;

        /// <summary>
        /// True when the EV-current reading this cycle cannot be trusted (stuck or at a rail) or
        /// the sample clock drifts: <see cref="EvMilliamps"/> and <see cref="EvMilliwatts"/> are
        /// then unknown (energy, weld evidence by current); not a PEST input.
        /// </summary>
        public bool EvCurrentFaulty => (FrontEndFlags & (EvCurrentFaultMask | RateDriftFlag)) != 0;

        /// <summary>Number of ADC samples in the cycle.</summary>
        public int SampleCount;

        /// <summary>Counts the cycles the meter has reported since it was built (1 for the first); wraps at int.MaxValue.</summary>
        public int Sequence;
    }
}
