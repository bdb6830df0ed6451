using System.IO;
using System.Linq;
using System.Text;
using IndraSmartPro.Events;
using IndraSmartPro.Features.SmartCharging;
using IndraSmartPro.Simulator;
using IndraSmartPro.Simulator.Scenarios;
using IndraSmartPro.Json;
using IndraSmartPro.Telemetry;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>
/// Smart charging on the whole firmware (virtual board): the example scenarios' behaviour and
/// the smart-charging commands' strict validation (docs/mqtt.md, one result per message).
/// </summary>
public class SmartChargingHostTests
{
    private static ScenarioHarness Example(string name)
    {
        string path = Path.Combine(DeviceProjectTests.RepoRoot(), "scenarios", name);
        return new ScenarioHarness(File.ReadAllText(path));
    }

    private static long FirstContactor(ScenarioHarness run, bool closed, double fromSeconds) =>
        run.Log.First(ChargerEventKind.Contactor, (long)(fromSeconds * 1e6), e => e.Flag == closed);

    [Fact]
    public void NightSchedule_StartsAfterTheWindowOpensAndItsRandomisedDelay()
    {
        var run = Example("smart-night-schedule.json");
        run.RunToEnd();

        // 21:58 BST at t=0: the window opens at 22:00 BST (t=120 s), then waits at most 60 s.
        long closed = FirstContactor(run, true, 0);
        Assert.InRange(closed, 120_000_000, 181_000_000);
        Assert.Equal(16_000, run.Host.Firmware.Arbiter.LimitMilliamps);
        Assert.Equal(SmartCharging.ReasonSchedule, run.Host.Firmware.Arbiter.LimitReason);
    }

    [Fact]
    public void BoostDuringDefaultHours_ButtonAndCommand_ChargeAtOnceAndEnd()
    {
        var run = Example("smart-boost-default-hours.json");
        run.RunTo(9);
        Assert.False(run.Host.Board.ContactorClosed, "09:00 BST on a Monday: default hours (reg. 10)");
        Assert.Equal(SmartCharging.ReasonDefaultHours, run.Host.Firmware.Arbiter.LimitReason);

        run.RunToEnd();
        Assert.InRange(FirstContactor(run, true, 10), 10_000_000, 11_500_000);
        Assert.InRange(FirstContactor(run, false, 40), 40_000_000, 42_000_000);
        Assert.InRange(FirstContactor(run, true, 50), 50_000_000, 51_000_000);
        Assert.InRange(FirstContactor(run, false, 79), 80_000_000, 82_000_000);
        Assert.False(run.Host.Firmware.SmartCharging.Boost.Active);
    }

    [Fact]
    public void PowerCutDuringDelay_RestoresTheLimit_AndWaitsAFreshDelay()
    {
        var run = Example("smart-power-cut-during-delay.json");
        run.RunToEnd();

        // Power returns at t=42 s; the decision comes 2 s after the first run, the delay is at most 120 s.
        Assert.Equal(2, run.Log.Of(ChargerEventKind.Boot).Count());
        long closed = FirstContactor(run, true, 42);
        Assert.InRange(closed, 44_000_000, 165_000_000);
        Assert.Equal(10_000, run.Host.Firmware.Arbiter.LimitMilliamps);
        Assert.Equal(SmartCharging.ReasonPlatform, run.Host.Firmware.Arbiter.LimitReason);
        Assert.True(run.Host.Firmware.WallClock.Synchronised, "the time came back after the cut");
    }

    [Fact]
    public void BstChange_WindowInTheMissingHour_ChargesFromTheChangeToItsEnd()
    {
        var run = Example("smart-bst-change-schedule.json");
        run.RunToEnd();

        // 00:59 GMT at t=0; 01:00 UTC is 02:00 BST (t=60 s); the window ends at 02:03 BST (t=240 s).
        Assert.InRange(FirstContactor(run, true, 0), 60_000_000, 61_000_000);
        Assert.InRange(FirstContactor(run, false, 61), 240_000_000, 242_000_000);
    }

