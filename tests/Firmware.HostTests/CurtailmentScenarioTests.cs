using System;
using System.Linq;
using IndraSmartPro.ControlPilot;
using IndraSmartPro.Events;
using IndraSmartPro.Features.Curtailment;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>
/// Load curtailment on the whole firmware and the virtual board: the virtual CT sees house + EV −
/// solar with its sign, the EV takes the scenario's response time to follow the pilot.
/// </summary>
public class CurtailmentScenarioTests
{
    private static string Scenario(double duration, string extra, string steps) =>
        "{ \"variant\": \"type2-tethered\", \"durationSeconds\": " + duration.ToString(System.Globalization.CultureInfo.InvariantCulture) +
        (extra.Length > 0 ? ", " + extra : "") + ", \"steps\": [" + steps + "] }";

    /// <summary>What flows through the clamp now (house + EV − solar), amps.</summary>
    private static double Import(ScenarioHarness run) => run.Host.Board.ImportAmps(run.Host.NowMicroseconds);

    [Fact]
    public void Curtailment_HouseStep_DutyCutWithin1sAndImportUnderRatingWithin7s()
    {
        // 60 A supply, EV at 32 A taking the full 5 s IEC 61851-1 allows to follow.
        var run = new ScenarioHarness(Scenario(40, "\"supplyLimitAmps\": 60, \"evResponseSeconds\": 5",
            """{"at": 0, "houseLoadAmps": 20}, {"at": 1, "ev": "requestCharge"}, {"at": 30, "houseLoadAmps": 45}"""));
        run.RunTo(29.9);
        Assert.Equal(533, run.Host.Board.PilotDutyPermille);
        Assert.InRange(Import(run), 51.5, 52.5);

        run.RunTo(31);
        long cut = run.Log.First(ChargerEventKind.Pwm, 30_000_000, e => e.Value < 533);
        Assert.InRange(cut - 30_000_000, 0, 1_000_000);

        // 60 − 1 A margin − 45 = 14 A offered (duty 23.3 %), less the meter's error.
        Assert.InRange(PilotDuty.ToMilliamps(run.Host.Board.PilotDutyPermille), 13400, 14000);
        run.RunTo(37);
        Assert.True(Import(run) <= 60.0, "import " + Import(run) + " A 7 s after the step");
    }

    [Fact]
    public void Curtailment_NoisyHouseNearTheLimit_NoOscillationAndUnderRatingPlusMargin()
    {
        // 45 A supply, 14 A house with 1 A of noise changing every 0.5 s: the EV is limited at
        // about 29 A, right where noise pushes the import over the rating if the offer chases it.
        var run = new ScenarioHarness(Scenario(600, "\"supplyLimitAmps\": 45, \"evResponseSeconds\": 2",
            """{"at": 0, "houseLoadAmps": 14}, {"at": 0, "houseLoadNoise": {"amps": 1.0, "periodSeconds": 0.5}}, {"at": 1, "ev": "requestCharge"}"""));
        run.RunTo(30);
        int changesBefore = run.Host.Firmware.Curtailment.ClaimChanges;
        double worstSecond = 0;
        for (int second = 31; second <= 600; second++)
        {
            double sum = 0;
            for (int i = 0; i < 10; i++)
            {
                run.RunTo(second - 1 + (i + 1) / 10.0);
                sum += Import(run);
            }

            worstSecond = Math.Max(worstSecond, sum / 10);
        }

        // The cut-out's fuse heats with the current over time: the 1 s mean stays under rating + margin.
        Assert.True(worstSecond <= 46.0, "worst 1 s import " + worstSecond + " A");
        int changes = run.Host.Firmware.Curtailment.ClaimChanges - changesBefore;

        // No oscillation: at most 60 changes an hour (OpenEVSE's shaper made 52 an hour on the
        // recorded trace, with a 5 s raise pacing the bound would be 720).
        Assert.True(changes * 3600 / 570 <= 60, changes + " limit changes in 570 s");
        Assert.Equal(CurtailmentState.Following, run.Host.Firmware.Curtailment.State);
    }

