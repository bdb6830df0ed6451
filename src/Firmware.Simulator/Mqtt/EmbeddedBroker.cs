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

        server.ValidatingConnectionAsync += e =>
        {
            AssignClientId(e);
            return System.Threading.Tasks.Task.CompletedTask;
        };
        server.StartAsync().GetAwaiter().GetResult();
        return new EmbeddedBroker(server, chosen);
    }

    // mosquitto_sub and mosquitto_pub (2.x) connect over MQTT 3.1.1 with an empty client id and
    // a clean session, which the standard lets a server accept by assigning an id (MQTT 3.1.1,
    // 3.1.3-6). MQTTnet 5.2 assigns one only for MQTT 5 and otherwise refuses ("identifier
    // rejected"), so the demo's `mosquitto_sub -t 'indra/#'` would fail. The CONNECT packet is
    // not exposed to the validation handler; set its client id through the handler's private
    // field. If a later MQTTnet renames the field, nothing breaks but that: tools then need -i.
    private static readonly System.Reflection.FieldInfo ConnectPacketField =
        typeof(ValidatingConnectionEventArgs).GetField("_connectPacket", System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);

    private static void AssignClientId(ValidatingConnectionEventArgs e)
    {
        if (!string.IsNullOrEmpty(e.ClientId) || e.CleanSession != true)
        {
            return;
        }

        string assigned = "auto-" + Guid.NewGuid().ToString("N");
        e.AssignedClientIdentifier = assigned;
        if (ConnectPacketField?.GetValue(e) is MQTTnet.Packets.MqttConnectPacket packet)
        {
            packet.ClientId = assigned;
        }
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
