using System;
using System.Diagnostics;
using System.Threading;
using IndraSmartPro.Firmware;
using IndraSmartPro.Persistence;
using IndraSmartPro.Simulator.VirtualBoard;

namespace IndraSmartPro.Simulator;

/// <summary>
/// Runs the real firmware composition on the virtual board: advance the simulated clock to the
/// next due task, run what is due, repeat. Faster than real time unless paced.
/// </summary>
public sealed class SimulatorHost
{
    public SimulatorHost(ChargerConfig config = null, IStore store = null, ulong seed = 1)
    {
        Clock = new SimulatedClock();
        Board = new VirtualBoard.VirtualBoard(Clock, seed);
        Store = store ?? new MemoryStore();
        Config = config ?? new ChargerConfig();
        Firmware = new ChargerFirmware(Board, Store, Config);
    }

    public SimulatedClock Clock { get; }

    public VirtualBoard.VirtualBoard Board { get; }

    public IStore Store { get; }

    public ChargerConfig Config { get; }

    public ChargerFirmware Firmware { get; private set; }

    private readonly System.Collections.Generic.List<IndraSmartPro.Events.IChargerEventListener> _listeners = new();

    public long NowMicroseconds => Clock.NowMicroseconds;

    /// <summary>Boots the firmware (after listeners have subscribed).</summary>
    public void Boot() => Firmware.Boot();

    /// <summary>Subscribes a listener to the firmware's events, again after every <see cref="PowerCut"/>.</summary>
    public void Subscribe(IndraSmartPro.Events.IChargerEventListener listener)
    {
        _listeners.Add(listener);
        Firmware.Events.Subscribe(listener);
    }

    /// <summary>
    /// The supply fails for <paramref name="offMicroseconds"/>: the relays drop out, the firmware
    /// stops, the board forgets the time of day (the ESP32 has no battery-backed clock), then a
    /// new firmware boots on the same board and store, as the device does when power returns.
    /// </summary>
    public void PowerCut(long offMicroseconds)
    {
        Board.OpenAll();
        Board.HoldNegative();
        Board.ForgetUtc();
        Clock.AdvanceTo(Clock.NowMicroseconds + offMicroseconds);
        Firmware = new ChargerFirmware(Board, Store, Config);
        foreach (var listener in _listeners)
        {
            Firmware.Events.Subscribe(listener);
        }

        Firmware.Boot();
    }

    /// <summary>Runs simulated time up to <paramref name="endMicroseconds"/> as fast as possible. Allocation-free.</summary>
    public void RunUntil(long endMicroseconds)
    {
        var scheduler = Firmware.Scheduler;
        while (true)
        {
            long next = scheduler.NextDueMicroseconds;
            if (next > endMicroseconds)
            {
                Clock.AdvanceTo(endMicroseconds);
                return;
            }

            Clock.AdvanceTo(next);
            scheduler.RunDue();
        }
    }

    /// <summary>Runs for <paramref name="microseconds"/> more simulated time.</summary>
    public void RunFor(long microseconds) => RunUntil(Clock.NowMicroseconds + microseconds);

    /// <summary>Longest wait of the live loop, so the per-step callback still runs every 10 ms.</summary>
    public const long MaxLiveWaitMicroseconds = 10_000;

    /// <summary>
    /// Runs in real time until <paramref name="endMicroseconds"/> or cancellation: simulated time
    /// follows the wall clock. Between runs the thread sleeps until the scheduler's next due task
    /// (at most <see cref="MaxLiveWaitMicroseconds"/>) instead of spinning, as the device's loop does.
    /// <paramref name="everyStep"/> runs after each catch-up with the simulated time.
    /// </summary>
    public void RunRealTime(long endMicroseconds, CancellationToken cancel, Action<long> everyStep = null, ILiveWall wall = null)
    {
        wall ??= new StopwatchWall();
        long startSim = Clock.NowMicroseconds - wall.ElapsedMicroseconds;
        while (!cancel.IsCancellationRequested && Clock.NowMicroseconds < endMicroseconds)
        {
            long target = Math.Min(endMicroseconds, startSim + wall.ElapsedMicroseconds);
            if (target > Clock.NowMicroseconds)
            {
                RunUntil(target);
                everyStep?.Invoke(Clock.NowMicroseconds);
            }

            long wait = LiveWaitMicroseconds(endMicroseconds) - (startSim + wall.ElapsedMicroseconds - Clock.NowMicroseconds);
            if (wait > 0)
            {
                wall.Sleep(wait, cancel);
            }
        }
    }

    /// <summary>
    /// How long, in simulated microseconds from now, the live loop may wait: until the next due
    /// task or <paramref name="endMicroseconds"/>, at most <see cref="MaxLiveWaitMicroseconds"/>.
    /// </summary>
    public long LiveWaitMicroseconds(long endMicroseconds)
    {
        long now = Clock.NowMicroseconds;
        long until = Math.Min(Math.Min(Firmware.Scheduler.NextDueMicroseconds, endMicroseconds), now + MaxLiveWaitMicroseconds);
        return Math.Max(0, until - now);
    }
}
