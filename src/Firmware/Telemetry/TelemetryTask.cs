using System;
using IndraSmartPro.Events;
using IndraSmartPro.Json;
using IndraSmartPro.Scheduling;

namespace IndraSmartPro.Telemetry
{
    /// <summary>
    /// The low-priority scheduler task that feeds the <see cref="MqttLink"/> (docs/mqtt.md):
    /// carries out received commands, publishes the status on change and at a steady interval,
    /// samples power every second and publishes it at the power interval, and, as an event
    /// listener, turns firmware events into event messages. Everything is written into buffers
    /// made here, so a run allocates nothing; the link only copies, so nothing here waits for
    /// the network. The listener only copies events; the JSON is written in <see cref="Run"/>, a
    /// bounded amount per run, because the scheduler is cooperative and a long run of this task
    /// would hold up the protection task.
    /// </summary>
    public sealed class TelemetryTask : IPeriodicTask, IChargerEventListener
    {
        private const long MicrosecondsPerSecond = 1000000;
        private const int MaxPowerSamples = 60;

        /// <summary>Events waiting to be written; more than this between two runs drops the oldest (counted).</summary>
        public const int RawCapacity = 16;

        /// <summary>Events written per run.</summary>
        public const int EventsPerRun = 4;

        /// <summary>Values of a large detail written per run.</summary>
        public const int LargeValuesPerRun = 40;

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

        // Events as they happened, copied in OnEvent (cheap, inside whatever task published) and
        // turned into JSON later by Run, a few per run.
        private readonly int[] _rawKind = new int[RawCapacity];
        private readonly long[] _rawTime = new long[RawCapacity];
        private readonly int[] _rawValue = new int[RawCapacity];
        private readonly bool[] _rawFlag = new bool[RawCapacity];
        private readonly string[] _rawCode = new string[RawCapacity];
        private readonly string[] _rawText = new string[RawCapacity];
        private readonly object[] _rawDetail = new object[RawCapacity];
        private readonly long[] _rawSequence = new long[RawCapacity];
        private int _rawHead;
        private int _rawCount;

        // The large event (a disturbance record) being written, a few values per run.
        private readonly JsonWriter _largeWriter;
        private bool _largeActive;
        private int _bytesThisRun;
        private int _maxBytesPerRun;

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
            _eventWriter = new JsonWriter(linkOptions.OutboxMessageBytes);
            _largeWriter = new JsonWriter(linkOptions.LargeEventBytes);
            _powerWriter = new JsonWriter(linkOptions.PowerBytes);
        }

        /// <summary>Writes structured event detail (e.g. a disturbance record); optional.</summary>
        public IEventDetailWriter DetailWriter { get; set; }

        /// <summary>The status as last computed (read on the scheduler thread only).</summary>
        public ChargerStatus Status => _status;

        /// <summary>Events numbered so far (the next event's seq).</summary>
        public long EventSequence => _eventSequence;

        /// <summary>Events lost before reaching the link: too many between two runs, too large to write, or a large detail overtaken by a newer one.</summary>
        public int EventsNotQueued => _eventsNotQueued;

        /// <summary>One run: commands, then events, the large event, the status or the power message.</summary>
        public void Run(long nowMicroseconds)
        {
            for (int i = 0; i < _options.CommandsPerRun; i++)
            {
                if (!_link.TryTakeCommand(_inbound))
                {
                    break;
                }

                _processor.Process(nowMicroseconds, _inbound, _resultWriter);
                _bytesThisRun += _resultWriter.Length;
                if (!_resultWriter.Overflowed)
                {
                    _link.EnqueueResult(_resultWriter.Buffer, _resultWriter.Length);
                }
            }

            // At most one kind of JSON per run besides results, in this order: events, the large
            // event, the status, the power message. What waits goes out 50 ms later.
            bool wrote = WriteEvents();
            if (!wrote)
            {
                wrote = ContinueLargeEvent();
            }

            wrote = UpdateStatus(nowMicroseconds, !wrote) || wrote;
            UpdatePower(nowMicroseconds, !wrote);
            if (_bytesThisRun > _maxBytesPerRun)
            {
                _maxBytesPerRun = _bytesThisRun;
            }

            _bytesThisRun = 0;
        }

        /// <summary>
        /// The most JSON written in one run, bytes: a proxy for the longest run on the device,
        /// where (the scheduler being cooperative) it is how long the protection task can wait.
        /// </summary>
        public int MaxBytesPerRun => _maxBytesPerRun;

        /// <summary>
        /// Applies an event to the status and, for the published kinds, copies it for
        /// <see cref="Run"/> to write: no JSON here, because events are published from inside the
        /// protection and pilot tasks.
        /// </summary>
        public void OnEvent(ChargerEvent e)
        {
            ApplyToStatus(e);
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
                _link.EnqueueEvent(w.Buffer, w.Length);
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

        // Refreshes the status every run (cheap); writes it when due and allowed. True if written.
        private bool UpdateStatus(long now, bool mayWrite)
        {
            ChargerStatus s = _status;
            s.State = null;
            if (_source != null)
            {
                _source.Fill(now, s);
            }

            s.DeriveState();
            bool due = _nextStatusMicroseconds < 0 || now >= _nextStatusMicroseconds || _processor.RefreshRequested || s.DiscreteDiffers(_published);
            if (!due || !mayWrite)
            {
                return false;
            }

            WriteStatus(now);
            _bytesThisRun += _statusWriter.Length;
            if (!_statusWriter.Overflowed)
            {
                _link.SetStatus(_statusWriter.Buffer, _statusWriter.Length);
            }

            _published.CopyDiscreteFrom(s);
            _processor.ClearRefreshRequest();
            _nextStatusMicroseconds = now + (_options.StatusIntervalSeconds * MicrosecondsPerSecond);
            return true;
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
            w.Property("eventsDropped", _link.EventsDropped + _eventsNotQueued);
            w.EndObject();
        }

        // Samples power every second; writes the power message when due and allowed.
        private void UpdatePower(long now, bool mayWrite)
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

            if (mayWrite && now >= _nextPowerPublishMicroseconds)
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
                _bytesThisRun += w.Length;
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
