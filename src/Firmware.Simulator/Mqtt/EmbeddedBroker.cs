using System;
using System.Net;
using System.Net.Sockets;
using MQTTnet.Server;

namespace IndraSmartPro.Simulator.Mqtt;

/// <summary>
/// The simulator's demo broker (MQTTnet.Server) on the loopback interface only: anonymous,
/// plain TCP, retained messages and persistent sessions in memory. It exists so that
/// `mosquitto_sub -h 127.0.0.1 -p PORT -t 'indra/#' -v` shows the virtual charger with nothing
/// installed; a deployment uses mosquitto with TLS and per-device ACLs (deploy/mosquitto).
/// </summary>
public sealed class EmbeddedBroker : IDisposable
{
    /// <summary>The standard MQTT port, used when it is free.</summary>
    public const int PreferredPort = 1883;

    private readonly MqttServer _server;

    private EmbeddedBroker(MqttServer server, int port)
    {
        _server = server;
        Port = port;
    }

    /// <summary>The loopback port it listens on.</summary>
    public int Port { get; }

    /// <summary>Always 127.0.0.1.</summary>
    public string Host => "127.0.0.1";

    /// <summary>
    /// Starts a broker on 127.0.0.1: on <paramref name="port"/> if given, else on 1883 when free,
    /// else on a free port the system picks.
    /// </summary>
    public static EmbeddedBroker Start(int? port = null)
    {
        int chosen = port ?? (IsLoopbackPortFree(PreferredPort) ? PreferredPort : FreeLoopbackPort());
        var factory = new MqttServerFactory();
        var options = factory.CreateServerOptionsBuilder()
            .WithDefaultEndpoint()
            .WithDefaultEndpointBoundIPAddress(IPAddress.Loopback)
            .WithDefaultEndpointBoundIPV6Address(IPAddress.None)
            .WithDefaultEndpointPort(chosen)
            .WithPersistentSessions(true)
            .Build();
        var server = factory.CreateMqttServer(options);
        server.StartAsync().GetAwaiter().GetResult();
        return new EmbeddedBroker(server, chosen);
    }

    /// <summary>True when nothing listens on 127.0.0.1:<paramref name="port"/>.</summary>
    public static bool IsLoopbackPortFree(int port)
    {
        try
        {
            var probe = new TcpListener(IPAddress.Loopback, port);
            probe.Start();
            probe.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>A loopback port that was free a moment ago (the system's choice).</summary>
    public static int FreeLoopbackPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    /// <summary>Stops the broker.</summary>
    public void Dispose()
    {
        try
        {
            _server.StopAsync().GetAwaiter().GetResult();
        }
        finally
        {
            _server.Dispose();
        }
    }
}
