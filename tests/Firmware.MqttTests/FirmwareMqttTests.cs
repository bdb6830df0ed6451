using System;
using System.Diagnostics;
using System.Linq;
using IndraSmartPro.Firmware;
using IndraSmartPro.MqttTests.Brokers;
using IndraSmartPro.Simulator;
using IndraSmartPro.Simulator.Mqtt;
using Xunit;
using Xunit.Abstractions;
using ParsedJson = System.Text.Json.JsonDocument;

namespace IndraSmartPro.MqttTests;

/// <summary>
/// The whole firmware on the virtual board with its MQTT link on a network thread, through the
/// MQTTnet transport to a real broker, driven as an engineer would with a subscriber and commands.
/// </summary>
public sealed class FirmwareMqttTests : IDisposable
{
    private const string Serial = "SPF00001";
    private static readonly TimeSpan WallLimit = TimeSpan.FromSeconds(20);

    private readonly TestBroker _broker;
    private readonly SimulatorHost _host;
    private readonly MqttDevice _device;
    private readonly Observer _engineer;

    public FirmwareMqttTests(ITestOutputHelper output)
    {
        _broker = TestBroker.StartPlain();
        output.WriteLine("broker: " + _broker.Name);
        _engineer = Observer.Connect(_broker.Endpoint(), null, null, "indra/" + Serial + "/#");
        _host = new SimulatorHost(new ChargerConfig { Serial = Serial, ReferenceElectrodeFitted = true });
        _device = new MqttDevice(_host, _broker.Endpoint(), null, null);
        _host.Boot();
        _device.Start();
    }

    public void Dispose()
    {
        _device.Dispose();
        _engineer.Dispose();
        _broker.Dispose();
    }

    [Fact]
    public void Firmware_Boots_OnlineRetainedStatusAndBootEvent()
    {
        var topics = _device.Link.Topics;
        Assert.NotNull(Pump(() => _engineer.Messages.FirstOrDefault(m => m.Topic == topics.Availability && m.Payload == "online")));
        var status = Pump(() => _engineer.Messages.FirstOrDefault(m => m.Topic == topics.Status));
        using (var json = ParsedJson.Parse(status.Payload))
        {
            Assert.Equal(Serial, json.RootElement.GetProperty("serial").GetString());
            Assert.Equal(1, json.RootElement.GetProperty("v").GetInt32());
        }

        Assert.NotNull(Pump(() => _engineer.Messages.FirstOrDefault(m => m.Topic == topics.Event && m.Payload.Contains("\"type\":\"boot\""))));

        // A tool that connects later gets the retained status and availability at once.
        using var late = Observer.Connect(_broker.Endpoint(), null, null, topics.Status, topics.Availability);
        Assert.NotNull(late.WaitFor(m => m.Topic == topics.Status));
        Assert.NotNull(late.WaitFor(m => m.Topic == topics.Availability && m.Payload == "online"));
    }

    [Fact]
    public void Firmware_PenTripThenResetTripCommand_RefusedWhileUnhealthyAcceptedAfter()
    {
        var topics = _device.Link.Topics;
        Pump(() => _device.Link.IsConnected ? "up" : null);
        _host.RunFor(5_000_000);

        _host.Board.Mains.DisplacementRmsVolts = 100;
        _host.Board.Mains.DisplacementPhaseDegrees = 90;
        Assert.NotNull(Pump(() => _engineer.Messages.FirstOrDefault(m => m.Topic == topics.Event && m.Payload.Contains("\"type\":\"trip\""))));
        Assert.NotNull(Pump(() => _engineer.Messages.LastOrDefault(m => m.Topic == topics.Status && m.Payload.Contains("cpc-tt-over-70v"))));

        // Still faulty: the reset is refused and changes nothing.
        Assert.True(_engineer.Publish(topics.CommandPrefix + "reset-trip", "{\"id\":\"reset-1\"}"));
        var refused = Pump(() => _engineer.Messages.FirstOrDefault(m => m.Topic == topics.Result && m.Payload.Contains("reset-1")));
        using (var json = ParsedJson.Parse(refused.Payload))
        {
            Assert.False(json.RootElement.GetProperty("accepted").GetBoolean());
            Assert.Equal("refused", json.RootElement.GetProperty("reason").GetString());
        }

        Assert.True(_host.Firmware.Pests.Latched);

        // Healthy again for longer than the reset rule asks (docs/faults.md: 10 s): accepted.
        _host.Board.Mains.DisplacementRmsVolts = 0;
        _host.RunFor(12_000_000);
        Assert.True(_engineer.Publish(topics.CommandPrefix + "reset-trip", "{\"id\":\"reset-2\"}"));
        var accepted = Pump(() => _engineer.Messages.FirstOrDefault(m => m.Topic == topics.Result && m.Payload.Contains("reset-2")));
        using (var json = ParsedJson.Parse(accepted.Payload))
        {
            Assert.True(json.RootElement.GetProperty("accepted").GetBoolean(), accepted.Payload);
        }

        Assert.False(_host.Firmware.Pests.Latched);
        var cleared = Pump(() =>
        {
            var last = _engineer.Messages.LastOrDefault(m => m.Topic == topics.Status);
            return last != null && last.Payload.Contains("\"trips\":[]") ? last : null;
        });
        Assert.NotNull(cleared);
    }

