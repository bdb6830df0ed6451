using System.Threading;
using IndraSmartPro.Network;
using IndraSmartPro.Telemetry;

namespace IndraSmartPro.Board.Esp32
{
    /// <summary>The device's <see cref="IWorkerWake"/>: nanoFramework's AutoResetEvent.</summary>
    public sealed class AutoResetWorkerWake : IWorkerWake
    {
        private readonly AutoResetEvent _event = new AutoResetEvent(false);

        /// <inheritdoc/>
        public void Set() => _event.Set();

        /// <inheritdoc/>
        public void Wait(int timeoutMilliseconds) => _event.WaitOne(timeoutMilliseconds, false);
    }
}
