using System;
using IndraSmartPro.Board;
using IndraSmartPro.Events;
using IndraSmartPro.Safety;
using IndraSmartPro.Scheduling;

namespace IndraSmartPro.ControlPilot
{
    /// <summary>
    /// The charging session: the pilot task and the control pilot's second level, composed of
    /// its parts (docs/architecture.md):
    /// <list type="bullet">
    /// <item><see cref="PilotLink"/>: raw samples to a debounced pilot state (first level);</item>
    /// <item><see cref="SocketController"/>: the Type 2 socket's proximity resistor and lock;</item>
    /// <item><see cref="OfferPolicy"/>: why not offer, and the duty rules;</item>
    /// <item>the session machine here: a per-state handler table (entry, run, exit) over
    /// <see cref="SessionState"/>, with a "vehicle present" parent state that owns the A/E/F guards
    /// for Connected, Offering, Charging and Stopping (SessionHandlers.cs);</item>
    /// <item><see cref="SessionReporter"/>: Notices, session start/stop, session faults.</item>
    /// </list>
    /// What is true in each state is <see cref="SessionStates.Rows"/>, checked at run time by the
    /// property tests (<see cref="SessionStates.Violation"/>). Timeouts are checked against the
    /// injected clock.
    /// <para>
    /// Sequencing follows IEC 61851-1 Table A.6 as peers implement it (docs/domain.md, docs/control-pilot.md):
    /// close as soon as C is confirmed with PWM on and the diode checked (well inside 3 s); open
    /// in the window that confirms B or A (within 100 ms); withdraw PWM to stop and wait for B,
    /// forcing the contactor open after 6 s; E, F, a diode fault or a pilot short open at once
    /// and show state F for at least 300 ms. Relays close only through
    /// <see cref="RelaySupervisor"/>; the session opens only the contactor, when the vehicle stopped
    /// drawing or when it must (fault, unplug, 6 s timeout). Current is stopped one way: an
    /// arbiter claim (pause is <see cref="ClaimSlot.Pause"/>).
    /// </para>
    /// <para>
    /// It attaches itself to its <see cref="PilotLink"/> (the supervisor's <see cref="IPilotSafety"/>):
    /// a protective trip puts it in <see cref="SessionState.Fault"/> in the trip's own call.
    /// </para>
    /// </summary>
    public sealed class ChargingSession : IPeriodicTask, IPilotSafety
    {
        /// <summary>IEC 61851-1 Table A.6: PWM withdrawn and the vehicle stays in C: force the contactor open after 6 s.</summary>
        public const int PwmWithdrawnForceOpenMicroseconds = 6000000;

        /// <summary>IEC 61851-1 Table A.6: after a fault, show state F for at least 300 ms.</summary>
        public const int FaultHoldMicroseconds = 300000;

        /// <summary>
        /// State D on a unit without ventilation: the vehicle must not be supplied. PWM is
        /// withdrawn at once; the contactor opens when the vehicle shows B, and at the latest
        /// when the closed-in-D time accounted by <see cref="VentilationAllowance"/> reaches 3 s
        /// (the bound IEC 61851-1 Table A.6 gives for leaving a state that forbids supply, as
        /// peers apply it to E/F), not the 6 s of an ordinary stop. Cumulative, so that short
        /// spells of C do not restart it.
        /// </summary>
        public const int VentilationForceOpenMicroseconds = VentilationAllowance.AllowanceMicroseconds;

        /// <summary>Duty changes at most once every 5 s, except protective reductions (<see cref="OfferPolicy"/>).</summary>
        public const int DutyChangeIntervalMicroseconds = OfferPolicy.DutyChangeIntervalMicroseconds;

        /// <summary>The socket unlocks only when the EV current is below this, milliamps (<see cref="SocketController"/>).</summary>
        public const int UnlockBelowMilliamps = SocketController.UnlockBelowMilliamps;

        /// <summary>Stop and no-offer reasons (Notice codes, contactor and session-stop reasons). Paused: the pause claim.</summary>
        public const string ReasonPaused = CurrentArbiter.ReasonPaused;

