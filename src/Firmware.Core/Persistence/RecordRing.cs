using System;

namespace IndraSmartPro.Persistence
{
    /// <summary>
    /// A bounded, append-only log of records in the store, oldest dropped first: the one mechanism
    /// for everything the charger keeps a history of (sessions and half-hourly energy for the Smart
    /// Charge Points Regulations 2021, the event and security log, disturbance records). Each
    /// instance is one ring with its own name and size; docs/storage.md sizes the rings and works out
    /// the flash wear.
    /// <para>
    /// Layout: <c>segmentCount</c> segments (<see cref="IStore.Append"/>), keys "&lt;name&gt;-0" ..
    /// "&lt;name&gt;-&lt;segmentCount−1&gt;", used in a circle, each filled up to
    /// <c>segmentBytes</c>. An entry is one <see cref="RecordCodec"/> frame of the caller's kind and
    /// version whose payload is the entry's sequence number (int32, little-endian) then the
    /// caller's data: <see cref="EntryOverheadBytes"/> bytes on top of the data. Sequence numbers
    /// start at 1 and rise by one per entry with no gaps, so a reader pages "from N" and knows what it
    /// missed. When the newest segment has no room for the next entry, the next segment in the circle
    /// (the oldest) is deleted and the entry starts it: the ring holds at least
    /// (<c>segmentCount</c> − 1) × <c>segmentBytes</c> bytes of entries.
    /// </para>
    /// <para>
    /// Power cuts. An append writes bytes after every existing entry and never touches them, so a
    /// cut at any instant can damage only the entry being written. At start the ring finds the
    /// newest segment (the largest first sequence number) and walks it entry by entry, checking each
    /// frame's CRC and that sequence numbers follow on; it stops at the first that does not. Bytes
    /// after that point are a torn entry: the segment is then closed (nothing is ever appended after
    /// damage, so every entry stays reachable by walking from the start of its segment) and the next
    /// entry starts the next segment. A cut during the deletion of the oldest segment leaves it
    /// either whole or gone, and a cut right after leaves an empty or torn first entry, which is
    /// skipped. So a torn write loses at most the entry being written.
    /// </para>
    /// <para>
    /// Cost. Opening reads the first entry of every segment and walks the newest segment (
    /// <c>segmentBytes</c> of reads); reads go through a window of at least 512 bytes, so a walk is
    /// a few store reads per kilobyte. An append is one store append, plus one delete when a
    /// segment fills. Off the hot path only (flash writes take milliseconds). Not thread-safe: one
    /// owner task appends and answers reads.
    /// </para>
    /// </summary>
    public sealed class RecordRing
    {
        /// <summary>Bytes of the sequence number at the start of every entry's payload.</summary>
        public const int SequenceBytes = 4;

        /// <summary>Bytes an entry adds to its data: the frame's header and CRC, and the sequence number.</summary>
        public const int EntryOverheadBytes = RecordCodec.OverheadBytes + SequenceBytes;

        private const int MinWindowBytes = 512;

        private readonly IStore _store;
        private readonly string[] _keys;
        private readonly int[] _firstSequence;
        private readonly int _segmentBytes;
        private readonly int _maxDataBytes;
        private readonly byte[] _entry;
        private readonly byte[] _window;
        private int _windowSlot = -1;
        private int _windowStart;
        private int _windowLength;
        private int _newestSlot = -1;
        private int _writeOffset;
        private bool _closed;
        private int _oldestSequence;
        private int _newestSequence;

        /// <summary>Opens (or starts) the ring called <paramref name="name"/> in <paramref name="store"/>.</summary>
        /// <param name="store">Where the segments live.</param>
        /// <param name="name">The ring's name: a store key (<see cref="StoreKeys"/>) short enough to take "-" and the segment number.</param>
        /// <param name="segmentCount">Segments, at least 2. Changing it (or the segment size) for an existing ring needs a new name.</param>
        /// <param name="segmentBytes">Bytes per segment; at least one entry of the largest data.</param>
        /// <param name="maxDataBytes">Largest data of one entry, bytes (the ring's buffers are sized for it).</param>
        public RecordRing(IStore store, string name, int segmentCount, int segmentBytes, int maxDataBytes)
        {
            if (store == null)
            {
                throw new ArgumentNullException("store");
            }

            if (segmentCount < 2 || maxDataBytes < 0 || maxDataBytes > RecordCodec.MaxPayloadBytes - SequenceBytes || segmentBytes < EntryOverheadBytes + maxDataBytes)
            {
                throw new ArgumentOutOfRangeException("segmentCount");
            }

            _store = store;
            _segmentBytes = segmentBytes;
            _maxDataBytes = maxDataBytes;
            _keys = new string[segmentCount];
            _firstSequence = new int[segmentCount];
            for (int i = 0; i < segmentCount; i++)
            {
                _keys[i] = name + "-" + i.ToString();
                StoreKeys.Check(_keys[i]);
            }

            _entry = new byte[EntryOverheadBytes + maxDataBytes];
            _window = new byte[_entry.Length > MinWindowBytes ? _entry.Length : MinWindowBytes];
            Open();
        }

