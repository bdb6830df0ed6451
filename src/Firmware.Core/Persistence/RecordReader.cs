namespace IndraSmartPro.Persistence
{
    /// <summary>
    /// Reads one <see cref="RecordCodec"/> frame field by field from a buffer the caller owns:
    /// <see cref="TryOpen"/> checks the frame whole, then the fields in order. Reading past the
    /// payload returns 0 and sets <see cref="Overrun"/>, so a decoder checks once at the end instead
    /// of before every field. Reusable; allocates nothing.
    /// </summary>
    public sealed class RecordReader
    {
        private byte[] _buffer;
        private int _position;
        private int _end;

        /// <summary>Kind of the open frame.</summary>
        public int Kind { get; private set; }

        /// <summary>Payload version of the open frame.</summary>
        public int Version { get; private set; }

        /// <summary>Payload length of the open frame, bytes.</summary>
        public int PayloadLength { get; private set; }

        /// <summary>Total length of the open frame, bytes.</summary>
        public int FrameLength => PayloadLength + RecordCodec.OverheadBytes;

        /// <summary>Payload bytes not read yet.</summary>
        public int Remaining => _end - _position;

        /// <summary>True once a read went past the payload (the value read was 0).</summary>
        public bool Overrun { get; private set; }

        /// <summary>
        /// Opens the frame at <paramref name="offset"/> among <paramref name="available"/> bytes of
        /// <paramref name="buffer"/>; false (and nothing to read) unless it is whole and intact.
        /// </summary>
        public bool TryOpen(byte[] buffer, int offset, int available)
        {
            int kind;
            int version;
            int length;
            Overrun = false;
            if (!RecordCodec.TryOpen(buffer, offset, available, out kind, out version, out length))
            {
                _buffer = null;
                _position = 0;
                _end = 0;
                Kind = 0;
                Version = 0;
                PayloadLength = 0;
                return false;
            }

            _buffer = buffer;
            _position = offset + RecordCodec.HeaderBytes;
            _end = _position + length;
            Kind = kind;
            Version = version;
            PayloadLength = length;
            return true;
        }

        /// <summary>Reads one byte (0..255).</summary>
        public int ReadByte()
        {
            if (!Take(1))
            {
                return 0;
            }

            return _buffer[_position++];
        }

        /// <summary>Reads an unsigned 16-bit field.</summary>
        public int ReadUInt16()
        {
            if (!Take(2))
            {
                return 0;
            }

            int value = LittleEndian.ReadUInt16(_buffer, _position);
            _position += 2;
            return value;
        }

        /// <summary>Reads a signed 32-bit field.</summary>
        public int ReadInt32()
        {
            if (!Take(4))
            {
                return 0;
            }

            int value = LittleEndian.ReadInt32(_buffer, _position);
            _position += 4;
            return value;
        }

        /// <summary>Reads a signed 64-bit field.</summary>
        public long ReadInt64()
        {
            if (!Take(8))
            {
                return 0;
            }

            long value = LittleEndian.ReadInt64(_buffer, _position);
            _position += 8;
            return value;
        }

        /// <summary>Copies the rest of the payload to <paramref name="destination"/>; returns how many bytes (0 and <see cref="Overrun"/> if it does not fit).</summary>
        public int ReadRest(byte[] destination, int offset)
        {
            int count = Remaining;
            if (destination == null || offset < 0 || offset + count > destination.Length)
            {
                Overrun = true;
                return 0;
            }

            System.Array.Copy(_buffer, _position, destination, offset, count);
            _position += count;
            return count;
        }

        private bool Take(int count)
        {
            if (_buffer == null || _position + count > _end)
            {
                Overrun = true;
                return false;
            }

            return true;
        }
    }
}
