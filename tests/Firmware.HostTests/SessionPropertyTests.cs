using System;
using System.Collections.Generic;
using System.Text;
using IndraSmartPro.ControlPilot;
using IndraSmartPro.Events;
using IndraSmartPro.Firmware;
using IndraSmartPro.Simulator;
using IndraSmartPro.Simulator.Fuzz;
using IndraSmartPro.Simulator.Scenarios;
using IndraSmartPro.Simulator.VirtualBoard;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>
/// Property (invariant C12, docs/invariants.md): for random sequences of vehicle actions, vehicle
/// faults, supply changes, pauses, lock jams and button presses on every variant, the contactor
/// is never closed while
/// <list type="bullet">
/// <item>the vehicle's pilot is not in C, beyond the documented opening deadline (100 ms for
/// B, A and E; 3 s for D; each plus one check step),</item>
/// <item>a PEST trip is latched (no slack: the trip opens in its own tick),</item>
/// <item>the vehicle's diode is shorted while PWM runs (the only time it can be seen), beyond
/// the diode check's deadline (150 ms).</item>
/// </list>
/// After every step the session's outputs must also agree with its state's row in
/// <see cref="SessionStates.Rows"/> (PWM offered or not, contactor allowed closed or not).
/// Seeded, so a failure names a seed that reproduces it.
/// </summary>
public class SessionPropertyTests
{
    private const int Runs = 200;
    private const double RunSeconds = 16.0;
    private const long CheckStepMicroseconds = 5_000;
    private const long PilotDeadlineMicroseconds = 100_000 + CheckStepMicroseconds;
    private const long VentilationDeadlineMicroseconds = ChargingSession.VentilationForceOpenMicroseconds + PilotDeadlineMicroseconds;
    private const long DiodeDeadlineMicroseconds = 150_000 + CheckStepMicroseconds;

    private static readonly string[] EvActions = { "connect", "requestCharge", "requestCharge", "requestVentilation", "stopCharge", "disconnect" };
    private static readonly string[] EvFaults = { "diodeShort", "pilotShortToPe", "none", "none" };

    [Fact]
    public void Session_RandomActionsFaultsAndSupply_ContactorNeverClosedWhenForbidden()
    {
        int totalCloses = 0;
        for (int run = 0; run < Runs; run++)
        {
            int seed = 1000 + run;
            totalCloses += RunOne(seed);
        }

        // The property is only meaningful if the runs actually charge.
        Assert.True(totalCloses > Runs, "contactor closed " + totalCloses + " times over " + Runs + " runs");
    }

    private static int RunOne(int seed)
    {
        var random = new Random(seed);
        Scenario scenario = RandomScenario(random);
        var host = new SimulatorHost(scenario.ToConfig(), seed: (ulong)seed);
        var closes = new CloseCounter();
        host.Firmware.Events.Subscribe(closes);
        var player = new ScenarioPlayer(scenario, host);
        player.Prepare();
        host.Boot();

        long end = (long)(scenario.DurationSeconds * 1e6);
        long lineSince = 0;
        long notCSince = -1;
        long diodeBadSince = -1;
        PilotState lastLine = PilotState.A;
        player.Apply(0);
        for (long t = CheckStepMicroseconds; t <= end; t += CheckStepMicroseconds)
        {
            host.RunUntil(t);
            player.Apply(t);
            var board = host.Board;
            PilotState line = SafetyFuzzer.LineState(board);
            // Each non-C state has its own deadline from when it began; a run of non-C states
            // together never gets more than the longest (D's 3 s).
            lineSince = line != lastLine ? t : lineSince;
            notCSince = line == PilotState.C ? -1 : (notCSince < 0 ? t : notCSince);
            lastLine = line;
            // The diode is seen only on the negative half of the PWM: while PWM is withdrawn (a stop
            // waiting for B, bounded by 6 s) a shorted diode cannot be told from a healthy one, so
            // its deadline runs from when it is visible.
            bool pwm = board.PilotDutyPermille > 0 && board.PilotDutyPermille < 1000;
            bool diodeBad = pwm && board.Ev.DiodeShorted && board.Ev.Load != EvPilotLoad.Disconnected;
            diodeBadSince = diodeBad ? (diodeBadSince < 0 ? t : diodeBadSince) : -1;

            // The session table (SessionStates.Rows) as run-time invariants after every step.
            var session = host.Firmware.Session;
            string rowViolation = SessionStates.Violation(session.State, session.DutyPermille, host.Firmware.Relays.ContactorClosed);
            if (rowViolation != null)
            {
                Assert.Fail("seed " + seed + ", t = " + (t / 1e6).ToString("0.000") + " s, state " + session.State + ": " + rowViolation + "\n" + Describe(scenario));
            }

            if (!board.ContactorClosed)
            {
                continue;
            }

            string why = null;
            if (host.Firmware.Pests.Latched)
            {
                why = "a PEST trip is latched";
            }
            else if (line != PilotState.C && t - lineSince > (line == PilotState.D ? VentilationDeadlineMicroseconds : PilotDeadlineMicroseconds))
            {
                why = "the pilot has been " + line + " for " + ((t - lineSince) / 1000) + " ms";
            }
            else if (notCSince >= 0 && t - notCSince > VentilationDeadlineMicroseconds)
            {
                why = "the pilot has not been C for " + ((t - notCSince) / 1000) + " ms";
            }
            else if (diodeBadSince >= 0 && t - diodeBadSince > DiodeDeadlineMicroseconds)
            {
                why = "the diode has been shorted for " + ((t - diodeBadSince) / 1000) + " ms";
            }

            if (why != null)
            {
                Assert.Fail("seed " + seed + ", t = " + (t / 1e6).ToString("0.000") + " s: contactor closed while " + why + "\n" + Describe(scenario));
            }
        }

        return closes.Count;
    }

