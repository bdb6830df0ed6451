using System.Collections.Generic;
using IndraSmartPro.Events;
using IndraSmartPro.Persistence;
using IndraSmartPro.Simulator;
using IndraSmartPro.Simulator.Scenarios;

namespace IndraSmartPro.HostTests;

/// <summary>One recorded event, copied (the bus reuses its instance).</summary>
public sealed record RecordedEvent(ChargerEventKind Kind, long TimeMicroseconds, int Value, bool Flag, string Code);

/// <summary>Records every event; lets a test also check an invariant on every event as it happens.</summary>
public sealed class EventLog : IChargerEventListener
{
    public List<RecordedEvent> Events { get; } = new();

    /// <summary>Called with the contactor's new state as its event is published (the firmware is mid-step).</summary>
    public System.Action<bool> OnContactor { get; set; }

    public void OnEvent(ChargerEvent e)
    {
        Events.Add(new RecordedEvent(e.Kind, e.TimeMicroseconds, e.Value, e.Flag, e.Code));
        if (e.Kind == ChargerEventKind.Contactor)
        {
            OnContactor?.Invoke(e.Flag);
        }
    }

    public IEnumerable<RecordedEvent> Of(ChargerEventKind kind)
    {
        foreach (var e in Events)
        {
            if (e.Kind == kind)
            {
                yield return e;
            }
        }
    }

    /// <summary>Time of the first event of a kind at or after a time matching a predicate, or -1.</summary>
    public long First(ChargerEventKind kind, long fromMicroseconds, System.Func<RecordedEvent, bool> match)
    {
        foreach (var e in Events)
        {
            if (e.Kind == kind && e.TimeMicroseconds >= fromMicroseconds && match(e))
            {
                return e.TimeMicroseconds;
            }
        }

        return -1;
    }
}

/// <summary>Builds a host, a player and an event log from scenario JSON, as the run command does.</summary>
public sealed class ScenarioHarness
{
    public ScenarioHarness(string json, IStore store = null, ulong seed = 1)
    {
        Scenario = ScenarioParser.Parse(json);
        Host = new SimulatorHost(Scenario.ToConfig(), store, seed);
        Log = new EventLog();
        Host.Subscribe(Log);
        Player = new ScenarioPlayer(Scenario, Host);
        Player.Prepare();
        Host.Boot();
    }

    public Scenario Scenario { get; }

    public SimulatorHost Host { get; }

    public ScenarioPlayer Player { get; }

    public EventLog Log { get; }

    /// <summary>Plays steps and runs simulated time up to <paramref name="seconds"/>.</summary>
    public void RunTo(double seconds)
    {
        long end = (long)(seconds * 1e6);
        Player.Apply(Host.NowMicroseconds);
        while (Host.NowMicroseconds < end)
        {
            long next = System.Math.Min(Player.NextMicroseconds, end);
            Host.RunUntil(next);
            Player.Apply(Host.NowMicroseconds);
        }
    }

    public void RunToEnd() => RunTo(Scenario.DurationSeconds);
}
