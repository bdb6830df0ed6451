using System.IO;
using IndraSmartPro.ControlPilot;
using IndraSmartPro.Events;
using IndraSmartPro.Simulator;
using IndraSmartPro.Simulator.Scenarios;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>Whole-firmware charging sessions on the virtual board, driven by JSON scenarios.</summary>
public class ScenarioTests
{
    private const string Basic = """
        { "variant": "type2-tethered", "durationSeconds": 30,
          "steps": [ {"at": 1.0, "ev": "connect"}, {"at": 3.0, "ev": "requestCharge"},
                     {"at": 20.0, "ev": "stopCharge"}, {"at": 25.0, "ev": "disconnect"} ] }
        """;

    [Fact]
    public void Scenario_ConnectRequestStopDisconnect_ChargesThenOpensAndEndsSession()
    {
        var run = new ScenarioHarness(Basic);
        run.RunTo(10);
        Assert.True(run.Host.Board.ContactorClosed);
        Assert.Equal(SessionState.Charging, run.Host.Firmware.Session.State);
        Assert.Equal(533, run.Host.Board.PilotDutyPermille);
        Assert.InRange(run.Host.Board.Ev.DrawAmps, 31.9, 32.0);

        run.RunToEnd();
        Assert.False(run.Host.Board.ContactorClosed);
        Assert.Equal(SessionState.Idle, run.Host.Firmware.Session.State);
        var stopped = Assert.Single(run.Log.Of(ChargerEventKind.SessionStopped));
        // About 7.35 kW for the ~16 s the vehicle drew current: ~32 Wh.
        Assert.InRange(stopped.Value, 28, 36);
    }

    [Fact]
    public void Scenario_BToC_ClosesWithin3Seconds()
    {
        var run = new ScenarioHarness(Basic);
        run.RunToEnd();
        long c = run.Log.First(ChargerEventKind.PilotState, 3_000_000, e => e.Code == "C");
        long closed = run.Log.First(ChargerEventKind.Contactor, 3_000_000, e => e.Flag);
        Assert.True(c > 0 && closed > 0);
        Assert.InRange(closed - 3_000_000, 0, 3_000_000);
    }

    [Fact]
    public void Scenario_CToB_OpensWithin100Milliseconds()
    {
        var run = new ScenarioHarness(Basic);
        run.RunToEnd();
        long opened = run.Log.First(ChargerEventKind.Contactor, 20_000_000, e => !e.Flag);
        Assert.InRange(opened - 20_000_000, 0, 100_000);
    }

    [Fact]
    public void DefaultStory_Played_Charges()
    {
        var story = DefaultStory.Create();
        var host = new SimulatorHost(story.ToConfig());
        var player = new ScenarioPlayer(story, host);
        player.Prepare();
        host.Boot();
        for (long t = 0; t < 10_000_000; t += 10_000)
        {
            host.RunUntil(t);
            player.Apply(t);
        }

        Assert.True(host.Board.ContactorClosed);
        Assert.True(host.Firmware.Meter.LastCycle.EvMilliamps > 30_000);
    }

    [Fact]
    public void RunCommand_ExampleScenarios_ExitZeroAndPrintEvents()
    {
        string dir = Path.Combine(DeviceProjectTests.RepoRoot(), "scenarios");
        foreach (string file in Directory.GetFiles(dir, "*.json"))
        {
            var stdout = new StringWriter();
            int code = Program.Run(new[] { "run", file }, stdout, new StringWriter());
            Assert.Equal(0, code);
            Assert.Contains("\"type\":\"pilot\"", stdout.ToString());
        }
    }
}
