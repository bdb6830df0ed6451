using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>
/// hw/pinmap.json is the single source of the board's pins: these tests hold it to the ESP32
/// module's real constraints and keep the generated C# constants in step with it.
/// </summary>
public class PinMapTests
{
    /// <summary>Every signal the board seam needs, by its pinmap name.</summary>
    public static readonly string[] RequiredSignals =
    {
        "LineNeutral", "LineTtRef", "CpcTtRef", "CtClamp", "EvCurrent", "PilotPwm", "PilotFeedback",
        "ProximityPilot", "Contactor", "EarthRelay", "WeldSense", "RcdFault", "RcdTest", "PestToggle",
        "LockDrive", "LockFeedback", "LedRed", "LedGreen", "LedBlue", "Button",
    };

    private static string Root => DeviceProjectTests.RepoRoot();

    private static string Json => File.ReadAllText(Path.Combine(Root, PinMapGenerator.JsonPath));

    private static List<PinSignal> Signals => PinMapGenerator.Parse(Json);

    [Fact]
    public void PinMapCs_IsGeneratedFromPinmapJson()
    {
        string expected = PinMapGenerator.Render(Signals, PinMapGenerator.TargetOf(Json));
        string path = Path.Combine(Root, PinMapGenerator.CsPath);
        if (Environment.GetEnvironmentVariable("REGENERATE_PINMAP") == "1")
        {
            File.WriteAllText(path, expected);
        }

        string actual = File.Exists(path) ? File.ReadAllText(path).Replace("\r\n", "\n") : "";
        Assert.True(actual == expected,
            $"{PinMapGenerator.CsPath} is stale or hand-edited: it must be exactly what {PinMapGenerator.JsonPath} generates. " +
            $"Change the JSON, then regenerate with: {PinMapGenerator.RegenerateCommand}");
    }

