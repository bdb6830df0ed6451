using IndraSmartPro.Events;
using IndraSmartPro.Json;

namespace IndraSmartPro.Telemetry
{
    // Events: copied from the event bus by OnEvent (inside the protection and pilot tasks), written
    // as event messages in Run, a bounded number per run; a large detail is written in slices.
    public sealed partial class TelemetryTask
    {
        /// <summary>
        /// Applies an event to the status and, for the published kinds, copies it for
        /// <see cref="Run"/> to write: no JSON here, because events are published from inside the
        /// protection and pilot tasks.
        /// </summary>
        public void OnEvent(ChargerEvent e)
        {
            ApplyToStatus(e);

            // A discrete change (session, trip, contactor, limit, pilot ...): run soon rather than
            // at the next period, so the platform sees it within milliseconds.
            WakeSelf();
            if (TypeOf(e.Kind) == null)
            {
                return;
            }

            if (_rawCount == RawCapacity)
            {
                _rawHead = (_rawHead + 1) % RawCapacity;
                _rawCount--;
                _eventsNotQueued++;
            }

            int slot = (_rawHead + _rawCount) % RawCapacity;
            _rawKind[slot] = (int)e.Kind;
            _rawTime[slot] = e.TimeMicroseconds;
            _rawValue[slot] = e.Value;
            _rawFlag[slot] = e.Flag;
            _rawCode[slot] = e.Code;
            _rawText[slot] = e.Text;
            _rawDetail[slot] = e.Detail;
            _rawSequence[slot] = _eventSequence++;
            _rawCount++;
        }

        private bool WriteEvents()
        {
            bool wrote = _rawCount > 0;
            for (int n = 0; n < EventsPerRun && _rawCount > 0; n++)
            {
                int slot = _rawHead;
                _rawHead = (_rawHead + 1) % RawCapacity;
                _rawCount--;
                ChargerEventKind kind = (ChargerEventKind)_rawKind[slot];
                object detail = _rawDetail[slot];
                _rawDetail[slot] = null;
                IEventDetailWriter detailWriter = DetailWriter;
                if (detail != null && detailWriter != null && detailWriter.IsLarge(kind, detail))
                {
                    if (_largeActive)
                    {
                        // A newer large event overtakes one still being written.
                        _eventsNotQueued++;
                    }

                    JsonWriter large = _largeWriter;
                    WriteEventHead(large, slot, kind, null);
                    detailWriter.Begin(detail);
                    _largeActive = true;
                    continue;
                }

                JsonWriter w = _eventWriter;
                WriteEventHead(w, slot, kind, detail);
                w.EndObject();
                if (w.Overflowed)
                {
                    _eventsNotQueued++;
                    continue;
                }

                _bytesThisRun += w.Length;
                if (IsLowPriority(kind))
                {
                    _link.EnqueueLowEvent(w.Buffer, w.Length);
                }
                else
                {
                    _link.EnqueueEvent(w.Buffer, w.Length);
                }
            }

            return wrote;
        }

        private bool ContinueLargeEvent()
        {
            if (!_largeActive)
            {
                return false;
            }

            IEventDetailWriter detailWriter = DetailWriter;
            JsonWriter w = _largeWriter;
            int before = w.Length;
            bool done = detailWriter.Continue(w, LargeValuesPerRun);
            _bytesThisRun += w.Length - before;
            if (!done)
            {
                return true;
            }

            _largeActive = false;
            w.EndObject();
            if (detailWriter.Aborted || w.Overflowed || !_link.SetLargeEvent(w.Buffer, w.Length))
            {
                _eventsNotQueued++;
            }

            return true;
        }

        /// <summary>
        /// True for the kinds sent after command results and dropped first under load (limit
        /// changes, notices); every other kind, including kinds added later (security events),
        /// is a safety or session event that nothing else may push out (docs/mqtt.md).
        /// </summary>
        public static bool IsLowPriority(ChargerEventKind kind) => kind == ChargerEventKind.Limit || kind == ChargerEventKind.Notice;

        // At most one drop notice a second, written only once the previous one has been sent, as
        // an event of its own (seq, uptimeMs) so the platform sees where in the stream the loss was.
        private bool WriteDropNotice(long now)
        {
            if (now < _nextNoticeMicroseconds || _link.Outbox.NoticePending)
            {
                return false;
            }

            int events;
            int eventsTotal;
            int unanswered;
            int unansweredTotal;
            if (!_link.Outbox.TakeUnreported(out events, out eventsTotal, out unanswered, out unansweredTotal))
            {
                return false;
            }

            JsonWriter w = _eventWriter;
            w.Reset();
            w.BeginObject();
            w.Property("v", MqttTopics.ContractVersion);
            w.Property("seq", _eventSequence++);
            w.Property("uptimeMs", now / 1000);
            w.Property("type", "events-dropped");
            w.Property("count", events);
            w.Property("total", eventsTotal + _eventsNotQueued);
            w.Property("unanswered", unanswered);
            w.Property("unansweredTotal", unansweredTotal);
            w.EndObject();
            _bytesThisRun += w.Length;
            _link.SetNotice(w.Buffer, w.Length);
            _nextNoticeMicroseconds = now + MicrosecondsPerSecond;
            return true;
        }

        /// <summary>The "type" of events of a kind this contract version does not name.</summary>
        public const string OtherType = "other";

