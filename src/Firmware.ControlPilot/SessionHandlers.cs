namespace IndraSmartPro.ControlPilot
{
    /// <summary>
    /// One state of the session machine (Zephyr SMF style): entry, run and exit, and an optional
    /// parent whose run is a guard shared by its children. The machine runs the parent's guard
    /// first; when it transitions, the child does not run. Entering or leaving a parent from
    /// outside runs its entry or exit around the child's.
    /// </summary>
    internal abstract class SessionStateHandler
    {
        protected readonly ChargingSession Session;

        protected SessionStateHandler(ChargingSession session, SessionStateHandler parent)
        {
            Session = session;
            Parent = parent;
        }

        /// <summary>The parent state, or null.</summary>
        public SessionStateHandler Parent { get; }

        public virtual void Enter(long now)
        {
        }

        /// <summary>One step in this state; returns true when it transitioned.</summary>
        public abstract bool Run(long now, PilotState pilot);

        public virtual void Exit(long now)
        {
        }
    }

    /// <summary>
    /// The parent of Connected, Offering, Charging and Stopping: a vehicle is present. Its guards
    /// apply in every child, before the child runs: pilot A (unplugged) goes to Idle, whose entry
    /// opens the contactor in this window (IEC 61851-1 Table A.6: C→A, open within 100 ms); E or F
    /// on the line while this unit shows a positive level goes to Fault at once.
    /// </summary>
    internal sealed class VehiclePresentState : SessionStateHandler
    {
        public VehiclePresentState(ChargingSession session)
            : base(session, null)
        {
        }

        public override bool Run(long now, PilotState pilot)
        {
            if (pilot == PilotState.A)
            {
                Session.TransitionTo(SessionState.Idle, now);
                return true;
            }

            return Session.CheckLineFault(now, pilot);
        }
    }

    /// <summary>No vehicle: pilot +12 V, contactor open, the socket unlocked once no current flows.</summary>
    internal sealed class IdleState : SessionStateHandler
    {
        public IdleState(ChargingSession session)
            : base(session, null)
        {
        }

        public override void Enter(long now)
        {
            Session.Link.Generator.HoldPositive(now);

            // The contactor only: the earth relay is protection's (RelaySupervisor.TripPenFault and
            // Enforce open it for PEN-fault causes). A welded contactor can leave the cable live
            // after the vehicle has gone; it must stay earthed (invariants P12, S4).
            Session.Relays.OpenContactor(now, ChargingSession.ReasonEvDisconnected);
            Session.Policy.ForgetLatched();
            Session.Reporter.ClearReason();
            Session.Socket.ForgetPlug();
            if (Session.Reporter.SessionOpen)
            {
                Session.Reporter.EndSession(now, ChargingSession.ReasonEvDisconnected);
            }
        }

        public override bool Run(long now, PilotState pilot)
        {
            bool unlocked = Session.Socket.ReleaseWhenSafe();

            // Not a child of VehiclePresent (no vehicle yet), so it asks for the line-fault guard itself.
            if (Session.CheckLineFault(now, pilot))
            {
                return true;
            }

            // Simplified mode (A straight to C) needs no special case: C is a vehicle like B.
            if (PilotStates.VehiclePresent(pilot) && unlocked)
            {
                Session.TransitionTo(SessionState.Connected, now);
                return true;
            }

            return false;
        }
    }

    /// <summary>Vehicle connected, no current offered: waits until nothing forbids an offer and the earth relay is closed.</summary>
    internal sealed class ConnectedState : SessionStateHandler
    {
        public ConnectedState(ChargingSession session, SessionStateHandler parent)
            : base(session, parent)
        {
        }

        public override void Enter(long now)
        {
            Session.Link.Generator.HoldPositive(now);
            if (!Session.Reporter.SessionOpen)
            {
                Session.Reporter.StartSession(now);
            }
        }

        public override bool Run(long now, PilotState pilot)
        {
            string reason = Session.Policy.WhyNotOffer(now);
            if (reason == null && !Session.Relays.TryCloseEarth(now))
            {
                reason = Session.Policy.PowerRefusal;
            }

            Session.Report(now, reason);
            if (reason == null)
            {
                Session.TransitionTo(SessionState.Offering, now);
                return true;
            }

            return false;
        }
    }

    /// <summary>PWM offers current; closes in the window that confirms C (fresh, diode verified).</summary>
    internal sealed class OfferingState : SessionStateHandler
    {
        public OfferingState(ChargingSession session, SessionStateHandler parent)
            : base(session, parent)
        {
        }

        public override void Enter(long now)
        {
            Session.Policy.StartOffer(Session.Link.Generator, now);
            Session.Link.Classifier.ResetDiodeCheck();
        }

        public override bool Run(long now, PilotState pilot)
        {
            if (Session.CheckDiode(now))
            {
                return true;
            }

            string reason = Session.Policy.WhyNotOffer(now);
            if (reason != null)
            {
                // Contactor open: withdrawing PWM is all it takes.
                Session.Report(now, reason);
                Session.TransitionTo(SessionState.Connected, now);
                return true;
            }

            Session.Policy.UpdateDuty(Session.Link.Generator, now);
            if (pilot == PilotState.D)
            {
                // State D: a domestic unit has no ventilation. Keep offering (so the vehicle can
                // drop back to C) but never close in D, and say why.
                Session.Report(now, ChargingSession.ReasonVentilation);
                return false;
            }

            // Fresh: the C was read in windows taken entirely under this PWM, not carried over from
            // before the offer (a vehicle that dropped to B as PWM started must not see a close).
            PilotClassifier classifier = Session.Link.Classifier;
            if (pilot == PilotState.C && classifier.Fresh && classifier.DiodeVerified)
            {
                // IEC 61851-1 Table A.6: B→C with PWM on: close within 3 s. Here: in the window that confirms C.
                if (Session.Relays.TryCloseEarth(now) && Session.Relays.TryCloseContactor(now))
                {
                    Session.TransitionTo(SessionState.Charging, now);
                }
                else
                {
                    Session.Report(now, Session.Policy.PowerRefusal);
                    Session.TransitionTo(SessionState.Connected, now);
                }

                return true;
            }

            return false;
        }
    }

    /// <summary>PWM on, contactor closed, the vehicle in C: follows the limit; stops without opening under load when it can.</summary>
    internal sealed class ChargingState : SessionStateHandler
    {
        public ChargingState(ChargingSession session, SessionStateHandler parent)
            : base(session, parent)
        {
        }

        public override void Enter(long now)
        {
            Session.Reporter.ClearReason();
            if (!Session.Link.Generator.PwmRunning)
            {
                // Resumed from Stopping: offering again is a start, not a 5 s-limited change.
                Session.Policy.StartOffer(Session.Link.Generator, now);
            }
        }

        public override bool Run(long now, PilotState pilot)
        {
            if (Session.CheckDiode(now))
            {
                return true;
            }

            if (!Session.Relays.ContactorClosed)
            {
                // An interlock opened it (RelaySupervisor.Enforce, same protection tick). Stop offering.
                Session.Report(now, Session.Policy.PowerRefusal);
                Session.TransitionTo(SessionState.Connected, now);
                return true;
            }

            if (Session.Socket.PlugLeaving)
            {
                // The plug is leaving the socket (PP open, confirmed): opening under load cannot be
                // avoided. A resistor out of every band only withdraws the offer (WhyNotOffer, below).
                Session.Relays.OpenContactor(now, ChargingSession.ReasonPlugInvalid);
                Session.Report(now, ChargingSession.ReasonPlugInvalid);
                Session.TransitionTo(SessionState.Connected, now);
                return true;
            }

            if (pilot == PilotState.B)
            {
                // IEC 61851-1 Table A.6: C→B: open within 100 ms. The vehicle has stopped drawing.
                // Offer again only if nothing forbids it now: a reason that arrived in this same
                // window (pause, a plug rating gone to 0) left no valid duty to offer (regression:
                // Offering's entry threw on a limit below 6 A, found by the safety fuzzer).
                Session.Relays.OpenContactor(now, ChargingSession.ReasonEvStopped);
                string notNow = Session.Policy.WhyNotOffer(now);
                if (notNow != null)
                {
                    Session.Report(now, notNow);
                    Session.TransitionTo(SessionState.Connected, now);
                    return true;
                }

                Session.TransitionTo(SessionState.Offering, now);
                return true;
            }

            string reason = pilot == PilotState.D ? ChargingSession.ReasonVentilation : Session.Policy.WhyNotOffer(now);
            if (reason != null)
            {
                // Never open under load when avoidable: withdraw PWM, wait for B (Stopping).
                Session.StopReason = reason;
                Session.Report(now, reason);
                Session.TransitionTo(SessionState.Stopping, now);
                return true;
            }

            Session.Policy.UpdateDuty(Session.Link.Generator, now);
            return false;
        }
    }

    /// <summary>PWM withdrawn, contactor still closed: waits for B, at most 6 s (in D: until the D allowance is used up).</summary>
    internal sealed class StoppingState : SessionStateHandler
    {
        public StoppingState(ChargingSession session, SessionStateHandler parent)
            : base(session, parent)
        {
        }

        public override void Enter(long now)
        {
            // Withdraw PWM; the contactor stays closed until the vehicle stops drawing and shows B.
            Session.Link.Generator.HoldPositive(now);
        }

        public override bool Run(long now, PilotState pilot)
        {
            if (!Session.Relays.ContactorClosed)
            {
                Session.TransitionTo(SessionState.Connected, now);
                return true;
            }

            if (pilot == PilotState.B)
            {
                Session.Relays.OpenContactor(now, Session.StopReason);
                Session.TransitionTo(SessionState.Connected, now);
                return true;
            }

            if (Session.Socket.PlugLeaving)
            {
                Session.Relays.OpenContactor(now, ChargingSession.ReasonPlugInvalid);
                Session.Report(now, ChargingSession.ReasonPlugInvalid);
                Session.TransitionTo(SessionState.Connected, now);
                return true;
            }

            long inState = now - Session.StateSinceMicroseconds;
            if (Session.Ventilation.Exhausted)
            {
                // Closed in D for the whole allowance, counted across short spells of C (VentilationAllowance).
                Session.Relays.OpenContactor(now, ChargingSession.ReasonVentilation);
                Session.TransitionTo(SessionState.Connected, now);
                return true;
            }

            if (inState >= ChargingSession.PwmWithdrawnForceOpenMicroseconds)
            {
                // IEC 61851-1 Table A.6: PWM withdrawn and the vehicle stays in C: force open after 6 s.
                Session.Relays.OpenContactor(now, ChargingSession.ReasonStopTimeout);
                Session.Report(now, ChargingSession.ReasonStopTimeout);
                Session.TransitionTo(SessionState.Connected, now);
                return true;
            }

            if (pilot == PilotState.C && Session.Policy.WhyNotOffer(now) == null)
            {
                // Resumed before the vehicle let go: offer again (Charging's entry restarts PWM).
                Session.TransitionTo(SessionState.Charging, now);
                return true;
            }

            return false;
        }
    }

    /// <summary>A fault: contactor open, state F for at least 300 ms, then the steady safe level until the cause clears.</summary>
    internal sealed class FaultState : SessionStateHandler
    {
        public FaultState(ChargingSession session)
            : base(session, null)
        {
        }

        public override void Enter(long now)
        {
            // The contactor only, as in Idle: a weld or RDC-DD latch keeps the possibly live
            // vehicle earthed (invariants P12, P13, S4); PEN-fault trips have already opened the
            // earth relay in RelaySupervisor.TripPenFault.
            Session.Relays.OpenContactor(now, Session.FaultCode);
            Session.Link.Generator.HoldNegative(now);
            Session.Link.PublishState(now);
            if (Session.FaultCode != ChargingSession.ReasonTrip)
            {
                Session.Reporter.RaiseFault(now, Session.FaultCode, Session.FaultNeedsUnplug);
            }
        }

        public override void Exit(long now)
        {
            Session.Reporter.ClearFault(now);
        }

        public override bool Run(long now, PilotState pilot)
        {
            if (now - Session.StateSinceMicroseconds < ChargingSession.FaultHoldMicroseconds)
            {
                return false;
            }

            PilotGenerator generator = Session.Link.Generator;
            if (generator.HoldingNegative)
            {
                // IEC 61851-1 Table A.6: F held ≥ 300 ms. Then the documented steady safe level:
                // after a trip, F (EVSE not available) for as long as an interlock forbids power;
                // otherwise +12 V, no current offered, which lets the classifier see the line again.
                if (Session.FaultCode == ChargingSession.ReasonTrip && !Session.Relays.ContactorPermitted)
                {
                    return false;
                }

                generator.HoldPositive(now);
                return false;
            }

            if (!Session.Link.Classifier.Fresh)
            {
                return false;
            }

            if (pilot == PilotState.A)
            {
                Session.TransitionTo(SessionState.Idle, now);
                return true;
            }

            if (PilotStates.VehiclePresent(pilot) && !Session.FaultNeedsUnplug)
            {
                // The cause cleared with the vehicle still connected: the session goes on.
                Session.TransitionTo(SessionState.Connected, now);
                return true;
            }

            return false;
        }
    }
}
