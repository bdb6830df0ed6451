using System;
using System.IO;
using IndraSmartPro.Persistence;

namespace IndraSmartPro.Board.Esp32
{
    /// <summary>
    /// <see cref="IStore"/> on the ESP32's internal flash file system (nanoFramework drive I:).
    /// One file per key, "&lt;key&gt;.rec", holding an 8-byte header (payload length and CRC-32,
    /// little-endian) and the payload.
    /// <para>
    /// Atomic replace, and why it survives a power cut at any instant. A write goes:
    /// (1) write the whole new record to "&lt;key&gt;.tmp" and close it (close syncs it to flash);
    /// (2) delete "&lt;key&gt;.rec"; (3) rename "&lt;key&gt;.tmp" to "&lt;key&gt;.rec".
    /// A read takes "&lt;key&gt;.rec" if its CRC is good, else "&lt;key&gt;.tmp" if its CRC is good.
    /// Cut during (1): .rec is the old record, whole; the torn .tmp fails its CRC and is never
    /// used. Cut between (1) and (2): .rec is old and whole (and .tmp new and whole). Cut between (2)
    /// and (3): no .rec, .tmp is the new record, whole. Cut during (3): the file system's rename is a
    /// single metadata update, so either name holds the new record; if nanoFramework falls back to
    /// copy-and-delete, a torn .rec fails its CRC and the whole .tmp is read. After (3): .rec is new.
    /// So a read always returns the old record whole or the new one whole, as <see cref="IStore"/>
    /// requires. A stale .tmp left by a cut is truncated by the next write of that key.
    /// </para>
    /// <para>
    /// Segments (<see cref="Append"/>, <see cref="ReadAt"/>, used by <see cref="RecordRing"/>) are
    /// plain files "&lt;key&gt;.seg" without header: an append opens the file, writes at its end and
    /// closes it, so a cut can leave only a prefix of the appended bytes (the ring checks every
    /// entry's own CRC and stops at a torn one).
    /// </para>
    /// Keys follow <see cref="StoreKeys"/> (the rule the memory store enforces too).
    /// Off the hot path only: each write is several flash operations (milliseconds).
    /// </summary>
    public sealed class FlashFileStore : IStore
    {
        /// <summary>The internal flash drive on nanoFramework ESP32 targets.</summary>
        public const string InternalFlashDrive = "I:\\";

        private const int HeaderBytes = 8;
        private const string RecordSuffix = ".rec";
        private const string TempSuffix = ".tmp";
        private const string SegmentSuffix = ".seg";

        private readonly string _directory;
        private readonly byte[] _header = new byte[HeaderBytes];

        /// <summary>Keeps records in <paramref name="directory"/> (created if missing), e.g. "I:\\indra".</summary>
        public FlashFileStore(string directory)
        {
            if (directory == null || directory.Length == 0)
            {
                throw new ArgumentException("directory");
            }

            _directory = directory;
            if (!Directory.Exists(_directory))
            {
                Directory.CreateDirectory(_directory);
            }
        }

        /// <inheritdoc />
        public bool TryRead(string key, byte[] buffer, out int length)
        {
            StoreKeys.Check(key);
            if (TryReadFile(PathOf(key, RecordSuffix), buffer, out length))
            {
                return true;
            }

            return TryReadFile(PathOf(key, TempSuffix), buffer, out length);
        }

        /// <inheritdoc />
        public bool HasRecord(string key)
        {
            // A record file that fails its length or CRC check, or a temporary file left by a cut
            // write, is a record that was written and is now unreadable: not "missing".
            StoreKeys.Check(key);
            return File.Exists(PathOf(key, RecordSuffix)) || File.Exists(PathOf(key, TempSuffix));
        }

