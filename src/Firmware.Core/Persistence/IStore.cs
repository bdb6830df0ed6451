namespace IndraSmartPro.Persistence
{
    /// <summary>
    /// Small named records that survive a reboot and a power cut: the latched trip, the energy
    /// counters, the commissioning settings. On the ESP32 a file on the internal flash drive; in
    /// the simulator a file or memory. Contract: <see cref="Write"/> is atomic per key: after a
    /// power cut at any instant, a read returns either the old record whole or the new one whole.
    /// Off the hot path only: writes take milliseconds on flash.
    /// </summary>
    public interface IStore
    {
        /// <summary>Reads the record into <paramref name="buffer"/>. False if there is none (or it is unreadable).</summary>
        bool TryRead(string key, byte[] buffer, out int length);

        /// <summary>Replaces the record with the first <paramref name="length"/> bytes of <paramref name="data"/>, atomically.</summary>
        void Write(string key, byte[] data, int length);

        /// <summary>Removes the record, if any.</summary>
        void Delete(string key);
    }
}
