using System;
using IndraSmartPro.Events;
using IndraSmartPro.Scheduling;

namespace IndraSmartPro.Telemetry
{
    /// <summary>
    /// The low-priority scheduler task that feeds the <see cref="MqttLink"/> (docs/mqtt.md):
    /// carries out received commands, publishes the status on change and at a steady interval,
    /// samples power every second and publishes it at the power interval, and, as an event
    /// listener, turns firmware events into event messages. Everything is written into buffers
    /// made here, so a run allocates nothing; the link only copies, so nothing here waits for
    /// the network.
    /// </summary>
    public sealed class TelemetryTask : IPeriodicTask, IChargerEventListener
    {
        private const long MicrosecondsPerSecond = 1000000;
        private const int MaxPowerSamples = 60;

        private readonly MqttLink _link;
        private readonly CommandProcessor _processor;
        private readonly IStatusSource _source;
        private readonly TelemetryOptions _options;
        private readonly string _serial;
        private readonly string _firmwareVersion;
        private readonly ChargerStatus _status = new ChargerStatus();
        private readonly ChargerStatus _published = new ChargerStatus();
        private readonly InboundMessage _inbound = new InboundMessage(CommandProcessor.MaxPayloadBytes);
        private readonly JsonWriter _resultWriter;
        private readonly JsonWriter _statusWriter;
        private readonly JsonWriter _eventWriter;
        private readonly JsonWriter _powerWriter;
        private readonly int _outboxMessageBytes;
        private readonly int[] _powerSamplesWatts = new int[MaxPowerSamples];
        private int _powerSampleCount;
        private long _nextPowerSampleMicroseconds = -1;
        private long _nextPowerPublishMicroseconds = -1;
        private long _nextStatusMicroseconds = -1;
        private long _eventSequence;
        private int _eventsNotQueued;

        /// <summary>Creates the task; subscribe it to the event bus and register it with the scheduler (low priority).</summary>
        /// <param name="link">Where messages go.</param>
        /// <param name="linkOptions">The link's options (for buffer sizes).</param>
        /// <param name="processor">Validates and carries out commands.</param>
        /// <param name="source">Measured values and module state; may be null.</param>
        /// <param name="options">Rates.</param>
        /// <param name="firmwareVersion">Reported in the status.</param>
        public TelemetryTask(MqttLink link, MqttLinkOptions linkOptions, CommandProcessor processor, IStatusSource source, TelemetryOptions options, string firmwareVersion)
        {
            if (link == null || linkOptions == null || processor == null || options == null)
            {
                throw new ArgumentNullException();
            }

            if (options.PowerIntervalSeconds < 1 || options.PowerIntervalSeconds > MaxPowerSamples || options.StatusIntervalSeconds < 1)
            {
                throw new ArgumentOutOfRangeException("options");
            }

            _link = link;
            _processor = processor;
            _source = source;
            _options = options;
            _serial = link.Topics.Serial;
            _firmwareVersion = firmwareVersion;
            _outboxMessageBytes = linkOptions.OutboxMessageBytes;
            _resultWriter = new JsonWriter(linkOptions.OutboxMessageBytes);
            _statusWriter = new JsonWriter(linkOptions.StatusBytes);
            _eventWriter = new JsonWriter(linkOptions.LargeEventBytes > linkOptions.OutboxMessageBytes ? linkOptions.LargeEventBytes : linkOptions.OutboxMessageBytes);
            _powerWriter = new JsonWriter(linkOptions.PowerBytes);
        }

        /// <summary>Writes structured event detail (e.g. a disturbance record); optional.</summary>
        public IEventDetailWriter DetailWriter { get; set; }

        /// <summary>The status as last computed (read on the scheduler thread only).</summary>
        public ChargerStatus Status => _status;

        /// <summary>Events numbered so far (the next event's seq).</summary>
        public long EventSequence => _eventSequence;

        /// <summary>Events that could not be written at all (larger than every buffer even without detail).</summary>
        public int EventsNotQueued => _eventsNotQueued;

