namespace IndraSmartPro.Persistence
{
    /// <summary>
    /// Named data that survives a reboot and a power cut. On the ESP32 files on the internal flash
    /// drive; in the simulator and tests memory. Keys follow <see cref="StoreKeys"/> (every
    /// implementation throws <see cref="System.ArgumentException"/> on any other key). Off the hot
    /// path only: writes take milliseconds on flash.
    /// <para>
    /// Two kinds of entry, each key being one or the other:
    /// a <b>record</b> (<see cref="Write"/>, <see cref="TryRead"/>): small, replaced whole, atomically:
    /// after a power cut at any instant a read returns either the old record whole or the new one
    /// whole (the latched trip, the energy counters, the calibration, the commissioning settings);
    /// a <b>segment</b> (<see cref="Append"/>, <see cref="ReadAt"/>): bytes only ever added at the end,
    /// the building block of <see cref="RecordRing"/>. An append is not atomic: a power cut during
    /// it may leave any prefix of the appended bytes, never a change to the bytes before them.
    /// <see cref="Delete"/> removes either.
    /// </para>
    /// </summary>
    public interface IStore
    {
        /// <summary>Reads the record into <paramref name="buffer"/>. False if there is none (or it is unreadable, or longer than the buffer).</summary>
        bool TryRead(string key, byte[] buffer, out int length);

        /// <summary>
        /// True if a record is stored under <paramref name="key"/>, readable or not. With
        /// <see cref="TryRead"/> it tells "never written" (false) from "present but unreadable"
        /// (true while TryRead fails: a damaged file, a failed check, too long): safety records
        /// treat the second as corrupt, never as missing (the PEST latch fails safe as latched).
        /// </summary>
        bool HasRecord(string key);

        /// <summary>Replaces the record with the first <paramref name="length"/> bytes of <paramref name="data"/>, atomically.</summary>
        void Write(string key, byte[] data, int length);

        /// <summary>Removes the record or segment, if any.</summary>
        void Delete(string key);

        /// <summary>Adds the first <paramref name="length"/> bytes of <paramref name="data"/> at the end of the segment (created if missing).</summary>
        void Append(string key, byte[] data, int length);

        /// <summary>
        /// Reads up to <paramref name="count"/> bytes of the segment from byte <paramref name="position"/>
        /// into <paramref name="buffer"/> at <paramref name="offset"/>.
        /// </summary>
        /// <returns>Bytes read: fewer than <paramref name="count"/> at the segment's end, 0 past it or if there is no segment.</returns>
        int ReadAt(string key, int position, byte[] buffer, int offset, int count);
    }
}
