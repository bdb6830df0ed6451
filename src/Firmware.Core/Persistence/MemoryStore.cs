using System;
using System.Collections;

namespace IndraSmartPro.Persistence
{
    /// <summary>
    /// A store that lives as long as the object: what the simulator uses to model a reboot
    /// (keep the store, rebuild the firmware) and what tests use. Not for the device.
    /// </summary>
    public sealed class MemoryStore : IStore
    {
        private readonly Hashtable _records = new Hashtable();

        /// <summary>Number of writes so far (tests check that steady state does not wear the flash).</summary>
        public int WriteCount { get; private set; }

        /// <inheritdoc />
        public bool TryRead(string key, byte[] buffer, out int length)
        {
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
        public void Write(string key, byte[] data, int length)
        {
            byte[] copy = new byte[length];
            Array.Copy(data, copy, length);
            _records[key] = copy;
            WriteCount++;
        }

        /// <inheritdoc />
        public void Delete(string key)
        {
            _records.Remove(key);
        }
    }
}