    private static string Execute(SimulatorHost host, string name, string payload)
    {
        var result = new JsonWriter(1024);
        host.Firmware.ExecuteCommand(name, Encoding.UTF8.GetBytes(payload), result);
        return Encoding.UTF8.GetString(result.Buffer, 0, result.Length);
    }

    [Theory]
    [InlineData("set-schedule", """{"id":"a","windows":[]}""", "missing-field", "kind")]
    [InlineData("set-schedule", """{"id":"a","kind":"weekly","windows":[]}""", "out-of-range", "kind")]
    [InlineData("set-schedule", """{"id":"a","kind":1}""", "wrong-type", "kind")]
    [InlineData("set-schedule", """{"id":"a","kind":"default"}""", "missing-field", "windows")]
    [InlineData("set-schedule", """{"id":"a","kind":"default","windows":{}}""", "wrong-type", "windows")]
    [InlineData("set-schedule", """{"id":"a","kind":"default","windows":[]}""", "out-of-range", "windows")]
    [InlineData("set-schedule", """{"id":"a","kind":"default","windows":[{"start":"25:00","end":"06:00","days":"all","amps":16}]}""", "out-of-range", "start")]
    [InlineData("set-schedule", """{"id":"a","kind":"default","windows":[{"start":"22:00","end":"6:00","days":"all","amps":16}]}""", "out-of-range", "end")]
    [InlineData("set-schedule", """{"id":"a","kind":"default","windows":[{"start":"22:00","end":"06:00","days":"mon-fry","amps":16}]}""", "out-of-range", "days")]
    [InlineData("set-schedule", """{"id":"a","kind":"default","windows":[{"start":"22:00","end":"06:00","days":"all","amps":5.9}]}""", "out-of-range", "amps")]
    [InlineData("set-schedule", """{"id":"a","kind":"default","windows":[{"start":"22:00","end":"06:00","days":"all"}]}""", "missing-field", "amps")]
    [InlineData("set-schedule", """{"id":"a","kind":"default","windows":[{"start":"22:00","end":"06:00","days":"all","amps":16,"x":1}]}""", "unknown-field", "x")]
    [InlineData("set-schedule", """{"id":"a","kind":"default","windows":[{"start":"22:00","end":"06:00","days":"all","amps":16}],"energyWh":0}""", "out-of-range", "energyWh")]
    [InlineData("set-schedule", """{"id":"a","kind":"session","windows":[{"start":"22:00","end":"06:00","days":"all","amps":16}]}""", "refused", "no-session")]
    [InlineData("clear-schedule", """{"id":"a","kind":"default","x":1}""", "unknown-field", "x")]
    [InlineData("boost", """{"id":"a","durationS":0}""", "out-of-range", "durationS")]
    [InlineData("boost", """{"id":"a","energyWh":"5"}""", "wrong-type", "energyWh")]
    [InlineData("boost", """{"id":"a"}""", "refused", "no-vehicle")]
    [InlineData("cancel-boost", """{"id":"a"}""", "refused", "not-running")]
    [InlineData("set-default-hours", """{"id":"a"}""", "missing-field", "windows")]
    [InlineData("set-default-hours", """{"id":"a","windows":[{"start":"08:00","end":"11:00","days":"mon-fri","amps":0}]}""", "unknown-field", "amps")]
    [InlineData("set-random-delay", """{"id":"a"}""", "missing-field", "maxS")]
    [InlineData("set-random-delay", """{"id":"a","maxS":1801}""", "out-of-range", "maxS")]
    [InlineData("set-random-delay", """{"id":"a","maxS":1.5}""", "out-of-range", "maxS")]
    [InlineData("cancel-random-delay", """{"id":"a"}""", "refused", "not-running")]
    public void Commands_BadOrRefused_OneResultWithReasonAndDetail(string name, string payload, string reason, string detail)
    {
        var host = new SimulatorHost();
        host.Boot();
        host.RunFor(3_000_000);
        string before = Encoding.UTF8.GetString(Snapshot(host));
        string result = Execute(host, name, payload);
        Assert.Contains("\"accepted\":false", result);
        Assert.Contains("\"reason\":\"" + reason + "\"", result);
        Assert.Contains("\"detail\":\"" + detail + "\"", result);
        Assert.Equal(before, Encoding.UTF8.GetString(Snapshot(host)));
    }

