using System;

namespace IndraSmartPro.Simulator.VirtualBoard;

/// <summary>
/// The supply as the charger's three voltage channels see it. A PEN break displaces the
/// installation's neutral/CPC by a phasor D against true earth: CPC-TTref = D, L-N = L − D,
/// L-TTref = L (DOMAIN.md, "PESTs"). Harmonics model supply THD. Values are instantaneous volts.
/// </summary>
public sealed class MainsModel
{
    private double _phaseRadians;
    private long _phaseAtMicroseconds;
    private double _frequencyHertz = 50.0;

    /// <summary>RMS of the line against true earth, volts.</summary>
    public double LineRmsVolts { get; set; } = 230.0;

    /// <summary>RMS of the neutral/CPC displacement against true earth (PEN fault), volts.</summary>
    public double DisplacementRmsVolts { get; set; }

    /// <summary>Phase of the displacement relative to the line, degrees.</summary>
    public double DisplacementPhaseDegrees { get; set; }

    /// <summary>Harmonic amplitudes relative to the fundamental for orders 3, 5, 7 (THD = their root-sum-square).</summary>
    public double Harmonic3 { get; set; }

    public double Harmonic5 { get; set; }

    public double Harmonic7 { get; set; }

    /// <summary>False when the TT reference electrode is open or missing: L-TTref and CPC-TTref collapse to zero.</summary>
    public bool ElectrodeConnected { get; set; } = true;

    /// <summary>Supply frequency; changing it keeps the waveform continuous.</summary>
    public double FrequencyHertz => _frequencyHertz;

    /// <summary>Sets the frequency at time <paramref name="nowMicroseconds"/> without a phase jump.</summary>
    public void SetFrequency(double hertz, long nowMicroseconds)
    {
        _phaseRadians = PhaseAt(nowMicroseconds);
        _phaseAtMicroseconds = nowMicroseconds;
        _frequencyHertz = hertz;
    }

    /// <summary>Overrides the channels with recorded instantaneous volts (waveform replay); null to stop.</summary>
    public IWaveformSource Waveform { get; set; }

    private double PhaseAt(long microseconds) =>
        _phaseRadians + (2.0 * Math.PI * _frequencyHertz * (microseconds - _phaseAtMicroseconds) / 1e6);

    /// <summary>Instantaneous line to true earth, volts.</summary>
    public double Line(long microseconds)
    {
        double phase = PhaseAt(microseconds);
        double peak = LineRmsVolts * Math.Sqrt(2.0);
        return peak * (Math.Sin(phase) + (Harmonic3 * Math.Sin(3 * phase)) + (Harmonic5 * Math.Sin(5 * phase)) + (Harmonic7 * Math.Sin(7 * phase)));
    }

    /// <summary>Instantaneous neutral/CPC displacement against true earth, volts.</summary>
    public double Displacement(long microseconds)
    {
        if (DisplacementRmsVolts == 0)
        {
            return 0;
        }

        double phase = PhaseAt(microseconds) + (DisplacementPhaseDegrees * Math.PI / 180.0);
        return DisplacementRmsVolts * Math.Sqrt(2.0) * Math.Sin(phase);
    }

    /// <summary>Instantaneous L-N, volts.</summary>
    public double LineNeutral(long microseconds) =>
        Waveform != null ? Waveform.LineNeutral(microseconds) : Line(microseconds) - Displacement(microseconds);

    /// <summary>Instantaneous L-TTref, volts.</summary>
    public double LineTtRef(long microseconds) =>
        Waveform != null ? Waveform.LineTtRef(microseconds) : (ElectrodeConnected ? Line(microseconds) : 0.0);

    /// <summary>Instantaneous CPC-TTref, volts.</summary>
    public double CpcTtRef(long microseconds) =>
        Waveform != null ? Waveform.CpcTtRef(microseconds) : (ElectrodeConnected ? Displacement(microseconds) : 0.0);
}

/// <summary>Recorded voltages for waveform replay, instantaneous volts at any simulated time.</summary>
public interface IWaveformSource
{
    double LineNeutral(long microseconds);

    double LineTtRef(long microseconds);

    double CpcTtRef(long microseconds);
}
