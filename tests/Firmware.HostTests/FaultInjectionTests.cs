using System.Linq;
using IndraSmartPro.ControlPilot;
using IndraSmartPro.Events;
using IndraSmartPro.Simulator.Scenarios;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>
/// The scenario format's fault injections (docs/simulator.md, "Fault injection"), each run through
/// the whole firmware on the virtual board, checked against the behaviour docs/faults.md and
/// docs/invariants.md promise.
/// </summary>
public class FaultInjectionTests
{
    private static string Scenario(string variant, string extra, string steps, double duration = 30) =>
        "{ \"variant\": \"" + variant + "\", \"durationSeconds\": " + duration.ToString(System.Globalization.CultureInfo.InvariantCulture) +
        (extra.Length > 0 ? ", " + extra : "") + ", \"steps\": [" + steps + "] }";

    private const string Charge = """{"at": 1.0, "ev": "connect"}, {"at": 2.0, "ev": "requestCharge"}""";

    private static bool ContactorEverClosed(ScenarioHarness run) => run.Log.Of(ChargerEventKind.Contactor).Any(e => e.Flag);

    private static string[] TripCodes(ScenarioHarness run) => run.Log.Of(ChargerEventKind.Trip).Select(e => e.Code).ToArray();

    [Fact]
    public void Inject_ContactorWeldedFromTheStart_LatchesRelayWeldedAndNeverCloses()
    {
        var run = new ScenarioHarness(Scenario("type2-tethered", "", """{"at": 0, "contactor": "welded"}, """ + Charge, 15));
        run.RunToEnd();
        Assert.Contains("relay-welded", TripCodes(run));
        Assert.False(ContactorEverClosed(run));
        Assert.True(run.Host.Firmware.Pests.Latched);
    }

    [Fact]
    public void Inject_ContactorWeldsAtTheNextOpening_LatchesRelayWeldedVehicleStaysEarthed()
    {
        var run = new ScenarioHarness(Scenario("type2-tethered", "", """{"at": 0.5, "contactor": "weldAtNextOpening"}, """ + Charge + """, {"at": 12, "ev": "stopCharge"}""", 20));
        run.RunToEnd();
        Assert.True(ContactorEverClosed(run));
        long opened = run.Log.First(ChargerEventKind.Contactor, 12_000_000, e => !e.Flag);
        long tripped = run.Log.First(ChargerEventKind.Trip, 12_000_000, e => e.Code == "relay-welded");
        Assert.True(opened > 0 && tripped > 0, "welded at the opening and latched");
        Assert.InRange(tripped - opened, 0, 300_000);
        Assert.True(run.Host.Board.EarthRelayClosed, "a possibly live vehicle stays earthed (S4, P12)");
    }

    [Fact]
    public void Inject_RdcDdFaultWhileCharging_OpensAndLatches()
    {
        var run = new ScenarioHarness(Scenario("type2-tethered", "", Charge + """, {"at": 10, "rdcDd": "fault"}, {"at": 11, "rdcDd": "ok"}""", 20));
        run.RunToEnd();
        long tripped = run.Log.First(ChargerEventKind.Trip, 10_000_000, e => e.Code == "rdc-dd");
        long opened = run.Log.First(ChargerEventKind.Contactor, 10_000_000, e => !e.Flag);
        Assert.True(tripped > 0 && opened > 0);
        Assert.InRange(opened - 10_000_000, 0, 2_000);
        Assert.False(run.Host.Board.ContactorClosed, "latched after the fault output clears");
    }

    [Fact]
    public void Inject_RdcDdSelfTestFails_LatchesAndNeverCloses()
    {
        var run = new ScenarioHarness(Scenario("type2-tethered", "", """{"at": 0, "rdcDd": "selfTestFails"}, """ + Charge, 15));
        run.RunToEnd();
        Assert.Contains("rdc-dd-selftest-failed", TripCodes(run));
        Assert.False(ContactorEverClosed(run));
    }

    [Fact]
    public void Inject_PestToggleFlippedWhileCharging_OpensAndBlocksUntilPutBack()
    {
        var run = new ScenarioHarness(Scenario("type2-tethered", "", Charge + """, {"at": 10, "pestToggle": "B"}, {"at": 20, "pestToggle": "A"}""", 35));
        run.RunTo(15);
        Assert.False(run.Host.Board.ContactorClosed, "a toggle change refuses power (P15)");
        run.RunToEnd();
        Assert.True(run.Host.Board.ContactorClosed, "put back: charging resumes");
    }

    [Fact]
    public void Inject_PpResistorFallsWhileCharging_OfferLowersAndIsNotRaisedBack()
    {
        var run = new ScenarioHarness(Scenario("type2-socket", "\"ppOhms\": 220",
            Charge + """, {"at": 10, "ppOhms": 680}, {"at": 12, "ppOhms": 220}""", 25));
        run.RunTo(9);
        Assert.Equal(533, run.Host.Board.PilotDutyPermille);
        run.RunTo(11);
        Assert.Equal(333, run.Host.Board.PilotDutyPermille);
        run.RunToEnd();
        Assert.Equal(333, run.Host.Board.PilotDutyPermille);
        Assert.True(run.Host.Board.ContactorClosed);
    }

