using System.Threading;

namespace IndraSmartPro.Telemetry
{
    /// <summary>
    /// What the link has to send, in bounded queues by priority (docs/mqtt.md "Queues and
    /// priorities"). The scheduler side fills it, the network thread takes from it; every call
    /// holds one short lock and never waits for the network.
    /// <para>
    /// The network thread always sends the first waiting message in this order:
    /// safety and session events, the status (retained), a large event (disturbance record),
    /// command results, the drop notice, other events, answers given without queuing
    /// (<c>busy</c>, <c>retained</c>), the power reading. Each queue drops its own oldest message
    /// when full, so a flood of one kind can never push out a message of another kind: results,
    /// busy answers and low-priority events never cost a trip event its place.
    /// </para>
    /// </summary>
    public sealed class MqttOutbox
    {
        /// <summary>A message kind, in send order (lower first).</summary>
        public const int PriorityEvent = 0, Status = 1, LargeEvent = 2, Result = 3, Notice = 4, LowEvent = 5, Unqueued = 6, Power = 7;

        private readonly object _lock = new object();
        private readonly MessageRing _priority;
        private readonly MessageRing _results;
        private readonly MessageRing _low;
        private readonly MessageRing _unqueued;
        private readonly LatestMessage _status;
        private readonly LatestMessage _large;
        private readonly LatestMessage _notice;
        private readonly LatestMessage _power;
        private int _eventsDroppedTotal;
        private int _eventsDroppedUnreported;
        private int _unansweredTotal;
        private int _unansweredUnreported;

        // Messages handed to the transport and not yet acknowledged: kind, sequence (or version), token.
        private readonly int[] _flightKind;
        private readonly long[] _flightSequence;
        private readonly int[] _flightToken;
        private readonly bool[] _flightActive;
        private int _inFlight;
        private int _nextToken;

        /// <summary>Makes every queue and buffer now, sized by <paramref name="options"/>.</summary>
        public MqttOutbox(MqttLinkOptions options)
        {
            _priority = new MessageRing(options.OutboxCapacity, options.OutboxMessageBytes);
            _results = new MessageRing(options.ResultCapacity, options.OutboxMessageBytes);
            _low = new MessageRing(options.LowEventCapacity, options.OutboxMessageBytes);
            _unqueued = new MessageRing(options.UnqueuedAnswerCapacity, options.OutboxMessageBytes);
            _status = new LatestMessage(options.StatusBytes);
            _large = new LatestMessage(options.LargeEventBytes);
            _notice = new LatestMessage(options.OutboxMessageBytes);
            _power = new LatestMessage(options.PowerBytes);
            int window = options.MaxInFlight < 1 ? 1 : options.MaxInFlight;
            _flightKind = new int[window];
            _flightSequence = new long[window];
            _flightToken = new int[window];
            _flightActive = new bool[window];
        }

        /// <summary>Messages handed to the transport whose acknowledgement has not come yet.</summary>
        public int InFlight
        {
            get
            {
                Monitor.Enter(_lock);
                try
                {
                    return _inFlight;
                }
                finally
                {
                    Monitor.Exit(_lock);
                }
            }
        }

        /// <summary>Messages waiting in the queues (not counting the latest-value messages).</summary>
        public int QueuedCount
        {
            get
            {
                Monitor.Enter(_lock);
                try
                {
                    return _priority.Count + _results.Count + _low.Count + _unqueued.Count;
                }
                finally
                {
                    Monitor.Exit(_lock);
                }
            }
        }

        /// <summary>Events dropped because their queue was full, since boot.</summary>
        public int EventsDropped => Read(ref _eventsDroppedTotal);

        /// <summary>Commands left without an answer since boot: a result or a busy answer dropped because its queue was full.</summary>
        public int CommandsUnanswered => Read(ref _unansweredTotal);

