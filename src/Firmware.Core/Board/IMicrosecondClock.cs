namespace IndraSmartPro.Board
{
    /// <summary>
    /// Monotonic time since boot. On the ESP32 it is the 64-bit esp_timer (HighResTimer); in the
    /// simulator it is simulated time. Logic never reads wall-clock time: every timeout and rate
    /// is measured against this clock, so tests advance it instead of sleeping.
    /// </summary>
    public interface IMicrosecondClock
    {
        /// <summary>Microseconds since boot, never decreasing.</summary>
        long NowMicroseconds { get; }
    }
}
