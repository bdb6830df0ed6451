namespace IndraSmartPro.Persistence
{
    /// <summary>
    /// The one binary format of every record the firmware stores: the keyed records (latch,
    /// calibration, energy) and every entry of a <see cref="RecordRing"/>.
    /// <code>
    /// offset  size  field
    ///  0      1     magic 0xA7
    ///  1      1     kind: what the payload is (<see cref="RecordKinds"/>)
    ///  2      1     version of that kind's payload layout
    ///  3      2     payload length n, bytes (little-endian, 0..<see cref="MaxPayloadBytes"/>)
    ///  5      n     payload (integer fields little-endian, see <see cref="LittleEndian"/>)
    ///  5+n    4     CRC-32/ISO-HDLC of bytes 0..4+n (little-endian, see <see cref="Crc.Crc32"/>)
    /// </code>
    /// A frame is accepted only whole: magic, a length that fits what was read, and the CRC. A
    /// decoder then checks kind, version and its own payload length and ranges; anything else reads
    /// as corrupt, never as a plausible value. Encoding and decoding work in place in a buffer the
    /// caller owns (no allocation).
    /// </summary>
    public static class RecordCodec
    {
        /// <summary>First byte of every frame.</summary>
        public const byte Magic = 0xA7;

        /// <summary>Bytes before the payload: magic, kind, version, length.</summary>
        public const int HeaderBytes = 5;

        /// <summary>Bytes after the payload: the CRC-32.</summary>
        public const int TrailerBytes = 4;

        /// <summary>Bytes a frame adds to its payload.</summary>
        public const int OverheadBytes = HeaderBytes + TrailerBytes;

        /// <summary>Longest payload, bytes (the length field is 16 bits).</summary>
        public const int MaxPayloadBytes = 65535;

        /// <summary>
        /// Writes the header of a frame at <paramref name="offset"/>; the payload follows at
        /// <paramref name="offset"/> + <see cref="HeaderBytes"/>. Finish with <see cref="Seal"/>.
        /// </summary>
        public static void WriteHeader(byte[] buffer, int offset, int kind, int version)
        {
            buffer[offset] = Magic;
            buffer[offset + 1] = (byte)kind;
            buffer[offset + 2] = (byte)version;
            buffer[offset + 3] = 0;
            buffer[offset + 4] = 0;
        }

        /// <summary>
        /// Completes the frame at <paramref name="offset"/> whose payload of
        /// <paramref name="payloadLength"/> bytes is in place: writes the length and the CRC.
        /// </summary>
        /// <returns>The frame's total length, bytes.</returns>
        public static int Seal(byte[] buffer, int offset, int payloadLength)
        {
            if (payloadLength < 0 || payloadLength > MaxPayloadBytes)
            {
                throw new System.ArgumentOutOfRangeException("payloadLength");
            }

            LittleEndian.WriteUInt16(buffer, offset + 3, payloadLength);
            int crcOffset = offset + HeaderBytes + payloadLength;
            LittleEndian.WriteUInt32(buffer, crcOffset, Crc.Crc32(buffer, offset, HeaderBytes + payloadLength));
            return OverheadBytes + payloadLength;
        }

        /// <summary>
        /// Checks the frame at <paramref name="offset"/> among <paramref name="available"/> bytes:
        /// magic, length, CRC. The payload is at <paramref name="offset"/> + <see cref="HeaderBytes"/>.
        /// </summary>
        /// <param name="buffer">The bytes read.</param>
        /// <param name="offset">Where the frame starts.</param>
        /// <param name="available">How many bytes from <paramref name="offset"/> were read (the frame may be shorter).</param>
        /// <param name="kind">The frame's kind, or 0 when false.</param>
        /// <param name="version">The payload's version, or 0 when false.</param>
        /// <param name="payloadLength">The payload's length, bytes, or 0 when false.</param>
        /// <returns>True when a whole, intact frame starts at <paramref name="offset"/>.</returns>
        public static bool TryOpen(byte[] buffer, int offset, int available, out int kind, out int version, out int payloadLength)
        {
            kind = 0;
            version = 0;
            payloadLength = 0;
            if (buffer == null || offset < 0 || available < OverheadBytes || offset + available > buffer.Length || buffer[offset] != Magic)
            {
                return false;
            }

            int length = LittleEndian.ReadUInt16(buffer, offset + 3);
            if (OverheadBytes + length > available)
            {
                return false;
            }

            if (LittleEndian.ReadUInt32(buffer, offset + HeaderBytes + length) != Crc.Crc32(buffer, offset, HeaderBytes + length))
            {
                return false;
            }

            kind = buffer[offset + 1];
            version = buffer[offset + 2];
            payloadLength = length;
            return true;
        }

        /// <summary>
        /// The frame length announced by a header at <paramref name="offset"/> (at least
        /// <see cref="HeaderBytes"/> bytes read), or -1 when the magic is wrong. Not a check: only
        /// <see cref="TryOpen"/> says the frame is intact.
        /// </summary>
        public static int AnnouncedLength(byte[] buffer, int offset)
        {
            if (buffer[offset] != Magic)
            {
                return -1;
            }

            return OverheadBytes + LittleEndian.ReadUInt16(buffer, offset + 3);
        }

        /// <summary>
        /// True when the whole of the first <paramref name="length"/> bytes is one intact frame of
        /// <paramref name="kind"/>, <paramref name="version"/> and a payload of exactly
        /// <paramref name="payloadLength"/> bytes: the usual check of a fixed-layout keyed record.
        /// </summary>
        public static bool IsRecord(byte[] buffer, int length, int kind, int version, int payloadLength)
        {
            int foundKind;
            int foundVersion;
            int foundLength;
            return length == OverheadBytes + payloadLength
                && TryOpen(buffer, 0, length, out foundKind, out foundVersion, out foundLength)
                && foundKind == kind && foundVersion == version && foundLength == payloadLength;
        }
    }
}