        /// <summary>Entries held.</summary>
        public int Count => _newestSequence == 0 ? 0 : _newestSequence - _oldestSequence + 1;

        /// <summary>Sequence number of the oldest entry held, 0 when empty.</summary>
        public int OldestSequence => _oldestSequence;

        /// <summary>Sequence number of the newest entry, 0 when empty.</summary>
        public int NewestSequence => _newestSequence;

        /// <summary>Number of segments.</summary>
        public int SegmentCount => _keys.Length;

        /// <summary>Bytes per segment.</summary>
        public int SegmentBytes => _segmentBytes;

        /// <summary>Largest data of one entry, bytes.</summary>
        public int MaxDataBytes => _maxDataBytes;

        /// <summary>
        /// Appends an entry of <paramref name="kind"/> (<see cref="RecordKinds"/>) and payload
        /// <paramref name="version"/> holding the first <paramref name="length"/> bytes of
        /// <paramref name="data"/>; deletes the oldest segment first when the newest is full.
        /// </summary>
        /// <returns>The entry's sequence number.</returns>
        /// <exception cref="ArgumentOutOfRangeException">The data is longer than the ring's largest.</exception>
        public int Append(int kind, int version, byte[] data, int length)
        {
            if (data == null || length < 0 || length > _maxDataBytes || length > data.Length)
            {
                throw new ArgumentOutOfRangeException("length");
            }

            int sequence = _newestSequence + 1;
            RecordCodec.WriteHeader(_entry, 0, kind, version);
            LittleEndian.WriteInt32(_entry, RecordCodec.HeaderBytes, sequence);
            Array.Copy(data, 0, _entry, RecordCodec.HeaderBytes + SequenceBytes, length);
            int entryLength = RecordCodec.Seal(_entry, 0, SequenceBytes + length);

            if (_newestSlot < 0 || _closed || _writeOffset + entryLength > _segmentBytes)
            {
                StartNextSegment();
            }

            _windowSlot = -1;
            try
            {
                _store.Append(_keys[_newestSlot], _entry, entryLength);
            }
            catch (Exception)
            {
                // What reached the flash is unknown: append nothing more after it.
                _closed = true;
                throw;
            }

            if (_writeOffset == 0)
            {
                _firstSequence[_newestSlot] = sequence;
            }

            _writeOffset += entryLength;
            _newestSequence = sequence;
            if (_oldestSequence == 0)
            {
                _oldestSequence = sequence;
            }

            return sequence;
        }

        /// <summary>
        /// Places <paramref name="cursor"/> at <paramref name="fromSequence"/>: the next
        /// <see cref="TryReadNext"/> returns that entry, or the oldest held if it is older.
        /// </summary>
        public void Seek(RecordRingCursor cursor, int fromSequence)
        {
            cursor.Sequence = fromSequence < _oldestSequence ? _oldestSequence : fromSequence;
            cursor.Slot = -1;
            cursor.Offset = 0;
        }

        /// <summary>
        /// Reads the entry at <paramref name="cursor"/> and moves the cursor to the next. If the ring
        /// dropped that entry meanwhile, reads the oldest held (the cursor's
        /// <see cref="RecordRingCursor.Sequence"/> jumps: the caller sees what it missed).
        /// </summary>
        /// <param name="cursor">Where to read; advanced on success.</param>
        /// <param name="data">Receives the entry's data; at least <see cref="MaxDataBytes"/> long.</param>
        /// <param name="sequence">The entry's sequence number.</param>
        /// <param name="kind">The entry's kind.</param>
        /// <param name="version">The entry's payload version.</param>
        /// <param name="length">Bytes of data.</param>
        /// <returns>False when there is no entry at or after the cursor.</returns>
        public bool TryReadNext(RecordRingCursor cursor, byte[] data, out int sequence, out int kind, out int version, out int length)
        {
            sequence = 0;
            kind = 0;
            version = 0;
            length = 0;
            if (_newestSequence == 0)
            {
                return false;
            }

            if (cursor.Sequence < _oldestSequence)
            {
                Seek(cursor, _oldestSequence);
            }

            if (cursor.Sequence > _newestSequence)
            {
                return false;
            }

            int found;
            int entryLength;
            if (cursor.Slot < 0 || !TryEntryAt(cursor.Slot, cursor.Offset, out found, out entryLength) || found != cursor.Sequence)
            {
                if (!Locate(cursor))
                {
                    return false;
                }

                TryEntryAt(cursor.Slot, cursor.Offset, out found, out entryLength);
            }

            int start = cursor.Offset - _windowStart;
            int dataLength = entryLength - EntryOverheadBytes;
            if (data == null || data.Length < dataLength)
            {
                throw new ArgumentException("data shorter than the entry");
            }

            Array.Copy(_window, start + RecordCodec.HeaderBytes + SequenceBytes, data, 0, dataLength);
            sequence = found;
            kind = _window[start + 1];
            version = _window[start + 2];
            length = dataLength;
            cursor.Offset += entryLength;
            cursor.Sequence = found + 1;
            return true;
        }

