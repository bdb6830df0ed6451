using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using IndraSmartPro.ControlPilot;
using IndraSmartPro.Events;
using IndraSmartPro.Firmware;
using IndraSmartPro.Simulator.Scenarios;
using IndraSmartPro.Simulator.VirtualBoard;

namespace IndraSmartPro.Simulator.Fuzz;

/// <summary>
/// Randomised safety testing (docs/invariants.md, R1): generates random scenarios from every step
/// kind the scenario format has (vehicle behaviour, vehicle faults, supply events and supply
/// quality, relay and RDC-DD faults, proximity changes, PEST toggle, pilot noise, overdraw,
/// pauses, lock jams, button presses) and checks the safety invariants after every 5 ms of
/// simulated time and at every contactor and reset event. A booted unit plays
/// <see cref="SequencesPerUnit"/> sequences one after the other (a sequence: 1–8 random steps within
/// 1 s), so the 4 s boot check is paid once per unit. Seeded: a failure names the seed
/// and the scenario that reproduce it.
/// </summary>
public sealed class SafetyFuzzer
{
    /// <summary>Sequences a booted unit plays one after the other.</summary>
    public const int SequencesPerUnit = 25;

    private const double BootSeconds = 5.0;
    private const double SequenceSeconds = 1.0;
    private const long CheckStepMicroseconds = 5_000;
    private const long PilotDeadlineMicroseconds = 100_000 + CheckStepMicroseconds;
    private const long DiodeDeadlineMicroseconds = 150_000 + CheckStepMicroseconds;
    private const long PpOpenDeadlineMicroseconds = 150_000 + CheckStepMicroseconds;

    // P15: a toggle change counts once it has held for the debounce (a switch bounces), read by
    // protection's slow poll (every 10 ms); the relays open in the next protection run.
    private const long ToggleDeadlineMicroseconds = IndraSmartPro.Pests.PestLimits.ToggleDebounceMicroseconds + (2 * IndraSmartPro.Pests.PestProtection.SlowPollMicroseconds) + CheckStepMicroseconds;

    // BS 7671 722.411.4.1 (iv): disconnect within 5 s of L-N leaving its band.
    private const long SupplyTripDeadlineMicroseconds = 5_000_000;

    // P10: a reset only after every monitored voltage has been in range for 10 s (one check step of slack).
    private const long ResetHealthyMicroseconds = 10_000_000 - CheckStepMicroseconds;

    private static readonly string[] EvActions = { "connect", "requestCharge", "requestCharge", "requestVentilation", "stopCharge", "disconnect" };
    private static readonly string[] EvFaults = { "diodeShort", "pilotShortToPe", "none", "none", "none" };
    private static readonly string[] ContactorFaults = { "weldAtNextOpening", "welded", "ok" };
    private static readonly string[] RdcFaults = { "fault", "selfTestFails", "ok" };
    private static readonly int?[] PpChoices = { 100, 220, 680, 1500, 1040, 2150, 5000, null };

    // Reasons that must never open the contactor while the vehicle draws: the session's own
    // ordinary stops, which withdraw PWM and wait for B (invariant C7).
    private static readonly string[] OrdinaryStops =
    {
        CurrentArbiter.ReasonPaused, ChargingSession.ReasonLimitBelowMinimum, ChargingSession.ReasonLocking,
        ChargingSession.ReasonPlugChecking, CurrentArbiter.ReasonPlugRating, ChargingSession.ReasonEvStopped,
        "platform", "curtailment", "schedule",
    };

    /// <summary>Totals over the units run so far.</summary>
    public long Units { get; private set; }

    public long Sequences { get; private set; }

    public long Steps { get; private set; }

    public long Closes { get; private set; }

    public long Trips { get; private set; }

    public long Resets { get; private set; }

