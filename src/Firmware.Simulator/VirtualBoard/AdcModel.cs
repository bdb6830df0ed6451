using System;
using IndraSmartPro.Board;

namespace IndraSmartPro.Simulator.VirtualBoard;

/// <summary>
/// The ESP32's ADC1 and the analogue front end in front of it, as the firmware sees them through
/// <see cref="IAnalogInputs.ReadPinMillivolts"/>: a pin voltage becomes a 12-bit code (0..4095
/// over 0..3300 mV) and the binding turns the code back into whole pin millivolts on the nominal
/// scale. Every imperfection is a documented, settable parameter (docs/metering.md, "ADC model"):
/// <list type="bullet">
/// <item>ADC-wide gain error and offset (reference and eFuse calibration residue).</item>
/// <item>Per-channel front-end gain error (divider and burden tolerance) and bias error (the
/// mid-rail bias divider is off its nominal 1650 mV), plus a slow bias drift (temperature).</item>
/// <item>Integral non-linearity as a bow (zero at the ends, largest mid-scale) and differential
/// non-linearity as a fixed random offset per code (uneven code widths, missing codes).</item>
/// <item>Gaussian noise, then rounding to a code and clamping to 0..4095, then the binding's
/// rounding to whole millivolts (1 mV is 1.24 LSB, so some codes share a millivolt value).</item>
/// </list>
/// Defaults are a near-ideal converter (1.5 LSB noise, 3 mV offset) so scenarios read true
/// values; <see cref="ApplyTypicalErrors"/> sets the realistic error budget the accuracy tests
/// run against. Deterministic for a seed, so runs repeat; allocation-free per conversion.
/// </summary>
public sealed class AdcModel
{
    public const int FullScaleMillivolts = 3300;
    public const int MaxCounts = 4095;
    private const int ChannelSlots = AnalogChannels.Count;

    private readonly double[] _channelGainError = new double[ChannelSlots];
    private readonly double[] _channelBiasErrorMillivolts = new double[ChannelSlots];
    private readonly double[] _codeOffsetLsb = new double[MaxCounts + 1];
    private ulong _state;
    private double _dnlLsb;

    public AdcModel(ulong seed = 0x1D2A5EEDUL)
    {
        _state = seed == 0 ? 1UL : seed;
    }

    /// <summary>Noise standard deviation in LSB (input-referred, before rounding).</summary>
    public double NoiseLsb { get; set; } = 1.5;

    /// <summary>Offset error of the converter, pin millivolts (all channels).</summary>
    public double OffsetMillivolts { get; set; } = 3.0;

    /// <summary>Gain error of the converter as a fraction (0.01 = reads 1 % high), all channels.</summary>
    public double GainError { get; set; }

    /// <summary>Integral non-linearity: the bow's height at mid-scale, LSB (0 at codes 0 and 4095).</summary>
    public double IntegralNonLinearityLsb { get; set; }

    /// <summary>
    /// Differential non-linearity, LSB: each code's transition is moved by a fixed random amount,
    /// uniform in ±half this value, drawn from the seed when set.
    /// </summary>
    public double DifferentialNonLinearityLsb
    {
        get => _dnlLsb;
        set
        {
            _dnlLsb = value;
            for (int code = 0; code <= MaxCounts; code++)
            {
                _codeOffsetLsb[code] = value == 0 ? 0 : (NextUniform() - 0.5) * value;
            }
        }
    }

    /// <summary>Drift of every channel's bias, pin millivolts per second of simulated time (temperature drift of the bias reference).</summary>
    public double BiasDriftMillivoltsPerSecond { get; set; }

    /// <summary>Front-end gain error of one channel as a fraction (0.005 = reads 0.5 % high).</summary>
    public double GetChannelGainError(AnalogChannel channel) => _channelGainError[(int)channel];

    public void SetChannelGainError(AnalogChannel channel, double fraction) => _channelGainError[(int)channel] = fraction;

    /// <summary>Error of one channel's mid-rail bias, pin millivolts (the AC channels; 0 for the others).</summary>
    public double GetChannelBiasErrorMillivolts(AnalogChannel channel) => _channelBiasErrorMillivolts[(int)channel];

