using System;
using System.Runtime.InteropServices;
using IndraSmartPro.Board;

namespace IndraSmartPro.Simulator.VirtualBoard;

/// <summary>
/// The virtual board's mains sampler: the device's own C metering core
/// (src/Firmware.Metering.Native, built by the host build into libindra_metering) fed by P/Invoke
/// with the board's ADC frames at the device's rate, 20 kHz per channel. So the simulator runs
/// the accumulation the ESP32 runs, not a C# twin. Frames are produced lazily: each
/// <see cref="TryReadCycle"/> first converts every frame due up to the simulated clock.
/// Allocation-free after construction (blittable arguments only).
/// </summary>
public sealed class NativeMainsSampler : IMainsSampler, IDisposable
{
    /// <summary>Frame period of the ADC stream, microseconds (the C core's MC_INPUT_PERIOD_US).</summary>
    public const int FramePeriodMicroseconds = 50;

    /// <summary>Channels per frame (the five mains channels and the pilot feedback).</summary>
    public const int FrameChannels = 6;

    private const int BatchFrames = 200;

    private readonly VirtualBoard _board;
    private readonly short[] _frames = new short[BatchFrames * FrameChannels];
    private IntPtr _core;
    private bool _started;
    private long _nextFrameMicroseconds;
    private long _framesSinceStart;
    private long _startMicroseconds;

    internal NativeMainsSampler(VirtualBoard board)
    {
        _board = board;
        if (Native.mc_host_cycle_size() != Marshal.SizeOf<Native.Cycle>())
        {
            throw new InvalidOperationException("libindra_metering's mc_cycle layout does not match the managed declaration");
        }

        _core = Native.mc_host_create();
        if (_core == IntPtr.Zero)
        {
            throw new OutOfMemoryException("mc_host_create");
        }
    }

    ~NativeMainsSampler() => Free();

    /// <summary>Pilot levels since the last call (the C core's per-window high and low means).</summary>
    public Native.Pilot ReadPilot()
    {
        Generate();
        Native.mc_host_read_pilot(_core, out Native.Pilot pilot);
        return pilot;
    }

    /// <inheritdoc />
    public bool TryReadCycle(MainsCycleSums sums)
    {
        Generate();
        if (Native.mc_host_pop_cycle(_core, out Native.Cycle c) == 0)
        {
            return false;
        }

        sums.EndMicroseconds = c.EndMicroseconds;
        sums.PeriodMicroseconds = c.PeriodMicroseconds;
        sums.FrequencyMillihertz = c.FrequencyMillihertz;
        sums.Locked = c.Locked != 0;
        sums.SampleCount = c.SampleCount;
        sums.Flags = c.Flags;
        sums.Dropped = c.Dropped;
        sums.EvPowerQ16 = c.EvPowerQ16;
        sums.HousePowerQ16 = c.HousePowerQ16;
        unsafe
        {
            for (int i = 0; i < MainsCycleSums.ChannelCount; i++)
            {
                sums.MeanSquareQ16[i] = c.MeanSquareQ16[i];
                sums.MeanQ8[i] = c.MeanQ8[i];
                sums.BiasQ8[i] = c.BiasQ8[i];
            }
        }

        return true;
    }

    /// <summary>Converts and pushes every frame due up to now; a stalled stream pushes nothing and restarts on resume.</summary>
    private void Generate()
    {
        long now = _board.NowMicroseconds;
        if (_board.MainsSamplerStalled)
        {
            _started = false;
            return;
        }

        if (!_started)
        {
            _started = true;
            _startMicroseconds = now;
            _framesSinceStart = 0;
            _nextFrameMicroseconds = now;
            Native.mc_host_start(_core, now);
        }

        while (_nextFrameMicroseconds <= now)
        {
            int count = 0;
            while (count < BatchFrames && _nextFrameMicroseconds <= now)
            {
                _board.ConvertMainsFrame(_nextFrameMicroseconds, _frames, count * FrameChannels);
                count++;
                _framesSinceStart++;

                // A converter clock off by RateError: frame n is really taken at n × 50 µs × (1 + e).
                _nextFrameMicroseconds = _startMicroseconds
                    + (long)Math.Round(_framesSinceStart * FramePeriodMicroseconds * (1.0 + _board.AdcRateError));
            }

            Native.mc_host_push(_core, _frames, count);
        }
    }

    public void Dispose()
    {
        Free();
        GC.SuppressFinalize(this);
    }

    private void Free()
    {
        if (_core != IntPtr.Zero)
        {
            Native.mc_host_destroy(_core);
            _core = IntPtr.Zero;
        }
    }

    /// <summary>The C core's host entry points (src/Firmware.Metering.Native/host/host_api.c).</summary>
    public static class Native
    {
        private const string Library = "indra_metering";

        /// <summary>mc_cycle, field for field (64-bit fields first, no padding).</summary>
        [StructLayout(LayoutKind.Sequential)]
        public unsafe struct Cycle
        {
            public long EndMicroseconds;
            public fixed long MeanSquareQ16[5];
            public long EvPowerQ16;
            public long HousePowerQ16;
            public int PeriodMicroseconds;
            public int FrequencyMillihertz;
            public int Locked;
            public int SampleCount;
            public int Sequence;
            public int Flags;
            public fixed int MeanQ8[5];
            public fixed int BiasQ8[5];
            public int Dropped;
            public int Reserved;
        }

        /// <summary>mc_pilot: pilot feedback levels over a window, pin millivolts.</summary>
        [StructLayout(LayoutKind.Sequential)]
        public struct Pilot
        {
            public int HighMeanPinMillivolts;
            public int LowMeanPinMillivolts;
            public int HighCount;
            public int LowCount;
            public int HighMinPinMillivolts;
            public int LowMaxPinMillivolts;
        }

        [DllImport(Library)]
        internal static extern IntPtr mc_host_create();

        [DllImport(Library)]
        internal static extern void mc_host_destroy(IntPtr core);

        [DllImport(Library)]
        internal static extern void mc_host_start(IntPtr core, long firstFrameMicroseconds);

        [DllImport(Library)]
        internal static extern void mc_host_push(IntPtr core, short[] frames, int frameCount);

        [DllImport(Library)]
        internal static extern int mc_host_pop_cycle(IntPtr core, out Cycle cycle);

        [DllImport(Library)]
        internal static extern void mc_host_read_pilot(IntPtr core, out Pilot pilot);

        [DllImport(Library)]
        internal static extern int mc_host_cycle_size();
    }
}
