using System;
using System.IO;
using System.Text;
using IndraSmartPro.MqttTests.Brokers;
using IndraSmartPro.Simulator.Mqtt;
using Xunit;
using Xunit.Abstractions;

namespace IndraSmartPro.MqttTests;

/// <summary>TLS on the deploy/ configuration: the broker is trusted through the deployment's CA and its name.</summary>
public sealed class TlsTests : IDisposable
{
    private const string Device = "SPT00001";
    private readonly TestBroker _broker;

    public TlsTests(ITestOutputHelper output)
    {
        _broker = TestBroker.StartSecured(Device);
        output.WriteLine("broker: " + _broker.Name);
    }

    public void Dispose() => _broker.Dispose();

    [Fact]
    public void Tls_WithDeploymentCa_ConnectsAndPublishes()
    {
        using var device = new MqttNetTransport(_broker.Endpoint(tls: true));
        Assert.True(device.Connect(Device, Device, _broker.Passwords[Device], "indra/SPT00001/availability", Encoding.ASCII.GetBytes("offline")), device.LastError);
        Assert.True(device.Publish("indra/SPT00001/availability", Encoding.ASCII.GetBytes("online"), 1, true));
    }

    [Fact]
    public void Tls_WithoutTheCa_ConnectFails()
    {
        using var device = new MqttNetTransport(_broker.Endpoint(tls: true, trustTestCa: false));
        Assert.False(device.Connect(Device, Device, _broker.Passwords[Device], null, null));
        Assert.False(device.IsConnected);
    }

    [Fact]
    public void Tls_OtherCa_ConnectFails()
    {
        // A certificate from a different CA (an attacker's broker) must not be accepted.
        string other = Path.Combine(_broker.Directory, "other");
        var make = System.Diagnostics.Process.Start("bash", new[] { Path.Combine(TestBroker.RepoRoot(), "deploy", "mosquitto", "make-test-certs.sh"), other });
        make.WaitForExit(30000);
        var endpoint = _broker.Endpoint(tls: true);
        using var device = new MqttNetTransport(new MqttBrokerEndpoint { Host = endpoint.Host, Port = endpoint.Port, UseTls = true, CaFile = Path.Combine(other, "ca.crt"), ConnectTimeout = endpoint.ConnectTimeout });
        Assert.False(device.Connect(Device, Device, _broker.Passwords[Device], null, null));
    }

    [Fact]
    public void Tls_NameNotInCertificate_ConnectFails()
    {
        var endpoint = _broker.Endpoint(tls: true);
        using var device = new MqttNetTransport(new MqttBrokerEndpoint { Host = "127.0.0.1", TlsServerName = "broker.example.net", Port = endpoint.Port, UseTls = true, CaFile = endpoint.CaFile, ConnectTimeout = endpoint.ConnectTimeout });
        Assert.False(device.Connect(Device, Device, _broker.Passwords[Device], null, null));
    }

    [Fact]
    public void Tls_PlainClientOnTlsPort_ConnectFails()
    {
        var endpoint = _broker.Endpoint(tls: true);
        using var device = new MqttNetTransport(new MqttBrokerEndpoint { Host = "127.0.0.1", Port = endpoint.Port, ConnectTimeout = TimeSpan.FromSeconds(2) });
        Assert.False(device.Connect(Device, Device, _broker.Passwords[Device], null, null));
    }

    [Fact]
    public void Tls_BrokerRequiresClientCertificate_ConnectsOnlyWithOne()
    {
        using var strict = TestBroker.StartSecured(true, Device);
        using var without = new MqttNetTransport(strict.Endpoint(tls: true));
        Assert.False(without.Connect(Device, Device, strict.Passwords[Device], null, null));

        using var with = new MqttNetTransport(strict.Endpoint(tls: true, clientCertificate: true));
        Assert.True(with.Connect(Device, Device, strict.Passwords[Device], null, null), with.LastError);
    }
}
