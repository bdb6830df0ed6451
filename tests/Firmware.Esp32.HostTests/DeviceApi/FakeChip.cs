using System;
using System.Collections.Generic;

namespace IndraSmartPro.Esp32.HostTests.DeviceApi;

/// <summary>
/// The simulated ESP32 behind the device-API stand-ins (dotnet/iot's chip-mock style): what the
/// binding wrote to each pin, in order, and what each input and ADC channel reads. The stand-ins
/// have no constructor parameters (as on the device), so the chip is one static instance; the
/// tests that use it run one at a time (see AssemblyInfo.cs) and <see cref="Reset"/> it first.
/// </summary>
public static class FakeChip
{
    /// <summary>One write to an output pin, in the order the binding made them.</summary>
    public readonly record struct PinWrite(int Gpio, bool High);

    /// <summary>One ADC conversion: the channel, and the analogue switch select pin's level at that moment.</summary>
    public readonly record struct AdcRead(int Channel, bool? MuxSelectHigh);

    public static readonly Dictionary<int, string> PinModes = new();
    public static readonly Dictionary<int, bool> OutputLevels = new();
    public static readonly Dictionary<int, bool> InputLevels = new();
    public static readonly List<PinWrite> Writes = new();
    public static readonly Dictionary<int, int> AdcCounts = new();
    public static readonly HashSet<int> OpenAdcChannels = new();
    public static readonly List<AdcRead> AdcReads = new();
    public static readonly Dictionary<int, int> PinFunctions = new();

    /// <summary>AdcController.MaxValue: 4095 for the ESP32's 12-bit ADC1.</summary>
    public static int AdcMaxValue = 4095;

    /// <summary>The GPIO whose level is recorded with each ADC conversion (the analogue switch select).</summary>
    public static int? MuxSelectGpio;

    /// <summary>When set, every ADC conversion throws it (a driver fault).</summary>
    public static Exception AdcFault;

    public static int PwmPin = -1;
    public static int PwmFrequencyHz;
    public static bool PwmStarted;
    public static int PwmChannelsCreated;
    public static readonly List<double> DutyCycles = new();

    /// <summary>HighResTimer.GetCurrent(): microseconds since boot.</summary>
    public static ulong NowMicroseconds;

    public static int Reboots;

    public static void Reset()
    {
        PinModes.Clear();
        OutputLevels.Clear();
        InputLevels.Clear();
        Writes.Clear();
        AdcCounts.Clear();
        OpenAdcChannels.Clear();
        AdcReads.Clear();
        PinFunctions.Clear();
        AdcMaxValue = 4095;
        MuxSelectGpio = null;
        AdcFault = null;
        PwmPin = -1;
        PwmFrequencyHz = 0;
        PwmStarted = false;
        PwmChannelsCreated = 0;
        DutyCycles.Clear();
        NowMicroseconds = 0;
        Reboots = 0;
    }

    public static double Duty => DutyCycles.Count == 0 ? double.NaN : DutyCycles[^1];

    public static bool Level(int gpio) =>
        OutputLevels.TryGetValue(gpio, out bool level) ? level : throw new InvalidOperationException($"GPIO{gpio} was never written");
}
