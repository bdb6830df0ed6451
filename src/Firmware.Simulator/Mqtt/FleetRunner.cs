using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace IndraSmartPro.Simulator.Mqtt;

/// <summary>
/// Runs several virtual chargers on one thread in real time: simulated time follows the wall
/// clock in 10 ms steps, each charger's scheduler running up to the step in turn. Each charger's
/// MQTT link has its own network thread, so a slow broker slows none of them.
/// </summary>
public static class FleetRunner
{
    private const long StepMicroseconds = 10_000;

    /// <summary>
    /// Runs until <paramref name="endMicroseconds"/> of simulated time or cancellation.
    /// <paramref name="everyStep"/> is called after each step with the simulated time.
    /// Returns how far simulated time fell behind the wall clock at worst, in microseconds.
    /// </summary>
    public static long RunRealTime(IReadOnlyList<SimulatorHost> hosts, long endMicroseconds, CancellationToken cancel, Action<long> everyStep = null)
    {
        var wall = Stopwatch.StartNew();
        long start = hosts[0].NowMicroseconds;
        long now = start;
        long worstLag = 0;
        while (!cancel.IsCancellationRequested && now < endMicroseconds)
        {
            long next = Math.Min(endMicroseconds, now + StepMicroseconds);
            long wallNow = start + (wall.ElapsedTicks * 1_000_000L / Stopwatch.Frequency);
            if (wallNow < next)
            {
                // Ahead of the wall clock: wait for it rather than spin.
                cancel.WaitHandle.WaitOne(TimeSpan.FromMilliseconds((next - wallNow) / 1000.0));
                continue;
            }

            worstLag = Math.Max(worstLag, wallNow - next);
            foreach (var host in hosts)
            {
                host.RunUntil(next);
            }

            now = next;
            everyStep?.Invoke(now);
        }

        return worstLag;
    }
}