    [Fact]
    public void Curtailment_CtUnpluggedWhileCharging_FaultThenFallback6AThenRecovers()
    {
        var run = new ScenarioHarness(Scenario(60, "\"supplyLimitAmps\": 60",
            """{"at": 0, "houseLoadAmps": 10}, {"at": 1, "ev": "requestCharge"}, {"at": 20, "ct": "disconnected"}, {"at": 40, "ct": "ok"}"""));
        run.RunTo(30);
        long fault = run.Log.First(ChargerEventKind.Fault, 20_000_000, e => e.Code == CtHealths.CodeDisconnected);
        Assert.InRange(fault - 20_000_000, 0, 4_000_000);
        Assert.Equal(6000, run.Host.Firmware.Arbiter.LimitMilliamps);
        Assert.Equal(CurtailmentController.ReasonCtFault, run.Host.Firmware.Arbiter.LimitReason);
        Assert.True(run.Host.Board.ContactorClosed, "the fallback keeps charging at 6 A");
        run.RunToEnd();
        Assert.True(run.Log.First(ChargerEventKind.FaultCleared, 40_000_000, e => e.Code == CtHealths.CodeDisconnected) > 0);
        Assert.Equal(CtHealth.Healthy, run.Host.Firmware.Curtailment.Health);
    }

