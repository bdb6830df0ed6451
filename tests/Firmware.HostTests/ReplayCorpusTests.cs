using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using IndraSmartPro.Simulator;
using IndraSmartPro.Simulator.Replay;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>
/// The waveform corpus (tests/Waveforms) replayed through the public command, exactly as a user
/// runs it, against expected.csv: cause, and trip time after the disturbance's onset between the
/// ride-through and the design bound (docs/faults.md; invariants P6, P7).
/// </summary>
public class ReplayCorpusTests
{
    public static IEnumerable<object[]> Files() =>
        ExpectedRows().Select(r => new object[] { r[0] });

    [Theory]
    [MemberData(nameof(Files))]
    public void Replay_CorpusFile_MatchesExpectedOutcome(string file)
    {
        string[] row = ExpectedRows().Single(r => r[0] == file);
        string mode = row[1];
        string cause = row[2];
        double onset = double.Parse(row[3], CultureInfo.InvariantCulture);
        double max = double.Parse(row[4], CultureInfo.InvariantCulture);

        var (code, stdout, stderr) = RunSimulator("replay", "--pest-mode", mode, Path.Combine(CorpusDir(), file));

        Assert.True(code == 0, stderr);
        List<(double T, string Cause)> trips = Trips(stdout);
        if (cause == "none")
        {
            Assert.Empty(trips);
            return;
        }

        Assert.NotEmpty(trips);
        Assert.Equal(cause, trips[0].Cause);
        double after = trips[0].T - onset;
        double rideThrough = cause == "cpc-tt-over-70v" ? 0.04 : 1.0;
        Assert.True(after >= rideThrough, $"tripped {after:F3} s after onset: inside the ride-through");
        Assert.True(after <= max, $"tripped {after:F3} s after onset, expected within {max} s");
        Assert.True(after <= (cause == "cpc-tt-over-70v" ? 0.5 : 5.0), "outside the PEST timing requirements' envelope");
    }

    [Fact]
    public void Replay_PenFaultWhileCharging_OpensBothRelaysAndShowsStateFAtTheTrip()
    {
        // The EV asks to charge from the start: the contactor closes after the 4 s boot check;
        // the PEN fault at 6.5 s opens both relays and puts the pilot in state F at the trip's instant.
        var (code, stdout, _) = RunSimulator("replay", "--pest-mode", "A-electrode", Path.Combine(CorpusDir(), "a-pen-100v-while-charging.csv"));
        Assert.Equal(0, code);
        var events = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        double closedAt = events.First(e => e.GetProperty("type").GetString() == "contactor" && e.GetProperty("closed").GetBoolean()).GetProperty("t").GetDouble();
        double tripAt = Assert.Single(Trips(stdout)).T;
        Assert.InRange(closedAt, 4.0, 6.5);
        Assert.InRange(tripAt - 6.5, 0.04, 0.2);
        bool AtTrip(JsonElement e, string type) => e.GetProperty("type").GetString() == type && e.GetProperty("t").GetDouble() == tripAt;
        Assert.Contains(events, e => AtTrip(e, "contactor") && !e.GetProperty("closed").GetBoolean());
        Assert.Contains(events, e => AtTrip(e, "earthRelay") && !e.GetProperty("closed").GetBoolean());
        Assert.Contains(events, e => AtTrip(e, "pwm") && e.GetProperty("dutyPercent").GetDouble() == 0);
        Assert.DoesNotContain(events, e => e.GetProperty("t").GetDouble() > tripAt && e.GetProperty("type").GetString() == "contactor" && e.GetProperty("closed").GetBoolean());
    }

    [Fact]
    public void Replay_Trip_PrintsDisturbanceRecordASecondLater()
    {
        var (code, stdout, _) = RunSimulator("replay", "--pest-mode", "A-electrode", Path.Combine(CorpusDir(), "a-pen-cpc-75v.csv"));
        Assert.Equal(0, code);
        string line = stdout.Split('\n').Single(l => l.Contains("\"disturbance-record\""));
        using var doc = JsonDocument.Parse(line);
        JsonElement record = doc.RootElement.GetProperty("record");
        double tripT = record.GetProperty("tripT").GetDouble();
        Assert.Equal(Trips(stdout)[0].T, tripT);
        Assert.Equal("cpc-tt-over-70v", record.GetProperty("cause").GetString());
        int pre = record.GetProperty("preTripCycles").GetInt32();
        double[] t = record.GetProperty("t").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        double[] cpc = record.GetProperty("vCpcTt").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Assert.Equal(100, t.Length);
        Assert.Equal(100, cpc.Length);
        Assert.Equal(100, record.GetProperty("vLn").GetArrayLength());
        Assert.Equal(100, record.GetProperty("vLtt").GetArrayLength());
        Assert.Equal(tripT, t[pre - 1]);
        Assert.InRange(t[0], tripT - 1.05, tripT - 0.95);
        Assert.InRange(t[^1], tripT + 0.95, tripT + 1.05);
        Assert.InRange(cpc[0], 0, 5);
        Assert.InRange(cpc[pre - 1], 73, 77);
        Assert.InRange(doc.RootElement.GetProperty("t").GetDouble(), tripT + 0.95, tripT + 1.05);
    }

