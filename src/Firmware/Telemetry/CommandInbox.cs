using System.Threading;
using IndraSmartPro.Json;

namespace IndraSmartPro.Telemetry
{
    /// <summary>
    /// Received commands on their way from the network thread to the scheduler: a bounded queue
    /// of slots made in the constructor. A message that is not queued is answered at once on the
    /// network thread, with its id so the platform knows which command to send again: <c>busy</c>
    /// when the queue is full, <c>retained</c> when the broker delivered a retained message (a
    /// retained command would be carried out again at every reconnect, so none ever is). Those
    /// answers go to the outbox's own small queue, so a flood of them cannot crowd out events or
    /// results; when that queue is full too, the oldest answer is dropped and counted as a
    /// command left unanswered, reported in the next drop notice.
    /// </summary>
    public sealed class CommandInbox
    {
        private readonly object _lock = new object();
        private readonly object _answerLock = new object();
        private readonly MqttTopics _topics;
        private readonly MqttOutbox _outbox;
        private readonly InboundMessage[] _slots;
        private readonly JsonDocument _document = CommandProcessor.NewDocument();
        private readonly JsonWriter _answer;
        private int _head;
        private int _count;
        private int _busyCount;
        private int _retainedCount;

        /// <summary>Creates the queue with <paramref name="capacity"/> slots; answers go to <paramref name="outbox"/>.</summary>
        public CommandInbox(MqttTopics topics, MqttOutbox outbox, int capacity, int answerBytes)
        {
            _topics = topics;
            _outbox = outbox;
            _slots = new InboundMessage[capacity];
            for (int i = 0; i < capacity; i++)
            {
                _slots[i] = new InboundMessage(CommandProcessor.MaxPayloadBytes);
            }

            _answer = new JsonWriter(answerBytes);
        }

        /// <summary>Messages answered "busy" since boot.</summary>
        public int BusyCount => Read(ref _busyCount);

        /// <summary>Retained messages refused since boot.</summary>
        public int RetainedCount => Read(ref _retainedCount);

        /// <summary>Queues a received message, or answers it at once (network thread).</summary>
        public void Offer(string topic, byte[] payload, bool retained)
        {
            string reason;
            Monitor.Enter(_lock);
            try
            {
                if (retained)
                {
                    _retainedCount++;
                    reason = CommandProcessor.ReasonRetained;
                }
                else if (_count == _slots.Length)
                {
                    _busyCount++;
                    reason = CommandProcessor.ReasonBusy;
                }
                else
                {
                    _slots[(_head + _count) % _slots.Length].Set(topic, payload);
                    _count++;
                    return;
                }
            }
            finally
            {
                Monitor.Exit(_lock);
            }

            // Parsed for its id outside the queue's lock, so the scheduler's TryTake never waits
            // for it; the answer buffers have a lock of their own.
            Monitor.Enter(_answerLock);
            try
            {
                CommandProcessor.WriteUnqueued(_topics, topic, payload, _document, reason, _answer);
                if (_answer.Overflowed || !_outbox.Enqueue(MqttOutbox.Unqueued, _answer.Buffer, _answer.Length))
                {
                    _outbox.CountUnanswered();
                }
            }
            finally
            {
                Monitor.Exit(_answerLock);
            }
        }

        /// <summary>Takes the oldest queued message into <paramref name="into"/>; false when none waits (scheduler thread).</summary>
        public bool TryTake(InboundMessage into)
        {
            Monitor.Enter(_lock);
            try
            {
                if (_count == 0)
                {
                    return false;
                }

                into.CopyFrom(_slots[_head]);
                _slots[_head].Topic = null;
                _head = (_head + 1) % _slots.Length;
                _count--;
                return true;
            }
            finally
            {
                Monitor.Exit(_lock);
            }
        }

        private int Read(ref int value)
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
    }
}
