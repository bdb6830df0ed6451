using System;
using IndraSmartPro.Events;
using IndraSmartPro.Json;
using IndraSmartPro.Scheduling;
using IndraSmartPro.Time;

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
    public sealed partial class TelemetryTask : IPeriodicTask, IChargerEventListener
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
        private readonly char[] _utcChars = new char[UtcText.Length];
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
        private long _nextNoticeMicroseconds;
        private int _linkStateChangesPublished = -1;
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

        // The scheduler this task runs on, to make itself due when a discrete state changes.
        private Scheduler _scheduler;
        private int _taskIndex = -1;

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

        /// <summary>
        /// Lets the task make itself due (<see cref="Scheduler.Wake"/>) when a discrete state
        /// changes, so the event and the status reach the broker without waiting for the period;
        /// without it the task runs on its period only. Call after registering the task.
        /// </summary>
        /// <param name="scheduler">The scheduler the task is registered with.</param>
        /// <param name="taskIndex">Its index there.</param>
        public void AttachScheduler(Scheduler scheduler, int taskIndex)
        {
            _scheduler = scheduler;
            _taskIndex = taskIndex;
        }

        /// <summary>Writes structured event detail (e.g. a disturbance record); optional.</summary>
        public IEventDetailWriter DetailWriter { get; set; }

        /// <summary>The status as last computed (read on the scheduler thread only).</summary>
        public ChargerStatus Status => _status;

        /// <summary>The time of day for "utc" in events and status; null = none (always null then).</summary>
        public WallClock WallClock { get; set; }

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
            // event, a drop notice, the status, the power message. What waits goes out 50 ms later.
            bool wrote = WriteEvents();
            if (!wrote)
            {
                wrote = ContinueLargeEvent();
            }

            if (!wrote)
            {
                wrote = WriteDropNotice(nowMicroseconds);
            }

            wrote = UpdateStatus(nowMicroseconds, !wrote) || wrote;
            UpdatePower(nowMicroseconds, !wrote);

            // One kind of JSON per run keeps each run short; what a discrete change still owes
            // (events left, the status behind them) goes in the next run at once instead of 50 ms
            // later. Each such run writes something, so this ends.
            if (_rawCount > 0 || _status.DiscreteDiffers(_published))
            {
                WakeSelf();
            }

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

        // Makes this task due now; the scheduler still runs every more important task first.
        private void WakeSelf()
        {
            Scheduler scheduler = _scheduler;
            if (scheduler != null)
            {
                scheduler.Wake(_taskIndex);
            }
        }
    }
}

