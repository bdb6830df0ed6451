using IndraSmartPro.Simulator.VirtualBoard;

namespace IndraSmartPro.Simulator;

/// <summary>
/// The story the simulator plays when started with no arguments: a healthy supply, an EV plugs
/// in, asks to charge and charges. Steps are applied when simulated time reaches them.
/// </summary>
public sealed class DefaultStory
{
    private int _next;

    private static readonly (double AtSeconds, string What)[] Steps =
    {
        (2.0, "connect"),
        (4.0, "requestCharge"),
    };

    /// <summary>Simulated time the next step is due, microseconds; long.MaxValue when done.</summary>
    public long NextMicroseconds => _next < Steps.Length ? (long)(Steps[_next].AtSeconds * 1e6) : long.MaxValue;

    /// <summary>Applies every step due at or before <paramref name="nowMicroseconds"/>.</summary>
    public void Apply(VirtualBoard.VirtualBoard board, long nowMicroseconds)
    {
        while (_next < Steps.Length && (long)(Steps[_next].AtSeconds * 1e6) <= nowMicroseconds)
        {
            switch (Steps[_next].What)
            {
                case "connect":
                    board.Ev.Load = EvPilotLoad.Connected;
                    break;
                case "requestCharge":
                    board.Ev.Load = EvPilotLoad.Requesting;
                    break;
            }

            _next++;
        }
    }
}
