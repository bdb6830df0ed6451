using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

// Each type breaks exactly the rule its name says (and, where unavoidable, the generic rules
// that come with it). GateSelfTests expects each rule on its sample type.
namespace IndraSmartPro.PortableGate.Violations
{
    public class GenericParameterSample<T>
    {
        public static TItem Identity<TItem>(TItem item) => item;
    }

    public class GenericInstantiationSample
    {
        private readonly List<int> _values = new List<int>();

        public int Count => _values.Count;
    }

    public class FrameworkTypeSample
    {
        public static long Measure()
        {
            var watch = new Stopwatch();
            return watch.ElapsedTicks;
        }
    }

    public class VolatileSample
    {
        private volatile bool _stop;

        public void Stop() => _stop = true;
    }

    public class FrameworkMemberSample
    {
        // nanoFramework's System.Math has Round(double) only.
        public static double Round(double value) => Math.Round(value, 2);

        // nanoFramework's String.Contains takes a string only; a char does not convert to it.
        public static bool HasComma(string text) => text.Contains(',');
    }

    public class BannedApiSample
    {
        public static long Now()
        {
            Thread.Sleep(1);
            return DateTime.UtcNow.Ticks;
        }
    }

    public class AsyncStateMachineSample
    {
        public static async Task<int> Later()
        {
            await Task.Yield();
            return 1;
        }
    }

    public class MultidimensionalArraySample
    {
        private readonly int[,] _grid = new int[2, 2];

        public int Corner => _grid[1, 1];
    }

    public record RecordSample(int Value);

    public class TupleSample
    {
        public static (int Low, int High) Split(int value) => (value & 0xff, value >> 8);
    }

    public class InitAccessorSample
    {
        public int Value { get; init; }
    }

    public class CustomNumericFormatSample
    {
        public static string Show(double volts, int amps) => volts.ToString("0.0") + string.Format("{0:00}", amps);
    }

    public class BoxedValuePatternSample
    {
        public static int Unbox(object value) => value is int i ? i : -1;
    }

    public class TestFrameworkApiSample
    {
        // The host runner is host-only: the real nanoFramework.TestFramework has no such type.
        public static int Count() => IndraSmartPro.NanoTestHost.NanoTestRunner.Discover(typeof(TestFrameworkApiSample).Assembly).Count;
    }

    /// <summary>What portable code looks like: the gate must find nothing here.</summary>
    public class CleanSample
    {
        private readonly int[] _samples = new int[8];
        private readonly ArrayList _names = new ArrayList();
        private readonly Hashtable _byName = new Hashtable();

        public event EventHandler Changed;

        public int Value { get; set; }

        public string Describe(int milliamps, double volts)
        {
            _samples[0] = Math.Abs(milliamps);
            _names.Add("x");
            _byName["x"] = 1;
            var text = new System.Text.StringBuilder();
            text.Append(milliamps.ToString("D3"));
            text.Append(volts.ToString("F1"));
            text.Append(string.Format("{0} mA {1:F1} V", milliamps, volts));
            Changed?.Invoke(this, EventArgs.Empty);
            char open = milliamps > 0 ? '[' : '(';
            lock (_names)
            {
                text.Append(open).Append("x");
            }

            foreach (int sample in _samples)
            {
                Value += sample;
            }

            string kind = milliamps switch
            {
                0 => "idle",
                < 6000 => "low",
                _ => "charging",
            };
            switch (kind)
            {
                case "idle":
                case "low":
                case "charging":
                case "fault":
                case "paused":
                case "done":
                case "waiting":
                    text.Append(kind);
                    break;
            }

            Array.Copy(_samples, _samples, 2);
            Array.Clear(_samples, 0, _samples.Length);
            text.Append(string.Format("{0} mA {1:F1} V {2}", milliamps, volts, kind));
            try
            {
                return text.ToString() + Math.Sqrt(volts) + Math.Max(1, milliamps) + (_byName["y"] ?? "none") + nameof(Describe);
            }
            catch (ArgumentException e) when (e.Message != null)
            {
                return e.Message;
            }
        }
    }
}
