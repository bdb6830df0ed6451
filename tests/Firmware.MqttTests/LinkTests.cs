using System;
using System.Linq;
using System.Text;
using ParsedJson = System.Text.Json.JsonDocument;
using IndraSmartPro.MqttTests.Brokers;
using IndraSmartPro.Network;
using IndraSmartPro.Simulator.Mqtt;
using IndraSmartPro.Simulator.VirtualBoard;
using IndraSmartPro.Telemetry;
using Xunit;
using Xunit.Abstractions;

namespace IndraSmartPro.MqttTests;

/// <summary>
/// The portable <see cref="MqttLink"/> over the MQTTnet transport and a real broker. The test
/// thread is the network thread (it calls <see cref="MqttLink.Step"/>), and the link's clock is a
/// simulated one the test moves past each reconnect delay, so nothing waits for a backoff.
/// </summary>
public sealed class LinkTests : IDisposable
{
    private const int MaxSteps = 200;
    private readonly TestBroker _broker;
    private readonly SimulatedClock _clock = new SimulatedClock();

    public LinkTests(ITestOutputHelper output)
    {
        _broker = TestBroker.StartPlain();
        output.WriteLine("broker: " + _broker.Name);
    }

    public void Dispose() => _broker.Dispose();

    [Fact]
    public void Link_EventsWhileBrokerDown_DeliveredInOrderAfterReconnectAndLossCounted()
    {
        var topics = new MqttTopics("SPL00001");
        using var transport = new MqttNetTransport(_broker.Endpoint());
        var options = new MqttLinkOptions { OutboxCapacity = 16 };
        var link = new MqttLink(transport, _clock, new XorShiftRandom(7), topics, options);

        StepUntil(link, () => link.IsConnected);
        Enqueue(link, 0);
        using (var before = Observer.Connect(_broker.Endpoint(), null, null, topics.Event))
        {
            StepUntil(link, () => link.OutboxCount == 0);
        }

        _broker.Stop();
        StepUntil(link, () => !link.IsConnected);

        // 20 events into a ring of 16 while the broker is away: the 4 oldest go.
        for (int i = 1; i <= 20; i++)
        {
            Enqueue(link, i);
        }

        Assert.Equal(4, link.EventsDropped);
        _broker.Restart();
        using var observer = Observer.Connect(_broker.Endpoint(), null, null, topics.Event);
        StepUntil(link, () => link.IsConnected && link.OutboxCount == 0);

        var got = observer.WaitForCount(_ => true, 16);
        Assert.Equal(16, got.Length);
        int[] sequence = got.Select(m => ParsedJson.Parse(m.Payload).RootElement.GetProperty("seq").GetInt32()).ToArray();
        Assert.Equal(Enumerable.Range(5, 16).ToArray(), sequence);

        // The loss waits for the telemetry task's events-dropped notice (it numbers it in the event sequence).
        Assert.True(link.Outbox.TakeUnreported(out int events, out int total, out int unanswered, out _));
        Assert.Equal(4, events);
        Assert.Equal(4, total);
        Assert.Equal(0, unanswered);
    }

    [Fact]
    public void Link_Connect_SubscribesAndSaysOnlineRetained_AndCommandsReachTheQueue()
    {
        var topics = new MqttTopics("SPL00002");
        using var transport = new MqttNetTransport(_broker.Endpoint());
        var link = new MqttLink(transport, _clock, new XorShiftRandom(7), topics, new MqttLinkOptions());
        StepUntil(link, () => link.IsConnected);

        using var engineer = Observer.Connect(_broker.Endpoint(), null, null, topics.Availability);
        Assert.Equal("online", engineer.WaitFor(_ => true)?.Payload);

        Assert.True(engineer.Publish(topics.CommandPrefix + "refresh-status", "{\"id\":\"r-1\"}"));
        var inbound = new InboundMessage(CommandProcessor.MaxPayloadBytes);
        var deadline = DateTime.UtcNow + Observer.DefaultWait;
        while (!link.TryTakeCommand(inbound) && DateTime.UtcNow < deadline)
        {
            link.Step();
        }

        Assert.Equal(topics.CommandPrefix + "refresh-status", inbound.Topic);

        link.Shutdown();
        using var after = Observer.Connect(_broker.Endpoint(), null, null, topics.Availability);
        Assert.Equal("offline", after.WaitFor(_ => true)?.Payload);
    }

    private static void Enqueue(MqttLink link, int seq)
    {
        byte[] payload = Encoding.UTF8.GetBytes("{\"v\":1,\"seq\":" + seq + ",\"type\":\"notice\",\"code\":\"test\"}");
        Assert.True(link.EnqueueEvent(payload, payload.Length));
    }

    private void StepUntil(MqttLink link, Func<bool> done)
    {
        for (int i = 0; i < MaxSteps && !done(); i++)
        {
            // Jump past any reconnect delay: the backoff is MqttLink's (tested on a fake transport).
            _clock.AdvanceTo(Math.Max(_clock.NowMicroseconds, link.NextAttemptMicroseconds) + 1000);
            link.Step();
            if (!done())
            {
                // Real sockets: give the broker a moment to answer (bounded by MaxSteps).
                System.Threading.Thread.Sleep(5);
            }
        }

        Assert.True(done(), "condition not reached in " + MaxSteps + " network steps");
    }
}
