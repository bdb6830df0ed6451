namespace IndraSmartPro.Telemetry
{
    /// <summary>
    /// What remote commands may ask of the charger. Called on the scheduler thread only, after a
    /// command passed validation. Each call either does what it says and returns true, or
    /// changes nothing and returns false with a short machine-readable refusal
    /// (e.g. "voltages-unhealthy"). Implementations never wait.
    /// </summary>
    public interface ICommandTarget
    {
        /// <summary>
        /// Sets the platform/manual current claim in the current arbiter, in milliamps
        /// (6000..unit rating), or clears it with 0. Safety and curtailment still take precedence.
        /// </summary>
        bool SetCurrentLimit(long nowMicroseconds, int milliamps, out string refusal);

        /// <summary>Pauses charging (current withdrawn, the session stays open).</summary>
        bool Pause(long nowMicroseconds, out string refusal);

        /// <summary>Resumes charging after <see cref="Pause"/>.</summary>
        bool Resume(long nowMicroseconds, out string refusal);

        /// <summary>
        /// Resets a latched PEST trip; refused unless the voltages are healthy again
        /// (BS 7671 722.411.4.1 (iv): reclose only while back in range).
        /// </summary>
        bool ResetTrip(long nowMicroseconds, out string refusal);
    }
}
