using IndraSmartPro.Simulator.VirtualBoard;

namespace IndraSmartPro.Simulator.Scenarios;

/// <summary>
/// Plays a scenario's steps on a simulator host as simulated time reaches them. Used by the
/// <c>run</c> command, the live demo's default story and the scenario tests, so all three
/// drive the virtual board the same way.
/// </summary>
public sealed class ScenarioPlayer
{
    /// <summary>How long a "longPress" holds the button, microseconds (longer than any long-press threshold the firmware uses).</summary>
    public const long LongPressMicroseconds = 5_000_000;

    private readonly Scenario _scenario;
    private readonly SimulatorHost _host;
    private int _next;
    private int? _ppOhms;
    private long _releaseAtMicroseconds = long.MaxValue;
    private long _resyncAtMicroseconds = long.MaxValue;
    private long _utcAtZeroMilliseconds;
    private bool _utcKnown;
    private readonly IndraSmartPro.Json.JsonWriter _result = new IndraSmartPro.Json.JsonWriter(1024);

    /// <summary>How long a "shortPress" holds the button, microseconds (well under the 3 s long press).</summary>
    public const long ShortPressMicroseconds = 300_000;

    /// <summary>After a power cut, how long until the time of day is known again (SNTP answering once the network is up), microseconds.</summary>
    public const long ResyncAfterPowerCutMicroseconds = 5_000_000;

    /// <summary>Receives each command step's result document (JSON text, docs/mqtt.md "Results"); null = not printed.</summary>
    public System.Action<long, string> CommandResult { get; set; }

    public ScenarioPlayer(Scenario scenario, SimulatorHost host)
    {
        _scenario = scenario;
        _host = host;
        _ppOhms = scenario.PpOhms;
    }

    /// <summary>Sets the board up as the scenario starts: PEST toggle, electrode, the vehicle's behaviour. Call before boot.</summary>
    public void Prepare()
    {
        var board = _host.Board;
        board.PestToggleModeB = _scenario.Pest == PestSetting.ModeB;
        board.Mains.ElectrodeConnected = _scenario.Pest != PestSetting.ModeANoElectrode;
        board.Ev.MaxAmps = _scenario.EvMaxAmps;
        board.Ev.ResponseDelayMicroseconds = (long)(_scenario.EvResponseSeconds * 1e6);
        board.Ev.WaitsForPwm = !_scenario.EvSimplified;
        board.Ev.IgnoresPwmWithdrawal = _scenario.EvIgnoresPwmWithdrawal;
        if (_scenario.StartUtcMilliseconds.HasValue)
        {
            SetUtc(_scenario.StartUtcMilliseconds.Value - (_host.NowMicroseconds / 1000));
        }
    }

    // The scenario's UTC timeline: UTC = utcAtZero + simulated time.
    private void SetUtc(long utcAtZeroMilliseconds)
    {
        _utcAtZeroMilliseconds = utcAtZeroMilliseconds;
        _utcKnown = true;
        _host.Board.SetUtcMilliseconds(_utcAtZeroMilliseconds + (_host.NowMicroseconds / 1000));
    }

    /// <summary>Simulated time the next step or button release is due; long.MaxValue when none is left.</summary>
    public long NextMicroseconds
    {
        get
        {
            long next = _next < _scenario.Steps.Count ? _scenario.Steps[_next].AtMicroseconds : long.MaxValue;
            next = next < _releaseAtMicroseconds ? next : _releaseAtMicroseconds;
            return next < _resyncAtMicroseconds ? next : _resyncAtMicroseconds;
        }
    }

    /// <summary>Applies every step due at or before <paramref name="nowMicroseconds"/>.</summary>
    public void Apply(long nowMicroseconds)
    {
        if (_releaseAtMicroseconds <= nowMicroseconds)
        {
            _host.Board.ButtonPressed = false;
            _releaseAtMicroseconds = long.MaxValue;
        }

        if (_resyncAtMicroseconds <= nowMicroseconds)
        {
            _resyncAtMicroseconds = long.MaxValue;
            SetUtc(_utcAtZeroMilliseconds);
        }

        while (_next < _scenario.Steps.Count && _scenario.Steps[_next].AtMicroseconds <= nowMicroseconds)
        {
            Apply(_scenario.Steps[_next], nowMicroseconds);
            _next++;
        }
    }

    /// <summary>Runs the whole scenario to its end.</summary>
    public void RunToEnd()
    {
        long end = (long)System.Math.Round(_scenario.DurationSeconds * 1e6);
        Apply(_host.NowMicroseconds);
        while (_host.NowMicroseconds < end)
        {
            long next = NextMicroseconds;
            _host.RunUntil(next < end ? next : end);
            Apply(_host.NowMicroseconds);
        }
    }

