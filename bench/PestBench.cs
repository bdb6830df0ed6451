#:project ../src/Firmware.Simulator/Firmware.Simulator.csproj
#:property Optimize=true

// PEST protection figures for docs/performance.md, measured outside the tests:
//   dotnet run bench/PestBench.cs            (from the repository root; Release)
// 1. Trip latency per fault class over the waveform corpus (simulated time, deterministic).
// 2. Host cost of the protection path per second of mains: PestProtection.OnMainsCycle (50 per
//    second) and the "pests" task (1000 per second), on the virtual board, wall clock.
// 3. Replay speed: simulated seconds per wall-clock second for the whole firmware.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Globalization;
using IndraSmartPro.ControlPilot;
using IndraSmartPro.Events;
using IndraSmartPro.Metering;
using IndraSmartPro.Persistence;
using IndraSmartPro.Pests;
using IndraSmartPro.Safety;
using IndraSmartPro.Simulator.Replay;
using IndraSmartPro.Simulator.VirtualBoard;

string corpus = Path.Combine("tests", "Waveforms");
var rows = File.ReadAllLines(Path.Combine(corpus, WaveformCorpus.ExpectedFile)).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToList();
var latencies = new Dictionary<string, List<double>>();
double simulated = 0;
var wall = Stopwatch.StartNew();
foreach (var row in rows)
{
    var file = WaveformFile.Load(Path.Combine(corpus, row[0]));
    PestModes.TryParse(row[1], out PestMode mode);
    var output = new StringWriter();
    ReplayCommand.Replay(file, mode, output);
    simulated += file.DurationMicroseconds / 1e6;
    if (row[2] == "none")
    {
        continue;
    }

    double onset = double.Parse(row[3], CultureInfo.InvariantCulture);
    string trip = output.ToString().Split('\n').First(l => l.Contains("\"type\":\"trip\""));
    double t = double.Parse(trip.Split("\"t\":")[1].Split(',')[0], CultureInfo.InvariantCulture);
    string key = row[2] == "cpc-tt-over-70v" ? "cpc-tt-over-70v (fast)" : (row[0].Contains("flicker") ? row[2] + " (flicker)" : row[2] + " (band)");
    if (!latencies.TryGetValue(key, out var list))
    {
        latencies[key] = list = new List<double>();
    }

    list.Add(t - onset);
}

double replayWall = wall.Elapsed.TotalSeconds;
Console.WriteLine("| fault class | files | median (s) | max (s) |");
Console.WriteLine("|---|---|---|---|");
foreach (var (key, list) in latencies.OrderBy(k => k.Key))
{
    list.Sort();
    double median = list.Count % 2 == 1 ? list[list.Count / 2] : (list[list.Count / 2 - 1] + list[list.Count / 2]) / 2;
    Console.WriteLine($"| {key} | {list.Count} | {median:F3} | {list[^1]:F3} |");
}

Console.WriteLine();
Console.WriteLine($"replay: {simulated:F1} s of mains in {replayWall:F2} s wall = {simulated / replayWall:F0}x real time (whole firmware, {rows.Count} files, incl. JIT)");

// Protection path alone, on the virtual board.
var clock = new SimulatedClock();
var board = new VirtualBoard(clock);
var events = new EventBus();
var relays = new RelaySupervisor(board, events, new PilotLink(board, board, events));
var meter = new MainsMeter(board);
var pests = new PestProtection(board, board, board, relays, events, new MemoryStore(), meter, true);
pests.Boot(0);
var cycle = new MainsCycle { PeriodMicroseconds = 20000, LineLocked = true, FrequencyMillihertz = 50000, LineNeutralMillivolts = 230000, LineTtRefMillivolts = 229000, CpcTtRefMillivolts = 2000, SampleCount = 20 };
const int Seconds = 200;
for (int pass = 0; pass < 2; pass++)
{
    long cycleTicks = 0;
    long taskTicks = 0;
    long now = 0;
    for (int s = 0; s < Seconds; s++)
    {
        for (int c = 0; c < 50; c++)
        {
            long t0 = Stopwatch.GetTimestamp();
            for (int ms = 0; ms < 20; ms++)
            {
                now += 1000;
                clock.AdvanceTo(now);
                pests.Run(now);
            }

            long t1 = Stopwatch.GetTimestamp();
            cycle.EndMicroseconds = now;
            pests.OnMainsCycle(cycle);
            long t2 = Stopwatch.GetTimestamp();
            taskTicks += t1 - t0;
            cycleTicks += t2 - t1;
        }
    }

    if (pass == 1)
    {
        double perSecondTask = taskTicks * 1e9 / Stopwatch.Frequency / Seconds;
        double perSecondCycle = cycleTicks * 1e9 / Stopwatch.Frequency / Seconds;
        Console.WriteLine($"protection path per second of mains: per-cycle rules {perSecondCycle / 1000:F1} µs (50 cycles, {perSecondCycle / 50:F0} ns each), pests task {perSecondTask / 1000:F1} µs (1000 runs, {perSecondTask / 1000:F0} ns each), total {(perSecondCycle + perSecondTask) / 1000:F1} µs = {(perSecondCycle + perSecondTask) / 1e7:F4} % of one core");
    }
}