        /// <summary>The "type" of an event message, or null for kinds that only change the status.</summary>
        public static string TypeOf(ChargerEventKind kind)
        {
            switch (kind)
            {
                case ChargerEventKind.Boot:
                    return "boot";
                case ChargerEventKind.Trip:
                    return "trip";
                case ChargerEventKind.TripReset:
                    return "trip-reset";
                case ChargerEventKind.Fault:
                    return "fault";
                case ChargerEventKind.FaultCleared:
                    return "fault-cleared";
                case ChargerEventKind.SessionStarted:
                    return "session-started";
                case ChargerEventKind.SessionStopped:
                    return "session-stopped";
                case ChargerEventKind.Limit:
                    return "limit";
                case ChargerEventKind.Notice:
                    return "notice";
                case ChargerEventKind.Curtailment:
                    return "curtailment";
                case ChargerEventKind.PilotState:
                case ChargerEventKind.Pwm:
                case ChargerEventKind.Contactor:
                case ChargerEventKind.EarthRelay:
                    // Visible in the status instead: they change many times a session and would
                    // crowd out the events that matter.
                    return null;
                default:
                    // A kind added after contract version 1: published with its number, code and
                    // text until it gets a type of its own (docs/mqtt.md).
                    return OtherType;
            }
        }

        private void ApplyToStatus(ChargerEvent e)
        {
            ChargerStatus s = _status;
            switch (e.Kind)
            {
                case ChargerEventKind.PilotState:
                    if (e.Code != null)
                    {
                        s.Pilot = e.Code;
                    }

                    break;
                case ChargerEventKind.Contactor:
                    s.Contactor = e.Flag;
                    break;
                case ChargerEventKind.Limit:
                    s.OfferedMilliamps = e.Value;
                    s.LimitReason = e.Code;
                    break;
                case ChargerEventKind.Trip:
                    ChargerStatus.AddCode(s.Trips, ref s.TripCount, e.Code);
                    break;
                case ChargerEventKind.TripReset:
                    // A reset clears the whole latch (docs/faults.md), whichever cause it names.
                    while (s.TripCount > 0)
                    {
                        s.Trips[--s.TripCount] = null;
                    }

                    break;
                case ChargerEventKind.Fault:
                    ChargerStatus.AddCode(s.Faults, ref s.FaultCount, e.Code);
                    break;
                case ChargerEventKind.FaultCleared:
                    ChargerStatus.RemoveCode(s.Faults, ref s.FaultCount, e.Code);
                    break;
            }
        }

        // Writes {"v":1,"seq":..,"uptimeMs":..,"type":..,<members of the kind>[,<inline detail>] (object left open).
        private void WriteEventHead(JsonWriter w, int slot, ChargerEventKind kind, object inlineDetail)
        {
            string code = _rawCode[slot];
            string text = _rawText[slot];
            w.Reset();
            w.BeginObject();
            w.Property("v", MqttTopics.ContractVersion);
            w.Property("seq", _rawSequence[slot]);
            w.Property("uptimeMs", _rawTime[slot] / 1000);
            WriteUtc(w, _rawTime[slot]);
            w.Property("type", TypeOf(kind));
            switch (kind)
            {
                case ChargerEventKind.Boot:
                    w.Property("fw", code);
                    break;
                case ChargerEventKind.TripReset:
                    w.Property("code", code);
                    w.Property("by", text);
                    break;
                case ChargerEventKind.Fault:
                    w.Property("code", code);
                    w.PropertyBool("latched", _rawFlag[slot]);
                    break;
                case ChargerEventKind.SessionStarted:
                    w.Property("session", _rawValue[slot]);
                    break;
                case ChargerEventKind.SessionStopped:
                    w.Property("energyWh", _rawValue[slot]);
                    w.Property("reason", code);
                    break;
                case ChargerEventKind.Limit:
                    w.PropertyFixed("offeredA", _rawValue[slot], 3);
                    w.Property("reason", code);
                    break;
                case ChargerEventKind.Notice:
                    w.Property("code", code);
                    w.Property("text", text);
                    break;
                case ChargerEventKind.Curtailment:
                    w.Property("action", code);
                    w.PropertyFixed("allowanceA", _rawValue[slot], 3);
                    w.Property("reason", text);
                    WriteEvidence(w, inlineDetail as Features.Curtailment.CurtailmentEvidence);
                    break;
                case ChargerEventKind.Trip:
                case ChargerEventKind.FaultCleared:
                    w.Property("code", code);
                    break;
                default:
                    w.Property("kind", (int)kind);
                    w.Property("value", _rawValue[slot]);
                    w.Property("code", code);
                    w.Property("text", text);
                    break;
            }

            IEventDetailWriter detailWriter = DetailWriter;
            if (inlineDetail != null && detailWriter != null)
            {
                detailWriter.WriteInline(kind, inlineDetail, w);
            }
        }
    

        // The values behind a curtailment action (docs/mqtt.md, "curtailment" event). The record
        // is one of a ring the controller reuses; it is read here within a few telemetry runs.
        private static void WriteEvidence(JsonWriter w, Features.Curtailment.CurtailmentEvidence e)
        {
            if (e == null)
            {
                return;
            }

            w.PropertyFixed("importA", e.ImportMilliamps, 3);
            w.PropertyFixed("evA", e.EvMilliamps, 3);
            w.PropertyFixed("houseA", e.HouseMilliamps, 3);
            w.PropertyFixed("headroomA", e.AllowanceMilliamps, 3);
            if (e.PreviousClaimMilliamps >= 0)
            {
                w.PropertyFixed("previousA", e.PreviousClaimMilliamps, 3);
            }

            w.PropertyFixed("supplyA", e.SupplyRatingMilliamps, 3);
            w.PropertyFixed("marginA", e.MarginMilliamps, 3);
            w.Property("mode", Features.Curtailment.SolarModes.Name(e.Mode));
            w.Property("ct", Features.Curtailment.CtHealths.Name(e.Health));
        }
}
}
