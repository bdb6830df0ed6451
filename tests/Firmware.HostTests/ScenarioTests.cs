using System.Collections.Generic;
using System.IO;
using System.Linq;
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

    private static string Scenario(string variant, string extra, string steps, double duration = 30) =>
        "{ \"variant\": \"" + variant + "\", \"durationSeconds\": " + duration.ToString(System.Globalization.CultureInfo.InvariantCulture) +
        (extra.Length > 0 ? ", " + extra : "") + ", \"steps\": [" + steps + "] }";

    private const string ConnectAndCharge = """{"at": 1.0, "ev": "connect"}, {"at": 2.0, "ev": "requestCharge"}""";

    [Theory]
    [InlineData("type1-tethered", "\"cableAmps\": 16", 266, 16.0)]
    [InlineData("type2-tethered", "\"cableAmps\": 32", 533, 32.0)]
    [InlineData("type2-tethered", "\"cableAmps\": 20", 333, 20.0)]
    // The supply (cut-out) rating limits house import plus the EV; it reaches the EV only through
    // curtailment's claim: a 20 A supply with no house load leaves the EV 20 less the 1 A margin.
    [InlineData("type2-tethered", "\"cableAmps\": 32, \"supplyLimitAmps\": 20", 316, 19.0)]
    [InlineData("type2-socket", "\"ppOhms\": 1500", 216, 13.0)]
    [InlineData("type2-socket", "\"ppOhms\": 680", 333, 20.0)]
    [InlineData("type2-socket", "\"ppOhms\": 220", 533, 32.0)]
    [InlineData("type2-socket", "\"ppOhms\": 100", 533, 32.0)]
    public void Scenario_EachVariant_OffersItsRatingAndTheVehicleDrawsIt(string variant, string extra, int dutyPermille, double amps)
    {
        var run = new ScenarioHarness(Scenario(variant, extra, ConnectAndCharge));
        run.RunTo(12);
        Assert.True(run.Host.Board.ContactorClosed);
        Assert.Equal(dutyPermille, run.Host.Board.PilotDutyPermille);
        double offered = PilotDuty.ToMilliamps(dutyPermille) / 1000.0;
        Assert.InRange(run.Host.Firmware.Meter.LastCycle.EvMilliamps / 1000.0, offered - 0.5, offered + 0.5);
        Assert.True(offered <= amps);
        if (variant != "type2-socket")
        {
            Assert.False(run.Host.Board.SocketLockDriven, "tethered: the lock is never driven");
        }
        else
        {
            Assert.True(run.Host.Board.SocketLockDriven && run.Host.Board.ReadLocked(), "socket: locked while charging");
        }
    }

    [Fact]
    public void Scenario_SocketWithoutPlugResistor_NeverChargesAndSaysWhy()
    {
        var run = new ScenarioHarness(Scenario("type2-socket", "\"ppOhms\": 5000", ConnectAndCharge, 10));
        run.RunToEnd();
        Assert.Empty(run.Log.Of(ChargerEventKind.Contactor).Where(e => e.Flag));
        Assert.Contains(run.Log.Of(ChargerEventKind.Notice), e => e.Code == ChargingSession.ReasonPlugInvalid);
    }

    [Fact]
    public void Scenario_SocketLockJammed_NoChargingWithLockFailedFault()
    {
        var run = new ScenarioHarness(Scenario("type2-socket", "\"ppOhms\": 220", """{"at": 0.5, "socketLock": "jammed"}, """ + ConnectAndCharge, 10));
        run.RunToEnd();
        Assert.Empty(run.Log.Of(ChargerEventKind.Contactor).Where(e => e.Flag));
        Assert.Contains(run.Log.Of(ChargerEventKind.Fault), e => e.Code == ChargingSession.ReasonLockFailed && e.Flag);
        Assert.False(run.Host.Board.SocketLockDriven, "released: no current flows");
    }

    [Fact]
    public void Scenario_SocketUnplugged_UnlocksAfterTheContactorOpened()
    {
        var run = new ScenarioHarness(Scenario("type2-socket", "\"ppOhms\": 220", ConnectAndCharge + """, {"at": 10.0, "ev": "disconnect"}""", 12));
        run.RunTo(9.9);
        Assert.True(run.Host.Board.SocketLockDriven);
        run.RunToEnd();
        Assert.False(run.Host.Board.ContactorClosed);
        Assert.False(run.Host.Board.SocketLockDriven);
    }

    [Fact]
    public void Scenario_PauseWithOrdinaryVehicle_OpensOnlyAfterCurrentStopped()
    {
        var run = new ScenarioHarness(Scenario("type2-tethered", "\"evResponseSeconds\": 1.5", ConnectAndCharge + """, {"at": 10.0, "charger": "pause"}""", 16));
        var atOpening = new List<int>();
        run.Log.OnContactor = (closed) =>
        {
            if (!closed)
            {
                atOpening.Add(run.Host.Firmware.Meter.LastCycle.EvMilliamps);
            }
        };
        run.RunToEnd();
        long paused = run.Log.First(ChargerEventKind.Pwm, 10_000_000, e => e.Value == 1000);
        long opened = run.Log.First(ChargerEventKind.Contactor, 10_000_000, e => !e.Flag);
        Assert.InRange(opened - paused, 1_500_000, 1_700_000);
        Assert.Single(atOpening);
        Assert.True(atOpening[0] < 500, "EV current when the contactor opened: " + atOpening[0] + " mA");
    }

    [Fact]
    public void Scenario_VehicleIgnoresPwmWithdrawal_ForcedOpenAfter6Seconds()
    {
        var run = new ScenarioHarness(Scenario("type2-tethered", "\"evIgnoresPwmWithdrawal\": true", ConnectAndCharge + """, {"at": 10.0, "charger": "pause"}""", 20));
        run.RunToEnd();
        long paused = run.Log.First(ChargerEventKind.Pwm, 10_000_000, e => e.Value == 1000);
        long opened = run.Log.First(ChargerEventKind.Contactor, 10_000_000, e => !e.Flag);
        Assert.InRange(opened - paused, 5_990_000, 6_040_000);
        Assert.Contains(run.Log.Of(ChargerEventKind.Contactor), e => !e.Flag && e.Code == ChargingSession.ReasonStopTimeout);
    }

    [Fact]
    public void Scenario_SimplifiedVehicle_AStraightToC_Charges()
    {
        var run = new ScenarioHarness(Scenario("type1-tethered", "\"evSimplified\": true", """{"at": 5.0, "ev": "requestCharge"}""", 10));
        run.RunToEnd();
        Assert.DoesNotContain(run.Log.Of(ChargerEventKind.PilotState), e => e.Code == "B" && e.TimeMicroseconds > 5_000_000);
        long closed = run.Log.First(ChargerEventKind.Contactor, 5_000_000, e => e.Flag);
        Assert.InRange(closed - 5_000_000, 0, 3_000_000);
    }

    [Fact]
    public void Scenario_PenFaultWhileCharging_PilotFAtTheTripAndHeldWhileLatched()
    {
        var run = new ScenarioHarness(Scenario("type2-tethered", "\"pestMode\": \"A-electrode\"",
            ConnectAndCharge + """, {"at": 10.0, "supply": {"vLn": 230.0, "vLtt": 230.0, "vCpcTt": 80.0}}""", 15));
        run.RunToEnd();
        var trip = Assert.Single(run.Log.Of(ChargerEventKind.Trip));
        long f = run.Log.First(ChargerEventKind.PilotState, trip.TimeMicroseconds, e => e.Code == "F");
        Assert.Equal(trip.TimeMicroseconds, f);
        Assert.Equal(0, run.Host.Board.PilotDutyPermille);
        Assert.False(run.Host.Board.ContactorClosed);
    }

    [Fact]
    public void Scenario_PilotShortToPe_OpensWithin100MsAndRecoversWhenCleared()
    {
        var run = new ScenarioHarness(Scenario("type2-tethered", "", ConnectAndCharge + """, {"at": 10.0, "evFault": "pilotShortToPe"}, {"at": 12.0, "evFault": "none"}""", 16));
        run.RunToEnd();
        long opened = run.Log.First(ChargerEventKind.Contactor, 10_000_000, e => !e.Flag);
        Assert.InRange(opened - 10_000_000, 0, 100_000);
        Assert.Contains(run.Log.Of(ChargerEventKind.Fault), e => e.Code == ChargingSession.ReasonPilotShort);
        Assert.Contains(run.Log.Of(ChargerEventKind.FaultCleared), e => e.Code == ChargingSession.ReasonPilotShort);
        Assert.True(run.Host.Board.ContactorClosed, "charging again once the short is gone");
    }
}
