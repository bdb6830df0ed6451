using System;
using IndraSmartPro.Board;
using IndraSmartPro.Events;
using IndraSmartPro.Safety;
using IndraSmartPro.Scheduling;

namespace IndraSmartPro.ControlPilot
{
    /// <summary>
    /// The charging session: the control pilot's second level. Each pilot task run takes one
    /// sample (<see cref="PilotSampler"/>); each completed window (29 ms) is classified
    /// (<see cref="PilotClassifier"/>) and then this machine runs one step. One <c>switch</c> per
    /// phase (entry, run, exit) over <see cref="SessionState"/>; the table of what is true in each
    /// state is <see cref="SessionStates.Rows"/>. Timeouts are checked against the injected clock.
    /// <para>
    /// Sequencing follows IEC 61851-1 Table A.6 as peers implement it (docs/domain.md, "Control pilot"; docs/control-pilot.md):
    /// close as soon as C is confirmed with PWM on and the diode checked (well inside 3 s); open
    /// in the window that confirms B or A (within 100 ms); withdraw PWM to stop and wait for B,
    /// forcing the contactor open after 6 s; E, F, a diode fault or a pilot short open at once
    /// and show state F for at least 300 ms. Relays close only through
    /// <see cref="RelaySupervisor"/>; the session opens them itself only when the vehicle stopped
    /// drawing or when it must (fault, unplug, 6 s timeout).
    /// </para>
    /// <para>
    /// It is also the pilot's <see cref="IPilotSafety"/>: a protective trip puts it in
    /// <see cref="SessionState.Fault"/> in the trip's own call.
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
        /// after 3 s (the bound IEC 61851-1 Table A.6 gives for leaving a state that forbids
        /// supply, as peers apply it to E/F), not the 6 s of an ordinary stop.
        /// </summary>
        public const int VentilationForceOpenMicroseconds = 3000000;

        /// <summary>Duty changes at most once every 5 s, except protective reductions (IEC 61851-1 Table A.6 as peers apply it; docs/domain.md, "Control pilot").</summary>
        public const int DutyChangeIntervalMicroseconds = 5000000;

        /// <summary>The socket unlocks only when the EV current is below this, milliamps (and the contactor is open).</summary>
        public const int UnlockBelowMilliamps = 500;

        /// <summary>Stop and no-offer reasons (Notice codes, contactor and session-stop reasons).</summary>
        public const string ReasonPaused = "paused";

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

        private readonly IAnalogInputs _inputs;
        private readonly RelaySupervisor _relays;
        private readonly EventBus _events;
        private readonly CurrentArbiter _arbiter;
        private readonly EnergyMeter _energy;
        private readonly PilotGenerator _generator;
        private readonly PilotSampler _sampler;
        private readonly PilotClassifier _classifier = new PilotClassifier();
        private readonly SocketLock _lock;
        private readonly bool _socket;

        private SessionState _state = SessionState.Idle;
        private bool _started;
        private long _stateSinceMicroseconds;
        private int _seenEpoch = -1;
        private int _shownPilot = -1;
        private long _lastDutyChangeMicroseconds;
        private string _stopReason;
        private string _latchedReason;
        private string _reportedReason;
        private bool _reasonTransient;
        private string _faultCode;
        private string _publishedFaultCode;
        private bool _faultNeedsUnplug;
        private bool _faultPublished;
        private bool _paused;
        private bool _sessionOpen;
        private int _sessionNumber;
        private int _plugCandidateMilliamps = -1;
        private int _plugCandidateWindows;
        private int _plugRatingMilliamps = -1;

        /// <summary>
        /// Builds the session. <paramref name="socketVariant"/> selects the Type 2 socket behaviour
        /// (proximity resistor and lock); tethered variants take their cable rating from the arbiter's configuration.
        /// </summary>
        public ChargingSession(IAnalogInputs inputs, IPilotOutput pilot, ISocketLock socketLock, RelaySupervisor relays, EventBus events,
            CurrentArbiter arbiter, EnergyMeter energy, bool socketVariant, int lockTimeoutMicroseconds)
        {
            if (inputs == null || pilot == null || socketLock == null || relays == null || events == null || arbiter == null || energy == null)
            {
                throw new ArgumentNullException();
            }

            _inputs = inputs;
            _relays = relays;
            _events = events;
            _arbiter = arbiter;
            _energy = energy;
            _socket = socketVariant;
            _generator = new PilotGenerator(pilot, events);
            _sampler = new PilotSampler(inputs);
            _lock = new SocketLock(socketLock, lockTimeoutMicroseconds);
        }

