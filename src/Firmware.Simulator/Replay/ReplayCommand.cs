using System;
using System.IO;
using IndraSmartPro.Firmware;
using IndraSmartPro.Pests;
using IndraSmartPro.Simulator.Output;
using IndraSmartPro.Simulator.VirtualBoard;

namespace IndraSmartPro.Simulator.Replay;

/// <summary>
/// <c>replay [--pest-mode A-electrode|A-no-electrode|B] FILE.csv</c>: the whole firmware on the
/// virtual board with the three voltage channels fed from the file and an EV connected and asking
/// to charge from the start; JSON-lines events on stdout in file time. The file is validated
/// completely before the firmware boots, so a bad file prints nothing on stdout.
/// See docs/simulator.md, "replay".
/// </summary>
public static class ReplayCommand
{
    /// <summary>Usage line for the simulator's help.</summary>
    public const string Usage = "       Firmware.Simulator replay [--pest-mode A-electrode|A-no-electrode|B] FILE.csv";

    /// <summary>Runs the command; returns the exit code (0). Bad input throws <see cref="UsageException"/>.</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        PestMode mode = PestMode.AWithElectrode;
        string path = null;
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--pest-mode")
            {
                if (i + 1 >= args.Length || !PestModes.TryParse(args[i + 1], out mode))
                {
                    throw new UsageException("--pest-mode needs A-electrode, A-no-electrode or B");
                }

                i++;
            }
            else if (args[i].StartsWith("--", StringComparison.Ordinal) || path != null)
            {
                throw new UsageException("replay: unexpected argument '" + args[i] + "'; usage:" + Usage.Trim().Substring("Firmware.Simulator".Length));
            }
            else
            {
                path = args[i];
            }
        }

        if (path == null)
        {
            throw new UsageException("replay needs a FILE.csv; usage:" + Usage.Trim().Substring("Firmware.Simulator".Length));
        }

        WaveformFile file = WaveformFile.Load(path);
        Replay(file, mode, stdout);
        stdout.Flush();
        return 0;
    }

    /// <summary>Replays a validated file in the given PEST mode, writing JSON lines to <paramref name="stdout"/>. Returns the host it ran.</summary>
    public static SimulatorHost Replay(WaveformFile file, PestMode mode, TextWriter stdout)
    {
        // The mode comes from the same two inputs as on a real unit: the commissioned electrode
        // setting and the PEST toggle (docs/faults.md, "Mode selection").
        var config = new ChargerConfig { ReferenceElectrodeFitted = mode == PestMode.AWithElectrode };
        var host = new SimulatorHost(config);
        host.Board.PestToggleModeB = mode == PestMode.B;
        host.Board.Mains.Waveform = file;
        host.Board.Ev.Load = EvPilotLoad.Requesting;
        var writer = new JsonLinesWriter(stdout, (long)Math.Round(file.StartSeconds * 1e6));
        host.Firmware.Events.Subscribe(writer);
        host.Boot();
        host.RunUntil(file.DurationMicroseconds);
        return host;
    }
}
