using IndraSmartPro.Persistence;

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
    /// The persisted form of the meter's calibration: a <see cref="RecordCodec"/> frame of kind
    /// <see cref="RecordKinds.Calibration"/>, version 2, payload 41 bytes (50 in all):
    /// <code>
    /// payload offset size field
    ///  0             1    channel count (5: L-N, L-TTref, CPC-TTref, CT, EV current)
    ///  1             40   per channel: gain ppm (int32 LE), offset milli-units (int32 LE)
    /// </code>
    /// Still read (and rewritten by <see cref="Upgrade"/>): the version 1 record of earlier
    /// firmware, 46 bytes: magic "MC" (0x4D 0x43), version 1, channel count, the same 40 bytes, then
    /// CRC-16/CCITT-FALSE of bytes 0..43 (LE).
    /// Parsing is all-or-nothing: a record that fails any check changes nothing, so the meter
    /// runs on defaults rather than on half a calibration.
    /// </summary>
    public static class CalibrationRecord
    {
        /// <summary>
        /// The store key. (Earlier firmware used "metering.calibration", which the device's store
        /// refuses, so no unit ever stored a record under it: nothing to migrate from that key.)
        /// </summary>
        public const string StoreKey = "calibration";

        /// <summary>Payload layout version written by this firmware.</summary>
        public const int Version = 2;

        /// <summary>Payload length, bytes.</summary>
        public const int PayloadLength = 1 + (MainsMeter.MeteredChannelCount * 8);

        /// <summary>Total record length, bytes.</summary>
        public const int Length = RecordCodec.OverheadBytes + PayloadLength;

        private const int LegacyLength = 4 + (MainsMeter.MeteredChannelCount * 8) + 2;
        private const byte LegacyMagic0 = 0x4D;
        private const byte LegacyMagic1 = 0x43;
        private const byte LegacyVersion = 1;

        /// <summary>Writes the record for <paramref name="calibration"/> (one per metered channel) into <paramref name="buffer"/> (at least <see cref="Length"/> bytes).</summary>
        public static void Format(ChannelCalibration[] calibration, byte[] buffer)
        {
            const int p = RecordCodec.HeaderBytes;
            RecordCodec.WriteHeader(buffer, 0, RecordKinds.Calibration, Version);
            buffer[p] = MainsMeter.MeteredChannelCount;
            for (int i = 0; i < MainsMeter.MeteredChannelCount; i++)
            {
                LittleEndian.WriteInt32(buffer, p + 1 + (i * 8), calibration[i].GainPartsPerMillion);
                LittleEndian.WriteInt32(buffer, p + 5 + (i * 8), calibration[i].OffsetMilliUnits);
            }

            RecordCodec.Seal(buffer, 0, PayloadLength);
        }

        /// <summary>
        /// Checks a record (this version or version 1) and, only if every check passes, applies it to <paramref name="calibration"/>.
        /// </summary>
        /// <param name="buffer">The bytes read from the store.</param>
        /// <param name="length">How many of them are the record.</param>
        /// <param name="calibration">One entry per metered channel; unchanged unless the result is <see cref="CalibrationRecordStatus.Loaded"/>.</param>
        public static CalibrationRecordStatus Parse(byte[] buffer, int length, ChannelCalibration[] calibration)
        {
            int channels = ChannelsOffset(buffer, length);
            if (channels < 0)
            {
                return CalibrationRecordStatus.Corrupt;
            }

            for (int i = 0; i < MainsMeter.MeteredChannelCount; i++)
            {
                if (!ChannelCalibration.IsValid(LittleEndian.ReadInt32(buffer, channels + (i * 8)), LittleEndian.ReadInt32(buffer, channels + 4 + (i * 8))))
                {
                    return CalibrationRecordStatus.OutOfRange;
                }
            }

            for (int i = 0; i < MainsMeter.MeteredChannelCount; i++)
            {
                calibration[i].TrySet(LittleEndian.ReadInt32(buffer, channels + (i * 8)), LittleEndian.ReadInt32(buffer, channels + 4 + (i * 8)));
            }

            return CalibrationRecordStatus.Loaded;
        }

        /// <summary>
        /// Rewrites, in place, an intact version 1 record as version 2 (same values). Returns the
        /// new length, or 0 when the bytes are not an intact version 1 record (left as they are).
        /// </summary>
        public static int Upgrade(byte[] buffer, int length)
        {
            if (!IsLegacy(buffer, length) || buffer.Length < Length)
            {
                return 0;
            }

            // The channel fields move from offset 4 to offset 6 (header 5 + count 1): copy backwards.
            for (int i = (MainsMeter.MeteredChannelCount * 8) - 1; i >= 0; i--)
            {
                buffer[RecordCodec.HeaderBytes + 1 + i] = buffer[4 + i];
            }

            RecordCodec.WriteHeader(buffer, 0, RecordKinds.Calibration, Version);
            buffer[RecordCodec.HeaderBytes] = MainsMeter.MeteredChannelCount;
            return RecordCodec.Seal(buffer, 0, PayloadLength);
        }

        // Where the per-channel fields start in an intact record of either version, or -1.
        private static int ChannelsOffset(byte[] buffer, int length)
        {
            if (buffer == null || length > buffer.Length)
            {
                return -1;
            }

            if (RecordCodec.IsRecord(buffer, length, RecordKinds.Calibration, Version, PayloadLength))
            {
                return buffer[RecordCodec.HeaderBytes] == MainsMeter.MeteredChannelCount ? RecordCodec.HeaderBytes + 1 : -1;
            }

            return IsLegacy(buffer, length) ? 4 : -1;
        }

        private static bool IsLegacy(byte[] buffer, int length)
        {
            return buffer != null && length == LegacyLength && buffer.Length >= LegacyLength
                && buffer[0] == LegacyMagic0 && buffer[1] == LegacyMagic1 && buffer[2] == LegacyVersion
                && buffer[3] == MainsMeter.MeteredChannelCount
                && LittleEndian.ReadUInt16(buffer, LegacyLength - 2) == Crc.Crc16CcittFalse(buffer, LegacyLength - 2);
        }
    }
}