        /// <summary>State D: ventilation requested, which a domestic unit does not have.</summary>
        public const string ReasonVentilation = "ventilation-not-supported";

        /// <summary>Socket variant: the plug's proximity resistor is open or out of every band.</summary>
        public const string ReasonPlugInvalid = "plug-invalid";

        /// <summary>Socket variant: the proximity resistor is being read (transient, not reported).</summary>
        public const string ReasonPlugChecking = "plug-checking";

        /// <summary>Socket variant: waiting for the lock feedback (transient, not reported).</summary>
        public const string ReasonLocking = "locking";

        /// <summary>Socket variant: the lock did not confirm, or its feedback was lost. Latched until unplug.</summary>
        public const string ReasonLockFailed = "lock-failed";

        /// <summary>The EV's diode is missing or shorted (negative level too high). Latched until unplug.</summary>
        public const string ReasonDiodeFault = "diode-fault";

        /// <summary>State E: pilot shorted to PE.</summary>
        public const string ReasonPilotShort = "pilot-short";

        /// <summary>A negative pilot level the EVSE did not put there.</summary>
        public const string ReasonPilotFault = "pilot-fault";

        /// <summary>A protective trip called <see cref="EnterFaultState"/>.</summary>
        public const string ReasonTrip = "trip";

        /// <summary>An interlock refuses power but gave no code.</summary>
        public const string ReasonPowerNotPermitted = "power-not-permitted";

        /// <summary>Pilot A: the vehicle was unplugged.</summary>
        public const string ReasonEvDisconnected = "ev-disconnected";

        /// <summary>Pilot C→B: the vehicle stopped asking.</summary>
        public const string ReasonEvStopped = "ev-stopped";

        /// <summary>The vehicle stayed in C for 6 s after PWM was withdrawn.</summary>
        public const string ReasonStopTimeout = "stop-timeout";

        /// <summary>Session-stop reason at boot for a session the power cut interrupted.</summary>
        public const string ReasonPowerCut = "power-cut";

        /// <summary>The offered limit is below 6 A and no claim gave a reason.</summary>
        public const string ReasonLimitBelowMinimum = "limit-below-minimum";

        private const int MaxTransitionsPerStep = 4;

        private readonly RelaySupervisor _relays;
        private readonly CurrentArbiter _arbiter;
        private readonly PilotLink _link;
        private readonly SocketController _socket;
        private readonly OfferPolicy _policy;
        private readonly SessionReporter _reporter;
        private readonly VentilationAllowance _ventilation = new VentilationAllowance();
        private readonly SessionStateHandler[] _handlers = new SessionStateHandler[SessionStates.Count];

        private SessionState _state = SessionState.Idle;
        private bool _started;
        private long _stateSinceMicroseconds;
        private string _stopReason;
        private string _faultCode;
        private bool _faultNeedsUnplug;

        /// <summary>
        /// Builds the session on its pilot link (the one given to the relay supervisor as its
        /// <see cref="IPilotSafety"/>). <paramref name="socketVariant"/> selects the Type 2 socket
        /// behaviour (proximity resistor and lock); tethered variants take their cable rating from
        /// the arbiter's configuration.
        /// </summary>
        public ChargingSession(PilotLink link, IAnalogInputs inputs, ISocketLock socketLock, RelaySupervisor relays, EventBus events,
            CurrentArbiter arbiter, EnergyMeter energy, bool socketVariant, int lockTimeoutMicroseconds)
        {
            if (link == null || inputs == null || socketLock == null || relays == null || events == null || arbiter == null || energy == null)
            {
                throw new ArgumentNullException();
            }

            _relays = relays;
            _arbiter = arbiter;
            _link = link;
            _socket = new SocketController(inputs, socketLock, lockTimeoutMicroseconds, socketVariant, relays, arbiter, energy);
            _policy = new OfferPolicy(relays, arbiter, _socket, _ventilation);
            _reporter = new SessionReporter(events, energy, arbiter);

            var vehiclePresent = new VehiclePresentState(this);
            _handlers[(int)SessionState.Idle] = new IdleState(this);
            _handlers[(int)SessionState.Connected] = new ConnectedState(this, vehiclePresent);
            _handlers[(int)SessionState.Offering] = new OfferingState(this, vehiclePresent);
            _handlers[(int)SessionState.Charging] = new ChargingState(this, vehiclePresent);
            _handlers[(int)SessionState.Stopping] = new StoppingState(this, vehiclePresent);
            _handlers[(int)SessionState.Fault] = new FaultState(this);
            for (int i = 0; i < SessionStates.Count; i++)
            {
                if (_handlers[i] == null)
                {
                    throw new InvalidOperationException("session state without a handler");
                }
            }

            link.Attach(this);
        }

