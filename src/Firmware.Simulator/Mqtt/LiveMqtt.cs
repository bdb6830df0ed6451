using System;
using System.Collections.Generic;
using System.IO;
using IndraSmartPro.Network;
using IndraSmartPro.Telemetry;

namespace IndraSmartPro.Simulator.Mqtt;

/// <summary>
/// MQTT for the simulator's live mode: the embedded broker (unless <c>--broker</c>), and one
/// <see cref="MqttDevice"/> per virtual charger. Attach before the hosts boot, then
/// <see cref="StartNetwork"/>; disposing says "offline" for each charger and stops the broker.
/// </summary>
public sealed class LiveMqtt : IDisposable
{
    private readonly EmbeddedBroker _broker;
    private readonly List<MqttDevice> _devices = new List<MqttDevice>();
    private readonly List<int> _reportedChanges = new List<int>();

    private LiveMqtt(EmbeddedBroker broker, MqttBrokerEndpoint endpoint)
    {
        _broker = broker;
        Endpoint = endpoint;
    }

    /// <summary>Where the chargers connect.</summary>
    public MqttBrokerEndpoint Endpoint { get; }

    /// <summary>The embedded broker, or null with <c>--broker</c>.</summary>
    public EmbeddedBroker Broker => _broker;

    /// <summary>The chargers' MQTT sides, in host order.</summary>
    public IReadOnlyList<MqttDevice> Devices => _devices;

    /// <summary>
    /// Starts the embedded broker if needed and attaches MQTT to every host (before they boot).
    /// Says on <paramref name="stderr"/> where the broker is and how to watch it.
    /// </summary>
    public static LiveMqtt Attach(MqttCliOptions options, IReadOnlyList<SimulatorHost> hosts, TextWriter stderr)
    {
        EmbeddedBroker broker = null;
        MqttBrokerEndpoint endpoint;
        if (options.BrokerHost == null)
        {
            try
            {
                broker = EmbeddedBroker.Start(options.EmbeddedPort);
            }
            catch (Exception e) when (e is System.Net.Sockets.SocketException || e.GetBaseException() is System.Net.Sockets.SocketException)
            {
                throw new UsageException("--mqtt-port " + options.EmbeddedPort + ": cannot listen (" + e.GetBaseException().Message + ")");
            }

            endpoint = new MqttBrokerEndpoint { Host = broker.Host, Port = broker.Port };
            stderr.WriteLine("MQTT: embedded broker listening on " + broker.Host + ":" + broker.Port + " (loopback, anonymous). Watch: mosquitto_sub -h " + broker.Host + " -p " + broker.Port + " -t 'indra/#' -v");
        }
        else
        {
            endpoint = options.ExternalEndpoint();
            stderr.WriteLine("MQTT: connecting to " + endpoint + (options.Tls && options.CaFile == null ? " (trusting the system CA store)" : string.Empty));
        }

        var live = new LiveMqtt(broker, endpoint);
        try
        {
            var telemetry = new TelemetryOptions();
            if (options.StatusIntervalSeconds != null)
            {
                telemetry.StatusIntervalSeconds = options.StatusIntervalSeconds.Value;
            }

            if (options.PowerIntervalSeconds != null)
            {
                telemetry.PowerIntervalSeconds = options.PowerIntervalSeconds.Value;
            }

            foreach (var host in hosts)
            {
                var (user, password) = options.CredentialsOf(host.Config.Serial);
                MqttNetTransport transport;
                try
                {
                    transport = new MqttNetTransport(endpoint);
                }
                catch (System.Security.Cryptography.CryptographicException e)
                {
                    throw new UsageException("--ca/--cert/--key: " + e.Message);
                }

                live._devices.Add(new MqttDevice(host, transport, user, password, telemetry));
            }

            string first = hosts[0].Config.Serial;
            stderr.WriteLine("MQTT: " + hosts.Count + (hosts.Count == 1 ? " charger, topics indra/" + first + "/..." : " chargers, indra/" + first + "/... to indra/" + hosts[hosts.Count - 1].Config.Serial + "/..."));
            return live;
        }
        catch
        {
            live.Dispose();
            throw;
        }
    }

    /// <summary>Starts every charger's network thread (after the hosts booted).</summary>
    public void StartNetwork()
    {
        foreach (var device in _devices)
        {
            device.Start();
        }
    }

    /// <summary>
    /// Says on <paramref name="stderr"/> every change of a charger's link state or last failure
    /// since the previous call (what a service engineer needs when a unit stays offline: a wrong
    /// password, TLS setup or broker address), with the delay before the next attempt.
    /// </summary>
    public void ReportLinkChanges(TextWriter stderr)
    {
        for (int i = 0; i < _devices.Count; i++)
        {
            MqttLink link = _devices[i].Link;
            int changes = link.StateChanges;
            if (_reportedChanges.Count <= i)
            {
                _reportedChanges.Add(0);
            }

            if (changes == _reportedChanges[i])
            {
                continue;
            }

            _reportedChanges[i] = changes;
            string state = link.State;
            string failure = link.LastFailure;
            string line = "MQTT " + _devices[i].Serial + ": " + state;
            if (state == LinkStates.Waiting)
            {
                line += " after " + (failure ?? LinkFailures.Other) + ", retry in " + (link.LastBackoffMilliseconds / 1000.0).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " s";
                if (_devices[i].Transport is MqttNetTransport net && net.LastError != null && failure != LinkFailures.Lost)
                {
                    line += " (" + net.LastError + ")";
                }
            }

            stderr.WriteLine(line);
        }
    }

    /// <summary>
    /// Stops the chargers (each says "offline") and the embedded broker. All are asked at once and
    /// given 5 s together, so a fleet whose broker is unreachable does not take 5 s per charger.
    /// </summary>
    public void Dispose()
    {
        foreach (var device in _devices)
        {
            device.RequestStop();
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        foreach (var device in _devices)
        {
            device.WaitStopped(deadline - DateTime.UtcNow);
        }

        foreach (var device in _devices)
        {
            device.Stop(TimeSpan.Zero);
        }

        _broker?.Dispose();
    }
}
