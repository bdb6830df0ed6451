using System.Collections.Generic;
using IndraSmartPro.Board;
using IndraSmartPro.Metering;
using IndraSmartPro.Simulator.VirtualBoard;

namespace IndraSmartPro.HostTests;

/// <summary>
/// The mains meter alone on the virtual board, sampled every millisecond of simulated time as the
/// protection task does, recording a copy of every reported cycle.
/// </summary>
internal sealed class MeteringRig : IMainsCycleListener
{
    /// <param name="managed">True: the managed 1 kHz fallback samples the board itself (scheduler lateness tests); false: the native C core, as the firmware runs it.</param>
    public MeteringRig(ulong seed = 1, long startMicroseconds = 0, bool managed = false)
    {
        Clock = new SimulatedClock();
        Clock.AdvanceTo(startMicroseconds);
        Board = new VirtualBoard(Clock, seed);
        Meter = managed ? new MainsMeter((IAnalogInputs)Board) : new MainsMeter((IMainsSampler)Board);
        Meter.Subscribe(this);
    }

    public SimulatedClock Clock { get; }

    public VirtualBoard Board { get; }

    public MainsModel Mains => Board.Mains;

    public MainsMeter Meter { get; }

    public List<CycleRecord> Cycles { get; } = new();

    /// <summary>Microseconds added to each sampling period, cycling through the array (scheduler jitter); null for none.</summary>
    public int[] JitterMicroseconds { get; set; }

    /// <summary>When non-zero, every n-th sampling period is skipped (the scheduler drops a missed period).</summary>
    public int SkipEvery { get; set; }

    private long _nextSample = -1;
    private int _jitterIndex;
    private long _periods;

    /// <summary>Samples for <paramref name="microseconds"/> of simulated time.</summary>
    public void RunFor(long microseconds)
    {
        long end = Clock.NowMicroseconds + microseconds;
        if (_nextSample < 0)
        {
            _nextSample = Clock.NowMicroseconds;
        }

        while (_nextSample <= end)
        {
            long jitter = JitterMicroseconds == null ? 0 : JitterMicroseconds[_jitterIndex++ % JitterMicroseconds.Length];
            Clock.AdvanceTo(_nextSample + jitter);
            if (SkipEvery == 0 || ++_periods % SkipEvery != 0)
            {
                Meter.Sample(Clock.NowMicroseconds);
            }

            _nextSample += MainsMeter.SamplePeriodMicroseconds;
        }

        Clock.AdvanceTo(end);
    }

    /// <summary>Cycles reported at or after <paramref name="microseconds"/>.</summary>
    public IEnumerable<CycleRecord> CyclesFrom(long microseconds)
    {
        foreach (var c in Cycles)
        {
            if (c.EndMicroseconds >= microseconds)
            {
                yield return c;
            }
        }
    }

    public void OnMainsCycle(MainsCycle cycle) => Cycles.Add(new CycleRecord(cycle));
}

/// <summary>An immutable copy of one <see cref="MainsCycle"/>.</summary>
internal sealed record CycleRecord(
    long EndMicroseconds,
    int PeriodMicroseconds,
    bool LineLocked,
    int FrequencyMillihertz,
    int LineNeutralMillivolts,
    int LineTtRefMillivolts,
    int CpcTtRefMillivolts,
    int HouseMilliamps,
    int EvMilliamps,
    int EvMilliwatts,
    int HouseMilliwatts,
    int SampleCount,
    int Sequence)
{
    public CycleRecord(MainsCycle c)
        : this(c.EndMicroseconds, c.PeriodMicroseconds, c.LineLocked, c.FrequencyMillihertz, c.LineNeutralMillivolts,
            c.LineTtRefMillivolts, c.CpcTtRefMillivolts, c.HouseMilliamps, c.EvMilliamps, c.EvMilliwatts, c.HouseMilliwatts, c.SampleCount, c.Sequence)
    {
    }
}