    public void SetChannelBiasErrorMillivolts(AnalogChannel channel, double millivolts) => _channelBiasErrorMillivolts[(int)channel] = millivolts;

    /// <summary>
    /// Sets the error budget the accuracy tests use (docs/metering.md, "ADC model"): 2 LSB noise,
    /// ±1 LSB DNL, 3 LSB INL bow, +8 mV offset, +1.2 % converter gain; per mains channel a
    /// front-end gain error of up to ±1.1 % (1 % resistors) and a bias error of up to ±30 mV.
    /// The channel gains are what commissioning calibration exists to remove.
    /// </summary>
    public AdcModel ApplyTypicalErrors()
    {
        NoiseLsb = 2.0;
        OffsetMillivolts = 8.0;
        GainError = 0.012;
        IntegralNonLinearityLsb = 3.0;
        DifferentialNonLinearityLsb = 1.0;
        SetChannelGainError(AnalogChannel.LineNeutral, 0.006);
        SetChannelGainError(AnalogChannel.LineTtRef, -0.008);
        SetChannelGainError(AnalogChannel.CpcTtRef, 0.004);
        SetChannelGainError(AnalogChannel.CtClamp, -0.011);
        SetChannelGainError(AnalogChannel.EvCurrent, 0.009);
        SetChannelBiasErrorMillivolts(AnalogChannel.LineNeutral, 22.0);
        SetChannelBiasErrorMillivolts(AnalogChannel.LineTtRef, -15.0);
        SetChannelBiasErrorMillivolts(AnalogChannel.CpcTtRef, 9.0);
        SetChannelBiasErrorMillivolts(AnalogChannel.CtClamp, -30.0);
        SetChannelBiasErrorMillivolts(AnalogChannel.EvCurrent, 12.0);
        return this;
    }

    /// <summary>Converts a pin voltage with the converter-wide errors only (no channel errors, no drift).</summary>
    public int Convert(double pinMillivolts) => ToMillivolts(pinMillivolts);

    /// <summary>
    /// Converts what the front end of <paramref name="channel"/> presents at the pin at
    /// <paramref name="nowMicroseconds"/>: <paramref name="pinMillivolts"/> is the ideal pin voltage
    /// (nominal bias plus the nominally scaled signal); the channel's gain and bias errors and the
    /// drift are applied to it here.
    /// </summary>
    public int Convert(AnalogChannel channel, double pinMillivolts, long nowMicroseconds)
    {
        int index = (int)channel;
        double gain = _channelGainError[index];
        double bias = _channelBiasErrorMillivolts[index];
        if (gain != 0 || bias != 0 || BiasDriftMillivoltsPerSecond != 0)
        {
            // Channel gain scales the signal around the nominal bias; the bias error and drift add.
            // Only AC-biased channels drift (those with a bias divider): the mains five.
            double signal = pinMillivolts - Metering.FrontEnd.BiasPinMillivolts;
            double drift = index <= (int)AnalogChannel.EvCurrent ? BiasDriftMillivoltsPerSecond * nowMicroseconds / 1e6 : 0.0;
            pinMillivolts = Metering.FrontEnd.BiasPinMillivolts + bias + drift + (signal * (1.0 + gain));
        }

        return ToMillivolts(pinMillivolts);
    }

    private int ToMillivolts(double pinMillivolts)
    {
        double counts = (pinMillivolts + OffsetMillivolts) * (1.0 + GainError) * MaxCounts / FullScaleMillivolts;
        if (IntegralNonLinearityLsb != 0)
        {
            double u = counts / MaxCounts;
            if (u > 0 && u < 1)
            {
                counts += 4.0 * IntegralNonLinearityLsb * u * (1.0 - u);
            }
        }

        counts += NextGaussian() * NoiseLsb;
        if (_dnlLsb != 0 && counts >= 0 && counts < MaxCounts)
        {
            counts += _codeOffsetLsb[(int)counts];
        }

        long rounded = (long)Math.Round(counts);
        if (rounded < 0)
        {
            rounded = 0;
        }
        else if (rounded > MaxCounts)
        {
            rounded = MaxCounts;
        }

        // The binding's conversion: counts -> whole pin millivolts on the nominal scale.
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