    [Fact]
    public void Curtailment_CtStuck_DetectedWhenTheEvCurrentSteps()
    {
        var run = new ScenarioHarness(Scenario(40, "\"supplyLimitAmps\": 60, \"generationFitted\": true",
            """{"at": 0, "houseLoadAmps": 10}, {"at": 1, "ev": "requestCharge"}, {"at": 15, "ct": "stuck"}, {"at": 20, "ev": "stopCharge"}"""));
        run.RunToEnd();
        long fault = run.Log.First(ChargerEventKind.Fault, 20_000_000, e => e.Code == CtHealths.CodeStuck);
        Assert.InRange(fault - 20_000_000, 0, 6_000_000);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Curtailment_ClampFittedBackwards_DetectedAtSessionStartAndFallsBack(bool generationFitted)
    {
        var run = new ScenarioHarness(Scenario(30, "\"supplyLimitAmps\": 60, \"generationFitted\": " + (generationFitted ? "true" : "false"),
            """{"at": 0, "ct": "reversed"}, {"at": 0, "houseLoadAmps": 10}, {"at": 1, "ev": "requestCharge"}"""));
        run.RunToEnd();
        long closed = run.Log.First(ChargerEventKind.Contactor, 0, e => e.Flag);
        long fault = run.Log.First(ChargerEventKind.Fault, 0, e => e.Code == CtHealths.CodeReversed);
        Assert.True(closed > 0 && fault > closed);

        // EREC G100: brought to a safe level well inside 15 s of charging starting.
        Assert.InRange(fault - closed, 0, 8_000_000);
        Assert.Equal(6000, run.Host.Firmware.Arbiter.LimitMilliamps);
        Assert.True(run.Host.Firmware.Curtailment.ImportMilliamps < 0, "the reversed clamp reads export");
    }

    [Fact]
    public void Curtailment_EcoPlus_FollowsSurplusThenPausesWithoutOpeningUnderLoad()
    {
        var run = new ScenarioHarness(Scenario(200, "\"supplyLimitAmps\": 60, \"generationFitted\": true, \"solarMode\": \"eco-plus\", \"evResponseSeconds\": 2",
            """{"at": 0, "houseLoadAmps": 3}, {"at": 0, "solarAmps": 20}, {"at": 1, "ev": "requestCharge"}, {"at": 60, "solarRamp": {"amps": 4, "seconds": 20}}"""));
        bool openedUnderLoad = false;
        run.Log.OnContactor = closed => openedUnderLoad |= !closed && run.Host.Board.Ev.DrawAmps > 0.5;
        run.RunTo(59);

        // 17 A of surplus: the EV takes it; the import settles near zero.
        Assert.InRange(run.Host.Firmware.Curtailment.ClaimMilliamps, 15000, 17000);
        Assert.InRange(Import(run), -2.5, 0.5);
        Assert.Equal(CurtailmentController.ReasonSolarEcoPlus, run.Host.Firmware.Arbiter.LimitReason);

        run.RunToEnd();
        Assert.Equal(CurtailmentState.Paused, run.Host.Firmware.Curtailment.State);
        Assert.False(run.Host.Board.ContactorClosed);
        Assert.False(openedUnderLoad, "the contactor opened only after the vehicle stopped drawing");
    }

    [Fact]
    public void Curtailment_Eco_KeepsAtLeast6AFromTheGridWhenTheSurplusFalls()
    {
        var run = new ScenarioHarness(Scenario(200, "\"supplyLimitAmps\": 60, \"generationFitted\": true, \"solarMode\": \"eco\", \"evResponseSeconds\": 2",
            """{"at": 0, "houseLoadAmps": 3}, {"at": 0, "solarAmps": 20}, {"at": 1, "ev": "requestCharge"}, {"at": 60, "solarRamp": {"amps": 4, "seconds": 20}}"""));
        run.RunToEnd();
        Assert.Equal(CurtailmentState.Following, run.Host.Firmware.Curtailment.State);
        Assert.InRange(run.Host.Firmware.Curtailment.ClaimMilliamps, 6000, 6500);
        Assert.True(run.Host.Board.ContactorClosed);
        Assert.InRange(run.Host.Board.Ev.DrawAmps, 5.9, 6.6);
    }

    [Fact]
    public void Curtailment_SolarModeStep_SwitchesFastToEco()
    {
        var run = new ScenarioHarness(Scenario(60, "\"supplyLimitAmps\": 60, \"generationFitted\": true",
            """{"at": 0, "houseLoadAmps": 3}, {"at": 0, "solarAmps": 15}, {"at": 1, "ev": "requestCharge"}, {"at": 20, "solarMode": "eco"}"""));
        run.RunTo(19);
        Assert.Equal(32000, run.Host.Firmware.Arbiter.LimitMilliamps);
        run.RunToEnd();
        Assert.Equal(SolarMode.Eco, run.Host.Firmware.Curtailment.Settings.Mode);
        Assert.InRange(run.Host.Firmware.Curtailment.ClaimMilliamps, 10000, 12000);
    }

    [Fact]
    public void Curtailment_ReplayOfRecordedHouseLoad_StaysUnderTheSiteLimit()
    {
        // The first 5 minutes of a real house load (tests/Data/data_shaper.csv) on its 36 A site limit.
        string file = System.IO.Path.Combine(DeviceProjectTests.RepoRoot(), "tests", "Data", "data_shaper.csv").Replace("\\", "/");
        var run = new ScenarioHarness(Scenario(300, "\"supplyLimitAmps\": 36, \"evResponseSeconds\": 5",
            "{\"at\": 0, \"houseLoadReplay\": {\"file\": \"" + file + "\"}}, {\"at\": 1, \"ev\": \"requestCharge\"}"));
        // A recorded load jumps (a kettle): until the EV has followed the cut (5 s here) the
        // import is over; after that it is back under rating + margin. So: never over 37 A for
        // longer than 7 s in a row.
        double overSince = -1;
        double longestOver = 0;
        for (int step = 200; step <= 3000; step++)
        {
            run.RunTo(step / 10.0);
            bool over = Import(run) > 37.0;
            overSince = over ? (overSince < 0 ? step / 10.0 : overSince) : -1;
            longestOver = over ? Math.Max(longestOver, step / 10.0 - overSince) : longestOver;
        }

        Assert.True(longestOver <= 7.0, "import over 37 A for " + longestOver + " s in a row");
        Assert.True(run.Log.Of(ChargerEventKind.Contactor).Count(e => e.Flag) == 1, "no relay cycling");
    }
}
