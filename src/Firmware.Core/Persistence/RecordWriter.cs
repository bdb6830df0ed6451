namespace IndraSmartPro.Persistence
{
    /// <summary>
    /// Writes one <see cref="RecordCodec"/> frame field by field into a buffer the caller owns:
    /// <see cref="Begin"/>, the fields in order, <see cref="Finish"/>. Reusable; allocates nothing.
    /// A field that would not fit the buffer throws (a programming error: size buffers for the
    /// largest record).
    /// </summary>
    public sealed class RecordWriter
    {
        private byte[] _buffer;
        private int _start;
        private int _position;

        /// <summary>Starts a frame of <paramref name="kind"/> and <paramref name="version"/> at <paramref name="offset"/> of <paramref name="buffer"/>.</summary>
        public void Begin(byte[] buffer, int offset, int kind, int version)
        {
            _buffer = buffer;
            _start = offset;
            _position = offset + RecordCodec.HeaderBytes;
            RecordCodec.WriteHeader(buffer, offset, kind, version);
        }

        /// <summary>Payload bytes written so far.</summary>
        public int PayloadLength => _position - _start - RecordCodec.HeaderBytes;

        /// <summary>Appends one byte (the low 8 bits of <paramref name="value"/>).</summary>
        public void WriteByte(int value)
        {
            Reserve(1);
            _buffer[_position++] = (byte)value;
        }

        /// <summary>Appends an unsigned 16-bit field.</summary>
        public void WriteUInt16(int value)
        {
            Reserve(2);
            LittleEndian.WriteUInt16(_buffer, _position, value);
            _position += 2;
        }

        /// <summary>Appends a 32-bit field.</summary>
        public void WriteInt32(int value)
        {
            Reserve(4);
            LittleEndian.WriteInt32(_buffer, _position, value);
            _position += 4;
        }

        /// <summary>Appends a 64-bit field.</summary>
        public void WriteInt64(long value)
        {
            Reserve(8);
            LittleEndian.WriteInt64(_buffer, _position, value);
            _position += 8;
        }

        /// <summary>Appends <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/>.</summary>
        public void WriteBytes(byte[] data, int offset, int count)
        {
            Reserve(count);
            System.Array.Copy(data, offset, _buffer, _position, count);
            _position += count;
        }

        /// <summary>Writes length and CRC; returns the frame's total length, bytes.</summary>
        public int Finish()
        {
            Reserve(0);
            return RecordCodec.Seal(_buffer, _start, PayloadLength);
        }

        // Every field leaves room for the CRC that Finish appends.
        private void Reserve(int count)
        {
            if (_buffer == null || count < 0 || _position + count + RecordCodec.TrailerBytes > _buffer.Length)
            {
                throw new System.ArgumentOutOfRangeException("record does not fit its buffer");
            }
        }
    }
}
