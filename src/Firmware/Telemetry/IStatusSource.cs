namespace IndraSmartPro.Telemetry
{
    /// <summary>
    /// Supplies the status fields that do not come from events: measured values, energy, PEST
    /// mode, pause, and (when a session module knows better than the derivation) the state.
    /// Called on the scheduler thread by the telemetry task; must be quick and allocate nothing.
    /// </summary>
    public interface IStatusSource
    {
        /// <summary>
        /// Fills what this source knows into <paramref name="status"/>. Fields it does not know it
        /// leaves alone (they keep what events set). Leave <see cref="ChargerStatus.State"/> null
        /// to let the telemetry task derive it.
        /// </summary>
        void Fill(long nowMicroseconds, ChargerStatus status);
    }
}