        /// <summary>The session state.</summary>
        public SessionState State => _state;

        /// <summary>The pilot state shown: F while this unit holds −12 V, otherwise the debounced classified state.</summary>
        public PilotState PilotState => _generator.HoldingNegative ? PilotState.F : _classifier.State;

        /// <summary>What the pilot output shows: PWM duty permille, 1000 steady +12 V, 0 steady −12 V.</summary>
        public int DutyPermille => _generator.DutyPermille;

        /// <summary>The current the pilot offers now, milliamps (0 when no PWM).</summary>
        public int OfferedMilliamps => PilotDuty.ToMilliamps(_generator.DutyPermille);

        /// <summary>True while paused by <see cref="Pause"/>.</summary>
        public bool Paused => _paused;

        /// <summary>Why no current is offered (the last reported reason), or null.</summary>
        public string Reason => _reportedReason;

        /// <summary>The open session's number (0 before the first).</summary>
        public int SessionNumber => _sessionNumber;

        /// <summary>True from vehicle connection to disconnection.</summary>
        public bool SessionOpen => _sessionOpen;

        /// <summary>The socket lock (socket variant).</summary>
        public SocketLock SocketLock => _lock;

        /// <summary>The plug's rating from its proximity resistor, milliamps; 0 invalid, −1 not read yet (socket variant).</summary>
        public int PlugRatingMilliamps => _plugRatingMilliamps;

        /// <summary>The classifier (read-only use: status and tests).</summary>
        public PilotClassifier Classifier => _classifier;

        /// <summary>The sampler (read-only use: status and tests).</summary>
        public PilotSampler Sampler => _sampler;

        /// <summary>
        /// Pauses charging: PWM is withdrawn, the contactor opens once the vehicle shows B (at
        /// most 6 s), the session stays open. Stable API for the MQTT and smart-charging capabilities.
        /// </summary>
        public void Pause()
        {
            _paused = true;
        }

        /// <summary>Resumes after <see cref="Pause"/>: current is offered again when nothing else forbids it.</summary>
        public void Resume()
        {
            _paused = false;
        }

        /// <inheritdoc />
        public void EnterFaultState(long nowMicroseconds)
        {
            // Called by RelaySupervisor.Trip in the protection task, in the trip's own call: state F at once.
            // A fault already latched until unplug (diode) stays latched; its Fault event stays open.
            bool latched = _state == SessionState.Fault && _faultNeedsUnplug;
            bool published = _state == SessionState.Fault && _faultPublished;
            _faultCode = ReasonTrip;
            _faultNeedsUnplug = latched;
            _faultPublished = false;
            TransitionTo(SessionState.Fault, nowMicroseconds);
            _faultPublished = published;
        }