    /// <summary>Runs one unit from <paramref name="seed"/>; returns null when every invariant held, else the counterexample.</summary>
    public string RunUnit(int seed)
    {
        try
        {
            return RunUnitUnguarded(seed);
        }
        catch (Exception e)
        {
            // An exception out of the firmware is a counterexample too (the device would reboot).
            var random = new Random(seed);
            return "seed " + seed + ": the firmware threw " + e.GetType().Name + ": " + e.Message + "\n" + e.StackTrace + "\n" + Describe(RandomScenario(random, SequencesPerUnit));
        }
    }

    private string RunUnitUnguarded(int seed)
    {
        var random = new Random(seed);
        Scenario scenario = RandomScenario(random, SequencesPerUnit);
        var host = new SimulatorHost(scenario.ToConfig(), seed: (ulong)seed);
        var watch = new EventWatch(host, scenario);
        host.Firmware.Events.Subscribe(watch);
        var player = new ScenarioPlayer(scenario, host);
        player.Prepare();
        host.Boot();
        Units++;
        Sequences += SequencesPerUnit;
        Steps += scenario.Steps.Count;

        var truth = new Truth(scenario);
        long end = (long)(scenario.DurationSeconds * 1e6);
        player.Apply(0);
        truth.Apply(0, host.Board);
        for (long t = CheckStepMicroseconds; t <= end && watch.Violation == null; t += CheckStepMicroseconds)
        {
            watch.DrawAmpsBefore = host.Board.Ev.DrawAmps;
            watch.NowTruth = truth;
            host.RunUntil(t);
            player.Apply(t);
            truth.Apply(t, host.Board);
            string why = Check(host, truth, t);
            if (why != null)
            {
                watch.Violation = "t = " + (t / 1e6).ToString("0.000", CultureInfo.InvariantCulture) + " s: " + why;
            }
        }

        Closes += watch.Closes;
        Trips += watch.Trips;
        Resets += watch.Resets;
        return watch.Violation == null ? null : "seed " + seed + ", " + watch.Violation + "\n" + Describe(scenario);
    }

    /// <summary>The invariants that hold between events: checked every 5 ms.</summary>
    private static string Check(SimulatorHost host, Truth truth, long t)
    {
        var board = host.Board;
        var session = host.Firmware.Session;
        string row = SessionStates.Violation(session.State, session.DutyPermille, host.Firmware.Relays.ContactorClosed);
        if (row != null)
        {
            return "state " + session.State + ": " + row;
        }

        if (!board.ContactorClosed)
        {
            return null;
        }

        if (host.Firmware.Pests.Latched)
        {
            return "contactor closed while a PEST trip is latched";
        }

        if (board.RcdFaultActive && t - truth.RcdFaultSince > CheckStepMicroseconds)
        {
            return "contactor closed " + ((t - truth.RcdFaultSince) / 1000) + " ms into an RDC-DD fault (P13: the same millisecond)";
        }

        if (truth.SupplyBadSince >= 0 && t - truth.SupplyBadSince > SupplyTripDeadlineMicroseconds)
        {
            return "contactor closed " + ((t - truth.SupplyBadSince) / 1000) + " ms after the supply left its band (5 s)";
        }

        PilotState line = truth.Line;
        if (line != PilotState.C && line != PilotState.D && t - truth.LineSince > PilotDeadlineMicroseconds)
        {
            return "contactor closed while the pilot has been " + line + " for " + ((t - truth.LineSince) / 1000) + " ms";
        }

        if (truth.NotCSince >= 0 && t - truth.NotCSince > ChargingSession.PwmWithdrawnForceOpenMicroseconds + PilotDeadlineMicroseconds)
        {
            return "contactor closed while the pilot has not been C for " + ((t - truth.NotCSince) / 1000) + " ms";
        }

        // State D: closed in D at most the 3 s allowance plus a tenth of the time since the unit
        // booted (VentilationAllowance), plus the detection latency of each D spell.
        long allowance = VentilationAllowance.AllowanceMicroseconds + (t / VentilationAllowance.DrainDivisor) + (truth.DSpells * PilotDeadlineMicroseconds);
        if (truth.ClosedInDMicroseconds > allowance)
        {
            return "contactor closed in D for " + (truth.ClosedInDMicroseconds / 1000) + " ms in all (allowance " + (allowance / 1000) + " ms)";
        }

        if (truth.ToggleAwaySince >= 0 && t - truth.ToggleAwaySince > ToggleDeadlineMicroseconds)
        {
            return "contactor closed with the PEST toggle away from its boot position for " + ((t - truth.ToggleAwaySince) / 1000) + " ms (P15)";
        }

        if (truth.DiodeBadSince >= 0 && t - truth.DiodeBadSince > DiodeDeadlineMicroseconds)
        {
            return "contactor closed while the diode has been shorted under PWM for " + ((t - truth.DiodeBadSince) / 1000) + " ms";
        }

        if (truth.PpOpenSince >= 0 && t - truth.PpOpenSince > PpOpenDeadlineMicroseconds)
        {
            return "contactor closed while PP has been open for " + ((t - truth.PpOpenSince) / 1000) + " ms";
        }

        return null;
    }

