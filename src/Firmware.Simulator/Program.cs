using System;
using System.Threading;
using IndraSmartPro.Simulator.Output;

namespace IndraSmartPro.Simulator;

/// <summary>
/// The simulator's command line (docs/simulator.md). With no arguments: boot the firmware on the
/// virtual board, play the default story in real time and print events and a status line every
/// second until Ctrl+C. Exit codes: 0 success, 2 bad input.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        try
        {
            return Run(args, Console.Out, Console.Error);
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }
    }

    public static int Run(string[] args, System.IO.TextWriter stdout, System.IO.TextWriter stderr)
    {
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal))
        {
            return Live(args, stdout, stderr);
        }

        switch (args[0])
        {
            case "replay":
                return Replay.ReplayCommand.Run(args, stdout, stderr);
            case "waveform":
                return Replay.WaveformCorpus.Run(args, stdout);
            case "run":
                return Scenarios.ScenarioCommand.Run(args, stdout, stderr);
            case "console":
                return Commissioning.ConsoleCommand.Run(args, stdout, stderr);
            case "fuzz":
                return Fuzz.FuzzCommand.Run(args, stdout, stderr);
            case "help":
            case "-h":
                stdout.WriteLine(Usage);
                return 0;
            default:
                throw new UsageException("unknown command '" + args[0] + "'\n" + Usage);
        }
    }

    public const string Usage =
        "usage: Firmware.Simulator [--seconds N] [--fast] [--scenario FILE] [MQTT options]   live demo: the default story (or FILE) in real time, on MQTT\n" +
        Mqtt.MqttCliOptions.Usage + "\n" +
        Replay.ReplayCommand.Usage + "\n" +
        Replay.WaveformCorpus.Usage + "\n" +
        "       Firmware.Simulator run SCENARIO.json [--status]   play a scenario, print JSON lines\n" +
        Commissioning.ConsoleCommand.Usage + "\n" +
        Fuzz.FuzzCommand.Usage + "\n" +
        "       Firmware.Simulator help";

    private static int Live(string[] args, System.IO.TextWriter stdout, System.IO.TextWriter stderr)
    {
        double seconds = double.PositiveInfinity;
        bool fast = false;
        string scenarioFile = null;
        var mqtt = new Mqtt.MqttCliOptions();
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seconds":
                    seconds = ParseDouble(args, ++i, "--seconds");
                    break;
                case "--fast":
                    fast = true;
                    break;
                case "--scenario":
                    if (++i >= args.Length)
                    {
                        throw new UsageException("--scenario needs a file");
                    }

                    scenarioFile = args[i];
                    break;
                default:
                    if (!mqtt.TryParse(args, ref i))
                    {
                        throw new UsageException("unknown option '" + args[i] + "'\n" + Usage);
                    }

                    break;
            }
        }

        mqtt.Validate();
        var story = scenarioFile == null ? DefaultStory.Create() : Scenarios.ScenarioCommand.Load(scenarioFile);
        if (scenarioFile != null && double.IsPositiveInfinity(seconds))
        {
            seconds = story.DurationSeconds;
        }

        // One virtual charger, or a fleet with distinct serials (--devices N), each playing the
        // story on its own board; the first one's events and status go to stdout.
        var hosts = new System.Collections.Generic.List<SimulatorHost>();
        var players = new System.Collections.Generic.List<Scenarios.ScenarioPlayer>();
        for (int d = 0; d < mqtt.Devices; d++)
        {
            var config = story.ToConfig();
            config.Serial = mqtt.SerialOf(d, config.Serial);
            var h = new SimulatorHost(config, null, (ulong)d + 1);
            hosts.Add(h);
            players.Add(new Scenarios.ScenarioPlayer(story, h));
        }

        var host = hosts[0];
        var writer = new JsonLinesWriter(stdout);
        host.Firmware.Events.Subscribe(writer);
        using var network = mqtt.Disabled ? null : Mqtt.LiveMqtt.Attach(mqtt, hosts, stderr);
        for (int d = 0; d < hosts.Count; d++)
        {
            players[d].Prepare();
            hosts[d].Boot();
        }

        network?.StartNetwork();
        stderr.WriteLine("INDRA Smart PRO firmware on the virtual board. Ctrl+C to stop.");

        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        // SIGTERM (systemd, Docker, kill) ends the run as Ctrl+C does: the loop stops, each
        // charger says "offline" and the process exits 0 instead of 143.
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            cancel.Cancel();
        });

        long end = double.IsPositiveInfinity(seconds) ? long.MaxValue : (long)(seconds * 1e6);
        long nextStatus = 1_000_000;
        void Step(long now)
        {
            for (int d = 0; d < hosts.Count; d++)
            {
                players[d].Apply(now);
            }

            if (now >= nextStatus)
            {
                StatusReporter.Write(writer, host, network?.Devices[0].Link);
                nextStatus += 1_000_000;
            }

            network?.ReportLinkChanges(stderr);
        }

        if (fast)
        {
            while (host.NowMicroseconds < end && !cancel.IsCancellationRequested)
            {
                foreach (var h in hosts)
                {
                    h.RunFor(10_000);
                }

                Step(host.NowMicroseconds);
            }
        }
        else if (hosts.Count == 1)
        {
            host.RunRealTime(end, cancel.Token, Step);
        }
        else
        {
            Mqtt.FleetRunner.RunRealTime(hosts, end, cancel.Token, Step);
        }

        stdout.Flush();
        return 0;
    }

    private static double ParseDouble(string[] args, int index, string option)
    {
        if (index >= args.Length || !double.TryParse(args[index], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double value) || value < 0)
        {
            throw new UsageException(option + " needs a non-negative number");
        }

        return value;
    }
}

/// <summary>Bad command line or input file: exit code 2 with a one-line message.</summary>
public sealed class UsageException : Exception
{
    public UsageException(string message)
        : base(message)
    {
    }
}