    private static Scenario RandomScenario(Random random)
    {
        var variant = (Variant)random.Next(3);
        int[] ppChoices = { 100, 220, 680, 1500, 220, 5000 };
        // Most runs start with a vehicle that wants to charge, so the contactor has a chance to close.
        var steps = new List<ScenarioStep>
        {
            new ScenarioStep { AtSeconds = 0.5, Kind = StepKind.Ev, Action = "connect" },
            new ScenarioStep { AtSeconds = 1.0, Kind = StepKind.Ev, Action = "requestCharge" },
        };
        double at = 4.0;
        while (true)
        {
            at += random.NextDouble() * 2.0;
            if (at >= RunSeconds)
            {
                break;
            }

            at = Math.Round(at, 3);
            int pick = random.Next(100);
            ScenarioStep step;
            if (pick < 45)
            {
                step = new ScenarioStep { AtSeconds = at, Kind = StepKind.Ev, Action = EvActions[random.Next(EvActions.Length)] };
            }
            else if (pick < 60)
            {
                step = new ScenarioStep { AtSeconds = at, Kind = StepKind.EvFault, Action = EvFaults[random.Next(EvFaults.Length)] };
            }
            else if (pick < 68)
            {
                // Healthy, a PEN fault with CPC at 80 V (mode A trips in 40 ms+), L-N low, or healthy again.
                double[][] supplies = { new[] { 230.0, 230.0, 0.0 }, new[] { 230.0, 230.0, 80.0 }, new[] { 190.0, 190.0, 0.0 }, new[] { 232.0, 232.0, 1.0 } };
                double[] s = supplies[random.Next(supplies.Length)];
                step = new ScenarioStep { AtSeconds = at, Kind = StepKind.Supply, LineNeutralVolts = s[0], LineTtRefVolts = s[1], CpcTtRefVolts = s[2] };
            }
            else if (pick < 80)
            {
                step = new ScenarioStep { AtSeconds = at, Kind = StepKind.Charger, Action = random.Next(2) == 0 ? "pause" : "resume" };
            }
            else if (pick < 88)
            {
                step = new ScenarioStep { AtSeconds = at, Kind = StepKind.SocketLock, Action = random.Next(3) == 0 ? "jammed" : "ok" };
            }
            else if (pick < 94)
            {
                step = new ScenarioStep { AtSeconds = at, Kind = StepKind.Button, Action = "longPress" };
            }
            else
            {
                step = new ScenarioStep { AtSeconds = at, Kind = StepKind.HouseLoad, Amps = random.Next(0, 60) };
            }

            steps.Add(step);
        }

        return new Scenario
        {
            Variant = variant,
            Pest = (PestSetting)random.Next(3),
            CableAmps = random.Next(2) == 0 ? 32 : 16,
            PpOhms = ppChoices[random.Next(ppChoices.Length)],
            DurationSeconds = RunSeconds,
            EvResponseSeconds = random.NextDouble() * 2.0,
            EvSimplified = random.Next(8) == 0,
            EvIgnoresPwmWithdrawal = random.Next(6) == 0,
            Steps = steps,
        };
    }

    private static string Describe(Scenario scenario)
    {
        var text = new StringBuilder();
        text.Append(scenario.Variant).Append(", ").Append(scenario.Pest).Append(", simplified ").Append(scenario.EvSimplified)
            .Append(", ignoresWithdrawal ").Append(scenario.EvIgnoresPwmWithdrawal).Append('\n');
        foreach (var step in scenario.Steps)
        {
            text.Append("  ").Append(step.AtSeconds.ToString("0.000")).Append(' ').Append(step.Kind).Append(' ').Append(step.Action);
            if (step.Kind == StepKind.Supply)
            {
                text.Append(' ').Append(step.LineNeutralVolts).Append('/').Append(step.LineTtRefVolts).Append('/').Append(step.CpcTtRefVolts);
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    private sealed class CloseCounter : IChargerEventListener
    {
        public int Count { get; private set; }

        public void OnEvent(ChargerEvent e)
        {
            if (e.Kind == ChargerEventKind.Contactor && e.Flag)
            {
                Count++;
            }
        }
    }
}
