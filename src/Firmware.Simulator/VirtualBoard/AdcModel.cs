using System;

namespace IndraSmartPro.Simulator.VirtualBoard;

/// <summary>
/// The ESP32's ADC1 as the firmware sees it: 12 bits over 0..3300 mV, a small gain and offset
/// error, and Gaussian noise of a couple of LSB. Deterministic for a seed, so runs repeat.
/// </summary>
public sealed class AdcModel
{
    public const int FullScaleMillivolts = 3300;
    public const int MaxCounts = 4095;
    private ulong _state;

    public AdcModel(ulong seed = 0x1D2A5EEDUL)
    {
        _state = seed == 0 ? 1UL : seed;
    }

    /// <summary>Noise standard deviation in LSB.</summary>
    public double NoiseLsb { get; set; } = 1.5;

    /// <summary>Offset error at the pin, millivolts.</summary>
    public double OffsetMillivolts { get; set; } = 3.0;

    /// <summary>Converts a pin voltage to what the binding would report: counts, then back to millivolts.</summary>
    public int Convert(double pinMillivolts)
    {
        double counts = (pinMillivolts + OffsetMillivolts) * MaxCounts / FullScaleMillivolts;
        counts += NextGaussian() * NoiseLsb;
        long rounded = (long)Math.Round(counts);
        if (rounded < 0)
        {
            rounded = 0;
        }
        else if (rounded > MaxCounts)
        {
            rounded = MaxCounts;
        }

        // The binding's conversion: counts -> pin millivolts on the nominal scale.
        return (int)((rounded * FullScaleMillivolts + (MaxCounts / 2)) / MaxCounts);
    }

    private double NextUniform()
    {
        // xorshift64*: fast, allocation-free, good enough for noise.
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        ulong value = _state * 2685821657736338717UL;
        return ((value >> 11) + 0.5) / 9007199254740992.0;
    }

    private double NextGaussian()
    {
        // Irwin-Hall approximation: sum of 4 uniforms, variance 4/12, scaled to unit variance.
        double sum = NextUniform() + NextUniform() + NextUniform() + NextUniform() - 2.0;
        return sum * 1.7320508075688772;
    }
}