        /// <summary>True while a drop notice waits to be sent.</summary>
        public bool NoticePending
        {
            get
            {
                Monitor.Enter(_lock);
                try
                {
                    return _notice.Pending;
                }
                finally
                {
                    Monitor.Exit(_lock);
                }
            }
        }

        /// <summary>Queues a message of a queued kind (<see cref="PriorityEvent"/>, <see cref="Result"/>, <see cref="LowEvent"/>, <see cref="Unqueued"/>). False if it does not fit a slot.</summary>
        public bool Enqueue(int kind, byte[] payload, int length)
        {
            MessageRing ring = RingOf(kind);
            if (length < 0 || length > ring.SlotBytes)
            {
                return false;
            }

            Monitor.Enter(_lock);
            try
            {
                if (ring.Push(payload, length))
                {
                    CountDrop(kind, 1);
                }
            }
            finally
            {
                Monitor.Exit(_lock);
            }

            return true;
        }

        /// <summary>Counts a command that gets no answer at all (its answer could not even be written).</summary>
        public void CountUnanswered()
        {
            Monitor.Enter(_lock);
            try
            {
                CountDrop(Unqueued, 1);
            }
            finally
            {
                Monitor.Exit(_lock);
            }
        }

        /// <summary>Replaces a latest-value message (<see cref="Status"/>, <see cref="LargeEvent"/>, <see cref="Notice"/>, <see cref="Power"/>). False if it does not fit.</summary>
        public bool Replace(int kind, byte[] payload, int length)
        {
            Monitor.Enter(_lock);
            try
            {
                return LatestOf(kind).Replace(payload, length);
            }
            finally
            {
                Monitor.Exit(_lock);
            }
        }

        /// <summary>
        /// Takes the drops not yet reported (events, unanswered commands) and the totals since
        /// boot, for a drop notice. False (and nothing taken) when there is nothing new to report.
        /// </summary>
        public bool TakeUnreported(out int events, out int eventsTotal, out int unanswered, out int unansweredTotal)
        {
            Monitor.Enter(_lock);
            try
            {
                events = _eventsDroppedUnreported;
                eventsTotal = _eventsDroppedTotal;
                unanswered = _unansweredUnreported;
                unansweredTotal = _unansweredTotal;
                if (events == 0 && unanswered == 0)
                {
                    return false;
                }

                _eventsDroppedUnreported = 0;
                _unansweredUnreported = 0;
                return true;
            }
            finally
            {
                Monitor.Exit(_lock);
            }
        }

        /// <summary>After a reconnect: send the latest status and power again.</summary>
        public void ResendLatest()
        {
            Monitor.Enter(_lock);
            try
            {
                _status.Resend();
                _power.Resend();
            }
            finally
            {
                Monitor.Exit(_lock);
            }
        }

        /// <summary>
        /// Copies the first message to send that is not already in flight into <paramref name="into"/>
        /// and counts it in flight under a new token (network thread only; the copy is the one
        /// allocation, made there). False when nothing waits or the window of
        /// <see cref="MqttLinkOptions.MaxInFlight"/> messages is full.
        /// </summary>
        public bool TakeNext(OutgoingMessage into)
        {
            Monitor.Enter(_lock);
            try
            {
                if (_inFlight == _flightActive.Length)
                {
                    return false;
                }

                for (int kind = PriorityEvent; kind <= Power; kind++)
                {
                    if (IsQueued(kind))
                    {
                        MessageRing ring = RingOf(kind);
                        if (ring.HasUnsent)
                        {
                            into.Kind = kind;
                            into.Payload = ring.CopyNextUnsent(out into.Sequence);
                            into.Token = Fly(kind, into.Sequence);
                            return true;
                        }
                    }
                    else
                    {
                        LatestMessage latest = LatestOf(kind);
                        if (latest.Pending)
                        {
                            int version;
                            into.Kind = kind;
                            into.Payload = latest.Copy(out version);
                            into.Sequence = version;
                            into.Token = Fly(kind, version);
                            return true;
                        }
                    }
                }

                return false;
            }
            finally
            {
                Monitor.Exit(_lock);
            }
        }

