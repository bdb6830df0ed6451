namespace IndraSmartPro.Metering
{
    /// <summary>
    /// Receives each completed mains cycle, synchronously, inside the protection task's run that
    /// took the cycle's last sample. PEST protection is one of these, so it acts in the same tick.
    /// </summary>
    public interface IMainsCycleListener
    {
        /// <summary>One cycle's results; the instance is reused, copy what you keep.</summary>
        void OnMainsCycle(MainsCycle cycle);
    }
}