    /// <summary>A random scenario: boot with a vehicle that wants to charge, then <paramref name="sequences"/> random sequences.</summary>
    public static Scenario RandomScenario(Random random, int sequences)
    {
        var variant = (Variant)random.Next(3);
        var steps = new List<ScenarioStep>
        {
            new ScenarioStep { AtSeconds = 0.5, Kind = StepKind.Ev, Action = "connect" },
            new ScenarioStep { AtSeconds = 1.0, Kind = StepKind.Ev, Action = "requestCharge" },
        };
        double at = BootSeconds;
        for (int sequence = 0; sequence < sequences; sequence++)
        {
            int count = 1 + random.Next(8);
            double start = BootSeconds + (sequence * SequenceSeconds);
            for (int i = 0; i < count; i++)
            {
                at = Math.Max(at, Math.Round(start + (random.NextDouble() * SequenceSeconds), 3));
                steps.Add(RandomStep(random, at));
            }

            // Most sequences end asking to charge with a healthy supply, so the next one starts from charging.
            if (random.Next(3) != 0)
            {
                at = Math.Max(at, Math.Round(start + SequenceSeconds - 0.001, 3));
                steps.Add(new ScenarioStep { AtSeconds = at, Kind = StepKind.Ev, Action = "requestCharge" });
            }
        }

        return new Scenario
        {
            Variant = variant,
            Pest = (PestSetting)random.Next(3),
            CableAmps = random.Next(2) == 0 ? 32 : 16,
            PpOhms = random.Next(4) == 0 ? PpChoices[random.Next(PpChoices.Length)] : 220,
            DurationSeconds = BootSeconds + (sequences * SequenceSeconds) + 1.0,
            EvResponseSeconds = random.NextDouble() * 2.0,
            EvSimplified = random.Next(8) == 0,
            EvIgnoresPwmWithdrawal = random.Next(6) == 0,
            Steps = steps,
        };
    }