        /// <summary>One run: commands, then status, then power.</summary>
        public void Run(long nowMicroseconds)
        {
            for (int i = 0; i < _options.CommandsPerRun; i++)
            {
                if (!_link.TryTakeCommand(_inbound))
                {
                    break;
                }

                _processor.Process(nowMicroseconds, _inbound, _resultWriter);
                if (!_resultWriter.Overflowed)
                {
                    _link.EnqueueResult(_resultWriter.Buffer, _resultWriter.Length);
                }
            }

            UpdateStatus(nowMicroseconds);
            UpdatePower(nowMicroseconds);
        }

        /// <summary>Turns an event into status changes and, for the published kinds, an event message.</summary>
        public void OnEvent(ChargerEvent e)
        {
            ApplyToStatus(e);
            string type = TypeOf(e.Kind);
            if (type == null)
            {
                return;
            }

            JsonWriter w = _eventWriter;
            WriteEvent(w, e, type, true);
            if (w.Overflowed)
            {
                WriteEvent(w, e, type, false);
            }

            if (w.Overflowed)
            {
                _eventsNotQueued++;
                _eventSequence++;
                return;
            }

            _eventSequence++;
            if (w.Length <= _outboxMessageBytes)
            {
                _link.EnqueueEvent(w.Buffer, w.Length);
            }
            else if (!_link.SetLargeEvent(w.Buffer, w.Length))
            {
                _eventsNotQueued++;
            }
        }

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
                default:
                    // PilotState, Pwm, Contactor, EarthRelay: visible in the status instead
                    // (they change many times a session and would crowd out the events that matter).
                    return null;
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

        private void WriteEvent(JsonWriter w, ChargerEvent e, string type, bool withDetail)
        {
            w.Reset();
            w.BeginObject();
            w.Property("v", MqttTopics.ContractVersion);
            w.Property("seq", _eventSequence);
            w.Property("uptimeMs", e.TimeMicroseconds / 1000);
            w.Property("type", type);
            switch (e.Kind)
            {
                case ChargerEventKind.Boot:
                    w.Property("fw", e.Code);
                    break;
                case ChargerEventKind.TripReset:
                    w.Property("code", e.Code);
                    w.Property("by", e.Text);
                    break;
                case ChargerEventKind.Fault:
                    w.Property("code", e.Code);
                    w.PropertyBool("latched", e.Flag);
                    break;
                case ChargerEventKind.SessionStarted:
                    w.Property("session", e.Value);
                    break;
                case ChargerEventKind.SessionStopped:
                    w.Property("energyWh", e.Value);
                    w.Property("reason", e.Code);
                    break;
                case ChargerEventKind.Limit:
                    w.PropertyFixed("offeredA", e.Value, 3);
                    w.Property("reason", e.Code);
                    break;
                case ChargerEventKind.Notice:
                    w.Property("code", e.Code);
                    w.Property("text", e.Text);
                    break;
                default:
                    w.Property("code", e.Code);
                    if (e.Text != null)
                    {
                        w.Property("text", e.Text);
                    }

                    break;
            }

            if (e.Detail != null)
            {
                IEventDetailWriter detail = DetailWriter;
                if (!withDetail)
                {
                    w.PropertyBool("detailTruncated", true);
                }
                else if (detail != null)
                {
                    detail.TryWrite(e, w);
                }
            }

            w.EndObject();
        }

        private void UpdateStatus(long now)
        {
            ChargerStatus s = _status;
            s.State = null;
            if (_source != null)
            {
                _source.Fill(now, s);
            }

            s.DeriveState();
            bool due = _nextStatusMicroseconds < 0 || now >= _nextStatusMicroseconds || _processor.RefreshRequested || s.DiscreteDiffers(_published);
            if (!due)
            {
                return;
            }

            WriteStatus(now);
            if (!_statusWriter.Overflowed)
            {
                _link.SetStatus(_statusWriter.Buffer, _statusWriter.Length);
            }

            _published.CopyDiscreteFrom(s);
            _processor.ClearRefreshRequest();
            _nextStatusMicroseconds = now + (_options.StatusIntervalSeconds * MicrosecondsPerSecond);
        }

