using System;
using System.Threading;
using IndraSmartPro.Board;
using IndraSmartPro.Network;

namespace IndraSmartPro.Telemetry
{
    /// <summary>
    /// The charger's MQTT link, split between two threads.
    /// <para>
    /// Firmware side (scheduler thread): <see cref="SetStatus"/>, <see cref="SetPower"/>,
    /// <see cref="EnqueueEvent"/>, <see cref="EnqueueResult"/> and <see cref="TryTakeCommand"/>
    /// copy into buffers made in the constructor under a short lock and never wait for the
    /// network: charging goes on under local rules while the broker is unreachable (Smart Charge
    /// Points Regulations 2021, reg. 7).
    /// </para>
    /// <para>
    /// Network side (one dedicated thread): <see cref="Step"/> or <see cref="Run"/> is the only
    /// caller of <see cref="IMqttTransport"/>. It connects with capped exponential backoff and
    /// jitter, subscribes to cmd/#, publishes "online" (retained; "offline" is the last will),
    /// then sends what waits in the <see cref="MqttOutbox"/>, highest priority first (QoS 1; the
    /// status retained; power at QoS 0). No lock is held while the transport is called, so a
    /// transport that blocks for a minute delays only this thread.
    /// </para>
    /// </summary>
    public sealed partial class MqttLink : IMqttMessageSink
    {
        private static readonly byte[] OnlinePayload = new byte[] { (byte)'o', (byte)'n', (byte)'l', (byte)'i', (byte)'n', (byte)'e' };
        private static readonly byte[] OfflinePayload = new byte[] { (byte)'o', (byte)'f', (byte)'f', (byte)'l', (byte)'i', (byte)'n', (byte)'e' };

        private readonly object _lock = new object();
        private readonly IMqttTransport _transport;
        private readonly IMicrosecondClock _clock;
        private readonly IRandomSource _random;
        private readonly MqttLinkOptions _options;
        private readonly MqttTopics _topics;
        private readonly MqttOutbox _outbox;
        private readonly CommandInbox _inbox;
        private readonly OutgoingMessage _outgoing = new OutgoingMessage();
        private IWorkerWake _wake;

        // Network thread only.
        private bool _connected;
        private long _nextAttemptMicroseconds;
        private int _failures;
        private int _connects;
        private int _connectFailures;
        private int _publishFailures;
        private int _lastBackoffMilliseconds;
        private int _workerFaults;

        // Shared between threads; read and written only under _lock (nanoFramework has no volatile).
        private bool _lost;
        private bool _publishFailed;
        private bool _isConnected;
        private bool _stopRequested;
        private string _state = LinkStates.Starting;
        private string _lastFailure;
        private int _stateChanges;

        /// <summary>Creates the link. Nothing touches the network until the worker runs.</summary>
        public MqttLink(IMqttTransport transport, IMicrosecondClock clock, IRandomSource random, MqttTopics topics, MqttLinkOptions options)
        {
            if (transport == null || clock == null || random == null || topics == null || options == null)
            {
                throw new ArgumentNullException();
            }

            if (options.OutboxCapacity < 1 || options.ResultCapacity < 1 || options.LowEventCapacity < 1 || options.UnqueuedAnswerCapacity < 1
                || options.InboundCapacity < 1 || options.BackoffInitialMilliseconds < 1
                || options.BackoffMaximumMilliseconds < options.BackoffInitialMilliseconds || options.FirstRetrySpreadMilliseconds < 0)
            {
                throw new ArgumentOutOfRangeException("options");
            }

            _transport = transport;
            _clock = clock;
            _random = random;
            _topics = topics;
            _options = options;
            _outbox = new MqttOutbox(options);
            _inbox = new CommandInbox(topics, _outbox, options.InboundCapacity, options.OutboxMessageBytes);
            transport.Sink = this;
        }

        /// <summary>This device's topics.</summary>
        public MqttTopics Topics => _topics;

        /// <summary>The queues of what waits to be sent.</summary>
        public MqttOutbox Outbox => _outbox;

        /// <summary>
        /// Wakes the worker when something is queued; set before starting <see cref="Run"/>.
        /// Without it (tests that call <see cref="Step"/>) nothing is woken.
        /// </summary>
        public IWorkerWake Wake
        {
            get => _wake;
            set => _wake = value;
        }

        /// <summary>True while the session with the broker is up (as the worker last saw it).</summary>
        public bool IsConnected => ReadFlag(ref _isConnected);

        /// <summary>One of the <see cref="LinkStates"/>: what the link is doing now.</summary>
        public string State => ReadString(ref _state);

        /// <summary>Why the last attempt failed or the last session ended (a <see cref="LinkFailures"/> code), null before any failure.</summary>
        public string LastFailure => ReadString(ref _lastFailure);

        /// <summary>Counts changes of <see cref="State"/> or <see cref="LastFailure"/>, so a reader can tell something happened.</summary>
        public int StateChanges
        {
            get
            {
                Monitor.Enter(_lock);
                try
                {
                    return _stateChanges;
                }
                finally
                {
                    Monitor.Exit(_lock);
                }
            }
        }

        /// <summary>Events dropped because their queue was full, since boot.</summary>
        public int EventsDropped => _outbox.EventsDropped;

        /// <summary>Commands left without any answer since boot (their result or busy answer dropped from a full queue).</summary>
        public int CommandsUnanswered => _outbox.CommandsUnanswered;

        /// <summary>Events, results and answers waiting to be sent.</summary>
        public int OutboxCount => _outbox.QueuedCount;

        /// <summary>Messages answered "busy" because the inbound queue was full.</summary>
        public int BusyCount => _inbox.BusyCount;