    [Fact]
    public void Firmware_SetCurrentLimitWhileCharging_ResultAcceptedAndStatusShowsTheLimit()
    {
        var topics = _device.Link.Topics;
        Pump(() => _device.Link.IsConnected ? "up" : null);
        _host.Board.Ev.Load = Simulator.VirtualBoard.EvPilotLoad.Requesting;
        Assert.NotNull(Pump(() => LastStatusWith("\"contactor\":true")));

        // A platform limit change while charging waits the randomised delay (reg. 11, up to 600 s
        // by default; pinned by SmartChargingTests): off here, so the limit acts at once.
        Assert.True(_engineer.Publish(topics.CommandPrefix + "set-random-delay", "{\"id\":\"delay-0\",\"maxS\":0}"));
        Assert.Contains("\"accepted\":true", Pump(() => _engineer.Messages.FirstOrDefault(m => m.Topic == topics.Result && m.Payload.Contains("delay-0"))).Payload);

        Assert.True(_engineer.Publish(topics.CommandPrefix + "set-current-limit", "{\"id\":\"limit-1\",\"amps\":10}"));
        var result = Pump(() => _engineer.Messages.FirstOrDefault(m => m.Topic == topics.Result && m.Payload.Contains("limit-1")));
        using (var json = ParsedJson.Parse(result.Payload))
        {
            Assert.True(json.RootElement.GetProperty("accepted").GetBoolean(), result.Payload);
            Assert.Equal("set-current-limit", json.RootElement.GetProperty("cmd").GetString());
        }

        // The offer follows the platform's claim; the pilot duty's resolution puts it a little
        // under 10 A (IEC 61851-1 Table A.7: amps = duty % × 0.6, in steps of 0.1 % duty).
        var limited = Pump(() => LastStatusWith("\"limitReason\":\"platform\"", "\"offeredA\":9.9"));
        using (var json = ParsedJson.Parse(limited.Payload))
        {
            Assert.InRange(json.RootElement.GetProperty("offeredA").GetDouble(), 9.9, 10.0);
            Assert.True(json.RootElement.GetProperty("contactor").GetBoolean());
        }

        // Out of range: rejected, and the limit in force stays.
        Assert.True(_engineer.Publish(topics.CommandPrefix + "set-current-limit", "{\"id\":\"limit-2\",\"amps\":99}"));
        var rejected = Pump(() => _engineer.Messages.FirstOrDefault(m => m.Topic == topics.Result && m.Payload.Contains("limit-2")));
        Assert.Contains("\"reason\":\"out-of-range\"", rejected.Payload);
        Assert.True(_engineer.Publish(topics.CommandPrefix + "refresh-status", "{\"id\":\"r-1\"}"));
        Pump(() => _engineer.Messages.FirstOrDefault(m => m.Topic == topics.Result && m.Payload.Contains("r-1")));
        Assert.Contains("\"limitReason\":\"platform\"", Pump(() => _engineer.Messages.LastOrDefault(m => m.Topic == topics.Status)).Payload);
    }

    [Fact]
    public void Firmware_BadCommand_RejectedWithReasonOverTheBroker()
    {
        var topics = _device.Link.Topics;
        Pump(() => _device.Link.IsConnected ? "up" : null);
        Assert.True(_engineer.Publish(topics.CommandPrefix + "set-current-limit", "{\"id\":\"bad-1\",\"amps\":\"16\"}"));
        Assert.True(_engineer.Publish(topics.CommandPrefix + "self-destruct", "{\"id\":\"bad-2\"}"));
        Assert.True(_engineer.Publish(topics.CommandPrefix + "pause", "not json"));

        var wrongType = Pump(() => _engineer.Messages.FirstOrDefault(m => m.Topic == topics.Result && m.Payload.Contains("bad-1")));
        Assert.Contains("\"reason\":\"wrong-type\"", wrongType.Payload);
        var unknown = Pump(() => _engineer.Messages.FirstOrDefault(m => m.Topic == topics.Result && m.Payload.Contains("bad-2")));
        Assert.Contains("\"reason\":\"unknown-command\"", unknown.Payload);
        var invalid = Pump(() => _engineer.Messages.FirstOrDefault(m => m.Topic == topics.Result && m.Payload.Contains("invalid-json")));
        Assert.NotNull(invalid);
    }

    private static string Tail(string text, int characters) => text.Length <= characters ? text : text.Substring(text.Length - characters);

    private Received LastStatusWith(params string[] fragments)
    {
        var last = _engineer.Messages.LastOrDefault(m => m.Topic == _device.Link.Topics.Status);
        return last != null && fragments.All(f => last.Payload.Contains(f, StringComparison.Ordinal)) ? last : null;
    }

    /// <summary>
    /// Runs the firmware in 20 ms steps of simulated time (a little faster than real time) until
    /// <paramref name="found"/> returns something; fails after <see cref="WallLimit"/>.
    /// </summary>
    private T Pump<T>(Func<T> found)
        where T : class
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < WallLimit)
        {
            T value = found();
            if (value != null)
            {
                return value;
            }

            _host.RunFor(20_000);

            // The network thread runs in real time; give it a share of the wall clock.
            System.Threading.Thread.Sleep(2);
        }

        var link = _device.Link;
        Assert.Fail("not seen within " + WallLimit + " (link: connected " + link.IsConnected + ", connects " + link.Connects + ", connect failures " + link.ConnectFailures
            + ", publish failures " + link.PublishFailures + ", outbox " + link.OutboxCount + ", simulated " + (_host.NowMicroseconds / 1e6) + " s); received: " + string.Join("\n", _engineer.Messages.Select(m => m.Topic + " " + m.Payload)));
        return null;
    }
}
