using System.Collections.Generic;
using IndraSmartPro.Firmware;

namespace IndraSmartPro.Simulator.Scenarios;

/// <summary>The PEST toggle and electrode setting a scenario starts with.</summary>
public enum PestSetting
{
    /// <summary>Toggle in the factory position (mode A), TT reference electrode fitted.</summary>
    ModeAWithElectrode,
    /// <summary>Toggle in mode A, no electrode.</summary>
    ModeANoElectrode,
    /// <summary>Toggle in mode B.</summary>
    ModeB,
}

/// <summary>What a step does.</summary>
public enum StepKind
{
    Ev,
    EvFault,
    Supply,
    HouseLoad,
    Button,
    Charger,
    SocketLock,
    HouseLoadRamp,
    HouseLoadNoise,
    HouseLoadProfile,
    HouseLoadReplay,
    Solar,
    SolarRamp,
    Ct,
    SolarMode,
    /// <summary>The time of day becomes known or is corrected (an SNTP answer on the device).</summary>
    Clock,
    /// <summary>A command as if received over MQTT (docs/mqtt.md); its result is printed.</summary>
    Command,
    /// <summary>The supply to the unit fails for a while; the firmware restarts from its store.</summary>
    PowerCut,
    Contactor,
    RdcDd,
    PpOhms,
    PestToggle,
    EvOverdraw,
    Pilot,
    SupplyQuality,
}

/// <summary>One timed step of a scenario (docs/simulator.md, "Scenarios").</summary>
public sealed class ScenarioStep
{
    public double AtSeconds { get; init; }

    public StepKind Kind { get; init; }

    /// <summary>The action word: "connect", "diodeShort", "longPress", "pause", "jammed"...</summary>
    public string Action { get; init; } = "";

    public double LineNeutralVolts { get; init; }

    public double LineTtRefVolts { get; init; }

    public double CpcTtRefVolts { get; init; }

    public double Amps { get; init; }

    /// <summary>Ramp duration, noise period or replay start offset, seconds (by kind).</summary>
    public double Seconds { get; init; }

    /// <summary>Daily profile: hours of day (ascending) and amps; replay: seconds and amps.</summary>
    public double[] Times { get; init; }

    public double[] Values { get; init; }

    /// <summary>Daily profile: the hour of day at simulated time 0.</summary>
    public double StartHour { get; init; }
    /// <summary>Clock steps: UTC milliseconds since 1970.</summary>
    public long UtcMilliseconds { get; init; }

    /// <summary>Command steps: the payload's JSON text ("{}" when the scenario gave none; "id" is added when absent).</summary>
    public string Payload { get; init; } = "";

    /// <summary>Power-cut steps: how long the unit is without supply, seconds.</summary>
    public double OffSeconds { get; init; }
    /// <summary>ppOhms step: the new proximity resistor; null = open.</summary>
    public int? Ohms { get; init; }

    /// <summary>pilot step: volts added to the vehicle's positive level, and peak noise volts.</summary>
    public double OffsetVolts { get; init; }

    public double NoiseVolts { get; init; }

    /// <summary>supplyQuality step: frequency, harmonic fractions of the fundamental (3rd, 5th, 7th), DC volts.</summary>
    public double Hertz { get; init; }

    public double Harmonic3 { get; init; }

    public double Harmonic5 { get; init; }

    public double Harmonic7 { get; init; }

    public double DcVolts { get; init; }

    public long AtMicroseconds => (long)System.Math.Round(AtSeconds * 1e6);
}

/// <summary>A parsed, validated scenario.</summary>
public sealed class Scenario
{
    public Variant Variant { get; init; } = Variant.Type2Tethered;

    public PestSetting Pest { get; init; } = PestSetting.ModeAWithElectrode;

    public double SupplyLimitAmps { get; init; } = 60.0;

    public double CableAmps { get; init; } = 32.0;

    /// <summary>The plug's proximity resistor (socket variant); null = no plug resistor (open).</summary>
    public int? PpOhms { get; init; }

    public double DurationSeconds { get; init; }

    public double EvMaxAmps { get; init; } = 32.0;

    public double EvResponseSeconds { get; init; } = 1.0;

    /// <summary>True: the vehicle goes from A straight to C without waiting for PWM (simplified mode).</summary>
    public bool EvSimplified { get; init; }

    /// <summary>True: the vehicle keeps C and its current when PWM is withdrawn.</summary>
    public bool EvIgnoresPwmWithdrawal { get; init; }

    public IReadOnlyList<ScenarioStep> Steps { get; init; } = new List<ScenarioStep>();

    /// <summary>Installer: a CT clamp is fitted (curtailment on).</summary>
    public bool CtFitted { get; init; } = true;

    /// <summary>Installer: generation (solar) behind the clamp.</summary>
    public bool GenerationFitted { get; init; }

    public double CurtailmentMarginAmps { get; init; } = 1.0;

    /// <summary>Installer: what the EV gets while the CT is faulty, amps (0 = pause).</summary>
    public double CtFallbackAmps { get; init; } = 6.0;

    public Features.Curtailment.SolarMode SolarMode { get; init; }

    public double MinimumPauseSeconds { get; init; } = 300.0;

    public double ResumeHoldSeconds { get; init; } = 60.0;
    /// <summary>The UTC time at the start, milliseconds since 1970; null = the unit has no time until a "clock" step.</summary>
    public long? StartUtcMilliseconds { get; init; }

    /// <summary>The firmware configuration this scenario commissions.</summary>
    public ChargerConfig ToConfig() => new ChargerConfig
    {
        Variant = Variant,
        ReferenceElectrodeFitted = Pest == PestSetting.ModeAWithElectrode,
        SupplyLimitMilliamps = (int)System.Math.Round(SupplyLimitAmps * 1000),
        CableRatingMilliamps = (int)System.Math.Round(CableAmps * 1000),
        CtFitted = CtFitted,
        GenerationFitted = GenerationFitted,
        CurtailmentMarginMilliamps = (int)System.Math.Round(CurtailmentMarginAmps * 1000),
        CtFallbackMilliamps = (int)System.Math.Round(CtFallbackAmps * 1000),
        SolarMode = SolarMode,
        CurtailmentMinimumPauseMicroseconds = (long)System.Math.Round(MinimumPauseSeconds * 1e6),
        CurtailmentResumeHoldMicroseconds = (long)System.Math.Round(ResumeHoldSeconds * 1e6),
    };
}
