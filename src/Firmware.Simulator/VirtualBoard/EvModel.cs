using System;
using IndraSmartPro.ControlPilot;

namespace IndraSmartPro.Simulator.VirtualBoard;

/// <summary>What the simulated vehicle is doing, as its owner or the scenario sets it.</summary>
public enum EvPilotLoad
{
    /// <summary>No vehicle: the pilot sees no load (state A).</summary>
    Disconnected,
    /// <summary>Connected, not asking to charge: 2.74 kΩ behind the diode (state B, about +9 V).</summary>
    Connected,
    /// <summary>Asking to charge: 1.3 kΩ added in parallel (state C, about +6 V) once the EVSE offers current.</summary>
    Requesting,
    /// <summary>Asking to charge with ventilation: 270 Ω added in parallel (state D, about +3 V).</summary>
    RequestingVentilation,
}

/// <summary>
/// The simulated vehicle (IEC 61851-1 Annex A, SAE J1772 vehicle side): a diode, then R2 =
/// 2.74 kΩ, with R3 = 1.3 kΩ (C) or 270 Ω (D) switched in parallel, behind the EVSE's 1 kΩ
/// source resistor on the ±12 V generator. The high level is Vd + (12 − Vd)·R/(R + 1 kΩ) with a
/// 0.7 V diode drop (B 8.98 V, C 5.99 V, D 2.93 V); the low level is −12 V because the diode
/// blocks. A shorted diode lets the load pull the negative half to −12·R/(R + 1 kΩ) (B −8.8 V).
/// A pilot shorted to PE reads 0 V (state E).
/// <para>
/// Behaviour: a vehicle that asks to charge shows B until the EVSE offers current (PWM), then C
/// (unless <see cref="WaitsForPwm"/> is false: simplified mode, A straight to C). Its current
/// follows the offered current (capped by <see cref="MaxAmps"/>) <see cref="ResponseDelayMicroseconds"/>
/// after each change of the offer (each change on its own, however many follow it); when PWM is withdrawn it stops drawing after the same delay
/// and returns to B (unless <see cref="IgnoresPwmWithdrawal"/>). It draws only while the contactor
/// is closed. State is advanced lazily from the board clock, so it needs no task of its own.
/// </para>
/// </summary>
public sealed class EvModel
{
    private const double DiodeDropVolts = 0.7;
    private const double SourceOhms = 1000.0;
    private const double R2Ohms = 2740.0;
    private const double R3ChargeOhms = 1300.0;
    private const double R3VentilationOhms = 270.0;

    private readonly VirtualBoard _board;
    private bool _inC;
    private double _drawAmps;
    private double _targetAmps;

    // Offer changes on their way to the vehicle's charger: each is followed its delay after it
    // was made (IEC 61851-1: within 5 s of the change), however many follow it meanwhile.
    private const int PendingCapacity = 32;
    private readonly long[] _pendingDue = new long[PendingCapacity];
    private readonly double[] _pendingAmps = new double[PendingCapacity];
    private int _pendingHead;
    private int _pendingCount;
    private double _queuedAmps = -1;
    private bool _pwmSeen;
    private long _pwmWithdrawnAtMicroseconds = -1;
    private readonly Random _noise = new Random(7);

    public EvModel(VirtualBoard board)
    {
        _board = board;
    }

    /// <summary>What the vehicle does (connect, request, stop, disconnect).</summary>
    public EvPilotLoad Load { get; set; }

    /// <summary>The EV's diode is shorted: the negative half of the pilot is pulled up by the load.</summary>
    public bool DiodeShorted { get; set; }

    /// <summary>Pilot shorted to PE (state E): the pilot reads 0 V.</summary>
    public bool PilotShortedToPe { get; set; }

    /// <summary>The most the vehicle's on-board charger takes, amps.</summary>
    public double MaxAmps { get; set; } = 32.0;

    /// <summary>
    /// How long the vehicle takes to follow a change of the offered current, microseconds (IEC
    /// 61851-1 allows 5 s). 0 (the default, what metering rigs rely on) follows at once;
    /// scenarios default to 1 s.
    /// </summary>
    public long ResponseDelayMicroseconds { get; set; }

    /// <summary>True (the usual vehicle): shows C only once PWM offers current. False: simplified mode, C as soon as it asks.</summary>
    public bool WaitsForPwm { get; set; } = true;

    /// <summary>A misbehaving vehicle that keeps C and keeps drawing when PWM is withdrawn (for the 6 s rule).</summary>
    public bool IgnoresPwmWithdrawal { get; set; }

    /// <summary>True while the vehicle shows C (or D) on the pilot.</summary>
    public bool ShowsRequest
    {
        get
        {
            Update(_board.NowMicroseconds);
            return _inC;
        }
    }

    /// <summary>Fault injection: amps drawn above the offer (and above <see cref="MaxAmps"/>) while drawing; 0: follows the offer.</summary>
    public double OverdrawAmps { get; set; }

