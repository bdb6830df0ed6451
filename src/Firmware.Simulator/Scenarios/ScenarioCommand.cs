using System.IO;
using IndraSmartPro.Simulator.Output;

namespace IndraSmartPro.Simulator.Scenarios;

/// <summary>
/// <c>run SCENARIO.json [--status]</c>: plays a scenario as fast as possible and prints the
/// firmware's events as JSON lines (docs/simulator.md). Bad input throws <see cref="UsageException"/> (exit 2).
/// </summary>
public static class ScenarioCommand
{
    /// <summary>Reads and parses a scenario file; a missing, unreadable or invalid file throws <see cref="UsageException"/> (exit 2).</summary>
    public static Scenario Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (IOException e)
        {
            throw new UsageException("cannot read scenario '" + path + "': " + e.Message);
        }
        catch (System.UnauthorizedAccessException e)
        {
            throw new UsageException("cannot read scenario '" + path + "': " + e.Message);
        }

        Scenario scenario;
        try
        {
            scenario = ScenarioParser.Parse(json, Path.GetDirectoryName(Path.GetFullPath(path)));
        }
        catch (ScenarioException e)
        {
            throw new UsageException(path + ": " + e.Message);
        }

        return scenario;
    }

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        if (args.Length < 2)
        {
            throw new UsageException("run needs a scenario file: run SCENARIO.json [--status]");
        }

        string path = args[1];
        bool status = false;
        for (int i = 2; i < args.Length; i++)
        {
            if (args[i] == "--status")
            {
                status = true;
            }
            else
            {
                throw new UsageException("unknown option '" + args[i] + "' for run");
            }
        }

        Scenario scenario = Load(path);
        var host = new SimulatorHost(scenario.ToConfig());
        var writer = new JsonLinesWriter(stdout);
        host.Subscribe(writer);
        var player = new ScenarioPlayer(scenario, host);
        player.CommandResult = (t, json) =>
        {
            writer.Begin(t, "commandResult");
            writer.Raw("result", json);
            writer.End();
        };
        player.Prepare();
        host.Boot();
        if (status)
        {
            long end = (long)System.Math.Round(scenario.DurationSeconds * 1e6);
            long nextStatus = 1_000_000;
            player.Apply(host.NowMicroseconds);
            while (host.NowMicroseconds < end)
            {
                long next = System.Math.Min(System.Math.Min(player.NextMicroseconds, nextStatus), end);
                host.RunUntil(next);
                player.Apply(host.NowMicroseconds);
                if (host.NowMicroseconds >= nextStatus)
                {
                    StatusReporter.Write(writer, host);
                    nextStatus += 1_000_000;
                }
            }
        }
        else
        {
            player.RunToEnd();
        }

        stdout.Flush();
        return 0;
    }
}
