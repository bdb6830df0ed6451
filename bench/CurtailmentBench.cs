#:project ../src/Firmware.Simulator/Firmware.Simulator.csproj
#:property Optimize=true

// Load curtailment figures for docs/performance.md, measured outside the tests (simulated time,
// deterministic for the seeds used; the wall clock only decides how long it takes):
//   dotnet run bench/CurtailmentBench.cs [minutes]      (from the repository root; default 30)
// 1. Step response: a house-load step while the EV charges, with an EV that takes the full 5 s
//    IEC 61851-1 allows to follow: time to the duty cut, time until the import is back under
//    the rating.
// 2. Noise near the limit: a noisy house load that leaves the EV just under the limit; limit
//    changes per hour, seconds above the rating and above rating + margin, worst 1 s mean.
// 3. The recorded house load of tests/Data/data_shaper.csv on its 36 A (8400 W) site limit, and
//    what OpenEVSE's current shaper did over the same minutes of that recording.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using IndraSmartPro.Events;
using IndraSmartPro.Simulator;
using IndraSmartPro.Simulator.Scenarios;

int minutes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 30;
var inv = CultureInfo.InvariantCulture;

Console.WriteLine("## Step response (60 A supply, 1 A margin, EV follows in 5 s)");
Console.WriteLine("| house step | offer after | duty cut after (s) | import under rating after (s) |");
Console.WriteLine("|---|---|---|---|");
foreach (var (from, to) in new[] { (20.0, 45.0), (10.0, 50.0), (25.0, 40.0), (20.0, 56.0) })
{
    var run = Start(60, "\"evResponseSeconds\": 5", 60,
        $"{{\"at\": 0, \"houseLoadAmps\": {from.ToString(inv)}}}, {{\"at\": 1, \"ev\": \"requestCharge\"}}, {{\"at\": 30, \"houseLoadAmps\": {to.ToString(inv)}}}");
    var log = run.Log;
    run.RunTo(29.99);
    int dutyBefore = run.Host.Board.PilotDutyPermille;
    double under = -1;
    for (int ms = 30_000; ms <= 60_000; ms += 10)
    {
        run.RunTo(ms / 1000.0);
        if (under < 0 && run.Host.Board.ImportAmps(run.Host.NowMicroseconds) <= 60.0)
        {
            under = ms / 1000.0 - 30.0;
        }
    }

    long cut = log.FirstTime(ChargerEventKind.Pwm, 30_000_000, e => e.Value < dutyBefore || e.Value == 1000); // 1000: PWM withdrawn (paused)
    int claim = run.Host.Firmware.Curtailment.ClaimMilliamps;
    Console.WriteLine($"| {from.ToString(inv)} → {to.ToString(inv)} A | {(claim == 0 ? "paused" : (claim / 1000.0).ToString("0.0", inv) + " A")} | {((cut - 30_000_000) / 1e6).ToString("0.000", inv)} | {under.ToString("0.00", inv)} |");
}

Console.WriteLine();
Console.WriteLine($"## Noise near the limit ({minutes} simulated minutes each; 45 A supply, 1 A margin, 14 A house + Gaussian noise held 0.5 s, EV follows in 2 s)");
Console.WriteLine("| noise σ (A) | limit changes per hour | pauses | s above 45 A | s above 46 A | worst 1 s mean (A) |");
Console.WriteLine("|---|---|---|---|---|---|");
foreach (double sigma in new[] { 0.5, 1.0, 2.0 })
{
    var run = Start(45, "\"evResponseSeconds\": 2", minutes * 60,
        $"{{\"at\": 0, \"houseLoadAmps\": 14}}, {{\"at\": 0, \"houseLoadNoise\": {{\"amps\": {sigma.ToString(inv)}, \"periodSeconds\": 0.5}}}}, {{\"at\": 1, \"ev\": \"requestCharge\"}}");
    var stats = Measure(run, 45, 46, 60, minutes * 60);
    double hours = (minutes * 60 - 60) / 3600.0;
    Console.WriteLine($"| {sigma.ToString(inv)} | {(stats.Changes / hours).ToString("0", inv)} | {run.Host.Firmware.Curtailment.PauseCount} | {stats.Above.ToString("0.0", inv)} | {stats.AboveMargin.ToString("0.0", inv)} | {stats.WorstSecond.ToString("0.00", inv)} |");
}

