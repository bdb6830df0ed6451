using System;
using System.Threading;
using IndraSmartPro.Board;
using IndraSmartPro.Json;
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
    /// then sends queued events and results in order (QoS 1), the latest status (retained) and
    /// the latest power reading. The lock is never held while the transport is called, so a
    /// transport that blocks for a minute delays only this thread.
    /// </para>
    /// </summary>
    public sealed class MqttLink : IMqttMessageSink
    {
        private const int TopicEvent = 0;
        private const int TopicResult = 1;

        private static readonly byte[] OnlinePayload = new byte[] { (byte)'o', (byte)'n', (byte)'l', (byte)'i', (byte)'n', (byte)'e' };
        private static readonly byte[] OfflinePayload = new byte[] { (byte)'o', (byte)'f', (byte)'f', (byte)'l', (byte)'i', (byte)'n', (byte)'e' };

        private readonly object _lock = new object();
        private readonly IMqttTransport _transport;
        private readonly IMicrosecondClock _clock;
        private readonly IRandomSource _random;
        private readonly MqttLinkOptions _options;
        private readonly MqttTopics _topics;
        private IWorkerWake _wake;

        // Guarded by _lock: the latest status and power (latest wins).
        private readonly byte[] _status;
        private int _statusLength;
        private int _statusVersion;
        private readonly byte[] _power;
        private int _powerLength;
        private int _powerVersion;
        private readonly byte[] _large;
        private int _largeLength;
        private int _largeVersion;

        // Guarded by _lock: events and results in order, the oldest dropped when full.
        private readonly byte[][] _outPayload;
        private readonly int[] _outLength;
        private readonly int[] _outTopic;
        private readonly long[] _outSequence;
        private int _outHead;
        private int _outCount;
        private long _outNextSequence;
        private int _droppedTotal;
        private int _droppedUnreported;

        // Guarded by _lock: received messages for the scheduler.
        private readonly InboundMessage[] _inbound;
        private int _inHead;
        private int _inCount;
        private readonly JsonWriter _busyWriter = new JsonWriter(1280);
        private int _busyCount;

        // Network thread only.
        private readonly JsonWriter _noticeWriter = new JsonWriter(128);
        private bool _connected;
        private long _nextAttemptMicroseconds;
        private int _failures;
        private int _statusPublishedVersion;
        private int _powerPublishedVersion;
        private int _largePublishedVersion;
        private int _connects;
        private int _connectFailures;
        private int _publishFailures;
        private int _lastBackoffMilliseconds;
        private int _workerFaults;

        // Shared between threads; read and written only under _lock (nanoFramework has no volatile).
        private bool _lost;
        private bool _isConnected;
        private bool _stopRequested;

        /// <summary>Creates the link. Nothing touches the network until the worker runs.</summary>
        public MqttLink(IMqttTransport transport, IMicrosecondClock clock, IRandomSource random, MqttTopics topics, MqttLinkOptions options)
        {
            if (transport == null || clock == null || random == null || topics == null || options == null)
            {
                throw new ArgumentNullException();
            }

            if (options.OutboxCapacity < 1 || options.InboundCapacity < 1 || options.BackoffInitialMilliseconds < 1
                || options.BackoffMaximumMilliseconds < options.BackoffInitialMilliseconds)
            {
                throw new ArgumentOutOfRangeException("options");
            }

            _transport = transport;
            _clock = clock;
            _random = random;
            _topics = topics;
            _options = options;
            _status = new byte[options.StatusBytes];
            _power = new byte[options.PowerBytes];
            _large = new byte[options.LargeEventBytes];
            _outPayload = new byte[options.OutboxCapacity][];
            _outLength = new int[options.OutboxCapacity];
            _outTopic = new int[options.OutboxCapacity];
            _outSequence = new long[options.OutboxCapacity];
            for (int i = 0; i < options.OutboxCapacity; i++)
            {
                _outPayload[i] = new byte[options.OutboxMessageBytes];
            }

            _inbound = new InboundMessage[options.InboundCapacity];
            for (int i = 0; i < options.InboundCapacity; i++)
            {
                _inbound[i] = new InboundMessage(CommandProcessor.MaxPayloadBytes);
            }

            transport.Sink = this;
        }

        /// <summary>This device's topics.</summary>
        public MqttTopics Topics => _topics;

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

        /// <summary>Events and results dropped because the outbox was full, since boot.</summary>
        public int EventsDropped
        {
            get
            {
                Monitor.Enter(_lock);
                try
                {
                    return _droppedTotal;
                }
                finally
                {
                    Monitor.Exit(_lock);
                }
            }
        }

        /// <summary>Events and results waiting to be sent.</summary>
        public int OutboxCount
        {
            get
            {
                Monitor.Enter(_lock);
                try
                {
                    return _outCount;
                }
                finally
                {
                    Monitor.Exit(_lock);
                }
            }
        }

        /// <summary>Messages answered "busy" because the inbound queue was full.</summary>
        public int BusyCount
        {
            get
            {
                Monitor.Enter(_lock);
                try
                {
                    return _busyCount;
                }
                finally
                {
                    Monitor.Exit(_lock);
                }
            }
        }

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
        public bool SetStatus(byte[] payload, int length)
        {
            return Replace(payload, length, _status, ref _statusLength, ref _statusVersion);
        }

        /// <summary>Replaces the power reading to publish. Returns false if it does not fit. Never blocks on the network.</summary>
        public bool SetPower(byte[] payload, int length)
        {
            return Replace(payload, length, _power, ref _powerLength, ref _powerVersion);
        }

        /// <summary>
        /// Replaces the pending large event (e.g. a trip's disturbance record, too big for an
        /// outbox slot): sent on the event topic at QoS 1 after the outbox, kept until sent, and
        /// only replaced by a newer large event. Returns false if it does not fit.
        /// </summary>
        public bool SetLargeEvent(byte[] payload, int length)
        {
            return Replace(payload, length, _large, ref _largeLength, ref _largeVersion);
        }

        /// <summary>
        /// Replaces one of the latest-value messages (status, power, large event) under the lock and
        /// wakes the worker, which publishes a message whose version it has not sent yet.
        /// </summary>
        private bool Replace(byte[] payload, int length, byte[] target, ref int targetLength, ref int targetVersion)
        {
            if (length > target.Length || length < 0)
            {
                return false;
            }

            Monitor.Enter(_lock);
            try
            {
                Array.Copy(payload, target, length);
                targetLength = length;
                targetVersion++;
            }
            finally
            {
                Monitor.Exit(_lock);
            }

            SignalWorker();
            return true;
        }

        /// <summary>
        /// Queues an event (QoS 1, in order). When the outbox is full the oldest waiting message
        /// is dropped and counted. Returns false only if the payload is larger than a slot.
        /// </summary>
        public bool EnqueueEvent(byte[] payload, int length) => Enqueue(TopicEvent, payload, length);

        /// <summary>Queues a command result (QoS 1, in order with events).</summary>
        public bool EnqueueResult(byte[] payload, int length) => Enqueue(TopicResult, payload, length);

        /// <summary>Takes the oldest received message into <paramref name="into"/>; false when none is waiting.</summary>
        public bool TryTakeCommand(InboundMessage into)
        {
            Monitor.Enter(_lock);
            try
            {
                if (_inCount == 0)
                {
                    return false;
                }

                into.CopyFrom(_inbound[_inHead]);
                _inbound[_inHead].Topic = null;
                _inHead = (_inHead + 1) % _inbound.Length;
                _inCount--;
                return true;
            }
            finally
            {
                Monitor.Exit(_lock);
            }
        }

        private bool Enqueue(int topic, byte[] payload, int length)
        {
            if (length > _options.OutboxMessageBytes || length < 0)
            {
                return false;
            }

            Monitor.Enter(_lock);
            try
            {
                EnqueueLocked(topic, payload, length);
            }
            finally
            {
                Monitor.Exit(_lock);
            }

            SignalWorker();
            return true;
        }

        private void EnqueueLocked(int topic, byte[] payload, int length)
        {
            int capacity = _outPayload.Length;
            if (_outCount == capacity)
            {
                _outHead = (_outHead + 1) % capacity;
                _outCount--;
                _droppedTotal++;
                _droppedUnreported++;
            }

            int slot = (_outHead + _outCount) % capacity;
            Array.Copy(payload, _outPayload[slot], length);
            _outLength[slot] = length;
            _outTopic[slot] = topic;
            _outSequence[slot] = _outNextSequence++;
            _outCount++;
        }

        // ---------------------------------------------------------------- transport's thread

        /// <summary>Queues a received message for the scheduler; answers "busy" at once if the queue is full.</summary>
        public void OnMessage(string topic, byte[] payload)
        {
            Monitor.Enter(_lock);
            try
            {
                if (_inCount == _inbound.Length)
                {
                    _busyCount++;
                    CommandProcessor.WriteBusy(_topics, topic, _busyWriter);
                    if (!_busyWriter.Overflowed)
                    {
                        EnqueueLocked(TopicResult, _busyWriter.Buffer, _busyWriter.Length);
                    }
                }
                else
                {
                    _inbound[(_inHead + _inCount) % _inbound.Length].Set(topic, payload);
                    _inCount++;
                }
            }
            finally
            {
                Monitor.Exit(_lock);
            }

            SignalWorker();
        }

        /// <summary>Notes that the session dropped; the worker reconnects.</summary>
        public void OnConnectionLost()
        {
            WriteFlag(ref _lost, true);
            SignalWorker();
        }

        // ---------------------------------------------------------------- network worker

        /// <summary>
        /// Does the network work that is due: connect when disconnected and the backoff has
        /// passed, else publish what is waiting. Called only from the network thread. Returns
        /// how long to wait before the next call, in milliseconds (sooner if woken).
        /// </summary>
        public int Step()
        {
            long now = _clock.NowMicroseconds;
            if (_connected && (ReadFlag(ref _lost) || !SafeIsConnected()))
            {
                Dropped(now);
            }

            if (!_connected)
            {
                if (now < _nextAttemptMicroseconds)
                {
                    return MillisecondsUntil(now, _nextAttemptMicroseconds);
                }

                if (!TryConnect())
                {
                    Failed(_clock.NowMicroseconds);
                    _connectFailures++;
                    return MillisecondsUntil(_clock.NowMicroseconds, _nextAttemptMicroseconds);
                }
            }

            while (_connected && !ReadFlag(ref _stopRequested))
            {
                int published = PublishNext();
                if (published < 0)
                {
                    _publishFailures++;
                    Dropped(_clock.NowMicroseconds);
                    return MillisecondsUntil(_clock.NowMicroseconds, _nextAttemptMicroseconds);
                }

                if (published == 0)
                {
                    break;
                }
            }

            return _options.IdleWaitMilliseconds;
        }

        /// <summary>
        /// The network thread's loop: <see cref="Step"/>, then wait until woken or the step's
        /// delay passes, until <see cref="Stop"/>. Then says "offline" and disconnects cleanly.
        /// </summary>
        public void Run()
        {
            IWorkerWake wake = _wake;
            if (wake == null)
            {
                throw new InvalidOperationException("set Wake before Run");
            }

            while (!ReadFlag(ref _stopRequested))
            {
                int wait;
                try
                {
                    wait = Step();
                }
                catch (Exception)
                {
                    // The network thread must outlive any fault of its own (a transport that
                    // throws is already handled in Step): drop the session and try again later.
                    _workerFaults++;
                    SafeDisconnect();
                    _connected = false;
                    WriteFlag(ref _isConnected, false);
                    Failed(_clock.NowMicroseconds);
                    wait = MillisecondsUntil(_clock.NowMicroseconds, _nextAttemptMicroseconds);
                }

                if (ReadFlag(ref _stopRequested))
                {
                    break;
                }

                wake.Wait(wait < 1 ? 1 : wait);
            }

            Shutdown();
        }

        /// <summary>Asks <see cref="Run"/> to finish; returns at once.</summary>
        public void Stop()
        {
            WriteFlag(ref _stopRequested, true);
            SignalWorker();
        }

        /// <summary>Publishes "offline" (retained) and closes the session; network thread only.</summary>
        public void Shutdown()
        {
            if (_connected)
            {
                SafePublish(_topics.Availability, OfflinePayload, 1, true);
                SafeDisconnect();
                _connected = false;
                WriteFlag(ref _isConnected, false);
            }
        }

        /// <summary>
        /// The reconnect delay after <paramref name="failures"/> consecutive failures (≥ 1):
        /// ceiling = min(maximum, initial × 2^(failures−1)); delay uniformly in
        /// [ceiling/2, ceiling] ("equal jitter"), so a fleet spreads out but never retries in a tight loop.
        /// </summary>
        public static int BackoffMilliseconds(int failures, int initialMilliseconds, int maximumMilliseconds, IRandomSource random)
        {
            long ceiling = initialMilliseconds;
            for (int i = 1; i < failures && ceiling < maximumMilliseconds; i++)
            {
                ceiling *= 2;
            }

            if (ceiling > maximumMilliseconds)
            {
                ceiling = maximumMilliseconds;
            }

            int half = (int)(ceiling / 2);
            return half + random.Next((int)ceiling - half + 1);
        }

        private bool TryConnect()
        {
            WriteFlag(ref _lost, false);
            string clientId = _options.ClientId != null ? _options.ClientId : _topics.Serial;
            try
            {
                if (!_transport.Connect(clientId, _options.UserName, _options.Password, _topics.Availability, OfflinePayload))
                {
                    return false;
                }

                if (!_transport.Subscribe(_topics.CommandFilter, 1) || !_transport.Publish(_topics.Availability, OnlinePayload, 1, true))
                {
                    SafeDisconnect();
                    return false;
                }
            }
            catch (Exception)
            {
                // A transport that throws is a failed attempt like any other; the worker lives on.
                SafeDisconnect();
                return false;
            }

            _connected = true;
            WriteFlag(ref _isConnected, true);
            _failures = 0;
            _connects++;

            // The broker may have lost the retained status (or it is stale): send the latest again.
            _statusPublishedVersion = -1;
            _powerPublishedVersion = -1;
            return true;
        }

        private void Dropped(long now)
        {
            SafeDisconnect();
            _connected = false;
            WriteFlag(ref _isConnected, false);
            Failed(now);
        }

        private void Failed(long now)
        {
            _failures++;
            _lastBackoffMilliseconds = BackoffMilliseconds(_failures, _options.BackoffInitialMilliseconds, _options.BackoffMaximumMilliseconds, _random);
            _nextAttemptMicroseconds = now + (_lastBackoffMilliseconds * 1000L);
        }

        // Publishes the next waiting message. 1 = sent one, 0 = nothing waiting, -1 = failed.
        private int PublishNext()
        {
            string topic;
            byte[] payload;
            int qos;
            bool retain;
            int kind; // 0 notice, 1 outbox, 2 status, 3 power, 4 large event
            long sequence = 0;
            int version = 0;
            int noticeCount = 0;
            Monitor.Enter(_lock);
            try
            {
                if (_droppedUnreported > 0)
                {
                    noticeCount = _droppedUnreported;
                    JsonWriter w = _noticeWriter;
                    w.Reset();
                    w.BeginObject();
                    w.Property("v", MqttTopics.ContractVersion);
                    w.Property("type", "events-dropped");
                    w.Property("count", noticeCount);
                    w.Property("total", _droppedTotal);
                    w.EndObject();
                    kind = 0;
                    topic = _topics.Event;
                    payload = Copy(w.Buffer, w.Length);
                    qos = 1;
                    retain = false;
                }
                else if (_outCount > 0)
                {
                    kind = 1;
                    topic = _outTopic[_outHead] == TopicResult ? _topics.Result : _topics.Event;
                    payload = Copy(_outPayload[_outHead], _outLength[_outHead]);
                    sequence = _outSequence[_outHead];
                    qos = 1;
                    retain = false;
                }
                else if (_largeVersion != _largePublishedVersion && _largeLength > 0)
                {
                    kind = 4;
                    topic = _topics.Event;
                    payload = Copy(_large, _largeLength);
                    version = _largeVersion;
                    qos = 1;
                    retain = false;
                }
                else if (_statusVersion != _statusPublishedVersion && _statusLength > 0)
                {
                    kind = 2;
                    topic = _topics.Status;
                    payload = Copy(_status, _statusLength);
                    version = _statusVersion;
                    qos = 1;
                    retain = true;
                }
                else if (_powerVersion != _powerPublishedVersion && _powerLength > 0)
                {
                    kind = 3;
                    topic = _topics.Power;
                    payload = Copy(_power, _powerLength);
                    version = _powerVersion;
                    qos = 0;
                    retain = false;
                }
                else
                {
                    return 0;
                }
            }
            finally
            {
                Monitor.Exit(_lock);
            }

            if (!SafePublish(topic, payload, qos, retain))
            {
                return -1;
            }

            Monitor.Enter(_lock);
            try
            {
                switch (kind)
                {
                    case 0:
                        _droppedUnreported -= noticeCount;
                        break;
                    case 1:
                        if (_outCount > 0 && _outSequence[_outHead] == sequence)
                        {
                            _outHead = (_outHead + 1) % _outPayload.Length;
                            _outCount--;
                        }
                        else if (_droppedUnreported > 0)
                        {
                            // It was pushed out as the oldest while in flight, yet it did arrive.
                            _droppedUnreported--;
                            _droppedTotal--;
                        }

                        break;
                    case 2:
                        _statusPublishedVersion = version;
                        break;
                    case 4:
                        _largePublishedVersion = version;
                        break;
                    default:
                        _powerPublishedVersion = version;
                        break;
                }
            }
            finally
            {
                Monitor.Exit(_lock);
            }

            return 1;
        }

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

        private static byte[] Copy(byte[] source, int length)
        {
            // The transport takes a whole array; this allocation is on the network thread only.
            byte[] copy = new byte[length];
            Array.Copy(source, copy, length);
            return copy;
        }

        private bool SafeIsConnected()
        {
            try
            {
                return _transport.IsConnected;
            }
            catch (Exception)
            {
                return false;
            }
        }

        private bool SafePublish(string topic, byte[] payload, int qos, bool retain)
        {
            try
            {
                return _transport.Publish(topic, payload, qos, retain);
            }
            catch (Exception)
            {
                return false;
            }
        }

        private void SafeDisconnect()
        {
            try
            {
                _transport.Disconnect();
            }
            catch (Exception)
            {
                // Disconnect is documented never to throw; a transport that does is already down.
            }
        }

        private static int MillisecondsUntil(long now, long then)
        {
            long ms = (then - now + 999) / 1000;
            if (ms < 1)
            {
                return 1;
            }

            return ms > int.MaxValue ? int.MaxValue : (int)ms;
        }
    }
}
