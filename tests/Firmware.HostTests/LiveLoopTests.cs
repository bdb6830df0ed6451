using System.Collections.Generic;
using System.Threading;
using IndraSmartPro.Simulator;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>
/// The single-charger live loop sleeps until the scheduler's next due task instead of spinning.
/// A fake wall clock that moves only when the loop sleeps: no real time passes in the test.
/// </summary>
public class LiveLoopTests
{
    private sealed class FakeWall : ILiveWall
    {
        private readonly SimulatorHost _host;

        public FakeWall(SimulatorHost host)
        {
            _host = host;
        }

        public long ElapsedMicroseconds { get; private set; }

        public int Reads { get; private set; }

        public List<(long Asked, long Expected)> Sleeps { get; } = new();

        long ILiveWall.ElapsedMicroseconds
        {
            get
            {
                Reads++;
                return ElapsedMicroseconds;
            }
        }

        public void Sleep(long microseconds, CancellationToken cancel)
        {
            // What the loop should ask for: from now to the next due task, capped at 10 ms.
            long now = _host.NowMicroseconds;
            long nextDue = _host.Firmware.Scheduler.NextDueMicroseconds;
            Sleeps.Add((microseconds, System.Math.Min(nextDue - now, 10_000)));
            ElapsedMicroseconds += microseconds;
        }
    }

    [Fact]
    public void LiveLoop_OneSimulatedSecond_EachSleepLastsUntilTheNextDueTask()
    {
        var host = new SimulatorHost();
        host.Boot();
        host.RunFor(100_000);
        var wall = new FakeWall(host);
        long start = host.NowMicroseconds;

        host.RunRealTime(start + 1_000_000, CancellationToken.None, null, wall);

        Assert.Equal(start + 1_000_000, host.NowMicroseconds);
        Assert.NotEmpty(wall.Sleeps);
        foreach (var (asked, expected) in wall.Sleeps)
        {
            Assert.True(asked > 0);
            Assert.Equal(expected, asked);
        }

        // Protection and PEST run every 1 ms, so the pilot every 1.037 ms, a second holds about 2000 waits, each of which
        // the loop reached by reading the wall clock a bounded number of times: no spinning.
        Assert.InRange(wall.Sleeps.Count, 900, 2100);
        Assert.True(wall.Reads <= 3 * (wall.Sleeps.Count + 1), "wall clock read " + wall.Reads + " times for " + wall.Sleeps.Count + " sleeps");
    }
}
