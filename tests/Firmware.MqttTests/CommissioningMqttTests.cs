using System;
using System.Diagnostics;
using System.Linq;
using IndraSmartPro.Commissioning;
using IndraSmartPro.Firmware;
using IndraSmartPro.MqttTests.Brokers;
using IndraSmartPro.Persistence;
using IndraSmartPro.Simulator;
using IndraSmartPro.Simulator.Mqtt;
using IndraSmartPro.Telemetry;
using Xunit;
using Xunit.Abstractions;

namespace IndraSmartPro.MqttTests;

/// <summary>
/// The commissioning protocol's MQTT side: the deployed ACL gives the installer role the
/// commission/req|res topics only (apart from the platform's commands).
/// </summary>
public sealed class CommissioningMqttTests
{
    private const string Serial = "SPC00001";
    private const string Secret = "label-secret-Xy7Pq";
    private readonly ITestOutputHelper _output;

    public CommissioningMqttTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void An_uncommissioned_unit_reports_not_commissioned_in_its_status()
    {
        using var broker = TestBroker.StartPlain();
        var config = ConfigStore.Load(new MemoryStore());
        Assert.False(config.Commissioned);
        config.Serial = Serial;
        var host = new SimulatorHost(config);
        using var device = new MqttDevice(host, broker.Endpoint(), null, null);
        var topics = new MqttTopics(Serial);
        using var engineer = Observer.Connect(broker.Endpoint(), null, null, topics.Status);
        host.Boot();
        device.Start();
        host.Board.Ev.Load = IndraSmartPro.Simulator.VirtualBoard.EvPilotLoad.Requesting;
        string status = Pump(host, () => engineer.Messages.LastOrDefault(m => m.Topic == topics.Status)?.Payload);
        Assert.Contains("\"state\":\"not-commissioned\"", status);
        Assert.False(host.Board.ContactorClosed);
    }

    [Fact]
    public void Acl_installer_role_sends_requests_and_reads_answers_only_and_the_platform_cannot_commission()
    {
        using var broker = TestBroker.StartSecured(Serial, "installer", "platform");
        _output.WriteLine("broker: " + broker.Name);
        var topics = new MqttTopics(Serial);
        using var device = Observer.Connect(broker.Endpoint(tls: true), Serial, broker.Passwords[Serial], topics.CommissionRequest);
        using var installer = Observer.Connect(broker.Endpoint(tls: true), "installer", broker.Passwords["installer"], "indra/#");
        using var platform = Observer.Connect(broker.Endpoint(tls: true), "platform", broker.Passwords["platform"], "indra/#");

        platform.Publish(topics.CommissionRequest, "{\"from\":\"platform\"}");
        installer.Publish(topics.CommandPrefix + "pause", "{\"id\":\"installer-command\"}");
        Assert.True(installer.Publish(topics.CommissionRequest, "{\"from\":\"installer\"}"));
        Assert.NotNull(device.WaitFor(m => m.Payload.Contains("installer")));

        Assert.True(device.Publish(topics.Status, "{\"v\":1}", retain: false));
        Assert.True(device.Publish(topics.CommissionResponse, "{\"answer\":1}"));
        Assert.NotNull(installer.WaitFor(m => m.Topic == topics.CommissionResponse));
        Assert.NotNull(platform.WaitFor(m => m.Topic == topics.Status));

        Assert.DoesNotContain(device.Messages, m => m.Payload.Contains("platform"));
        Assert.DoesNotContain(installer.Messages, m => m.Topic == topics.Status);
        Assert.DoesNotContain(platform.Messages, m => m.Payload.Contains("installer-command"));
    }

    private static string Pump(SimulatorHost host, Func<string> found)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            string value = found();
            if (value != null)
            {
                return value;
            }

            host.RunFor(20_000);

            // The network thread runs in real time; give it a share of the wall clock.
            System.Threading.Thread.Sleep(2);
        }

        throw new TimeoutException("not seen within 20 s");
    }
}