        /// <summary>The pilot task: one sample; on each completed window, classify and run one step.</summary>
        public void Run(long nowMicroseconds)
        {
            if (!_started)
            {
                _started = true;
                ReportInterruptedSession(nowMicroseconds);
                Enter(_state, nowMicroseconds);
            }

            if (_socket && _lock.Update(nowMicroseconds))
            {
                LatchLockFailure(nowMicroseconds);
            }

            if (_generator.Epoch != _seenEpoch)
            {
                _seenEpoch = _generator.Epoch;
                _classifier.OutputChanged();
            }

            if (!_sampler.Sample(_generator.Epoch, _generator.PwmRunning))
            {
                return;
            }

            _classifier.Update(_sampler.HighMillivolts, _sampler.LowMillivolts, _sampler.LowValid);
            PublishPilotState(nowMicroseconds);

            if (_socket)
            {
                ReadPlug();
            }

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

        /// <summary>
        /// Publishes the pilot state the line shows: F while this unit holds −12 V (whatever the
        /// line then reads: a shorted diode or a short to PE pulls it towards 0 V), otherwise the
        /// classified state once confirmed under the present output.
        /// </summary>
        private void PublishPilotState(long now)
        {
            // After the output changes mode the classified state is stale until fresh windows confirm it.
            int shown = _generator.HoldingNegative ? (int)PilotState.F : (_classifier.Known && _classifier.Fresh ? (int)_classifier.State : -1);
            if (shown < 0 || shown == _shownPilot)
            {
                return;
            }

            _shownPilot = shown;
            _events.Publish(ChargerEventKind.PilotState, now, shown, false, PilotStates.Code((PilotState)shown));
        }

        private void TransitionTo(SessionState next, long nowMicroseconds)
        {
            Exit(_state, nowMicroseconds);
            _state = next;
            _stateSinceMicroseconds = nowMicroseconds;
            Enter(next, nowMicroseconds);
        }

        private void Enter(SessionState state, long now)
        {
            switch (state)
            {
                case SessionState.Idle:
                    _generator.HoldPositive(now);

                    // The contactor only: the earth relay is protection's (RelaySupervisor.Trip and
                    // Enforce open it for PEN-fault causes). A welded contactor can leave the cable
                    // live after the vehicle has gone; it must stay earthed (invariant P12).
                    _relays.OpenContactor(now, ReasonEvDisconnected);
                    _latchedReason = null;
                    _reportedReason = null;
                    _plugRatingMilliamps = -1;
                    _plugCandidateWindows = 0;
                    if (_sessionOpen)
                    {
                        EndSession(now, ReasonEvDisconnected);
                    }

                    break;
                case SessionState.Connected:
                    _generator.HoldPositive(now);
                    if (!_sessionOpen)
                    {
                        StartSession(now);
                    }

                    break;
                case SessionState.Offering:
                    _generator.SetDutyPermille(now, PilotDuty.FromMilliamps(_arbiter.LimitMilliamps));
                    _lastDutyChangeMicroseconds = now;
                    _classifier.ResetDiodeCheck();
                    break;
                case SessionState.Charging:
                    _reportedReason = null;
                    if (!_generator.PwmRunning)
                    {
                        // Resumed from Stopping: offering again is a start, not a 5 s-limited change.
                        _generator.SetDutyPermille(now, PilotDuty.FromMilliamps(_arbiter.LimitMilliamps));
                        _lastDutyChangeMicroseconds = now;
                    }

                    break;
                case SessionState.Stopping:
                    // Withdraw PWM; the contactor stays closed until the vehicle stops drawing and shows B.
                    _generator.HoldPositive(now);
                    break;
                case SessionState.Fault:
                    // The contactor only, as in Idle: a weld or RDC-DD latch keeps the possibly live
                    // vehicle earthed (invariants P12, P13); PEN-fault trips have already opened the
                    // earth relay in RelaySupervisor.Trip.
                    _relays.OpenContactor(now, _faultCode);
                    _generator.HoldNegative(now);
                    PublishPilotState(now);
                    if (_faultCode != ReasonTrip)
                    {
                        _events.Publish(ChargerEventKind.Fault, now, 0, 0, _faultNeedsUnplug, _faultCode, FaultText(_faultCode), null);
                        _faultPublished = true;
                        _publishedFaultCode = _faultCode;
                    }

                    break;
                default:
                    throw new InvalidOperationException("session state without an entry row");
            }
        }

        private void Exit(SessionState state, long now)
        {
            switch (state)
            {
                case SessionState.Idle:
                case SessionState.Connected:
                case SessionState.Offering:
                case SessionState.Charging:
                case SessionState.Stopping:
                    break;
                case SessionState.Fault:
                    if (_faultPublished)
                    {
                        _events.Publish(ChargerEventKind.FaultCleared, now, 0, false, _publishedFaultCode);
                        _faultPublished = false;
                    }

                    break;
                default:
                    throw new InvalidOperationException("session state without an exit row");
            }
        }

        private void RunState(long now)
        {
            PilotState pilot = _classifier.State;
            switch (_state)
            {
                case SessionState.Idle:
                    RunIdle(now, pilot);
                    break;
                case SessionState.Connected:
                    RunConnected(now, pilot);
                    break;
                case SessionState.Offering:
                    RunOffering(now, pilot);
                    break;
                case SessionState.Charging:
                    RunCharging(now, pilot);
                    break;
                case SessionState.Stopping:
                    RunStopping(now, pilot);
                    break;
                case SessionState.Fault:
                    RunFault(now, pilot);
                    break;
                default:
                    throw new InvalidOperationException("session state without a run row");
            }
        }

        private void RunIdle(long now, PilotState pilot)
        {
            bool unlocked = ReleaseLockWhenSafe();
            if (CheckLineFault(now, pilot))
            {
                return;
            }

            // Simplified mode (A straight to C) needs no special case: C is a vehicle like B.
            if (PilotStates.VehiclePresent(pilot) && unlocked)
            {
                TransitionTo(SessionState.Connected, now);
            }
        }

        private void RunConnected(long now, PilotState pilot)
        {
            if (pilot == PilotState.A)
            {
                TransitionTo(SessionState.Idle, now);
                return;
            }

            if (CheckLineFault(now, pilot))
            {
                return;
            }

            string reason = WhyNotOffer(now, pilot);
            if (reason == null && !_relays.TryCloseEarth(now))
            {
                reason = _relays.BlockingCode != null ? _relays.BlockingCode : ReasonPowerNotPermitted;
            }

            Report(now, reason);
            if (reason == null)
            {
                TransitionTo(SessionState.Offering, now);
            }
        }

        private void RunOffering(long now, PilotState pilot)
        {
            if (pilot == PilotState.A)
            {
                TransitionTo(SessionState.Idle, now);
                return;
            }

            if (CheckLineFault(now, pilot) || CheckDiode(now))
            {
                return;
            }

            string reason = WhyNotOffer(now, pilot);
            if (reason != null)
            {
                // Contactor open: withdrawing PWM is all it takes.
                Report(now, reason);
                TransitionTo(SessionState.Connected, now);
                return;
            }

            UpdateDuty(now);
            if (pilot == PilotState.D)
            {
                // State D: a domestic unit has no ventilation. Keep offering (so the vehicle can
                // drop back to C) but never close in D, and say why.
                Report(now, ReasonVentilation);
                return;
            }

            // Fresh: the C was read in windows taken entirely under this PWM, not carried over from
            // before the offer (a vehicle that dropped to B as PWM started must not see a close).
            if (pilot == PilotState.C && _classifier.Fresh && _classifier.DiodeVerified)
            {
                // IEC 61851-1 Table A.6: B→C with PWM on: close within 3 s. Here: in the window that confirms C.
                if (_relays.TryCloseEarth(now) && _relays.TryCloseContactor(now))
                {
                    TransitionTo(SessionState.Charging, now);
                }
                else
                {
                    Report(now, _relays.BlockingCode != null ? _relays.BlockingCode : ReasonPowerNotPermitted);
                    TransitionTo(SessionState.Connected, now);
                }
            }
        }

        private void RunCharging(long now, PilotState pilot)
        {
            if (pilot == PilotState.A)
            {
                // IEC 61851-1 Table A.6: C→A: open within 100 ms (this is the window that confirmed A).
                _relays.OpenContactor(now, ReasonEvDisconnected);
                TransitionTo(SessionState.Idle, now);
                return;
            }

            if (CheckLineFault(now, pilot) || CheckDiode(now))
            {
                return;
            }

            if (!_relays.ContactorClosed)
            {
                // An interlock opened it (RelaySupervisor.Enforce, same protection tick). Stop offering.
                Report(now, _relays.BlockingCode != null ? _relays.BlockingCode : ReasonPowerNotPermitted);
                TransitionTo(SessionState.Connected, now);
                return;
            }

            if (_socket && _plugRatingMilliamps == 0)
            {
                // The plug is leaving the socket: opening under load cannot be avoided.
                _relays.OpenContactor(now, ReasonPlugInvalid);
                Report(now, ReasonPlugInvalid);
                TransitionTo(SessionState.Connected, now);
                return;
            }

            if (pilot == PilotState.B)
            {
                // IEC 61851-1 Table A.6: C→B: open within 100 ms. The vehicle has stopped drawing.
                _relays.OpenContactor(now, ReasonEvStopped);
                TransitionTo(SessionState.Offering, now);
                return;
            }

            string reason = pilot == PilotState.D ? ReasonVentilation : WhyNotOffer(now, pilot);
            if (reason != null)
            {
                // Never open under load when avoidable: withdraw PWM, wait for B (Stopping).
                _stopReason = reason;
                Report(now, reason);
                TransitionTo(SessionState.Stopping, now);
                return;
            }

            UpdateDuty(now);
        }

        private void RunStopping(long now, PilotState pilot)
        {
            if (pilot == PilotState.A)
            {
                _relays.OpenContactor(now, ReasonEvDisconnected);
                TransitionTo(SessionState.Idle, now);
                return;
            }

            if (CheckLineFault(now, pilot))
            {
                return;
            }

            if (!_relays.ContactorClosed)
            {
                TransitionTo(SessionState.Connected, now);
                return;
            }

            if (pilot == PilotState.B)
            {
                _relays.OpenContactor(now, _stopReason);
                TransitionTo(SessionState.Connected, now);
                return;
            }

            if (pilot == PilotState.D && now - _stateSinceMicroseconds >= VentilationForceOpenMicroseconds)
            {
                _relays.OpenContactor(now, ReasonVentilation);
                TransitionTo(SessionState.Connected, now);
                return;
            }

            if (now - _stateSinceMicroseconds >= PwmWithdrawnForceOpenMicroseconds)
            {
                // IEC 61851-1 Table A.6: PWM withdrawn and the vehicle stays in C: force open after 6 s.
                _relays.OpenContactor(now, ReasonStopTimeout);
                Report(now, ReasonStopTimeout);
                TransitionTo(SessionState.Connected, now);
                return;
            }

            if (pilot == PilotState.C && WhyNotOffer(now, pilot) == null)
            {
                // Resumed before the vehicle let go: offer again (Charging's entry restarts PWM).
                TransitionTo(SessionState.Charging, now);
            }
        }

        private void RunFault(long now, PilotState pilot)
        {
            if (now - _stateSinceMicroseconds < FaultHoldMicroseconds)
            {
                return;
            }

            if (_generator.HoldingNegative)
            {
                // IEC 61851-1 Table A.6: F held ≥ 300 ms. Then the documented steady safe level:
                // after a trip, F (EVSE not available) for as long as an interlock forbids power;
                // otherwise +12 V, no current offered, which lets the classifier see the line again.
                if (_faultCode == ReasonTrip && !_relays.ContactorPermitted)
                {
                    return;
                }

                _generator.HoldPositive(now);
                return;
            }

            if (!_classifier.Fresh)
            {
                return;
            }

            if (pilot == PilotState.A)
            {
                TransitionTo(SessionState.Idle, now);
            }
            else if (PilotStates.VehiclePresent(pilot) && !_faultNeedsUnplug)
            {
                // The cause cleared with the vehicle still connected: the session goes on.
                TransitionTo(SessionState.Connected, now);
            }
        }

        /// <summary>E or F on the line while the EVSE shows a positive level: open at once, state F.</summary>
        private bool CheckLineFault(long now, PilotState pilot)
        {
            if (!_classifier.Fresh || (pilot != PilotState.E && pilot != PilotState.F))
            {
                return false;
            }

            _faultCode = pilot == PilotState.E ? ReasonPilotShort : ReasonPilotFault;
            _faultNeedsUnplug = false;
            TransitionTo(SessionState.Fault, now);
            return true;
        }

        private bool CheckDiode(long now)
        {
            if (!_classifier.DiodeFault)
            {
                return false;
            }

            _faultCode = ReasonDiodeFault;
            _faultNeedsUnplug = true;
            TransitionTo(SessionState.Fault, now);
            return true;
        }

        /// <summary>Why current must not be offered now, or null. Sets <see cref="_reasonTransient"/> for reasons not worth a Notice.</summary>
        private string WhyNotOffer(long now, PilotState pilot)
        {
            _reasonTransient = false;
            if (_latchedReason != null)
            {
                return _latchedReason;
            }

            if (_paused)
            {
                return ReasonPaused;
            }

            if (_socket)
            {
                if (_plugRatingMilliamps < 0)
                {
                    _reasonTransient = true;
                    return ReasonPlugChecking;
                }

                if (_plugRatingMilliamps == 0)
                {
                    return ReasonPlugInvalid;
                }
            }

            if (!_relays.ContactorPermitted)
            {
                return _relays.BlockingCode != null ? _relays.BlockingCode : ReasonPowerNotPermitted;
            }

            if (_arbiter.LimitMilliamps < PilotDuty.MinimumMilliamps)
            {
                return _arbiter.LimitReason != null ? _arbiter.LimitReason : ReasonLimitBelowMinimum;
            }

            if (_socket && _lock.Status != SocketLockStatus.Locked)
            {
                // Locked in state B as the last step before current is offered, so a cable is not
                // held in the socket while nothing could be offered anyway.
                _lock.RequestLock(now);
                _reasonTransient = true;
                return ReasonLocking;
            }

            return null;
        }

        private void UpdateDuty(long now)
        {
            int target = PilotDuty.FromMilliamps(_arbiter.LimitMilliamps);
            int present = _generator.DutyPermille;
            if (target == present || target == PilotDuty.SteadyPositivePermille)
            {
                return;
            }

            bool protectiveReduction = target < present && _arbiter.LimitProtective;
            if (protectiveReduction || now - _lastDutyChangeMicroseconds >= DutyChangeIntervalMicroseconds)
            {
                _generator.SetDutyPermille(now, target);
                _lastDutyChangeMicroseconds = now;
            }
        }

        private void Report(long now, string reason)
        {
            if (reason == null || _reasonTransient)
            {
                if (reason == null)
                {
                    _reportedReason = null;
                }

                return;
            }

            if (string.Equals(reason, _reportedReason))
            {
                return;
            }

            _reportedReason = reason;
            _events.Publish(ChargerEventKind.Notice, now, 0, 0, false, reason, NoticeText(reason), null);
        }

        private void ReadPlug()
        {
            int ohms = ProximityPilot.OhmsFromPinMillivolts(_inputs.ReadPinMillivolts(AnalogChannel.ProximityPilot));
            int rating = ProximityPilot.RatingMilliamps(ohms);
            if (rating == _plugCandidateMilliamps)
            {
                _plugCandidateWindows++;
            }
            else
            {
                _plugCandidateMilliamps = rating;
                _plugCandidateWindows = 1;
            }

            if (_plugCandidateWindows >= PilotClassifier.DebounceWindows && rating != _plugRatingMilliamps)
            {
                _plugRatingMilliamps = rating;
                _arbiter.SetCableRating(rating, CurrentArbiter.ReasonPlugRating);
            }
        }

        private bool ReleaseLockWhenSafe()
        {
            if (!_socket)
            {
                return true;
            }

            if (_lock.Status == SocketLockStatus.Unlocked && !_lock.Driven)
            {
                return true;
            }

            // Unlock only when no current flows: contactor open and the sense reads no current.
            if (_relays.ContactorClosed || _energy.EvMilliamps >= UnlockBelowMilliamps)
            {
                return false;
            }

            _lock.Reset();
            return true;
        }

        private void LatchLockFailure(long now)
        {
            if (_latchedReason == ReasonLockFailed)
            {
                return;
            }

            _latchedReason = ReasonLockFailed;
            _events.Publish(ChargerEventKind.Fault, now, 0, 0, true, ReasonLockFailed, "socket lock feedback missing: charging stopped until the plug is removed", null);
            if (!_relays.ContactorClosed && _energy.EvMilliamps < UnlockBelowMilliamps)
            {
                _lock.Release();
            }
        }

        /// <summary>A session the last power cut interrupted is closed now, with the energy last written.</summary>
        private void ReportInterruptedSession(long now)
        {
            if (!_energy.InterruptedSession)
            {
                return;
            }

            long wattHours = _energy.InterruptedSessionWattHours;
            int value = wattHours > int.MaxValue ? int.MaxValue : (int)wattHours;
            _events.Publish(ChargerEventKind.SessionStopped, now, value, _energy.InterruptedSessionNumber, false, ReasonPowerCut, null, null);
            _energy.ClearInterruptedSession();
        }

        private void StartSession(long now)
        {
            _sessionOpen = true;
            _sessionNumber = _energy.BeginSession();
            _events.Publish(ChargerEventKind.SessionStarted, now, _sessionNumber, false, null);
        }

        private void EndSession(long now, string reason)
        {
            _sessionOpen = false;
            long wattHours = _energy.EndSession();
            int value = wattHours > int.MaxValue ? int.MaxValue : (int)wattHours;
            _events.Publish(ChargerEventKind.SessionStopped, now, value, _sessionNumber, false, reason, null, null);
        }

        private static string NoticeText(string reason)
        {
            switch (reason)
            {
                case ReasonVentilation:
                    return "the vehicle asked for ventilation (state D); this unit has none, so it does not charge";
                case ReasonPaused:
                    return "charging paused";
                case ReasonPlugInvalid:
                    return "the plug's proximity resistor is open or out of range: no charging";
                case ReasonStopTimeout:
                    return "the vehicle kept state C for 6 s after the current offer was withdrawn: contactor opened";
                default:
                    return null;
            }
        }

        private static string FaultText(string code)
        {
            switch (code)
            {
                case ReasonDiodeFault:
                    return "the vehicle's pilot diode is missing or shorted: charging stopped until the plug is removed";
                case ReasonPilotShort:
                    return "control pilot shorted to PE (state E)";
                case ReasonPilotFault:
                    return "control pilot pulled negative (state F) by something other than this unit";
                default:
                    return null;
            }
        }
    }
}
