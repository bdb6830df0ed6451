using IndraSmartPro.Board;

namespace IndraSmartPro.Simulator.VirtualBoard;

/// <summary>Simulated time: advances only when the simulator says so.</summary>
public sealed class SimulatedClock : IMicrosecondClock
{
    public long NowMicroseconds { get; private set; }

    /// <summary>Moves time forward to <paramref name="microseconds"/> (never backwards).</summary>
    public void AdvanceTo(long microseconds)
    {
        if (microseconds > NowMicroseconds)
        {
            NowMicroseconds = microseconds;
        }
    }
}
