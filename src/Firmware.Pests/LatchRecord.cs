namespace IndraSmartPro.Pests
{
    /// <summary>
    /// The persisted latch: 12 bytes, kept in two copies under the store keys <see cref="Key"/> and
    /// <see cref="SecondKey"/>, written on every latch and every reset (never in steady state, so
    /// the flash does not wear). Two copies because a store may report a damaged record as missing
    /// (the device's flash store drops a record whose CRC fails): one copy present and the other
    /// not is then visible as damage, and fails safe, instead of looking like a unit that never
    /// latched.
    /// Layout: 0 magic 'L' (0x4C); 1 version (1); 2 latched (0 or 1); 3 first cause index;
    /// 4..5 cause mask (little endian, bit i = cause i); 6..9 lifetime trip count (little endian);
    /// 10..11 CRC-16/CCITT-FALSE of bytes 0..9 (little endian).
    /// Anything else (wrong length, magic, version, CRC, flag, an unknown cause) decodes as
    /// corrupt, which the protection treats as latched with "latch-record-corrupt": fail safe.
    /// </summary>
    public static class LatchRecord
    {
        /// <summary>The store key.</summary>
        public const string Key = "pest-latch";

        /// <summary>The store key of the second copy.</summary>
        public const string SecondKey = "pest-latch-2";

        /// <summary>Record length in bytes.</summary>
        public const int Length = 12;

        private const byte Magic = 0x4C;
        private const byte Version = 1;

        /// <summary>Writes a record into <paramref name="buffer"/> (at least <see cref="Length"/> bytes).</summary>
        public static void Encode(byte[] buffer, bool latched, int firstCause, int causeMask, int tripCount)
        {
            buffer[0] = Magic;
            buffer[1] = Version;
            buffer[2] = latched ? (byte)1 : (byte)0;
            buffer[3] = (byte)firstCause;
            buffer[4] = (byte)(causeMask & 0xFF);
            buffer[5] = (byte)((causeMask >> 8) & 0xFF);
            buffer[6] = (byte)(tripCount & 0xFF);
            buffer[7] = (byte)((tripCount >> 8) & 0xFF);
            buffer[8] = (byte)((tripCount >> 16) & 0xFF);
            buffer[9] = (byte)((tripCount >> 24) & 0xFF);
            int crc = Crc16(buffer, 10);
            buffer[10] = (byte)(crc & 0xFF);
            buffer[11] = (byte)((crc >> 8) & 0xFF);
        }

        /// <summary>
        /// Decodes a record. Returns false when it is corrupt; the out values are then 0/false.
        /// </summary>
        public static bool TryDecode(byte[] buffer, int length, out bool latched, out int firstCause, out int causeMask, out int tripCount)
        {
            latched = false;
            firstCause = TripCauses.None;
            causeMask = 0;
            tripCount = 0;
            if (length != Length || buffer[0] != Magic || buffer[1] != Version || buffer[2] > 1)
            {
                return false;
            }

            int crc = buffer[10] | (buffer[11] << 8);
            if (crc != Crc16(buffer, 10))
            {
                return false;
            }

            int cause = buffer[3];
            int mask = buffer[4] | (buffer[5] << 8);
            int validMask = (1 << TripCauses.Count) - 2;
            if (cause >= TripCauses.Count || (mask & ~validMask) != 0)
            {
                return false;
            }

            bool isLatched = buffer[2] == 1;
            // A latched record names its cause and has it in the mask; an unlatched one has neither.
            if (isLatched != (cause != TripCauses.None) || isLatched != (mask != 0) || (isLatched && (mask & TripCauses.Bit(cause)) == 0))
            {
                return false;
            }

            latched = isLatched;
            firstCause = cause;
            causeMask = mask;
            tripCount = buffer[6] | (buffer[7] << 8) | (buffer[8] << 16) | (buffer[9] << 24);
            return true;
        }

        /// <summary>CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF) of the first <paramref name="length"/> bytes.</summary>
        public static int Crc16(byte[] data, int length)
        {
            int crc = 0xFFFF;
            for (int i = 0; i < length; i++)
            {
                crc ^= data[i] << 8;
                for (int bit = 0; bit < 8; bit++)
                {
                    crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) : (crc << 1);
                    crc &= 0xFFFF;
                }
            }

            return crc;
        }
    }
}
