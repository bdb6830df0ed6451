using System;
using IndraSmartPro.Network;

namespace IndraSmartPro.Simulator.Mqtt;

/// <summary>
/// Where a host MQTT client connects and how: address, TLS trust, optional client certificate
/// and the time limits that turn MQTTnet's asynchronous calls into the bounded blocking calls
/// <see cref="IndraSmartPro.Telemetry.IMqttTransport"/> promises.
/// </summary>
public sealed class MqttBrokerEndpoint
{
    /// <summary>Broker host name or address.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>Broker TCP port (1883 plain, 8883 TLS by convention).</summary>
    public int Port { get; init; } = 1883;

    /// <summary>Use TLS. The server certificate must chain to <see cref="CaFile"/> (or the system store) and match <see cref="TlsServerName"/>.</summary>
    public bool UseTls { get; init; }

    /// <summary>PEM file of the CA that signed the broker's certificate; null trusts the system store only.</summary>
    public string CaFile { get; init; }

    /// <summary>Name expected in the broker's certificate; defaults to <see cref="Host"/>.</summary>
    public string TlsServerName { get; init; }

    /// <summary>PEM client certificate for brokers that require one (mosquitto require_certificate); null for none.</summary>
    public string ClientCertificateFile { get; init; }

    /// <summary>PEM private key of <see cref="ClientCertificateFile"/>.</summary>
    public string ClientKeyFile { get; init; }

    /// <summary>Longest a connect (TCP, TLS, CONNACK) may take before it counts as failed.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest a subscribe, a QoS 1 publish (PUBACK) or a disconnect may take.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>MQTT keep-alive; the broker publishes the last will after 1.5 × this without traffic.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>"host:port" for messages.</summary>
    public override string ToString() => (UseTls ? "mqtts://" : "mqtt://") + Host + ":" + Port;

    /// <summary>Parses "host:port" (or "host", port 1883, or 8883 with TLS). Throws <see cref="FormatException"/>.</summary>
    public static (string Host, int Port) ParseHostPort(string text, bool tls)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new FormatException("empty broker address");
        }

        int colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            return (text, tls ? 8883 : 1883);
        }

        string host = text.Substring(0, colon);
        if (host.Length == 0
            || !int.TryParse(text.AsSpan(colon + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int port)
            || port < 1 || port > 65535)
        {
            throw new FormatException("broker must be host:port with a port 1..65535");
        }

        return (host, port);
    }
}
