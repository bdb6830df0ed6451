namespace IndraSmartPro.Simulator.VirtualBoard;

/// <summary>What the simulated vehicle is doing, as seen on the pilot (IEC 61851-1 Annex A).</summary>
public enum EvPilotLoad
{
    /// <summary>No vehicle: the pilot sees no load (state A).</summary>
    Disconnected,
    /// <summary>Connected, 2.74 kΩ with diode: +9 V (state B).</summary>
    Connected,
    /// <summary>Charging requested, 882 Ω in parallel: +6 V (state C).</summary>
    Requesting,
    /// <summary>Charging with ventilation, 246 Ω in parallel: +3 V (state D).</summary>
    RequestingVentilation,
}

/// <summary>
/// The simulated vehicle: its pilot load and the current it draws. It draws what the pilot
/// offers, only while it requests charging and the contactor is closed.
/// </summary>
public sealed class EvModel
{
    private readonly VirtualBoard _board;

    public EvModel(VirtualBoard board)
    {
        _board = board;
    }

    public EvPilotLoad Load { get; set; }

    /// <summary>The EV's diode is shorted: the negative half of the pilot follows the positive.</summary>
    public bool DiodeShorted { get; set; }

    /// <summary>Pilot shorted to PE (state E): the pilot reads 0 V.</summary>
    public bool PilotShortedToPe { get; set; }

    /// <summary>The most the vehicle's on-board charger takes, amps.</summary>
    public double MaxAmps { get; set; } = 32.0;

    /// <summary>Current drawn now, amps RMS.</summary>
    public double DrawAmps
    {
        get
        {
            if (!_board.ContactorClosed || (Load != EvPilotLoad.Requesting && Load != EvPilotLoad.RequestingVentilation))
            {
                return 0.0;
            }

            int duty = _board.PilotDutyPermille;
            double offered = duty >= 100 && duty <= 850 ? duty * 0.06 : (duty > 850 && duty <= 960 ? (duty / 10.0 - 64.0) * 2.5 : 0.0);
            return offered < MaxAmps ? offered : MaxAmps;
        }
    }

    /// <summary>Pilot line voltage now, volts, given the EVSE's output and this load.</summary>
    public double PilotVolts(long nowMicroseconds)
    {
        if (PilotShortedToPe)
        {
            return 0.0;
        }

        int duty = _board.PilotDutyPermille;
        bool high = duty >= 1000 || (duty > 0 && (nowMicroseconds % 1000) < duty);
        if (!high)
        {
            // The EV's diode blocks the negative half; a shorted diode lets the load pull it up.
            return DiodeShorted && Load != EvPilotLoad.Disconnected ? -HighVolts() : -12.0;
        }

        return HighVolts();
    }

    private double HighVolts() => Load switch
    {
        EvPilotLoad.Connected => 9.0,
        EvPilotLoad.Requesting => 6.0,
        EvPilotLoad.RequestingVentilation => 3.0,
        _ => 12.0,
    };
}