        /// <summary>Retained messages on the command topics refused (never carried out).</summary>
        public int RetainedRefused => _inbox.RetainedCount;

        /// <summary>Successful connects since boot.</summary>
        public int Connects => _connects;

        /// <summary>Failed connect attempts since boot.</summary>
        public int ConnectFailures => _connectFailures;

        /// <summary>Publishes that failed (each one ends the session).</summary>
        public int PublishFailures => _publishFailures;

        /// <summary>Unexpected exceptions the worker loop survived.</summary>
        public int WorkerFaults => _workerFaults;

        /// <summary>The delay chosen after the last failure, in milliseconds.</summary>
        public int LastBackoffMilliseconds => _lastBackoffMilliseconds;

        /// <summary>Clock time of the next connect attempt while disconnected, in microseconds.</summary>
        public long NextAttemptMicroseconds => _nextAttemptMicroseconds;

        // ---------------------------------------------------------------- firmware side

        /// <summary>Replaces the status to publish (retained). Returns false if it does not fit. Never blocks on the network.</summary>
        public bool SetStatus(byte[] payload, int length) => Replace(MqttOutbox.Status, payload, length);

        /// <summary>Replaces the power reading to publish. Returns false if it does not fit. Never blocks on the network.</summary>
        public bool SetPower(byte[] payload, int length) => Replace(MqttOutbox.Power, payload, length);

        /// <summary>
        /// Replaces the pending large event (e.g. a trip's disturbance record, too big for an
        /// outbox slot): sent on the event topic at QoS 1 after the safety events and the status,
        /// kept until sent, and only replaced by a newer large event. Returns false if it does not fit.
        /// </summary>
        public bool SetLargeEvent(byte[] payload, int length) => Replace(MqttOutbox.LargeEvent, payload, length);

        /// <summary>Replaces the pending drop notice (an event written by the telemetry task). Returns false if it does not fit.</summary>
        public bool SetNotice(byte[] payload, int length) => Replace(MqttOutbox.Notice, payload, length);

        /// <summary>
        /// Queues a safety or session event (QoS 1, in order, first to be sent). When its queue is
        /// full the oldest of them is dropped and counted; nothing else can take its place.
        /// Returns false only if the payload is larger than a slot.
        /// </summary>
        public bool EnqueueEvent(byte[] payload, int length) => Enqueue(MqttOutbox.PriorityEvent, payload, length);

        /// <summary>Queues a low-priority event (limit changes, notices): sent after results, dropped first.</summary>
        public bool EnqueueLowEvent(byte[] payload, int length) => Enqueue(MqttOutbox.LowEvent, payload, length);

        /// <summary>Queues a command result (QoS 1, in order, in a queue of its own).</summary>
        public bool EnqueueResult(byte[] payload, int length) => Enqueue(MqttOutbox.Result, payload, length);

        /// <summary>Takes the oldest received message into <paramref name="into"/>; false when none is waiting.</summary>
        public bool TryTakeCommand(InboundMessage into) => _inbox.TryTake(into);

        private bool Enqueue(int kind, byte[] payload, int length)
        {
            if (!_outbox.Enqueue(kind, payload, length))
            {
                return false;
            }

            SignalWorker();
            return true;
        }

        private bool Replace(int kind, byte[] payload, int length)
        {
            if (!_outbox.Replace(kind, payload, length))
            {
                return false;
            }

            SignalWorker();
            return true;
        }

        // ---------------------------------------------------------------- transport's thread

        /// <summary>Queues a received message for the scheduler; answers "busy" or "retained" at once when it is not queued.</summary>
        public void OnMessage(string topic, byte[] payload, bool retained)
        {
            _inbox.Offer(topic, payload, retained);
            SignalWorker();
        }

        /// <summary>Queues a received message that was not retained.</summary>
        public void OnMessage(string topic, byte[] payload) => OnMessage(topic, payload, false);

        /// <summary>Notes that the session dropped; the worker reconnects.</summary>
        public void OnConnectionLost()
        {
            WriteFlag(ref _lost, true);
            SignalWorker();
        }

        /// <summary>A message started by the worker was acknowledged (it leaves its queue) or failed (the session is dropped and everything unacknowledged sent again).</summary>
        public void OnPublished(int token, bool acknowledged)
        {
            if (acknowledged)
            {
                _outbox.Acknowledged(token);
            }
            else
            {
                WriteFlag(ref _publishFailed, true);
            }

            SignalWorker();
        }

        private void SetState(string state, string failure, bool setFailure)
        {
            Monitor.Enter(_lock);
            try
            {
                bool changed = !Same(_state, state);
                _state = state;
                if (setFailure)
                {
                    changed = changed || !Same(_lastFailure, failure);
                    _lastFailure = failure;
                }

                if (changed)
                {
                    _stateChanges++;
                }
            }
            finally
            {
                Monitor.Exit(_lock);
            }
        }

        private static bool Same(string a, string b) => a == null ? b == null : a.Equals(b);

        private void SignalWorker()
        {
            IWorkerWake wake = _wake;
            if (wake != null)
            {
                wake.Set();
            }
        }

        private bool ReadFlag(ref bool flag)
        {
            Monitor.Enter(_lock);
            try
            {
                return flag;
            }
            finally
            {
                Monitor.Exit(_lock);
            }
        }

        private string ReadString(ref string value)
        {
            Monitor.Enter(_lock);
            try
            {
                return value;
            }
            finally
            {
                Monitor.Exit(_lock);
            }
        }

        private void WriteFlag(ref bool flag, bool value)
        {
            Monitor.Enter(_lock);
            try
            {
                flag = value;
            }
            finally
            {
                Monitor.Exit(_lock);
            }
        }
    }
}
