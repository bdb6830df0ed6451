namespace IndraSmartPro.Persistence
{
    /// <summary>
    /// The checksums of stored records, in one place.
    /// <para>
    /// <see cref="Crc32"/> guards every record the firmware writes (<see cref="RecordCodec"/>) and the
    /// device flash store's file header: CRC-32/ISO-HDLC, the IEEE 802.3 CRC (polynomial 0x04C11DB7,
    /// processed reflected as 0xEDB88320, initial value and final XOR 0xFFFFFFFF; check value of ASCII
    /// "123456789" is 0xCBF43926). It detects every burst error up to 32 bits, which covers a torn
    /// flash write, and is table-driven (1 KB of table) because a ring segment is checked record by
    /// record at boot.
    /// </para>
    /// <para>
    /// <see cref="Crc16CcittFalse"/> is kept only to read the records written before the codec
    /// (latch and calibration, format version 1): CRC-16/CCITT-FALSE, polynomial 0x1021, initial value
    /// 0xFFFF, no reflection, no final XOR; check value 0x29B1.
    /// </para>
    /// </summary>
    public static class Crc
    {
        private static readonly uint[] Table = BuildTable();

        /// <summary>CRC-32/ISO-HDLC of <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/>.</summary>
        public static uint Crc32(byte[] data, int offset, int count)
        {
            uint crc = 0xFFFFFFFF;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                crc = Table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
            }

            return ~crc;
        }

        /// <summary>CRC-16/CCITT-FALSE of the first <paramref name="count"/> bytes (legacy records only).</summary>
        public static int Crc16CcittFalse(byte[] data, int count)
        {
            int crc = 0xFFFF;
            for (int i = 0; i < count; i++)
            {
                crc ^= data[i] << 8;
                for (int bit = 0; bit < 8; bit++)
                {
                    crc = (crc & 0x8000) != 0 ? ((crc << 1) ^ 0x1021) : (crc << 1);
                }

                crc &= 0xFFFF;
            }

            return crc;
        }

        private static uint[] BuildTable()
        {
            uint[] table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int bit = 0; bit < 8; bit++)
                {
                    c = (c & 1) != 0 ? (c >> 1) ^ 0xEDB88320 : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
