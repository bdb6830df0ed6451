namespace IndraSmartPro.Board
{
    /// <summary>
    /// One mains cycle's sums as the native sampler closes them (the C core's <c>mc_cycle</c>):
    /// means over exactly one cycle, rising L-N zero crossing to the next, of the centred samples,
    /// their squares and the L-N × current products. Samples are pin millivolts minus the channel's
    /// bias, in Q8 (×256); squares and products in Q16 (×65 536). DC is included: a channel's
    /// mean square is its true RMS squared relative to the bias. Reused: the reader copies what
    /// it keeps. Arrays are indexed by <see cref="AnalogChannel"/> 0..4.
    /// </summary>
    public sealed class MainsCycleSums
    {
        /// <summary>Channels in a record: <see cref="AnalogChannel.LineNeutral"/> .. <see cref="AnalogChannel.EvCurrent"/>.</summary>
        public const int ChannelCount = 5;

        /// <summary>Flag: the window began after the sampler (re)started (boot or a gap in the stream).</summary>
        public const int FlagRestarted = 0x1;

        /// <summary>Flag bit of a channel that did not move by more than 1 mV for the whole cycle (dead channel, frozen buffer): <c>1 &lt;&lt; (StuckShift + channel)</c>.</summary>
        public const int StuckShift = 8;

        /// <summary>Flag bit of a channel at least half of whose samples sat at 0 or full scale (saturated): <c>1 &lt;&lt; (RailShift + channel)</c>.</summary>
        public const int RailShift = 16;

        /// <summary>End of the cycle on the sample clock (the interpolated crossing, or the closing sample on a timeout), microseconds.</summary>
        public long EndMicroseconds;

        /// <summary>Length of the cycle, microseconds.</summary>
        public int PeriodMicroseconds;

        /// <summary>Mains frequency averaged over up to 8 locked cycles, millihertz; 0 when not locked.</summary>
        public int FrequencyMillihertz;

        /// <summary>True when two consecutive L-N rising crossings 46.5..53.5 Hz apart delimited the cycle.</summary>
        public bool Locked;

        /// <summary>Samples accumulated (10 kHz after decimation).</summary>
        public int SampleCount;

        /// <summary><see cref="FlagRestarted"/>, stuck and rail bits.</summary>
        public int Flags;

        /// <summary>Records the sampler overwrote before they were read, since it started.</summary>
        public int Dropped;

        /// <summary>Mean square of each centred channel, Q16 pin mV² (DC included).</summary>
        public readonly long[] MeanSquareQ16 = new long[ChannelCount];

        /// <summary>Mean of each centred channel (what the bias did not remove), Q8 pin mV.</summary>
        public readonly int[] MeanQ8 = new int[ChannelCount];

        /// <summary>The bias each channel's samples were centred on during the cycle, Q8 pin mV (tracked within the front end's tolerance; CPC-TTref's follows the DC-free channels').</summary>
        public readonly int[] BiasQ8 = new int[ChannelCount];

        /// <summary>Mean of L-N × EV current, Q16 pin mV²: the EV's real power before scaling.</summary>
        public long EvPowerQ16;

        /// <summary>Mean of L-N × CT clamp, Q16 pin mV², signed: + while the house imports.</summary>
        public long HousePowerQ16;
    }
}
