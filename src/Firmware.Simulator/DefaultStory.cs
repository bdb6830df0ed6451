using System.Collections.Generic;
using IndraSmartPro.Simulator.Scenarios;

namespace IndraSmartPro.Simulator;

/// <summary>
/// The story the simulator plays when started with no arguments: a healthy supply, an EV plugs
/// in, asks to charge and charges. It is a scenario (the same step machinery as <c>run</c>),
/// so the demo and scripted runs drive the virtual board identically.
/// </summary>
public static class DefaultStory
{
    /// <summary>The default story as a scenario (Type 2 tethered, 32 A cable, a vehicle taking up to 32 A).</summary>
    public static Scenario Create() => new Scenario
    {
        Variant = Firmware.Variant.Type2Tethered,
        DurationSeconds = ScenarioParser.MaxDurationSeconds,
        Steps = new List<ScenarioStep>
        {
            new ScenarioStep { AtSeconds = 2.0, Kind = StepKind.Ev, Action = "connect" },
            new ScenarioStep { AtSeconds = 4.0, Kind = StepKind.Ev, Action = "requestCharge" },
        },
    };
}