        /// <summary>Deletes every entry (e.g. a factory reset); sequence numbers start again at 1.</summary>
        public void Clear()
        {
            for (int i = 0; i < _keys.Length; i++)
            {
                _store.Delete(_keys[i]);
                _firstSequence[i] = 0;
            }

            _windowSlot = -1;
            _newestSlot = -1;
            _writeOffset = 0;
            _closed = false;
            _oldestSequence = 0;
            _newestSequence = 0;
        }

        private void Open()
        {
            int found;
            int entryLength;
            for (int i = 0; i < _keys.Length; i++)
            {
                _firstSequence[i] = TryEntryAt(i, 0, out found, out entryLength) && found > 0 ? found : 0;
                if (_firstSequence[i] > 0 && (_newestSlot < 0 || _firstSequence[i] > _firstSequence[_newestSlot]))
                {
                    _newestSlot = i;
                }
            }

            if (_newestSlot < 0)
            {
                return;
            }

            // Walk the newest segment to its last intact entry.
            int offset = 0;
            int expected = _firstSequence[_newestSlot];
            while (TryEntryAt(_newestSlot, offset, out found, out entryLength) && found == expected)
            {
                offset += entryLength;
                expected++;
            }

            _writeOffset = offset;
            _newestSequence = expected - 1;
            _closed = _store.ReadAt(_keys[_newestSlot], offset, _window, 0, 1) > 0;
            _windowSlot = -1;
            _oldestSequence = OldestFirstSequence();
        }

        private void StartNextSegment()
        {
            int slot = _newestSlot < 0 ? 0 : (_newestSlot + 1) % _keys.Length;

            // The oldest segment (or what a cut left of a new one) goes: deleted before the first
            // byte of the new segment is written, so a cut never mixes old and new entries in one.
            _firstSequence[slot] = 0;
            _windowSlot = -1;
            _store.Delete(_keys[slot]);
            _newestSlot = slot;
            _writeOffset = 0;
            _closed = false;
            int oldest = OldestFirstSequence();
            _oldestSequence = oldest == 0 ? _newestSequence + 1 : oldest;
        }

        private int OldestFirstSequence()
        {
            int oldest = 0;
            for (int i = 0; i < _firstSequence.Length; i++)
            {
                if (_firstSequence[i] > 0 && (oldest == 0 || _firstSequence[i] < oldest))
                {
                    oldest = _firstSequence[i];
                }
            }

            return oldest;
        }

        // Finds the entry numbered cursor.Sequence: in the segment with the largest first sequence
        // number not above it, walking from that segment's start.
        private bool Locate(RecordRingCursor cursor)
        {
            int slot = -1;
            for (int i = 0; i < _firstSequence.Length; i++)
            {
                if (_firstSequence[i] > 0 && _firstSequence[i] <= cursor.Sequence && (slot < 0 || _firstSequence[i] > _firstSequence[slot]))
                {
                    slot = i;
                }
            }

            if (slot < 0)
            {
                return false;
            }

            int offset = 0;
            int found;
            int entryLength;
            while (TryEntryAt(slot, offset, out found, out entryLength))
            {
                if (found == cursor.Sequence)
                {
                    cursor.Slot = slot;
                    cursor.Offset = offset;
                    return true;
                }

                offset += entryLength;
            }

            return false;
        }

        // An intact entry at offset of a segment: its sequence number and length. Leaves it in the
        // read window at offset - _windowStart.
        private bool TryEntryAt(int slot, int offset, out int sequence, out int entryLength)
        {
            sequence = 0;
            entryLength = 0;
            if (!Fill(slot, offset, RecordCodec.HeaderBytes))
            {
                return false;
            }

            int announced = RecordCodec.AnnouncedLength(_window, offset - _windowStart);
            if (announced < EntryOverheadBytes || announced > _entry.Length || !Fill(slot, offset, announced))
            {
                return false;
            }

            int kind;
            int version;
            int payloadLength;
            int start = offset - _windowStart;
            if (!RecordCodec.TryOpen(_window, start, _windowLength - start, out kind, out version, out payloadLength))
            {
                return false;
            }

            sequence = LittleEndian.ReadInt32(_window, start + RecordCodec.HeaderBytes);
            entryLength = RecordCodec.OverheadBytes + payloadLength;
            return sequence > 0;
        }

        // Makes bytes [offset, offset + count) of a segment available in the window.
        private bool Fill(int slot, int offset, int count)
        {
            if (slot == _windowSlot && offset >= _windowStart && offset + count <= _windowStart + _windowLength)
            {
                return true;
            }

            _windowSlot = slot;
            _windowStart = offset;
            _windowLength = _store.ReadAt(_keys[slot], offset, _window, 0, _window.Length);
            return _windowLength >= count;
        }
    }
}
