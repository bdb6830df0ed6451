using System;

namespace IndraSmartPro.Telemetry
{
    /// <summary>
    /// A bounded first-in-first-out queue of messages, every slot made in the constructor. When
    /// full, the oldest is dropped to make room (the caller counts it). Each message gets a
    /// sequence number so the sender can tell, after a publish, whether the message it sent is
    /// still the oldest or was pushed out meanwhile. Not thread-safe: <see cref="MqttOutbox"/>
    /// holds its lock around every call.
    /// </summary>
    internal sealed class MessageRing
    {
        private readonly byte[][] _payload;
        private readonly int[] _length;
        private readonly long[] _sequence;
        private readonly bool[] _acknowledged;
        private int _head;
        private int _count;
        private int _sent;
        private long _nextSequence;

        public MessageRing(int capacity, int slotBytes)
        {
            _payload = new byte[capacity][];
            _length = new int[capacity];
            _sequence = new long[capacity];
            _acknowledged = new bool[capacity];
            for (int i = 0; i < capacity; i++)
            {
                _payload[i] = new byte[slotBytes];
            }
        }

        public int Count => _count;

        /// <summary>True when a message waits that has not been handed to the transport yet.</summary>
        public bool HasUnsent => _sent < _count;

        public int SlotBytes => _payload[0].Length;

        /// <summary>Appends a copy; returns true if the oldest message was dropped to make room.</summary>
        public bool Push(byte[] payload, int length)
        {
            bool dropped = false;
            int capacity = _payload.Length;
            if (_count == capacity)
            {
                _acknowledged[_head] = false;
                _head = (_head + 1) % capacity;
                _count--;
                if (_sent > 0)
                {
                    // The dropped one was in flight; its acknowledgement will find nothing.
                    _sent--;
                }

                dropped = true;
            }

            int slot = (_head + _count) % capacity;
            Array.Copy(payload, _payload[slot], length);
            _length[slot] = length;
            _sequence[slot] = _nextSequence++;
            _acknowledged[slot] = false;
            _count++;
            return dropped;
        }

        /// <summary>
        /// A copy of the oldest message not yet handed to the transport, now counted as in flight
        /// (the transport takes whole arrays; network thread only).
        /// </summary>
        public byte[] CopyNextUnsent(out long sequence)
        {
            int slot = (_head + _sent) % _payload.Length;
            _sent++;
            sequence = _sequence[slot];
            byte[] copy = new byte[_length[slot]];
            Array.Copy(_payload[slot], copy, copy.Length);
            return copy;
        }

        /// <summary>
        /// Marks <paramref name="sequence"/> delivered and removes the delivered run at the head
        /// (acknowledgements may come out of order; the queue empties in order). False if that
        /// message was pushed out while in flight.
        /// </summary>
        public bool Acknowledge(long sequence)
        {
            bool found = false;
            for (int i = 0; i < _sent; i++)
            {
                int slot = (_head + i) % _payload.Length;
                if (_sequence[slot] == sequence)
                {
                    _acknowledged[slot] = true;
                    found = true;
                    break;
                }
            }

            while (_count > 0 && _acknowledged[_head])
            {
                _acknowledged[_head] = false;
                _head = (_head + 1) % _payload.Length;
                _count--;
                _sent--;
            }

            return found;
        }

        /// <summary>After the session dropped: every unacknowledged message is sent again.</summary>
        public void ResendUnacknowledged()
        {
            for (int i = 0; i < _count; i++)
            {
                _acknowledged[(_head + i) % _payload.Length] = false;
            }

            _sent = 0;
        }
    }

    /// <summary>
    /// A latest-value message (status, power, a large event, the drop notice): replaced whole,
    /// published when its version has not been sent yet. Guarded like <see cref="MessageRing"/>.
    /// </summary>
    internal sealed class LatestMessage
    {
        private readonly byte[] _buffer;
        private int _length;
        private int _version;
        private int _publishedVersion;
        private int _inFlightVersion = -1;

        public LatestMessage(int capacityBytes)
        {
            _buffer = new byte[capacityBytes];
        }

        /// <summary>A version not yet published waits, and it is not the one in flight.</summary>
        public bool Pending => _version != _publishedVersion && _version != _inFlightVersion && _length > 0;

        public bool Replace(byte[] payload, int length)
        {
            if (length > _buffer.Length || length < 0)
            {
                return false;
            }

            Array.Copy(payload, _buffer, length);
            _length = length;
            _version++;
            return true;
        }

        public byte[] Copy(out int version)
        {
            version = _version;
            _inFlightVersion = version;
            byte[] copy = new byte[_length];
            Array.Copy(_buffer, copy, _length);
            return copy;
        }

        public void Published(int version)
        {
            _publishedVersion = version;
            if (_inFlightVersion == version)
            {
                _inFlightVersion = -1;
            }
        }

        /// <summary>After the session dropped: what was in flight is sent again (if still the latest).</summary>
        public void ResendUnacknowledged() => _inFlightVersion = -1;

        /// <summary>Sends the latest again (after a reconnect the broker may have lost a retained one).</summary>
        public void Resend()
        {
            _publishedVersion = _version - 1;
            _inFlightVersion = -1;
        }
    }
}
