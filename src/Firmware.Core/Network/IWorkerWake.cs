namespace IndraSmartPro.Network
{
    /// <summary>
    /// Lets the scheduler side wake the network worker early, and the worker wait for it. On the
    /// device and on the host it wraps an AutoResetEvent; the implementations live outside the
    /// portable code (Board/Esp32, host code) because .NET's AutoResetEvent.Set is declared on a
    /// type nanoFramework does not have, which the portable-code gate refuses.
    /// </summary>
    public interface IWorkerWake
    {
        /// <summary>Wakes the worker if it is waiting (or makes its next wait return at once). Never blocks.</summary>
        void Set();

        /// <summary>Waits until <see cref="Set"/> or the timeout, in milliseconds. Network thread only.</summary>
        void Wait(int timeoutMilliseconds);
    }
}