    [Fact]
    public void WaveformCorpus_CommittedFiles_AreWhatTheGeneratorWrites()
    {
        string dir = CorpusDir();
        foreach (WaveformCorpus.Scenario s in WaveformCorpus.Scenarios)
        {
            string committed = File.ReadAllText(Path.Combine(dir, s.Name + ".csv")).Replace("\r\n", "\n");
            Assert.True(committed == WaveformCorpus.Csv(s), s.Name + ".csv differs from the generator: run `dotnet run --project src/Firmware.Simulator -- waveform`");
        }

        Assert.Equal(WaveformCorpus.Expected(), File.ReadAllText(Path.Combine(dir, WaveformCorpus.ExpectedFile)).Replace("\r\n", "\n"));
        int csvFiles = Directory.GetFiles(dir, "*.csv").Length;
        Assert.Equal(WaveformCorpus.Scenarios.Count + 1, csvFiles);
    }

    [Fact]
    public void WaveformCorpus_EveryModeAndCauseClass_IsCovered()
    {
        var rows = ExpectedRows().ToList();
        foreach (string mode in new[] { "A-electrode", "A-no-electrode", "B" })
        {
            Assert.Contains(rows, r => r[1] == mode && r[2] == "none");
            Assert.Contains(rows, r => r[1] == mode && r[2] != "none");
        }

        foreach (string cause in new[] { "ln-out-of-range", "ltt-out-of-range", "cpc-tt-over-30v", "cpc-tt-over-70v", "electrode-open" })
        {
            Assert.Contains(rows, r => r[2] == cause);
        }
    }

    [Fact]
    public void Replay_SameSupplyAt1And20kHz_TripsAlike()
    {
        string dir = TempDir();
        double[] rates = { 1000, 20000 };
        var times = new List<double>();
        foreach (double rate in rates)
        {
            var s = new WaveformCorpus.Scenario("r", "B", rate, 2.5, 50, "ln-out-of-range", 1.0, 1.25, "",
                new[] { new WaveformCorpus.Segment(0), new WaveformCorpus.Segment(1.0, LineVolts: 260) });
            string path = Path.Combine(dir, "rate" + rate + ".csv");
            File.WriteAllText(path, WaveformCorpus.Csv(s));
            var (code, stdout, _) = RunSimulator("replay", "--pest-mode", "B", path);
            Assert.Equal(0, code);
            var trips = Trips(stdout);
            Assert.Equal("ln-out-of-range", Assert.Single(trips).Cause);
            times.Add(trips[0].T);
        }

        Assert.True(Math.Abs(times[0] - times[1]) <= 0.021, $"{times[0]} vs {times[1]}");
    }

    [Fact]
    public void Replay_FileStartingAtNonZeroTime_PrintsFileTime()
    {
        string dir = TempDir();
        string path = Path.Combine(dir, "offset.csv");
        var lines = new List<string> { "t_s,v_ln,v_ltt,v_cpctt" };
        for (int i = 0; i <= 3000; i++)
        {
            double t = 100.0 + (i / 1000.0);
            double v = Math.Sqrt(2) * (i >= 1000 ? 262 : 230) * Math.Sin(2 * Math.PI * 50 * i / 1000.0);
            lines.Add(t.ToString("0.###", CultureInfo.InvariantCulture) + "," + v.ToString("F1", CultureInfo.InvariantCulture) + "," + v.ToString("F1", CultureInfo.InvariantCulture) + ",0");
        }

        File.WriteAllLines(path, lines);
        var (code, stdout, _) = RunSimulator("replay", "--pest-mode", "A-no-electrode", path);
        Assert.Equal(0, code);
        var trip = Assert.Single(Trips(stdout));
        Assert.InRange(trip.T, 102.0, 102.25);
        Assert.StartsWith("{\"t\":100,", stdout.Split('\n')[0]);
    }

    [Fact]
    public void Replay_ExtraAndReorderedColumns_Accepted()
    {
        string dir = TempDir();
        string path = Path.Combine(dir, "extra.csv");
        var lines = new List<string> { "v_cpctt,note,t_s,v_ltt,v_ln,i_ev" };
        for (int i = 0; i <= 2500; i++)
        {
            double v = Math.Sqrt(2) * 230 * Math.Sin(2 * Math.PI * 50 * i / 2000.0);
            double d = Math.Sqrt(2) * (i >= 1000 ? 80 : 1) * Math.Cos(2 * Math.PI * 50 * i / 2000.0);
            lines.Add(string.Join(",", F(d), "x", F(i / 2000.0), F(v), F(v - d), "3.2"));
        }

        File.WriteAllLines(path, lines);
        var (code, stdout, _) = RunSimulator("replay", "--pest-mode", "A-electrode", path);
        Assert.Equal(0, code);
        Assert.Equal("cpc-tt-over-70v", Assert.Single(Trips(stdout)).Cause);
    }