    private void Apply(ScenarioStep step, long now)
    {
        var board = _host.Board;
        switch (step.Kind)
        {
            case StepKind.Ev:
                ApplyEv(board, step.Action);
                break;
            case StepKind.EvFault:
                board.Ev.DiodeShorted = step.Action == "diodeShort";
                board.Ev.PilotShortedToPe = step.Action == "pilotShortToPe";
                break;
            case StepKind.Supply:
                SupplyMapping.Apply(board.Mains, step.LineNeutralVolts, step.LineTtRefVolts, step.CpcTtRefVolts);
                break;
            case StepKind.HouseLoad:
                board.HouseLoadAmps = step.Amps;
                break;
            case StepKind.Button:
                switch (step.Action)
                {
                    case "press":
                        board.ButtonPressed = true;
                        break;
                    case "release":
                        board.ButtonPressed = false;
                        break;
                    case "shortPress":
                        board.ButtonPressed = true;
                        _releaseAtMicroseconds = now + ShortPressMicroseconds;
                        break;
                    default:
                        board.ButtonPressed = true;
                        _releaseAtMicroseconds = now + LongPressMicroseconds;
                        break;
                }

                break;
            case StepKind.Charger:
                if (step.Action == "pause")
                {
                    _host.Firmware.Session.Pause();
                }
                else
                {
                    _host.Firmware.Session.Resume();
                }

                break;
            case StepKind.SocketLock:
                board.LockWorks = step.Action == "ok";
                break;
            case StepKind.HouseLoadRamp:
                board.House.RampLevel(step.Amps, now, (long)(step.Seconds * 1e6));
                break;
            case StepKind.HouseLoadNoise:
                board.House.NoiseAmps = step.Amps;
                board.House.NoisePeriodMicroseconds = (long)(step.Seconds * 1e6);
                break;
            case StepKind.HouseLoadProfile:
                board.House.SetProfile(step.Times, step.Values, step.StartHour);
                break;
            case StepKind.HouseLoadReplay:
                board.House.SetTrace(step.Times, step.Values, now, step.Seconds);
                break;
            case StepKind.Solar:
                board.House.SolarAmps = step.Amps;
                break;
            case StepKind.SolarRamp:
                board.House.RampSolar(step.Amps, now, (long)(step.Seconds * 1e6));
                break;
            case StepKind.Ct:
                board.CtConnected = step.Action != "disconnected";
                board.CtReversed = step.Action == "reversed";
                board.CtStuckAmps = step.Action == "stuck" ? board.ImportAmps(now) : null;
                break;
            case StepKind.SolarMode:
                Features.Curtailment.SolarModes.TryParse(step.Action, out Features.Curtailment.SolarMode mode);
                _host.Firmware.Curtailment.SetMode(mode);
                break;
            case StepKind.Clock:
                SetUtc(step.UtcMilliseconds - (now / 1000));
                break;
            case StepKind.Command:
                _host.Firmware.ExecuteCommand(step.Action, System.Text.Encoding.UTF8.GetBytes(step.Payload), _result);
                CommandResult?.Invoke(now, System.Text.Encoding.UTF8.GetString(_result.Buffer, 0, _result.Length));
                break;
            case StepKind.PowerCut:
                long off = (long)System.Math.Round(step.OffSeconds * 1e6);
                _host.PowerCut(off);
                if (_releaseAtMicroseconds != long.MaxValue)
                {
                    _releaseAtMicroseconds = _host.NowMicroseconds;
                }

                if (_utcKnown)
                {
                    _resyncAtMicroseconds = _host.NowMicroseconds + ResyncAfterPowerCutMicroseconds;
                }

                break;
            case StepKind.Contactor:
                board.ContactorWelded = step.Action == "welded";
                board.WeldAtNextOpening = step.Action == "weldAtNextOpening";
                break;
            case StepKind.RdcDd:
                board.RcdFaultActive = step.Action == "fault";
                board.RcdHealthy = step.Action != "selfTestFails";
                break;
            case StepKind.PestToggle:
                board.PestToggleModeB = step.Action == "B";
                break;
            case StepKind.PpOhms:
                // The resistor of the plug in the socket changes (or opens); a later plug-in uses it too.
                _ppOhms = step.Ohms;
                if (_scenario.Variant == Firmware.Variant.Type2Socket && board.Ev.Load != EvPilotLoad.Disconnected)
                {
                    board.ProximityOhms = _ppOhms;
                }

                break;
            case StepKind.EvOverdraw:
                board.Ev.OverdrawAmps = step.Amps;
                break;
            case StepKind.Pilot:
                board.Ev.PilotOffsetVolts = step.OffsetVolts;
                board.Ev.PilotNoiseVolts = step.NoiseVolts;
                break;
            case StepKind.SupplyQuality:
                board.Mains.SetFrequency(step.Hertz, now);
                board.Mains.Harmonic3 = step.Harmonic3;
                board.Mains.Harmonic5 = step.Harmonic5;
                board.Mains.Harmonic7 = step.Harmonic7;
                board.Mains.DcOffsetVolts = step.DcVolts;
                break;
        }
    }

    private void ApplyEv(VirtualBoard.VirtualBoard board, string action)
    {
        switch (action)
        {
            case "connect":
                board.Ev.Load = EvPilotLoad.Connected;
                PlugIn(board);
                break;
            case "requestCharge":
                board.Ev.Load = EvPilotLoad.Requesting;
                PlugIn(board);
                break;
            case "requestVentilation":
                board.Ev.Load = EvPilotLoad.RequestingVentilation;
                PlugIn(board);
                break;
            case "stopCharge":
                if (board.Ev.Load != EvPilotLoad.Disconnected)
                {
                    board.Ev.Load = EvPilotLoad.Connected;
                }

                break;
            case "disconnect":
                board.Ev.Load = EvPilotLoad.Disconnected;
                board.ProximityOhms = null;
                break;
        }
    }

    private void PlugIn(VirtualBoard.VirtualBoard board)
    {
        // Socket variant: the cable's plug (and its proximity resistor) is in the socket while the vehicle is connected.
        if (_scenario.Variant == Firmware.Variant.Type2Socket)
        {
            board.ProximityOhms = _ppOhms;
        }
    }
}