    [Fact]
    public void Inject_PpOpenWhileCharging_OpensTheContactor()
    {
        var run = new ScenarioHarness(Scenario("type2-socket", "\"ppOhms\": 220", Charge + """, {"at": 10, "ppOhms": null}""", 15));
        run.RunToEnd();
        long opened = run.Log.First(ChargerEventKind.Contactor, 10_000_000, e => !e.Flag);
        Assert.InRange(opened - 10_000_000, 0, 150_000);
    }

    [Fact]
    public void Inject_PilotNoiseAroundC_NeverOpensUnderLoad()
    {
        var run = new ScenarioHarness(Scenario("type2-tethered", "", Charge + """, {"at": 8, "pilot": {"noiseVolts": 0.8}}""", 40));
        bool openedWhileDrawing = false;
        run.Log.OnContactor = closed => openedWhileDrawing |= !closed && run.Host.Board.Ev.DrawAmps > 0.5;
        run.RunToEnd();
        Assert.True(run.Host.Board.ContactorClosed);
        Assert.False(openedWhileDrawing);
        Assert.Single(run.Log.Of(ChargerEventKind.Contactor).Where(e => e.Flag));
    }

    [Fact]
    public void Inject_PilotLevelBetweenBAndC_NeverCloses()
    {
        // The vehicle shows B (about 8.9 V) lowered by 1.4 V to 7.5 V: in no J1772 band, between B and C.
        var run = new ScenarioHarness(Scenario("type2-tethered", "", """{"at": 0.5, "pilot": {"offsetVolts": -1.4}}, {"at": 1.0, "ev": "connect"}""", 15));
        run.RunToEnd();
        Assert.False(ContactorEverClosed(run));
    }

    [Fact]
    public void Inject_EvDrawsMoreThanOffered_MeteredAsDrawn()
    {
        var run = new ScenarioHarness(Scenario("type2-tethered", "\"cableAmps\": 16", Charge + """, {"at": 8, "evOverdrawAmps": 6}""", 12));
        run.RunToEnd();
        Assert.InRange(run.Host.Firmware.Meter.LastCycle.EvMilliamps, 21_500, 22_500);
    }

    [Fact]
    public void Inject_SupplyFrequencyHarmonicsAndDcWithinLimits_ChargingGoesOn()
    {
        var run = new ScenarioHarness(Scenario("type2-tethered", "",
            Charge + """, {"at": 8, "supplyQuality": {"hz": 50.5, "h3Percent": 5, "h5Percent": 4, "h7Percent": 3, "dcVolts": 2}}""", 20));
        run.RunToEnd();
        Assert.Empty(run.Log.Of(ChargerEventKind.Trip));
        Assert.True(run.Host.Board.ContactorClosed);
        Assert.InRange(run.Host.Firmware.Meter.LastCycle.PeriodMicroseconds, 19_700, 19_900);
    }

    [Theory]
    [InlineData("""{ "variant": "type2-tethered", "variant": "type1-tethered", "durationSeconds": 10, "steps": [] }""", "scenario: duplicate key 'variant'")]
    [InlineData("""{ "variant": "type2-tethered", "durationSeconds": 10, "steps": [ {"at": 1, "at": 2, "ev": "connect"} ] }""", "steps[0]: duplicate key 'at'")]
    [InlineData("""{ "variant": "type2-tethered", "durationSeconds": 10, "steps": [ {"at": 1, "ev": "connect"}, {"at": 2, "supply": {"vLn": 230, "vLn": 200, "vLtt": 230, "vCpcTt": 0}} ] }""", "steps[1].supply: duplicate key 'vLn'")]
    [InlineData("""{ "variant": "type2-tethered", "durationSeconds": 10, "steps": [ {"at": 1, "contactor": "melted"} ] }""", "unknown contactor value 'melted'")]
    [InlineData("""{ "variant": "type2-tethered", "durationSeconds": 10, "steps": [ {"at": 1, "pilot": {"offsetVolts": 20}} ] }""", "'offsetVolts' must be -12..12")]
    [InlineData("""{ "variant": "type2-tethered", "durationSeconds": 10, "steps": [ {"at": 1, "supplyQuality": {"hz": 50, "thd": 5}} ] }""", "unknown field 'thd'")]
    [InlineData("""{ "variant": "type2-tethered", "durationSeconds": 10, "steps": [ {"at": 1, "ppOhms": -5} ] }""", "'ppOhms' must be a non-negative whole number")]
    public void Parse_BadInjectionOrDuplicateKey_RejectedNamingIt(string json, string expected)
    {
        var error = Assert.Throws<ScenarioException>(() => ScenarioParser.Parse(json));
        Assert.Contains(expected, error.Message);
    }
}