Console.WriteLine();
Console.WriteLine($"## Recorded house load (tests/Data/data_shaper.csv, first {minutes} minutes; 36 A site limit = 8400 W / 230 V, 1 A margin, EV follows in 5 s)");
string trace = Path.Combine("tests", "Data", "data_shaper.csv");
{
    var run = Start(36, "\"evResponseSeconds\": 5", minutes * 60,
        $"{{\"at\": 0, \"houseLoadReplay\": {{\"file\": \"{trace.Replace("\\", "/")}\"}}}}, {{\"at\": 1, \"ev\": \"requestCharge\"}}");
    var stats = Measure(run, 36.52, 37.52, 0, minutes * 60);
    double hours = minutes / 60.0;
    var rows = File.ReadAllLines(trace).Skip(1).Take(minutes * 60).Select(l => l.Split(';')).ToList();
    var capacity = rows.Select(r => double.Parse(r[5], inv)).ToList();
    var live = rows.Select(r => double.Parse(r[1], inv) / 230.0).ToList();
    int shaperChanges = capacity.Zip(capacity.Skip(1), (a, b) => a != b ? 1 : 0).Sum();
    Console.WriteLine("| controller | limit changes per hour | s above 8400 W | s above 8400 W + 1 A | worst 1 s mean (A) |");
    Console.WriteLine("|---|---|---|---|---|");
    Console.WriteLine($"| this firmware (simulated) | {(stats.Changes / hours).ToString("0", inv)} | {stats.Above.ToString("0", inv)} | {stats.AboveMargin.ToString("0", inv)} | {stats.WorstSecond.ToString("0.00", inv)} |");
    Console.WriteLine($"| OpenEVSE shaper (as recorded) | {(shaperChanges / hours).ToString("0", inv)} | {live.Count(a => a > 36.52)} | {live.Count(a => a > 37.52)} | {live.Max().ToString("0.00", inv)} |");
}

static Harness Start(double supply, string extra, double seconds, string steps)
{
    string json = "{ \"variant\": \"type2-tethered\", \"supplyLimitAmps\": " + supply.ToString(CultureInfo.InvariantCulture) + ", " + extra +
        ", \"durationSeconds\": " + seconds.ToString(CultureInfo.InvariantCulture) + ", \"steps\": [" + steps + "] }";
    return new Harness(ScenarioParser.Parse(json, Directory.GetCurrentDirectory()));
}

// Samples the import every 100 ms from `from` seconds: seconds above `limit` and above
// `limitPlusMargin`, the worst 1 s mean, and the curtailment claim's changes.
static (int Changes, double Above, double AboveMargin, double WorstSecond) Measure(Harness run, double limit, double limitPlusMargin, double from, double to)
{
    run.RunTo(from);
    int changesBefore = run.Host.Firmware.Curtailment.ClaimChanges;
    double above = 0, aboveMargin = 0, worst = 0;
    for (double second = from; second < to; second++)
    {
        double sum = 0;
        for (int i = 1; i <= 10; i++)
        {
            run.RunTo(second + i / 10.0);
            double amps = run.Host.Board.ImportAmps(run.Host.NowMicroseconds);
            sum += amps;
            above += amps > limit ? 0.1 : 0;
            aboveMargin += amps > limitPlusMargin ? 0.1 : 0;
        }

        worst = Math.Max(worst, sum / 10);
    }

    return (run.Host.Firmware.Curtailment.ClaimChanges - changesBefore, above, aboveMargin, worst);
}

sealed class Log : IChargerEventListener
{
    public readonly List<(ChargerEventKind Kind, long Time, int Value)> Events = new();

    public void OnEvent(ChargerEvent e) => Events.Add((e.Kind, e.TimeMicroseconds, e.Value));

    public long FirstTime(ChargerEventKind kind, long from, Func<(ChargerEventKind Kind, long Time, int Value), bool> match) =>
        Events.Where(e => e.Kind == kind && e.Time >= from && match(e)).Select(e => e.Time).DefaultIfEmpty(-1).First();
}

sealed class Harness
{
    public Harness(Scenario scenario)
    {
        Host = new SimulatorHost(scenario.ToConfig());
        Host.Firmware.Events.Subscribe(Log);
        Player = new ScenarioPlayer(scenario, Host);
        Player.Prepare();
        Host.Boot();
    }

    public SimulatorHost Host { get; }

    public ScenarioPlayer Player { get; }

    public Log Log { get; } = new();

    public void RunTo(double seconds)
    {
        long end = (long)(seconds * 1e6);
        Player.Apply(Host.NowMicroseconds);
        while (Host.NowMicroseconds < end)
        {
            Host.RunUntil(Math.Min(Player.NextMicroseconds, end));
            Player.Apply(Host.NowMicroseconds);
        }
    }
}
