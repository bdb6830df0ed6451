using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;

namespace IndraSmartPro.Simulator.Fuzz;

/// <summary>
/// <c>fuzz [--sequences N] [--seed S] [--threads T]</c>: the bench mode of the randomised safety
/// test (docs/invariants.md, R1; docs/testing.md). Runs units of <see cref="SafetyFuzzer.SequencesPerUnit"/>
/// sequences from consecutive seeds and prints one JSON line with the totals, and the first
/// counterexample if any (exit code 1).
/// </summary>
public static class FuzzCommand
{
    public const string Usage = "       Firmware.Simulator fuzz [--sequences N] [--seed S] [--threads T]   randomised safety test, report on stdout";

    public static int Run(string[] args, System.IO.TextWriter stdout, System.IO.TextWriter stderr)
    {
        long sequences = 100_000;
        int seed = 1;
        int threads = Environment.ProcessorCount;
        for (int i = 1; i < args.Length; i++)
        {
            string value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--sequences" when value != null && long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long n) && n > 0:
                    sequences = n;
                    i++;
                    break;
                case "--seed" when value != null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int s):
                    seed = s;
                    i++;
                    break;
                case "--threads" when value != null && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int t) && t > 0:
                    threads = t;
                    i++;
                    break;
                default:
                    throw new UsageException("fuzz: bad or incomplete option '" + args[i] + "'\n" + Usage);
            }
        }

        int units = (int)((sequences + SafetyFuzzer.SequencesPerUnit - 1) / SafetyFuzzer.SequencesPerUnit);
        var result = Fuzz(seed, units, threads);
        stdout.WriteLine(
            "{\"units\":" + result.Units + ",\"sequences\":" + result.Sequences + ",\"steps\":" + result.Steps + ",\"closes\":" + result.Closes +
            ",\"trips\":" + result.Trips + ",\"resets\":" + result.Resets + ",\"seconds\":" + result.ElapsedSeconds.ToString("0.0", CultureInfo.InvariantCulture) +
            ",\"counterexamples\":" + (result.Counterexample == null ? 0 : 1) + "}");
        if (result.Counterexample != null)
        {
            stdout.WriteLine(result.Counterexample);
            return 1;
        }

        return 0;
    }

    /// <summary>Totals of a fuzz run.</summary>
    public sealed class Result
    {
        public long Units;
        public long Sequences;
        public long Steps;
        public long Closes;
        public long Trips;
        public long Resets;
        public double ElapsedSeconds;
        public string Counterexample;
    }

    /// <summary>Runs <paramref name="units"/> units from seeds <paramref name="firstSeed"/>.. on <paramref name="threads"/> threads; stops at the first counterexample.</summary>
    public static Result Fuzz(int firstSeed, int units, int threads)
    {
        var result = new Result();
        var watch = Stopwatch.StartNew();
        var gate = new object();
        var stop = new CancellationTokenSource();
        try
        {
            Parallel.For(0, units, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = stop.Token }, () => new SafetyFuzzer(), (i, _, fuzzer) =>
            {
                string counterexample = fuzzer.RunUnit(firstSeed + (int)i);
                if (counterexample != null)
                {
                    lock (gate)
                    {
                        result.Counterexample ??= counterexample;
                    }

                    stop.Cancel();
                }

                return fuzzer;
            }, fuzzer =>
            {
                lock (gate)
                {
                    result.Units += fuzzer.Units;
                    result.Sequences += fuzzer.Sequences;
                    result.Steps += fuzzer.Steps;
                    result.Closes += fuzzer.Closes;
                    result.Trips += fuzzer.Trips;
                    result.Resets += fuzzer.Resets;
                }
            });
        }
        catch (OperationCanceledException)
        {
            // A counterexample stopped the run.
        }

        result.ElapsedSeconds = watch.Elapsed.TotalSeconds;
        return result;
    }
}
