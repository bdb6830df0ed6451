using System;
using System.Diagnostics;
using System.Threading;

namespace IndraSmartPro.Simulator;

/// <summary>
/// The wall clock a live (real-time) run follows: how much real time has passed and a way to
/// wait. Injected so tests can check the live loop's waits without sleeping.
/// </summary>
public interface ILiveWall
{
    /// <summary>Real time since the run started, in microseconds.</summary>
    long ElapsedMicroseconds { get; }

    /// <summary>Waits about <paramref name="microseconds"/> (> 0) or until cancelled.</summary>
    void Sleep(long microseconds, CancellationToken cancel);
}

/// <summary>The real wall clock: a stopwatch, and a wait on the cancellation handle.</summary>
public sealed class StopwatchWall : ILiveWall
{
    private readonly Stopwatch _watch = Stopwatch.StartNew();

    /// <inheritdoc/>
    public long ElapsedMicroseconds => _watch.ElapsedTicks * 1_000_000L / Stopwatch.Frequency;

    /// <inheritdoc/>
    public void Sleep(long microseconds, CancellationToken cancel)
    {
        // Whole milliseconds, rounded up: a wait of 0 ms would return at once and spin.
        cancel.WaitHandle.WaitOne(TimeSpan.FromMilliseconds((microseconds + 999) / 1000));
    }
}
