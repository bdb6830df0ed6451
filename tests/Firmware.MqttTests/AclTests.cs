using System;
using System.Linq;
using System.Text;
using IndraSmartPro.MqttTests.Brokers;
using IndraSmartPro.Simulator.Mqtt;
using IndraSmartPro.Telemetry;
using Xunit;
using Xunit.Abstractions;

namespace IndraSmartPro.MqttTests;

/// <summary>
/// The deploy/mosquitto ACL and configuration on a real mosquitto, over TLS as deployed: a device
/// reads and writes only its own root, engineers read everything and may command.
/// </summary>
public sealed class AclTests : IDisposable
{
    private const string DeviceA = "SPA00001";
    private const string DeviceB = "SPB00002";
    private const string Engineer = "engineer-alice";

    private readonly TestBroker _broker;
    private readonly MqttTopics _a = new MqttTopics(DeviceA);
    private readonly MqttTopics _b = new MqttTopics(DeviceB);

    public AclTests(ITestOutputHelper output)
    {
        _broker = TestBroker.StartSecured(DeviceA, DeviceB, Engineer);
        output.WriteLine("broker: " + _broker.Name);
    }

    public void Dispose() => _broker.Dispose();

    [Fact]
    public void Acl_DeviceA_CannotReadDeviceBTopics()
    {
        using var engineer = Connect(Engineer, "indra/#");
        using var a = Connect(DeviceA, _b.Root + "#", "indra/#", _a.CommandFilter);
        using var b = Connect(DeviceB, _b.CommandFilter);

        Assert.True(b.Publish(_b.Status, "{\"v\":1,\"serial\":\"SPB00002\"}", retain: true));
        Assert.True(b.Publish(_b.Event, "{\"v\":1,\"type\":\"boot\"}"));
        Assert.NotNull(engineer.WaitFor(m => m.Topic == _b.Event));

        // A marker on A's own command topic (engineers may command) arrives after B's messages
        // would have: by then A has seen nothing of B, retained or live.
        Assert.True(engineer.Publish(_a.CommandPrefix + "refresh-status", "{\"id\":\"marker\"}"));
        Assert.NotNull(a.WaitFor(m => m.Topic == _a.CommandPrefix + "refresh-status"));
        Assert.DoesNotContain(a.Messages, m => m.Topic.StartsWith(_b.Root, StringComparison.Ordinal));

        // A new session of A (it replaces the first: same user, so same client id) subscribing
        // late does not get B's retained status either.
        a.Dispose();
        using var aLate = Connect(DeviceA, _b.Status, _a.CommandFilter);
        Assert.True(engineer.Publish(_a.CommandPrefix + "refresh-status", "{\"id\":\"marker-2\"}"));
        Assert.NotNull(aLate.WaitFor(m => m.Payload.Contains("marker-2")));
        Assert.DoesNotContain(aLate.Messages, m => m.Topic.StartsWith(_b.Root, StringComparison.Ordinal));
    }

    [Fact]
    public void Acl_DeviceA_CannotCommandDeviceB_BrokerDropsIt()
    {
        using var b = Connect(DeviceB, _b.CommandFilter);
        using var a = Connect(DeviceA);
        using var engineer = Connect(Engineer, "indra/#");

        // MQTT 3.1.1 has no way to refuse a publish: mosquitto acknowledges and drops it.
        a.Publish(_b.CommandPrefix + "pause", "{\"id\":\"evil\"}");
        Assert.True(engineer.Publish(_b.CommandPrefix + "refresh-status", "{\"id\":\"marker\"}"));

        Assert.NotNull(b.WaitFor(m => m.Payload.Contains("marker")));
        Assert.DoesNotContain(b.Messages, m => m.Payload.Contains("evil"));
        Assert.DoesNotContain(engineer.Messages, m => m.Payload.Contains("evil"));
    }

    [Fact]
    public void Acl_DeviceA_CannotPublishUnderDeviceBRoot()
    {
        using var engineer = Connect(Engineer, "indra/#");
        using var a = Connect(DeviceA);

        a.Publish(_b.Status, "{\"forged\":true}", retain: true);
        a.Publish(_b.Availability, "offline", retain: true);
        Assert.True(a.Publish(_a.Status, "{\"own\":true}", retain: true));

        Assert.NotNull(engineer.WaitFor(m => m.Topic == _a.Status));
        Assert.DoesNotContain(engineer.Messages, m => m.Topic.StartsWith(_b.Root, StringComparison.Ordinal));
    }

    [Fact]
    public void Acl_Engineer_ReadsEveryDeviceAndCommandsOne()
    {
        using var engineer = Connect(Engineer, "indra/#");
        using var a = Connect(DeviceA, _a.CommandFilter);
        using var b = Connect(DeviceB, _b.CommandFilter);

        Assert.True(a.Publish(_a.Event, "{\"from\":\"a\"}"));
        Assert.True(b.Publish(_b.Event, "{\"from\":\"b\"}"));
        Assert.Equal(2, engineer.WaitForCount(m => m.Topic.EndsWith("/event", StringComparison.Ordinal), 2).Length);

        Assert.True(engineer.Publish(_b.CommandPrefix + "set-current-limit", "{\"id\":\"e-1\",\"amps\":10}"));
        Assert.NotNull(b.WaitFor(m => m.Payload.Contains("e-1")));

        // Engineers command; they do not speak for a device.
        engineer.Publish(_a.Status, "{\"forged\":true}", retain: true);
        Assert.True(a.Publish(_a.Event, "{\"marker\":true}"));
        Assert.NotNull(engineer.WaitFor(m => m.Payload.Contains("marker")));
        Assert.DoesNotContain(engineer.Messages, m => m.Payload.Contains("forged"));
        Assert.DoesNotContain(a.Messages, m => m.Payload.Contains("e-1"));
    }

    [Fact]
    public void Acl_DeviceUsingAnotherSerialAsClientId_DoesNotEvictThatDevice()
    {
        using var b = Connect(DeviceB, _b.CommandFilter);
        var sink = new RecordingSink();
        b.Transport.Sink = sink;

        // A's credentials with B's client id: the broker uses A's user name as client id instead.
        using var a = new MqttNetTransport(_broker.Endpoint(tls: true));
        Assert.True(a.Connect(DeviceB, DeviceA, _broker.Passwords[DeviceA], null, null), a.LastError);

        using var engineer = Connect(Engineer);
        Assert.True(engineer.Publish(_b.CommandPrefix + "refresh-status", "{\"id\":\"still-there\"}"));
        Assert.NotNull(sink.WaitForMessage(Observer.DefaultWait));
        Assert.True(b.Transport.IsConnected);
        Assert.Equal(0, sink.LostCount);
    }

    [Fact]
    public void Acl_NoDefaultAccess_AnonymousAndWrongPasswordAreRefused()
    {
        using var anonymous = new MqttNetTransport(_broker.Endpoint(tls: true));
        Assert.False(anonymous.Connect("anon", null, null, null, null));
        using var wrong = new MqttNetTransport(_broker.Endpoint(tls: true));
        Assert.False(wrong.Connect(DeviceA, DeviceA, "not-the-password", null, null));
        using var plainLoopbackAnonymous = new MqttNetTransport(_broker.Endpoint(tls: false));
        Assert.False(plainLoopbackAnonymous.Connect("anon", null, null, null, null));
    }

    private Observer Connect(string user, params string[] filters) =>
        Observer.Connect(_broker.Endpoint(tls: true), user, _broker.Passwords[user], filters);
}
