namespace IndraSmartPro.Metering
{
    /// <summary>What reading the calibration record found.</summary>
    public enum CalibrationRecordStatus
    {
        /// <summary>A valid record was read and applied.</summary>
        Loaded,
        /// <summary>No record in the store: defaults (identity) in force.</summary>
        Missing,
        /// <summary>The record's length, magic, version, channel count or checksum is wrong: defaults in force.</summary>
        Corrupt,
        /// <summary>The record is intact but a gain or offset is outside the accepted range: defaults in force.</summary>
        OutOfRange,
    }

    /// <summary>
    /// The persisted form of the meter's calibration, a small fixed binary record:
    /// <code>
    /// offset size field
    ///  0     2    magic "MC" (0x4D 0x43)
    ///  2     1    version (1)
    ///  3     1    channel count (5: L-N, L-TTref, CPC-TTref, CT, EV current)
    ///  4     40   per channel: gain ppm (int32 LE), offset milli-units (int32 LE)
    ///  44    2    CRC-16/CCITT-FALSE of bytes 0..43 (LE)
    /// </code>
    /// Parsing is all-or-nothing: a record that fails any check changes nothing, so the meter
    /// runs on defaults rather than on half a calibration.
    /// </summary>
    public static class CalibrationRecord
    {
        /// <summary>The store key.</summary>
        public const string StoreKey = "metering.calibration";

        /// <summary>Record format version written by this firmware.</summary>
        public const int Version = 1;

        /// <summary>Total record length, bytes.</summary>
        public const int Length = 4 + (MainsMeter.MeteredChannelCount * 8) + 2;

        private const byte Magic0 = 0x4D;
        private const byte Magic1 = 0x43;

        /// <summary>Writes the record for <paramref name="calibration"/> (one per metered channel) into <paramref name="buffer"/> (at least <see cref="Length"/> bytes).</summary>
        public static void Format(ChannelCalibration[] calibration, byte[] buffer)
        {
            buffer[0] = Magic0;
            buffer[1] = Magic1;
            buffer[2] = Version;
            buffer[3] = MainsMeter.MeteredChannelCount;
            for (int i = 0; i < MainsMeter.MeteredChannelCount; i++)
            {
                WriteInt32(buffer, 4 + (i * 8), calibration[i].GainPartsPerMillion);
                WriteInt32(buffer, 8 + (i * 8), calibration[i].OffsetMilliUnits);
            }

            int crc = Crc16(buffer, Length - 2);
            buffer[Length - 2] = (byte)crc;
            buffer[Length - 1] = (byte)(crc >> 8);
        }

        /// <summary>
        /// Checks a record and, only if every check passes, applies it to <paramref name="calibration"/>.
        /// </summary>
        /// <param name="buffer">The bytes read from the store.</param>
        /// <param name="length">How many of them are the record.</param>
        /// <param name="calibration">One entry per metered channel; unchanged unless the result is <see cref="CalibrationRecordStatus.Loaded"/>.</param>
        public static CalibrationRecordStatus Parse(byte[] buffer, int length, ChannelCalibration[] calibration)
        {
            if (buffer == null || length != Length || buffer.Length < Length)
            {
                return CalibrationRecordStatus.Corrupt;
            }

            if (buffer[0] != Magic0 || buffer[1] != Magic1 || buffer[2] != Version || buffer[3] != MainsMeter.MeteredChannelCount)
            {
                return CalibrationRecordStatus.Corrupt;
            }

            int stored = buffer[Length - 2] | (buffer[Length - 1] << 8);
            if (stored != Crc16(buffer, Length - 2))
            {
                return CalibrationRecordStatus.Corrupt;
            }

            for (int i = 0; i < MainsMeter.MeteredChannelCount; i++)
            {
                if (!ChannelCalibration.IsValid(ReadInt32(buffer, 4 + (i * 8)), ReadInt32(buffer, 8 + (i * 8))))
                {
                    return CalibrationRecordStatus.OutOfRange;
                }
            }

            for (int i = 0; i < MainsMeter.MeteredChannelCount; i++)
            {
                calibration[i].TrySet(ReadInt32(buffer, 4 + (i * 8)), ReadInt32(buffer, 8 + (i * 8)));
            }

            return CalibrationRecordStatus.Loaded;
        }

        /// <summary>CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection) of the first <paramref name="count"/> bytes; check value of "123456789" is 0x29B1.</summary>
        public static int Crc16(byte[] data, int count)
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

        private static void WriteInt32(byte[] buffer, int offset, int value)
        {
            buffer[offset] = (byte)value;
            buffer[offset + 1] = (byte)(value >> 8);
            buffer[offset + 2] = (byte)(value >> 16);
            buffer[offset + 3] = (byte)(value >> 24);
        }

        private static int ReadInt32(byte[] buffer, int offset)
        {
            return buffer[offset] | (buffer[offset + 1] << 8) | (buffer[offset + 2] << 16) | (buffer[offset + 3] << 24);
        }
    }
}
