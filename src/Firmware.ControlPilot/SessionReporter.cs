using IndraSmartPro.Events;

namespace IndraSmartPro.ControlPilot
{
    /// <summary>
    /// What the session tells the outside: the no-offer reason (a Notice when it changes), the
    /// session's start and end with its energy (and a session a power cut interrupted), and the
    /// session faults (Fault when raised, FaultCleared when the cause has gone). Publishing only:
    /// it decides nothing. Allocation-free: reasons and texts are constant strings.
    /// </summary>
    public sealed class SessionReporter
    {
        private readonly EventBus _events;
        private readonly EnergyMeter _energy;
        private readonly CurrentArbiter _arbiter;
        private string _reportedReason;
        private string _publishedFaultCode;
        private bool _faultPublished;
        private bool _sessionOpen;
        private int _sessionNumber;

        /// <summary>Builds the reporter.</summary>
        public SessionReporter(EventBus events, EnergyMeter energy, CurrentArbiter arbiter)
        {
            _events = events;
            _energy = energy;
            _arbiter = arbiter;
        }

        /// <summary>Why no current is offered (the last reported reason), or null.</summary>
        public string Reason => _reportedReason;

        /// <summary>The open session's number (0 before the first).</summary>
        public int SessionNumber => _sessionNumber;

        /// <summary>True from vehicle connection to disconnection.</summary>
        public bool SessionOpen => _sessionOpen;

        /// <summary>True while a session fault's Fault event awaits its FaultCleared.</summary>
        public bool FaultPublished
        {
            get => _faultPublished;
            set => _faultPublished = value;
        }

        /// <summary>
        /// Reports why no current is offered: a Notice when the reason changes. A transient reason
        /// (plug check, locking) is not reported; null forgets the reported reason.
        /// </summary>
        public void Report(long nowMicroseconds, string reason, bool transient)
        {
            if (reason == null || transient)
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
            _events.Publish(ChargerEventKind.Notice, nowMicroseconds, 0, 0, false, reason, NoticeText(reason), null);
        }

        /// <summary>Current is offered (or the vehicle left): no reason stands.</summary>
        public void ClearReason()
        {
            _reportedReason = null;
        }

        /// <summary>Publishes a session fault (Fault event with its text).</summary>
        public void RaiseFault(long nowMicroseconds, string code, bool needsUnplug)
        {
            _events.Publish(ChargerEventKind.Fault, nowMicroseconds, 0, 0, needsUnplug, code, FaultText(code), null);
            _faultPublished = true;
            _publishedFaultCode = code;
        }

        /// <summary>The lock failed: a Fault latched until unplug (it is cleared with the session).</summary>
        public void RaiseLockFailure(long nowMicroseconds)
        {
            _events.Publish(ChargerEventKind.Fault, nowMicroseconds, 0, 0, true, ChargingSession.ReasonLockFailed, "socket lock feedback missing: charging stopped until the plug is removed", null);
        }

        /// <summary>The session fault's cause has gone: FaultCleared, once.</summary>
        public void ClearFault(long nowMicroseconds)
        {
            if (_faultPublished)
            {
                _events.Publish(ChargerEventKind.FaultCleared, nowMicroseconds, 0, false, _publishedFaultCode);
                _faultPublished = false;
            }
        }

        /// <summary>A session the last power cut interrupted is closed now, with the energy last written.</summary>
        public void ReportInterruptedSession(long nowMicroseconds)
        {
            if (!_energy.InterruptedSession)
            {
                return;
            }

            long wattHours = _energy.InterruptedSessionWattHours;
            int value = wattHours > int.MaxValue ? int.MaxValue : (int)wattHours;
            _events.Publish(ChargerEventKind.SessionStopped, nowMicroseconds, value, _energy.InterruptedSessionNumber, false, ChargingSession.ReasonPowerCut, null, null);
            _energy.ClearInterruptedSession();
        }

        /// <summary>A vehicle connected: a new session with its number.</summary>
        public void StartSession(long nowMicroseconds)
        {
            _sessionOpen = true;
            _sessionNumber = _energy.BeginSession();
            _events.Publish(ChargerEventKind.SessionStarted, nowMicroseconds, _sessionNumber, false, null);
        }

        /// <summary>The vehicle left: the session ends with its energy, and so do the claims made for it.</summary>
        public void EndSession(long nowMicroseconds, string reason)
        {
            _sessionOpen = false;
            long wattHours = _energy.EndSession();
            int value = wattHours > int.MaxValue ? int.MaxValue : (int)wattHours;
            _events.Publish(ChargerEventKind.SessionStopped, nowMicroseconds, value, _sessionNumber, false, reason, null, null);
            _arbiter.EndSession();
        }

        private static string NoticeText(string reason)
        {
            switch (reason)
            {
                case ChargingSession.ReasonVentilation:
                    return "the vehicle asked for ventilation (state D); this unit has none, so it does not charge";
                case ChargingSession.ReasonPaused:
                    return "charging paused";
                case ChargingSession.ReasonPlugInvalid:
                    return "the plug's proximity resistor is open or out of range: no charging";
                case ChargingSession.ReasonStopTimeout:
                    return "the vehicle kept state C for 6 s after the current offer was withdrawn: contactor opened";
                default:
                    return null;
            }
        }

        private static string FaultText(string code)
        {
            switch (code)
            {
                case ChargingSession.ReasonDiodeFault:
                    return "the vehicle's pilot diode is missing or shorted: charging stopped until the plug is removed";
                case ChargingSession.ReasonPilotShort:
                    return "control pilot shorted to PE (state E)";
                case ChargingSession.ReasonPilotFault:
                    return "control pilot pulled negative (state F) by something other than this unit";
                default:
                    return null;
            }
        }
    }
}
