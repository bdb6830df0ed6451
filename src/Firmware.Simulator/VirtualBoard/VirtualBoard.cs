using System;
using IndraSmartPro.Board;
using IndraSmartPro.Metering;

namespace IndraSmartPro.Simulator.VirtualBoard;

/// <summary>
/// The simulator's drop-in twin of the ESP32 board: the same seam, with the mains, the house,
/// the relays, the pilot line and the EV modelled in software on a simulated clock. Reading an
/// analogue channel computes the signal at the current simulated time and passes it through
/// the ADC model, so the firmware meters it exactly as it would on the device.
/// </summary>
public sealed class VirtualBoard : IBoard, IMainsSampler
{
    /// <summary>How long after an open command the load side still shows mains (relay release time).</summary>
    public const int RelayReleaseMicroseconds = 15000;

    private readonly SimulatedClock _clock;
    private long _contactorOpenedAtMicroseconds = long.MinValue / 2;
    private NativeMainsSampler _sampler;
    private readonly Random _random;
    private long _utcAtZeroMilliseconds;
    private bool _utcKnown;

    public VirtualBoard(SimulatedClock clock, ulong seed = 1)
    {
        _clock = clock;
        _random = new Random(unchecked((int)seed ^ (int)(seed >> 32)));
        Adc = new AdcModel(seed);
        Ev = new EvModel(this);
        House = new HouseModel(seed);
    }

    public SimulatedClock Clock => _clock;

    public MainsModel Mains { get; } = new MainsModel();

    public AdcModel Adc { get; }

    public EvModel Ev { get; }

    /// <summary>The house behind the CT clamp: load (level, ramps, noise, profile, trace) and solar generation.</summary>
    public HouseModel House { get; }

    /// <summary>House load level on the CT clamp, excluding the charger, amps RMS (steps the house model's level).</summary>
    public double HouseLoadAmps
    {
        get => House.LevelAmps;
        set => House.LevelAmps = value;
    }

    /// <summary>False when the CT clamp is unplugged (its channel then reads the bias only).</summary>
    public bool CtConnected { get; set; } = true;

    // ---- The ADC stream's failures (docs/faults.md, "Metering front end") ----

    /// <summary>True while the ADC's DMA stream delivers nothing (known on ESP32 while Wi-Fi starts or flash is written); on resume the stream restarts.</summary>
    public bool MainsSamplerStalled { get; set; }

    /// <summary>Fractional error of the converter's sample clock (0.05 = frames 5 % further apart than the nominal 50 µs).</summary>
    public double AdcRateError { get; set; }

    /// <summary>A channel whose converter input is frozen (reads one fixed value with no noise), or null.</summary>
    public AnalogChannel? StuckChannel { get; set; }

    /// <summary>The pin voltage a <see cref="StuckChannel"/> reads, millivolts.</summary>
    public int StuckPinMillivolts { get; set; } = FrontEnd.BiasPinMillivolts;

    /// <summary>The native sampler: the device's C metering core, fed by P/Invoke (created on first use).</summary>
    public NativeMainsSampler MainsSampler => _sampler ??= new NativeMainsSampler(this);

    /// <summary>True when the clamp is fitted backwards (label facing the house): it reads the negative of the import.</summary>
    public bool CtReversed { get; set; }

    /// <summary>Set: the clamp's reading is frozen at these RMS amps (signed) whatever flows; null: it reads the import.</summary>
    public double? CtStuckAmps { get; set; }

    /// <summary>What flows through the clamp now, amps RMS, signed (+ import): house + EV − generation.</summary>
    public double ImportAmps(long now) => House.LoadAmps(now) + Ev.DrawAmps - House.GenerationAmps(now);

    // ---- Outputs as the firmware last set them ----
    public bool ContactorClosed { get; private set; }

    public bool EarthRelayClosed { get; private set; }

    /// <summary>Pilot duty in permille while PWM runs; 1000 while held at +12 V; 0 while held at −12 V.</summary>
    public int PilotDutyPermille { get; private set; }

    public bool SocketLockDriven { get; private set; }

    public IndicatorState Indicator { get; private set; }

    public bool RcdTestOn { get; private set; }

    // ---- Inputs and faults the story controls ----
    public bool ContactorWelded { get; set; }

    /// <summary>Fault injection: the contactor's contacts weld the next time it is commanded open.</summary>
    public bool WeldAtNextOpening { get; set; }

    public bool RcdFaultActive { get; set; }

