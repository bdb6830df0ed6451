using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using IndraSmartPro.Board;
using IndraSmartPro.Json;
using IndraSmartPro.Network;
using IndraSmartPro.Telemetry;
using Xunit;
using Xunit.Abstractions;

namespace IndraSmartPro.HostTests;

/// <summary>
/// Fuzzes the command path (docs/mqtt.md, "Bad input"): seeded random and mutated payloads on
/// random topics. No exception escapes, every message gets exactly one well-formed result,
/// nothing changes state unless the command was accepted, and the strict parser agrees with
/// System.Text.Json on what is JSON.
/// </summary>
public class CommandFuzzTests
{
    private const string Serial = "SP000123";
    private const string Prefix = "indra/" + Serial + "/cmd/";

    private readonly ITestOutputHelper _output;

    public CommandFuzzTests(ITestOutputHelper output) => _output = output;

    /// <summary>A charger stand-in with observable state; refuses like the real one would.</summary>
    private sealed class StatefulTarget : ICommandTarget
    {
        public int LimitMilliamps = -1;
        public bool Paused;
        public bool TripLatched = true;
        public bool VoltagesHealthy;
        public int Calls;

        public (int, bool, bool) Snapshot() => (LimitMilliamps, Paused, TripLatched);

        public bool SetCurrentLimit(long now, int milliamps, out string refusal)
        {
            Calls++;
            refusal = null;
            LimitMilliamps = milliamps;
            return true;
        }

        public bool Pause(long now, out string refusal)
        {
            Calls++;
            refusal = Paused ? "already-paused" : null;
            if (Paused)
            {
                return false;
            }

            Paused = true;
            return true;
        }

        public bool Resume(long now, out string refusal)
        {
            Calls++;
            refusal = Paused ? null : "not-paused";
            if (!Paused)
            {
                return false;
            }

            Paused = false;
            return true;
        }

        public bool ResetTrip(long now, out string refusal)
        {
            Calls++;
            if (!TripLatched)
            {
                refusal = "not-latched";
                return false;
            }

            if (!VoltagesHealthy)
            {
                refusal = "voltages-unhealthy";
                return false;
            }

            refusal = null;
            TripLatched = false;
            return true;
        }
    }

    private sealed class Clock : IMicrosecondClock
    {
        public long NowMicroseconds { get; set; }
    }

    private sealed class NoJitter : IRandomSource
    {
        public int Next(int maxExclusive) => 0;
    }

    private sealed class RecordingTransport : IMqttTransport
    {
        public readonly List<(string Topic, byte[] Payload)> Published = new();

        public bool IsConnected { get; private set; }

        public IMqttMessageSink Sink { get; set; }

        public string LastFailure => null;

        public bool Connect(string clientId, string userName, string password, string willTopic, byte[] willPayload) => IsConnected = true;

        public bool Subscribe(string topicFilter, int qos) => true;

        public bool Publish(string topic, byte[] payload, int qos, bool retain)
        {
            Published.Add((topic, payload));
            return true;
        }

        public void Disconnect() => IsConnected = false;

        public bool StartPublish(string topic, byte[] payload, bool retain, int token)
        {
            if (!Publish(topic, payload, 1, retain))
            {
                return false;
            }

            Sink.OnPublished(token, true);
            return true;
        }
    }

    private static readonly string[] Commands = { "set-current-limit", "pause", "resume", "reset-trip", "refresh-status" };

    private static readonly string[] Seeds =
    {
        "{\"id\":\"a1\",\"amps\":16}",
        "{\"id\":\"a2\",\"amps\":0}",
        "{\"id\":\"a3\",\"amps\":32.000}",
        "{\"amps\":6.5,\"id\":\"x\"}",
        "{\"id\":\"p\"}",
        "{ \"id\" : \"with space\" }",
        "{\"id\":\"\\u00e9\\uD83D\\uDE00\"}",
        "{\"id\":\"n\",\"amps\":1.6e1}",
        "{\"id\":\"z\",\"amps\":-0}",
        "[{\"id\":\"arr\"}]",
        "{\"id\":\"deep\",\"amps\":{\"a\":[1,2,{\"b\":null}]}}",
        "{\"id\":12}",
        "\"just a string\"",
        "true",
    };