    [Theory]
    [InlineData("", 1, "empty")]
    [InlineData("t_s,v_ln,v_ltt\n0,1,2\n0.001,1,2\n", 1, "missing column 'v_cpctt'")]
    [InlineData("t_s,v_ln,v_ltt,v_cpctt\n0,1,2,3\n0.001,1,abc,3\n0.002,1,2,3\n", 3, "'v_ltt' is not a number")]
    [InlineData("t_s,v_ln,v_ltt,v_cpctt\n0,1,2,3\n0.001,1,NaN,3\n0.002,1,2,3\n", 3, "not a number")]
    [InlineData("t_s,v_ln,v_ltt,v_cpctt\n0,1,2,3\n0.001,1,2\n0.002,1,2,3\n", 3, "columns")]
    [InlineData("t_s,v_ln,v_ltt,v_cpctt\n0,1,2,3\n0.001,1,2,3\n0.0025,1,2,3\n0.003,1,2,3\n", 4, "non-uniform")]
    [InlineData("t_s,v_ln,v_ltt,v_cpctt\n0,1,2,3\n0.001,1,2,3\n0.001,1,2,3\n0.003,1,2,3\n", 4, "non-uniform")]
    [InlineData("t_s,v_ln,v_ltt,v_cpctt\n0,1,2,3\n0.002,1,2,3\n0.004,1,2,3\n", 3, "outside 1000..20000 Hz")]
    [InlineData("t_s,v_ln,v_ltt,v_cpctt\n0,1,2,3\n0.00001,1,2,3\n0.00002,1,2,3\n", 3, "outside 1000..20000 Hz")]
    [InlineData("t_s,v_ln,v_ltt,v_cpctt\n0,1,2,3\n", 3, "at least two samples")]
    [InlineData("t_s,v_ln,v_ltt,v_cpctt\n", 2, "at least two samples")]
    public void Replay_MalformedFile_Exits2WithOneLineNamingTheLineAndRunsNothing(string content, int line, string message)
    {
        string path = Path.Combine(TempDir(), "bad.csv");
        File.WriteAllText(path, content);
        var (code, stdout, stderr) = RunSimulator("replay", "--pest-mode", "B", path);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        string error = stderr.TrimEnd('\n', '\r');
        Assert.DoesNotContain('\n', error);
        Assert.Contains(path + ":" + line + ":", error);
        Assert.Contains(message, error);
    }

    [Fact]
    public void Replay_LongFileWithOneBadLineAtTheEnd_RunsNothing()
    {
        string path = Path.Combine(TempDir(), "late.csv");
        var s = new WaveformCorpus.Scenario("late", "B", 1000, 3, 50, "none", 0, 0, "", new[] { new WaveformCorpus.Segment(0, LineVolts: 262) });
        File.WriteAllText(path, WaveformCorpus.Csv(s) + "3.001,1,2,x\n");
        var (code, stdout, stderr) = RunSimulator("replay", "--pest-mode", "B", path);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.Contains(":3003:", stderr);
    }

    [Theory]
    [InlineData("replay")]
    [InlineData("replay", "--pest-mode", "C", "x.csv")]
    [InlineData("replay", "--pest-mode")]
    [InlineData("replay", "a.csv", "b.csv")]
    [InlineData("replay", "--pest-mode", "B", "/nonexistent/file.csv")]
    public void Replay_BadArguments_Exit2(params string[] args)
    {
        var (code, stdout, stderr) = RunSimulator(args);
        Assert.Equal(2, code);
        Assert.Equal("", stdout);
        Assert.DoesNotContain('\n', stderr.TrimEnd('\n', '\r'));
    }

    internal static (int Code, string Stdout, string Stderr) RunSimulator(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        int code;
        try
        {
            code = Program.Run(args, stdout, stderr);
        }
        catch (UsageException e)
        {
            // As Program.Main does.
            stderr.WriteLine("error: " + e.Message);
            code = 2;
        }

        return (code, stdout.ToString(), stderr.ToString());
    }

    internal static List<(double T, string Cause)> Trips(string jsonLines)
    {
        var trips = new List<(double, string)>();
        foreach (string line in jsonLines.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = JsonDocument.Parse(line);
            JsonElement root = doc.RootElement;
            if (root.GetProperty("type").GetString() == "trip")
            {
                trips.Add((root.GetProperty("t").GetDouble(), root.GetProperty("cause").GetString()));
            }
        }

        return trips;
    }

    internal static string CorpusDir() => Path.Combine(RepoRoot(), "tests", "Waveforms");

    internal static IEnumerable<string[]> ExpectedRows() =>
        File.ReadAllLines(Path.Combine(CorpusDir(), WaveformCorpus.ExpectedFile)).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(','));

    private static string F(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);

    private static string TempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "pest-replay-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IndraSmartPro.Host.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("IndraSmartPro.Host.slnx not found above " + AppContext.BaseDirectory);
    }
}
