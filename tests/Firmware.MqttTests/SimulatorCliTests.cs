using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using IndraSmartPro.MqttTests.Brokers;
using IndraSmartPro.Simulator;
using IndraSmartPro.Simulator.Mqtt;
using Xunit;
using Xunit.Abstractions;

namespace IndraSmartPro.MqttTests;

/// <summary>The simulator's live mode on MQTT (docs/simulator.md): the embedded broker, --broker, --devices, bad options.</summary>
public sealed class SimulatorCliTests
{
    private readonly ITestOutputHelper _output;

    public SimulatorCliTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void Cli_FleetAgainstExternalBroker_EachSerialRetainsStatusAndSaysOfflineAtExit()
    {
        using var broker = TestBroker.StartPlain();
        _output.WriteLine("broker: " + broker.Name);
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        int code = Program.Run(new[] { "--seconds", "2", "--devices", "3", "--serial", "FLEET", "--broker", "127.0.0.1:" + broker.Port }, stdout, stderr);

        Assert.Equal(0, code);
        Assert.Contains("3 chargers", stderr.ToString());
        using var engineer = Observer.Connect(broker.Endpoint(), null, null, "indra/#");
        var statuses = engineer.WaitForCount(m => m.Topic.EndsWith("/status", StringComparison.Ordinal), 3);
        Assert.Equal(new[] { "indra/FLEET-001/status", "indra/FLEET-002/status", "indra/FLEET-003/status" }, statuses.Select(m => m.Topic).OrderBy(t => t, StringComparer.Ordinal).ToArray());
        Assert.All(statuses, m => Assert.Contains("\"serial\":\"" + m.Topic.Split('/')[1] + "\"", m.Payload));
        var availability = engineer.WaitForCount(m => m.Topic.EndsWith("/availability", StringComparison.Ordinal), 3);
        Assert.All(availability, m => Assert.Equal("offline", m.Payload));

        // stdout carries the first charger's JSON lines only.
        Assert.Contains("\"type\":\"status\"", stdout.ToString());
    }

    [Fact]
    public void Cli_FleetOnDeployedBroker_TlsAndPerDeviceAccounts_EngineerSeesEachCharger()
    {
        using var broker = TestBroker.StartSecured("SEC-001", "SEC-002", "engineer-alice");
        _output.WriteLine("broker: " + broker.Name);
        string accounts = Path.Combine(broker.Directory, "accounts.txt");
        File.WriteAllLines(accounts, new[] { "SEC-001 " + broker.Passwords["SEC-001"], "SEC-002 " + broker.Passwords["SEC-002"] });
        var stderr = new StringWriter();

        int code = Program.Run(new[] { "--seconds", "2", "--devices", "2", "--serial", "SEC", "--broker", "localhost:" + broker.TlsPort, "--tls", "--ca", broker.CaFile, "--accounts", accounts }, new StringWriter(), stderr);

        Assert.Equal(0, code);
        using var engineer = Observer.Connect(broker.Endpoint(tls: true), "engineer-alice", broker.Passwords["engineer-alice"], "indra/#");
        var statuses = engineer.WaitForCount(m => m.Topic.EndsWith("/status", StringComparison.Ordinal), 2);
        Assert.Equal(new[] { "indra/SEC-001/status", "indra/SEC-002/status" }, statuses.Select(m => m.Topic).OrderBy(t => t, StringComparer.Ordinal).ToArray());
    }

