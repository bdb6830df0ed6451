namespace IndraSmartPro.Scheduling
{
    /// <summary>
    /// A piece of work the scheduler runs at a fixed period. Run must return quickly (within the
    /// budget it was registered with), must not block, sleep or allocate in steady state.
    /// </summary>
    public interface IPeriodicTask
    {
        /// <summary>Does one period's work. <paramref name="nowMicroseconds"/> is the clock when the run began.</summary>
        void Run(long nowMicroseconds);
    }
}
