using System.Threading;
using IndraSmartPro.Network;
using IndraSmartPro.Telemetry;

namespace IndraSmartPro.Simulator.Mqtt;

/// <summary>The host's <see cref="IWorkerWake"/>: an auto-reset event, as on the device.</summary>
public sealed class WorkerWake : IWorkerWake, System.IDisposable
{
    private readonly AutoResetEvent _event = new AutoResetEvent(false);

    /// <inheritdoc/>
    public void Set() => _event.Set();

    /// <inheritdoc/>
    public void Wait(int timeoutMilliseconds) => _event.WaitOne(timeoutMilliseconds);

    /// <summary>Releases the event.</summary>
    public void Dispose() => _event.Dispose();
}