    private static ScenarioStep RandomStep(Random random, double at)
    {
        // Per mille: faults that latch (weld, RDC-DD, PEN) are rare enough that most units charge again after a reset.
        int pick = random.Next(1000);
        if (pick < 400)
        {
            return new ScenarioStep { AtSeconds = at, Kind = StepKind.Ev, Action = EvActions[random.Next(EvActions.Length)] };
        }

        if (pick < 480)
        {
            return new ScenarioStep { AtSeconds = at, Kind = StepKind.EvFault, Action = EvFaults[random.Next(EvFaults.Length)] };
        }

        if (pick < 530)
        {
            // A PEN fault with CPC at 80 V (mode A trips in 40 ms+), L-N low, or healthy.
            double[][] supplies = { new[] { 230.0, 230.0, 0.0 }, new[] { 230.0, 230.0, 80.0 }, new[] { 190.0, 190.0, 0.0 }, new[] { 232.0, 232.0, 1.0 }, new[] { 230.0, 230.0, 0.0 }, new[] { 230.0, 230.0, 0.0 } };
            double[] s = supplies[random.Next(supplies.Length)];
            return new ScenarioStep { AtSeconds = at, Kind = StepKind.Supply, LineNeutralVolts = s[0], LineTtRefVolts = s[1], CpcTtRefVolts = s[2] };
        }

        if (pick < 580)
        {
            // Within EN 50160: frequency 49.5–50.5 Hz, THD up to 8 %, a small DC offset.
            return new ScenarioStep
            {
                AtSeconds = at, Kind = StepKind.SupplyQuality, Hertz = Math.Round(49.5 + random.NextDouble(), 2),
                Harmonic3 = random.NextDouble() * 0.05, Harmonic5 = random.NextDouble() * 0.04, Harmonic7 = random.NextDouble() * 0.03, DcVolts = Math.Round((random.NextDouble() - 0.5) * 4, 2),
            };
        }

        if (pick < 680)
        {
            return new ScenarioStep { AtSeconds = at, Kind = StepKind.Charger, Action = random.Next(2) == 0 ? "pause" : "resume" };
        }

        if (pick < 720)
        {
            return new ScenarioStep { AtSeconds = at, Kind = StepKind.SocketLock, Action = random.Next(3) == 0 ? "jammed" : "ok" };
        }

        if (pick < 780)
        {
            return new ScenarioStep { AtSeconds = at, Kind = StepKind.Button, Action = "longPress" };
        }

        if (pick < 810)
        {
            return new ScenarioStep { AtSeconds = at, Kind = StepKind.HouseLoad, Amps = random.Next(0, 60) };
        }

        if (pick < 825)
        {
            return new ScenarioStep { AtSeconds = at, Kind = StepKind.Contactor, Action = ContactorFaults[random.Next(ContactorFaults.Length)] };
        }

        if (pick < 845)
        {
            return new ScenarioStep { AtSeconds = at, Kind = StepKind.RdcDd, Action = RdcFaults[random.Next(RdcFaults.Length)] };
        }

        if (pick < 895)
        {
            return new ScenarioStep { AtSeconds = at, Kind = StepKind.PpOhms, Ohms = PpChoices[random.Next(PpChoices.Length)] };
        }

        if (pick < 905)
        {
            return new ScenarioStep { AtSeconds = at, Kind = StepKind.PestToggle, Action = random.Next(2) == 0 ? "A" : "B" };
        }

        if (pick < 960)
        {
            // Noise and offsets inside the classifier's hysteresis: the line's true state never changes.
            return new ScenarioStep { AtSeconds = at, Kind = StepKind.Pilot, OffsetVolts = Math.Round((random.NextDouble() - 0.5) * 2.0, 2), NoiseVolts = Math.Round(random.NextDouble() * 0.3, 2) };
        }

        return new ScenarioStep { AtSeconds = at, Kind = StepKind.EvOverdraw, Amps = random.Next(3) == 0 ? 0 : random.Next(1, 10) };
    }

    /// <summary>What the vehicle side of the pilot line is, from the EV model (the truth the firmware must infer).</summary>
    public static PilotState LineState(VirtualBoard.VirtualBoard board)
    {
        var ev = board.Ev;
        if (ev.PilotShortedToPe)
        {
            return PilotState.E;
        }

        if (ev.Load == EvPilotLoad.Disconnected)
        {
            return PilotState.A;
        }

        if (!ev.ShowsRequest)
        {
            return PilotState.B;
        }

        return ev.Load == EvPilotLoad.RequestingVentilation ? PilotState.D : PilotState.C;
    }