        /// <inheritdoc />
        public void Write(string key, byte[] data, int length)
        {
            StoreKeys.Check(key);
            if (data == null || length < 0 || length > data.Length)
            {
                throw new ArgumentOutOfRangeException("length");
            }

            string record = PathOf(key, RecordSuffix);
            string temp = PathOf(key, TempSuffix);
            uint crc = Crc.Crc32(data, 0, length);
            _header[0] = (byte)length;
            _header[1] = (byte)(length >> 8);
            _header[2] = (byte)(length >> 16);
            _header[3] = (byte)(length >> 24);
            _header[4] = (byte)crc;
            _header[5] = (byte)(crc >> 8);
            _header[6] = (byte)(crc >> 16);
            _header[7] = (byte)(crc >> 24);

            // (1) the whole new record under the temporary name; Create truncates a stale one.
            FileStream stream = new FileStream(temp, FileMode.Create, FileAccess.Write);
            try
            {
                stream.Write(_header, 0, HeaderBytes);
                stream.Write(data, 0, length);
                stream.Flush();
            }
            finally
            {
                stream.Dispose();
            }

            // (2) then (3): see the class comment for why this order is safe.
            if (File.Exists(record))
            {
                File.Delete(record);
            }

            File.Move(temp, record);
        }

        /// <inheritdoc />
        public void Delete(string key)
        {
            StoreKeys.Check(key);

            // The record first: a cut between the two leaves only a .tmp, which a read would
            // still return; deleting it second finishes the job on the next Delete.
            string record = PathOf(key, RecordSuffix);
            string temp = PathOf(key, TempSuffix);
            if (File.Exists(record))
            {
                File.Delete(record);
            }

            if (File.Exists(temp))
            {
                File.Delete(temp);
            }

            string segment = PathOf(key, SegmentSuffix);
            if (File.Exists(segment))
            {
                File.Delete(segment);
            }
        }

        /// <inheritdoc />
        public void Append(string key, byte[] data, int length)
        {
            StoreKeys.Check(key);
            if (data == null || length < 0 || length > data.Length)
            {
                throw new ArgumentOutOfRangeException("length");
            }

            FileStream stream = new FileStream(PathOf(key, SegmentSuffix), FileMode.OpenOrCreate, FileAccess.Write);
            try
            {
                stream.Seek(0, SeekOrigin.End);
                stream.Write(data, 0, length);
                stream.Flush();
            }
            finally
            {
                stream.Dispose();
            }
        }

        /// <inheritdoc />
        public int ReadAt(string key, int position, byte[] buffer, int offset, int count)
        {
            StoreKeys.Check(key);
            string path = PathOf(key, SegmentSuffix);
            if (position < 0 || count <= 0 || !File.Exists(path))
            {
                return 0;
            }

            FileStream stream = new FileStream(path, FileMode.Open, FileAccess.Read);
            try
            {
                if (position >= stream.Length)
                {
                    return 0;
                }

                stream.Seek(position, SeekOrigin.Begin);
                return ReadFully(stream, buffer, offset, count);
            }
            finally
            {
                stream.Dispose();
            }
        }

        private bool TryReadFile(string path, byte[] buffer, out int length)
        {
            length = 0;
            if (!File.Exists(path))
            {
                return false;
            }

            FileStream stream = new FileStream(path, FileMode.Open, FileAccess.Read);
            try
            {
                if (ReadFully(stream, _header, 0, HeaderBytes) != HeaderBytes)
                {
                    return false;
                }

                int recordLength = _header[0] | (_header[1] << 8) | (_header[2] << 16) | (_header[3] << 24);
                uint crc = (uint)(_header[4] | (_header[5] << 8) | (_header[6] << 16) | (_header[7] << 24));
                if (recordLength < 0 || recordLength > buffer.Length || stream.Length != HeaderBytes + recordLength)
                {
                    return false;
                }

                if (ReadFully(stream, buffer, 0, recordLength) != recordLength || Crc.Crc32(buffer, 0, recordLength) != crc)
                {
                    return false;
                }

                length = recordLength;
                return true;
            }
            finally
            {
                stream.Dispose();
            }
        }

        private static int ReadFully(FileStream stream, byte[] buffer, int offset, int count)
        {
            int total = 0;
            while (total < count)
            {
                int read = stream.Read(buffer, offset + total, count - total);
                if (read <= 0)
                {
                    break;
                }

                total += read;
            }

            return total;
        }

        private string PathOf(string key, string suffix)
        {
            return Path.Combine(_directory, key + suffix);
        }
    }
}
