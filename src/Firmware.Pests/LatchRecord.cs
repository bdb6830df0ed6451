using IndraSmartPro.Persistence;

namespace IndraSmartPro.Pests
{
    /// <summary>
    /// The persisted latch, kept in two copies under the store keys <see cref="Key"/> and
    /// <see cref="SecondKey"/>, written on every latch and every reset (never in steady state, so
    /// the flash does not wear). Two copies because a store may report a damaged record as missing
    /// (the device's flash store drops a record whose CRC fails): one copy present and the other
    /// not is then visible as damage, and fails safe, instead of looking like a unit that never
    /// latched.
    /// <para>
    /// Format: a <see cref="RecordCodec"/> frame of kind <see cref="RecordKinds.Latch"/>, version 2,
    /// payload 8 bytes: 0 latched (0 or 1); 1 first cause index; 2..3 cause mask (bit i = cause i);
    /// 4..7 lifetime trip count. 17 bytes in all.
    /// Still read (and rewritten as version 2 by <see cref="Upgrade"/>): the version 1 record of
    /// earlier firmware, 12 bytes: 0 magic 'L' (0x4C); 1 version (1); 2 latched; 3 first cause;
    /// 4..5 cause mask; 6..9 trip count; 10..11 CRC-16/CCITT-FALSE of bytes 0..9 (all little-endian).
    /// </para>
    /// Anything else (wrong length, magic, kind, version, CRC, flag, an unknown cause, a latched
    /// flag that disagrees with the causes) decodes as corrupt, which the protection treats as
    /// latched with "latch-record-corrupt": fail safe.
    /// </summary>
    public static class LatchRecord
    {
        /// <summary>The store key.</summary>
        public const string Key = "pest-latch";

        /// <summary>The store key of the second copy.</summary>
        public const string SecondKey = "pest-latch-2";

        /// <summary>Payload layout version written by this firmware.</summary>
        public const int Version = 2;

        /// <summary>Payload length, bytes.</summary>
        public const int PayloadLength = 8;

        /// <summary>Record length in bytes.</summary>
        public const int Length = RecordCodec.OverheadBytes + PayloadLength;

        private const int LegacyLength = 12;
        private const byte LegacyMagic = 0x4C;
        private const byte LegacyVersion = 1;

        /// <summary>Writes a record into <paramref name="buffer"/> (at least <see cref="Length"/> bytes).</summary>
        public static void Encode(byte[] buffer, bool latched, int firstCause, int causeMask, int tripCount)
        {
            const int p = RecordCodec.HeaderBytes;
            RecordCodec.WriteHeader(buffer, 0, RecordKinds.Latch, Version);
            buffer[p] = latched ? (byte)1 : (byte)0;
            buffer[p + 1] = (byte)firstCause;
            LittleEndian.WriteUInt16(buffer, p + 2, causeMask);
            LittleEndian.WriteInt32(buffer, p + 4, tripCount);
            RecordCodec.Seal(buffer, 0, PayloadLength);
        }

        /// <summary>
        /// Decodes a record (this version or version 1). Returns false when it is corrupt; the out
        /// values are then 0/false.
        /// </summary>
        public static bool TryDecode(byte[] buffer, int length, out bool latched, out int firstCause, out int causeMask, out int tripCount)
        {
            latched = false;
            firstCause = TripCauses.None;
            causeMask = 0;
            tripCount = 0;
            int flag;
            int cause;
            int mask;
            int count;
            const int p = RecordCodec.HeaderBytes;
            if (buffer == null || length > buffer.Length)
            {
                return false;
            }

            if (RecordCodec.IsRecord(buffer, length, RecordKinds.Latch, Version, PayloadLength))
            {
                flag = buffer[p];
                cause = buffer[p + 1];
                mask = LittleEndian.ReadUInt16(buffer, p + 2);
                count = LittleEndian.ReadInt32(buffer, p + 4);
            }
            else if (IsLegacy(buffer, length))
            {
                flag = buffer[2];
                cause = buffer[3];
                mask = LittleEndian.ReadUInt16(buffer, 4);
                count = LittleEndian.ReadInt32(buffer, 6);
            }
            else
            {
                return false;
            }

            int validMask = (1 << TripCauses.Count) - 2;
            if (flag > 1 || cause >= TripCauses.Count || (mask & ~validMask) != 0)
            {
                return false;
            }

            bool isLatched = flag == 1;
            // A latched record names its cause and has it in the mask; an unlatched one has neither.
            if (isLatched != (cause != TripCauses.None) || isLatched != (mask != 0) || (isLatched && (mask & TripCauses.Bit(cause)) == 0))
            {
                return false;
            }

            latched = isLatched;
            firstCause = cause;
            causeMask = mask;
            tripCount = count;
            return true;
        }

        /// <summary>
        /// Rewrites, in place, a valid version 1 record as version 2. Returns the new length, or 0
        /// when the bytes are not a valid version 1 record (a current record, or a corrupt one: that
        /// stays as it is, so it still reads as corrupt and fails safe).
        /// </summary>
        public static int Upgrade(byte[] buffer, int length)
        {
            bool latched;
            int cause;
            int mask;
            int count;
            if (!IsLegacy(buffer, length) || !TryDecode(buffer, length, out latched, out cause, out mask, out count))
            {
                return 0;
            }

            Encode(buffer, latched, cause, mask, count);
            return Length;
        }

        private static bool IsLegacy(byte[] buffer, int length)
        {
            return length == LegacyLength && buffer.Length >= LegacyLength
                && buffer[0] == LegacyMagic && buffer[1] == LegacyVersion
                && LittleEndian.ReadUInt16(buffer, 10) == Crc.Crc16CcittFalse(buffer, 10);
        }
    }
}