    /// <summary>False models a dead RDC-DD module: its test input no longer raises the fault output.</summary>
    public bool RcdHealthy { get; set; } = true;

    public bool PestToggleModeB { get; set; }

    public bool ButtonPressed { get; set; }

    /// <summary>Proximity resistor of the plugged cable (socket variant); null when no plug.</summary>
    public int? ProximityOhms { get; set; }

    /// <summary>False models a jammed lock: the feedback never follows the drive.</summary>
    public bool LockWorks { get; set; } = true;

    public long NowMicroseconds => _clock.NowMicroseconds;

    /// <summary>True once the scenario gave the time (as SNTP would on the device); false = no time yet.</summary>
    public bool UtcKnown => _utcKnown;

    /// <summary>
    /// Sets the time of day: at simulated time now it is <paramref name="utcMilliseconds"/> (UTC
    /// milliseconds since 1970); it then runs with simulated time. The scenario's start time or a
    /// later time step (an SNTP answer, a correction).
    /// </summary>
    public void SetUtcMilliseconds(long utcMilliseconds)
    {
        _utcAtZeroMilliseconds = utcMilliseconds - (_clock.NowMicroseconds / 1000);
        _utcKnown = true;
    }

    /// <summary>Forgets the time of day, as a power cut does on the ESP32 (no battery-backed clock).</summary>
    public void ForgetUtc() => _utcKnown = false;

    /// <inheritdoc />
    public bool TryReadUtcMilliseconds(out long utcMilliseconds)
    {
        utcMilliseconds = _utcKnown ? _utcAtZeroMilliseconds + (_clock.NowMicroseconds / 1000) : 0;
        return _utcKnown;
    }

    /// <inheritdoc />
    public uint NextRandom32() => (uint)_random.NextInt64(0, 1L << 32);

    /// <summary>True while mains is on the load side: closed, welded, or still releasing.</summary>
    public bool LoadSideLive =>
        ContactorClosed || ContactorWelded || (_clock.NowMicroseconds - _contactorOpenedAtMicroseconds < RelayReleaseMicroseconds);

    /// <inheritdoc />
    public bool TryReadCycle(MainsCycleSums sums) => MainsSampler.TryReadCycle(sums);

    /// <summary>
    /// One frame of the ADC stream at <paramref name="nowMicroseconds"/>: the five mains channels
    /// and the pilot feedback in pin millivolts, written to <paramref name="frames"/> from
    /// <paramref name="offset"/>. The supply is computed once per frame.
    /// </summary>
    internal void ConvertMainsFrame(long nowMicroseconds, short[] frames, int offset)
    {
        long now = nowMicroseconds;
        double lineNeutral = Mains.LineNeutral(now);
        double rmsVolts = Mains.LineRmsVolts <= 0 ? 230.0 : Mains.LineRmsVolts;
        double evAmps = Ev.DrawAmps * lineNeutral / rmsVolts;
        double houseAmps = CtConnected ? CtReadsAmps(now) * lineNeutral / rmsVolts : double.NaN;
        frames[offset] = Frame(AnalogChannel.LineNeutral, VoltsToPin(lineNeutral), now);
        frames[offset + 1] = Frame(AnalogChannel.LineTtRef, VoltsToPin(Mains.LineTtRef(now)), now);
        frames[offset + 2] = Frame(AnalogChannel.CpcTtRef, FrontEnd.BiasPinMillivolts + (Mains.CpcTtRef(now) * 1e6 / FrontEnd.CpcMicrovoltsPerPinMillivolt), now);
        frames[offset + 3] = Frame(AnalogChannel.CtClamp, CtConnected ? AmpsToPin(houseAmps, FrontEnd.CtMicroampsPerPinMillivolt) : FrontEnd.BiasPinMillivolts, now);
        frames[offset + 4] = Frame(AnalogChannel.EvCurrent, AmpsToPin(evAmps, FrontEnd.EvCurrentMicroampsPerPinMillivolt), now);

        // The pilot slot carries the bias: the control-pilot module still reads the pilot through
        // ReadPinMillivolts, and evaluating the EV model at frame times (up to 1 ms in the past)
        // would move its state machine backwards (docs/metering.md, "Pilot levels").
        frames[offset + 5] = FrontEnd.BiasPinMillivolts;
    }

    private short Frame(AnalogChannel channel, double pin, long now) =>
        StuckChannel == channel ? (short)StuckPinMillivolts : (short)Adc.Convert(channel, pin, now);

