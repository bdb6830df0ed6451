using System;

namespace IndraSmartPro.Telemetry
{
    /// <summary>
    /// A received message on its way from the network thread to the scheduler thread. The
    /// payload buffer is sized once; a payload larger than it is not copied, only its length is
    /// kept (<see cref="ReceivedLength"/>), so oversized input costs nothing and is rejected.
    /// </summary>
    public sealed class InboundMessage
    {
        /// <summary>Creates a message slot whose payload holds up to <paramref name="capacityBytes"/>.</summary>
        public InboundMessage(int capacityBytes)
        {
            Payload = new byte[capacityBytes];
        }

        /// <summary>The topic it arrived on.</summary>
        public string Topic;

        /// <summary>The payload bytes; valid bytes are [0, <see cref="Length"/>).</summary>
        public readonly byte[] Payload;

        /// <summary>Bytes copied into <see cref="Payload"/> (0 when oversized).</summary>
        public int Length;

        /// <summary>The payload's length as received.</summary>
        public int ReceivedLength;

        /// <summary>True when the payload did not fit and was not copied.</summary>
        public bool Oversized => ReceivedLength > Payload.Length;

        /// <summary>Fills this slot from a received message.</summary>
        public void Set(string topic, byte[] payload)
        {
            Topic = topic;
            int received = payload == null ? 0 : payload.Length;
            ReceivedLength = received;
            if (received <= Payload.Length)
            {
                if (received > 0)
                {
                    Array.Copy(payload, Payload, received);
                }

                Length = received;
            }
            else
            {
                Length = 0;
            }
        }

        /// <summary>Copies another slot into this one.</summary>
        public void CopyFrom(InboundMessage other)
        {
            Topic = other.Topic;
            ReceivedLength = other.ReceivedLength;
            Length = other.Length < Payload.Length ? other.Length : Payload.Length;
            Array.Copy(other.Payload, Payload, Length);
        }
    }
}
