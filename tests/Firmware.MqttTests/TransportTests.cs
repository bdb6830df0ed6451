using System;
using System.Text;
using IndraSmartPro.MqttTests.Brokers;
using IndraSmartPro.Simulator.Mqtt;
using IndraSmartPro.Telemetry;
using Xunit;
using Xunit.Abstractions;

namespace IndraSmartPro.MqttTests;

/// <summary>The MQTTnet transport against a real broker: availability, last will, retained messages, commands in.</summary>
public sealed class TransportTests : IDisposable
{
    private readonly TestBroker _broker;
    private readonly ITestOutputHelper _output;

    public TransportTests(ITestOutputHelper output)
    {
        _output = output;
        _broker = TestBroker.StartPlain();
        _output.WriteLine("broker: " + _broker.Name);
    }

    public void Dispose() => _broker.Dispose();

    [Fact]
    public void Transport_DeviceVanishes_BrokerPublishesRetainedOfflineWill()
    {
        var topics = new MqttTopics("SP000001");
        using var relay = TcpRelay.To(_broker.Port);
        var endpoint = _broker.Endpoint();
        using var device = new MqttNetTransport(new MqttBrokerEndpoint { Host = "127.0.0.1", Port = relay.Port, KeepAlive = endpoint.KeepAlive, ConnectTimeout = endpoint.ConnectTimeout, OperationTimeout = endpoint.OperationTimeout });
        var sink = new RecordingSink();
        device.Sink = sink;

        Assert.True(device.Connect(topics.Serial, null, null, topics.Availability, Encoding.ASCII.GetBytes("offline")), device.LastError);
        Assert.True(device.Publish(topics.Availability, Encoding.ASCII.GetBytes("online"), 1, true));

        // A subscriber that arrives later is told the device is online: the message is retained.
        using (var late = Observer.Connect(endpoint, null, null, topics.Availability))
        {
            Assert.NotNull(late.WaitFor(m => m.Payload == "online"));
        }

        using var watcher = Observer.Connect(endpoint, null, null, topics.Availability);
        Assert.NotNull(watcher.WaitFor(m => m.Payload == "online"));

        relay.Cut();

        Assert.NotNull(watcher.WaitFor(m => m.Payload == "offline"));
        using (var later = Observer.Connect(endpoint, null, null, topics.Availability))
        {
            var retained = later.WaitFor(_ => true);
            Assert.Equal("offline", retained?.Payload);
        }

        Assert.True(sink.WaitForLost(Observer.DefaultWait), "the transport reports the lost session");
        Assert.False(device.IsConnected);
    }

    [Fact]
    public void Transport_CleanDisconnect_NoWillAndNoLostReport()
    {
        var topics = new MqttTopics("SP000002");
        var device = new MqttNetTransport(_broker.Endpoint());
        var sink = new RecordingSink();
        device.Sink = sink;
        Assert.True(device.Connect(topics.Serial, null, null, topics.Availability, Encoding.ASCII.GetBytes("offline")), device.LastError);
        Assert.True(device.Publish(topics.Availability, Encoding.ASCII.GetBytes("online"), 1, true));
        using var watcher = Observer.Connect(_broker.Endpoint(), null, null, topics.Availability);
        Assert.NotNull(watcher.WaitFor(m => m.Payload == "online"));

        device.Disconnect();
        device.Dispose();

        // A marker published after the disconnect arrives; a will would have arrived before it.
        using var other = Observer.Connect(_broker.Endpoint(), null, null);
        Assert.True(other.Publish(topics.Availability, "marker"));
        Assert.NotNull(watcher.WaitFor(m => m.Payload == "marker"));
        Assert.DoesNotContain(watcher.Messages, m => m.Payload == "offline");
        Assert.Equal(0, sink.LostCount);
    }

    [Fact]
    public void Transport_SubscribedToCommands_ReceivesQos1CommandsWithPayload()
    {
        var topics = new MqttTopics("SP000003");
        using var device = new MqttNetTransport(_broker.Endpoint());
        var sink = new RecordingSink();
        device.Sink = sink;
        Assert.True(device.Connect(topics.Serial, null, null, topics.Availability, Encoding.ASCII.GetBytes("offline")), device.LastError);
        Assert.True(device.Subscribe(topics.CommandFilter, 1));

        using var engineer = Observer.Connect(_broker.Endpoint(), null, null);
        Assert.True(engineer.Publish(topics.CommandPrefix + "pause", "{\"id\":\"p-1\"}"));

        var got = sink.WaitForMessage(Observer.DefaultWait);
        Assert.NotNull(got);
        Assert.Equal(topics.CommandPrefix + "pause", got.Topic);
        Assert.Equal("{\"id\":\"p-1\"}", got.Payload);
    }

    [Fact]
    public void Transport_NothingListening_ConnectReturnsFalseWithinTimeout()
    {
        int port = EmbeddedBroker.FreeLoopbackPort();
        using var device = new MqttNetTransport(new MqttBrokerEndpoint { Host = "127.0.0.1", Port = port, ConnectTimeout = TimeSpan.FromSeconds(5) });
        Assert.False(device.Connect("SP000004", null, null, null, null));
        Assert.False(device.IsConnected);
        Assert.False(device.Publish("indra/SP000004/status", new byte[] { 1 }, 1, true));
        Assert.False(device.Subscribe("indra/SP000004/cmd/#", 1));
        device.Disconnect();
    }

    [Fact]
    public void Transport_BrokerNeverAnswers_ConnectGivesUpAtItsTimeout()
    {
        using var silent = TcpRelay.Silent();
        using var device = new MqttNetTransport(new MqttBrokerEndpoint { Host = "127.0.0.1", Port = silent.Port, ConnectTimeout = TimeSpan.FromMilliseconds(300) });
        Assert.False(device.Connect("SP000005", null, null, null, null));
        Assert.Equal(1, silent.Accepted);
    }
}