    public int ReadPinMillivolts(AnalogChannel channel)
    {
        long now = _clock.NowMicroseconds;
        double pin;
        switch (channel)
        {
            case AnalogChannel.LineNeutral:
                pin = VoltsToPin(Mains.LineNeutral(now));
                break;
            case AnalogChannel.LineTtRef:
                pin = VoltsToPin(Mains.LineTtRef(now));
                break;
            case AnalogChannel.CpcTtRef:
                pin = FrontEnd.BiasPinMillivolts + (Mains.CpcTtRef(now) * 1e6 / FrontEnd.CpcMicrovoltsPerPinMillivolt);
                break;
            case AnalogChannel.CtClamp:
                pin = CtConnected
                    ? AmpsToPin(InstantaneousAmps(CtReadsAmps(now), now), FrontEnd.CtMicroampsPerPinMillivolt)
                    : FrontEnd.BiasPinMillivolts;
                break;
            case AnalogChannel.EvCurrent:
                pin = AmpsToPin(InstantaneousAmps(Ev.DrawAmps, now), FrontEnd.EvCurrentMicroampsPerPinMillivolt);
                break;
            case AnalogChannel.PilotFeedback:
                pin = FrontEnd.BiasPinMillivolts + (Ev.PilotVolts(now) * 1e6 / FrontEnd.PilotMicrovoltsPerPinMillivolt);
                break;
            case AnalogChannel.ProximityPilot:
                pin = ProximityOhms is int ohms
                    ? 3300.0 * ohms / (ohms + FrontEnd.ProximityPullUpOhms)
                    : 3300.0;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(channel));
        }

        return Adc.Convert(channel, pin, now);
    }

    /// <summary>The signed RMS amps the clamp presents: the import, frozen when stuck, negated when reversed.</summary>
    private double CtReadsAmps(long now)
    {
        double amps = CtStuckAmps ?? ImportAmps(now);
        return CtReversed ? -amps : amps;
    }

    private static double VoltsToPin(double volts) =>
        FrontEnd.BiasPinMillivolts + (volts * 1e9 / FrontEnd.VoltageMicrovoltsPerPinMillivolt / 1000.0);

    private static double AmpsToPin(double amps, int microampsPerPinMillivolt) =>
        FrontEnd.BiasPinMillivolts + (amps * 1e6 / microampsPerPinMillivolt);

    /// <summary>A resistive load in phase with L-N.</summary>
    private double InstantaneousAmps(double rmsAmps, long now)
    {
        double lineNeutral = Mains.LineNeutral(now);
        double rmsVolts = Mains.LineRmsVolts <= 0 ? 230.0 : Mains.LineRmsVolts;
        return rmsAmps * lineNeutral / rmsVolts;
    }

    // ---- IPilotOutput ----
    public void SetDutyPermille(int dutyPermille)
    {
        if (dutyPermille < 1 || dutyPermille > 999)
        {
            throw new ArgumentOutOfRangeException(nameof(dutyPermille));
        }

        PilotDutyPermille = dutyPermille;
    }

    public void HoldPositive() => PilotDutyPermille = 1000;

    public void HoldNegative() => PilotDutyPermille = 0;

    // ---- IRelayDrive, IWeldSense ----
    public void SetContactor(bool closed)
    {
        if (ContactorClosed && !closed)
        {
            _contactorOpenedAtMicroseconds = _clock.NowMicroseconds;
            if (WeldAtNextOpening)
            {
                // Contacts welded by this opening (an opening under load is the usual cause).
                ContactorWelded = true;
                WeldAtNextOpening = false;
            }
        }

        ContactorClosed = closed;
    }

    public void SetEarthRelay(bool closed) => EarthRelayClosed = closed;

    public void OpenAll()
    {
        SetContactor(false);
        EarthRelayClosed = false;
    }

    public bool ReadLoadSideLive() => LoadSideLive;

    // ---- IRcdMonitor ----
    public bool ReadFault() => RcdFaultActive || (RcdTestOn && RcdHealthy);

    public void SetTest(bool on) => RcdTestOn = on;

    // ---- IOperatorInputs ----
    public bool ReadPestToggleModeB() => PestToggleModeB;

    public bool ReadButtonPressed() => ButtonPressed;

    // ---- ISocketLock ----
    public void SetLockDrive(bool locked) => SocketLockDriven = locked;

    public bool ReadLocked() => LockWorks && SocketLockDriven;

    // ---- IIndicators ----
    public void Show(IndicatorState state) => Indicator = state;
}
