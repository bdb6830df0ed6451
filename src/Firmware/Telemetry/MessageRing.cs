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
        private int _head;
        private int _count;
        private long _nextSequence;

        public MessageRing(int capacity, int slotBytes)
        {
            _payload = new byte[capacity][];
            _length = new int[capacity];
            _sequence = new long[capacity];
            for (int i = 0; i < capacity; i++)
            {
                _payload[i] = new byte[slotBytes];
            }
        }

        public int Count => _count;

        public int SlotBytes => _payload[0].Length;

        /// <summary>Appends a copy; returns true if the oldest message was dropped to make room.</summary>
        public bool Push(byte[] payload, int length)
        {
            bool dropped = false;
            int capacity = _payload.Length;
            if (_count == capacity)
            {
                _head = (_head + 1) % capacity;
                _count--;
                dropped = true;
            }

            int slot = (_head + _count) % capacity;
            Array.Copy(payload, _payload[slot], length);
            _length[slot] = length;
            _sequence[slot] = _nextSequence++;
            _count++;
            return dropped;
        }

        /// <summary>A copy of the oldest message (the transport takes whole arrays; network thread only).</summary>
        public byte[] CopyOldest(out long sequence)
        {
            sequence = _sequence[_head];
            byte[] copy = new byte[_length[_head]];
            Array.Copy(_payload[_head], copy, copy.Length);
            return copy;
        }

        /// <summary>Removes the oldest if it is still <paramref name="sequence"/>; false if that one was pushed out meanwhile.</summary>
        public bool RemoveOldest(long sequence)
        {
            if (_count > 0 && _sequence[_head] == sequence)
            {
                _head = (_head + 1) % _payload.Length;
                _count--;
                return true;
            }

            return false;
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

        public LatestMessage(int capacityBytes)
        {
            _buffer = new byte[capacityBytes];
        }

        public bool Pending => _version != _publishedVersion && _length > 0;

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
            byte[] copy = new byte[_length];
            Array.Copy(_buffer, copy, _length);
            return copy;
        }

        public void Published(int version) => _publishedVersion = version;

        /// <summary>Sends the latest again (after a reconnect the broker may have lost a retained one).</summary>
        public void Resend() => _publishedVersion = _version - 1;
    }
}