    /// <summary>The scenario as text, for a counterexample.</summary>
    public static string Describe(Scenario scenario)
    {
        var text = new StringBuilder();
        text.Append(scenario.Variant).Append(", ").Append(scenario.Pest).Append(", pp ").Append(scenario.PpOhms?.ToString(CultureInfo.InvariantCulture) ?? "open")
            .Append(", simplified ").Append(scenario.EvSimplified).Append(", ignoresWithdrawal ").Append(scenario.EvIgnoresPwmWithdrawal).Append('\n');
        foreach (var step in scenario.Steps)
        {
            text.Append("  ").Append(step.AtSeconds.ToString("0.000", CultureInfo.InvariantCulture)).Append(' ').Append(step.Kind).Append(' ').Append(step.Action);
            switch (step.Kind)
            {
                case StepKind.Supply:
                    text.Append(' ').Append(step.LineNeutralVolts).Append('/').Append(step.LineTtRefVolts).Append('/').Append(step.CpcTtRefVolts);
                    break;
                case StepKind.PpOhms:
                    text.Append(' ').Append(step.Ohms?.ToString(CultureInfo.InvariantCulture) ?? "open");
                    break;
                case StepKind.Pilot:
                    text.Append(" offset ").Append(step.OffsetVolts).Append(" noise ").Append(step.NoiseVolts);
                    break;
                case StepKind.EvOverdraw:
                case StepKind.HouseLoad:
                    text.Append(' ').Append(step.Amps);
                    break;
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>What is really true on the virtual board (the firmware must infer it), with since-times.</summary>
    private sealed class Truth
    {
        private readonly Scenario _scenario;
        private PilotState _lastLine = PilotState.A;
        private bool _supplyHealthy = true;
        private long _lastMicroseconds;

        public Truth(Scenario scenario)
        {
            _scenario = scenario;
        }

        public PilotState Line { get; private set; } = PilotState.A;

        public long LineSince { get; private set; }

        public long NotCSince { get; private set; } = -1;

        public long DiodeBadSince { get; private set; } = -1;

        public long PpOpenSince { get; private set; } = -1;

        public long RcdFaultSince { get; private set; } = long.MaxValue;

        public long SupplyBadSince { get; private set; } = -1;

        public long SupplyHealthySince { get; private set; }

        public long ClosedInDMicroseconds { get; private set; }

        public long ToggleAwaySince { get; private set; } = -1;

        public int DSpells { get; private set; }

        public void Apply(long t, VirtualBoard.VirtualBoard board)
        {
            if (Line == PilotState.D && board.ContactorClosed)
            {
                ClosedInDMicroseconds += t - _lastMicroseconds;
            }

            _lastMicroseconds = t;
            Line = LineState(board);
            if (Line != _lastLine)
            {
                LineSince = t;
                if (Line == PilotState.D)
                {
                    DSpells++;
                }
            }

            _lastLine = Line;
            NotCSince = Line == PilotState.C ? -1 : (NotCSince < 0 ? t : NotCSince);
            bool pwm = board.PilotDutyPermille > 0 && board.PilotDutyPermille < 1000;
            bool diodeBad = pwm && board.Ev.DiodeShorted && board.Ev.Load != EvPilotLoad.Disconnected;
            DiodeBadSince = diodeBad ? (DiodeBadSince < 0 ? t : DiodeBadSince) : -1;
            bool ppOpen = _scenario.Variant == Variant.Type2Socket && board.Ev.Load != EvPilotLoad.Disconnected && board.ProximityOhms == null;
            PpOpenSince = ppOpen ? (PpOpenSince < 0 ? t : PpOpenSince) : -1;
            RcdFaultSince = board.RcdFaultActive ? Math.Min(RcdFaultSince, t) : long.MaxValue;
            bool toggleAway = board.PestToggleModeB != (_scenario.Pest == PestSetting.ModeB);
            ToggleAwaySince = toggleAway ? (ToggleAwaySince < 0 ? t : ToggleAwaySince) : -1;

            bool healthy = SupplyHealthy(board);
            if (healthy && !_supplyHealthy)
            {
                SupplyHealthySince = t;
            }

            _supplyHealthy = healthy;
            bool bad = !LineNeutralInWidestBand(board);
            SupplyBadSince = bad ? (SupplyBadSince < 0 ? t : SupplyBadSince) : -1;
        }

        public bool SupplyHealthyForReset(long t) => _supplyHealthy && t - SupplyHealthySince >= ResetHealthyMicroseconds;

        /// <summary>Every voltage the scenario's mode monitors is inside its band (docs/domain.md "Modes A and B").</summary>
        private bool SupplyHealthy(VirtualBoard.VirtualBoard board)
        {
            double ln = SupplyMapping.LineNeutralRms(board.Mains);
            if (_scenario.Pest == PestSetting.ModeB)
            {
                return ln >= 207.0 && ln <= 253.0;
            }

            bool lineNeutral = ln >= 202.4 && ln <= 257.6;
            if (_scenario.Pest == PestSetting.ModeANoElectrode)
            {
                return lineNeutral;
            }

            double ltt = board.Mains.LineRmsVolts;
            return lineNeutral && ltt >= 202.4 && ltt <= 257.6 && board.Mains.DisplacementRmsVolts < 30.0;
        }

        private static bool LineNeutralInWidestBand(VirtualBoard.VirtualBoard board)
        {
            double ln = SupplyMapping.LineNeutralRms(board.Mains);
            return ln >= 202.4 && ln <= 257.6;
        }
    }

    /// <summary>The invariants checked at the moment of an event: closes, opens under load, resets.</summary>
    private sealed class EventWatch : IChargerEventListener
    {
        private readonly SimulatorHost _host;
        private readonly Scenario _scenario;

        public EventWatch(SimulatorHost host, Scenario scenario)
        {
            _host = host;
            _scenario = scenario;
        }

        public string Violation { get; set; }

        public double DrawAmpsBefore { get; set; }

        public Truth NowTruth { get; set; }

        public int Closes { get; private set; }

        public int Trips { get; private set; }

        public int Resets { get; private set; }

        public void OnEvent(ChargerEvent e)
        {
            var board = _host.Board;
            string why = null;
            switch (e.Kind)
            {
                case ChargerEventKind.Contactor when e.Flag:
                    Closes++;
                    if (board.ContactorWelded)
                    {
                        why = "contactor closed while welded";
                    }
                    else if (NowTruth != null && NowTruth.ToggleAwaySince >= 0 && e.TimeMicroseconds - NowTruth.ToggleAwaySince > ToggleDeadlineMicroseconds)
                    {
                        why = "contactor closed with the PEST toggle away from its boot position for " + ((e.TimeMicroseconds - NowTruth.ToggleAwaySince) / 1000) + " ms";
                    }
                    else if (board.RcdFaultActive)
                    {
                        // A module that dies after its last passing self-test is found at the next test
                        // (after the next opening, P14), so a dead module alone is not checked here.
                        why = "contactor closed during an RDC-DD fault";
                    }
                    else if (_scenario.Variant == Variant.Type2Socket && !(board.ProximityOhms is int ohms && ohms >= 75 && ohms <= 2310))
                    {
                        why = "contactor closed with the PP resistor out of every band (" + (board.ProximityOhms?.ToString(CultureInfo.InvariantCulture) ?? "open") + ")";
                    }

                    break;
                case ChargerEventKind.Contactor:
                    if (DrawAmpsBefore > 0.5 && Array.IndexOf(OrdinaryStops, e.Code) >= 0)
                    {
                        why = "contactor opened under load (" + DrawAmpsBefore.ToString("0.0", CultureInfo.InvariantCulture) + " A) for an ordinary stop '" + e.Code + "'";
                    }

                    break;
                case ChargerEventKind.Trip:
                    Trips++;
                    break;
                case ChargerEventKind.TripReset:
                    Resets++;
                    if (NowTruth != null && !NowTruth.SupplyHealthyForReset(e.TimeMicroseconds))
                    {
                        why = "trip reset while the supply has not been healthy for 10 s";
                    }
                    else if (board.RcdFaultActive)
                    {
                        why = "trip reset during an RDC-DD fault";
                    }

                    break;
            }

            if (why != null && Violation == null)
            {
                Violation = "t = " + (e.TimeMicroseconds / 1e6).ToString("0.000", CultureInfo.InvariantCulture) + " s: " + why;
            }
        }
    }
}
