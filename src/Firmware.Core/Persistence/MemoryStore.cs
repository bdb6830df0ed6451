using System;
using System.Collections;

namespace IndraSmartPro.Persistence
{
    /// <summary>
    /// A store that lives as long as the object: what the simulator uses to model a reboot
    /// (keep the store, rebuild the firmware) and what tests use. Not for the device. It enforces
    /// the same key rule as the device's flash store (<see cref="StoreKeys"/>), so a key the device
    /// would refuse fails on the host too.
    /// </summary>
    public sealed class MemoryStore : IStore
    {
        private readonly Hashtable _records = new Hashtable();
        private readonly Hashtable _segments = new Hashtable();

        /// <summary>Number of record writes so far (tests check that steady state does not wear the flash).</summary>
        public int WriteCount { get; private set; }

        /// <summary>Bytes appended to segments so far (tests check the wear budget).</summary>
        public long AppendedBytes { get; private set; }

        /// <inheritdoc />
        public bool TryRead(string key, byte[] buffer, out int length)
        {
            StoreKeys.Check(key);
            byte[] record = (byte[])_records[key];
            if (record == null || record.Length > buffer.Length)
            {
                length = 0;
                return false;
            }

            Array.Copy(record, buffer, record.Length);
            length = record.Length;
            return true;
        }

        /// <inheritdoc />
        public bool HasRecord(string key)
        {
            StoreKeys.Check(key);
            return _records[key] != null;
        }

        /// <inheritdoc />
        public void Write(string key, byte[] data, int length)
        {
            StoreKeys.Check(key);
            byte[] copy = new byte[length];
            Array.Copy(data, copy, length);
            _records[key] = copy;
            WriteCount++;
        }

        /// <inheritdoc />
        public void Delete(string key)
        {
            StoreKeys.Check(key);
            _records.Remove(key);
            _segments.Remove(key);
        }

        /// <inheritdoc />
        public void Append(string key, byte[] data, int length)
        {
            StoreKeys.Check(key);
            if (data == null || length < 0 || length > data.Length)
            {
                throw new ArgumentOutOfRangeException("length");
            }

            byte[] old = (byte[])_segments[key];
            int oldLength = old == null ? 0 : old.Length;
            byte[] grown = new byte[oldLength + length];
            if (old != null)
            {
                Array.Copy(old, grown, oldLength);
            }

            Array.Copy(data, 0, grown, oldLength, length);
            _segments[key] = grown;
            AppendedBytes += length;
        }

        /// <inheritdoc />
        public int ReadAt(string key, int position, byte[] buffer, int offset, int count)
        {
            StoreKeys.Check(key);
            byte[] segment = (byte[])_segments[key];
            if (segment == null || position < 0 || position >= segment.Length || count <= 0)
            {
                return 0;
            }

            int read = segment.Length - position < count ? segment.Length - position : count;
            Array.Copy(segment, position, buffer, offset, read);
            return read;
        }

        /// <summary>Length of a segment, bytes (0 if none): for tests that tear the last append.</summary>
        public int SegmentLength(string key)
        {
            byte[] segment = (byte[])_segments[key];
            return segment == null ? 0 : segment.Length;
        }

        /// <summary>Cuts a segment to its first <paramref name="length"/> bytes: what a power cut during an append leaves (tests only).</summary>
        public void TearSegment(string key, int length)
        {
            byte[] segment = (byte[])_segments[key];
            if (segment == null || length >= segment.Length)
            {
                return;
            }

            byte[] cut = new byte[length];
            Array.Copy(segment, cut, length);
            _segments[key] = cut;
        }
    }
}