        private void WriteStatus(long now)
        {
            ChargerStatus s = _status;
            JsonWriter w = _statusWriter;
            w.Reset();
            w.BeginObject();
            w.Property("v", MqttTopics.ContractVersion);
            w.Property("serial", _serial);
            w.Property("fw", _firmwareVersion);
            w.Property("uptimeS", now / MicrosecondsPerSecond);
            w.Property("state", s.State);
            w.Property("pilot", s.Pilot);
            w.PropertyBool("contactor", s.Contactor);
            w.PropertyBool("paused", s.Paused);
            w.PropertyFixed("offeredA", s.OfferedMilliamps, 3);
            w.Property("limitReason", s.LimitReason);
            w.PropertyFixed("currentA", s.CurrentMilliamps, 3);
            w.Property("powerW", RoundMilliToUnit(s.PowerMilliwatts));
            w.Property("sessionWh", s.SessionWattHours);
            w.Property("lifetimeWh", s.LifetimeWattHours);
            w.PropertyFixed("vLn", s.LineNeutralMillivolts, 3);
            w.PropertyFixed("vLtt", s.LineTtRefMillivolts, 3);
            w.PropertyFixed("vCpcTt", s.CpcTtRefMillivolts, 3);
            w.Property("pestMode", s.PestMode);
            w.Name("trips");
            w.BeginArray();
            for (int i = 0; i < s.TripCount; i++)
            {
                w.String(s.Trips[i]);
            }

            w.EndArray();
            w.Name("faults");
            w.BeginArray();
            for (int i = 0; i < s.FaultCount; i++)
            {
                w.String(s.Faults[i]);
            }

            w.EndArray();
            w.Property("eventsDropped", _link.EventsDropped);
            w.EndObject();
        }

        private void UpdatePower(long now)
        {
            long interval = _options.PowerIntervalSeconds * MicrosecondsPerSecond;
            if (_nextPowerSampleMicroseconds < 0)
            {
                // A sample closes each second, so one interval holds exactly intervalS samples.
                _nextPowerSampleMicroseconds = now + MicrosecondsPerSecond;
                _nextPowerPublishMicroseconds = now + interval;
            }

            if (now >= _nextPowerSampleMicroseconds)
            {
                // Smart Charge Points Regulations 2021, reg. 9: power measured every second.
                if (_powerSampleCount < MaxPowerSamples)
                {
                    _powerSamplesWatts[_powerSampleCount++] = RoundMilliToUnit(_status.PowerMilliwatts);
                }

                _nextPowerSampleMicroseconds += MicrosecondsPerSecond;
                if (_nextPowerSampleMicroseconds <= now)
                {
                    // Fell behind by more than a second (a stalled scheduler): keep the grid, skip the gap.
                    _nextPowerSampleMicroseconds = now + MicrosecondsPerSecond;
                }
            }

            if (now >= _nextPowerPublishMicroseconds)
            {
                JsonWriter w = _powerWriter;
                w.Reset();
                w.BeginObject();
                w.Property("v", MqttTopics.ContractVersion);
                w.Property("uptimeS", now / MicrosecondsPerSecond);
                w.Property("intervalS", _options.PowerIntervalSeconds);
                w.Property("powerW", RoundMilliToUnit(_status.PowerMilliwatts));
                w.Name("samplesW");
                w.BeginArray();
                for (int i = 0; i < _powerSampleCount; i++)
                {
                    w.Number(_powerSamplesWatts[i]);
                }

                w.EndArray();
                w.EndObject();
                if (!w.Overflowed)
                {
                    _link.SetPower(w.Buffer, w.Length);
                }

                _powerSampleCount = 0;
                _nextPowerPublishMicroseconds += interval;
                if (_nextPowerPublishMicroseconds <= now)
                {
                    _nextPowerPublishMicroseconds = now + interval;
                }
            }
        }

        // Milli-units to units, rounded half away from zero.
        private static int RoundMilliToUnit(int milli)
        {
            return milli >= 0 ? (milli + 500) / 1000 : -((-milli + 500) / 1000);
        }
    }
}
