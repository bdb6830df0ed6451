using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Running;
using IndraSmartPro.Board;
using IndraSmartPro.Metering;
using IndraSmartPro.Simulator.VirtualBoard;

namespace IndraSmartPro.Benchmarks;

public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "quick")
        {
            Quick.Run();
            return 0;
        }

        if (args.Length > 0 && args[0] == "il")
        {
            IlCount.Run();
            return 0;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}

/// <summary>
/// One second of mains (1000 samples of the five channels) recorded once from the virtual board
/// with the realistic ADC errors, replayed to the meter so only the meter's own work is timed.
/// </summary>
public sealed class RecordedMains : IAnalogInputs
{
    public const int Samples = 1000;
    private readonly int[] _values = new int[Samples * MainsMeter.MeteredChannelCount];
    private int _index;

    public RecordedMains(double volts = 230, double hertz = 49.7, double evAmps = 16)
    {
        var clock = new SimulatedClock();
        var board = new VirtualBoard(clock, 7);
        board.Adc.ApplyTypicalErrors();
        board.Mains.LineRmsVolts = volts;
        board.Mains.Harmonic3 = 0.05;
        board.Mains.SetFrequency(hertz, 0);
        board.HouseLoadAmps = 10;
        board.Ev.Load = EvPilotLoad.Requesting;
        board.Ev.MaxAmps = evAmps;
        board.SetDutyPermille(850);
        board.SetContactor(true);
        for (int s = 0; s < Samples; s++)
        {
            clock.AdvanceTo(s * 1000L);
            for (int c = 0; c < MainsMeter.MeteredChannelCount; c++)
            {
                _values[(s * MainsMeter.MeteredChannelCount) + c] = board.ReadPinMillivolts((AnalogChannel)c);
            }
        }
    }

    public int ReadPinMillivolts(AnalogChannel channel)
    {
        int value = _values[_index];
        _index = _index + 1 == _values.Length ? 0 : _index + 1;
        return value;
    }
}

[MemoryDiagnoser]
public class MeteringBenchmarks
{
    private MainsMeter _meter;
    private long _now;
    private MainsMeter _boardMeter;
    private SimulatedClock _boardClock;

    [GlobalSetup]
    public void Setup()
    {
        _meter = new MainsMeter(new RecordedMains());
        var clock = new SimulatedClock();
        var board = new VirtualBoard(clock, 3);
        board.Adc.ApplyTypicalErrors();
        _boardClock = clock;
        _boardMeter = new MainsMeter(board);
    }

    /// <summary>The meter alone: 1000 samples (one second of mains, ~50 cycles) from recorded readings.</summary>
    [Benchmark]
    public int MeterOneSecondOfMains()
    {
        for (int i = 0; i < RecordedMains.Samples; i++)
        {
            _now += MainsMeter.SamplePeriodMicroseconds;
            _meter.Sample(_now);
        }

        return _meter.LastCycle.LineNeutralMillivolts;
    }

    /// <summary>The meter on the virtual board: includes the mains and ADC models (sines, noise) of 5000 reads.</summary>
    [Benchmark]
    public int MeterOnVirtualBoardOneSecond()
    {
        for (int i = 0; i < RecordedMains.Samples; i++)
        {
            _boardClock.AdvanceTo(_boardClock.NowMicroseconds + MainsMeter.SamplePeriodMicroseconds);
            _boardMeter.Sample(_boardClock.NowMicroseconds);
        }

        return _boardMeter.LastCycle.LineNeutralMillivolts;
    }
}

/// <summary>Stopwatch figures for docs/performance.md: median of repeated runs of 100 s of mains.</summary>
public static class Quick
{
    public static void Run()
    {
        var b = new MeteringBenchmarks();
        b.Setup();
        Report("meter alone (recorded readings)", () => b.MeterOneSecondOfMains());
        Report("meter on the virtual board (models included)", () => b.MeterOnVirtualBoardOneSecond());
    }

    private static void Report(string what, Func<int> oneSecond)
    {
        for (int i = 0; i < 200; i++)
        {
            oneSecond(); // warm-up and tiered JIT
        }

        var runs = new List<double>();
        for (int r = 0; r < 9; r++)
        {
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < 100; i++)
            {
                oneSecond();
            }

            runs.Add(sw.Elapsed.TotalMilliseconds * 1000.0 / 100.0);
        }

        runs.Sort();
        Console.WriteLine($"{what}: median {runs[4]:F1} µs per second of mains (min {runs[0]:F1}, max {runs[8]:F1}); {runs[4] / 1000:F3} µs per sample of 5 channels");
    }
}

/// <summary>
/// Static IL of the meter's methods, for the device CPU estimate in docs/metering.md: the
/// instruction count of each method and of each loop body (a backward branch's span).
/// </summary>
public static class IlCount
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null))
        .ToDictionary(o => o.Value);

    public static void Run()
    {
        foreach (var type in new[] { typeof(MainsMeter), typeof(IntegerMath) })
        {
            foreach (var m in type.GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                var body = m.GetMethodBody();
                if (body == null)
                {
                    continue;
                }

                var instructions = Decode(body.GetILAsByteArray());
                Console.WriteLine($"{type.Name}.{m.Name}: {instructions.Count} IL instructions");
                for (int i = 0; i < instructions.Count; i++)
                {
                    var (offset, op, target) = instructions[i];
                    if (target >= 0 && target < offset)
                    {
                        int first = instructions.FindIndex(x => x.Offset == target);
                        Console.WriteLine($"    loop IL_{target:X4}..IL_{offset:X4}: {i - first + 1} instructions per iteration");
                    }
                }

                if (args_verbose)
                {
                    foreach (var (offset, op, target) in instructions)
                    {
                        Console.WriteLine($"      IL_{offset:X4} {op.Name}{(target >= 0 ? $" IL_{target:X4}" : string.Empty)}");
                    }
                }
            }
        }
    }

    private static readonly bool args_verbose = Environment.GetEnvironmentVariable("IL_LISTING") == "1";

    private static List<(int Offset, OpCode Op, int Target)> Decode(byte[] il)
    {
        var result = new List<(int, OpCode, int)>();
        int pc = 0;
        while (pc < il.Length)
        {
            int start = pc;
            short value = il[pc++];
            if (value == 0xFE)
            {
                value = (short)(0xFE00 | il[pc++]);
            }

            OpCode op = OpCodesByValue[value];
            int target = -1;
            switch (op.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget:
                    target = pc + 1 + (sbyte)il[pc];
                    pc += 1;
                    break;
                case OperandType.InlineBrTarget:
                    target = pc + 4 + BitConverter.ToInt32(il, pc);
                    pc += 4;
                    break;
                case OperandType.ShortInlineI:
                case OperandType.ShortInlineVar:
                    pc += 1;
                    break;
                case OperandType.InlineVar:
                    pc += 2;
                    break;
                case OperandType.InlineI8:
                case OperandType.InlineR:
                    pc += 8;
                    break;
                case OperandType.InlineSwitch:
                    int n = BitConverter.ToInt32(il, pc);
                    pc += 4 + (4 * n);
                    break;
                default:
                    pc += 4;
                    break;
            }

            result.Add((start, op, target));
        }

        return result;
    }
}
