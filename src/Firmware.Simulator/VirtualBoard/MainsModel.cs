using System;

namespace IndraSmartPro.Simulator.VirtualBoard;

/// <summary>
/// The supply as the charger's three voltage channels see it. A PEN break displaces the
/// installation's neutral/CPC by a phasor D against true earth: CPC-TTref = D, L-N = L − D,
/// L-TTref = L (docs/domain.md, "Three measured voltages"). Harmonics (3rd, 5th, 7th, with phases) model supply THD.
/// Values are instantaneous volts. Amplitude, displacement, harmonics and frequency can each be
/// stepped (property setters) or ramped (Ramp… methods) mid-run; frequency changes of either
/// kind keep the phase continuous, and ramps keep the waveform itself continuous.
/// </summary>
public sealed class MainsModel
{
    private readonly Ramp _lineRms = new Ramp(230.0);
    private readonly Ramp _displacementRms = new Ramp(0.0);
    private readonly Ramp _harmonic3 = new Ramp(0.0);
    private readonly Ramp _harmonic5 = new Ramp(0.0);
    private readonly Ramp _harmonic7 = new Ramp(0.0);

    // Phase is the integral of frequency: a constant segment from _phaseAtMicroseconds, optionally
    // preceded by a linear frequency ramp, so frequency changes never jump the waveform.
    private double _phaseRadians;
    private long _phaseAtMicroseconds;
    private double _frequencyHertz = 50.0;
    private double _rampFromHertz = 50.0;
    private long _rampEndMicroseconds;

    /// <summary>
    /// RMS of the fundamental of the line against true earth, volts. Setting it steps the amplitude
    /// at once (and cancels a ramp); <see cref="RampLineRms"/> changes it smoothly. Reads the
    /// target of a ramp in progress.
    /// </summary>
    public double LineRmsVolts
    {
        get => _lineRms.Target;
        set => _lineRms.Set(value);
    }

    /// <summary>RMS of the neutral/CPC displacement against true earth (PEN fault), volts. Setting steps it; <see cref="RampDisplacementRms"/> ramps it.</summary>
    public double DisplacementRmsVolts
    {
        get => _displacementRms.Target;
        set => _displacementRms.Set(value);
    }

    /// <summary>Phase of the displacement relative to the line, degrees.</summary>
    public double DisplacementPhaseDegrees { get; set; }

    /// <summary>Harmonic amplitudes relative to the fundamental for orders 3, 5, 7 (THD = their root-sum-square). Setting steps them; <see cref="RampHarmonics"/> ramps them.</summary>
    public double Harmonic3
    {
        get => _harmonic3.Target;
        set => _harmonic3.Set(value);
    }

    public double Harmonic5
    {
        get => _harmonic5.Target;
        set => _harmonic5.Set(value);
    }

    public double Harmonic7
    {
        get => _harmonic7.Target;
        set => _harmonic7.Set(value);
    }

    /// <summary>Phase of each harmonic against the fundamental's, in the harmonic's own degrees (0 = all sines start together; 180 on the 3rd flattens the top).</summary>
    public double Harmonic3PhaseDegrees { get; set; }

    public double Harmonic5PhaseDegrees { get; set; }

    public double Harmonic7PhaseDegrees { get; set; }

    /// <summary>Total harmonic distortion of the line, as a fraction (targets of any ramps).</summary>
    public double TotalHarmonicDistortion => Math.Sqrt((Harmonic3 * Harmonic3) + (Harmonic5 * Harmonic5) + (Harmonic7 * Harmonic7));

    /// <summary>True RMS of the line including harmonics, volts (targets of any ramps).</summary>
    public double LineTrueRmsVolts => LineRmsVolts * Math.Sqrt(1.0 + (TotalHarmonicDistortion * TotalHarmonicDistortion));

    /// <summary>A DC component on the line (against true earth), volts: a half-wave load elsewhere or a faulty inverter.</summary>
    public double DcOffsetVolts { get; set; }

    /// <summary>False when the TT reference electrode is open or missing: L-TTref and CPC-TTref collapse to zero.</summary>
    public bool ElectrodeConnected { get; set; } = true;

    /// <summary>Supply frequency (the target of a ramp in progress); changing it keeps the waveform continuous.</summary>
    public double FrequencyHertz => _frequencyHertz;

    /// <summary>Sets the frequency at time <paramref name="nowMicroseconds"/> without a phase jump.</summary>
    public void SetFrequency(double hertz, long nowMicroseconds) => RampFrequency(hertz, nowMicroseconds, 0);

    /// <summary>
    /// Moves the frequency linearly to <paramref name="hertz"/> over <paramref name="durationMicroseconds"/>
    /// from <paramref name="nowMicroseconds"/>; the phase is the exact integral, so the waveform is continuous.
    /// </summary>
    public void RampFrequency(double hertz, long nowMicroseconds, long durationMicroseconds)
    {
        double from = FrequencyAt(nowMicroseconds);
        _phaseRadians = PhaseAt(nowMicroseconds);
        _phaseAtMicroseconds = nowMicroseconds;
        _rampFromHertz = from;
        _rampEndMicroseconds = nowMicroseconds + Math.Max(0, durationMicroseconds);
        _frequencyHertz = hertz;
    }

    /// <summary>Moves the fundamental's RMS linearly to <paramref name="volts"/> over <paramref name="durationMicroseconds"/> (no step in the waveform).</summary>
    public void RampLineRms(double volts, long nowMicroseconds, long durationMicroseconds) =>
        _lineRms.Start(volts, nowMicroseconds, durationMicroseconds);