        /// <summary>The session state.</summary>
        public SessionState State => _state;

        /// <summary>The pilot state shown: F while this unit holds −12 V, otherwise the debounced classified state.</summary>
        public PilotState PilotState => _link.ShownState;

        /// <summary>What the pilot output shows: PWM duty permille, 1000 steady +12 V, 0 steady −12 V.</summary>
        public int DutyPermille => _link.Generator.DutyPermille;

        /// <summary>The current the pilot offers now, milliamps (0 when no PWM).</summary>
        public int OfferedMilliamps => PilotDuty.ToMilliamps(_link.Generator.DutyPermille);

        /// <summary>True while the pause claim (<see cref="ClaimSlot.Pause"/>) stands.</summary>
        public bool Paused => _arbiter.IsClaimActive(ClaimSlot.Pause);

        /// <summary>Why no current is offered (the last reported reason), or null.</summary>
        public string Reason => _reporter.Reason;

        /// <summary>The open session's number (0 before the first).</summary>
        public int SessionNumber => _reporter.SessionNumber;

        /// <summary>True from vehicle connection to disconnection.</summary>
        public bool SessionOpen => _reporter.SessionOpen;

        /// <summary>The socket lock (socket variant).</summary>
        public SocketLock SocketLock => _socket.Lock;

        /// <summary>The plug's rating from its proximity resistor, milliamps; 0 invalid, −1 not read yet (socket variant).</summary>
        public int PlugRatingMilliamps => _socket.PlugRatingMilliamps;

        /// <summary>The classifier (read-only use: status and tests).</summary>
        public PilotClassifier Classifier => _link.Classifier;

        /// <summary>The state D allowance (read-only use: status and tests).</summary>
        public VentilationAllowance VentilationAllowance => _ventilation;

        /// <summary>The socket's proximity classifier (read-only use: status and tests).</summary>
        public ProximityClassifier Proximity => _socket.Proximity;

        /// <summary>The sampler (read-only use: status and tests).</summary>
        public PilotSampler Sampler => _link.Sampler;

        /// <summary>The pilot link (first level).</summary>
        public PilotLink Link => _link;

        /// <summary>
        /// Pauses charging: the pause claim (0 A, "paused") in the arbiter; PWM is withdrawn, the
        /// contactor opens once the vehicle shows B (at most 6 s), the session stays open and the
        /// pause outlasts it until <see cref="Resume"/>. Stable API for MQTT and smart charging.
        /// </summary>
        public void Pause()
        {
            _arbiter.SetClaim(ClaimSlot.Pause, 0, ReasonPaused);
        }

        /// <summary>Resumes after <see cref="Pause"/>: current is offered again when nothing else forbids it.</summary>
        public void Resume()
        {
            _arbiter.ClearClaim(ClaimSlot.Pause);
        }

        /// <inheritdoc />
        public void EnterFaultState(long nowMicroseconds)
        {
            // Called through the pilot link by a RelaySupervisor trip in the protection task, in the
            // trip's own call: state F at once. A fault already latched until unplug (diode) stays
            // latched; its Fault event stays open.
            bool latched = _state == SessionState.Fault && _faultNeedsUnplug;
            bool published = _state == SessionState.Fault && _reporter.FaultPublished;
            _faultCode = ReasonTrip;
            _faultNeedsUnplug = latched;
            _reporter.FaultPublished = false;
            TransitionTo(SessionState.Fault, nowMicroseconds);
            _reporter.FaultPublished = published;
        }