        /// <summary>
        /// The broker acknowledged the message sent under <paramref name="token"/>: it leaves its
        /// queue (or its version counts as published). An unknown token (from a session that has
        /// since dropped) is ignored.
        /// </summary>
        public void Acknowledged(int token)
        {
            Monitor.Enter(_lock);
            try
            {
                for (int i = 0; i < _flightActive.Length; i++)
                {
                    if (_flightActive[i] && _flightToken[i] == token)
                    {
                        _flightActive[i] = false;
                        _inFlight--;
                        int kind = _flightKind[i];
                        if (IsQueued(kind))
                        {
                            if (!RingOf(kind).Acknowledge(_flightSequence[i]))
                            {
                                // It was pushed out as the oldest while in flight, yet it did arrive.
                                CountDrop(kind, -1);
                            }
                        }
                        else
                        {
                            LatestOf(kind).Published((int)_flightSequence[i]);
                        }

                        return;
                    }
                }
            }
            finally
            {
                Monitor.Exit(_lock);
            }
        }

        /// <summary>After the session dropped: forget what was in flight; all of it is sent again in order.</summary>
        public void ResendUnacknowledged()
        {
            Monitor.Enter(_lock);
            try
            {
                for (int i = 0; i < _flightActive.Length; i++)
                {
                    _flightActive[i] = false;
                }

                _inFlight = 0;
                _priority.ResendUnacknowledged();
                _results.ResendUnacknowledged();
                _low.ResendUnacknowledged();
                _unqueued.ResendUnacknowledged();
                _status.ResendUnacknowledged();
                _large.ResendUnacknowledged();
                _notice.ResendUnacknowledged();
                _power.ResendUnacknowledged();
            }
            finally
            {
                Monitor.Exit(_lock);
            }
        }

        private int Fly(int kind, long sequence)
        {
            for (int i = 0; i < _flightActive.Length; i++)
            {
                if (!_flightActive[i])
                {
                    _flightActive[i] = true;
                    _flightKind[i] = kind;
                    _flightSequence[i] = sequence;
                    _nextToken = _nextToken == int.MaxValue ? 1 : _nextToken + 1;
                    _flightToken[i] = _nextToken;
                    _inFlight++;
                    return _nextToken;
                }
            }

            return 0;
        }

        private static bool IsQueued(int kind) => kind == PriorityEvent || kind == Result || kind == LowEvent || kind == Unqueued;

        private void CountDrop(int kind, int delta)
        {
            if (kind == PriorityEvent || kind == LowEvent)
            {
                _eventsDroppedTotal += delta;
                if (delta > 0 || _eventsDroppedUnreported > 0)
                {
                    _eventsDroppedUnreported += delta;
                }
            }
            else
            {
                _unansweredTotal += delta;
                if (delta > 0 || _unansweredUnreported > 0)
                {
                    _unansweredUnreported += delta;
                }
            }
        }

        private MessageRing RingOf(int kind)
        {
            switch (kind)
            {
                case PriorityEvent:
                    return _priority;
                case Result:
                    return _results;
                case LowEvent:
                    return _low;
                default:
                    return _unqueued;
            }
        }

        private LatestMessage LatestOf(int kind)
        {
            switch (kind)
            {
                case Status:
                    return _status;
                case LargeEvent:
                    return _large;
                case Notice:
                    return _notice;
                default:
                    return _power;
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

    /// <summary>One message on its way from the outbox to the transport (network thread only).</summary>
    public sealed class OutgoingMessage
    {
        /// <summary>Its <see cref="MqttOutbox"/> kind.</summary>
        public int Kind;

        /// <summary>Its ring sequence number, or its latest-value version.</summary>
        public long Sequence;

        /// <summary>The token its acknowledgement is reported with.</summary>
        public int Token;

        /// <summary>The bytes to publish.</summary>
        public byte[] Payload;
    }
}
