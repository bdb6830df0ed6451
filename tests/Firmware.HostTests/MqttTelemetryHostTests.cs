using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using JsonDocument = System.Text.Json.JsonDocument;
using IndraSmartPro.Simulator;
using IndraSmartPro.Telemetry;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>The whole firmware with MQTT composed in, on the virtual board (docs/mqtt.md).</summary>
public class MqttTelemetryHostTests
{
    private sealed class MemoryTransport : IMqttTransport
    {
        public readonly List<(string Topic, string Payload, bool Retain)> Published = new();

        public bool Up = true;

        public bool IsConnected { get; private set; }

        public IMqttMessageSink Sink { get; set; }

        public bool Connect(string clientId, string userName, string password, string willTopic, byte[] willPayload) => IsConnected = Up;

        public bool Subscribe(string topicFilter, int qos) => IsConnected;

        public bool Publish(string topic, byte[] payload, int qos, bool retain)
        {
            if (!IsConnected)
            {
                return false;
            }

            Published.Add((topic, Encoding.UTF8.GetString(payload), retain));
            return true;
        }

        public void Disconnect() => IsConnected = false;
    }

    [Fact]
    public void WholeFirmwareWithMqtt_100kTicksAfterWarmUp_SchedulerThreadAllocatesZeroBytes()
    {
        var host = new SimulatorHost();
        var link = host.Firmware.AttachMqtt(new MemoryTransport { Up = false }, new MqttLinkOptions(), null);
        host.Boot();
        host.Board.Ev.Load = Simulator.VirtualBoard.EvPilotLoad.Connected;
        host.RunFor(5_000_000);

        long before = GC.GetAllocatedBytesForCurrentThread();
        host.RunFor(130_000_000); // two status intervals and many power intervals, broker unreachable
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.False(link.IsConnected);
    }

    [Fact]
    public void WholeFirmwareWithMqtt_BrokerUp_PublishesAvailabilityBootEventStatusAndPower()
    {
        var host = new SimulatorHost();
        var transport = new MemoryTransport();
        var link = host.Firmware.AttachMqtt(transport, new MqttLinkOptions(), null);
        host.Boot();
        for (int i = 0; i < 620; i++) // past the 60 s status interval, so measured values are in
        {
            host.RunFor(100_000);
            link.Step();
        }

        string root = "indra/" + host.Config.Serial + "/";
        Assert.Equal((root + "availability", "online", true), transport.Published[0]);
        var boot = transport.Published.First(p => p.Topic == root + "event");
        using (var doc = JsonDocument.Parse(boot.Payload))
        {
            Assert.Equal("boot", doc.RootElement.GetProperty("type").GetString());
            Assert.Equal(0, doc.RootElement.GetProperty("seq").GetInt64());
        }

        var status = transport.Published.Last(p => p.Topic == root + "status");
        Assert.True(status.Retain);
        using (var doc = JsonDocument.Parse(status.Payload))
        {
            double vLn = doc.RootElement.GetProperty("vLn").GetDouble();
            Assert.InRange(vLn, 200, 260);
            Assert.Equal(host.Config.Serial, doc.RootElement.GetProperty("serial").GetString());
        }

        Assert.True(transport.Published.Count(p => p.Topic == root + "power") >= 1);
    }

    [Fact]
    public void WholeFirmwareWithMqtt_CommandOnNetworkThread_AnsweredAfterSchedulerRuns()
    {
        var host = new SimulatorHost();
        var transport = new MemoryTransport();
        var link = host.Firmware.AttachMqtt(transport, new MqttLinkOptions(), null);
        host.Boot();
        link.Step();
        string root = "indra/" + host.Config.Serial + "/";

        transport.Sink.OnMessage(root + "cmd/refresh-status", Encoding.UTF8.GetBytes("{\"id\":\"r1\"}"));
        transport.Sink.OnMessage(root + "cmd/pause", Encoding.UTF8.GetBytes("{\"id\":\"bad\""));
        host.RunFor(200_000);
        link.Step();

        var results = transport.Published.Where(p => p.Topic == root + "result").Select(p => JsonDocument.Parse(p.Payload).RootElement).ToList();
        Assert.Equal(2, results.Count);
        Assert.Equal("r1", results[0].GetProperty("id").GetString());
        Assert.True(results[0].GetProperty("accepted").GetBoolean());
        Assert.Equal("invalid-json", results[1].GetProperty("reason").GetString());
    }
}