    /// <summary>Moves the displacement's RMS linearly to <paramref name="volts"/> over <paramref name="durationMicroseconds"/>.</summary>
    public void RampDisplacementRms(double volts, long nowMicroseconds, long durationMicroseconds) =>
        _displacementRms.Start(volts, nowMicroseconds, durationMicroseconds);

    /// <summary>Moves the 3rd, 5th and 7th harmonic amplitudes linearly to the given fractions over <paramref name="durationMicroseconds"/>.</summary>
    public void RampHarmonics(double harmonic3, double harmonic5, double harmonic7, long nowMicroseconds, long durationMicroseconds)
    {
        _harmonic3.Start(harmonic3, nowMicroseconds, durationMicroseconds);
        _harmonic5.Start(harmonic5, nowMicroseconds, durationMicroseconds);
        _harmonic7.Start(harmonic7, nowMicroseconds, durationMicroseconds);
    }

    /// <summary>Fundamental RMS of the line at a time (follows ramps), volts.</summary>
    public double LineRmsVoltsAt(long microseconds) => _lineRms.At(microseconds);

    /// <summary>True RMS of the line including harmonics at a time (follows ramps), volts.</summary>
    public double LineTrueRmsVoltsAt(long microseconds)
    {
        double h3 = _harmonic3.At(microseconds);
        double h5 = _harmonic5.At(microseconds);
        double h7 = _harmonic7.At(microseconds);
        return _lineRms.At(microseconds) * Math.Sqrt(1.0 + (h3 * h3) + (h5 * h5) + (h7 * h7));
    }

    /// <summary>Instantaneous frequency at a time (follows ramps), hertz.</summary>
    public double FrequencyAt(long microseconds)
    {
        if (microseconds >= _rampEndMicroseconds || _rampEndMicroseconds == _phaseAtMicroseconds)
        {
            return _frequencyHertz;
        }

        double progress = (double)(microseconds - _phaseAtMicroseconds) / (_rampEndMicroseconds - _phaseAtMicroseconds);
        return _rampFromHertz + ((_frequencyHertz - _rampFromHertz) * Math.Max(0.0, progress));
    }

    /// <summary>Overrides the channels with recorded instantaneous volts (waveform replay); null to stop.</summary>
    public IWaveformSource Waveform { get; set; }

    /// <summary>Phase of the fundamental at a time, radians: ∫2πf dt, with f linear during a ramp.</summary>
    public double PhaseAt(long microseconds)
    {
        double rampSeconds = (_rampEndMicroseconds - _phaseAtMicroseconds) / 1e6;
        double t = (microseconds - _phaseAtMicroseconds) / 1e6;
        if (rampSeconds <= 0 || t <= 0)
        {
            return _phaseRadians + (2.0 * Math.PI * _frequencyHertz * t);
        }

        double inRamp = Math.Min(t, rampSeconds);
        double cycles = (_rampFromHertz * inRamp) + ((_frequencyHertz - _rampFromHertz) * inRamp * inRamp / (2.0 * rampSeconds));
        cycles += _frequencyHertz * Math.Max(0.0, t - rampSeconds);
        return _phaseRadians + (2.0 * Math.PI * cycles);
    }

    /// <summary>Instantaneous line to true earth, volts.</summary>
    public double Line(long microseconds)
    {
        double phase = PhaseAt(microseconds);
        double peak = _lineRms.At(microseconds) * Math.Sqrt(2.0);
        double wave = Math.Sin(phase);
        double h3 = _harmonic3.At(microseconds);
        double h5 = _harmonic5.At(microseconds);
        double h7 = _harmonic7.At(microseconds);
        if (h3 != 0)
        {
            wave += h3 * Math.Sin((3 * phase) + (Harmonic3PhaseDegrees * Math.PI / 180.0));
        }

        if (h5 != 0)
        {
            wave += h5 * Math.Sin((5 * phase) + (Harmonic5PhaseDegrees * Math.PI / 180.0));
        }

        if (h7 != 0)
        {
            wave += h7 * Math.Sin((7 * phase) + (Harmonic7PhaseDegrees * Math.PI / 180.0));
        }

        return (peak * wave) + DcOffsetVolts;
    }

    /// <summary>Instantaneous neutral/CPC displacement against true earth, volts.</summary>
    public double Displacement(long microseconds)
    {
        double rms = _displacementRms.At(microseconds);
        if (rms == 0)
        {
            return 0;
        }

        double phase = PhaseAt(microseconds) + (DisplacementPhaseDegrees * Math.PI / 180.0);
        return rms * Math.Sqrt(2.0) * Math.Sin(phase);
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

/// <summary>A value that steps when set or moves linearly from its value at the start time to a target.</summary>
internal sealed class Ramp
{
    private double _from;
    private long _startMicroseconds;
    private long _endMicroseconds;

    public Ramp(double value)
    {
        _from = value;
        Target = value;
    }

    public double Target { get; private set; }

    public void Set(double value)
    {
        _from = value;
        Target = value;
        _endMicroseconds = _startMicroseconds;
    }

    public void Start(double target, long nowMicroseconds, long durationMicroseconds)
    {
        _from = At(nowMicroseconds);
        Target = target;
        _startMicroseconds = nowMicroseconds;
        _endMicroseconds = nowMicroseconds + Math.Max(0, durationMicroseconds);
    }

    public double At(long microseconds)
    {
        if (microseconds >= _endMicroseconds)
        {
            return Target;
        }

        if (microseconds <= _startMicroseconds)
        {
            return _from;
        }

        return _from + ((Target - _from) * (microseconds - _startMicroseconds) / (_endMicroseconds - _startMicroseconds));
    }
}
