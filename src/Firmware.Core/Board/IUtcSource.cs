namespace IndraSmartPro.Board
{
    /// <summary>
    /// Where the time of day comes from: on the ESP32 the system time that SNTP sets
    /// (nanoFramework.Networking.Sntp), in the simulator the scenario's start time plus simulated
    /// time. The ESP32 has no battery-backed clock, so after every power-up there is no time until
    /// the network answers. Logic never reads this directly: it reads <see cref="Time.WallClock"/>,
    /// which handles the "not yet synchronised" state and keeps the last known time across reboots.
    /// </summary>
    public interface IUtcSource
    {
        /// <summary>
        /// Reads the time as UTC milliseconds since 1970-01-01T00:00:00Z. False while the source
        /// has no time it trusts (SNTP has not answered since power-up).
        /// </summary>
        bool TryReadUtcMilliseconds(out long utcMilliseconds);
    }
}
