using IndraSmartPro.Persistence;

namespace IndraSmartPro.ControlPilot
{
    /// <summary>
    /// The persisted energy counters (<see cref="EnergyMeter"/>): a <see cref="RecordCodec"/> frame
    /// of kind <see cref="RecordKinds.Energy"/>, version 2, payload 29 bytes (38 in all):
    /// <code>
    /// payload offset size field
    ///  0             8    lifetime energy, whole Wh (int64 LE)
    ///  8             8    lifetime remainder below 1 Wh, mW·µs (int64 LE, 0 .. 3.6·10^12 − 1)
    ///  16            4    sessions started since commissioning (int32 LE)
    ///  20            8    the open (or last) session's energy, whole Wh (int64 LE)
    ///  28            1    1 while a session is open, else 0
    /// </code>
    /// Earlier firmware wrote the same values with no header or CRC: 40 bytes (five int64 LE:
    /// lifetime Wh, remainder, session count, session Wh, open flag), or 24 bytes (the first three).
    /// Those are still read, with the range checks they always had, and rewritten in this format by
    /// <see cref="Upgrade"/>; a new record that fails its CRC or a range check is rejected whole.
    /// </summary>
    public static class EnergyRecord
    {
        /// <summary>Payload layout version written by this firmware.</summary>
        public const int Version = 2;

        /// <summary>Payload length, bytes.</summary>
        public const int PayloadLength = 29;

        /// <summary>Record length, bytes.</summary>
        public const int Length = RecordCodec.OverheadBytes + PayloadLength;

        private const int LegacyLength = 40;
        private const int LegacyShortLength = 24;

        /// <summary>Writes a record into <paramref name="buffer"/> (at least <see cref="Length"/> bytes); returns its length.</summary>
        public static int Encode(byte[] buffer, long lifetimeWattHours, long lifetimeRemainderMilliwattMicroseconds, int sessionCount, long sessionWattHours, bool sessionOpen)
        {
            const int p = RecordCodec.HeaderBytes;
            RecordCodec.WriteHeader(buffer, 0, RecordKinds.Energy, Version);
            LittleEndian.WriteInt64(buffer, p, lifetimeWattHours);
            LittleEndian.WriteInt64(buffer, p + 8, lifetimeRemainderMilliwattMicroseconds);
            LittleEndian.WriteInt32(buffer, p + 16, sessionCount);
            LittleEndian.WriteInt64(buffer, p + 20, sessionWattHours);
            buffer[p + 28] = sessionOpen ? (byte)1 : (byte)0;
            return RecordCodec.Seal(buffer, 0, PayloadLength);
        }

        /// <summary>
        /// Decodes a record of this version or an earlier one. False when there is nothing usable:
        /// a damaged record, or values out of range (counting starts from zero rather than from
        /// garbage). <paramref name="sessionOpen"/> is false for the short earlier record, which did
        /// not keep it.
        /// </summary>
        public static bool TryDecode(byte[] buffer, int length, out long lifetimeWattHours, out long lifetimeRemainderMilliwattMicroseconds, out int sessionCount, out long sessionWattHours, out bool sessionOpen)
        {
            const int p = RecordCodec.HeaderBytes;
            lifetimeWattHours = 0;
            lifetimeRemainderMilliwattMicroseconds = 0;
            sessionCount = 0;
            sessionWattHours = 0;
            sessionOpen = false;
            long count;
            int open;
            if (buffer == null || length > buffer.Length)
            {
                return false;
            }

            if (RecordCodec.IsRecord(buffer, length, RecordKinds.Energy, Version, PayloadLength))
            {
                lifetimeWattHours = LittleEndian.ReadInt64(buffer, p);
                lifetimeRemainderMilliwattMicroseconds = LittleEndian.ReadInt64(buffer, p + 8);
                count = LittleEndian.ReadInt32(buffer, p + 16);
                sessionWattHours = LittleEndian.ReadInt64(buffer, p + 20);
                open = buffer[p + 28];
            }
            else if (length == LegacyLength || length == LegacyShortLength)
            {
                lifetimeWattHours = LittleEndian.ReadInt64(buffer, 0);
                lifetimeRemainderMilliwattMicroseconds = LittleEndian.ReadInt64(buffer, 8);
                count = LittleEndian.ReadInt64(buffer, 16);
                sessionWattHours = length == LegacyLength ? LittleEndian.ReadInt64(buffer, 24) : 0;
                open = length == LegacyLength && LittleEndian.ReadInt64(buffer, 32) == 1 ? 1 : 0;
            }
            else
            {
                return false;
            }

            if (lifetimeWattHours < 0 || lifetimeRemainderMilliwattMicroseconds < 0
                || lifetimeRemainderMilliwattMicroseconds >= EnergyMeter.MilliwattMicrosecondsPerWattHour
                || count < 0 || count > int.MaxValue || open > 1)
            {
                lifetimeWattHours = 0;
                lifetimeRemainderMilliwattMicroseconds = 0;
                sessionWattHours = 0;
                return false;
            }

            sessionCount = (int)count;
            if (sessionWattHours < 0)
            {
                sessionWattHours = 0;
            }

            sessionOpen = open == 1 && sessionCount > 0;
            return true;
        }

        /// <summary>
        /// Rewrites, in place, a usable record of earlier firmware (no header, no CRC) in this
        /// format. Returns the new length, or 0 when there is nothing to upgrade (already current,
        /// or unusable: left as it is).
        /// </summary>
        public static int Upgrade(byte[] buffer, int length)
        {
            long lifetime;
            long remainder;
            int count;
            long session;
            bool open;
            if ((length != LegacyLength && length != LegacyShortLength) || buffer.Length < Length
                || RecordCodec.IsRecord(buffer, length, RecordKinds.Energy, Version, PayloadLength)
                || !TryDecode(buffer, length, out lifetime, out remainder, out count, out session, out open))
            {
                return 0;
            }

            return Encode(buffer, lifetime, remainder, count, session, open);
        }
    }
}