    private static readonly string[] Fragments =
    {
        "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\uD800", "null", "true", "false", "-", "0", "01", "1e999",
        "\u0000", "\u001f", "\u00ff", "\"id\"", "\"amps\"", "\"id\":\"q\"", "\"amps\":16", " ", "\t", "\n", "NaN", "Infinity", "//", "/*",
    };

    private static string RandomTopic(Random rng)
    {
        switch (rng.Next(20))
        {
            case 0:
                return "indra/SP999999/cmd/" + Commands[rng.Next(Commands.Length)];
            case 1:
                return Prefix + Commands[rng.Next(Commands.Length)] + "/extra";
            case 2:
                return Prefix;
            case 3:
                return Prefix + RandomText(rng, rng.Next(1, 20));
            case 4:
                return RandomText(rng, rng.Next(0, 200));
            case 5:
                return "indra/" + Serial + "/result";
            default:
                return Prefix + Commands[rng.Next(Commands.Length)];
        }
    }

    private static string RandomText(Random rng, int length)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < length; i++)
        {
            sb.Append(rng.Next(4) == 0 ? (char)rng.Next(0, 0x3000) : (char)rng.Next(0x20, 0x7F));
        }

        return sb.ToString();
    }

    private static byte[] RandomPayload(Random rng)
    {
        switch (rng.Next(8))
        {
            case 0:
            {
                var bytes = new byte[rng.Next(0, 64)];
                rng.NextBytes(bytes);
                return bytes;
            }

            case 1:
            {
                // Oversized: a valid command padded past 512 bytes.
                return Encoding.UTF8.GetBytes("{\"id\":\"big\",\"pad\":\"" + new string('a', rng.Next(500, 2000)) + "\"}");
            }

            case 2:
            {
                // Built from fragments: mostly broken, sometimes valid.
                var sb = new StringBuilder();
                int n = rng.Next(1, 20);
                for (int i = 0; i < n; i++)
                {
                    sb.Append(Fragments[rng.Next(Fragments.Length)]);
                }

                return Encoding.UTF8.GetBytes(sb.ToString());
            }

            case 3:
                return Encoding.UTF8.GetBytes("{\"id\":\"r\",\"amps\":" + RandomNumber(rng) + "}");
            default:
                return Mutate(rng, Encoding.UTF8.GetBytes(Seeds[rng.Next(Seeds.Length)]));
        }
    }

    private static string RandomNumber(Random rng)
    {
        switch (rng.Next(6))
        {
            case 0:
                return rng.Next(-100, 100).ToString();
            case 1:
                return (rng.Next(0, 40000) / 1000.0).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
            case 2:
                return rng.Next(0, 40) + "." + rng.Next(0, 100000).ToString("D5");
            case 3:
                return rng.Next(1, 9) + "e" + rng.Next(-5, 5);
            case 4:
                return "\"" + rng.Next(0, 40) + "\"";
            default:
                return new string('9', rng.Next(1, 40));
        }
    }

    private static byte[] Mutate(Random rng, byte[] seed)
    {
        var bytes = new List<byte>(seed);
        int mutations = rng.Next(0, 4);
        for (int m = 0; m < mutations && bytes.Count > 0; m++)
        {
            int at = rng.Next(bytes.Count);
            switch (rng.Next(5))
            {
                case 0:
                    bytes[at] = (byte)rng.Next(256);
                    break;
                case 1:
                    bytes.RemoveAt(at);
                    break;
                case 2:
                    const string structural = "{}[],:\"\\0-e.tn ";
                    bytes.Insert(at, (byte)structural[rng.Next(structural.Length)]);
                    break;
                case 3:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                default:
                    bytes.InsertRange(at, bytes.GetRange(0, Math.Min(bytes.Count, rng.Next(1, 10))));
                    break;
            }
        }

        return bytes.ToArray();
    }

    private static bool SystemTextJsonAccepts(byte[] payload)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(payload);
            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    [Fact]
    public void CommandProcessor_20000RandomAndMutatedMessages_OneResultEachAndRejectedChangeNothing()
    {
        var rng = new Random(20261124);
        var target = new StatefulTarget();
        var processor = new CommandProcessor(new MqttTopics(Serial), target, 6000, 32000);
        var message = new InboundMessage(CommandProcessor.MaxPayloadBytes);
        var result = new JsonWriter(1024);
        var reasons = new Dictionary<string, int>();
        int accepted = 0;

        for (int i = 0; i < 20000; i++)
        {
            target.VoltagesHealthy = rng.Next(2) == 0;
            if (rng.Next(50) == 0)
            {
                target.TripLatched = true;
            }

            string topic = RandomTopic(rng);
            byte[] payload = RandomPayload(rng);
            var before = target.Snapshot();
            int callsBefore = target.Calls;
            message.Set(topic, payload);

            bool ok = processor.Process(i, message, result);

            Assert.False(result.Overflowed, "result overflowed for message " + i);
            string json = Encoding.UTF8.GetString(result.Buffer, 0, result.Length);
            using var doc = System.Text.Json.JsonDocument.Parse(result.Buffer.AsMemory(0, result.Length));
            var root = doc.RootElement;
            Assert.Equal(1, root.GetProperty("v").GetInt32());
            Assert.Equal(ok, root.GetProperty("accepted").GetBoolean());
            if (ok)
            {
                accepted++;
                Assert.True(SystemTextJsonAccepts(payload), "accepted what System.Text.Json rejects: " + Encoding.UTF8.GetString(payload));
                Assert.True(payload.Length <= CommandProcessor.MaxPayloadBytes);
                Assert.StartsWith(Prefix, topic);
                continue;
            }

            string reason = root.GetProperty("reason").GetString();
            reasons[reason] = reasons.GetValueOrDefault(reason) + 1;
            Assert.Equal(before, target.Snapshot());
            if (reason != CommandProcessor.ReasonRefused)
            {
                Assert.Equal(callsBefore, target.Calls);
            }

            if (reason == CommandProcessor.ReasonInvalidJson)
            {
                string detail = root.GetProperty("detail").GetString();
                // Bounds, duplicate keys, unpaired surrogates and invalid UTF-8 inside strings are
                // refused here but let through by System.Text.Json's JsonDocument.
                bool boundOrStrict = detail is JsonDocument.ErrorDuplicateKey or JsonDocument.ErrorTooDeep or JsonDocument.ErrorTooManyValues
                    or JsonDocument.ErrorStringsTooLong or JsonDocument.ErrorBadEscape or JsonDocument.ErrorInvalidUtf8;
                if (!boundOrStrict)
                {
                    Assert.False(SystemTextJsonAccepts(payload), "rejected (" + detail + ") what System.Text.Json accepts: " + Encoding.UTF8.GetString(payload));
                }
            }
            else if (reason != CommandProcessor.ReasonWrongTopic && reason != CommandProcessor.ReasonOversized)
            {
                Assert.True(SystemTextJsonAccepts(payload), reason + " for a payload System.Text.Json rejects: " + Encoding.UTF8.GetString(payload));
            }
        }

        _output.WriteLine("accepted " + accepted + "; " + string.Join(", ", reasons.OrderBy(r => r.Key).Select(r => r.Key + " " + r.Value)));

        // The generator reaches every rejection the processor can give (busy comes from the link).
        foreach (string reason in new[]
        {
            CommandProcessor.ReasonWrongTopic, CommandProcessor.ReasonOversized, CommandProcessor.ReasonInvalidJson,
            CommandProcessor.ReasonNotObject, CommandProcessor.ReasonMissingId, CommandProcessor.ReasonBadId,
            CommandProcessor.ReasonUnknownCommand, CommandProcessor.ReasonUnknownField, CommandProcessor.ReasonMissingField,
            CommandProcessor.ReasonWrongType, CommandProcessor.ReasonOutOfRange, CommandProcessor.ReasonRefused,
        })
        {
            Assert.True(reasons.ContainsKey(reason), "fuzzing never produced " + reason);
        }

        Assert.True(accepted > 300, "too few valid commands to exercise acceptance: " + accepted);
    }

    [Fact]
    public void MqttLink_RandomBurstsThroughTheQueues_ExactlyOneResultPerMessage()
    {
        var rng = new Random(7);
        var clock = new Clock();
        var transport = new RecordingTransport();
        var topics = new MqttTopics(Serial);
        var linkOptions = new MqttLinkOptions { OutboxCapacity = 64 };
        var link = new MqttLink(transport, clock, new NoJitter(), topics, linkOptions);
        var target = new StatefulTarget();
        var task = new TelemetryTask(link, linkOptions, new CommandProcessor(topics, target, 6000, 32000), null, new TelemetryOptions(), "fuzz");
        link.Step();

        int sent = 0;
        for (int round = 0; round < 3000; round++)
        {
            int burst = rng.Next(0, 6);
            for (int i = 0; i < burst; i++)
            {
                link.OnMessage(RandomTopic(rng), rng.Next(10) == 0 ? null : RandomPayload(rng));
                sent++;
            }

            clock.NowMicroseconds += 50_000;
            task.Run(clock.NowMicroseconds);
            link.Step();
        }

        for (int i = 0; i < 10; i++)
        {
            clock.NowMicroseconds += 50_000;
            task.Run(clock.NowMicroseconds);
            link.Step();
        }

        var results = transport.Published.Where(p => p.Topic == topics.Result).ToList();
        Assert.Equal(0, link.EventsDropped);
        Assert.Equal(sent, results.Count);
        Assert.True(link.BusyCount > 0, "bursts never filled the inbound queue");
        foreach (var (_, payload) in results)
        {
            using var doc = System.Text.Json.JsonDocument.Parse(payload);
            Assert.True(doc.RootElement.TryGetProperty("accepted", out _));
        }

        _output.WriteLine(sent + " messages, " + link.BusyCount + " answered busy");
    }

    // The platform limit as the command set it (smart charging applies it to the arbiter later,
    // after the randomised delay, so the arbiter's claim may move while a rejected command is handled).
    private static (bool, int, bool, bool) FirmwareState(Simulator.SimulatorHost host) =>
        (host.Firmware.SmartCharging.Settings.PlatformMilliamps > 0,
         host.Firmware.SmartCharging.Settings.PlatformMilliamps,
         host.Firmware.Session.Paused,
         host.Firmware.Pests.Latched);

    [Fact]
    public void WholeFirmware_3000FuzzedCommandsWhileCharging_RejectedOnesChangeNothing()
    {
        var rng = new Random(31);
        var host = new Simulator.SimulatorHost();
        var transport = new RecordingTransport();
        var link = host.Firmware.AttachMqtt(transport, new MqttLinkOptions(), null);
        host.Boot();
        host.Board.Ev.Load = Simulator.VirtualBoard.EvPilotLoad.Requesting;
        host.RunFor(10_000_000);
        link.Step();
        string resultTopic = "indra/" + host.Config.Serial + "/result";
        string prefix = "indra/" + host.Config.Serial + "/cmd/";
        int accepted = 0;

        for (int i = 0; i < 3000; i++)
        {
            string topic = RandomTopic(rng).Replace(Prefix, prefix);
            byte[] payload = RandomPayload(rng);
            var before = FirmwareState(host);
            int results = transport.Published.Count(p => p.Topic == resultTopic);

            transport.Sink.OnMessage(topic, payload, false);
            host.RunFor(50_000);
            link.Step();

            var answers = transport.Published.Where(p => p.Topic == resultTopic).Skip(results).ToList();
            Assert.Single(answers);
            using var doc = System.Text.Json.JsonDocument.Parse(answers[0].Payload);
            if (doc.RootElement.GetProperty("accepted").GetBoolean())
            {
                accepted++;
                continue;
            }

            Assert.Equal(before, FirmwareState(host));
        }

        Assert.True(accepted > 30, "accepted " + accepted);
        Assert.False(host.Firmware.Pests.Latched, "no fuzzed command tripped the charger");
        _output.WriteLine("accepted " + accepted + " of 3000");
    }
}