    /// <summary>Fault injection: volts added to the pilot's positive level while a vehicle loads it (a level between two states).</summary>
    public double PilotOffsetVolts { get; set; }

    /// <summary>Fault injection: peak volts of uniform noise added to every pilot reading (seeded, repeatable).</summary>
    public double PilotNoiseVolts { get; set; }

    /// <summary>Current drawn now, amps RMS.</summary>
    public double DrawAmps
    {
        get
        {
            Update(_board.NowMicroseconds);
            return _drawAmps;
        }
    }

    /// <summary>The current the pilot offers now, amps (0 when not PWM).</summary>
    public double OfferedAmps => PilotDuty.ToMilliamps(_board.PilotDutyPermille) / 1000.0;

    /// <summary>Pilot line voltage now, volts, given the EVSE's output and this load.</summary>
    public double PilotVolts(long nowMicroseconds)
    {
        double volts = CleanPilotVolts(nowMicroseconds);
        if (PilotNoiseVolts > 0)
        {
            volts += PilotNoiseVolts * ((2.0 * _noise.NextDouble()) - 1.0);
        }

        return volts;
    }

    private double CleanPilotVolts(long nowMicroseconds)
    {
        Update(nowMicroseconds);
        if (PilotShortedToPe)
        {
            return 0.0;
        }

        int duty = _board.PilotDutyPermille;
        bool high = duty >= 1000 || (duty > 0 && (nowMicroseconds % 1000) < duty);
        double load = LoadOhms();
        if (high)
        {
            if (double.IsPositiveInfinity(load))
            {
                return 12.0;
            }

            return PilotOffsetVolts + (DiodeShorted ? 12.0 * load / (load + SourceOhms) : DiodeDropVolts + ((12.0 - DiodeDropVolts) * load / (load + SourceOhms)));
        }

        // The EV's diode blocks the negative half; a shorted diode lets the load pull it up.
        return DiodeShorted && !double.IsPositiveInfinity(load) ? -12.0 * load / (load + SourceOhms) : -12.0;
    }

    private double LoadOhms()
    {
        if (Load == EvPilotLoad.Disconnected)
        {
            return double.PositiveInfinity;
        }

        if (!_inC)
        {
            return R2Ohms;
        }

        double r3 = Load == EvPilotLoad.RequestingVentilation ? R3VentilationOhms : R3ChargeOhms;
        return R2Ohms * r3 / (R2Ohms + r3);
    }

    private void Update(long now)
    {
        bool wants = Load == EvPilotLoad.Requesting || Load == EvPilotLoad.RequestingVentilation;
        int duty = _board.PilotDutyPermille;
        bool pwm = duty > 0 && duty < 1000;
        if (!wants || PilotShortedToPe)
        {
            _inC = wants && !WaitsForPwm;
            _drawAmps = 0;
            _targetAmps = 0;
            _pendingCount = 0;
            _queuedAmps = -1;
            _pwmSeen = false;
            _pwmWithdrawnAtMicroseconds = -1;
            return;
        }

        if (pwm)
        {
            _pwmSeen = true;
            _pwmWithdrawnAtMicroseconds = -1;
            _inC = true;
        }
        else
        {
            if (_pwmSeen && _pwmWithdrawnAtMicroseconds < 0)
            {
                _pwmWithdrawnAtMicroseconds = now;
            }

            if (!WaitsForPwm)
            {
                _inC = true;
            }
            else if (_inC && !IgnoresPwmWithdrawal && _pwmWithdrawnAtMicroseconds >= 0 && now - _pwmWithdrawnAtMicroseconds >= ResponseDelayMicroseconds)
            {
                // Stopped drawing (below), then lets go of C: the EVSE may now open without load.
                _inC = false;
                _pwmSeen = false;
            }
        }

        double target;
        if (!pwm)
        {
            target = IgnoresPwmWithdrawal && _inC ? _targetAmps : 0.0;
        }
        else
        {
            target = Math.Min(OfferedAmps, MaxAmps);
        }

        if (target > 0 && OverdrawAmps > 0)
        {
            target += OverdrawAmps;
        }

        _targetAmps = target;
        if (!_board.ContactorClosed || !_inC)
        {
            // No current without the contactor; after it closes the vehicle ramps up after the delay.
            _drawAmps = 0;
            _pendingCount = 0;
            _queuedAmps = -1;
            return;
        }

        if (target != _queuedAmps)
        {
            if (_pendingCount == PendingCapacity)
            {
                _pendingHead = (_pendingHead + 1) % PendingCapacity;
                _pendingCount--;
            }

            int slot = (_pendingHead + _pendingCount) % PendingCapacity;
            _pendingDue[slot] = now + ResponseDelayMicroseconds;
            _pendingAmps[slot] = target;
            _pendingCount++;
            _queuedAmps = target;
        }

        while (_pendingCount > 0 && _pendingDue[_pendingHead] <= now)
        {
            _drawAmps = _pendingAmps[_pendingHead];
            _pendingHead = (_pendingHead + 1) % PendingCapacity;
            _pendingCount--;
        }
    }
}