    [Theory]
    [InlineData("set-schedule", """{"id":"a","kind":"default","windows":[{"start":"22:00","end":"24:00","days":"fri-mon,wed","amps":16.5}],"energyWh":20000}""")]
    [InlineData("clear-schedule", """{"id":"a","kind":"session"}""")]
    [InlineData("set-default-hours", """{"id":"a","windows":[]}""")]
    [InlineData("set-default-hours", """{"id":"a","windows":[{"start":"08:00","end":"11:00","days":"mon-fri"},{"start":"16:00","end":"22:00","days":"mon-fri"}]}""")]
    [InlineData("set-random-delay", """{"id":"a","maxS":1800}""")]
    public void Commands_Valid_Accepted(string name, string payload)
    {
        var host = new SimulatorHost();
        host.Boot();
        string result = Execute(host, name, payload);
        Assert.Contains("\"accepted\":true", result);
    }

    [Fact]
    public void SetSchedule_DaysAndTimes_ParsedAsWritten()
    {
        var host = new SimulatorHost();
        host.Boot();
        Execute(host, "set-schedule", """{"id":"a","kind":"default","windows":[{"start":"22:00","end":"24:00","days":"fri-mon,wed","amps":16.5}]}""");
        var window = host.Firmware.SmartCharging.Settings.DefaultSchedule.Window(0);
        Assert.Equal(22 * 60, window.StartMinute);
        Assert.Equal(0, window.EndMinute);
        Assert.Equal(0b1110101, window.DaysMask); // Fri, Sat, Sun, Mon, Wed
        Assert.Equal(16_500, window.LimitMilliamps);
    }

[Fact]
    public void ReadHistory_Pages_SessionsAndEnergy()
    {
        var run = new ScenarioHarness("""
            { "variant": "type2-tethered", "durationSeconds": 400, "startUtc": "2026-06-06T11:55:00Z",
              "steps": [ {"at": 1.0, "ev": "requestCharge"}, {"at": 60.0, "ev": "disconnect"},
                         {"at": 100.0, "ev": "requestCharge"}, {"at": 160.0, "ev": "disconnect"} ] }
            """);
        run.RunToEnd();
        string sessions = Execute(run.Host, "read-history", """{"id":"h","log":"sessions"}""");
        Assert.True(sessions.Contains("\"accepted\":true"), sessions);
        Assert.True(sessions.Contains("\"log\":\"sessions\",\"oldest\":1,\"newest\":2"), sessions);
        Assert.True(sessions.Contains("[1,1,\"2026-06-06T11:55:0"), sessions);
        Assert.True(sessions.Contains("\"ev-disconnec\"]"), sessions);
        Assert.True(sessions.Contains("\"next\":0"), sessions);

        string first = Execute(run.Host, "read-history", """{"id":"h","log":"sessions","count":1}""");
        Assert.True(first.Contains("\"next\":2"), first);

        // 11:55 to 12:01:40 UTC: the half hour from 11:30 (partial) ended at 12:00.
        string energy = Execute(run.Host, "read-history", """{"id":"h","log":"energy","from":1}""");
        Assert.True(energy.Contains("\"entries\":[[1,\"2026-06-06T11:30:00Z\","), energy);
        Assert.True(energy.Contains(",1]]"), energy);

        string bad = Execute(run.Host, "read-history", """{"id":"h","log":"sessions","count":5}""");
        Assert.True(bad.Contains("\"reason\":\"out-of-range\",\"detail\":\"count\""), bad);
    }

        // The store's smart-charging record: unchanged when a command is rejected.
    private static byte[] Snapshot(SimulatorHost host)
    {
        var buffer = new byte[SmartChargingRecord.Length + 8];
        return host.Store.TryRead(SmartChargingRecord.StoreKey, buffer, out int length) ? buffer[..length] : System.Array.Empty<byte>();
    }
}