        /// <summary>The pilot task: one sample; on each completed window, classify and run one step.</summary>
        public void Run(long nowMicroseconds)
        {
            if (!_started)
            {
                _started = true;
                _reporter.ReportInterruptedSession(nowMicroseconds);
                EnterState(_handlers[(int)_state], null, nowMicroseconds);
            }

            if (_socket.UpdateLock(nowMicroseconds))
            {
                LatchLockFailure(nowMicroseconds);
            }

            if (!_link.TakeSample(nowMicroseconds))
            {
                return;
            }

            _socket.ReadPlug();
            _ventilation.Account(nowMicroseconds, _link.Classifier.State == PilotState.D && _relays.ContactorClosed);
            _arbiter.Update(nowMicroseconds);
            for (int i = 0; i < MaxTransitionsPerStep; i++)
            {
                SessionState before = _state;
                RunState(nowMicroseconds);
                if (_state == before)
                {
                    break;
                }
            }
        }

        // ---- for the state handlers (SessionHandlers.cs) ----

        internal RelaySupervisor Relays => _relays;

        internal SocketController Socket => _socket;

        internal OfferPolicy Policy => _policy;

        internal VentilationAllowance Ventilation => _ventilation;

        internal SessionReporter Reporter => _reporter;

        internal long StateSinceMicroseconds => _stateSinceMicroseconds;

        internal string FaultCode => _faultCode;

        internal bool FaultNeedsUnplug => _faultNeedsUnplug;

        internal string StopReason
        {
            get => _stopReason;
            set => _stopReason = value;
        }

        /// <summary>Reports a no-offer reason, transient or not as the policy last judged it.</summary>
        internal void Report(long now, string reason)
        {
            _reporter.Report(now, reason, _policy.LastReasonTransient);
        }

        internal void TransitionTo(SessionState next, long now)
        {
            SessionStateHandler from = _handlers[(int)_state];
            SessionStateHandler to = _handlers[(int)next];
            from.Exit(now);
            if (from.Parent != null && from.Parent != to.Parent)
            {
                from.Parent.Exit(now);
            }

            _state = next;
            _stateSinceMicroseconds = now;
            EnterState(to, from, now);
        }

        /// <summary>E or F on the line while the EVSE shows a positive level: open at once, state F.</summary>
        internal bool CheckLineFault(long now, PilotState pilot)
        {
            if (!_link.Classifier.Fresh || (pilot != PilotState.E && pilot != PilotState.F))
            {
                return false;
            }

            _faultCode = pilot == PilotState.E ? ReasonPilotShort : ReasonPilotFault;
            _faultNeedsUnplug = false;
            TransitionTo(SessionState.Fault, now);
            return true;
        }

        /// <summary>The vehicle's diode missing or shorted (seen under PWM): fault latched until unplug.</summary>
        internal bool CheckDiode(long now)
        {
            if (!_link.Classifier.DiodeFault)
            {
                return false;
            }

            _faultCode = ReasonDiodeFault;
            _faultNeedsUnplug = true;
            TransitionTo(SessionState.Fault, now);
            return true;
        }

        private static void EnterState(SessionStateHandler to, SessionStateHandler from, long now)
        {
            if (to.Parent != null && (from == null || from.Parent != to.Parent))
            {
                to.Parent.Enter(now);
            }

            to.Enter(now);
        }

        private void RunState(long now)
        {
            PilotState pilot = _link.Classifier.State;
            SessionStateHandler handler = _handlers[(int)_state];
            if (handler.Parent != null && handler.Parent.Run(now, pilot))
            {
                return;
            }

            handler.Run(now, pilot);
        }

        private void LatchLockFailure(long now)
        {
            if (_policy.LatchedReason == ReasonLockFailed)
            {
                return;
            }

            _policy.Latch(ReasonLockFailed);
            _reporter.RaiseLockFailure(now);
            _socket.ReleaseAfterFailure();
        }
    }
}
