using System;
using System.Threading;
using IndraSmartPro.Network;
using IndraSmartPro.Telemetry;

namespace IndraSmartPro.Simulator.Mqtt;

/// <summary>
/// One virtual charger on MQTT: the firmware's own link and telemetry task
/// (<see cref="Firmware.ChargerFirmware.AttachMqtt"/>) over an <see cref="MqttNetTransport"/>,
/// with the link's worker on a dedicated network thread, as on the device. The simulator thread
/// keeps running the scheduler; it never calls the transport.
/// </summary>
public sealed class MqttDevice : IDisposable
{
    private readonly WorkerWake _wake = new WorkerWake();
    private Thread _thread;

    /// <summary>Attaches MQTT to <paramref name="host"/>'s firmware; call before the host boots.</summary>
    public MqttDevice(SimulatorHost host, MqttBrokerEndpoint endpoint, string userName, string password, TelemetryOptions telemetry = null)
        : this(host, new MqttNetTransport(endpoint), userName, password, telemetry)
    {
    }

    /// <summary>Attaches MQTT on any transport (tests use a blocking one); call before the host boots.</summary>
    public MqttDevice(SimulatorHost host, IMqttTransport transport, string userName, string password, TelemetryOptions telemetry = null)
    {
        Host = host ?? throw new ArgumentNullException(nameof(host));
        Transport = transport ?? throw new ArgumentNullException(nameof(transport));
        var options = new MqttLinkOptions { UserName = userName, Password = password };
        Link = host.Firmware.AttachMqtt(transport, options, telemetry ?? new TelemetryOptions());
        Link.Wake = _wake;
    }

    /// <summary>The simulated charger.</summary>
    public SimulatorHost Host { get; }

    /// <summary>The transport the link uses.</summary>
    public IMqttTransport Transport { get; }

    /// <summary>The firmware's MQTT link.</summary>
    public MqttLink Link { get; }

    /// <summary>The device serial.</summary>
    public string Serial => Link.Topics.Serial;

    /// <summary>Starts the network thread.</summary>
    public void Start()
    {
        if (_thread != null)
        {
            throw new InvalidOperationException("already started");
        }

        _thread = new Thread(Link.Run) { IsBackground = true, Name = "mqtt " + Serial };
        _thread.Start();
    }

    /// <summary>Asks the network thread to finish (it says "offline" and disconnects when connected); returns at once.</summary>
    public void RequestStop() => Link.Stop();

    /// <summary>Waits until the network thread finished or <paramref name="timeout"/> passed; true when it finished.</summary>
    public bool WaitStopped(TimeSpan timeout) => _thread == null || _thread.Join(timeout < TimeSpan.Zero ? TimeSpan.Zero : timeout);

    /// <summary>
    /// Stops the network thread, waiting at most <paramref name="timeout"/> for a worker blocked in
    /// the network; then closes the transport (which ends a connect still hanging).
    /// </summary>
    public void Stop(TimeSpan timeout)
    {
        RequestStop();
        WaitStopped(timeout);
        (Transport as IDisposable)?.Dispose();
    }

    /// <summary>Stops with a 5 s limit.</summary>
    public void Dispose()
    {
        Stop(TimeSpan.FromSeconds(5));
        _wake.Dispose();
    }
}