    [Fact]
    public void PinMap_BoardPinmap_BreaksNoRule()
    {
        var problems = PinMapRules.Check(Signals);
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void PinMap_RequiredSignals_AllPresentOnce()
    {
        var names = Signals.Select(s => s.Name).ToList();
        foreach (string required in RequiredSignals)
        {
            Assert.True(names.Count(n => n == required) == 1, $"{PinMapGenerator.JsonPath} must have exactly one signal named {required}");
        }

        Assert.Equal(names.Count, names.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void PinMap_EveryAnalogChannelOfTheSeam_HasExactlyOneAnalogSignal()
    {
        var signals = Signals;
        foreach (string channel in Enum.GetNames(typeof(IndraSmartPro.Board.AnalogChannel)))
        {
            int count = signals.Count(s => s.Kind == "analog" && s.AnalogChannel == channel);
            Assert.True(count == 1, $"AnalogChannel.{channel} has {count} analog signals in {PinMapGenerator.JsonPath}; it needs exactly one");
        }

        Assert.Equal(Enum.GetNames(typeof(IndraSmartPro.Board.AnalogChannel)).Length, signals.Count(s => s.Kind == "analog"));
    }

    [Fact]
    public void PinMap_EverySignal_HasANoteAndAnActiveLevel()
    {
        foreach (var s in Signals)
        {
            Assert.False(string.IsNullOrWhiteSpace(s.Note), $"{s.Name} has no note");
            Assert.Contains(s.ActiveLevel, new[] { "high", "low", "analog" });
            Assert.Equal(s.Kind == "analog", s.ActiveLevel == "analog");
        }
    }

    [Fact]
    public void DeviceDoc_PinTable_ListsEverySignalOnItsGpio()
    {
        string[] lines = File.ReadAllLines(Path.Combine(Root, "docs", "device.md"));
        foreach (var s in Signals)
        {
            string row = $"| {s.Name} | {s.Gpio} |";
            Assert.True(lines.Any(l => l.StartsWith(row, StringComparison.Ordinal)),
                $"docs/device.md's pin table has no row starting \"{row}\": update it from {PinMapGenerator.JsonPath}");
        }

        int rows = lines.Count(l => Signals.Any(s => l.StartsWith($"| {s.Name} | ", StringComparison.Ordinal)));
        Assert.Equal(Signals.Count, rows);
    }

    // The rules must catch what they claim to: each violating map below breaks exactly one.

    [Fact]
    public void PinMapRules_SameGpioTwiceWithoutMux_Reported()
    {
        var signals = Signals.Select(s => s.Name == "LedRed" ? s with { Gpio = 22 } : s).ToList();
        Assert.Contains(PinMapRules.Check(signals), p => p.Contains("GPIO22") && p.Contains("LedGreen") && p.Contains("LedRed"));
    }

    [Fact]
    public void PinMapRules_AnalogSignalOnAdc2_Reported()
    {
        var signals = Signals.Select(s => s.Name == "CtClamp" ? s with { Gpio = 4, Adc = "ADC2_CH0" } : s).ToList();
        signals = signals.Select(s => s.Name == "RcdTest" ? s with { Gpio = 5 } : s).ToList();
        Assert.Contains(PinMapRules.Check(signals), p => p.Contains("CtClamp") && p.Contains("ADC1"));
    }

    [Fact]
    public void PinMapRules_AdcChannelNotOnItsRealGpio_Reported()
    {
        var signals = Signals.Select(s => s.Name == "CtClamp" ? s with { Adc = "ADC1_CH6" } : s).ToList();
        Assert.Contains(PinMapRules.Check(signals), p => p.Contains("CtClamp") && p.Contains("ADC1_CH6"));
    }

    [Fact]
    public void PinMapRules_OutputOnInputOnlyPin_Reported()
    {
        var signals = Signals.Select(s => s.Name switch
        {
            "LockDrive" => s with { Gpio = 34 },
            "CpcTtRef" => s with { Gpio = 13, Adc = "ADC1_CH6" },
            _ => s,
        }).ToList();
        Assert.Contains(PinMapRules.Check(signals), p => p.Contains("LockDrive") && p.Contains("input-only"));
    }

    [Fact]
    public void PinMapRules_SignalOnFlashPin_Reported()
    {
        var signals = Signals.Select(s => s.Name == "Button" ? s with { Gpio = 7 } : s).ToList();
        Assert.Contains(PinMapRules.Check(signals), p => p.Contains("Button") && p.Contains("GPIO7"));
    }

    [Fact]
    public void PinMapRules_RelayOnStrappingPin_Reported()
    {
        var signals = Signals.Select(s => s.Name switch
        {
            "Contactor" => s with { Gpio = 2 },
            "LedBlue" => s with { Gpio = 26 },
            _ => s,
        }).ToList();
        Assert.Contains(PinMapRules.Check(signals), p => p.Contains("Contactor") && p.Contains("strapping"));
    }

    [Fact]
    public void PinMapRules_MuxSelectNotAnOutput_Reported()
    {
        var signals = Signals.Select(s => s.Name == "ProximityPilot" ? s with { MuxSelect = "Button" } : s).ToList();
        Assert.Contains(PinMapRules.Check(signals), p => p.Contains("ProximityPilot") && p.Contains("Button"));
    }
}

/// <summary>The ESP32-WROVER module's pin facts, as rules over a pin map.</summary>
public static class PinMapRules
{
    /// <summary>ADC1 channel to its GPIO (ESP32 datasheet, IO_MUX table); CH1/CH2 (GPIO37/38) are not on WROOM/WROVER modules.</summary>
    public static readonly IReadOnlyDictionary<int, int> Adc1Gpio = new Dictionary<int, int>
    {
        [0] = 36, [3] = 39, [4] = 32, [5] = 33, [6] = 34, [7] = 35,
    };

    /// <summary>GPIO34-39 have no output driver (and no internal pulls).</summary>
    public static readonly int[] InputOnly = { 34, 35, 36, 37, 38, 39 };

    /// <summary>Never usable: 6-11 module flash, 16/17 WROVER PSRAM, 1/3 UART0 (nanoFramework wire protocol), 12 flash-voltage strap, 20/24/28-31 do not exist.</summary>
    public static readonly int[] Forbidden = { 1, 3, 6, 7, 8, 9, 10, 11, 12, 16, 17, 20, 24, 28, 29, 30, 31 };

    /// <summary>Strapping pins and pins that toggle during boot: no relay may sit on one.</summary>
    public static readonly int[] StrappingOrBootActive = { 0, 2, 5, 12, 14, 15 };

    public static List<string> Check(IReadOnlyList<PinSignal> signals)
    {
        var problems = new List<string>();
        var byName = signals.ToDictionary(s => s.Name, StringComparer.Ordinal);

        foreach (var group in signals.GroupBy(s => s.Gpio).Where(g => g.Count() > 1))
        {
            var members = group.ToList();
            bool muxPair = members.Count == 2
                && members.All(m => m.Kind == "analog" && m.Adc == members[0].Adc)
                && members.Count(m => m.MuxSelect != null) == 1
                && members.Single(m => m.MuxSelect != null).MuxPosition == 1;
            if (!muxPair)
            {
                problems.Add($"GPIO{group.Key} is used by {string.Join(" and ", members.Select(m => m.Name).OrderBy(n => n, StringComparer.Ordinal))}: " +
                    "a pin carries one signal (only two analogue signals may share one through the analogue switch, one of them with \"mux\" position 1)");
            }
        }

        foreach (var s in signals)
        {
            if (s.Gpio < 0 || s.Gpio > 39 || Forbidden.Contains(s.Gpio))
            {
                problems.Add($"{s.Name} is on GPIO{s.Gpio}, which the module does not offer (flash 6-11, PSRAM 16/17, UART0 1/3, MTDI strap 12, or no such pin)");
            }

            if (s.Kind == "analog")
            {
                int channel = PinMapGenerator.Adc1Channel(s.Adc);
                if (channel < 0)
                {
                    problems.Add($"{s.Name} is an analogue signal on {s.Adc ?? "no ADC"}: every analogue signal must be on ADC1 (ADC2 is unusable while WiFi runs)");
                }
                else if (!Adc1Gpio.TryGetValue(channel, out int gpio) || gpio != s.Gpio)
                {
                    problems.Add($"{s.Name}: {s.Adc} is not on GPIO{s.Gpio} on this module (ADC1: CH0=36, CH3=39, CH4=32, CH5=33, CH6=34, CH7=35)");
                }

                if (s.MuxSelect != null && (!byName.TryGetValue(s.MuxSelect, out var select) || select.Kind != "output"))
                {
                    problems.Add($"{s.Name}: its analogue switch select {s.MuxSelect} is not an output signal of the map");
                }
            }
            else if (s.Adc != null)
            {
                problems.Add($"{s.Name} is a {s.Kind} signal but names an ADC channel ({s.Adc})");
            }

            if ((s.Kind == "output" || s.Kind == "pwm") && InputOnly.Contains(s.Gpio))
            {
                problems.Add($"{s.Name} is an output on GPIO{s.Gpio}, an input-only pin (GPIO34-39 have no output driver)");
            }

            if (s.Kind == "input" && InputOnly.Contains(s.Gpio) && (s.Pull == "internal-up" || s.Pull == "internal-down"))
            {
                problems.Add($"{s.Name} asks for an internal pull on GPIO{s.Gpio}, which has none (GPIO34-39)");
            }

            if (s.Kind == "pwm" && (s.Pwm == null || !s.Pwm.StartsWith("PWM", StringComparison.Ordinal)))
            {
                problems.Add($"{s.Name} is a PWM output without a DeviceFunction PWMn");
            }

            if ((s.Name == "Contactor" || s.Name == "EarthRelay") && StrappingOrBootActive.Contains(s.Gpio))
            {
                problems.Add($"{s.Name} is on GPIO{s.Gpio}, a strapping pin or one that toggles during boot: a relay could pulse closed at reset");
            }
        }

        return problems;
    }
}