    [Fact]
    public void Cli_EmbeddedBroker_AcceptsMosquittoSubWithoutClientId()
    {
        int port = EmbeddedBroker.FreeLoopbackPort();
        using var broker = EmbeddedBroker.Start(port);
        using var device = new MqttNetTransport(new MqttBrokerEndpoint { Host = "127.0.0.1", Port = port });
        Assert.True(device.Connect("SPE00001", null, null, "indra/SPE00001/availability", Encoding.ASCII.GetBytes("offline")));
        Assert.True(device.Publish("indra/SPE00001/availability", Encoding.ASCII.GetBytes("online"), 1, true));

        // What docs/simulator.md tells a person to type (plus a count and a time limit).
        string sub = FindTool("mosquitto_sub");
        if (sub != null)
        {
            var start = new ProcessStartInfo(sub) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (string a in new[] { "-h", "127.0.0.1", "-p", port.ToString(), "-t", "indra/#", "-v", "-C", "1", "-W", "5" })
            {
                start.ArgumentList.Add(a);
            }

            using var process = Process.Start(start);
            string output = process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(10000));
            _output.WriteLine("mosquitto_sub: " + output + error);
            Assert.Equal("indra/SPE00001/availability online", output.Trim());
        }
        else
        {
            _output.WriteLine("mosquitto_sub not installed: checked with an MQTTnet client and an empty client id instead");
            var factory = new MQTTnet.MqttClientFactory();
            using var client = factory.CreateMqttClient();
            var options = factory.CreateClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(string.Empty).WithCleanSession(true)
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311).Build();
            var result = client.ConnectAsync(options).GetAwaiter().GetResult();
            Assert.Equal(MQTTnet.MqttClientConnectResultCode.Success, result.ResultCode);
        }
    }

    [Fact]
    public void Cli_ScenarioOnMqtt_StatusShowsTheScenariosCharging()
    {
        using var broker = TestBroker.StartPlain();
        _output.WriteLine("broker: " + broker.Name);
        using var engineer = Observer.Connect(broker.Endpoint(), null, null, "indra/SPS00001/status");
        string scenario = Path.Combine(TestBroker.RepoRoot(), "scenarios", "charge-type2-tethered.json");
        var stdout = new StringWriter();

        // Real time, cut short: the EV of this scenario plugs in and asks for power within seconds.
        int code = Program.Run(new[] { "--scenario", scenario, "--seconds", "8", "--serial", "SPS00001", "--broker", "127.0.0.1:" + broker.Port }, stdout, new StringWriter());

        Assert.Equal(0, code);
        Assert.Contains("\"type\":\"contactor\"", stdout.ToString());
        Assert.NotNull(engineer.WaitFor(m => m.Payload.Contains("\"contactor\":true")));
    }

    [Fact]
    public void Cli_WrongPassword_StderrAndStatusNameNotAuthorisedWithTheRetryDelay()
    {
        using var broker = TestBroker.StartSecured("SEC-001");
        _output.WriteLine("broker: " + broker.Name);
        string accounts = Path.Combine(broker.Directory, "wrong-accounts.txt");
        File.WriteAllLines(accounts, new[] { "SEC-001 not-the-password" });
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        // Long enough for the first attempt on a loaded machine (TLS, then the broker's refusal).
        int code = Program.Run(new[] { "--seconds", "10", "--serial", "SEC-001", "--broker", "localhost:" + broker.TlsPort, "--tls", "--ca", broker.CaFile, "--accounts", accounts }, stdout, stderr);

        Assert.Equal(0, code);
        _output.WriteLine(stderr.ToString());
        Assert.Contains("MQTT SEC-001: waiting after not-authorised, retry in ", stderr.ToString());
        Assert.Contains("\"link\":\"waiting\",\"linkFailure\":\"not-authorised\"", stdout.ToString());
    }

    [Fact]
    public void Cli_Sigterm_ExitsZeroAndSaysOfflineLikeCtrlC()
    {
        using var broker = TestBroker.StartPlain();
        using var engineer = Observer.Connect(broker.Endpoint(), null, null, "indra/SPT00001/#");
        string simulator = Path.Combine(AppContext.BaseDirectory, "Firmware.Simulator.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { simulator, "--serial", "SPT00001", "--broker", "127.0.0.1:" + broker.Port })
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start);
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            Assert.NotNull(engineer.WaitFor(m => m.Topic == "indra/SPT00001/availability" && m.Payload == "online", TimeSpan.FromSeconds(30)));
            using (var kill = Process.Start("kill", new[] { "-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }))
            {
                kill.WaitForExit();
            }

            Assert.True(process.WaitForExit(15000), "the simulator ended after SIGTERM");
            Assert.Equal(0, process.ExitCode);
            Assert.NotNull(engineer.WaitFor(m => m.Topic == "indra/SPT00001/availability" && m.Payload == "offline", TimeSpan.FromSeconds(10)));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill();
            }
        }
    }

    [Theory]
    [InlineData("--scenario", "/no/such/scenario.json")]
    [InlineData("--devices", "0")]
    [InlineData("--devices", "x")]
    [InlineData("--user", "u", "--password", "p")]
    [InlineData("--tls")]
    [InlineData("--broker", "host:notaport")]
    [InlineData("--broker", "h:1", "--ca", "/no/such/file.pem", "--tls")]
    [InlineData("--broker", "h:1", "--user", "u")]
    [InlineData("--serial", "bad/serial")]
    [InlineData("--no-mqtt", "--broker", "h:1")]
    [InlineData("--broker", "h:1", "--accounts", "/no/such/file")]
    [InlineData("--status-interval", "0")]
    public void Cli_BadMqttOptions_UsageError(params string[] args)
    {
        var e = Assert.Throws<UsageException>(() => Program.Run(args, new StringWriter(), new StringWriter()));
        Assert.False(string.IsNullOrWhiteSpace(e.Message));
    }

    [Fact]
    public void Cli_NoMqtt_RunsWithoutBroker()
    {
        var stderr = new StringWriter();
        Assert.Equal(0, Program.Run(new[] { "--fast", "--seconds", "2", "--no-mqtt" }, new StringWriter(), stderr));
        Assert.DoesNotContain("MQTT", stderr.ToString());
    }

    private static string FindTool(string name)
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/bin"))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
