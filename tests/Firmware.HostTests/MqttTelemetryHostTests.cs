using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using JsonDocument = System.Text.Json.JsonDocument;
using System.Threading;
using IndraSmartPro.Network;
using IndraSmartPro.Simulator;
using IndraSmartPro.Simulator.Mqtt;
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

        public string LastFailure => null;

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
    public void PilotStateChange_StatusQueuedWithinTwoMilliseconds_NotAtTheNextTelemetryPeriod()
    {
        var host = new SimulatorHost();
        var transport = new MemoryTransport();
        var link = host.Firmware.AttachMqtt(transport, new MqttLinkOptions(), null);
        var changes = new ChangeTimes();
        host.Firmware.Events.Subscribe(changes);
        host.Boot();
        for (int i = 0; i < 50; i++)
        {
            host.RunFor(100_000);
            link.Step();
        }

        string statusTopic = "indra/" + host.Config.Serial + "/status";
        int before = transport.Published.Count(p => p.Topic == statusTopic);
        host.Board.Ev.Load = Simulator.VirtualBoard.EvPilotLoad.Connected;

        // Step 1 ms at a time until the firmware classifies the new pilot state, then 2 ms more:
        // the telemetry task (50 ms period) must have been woken and written the status by then.
        while (changes.PilotAt < 0)
        {
            host.RunFor(1_000);
        }

        host.RunUntil(changes.PilotAt + 2_000);
        link.Step();
        var status = transport.Published.Where(p => p.Topic == statusTopic).Skip(before).ToList();
        Assert.NotEmpty(status);
        Assert.Contains("\"pilot\":\"B\"", status[^1].Payload);
    }

    private sealed class ChangeTimes : IndraSmartPro.Events.IChargerEventListener
    {
        public long PilotAt = -1;

        public void OnEvent(IndraSmartPro.Events.ChargerEvent e)
        {
            if (e.Kind == IndraSmartPro.Events.ChargerEventKind.PilotState && e.Code == "B" && PilotAt < 0)
            {
                PilotAt = e.TimeMicroseconds;
            }
        }
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

        transport.Sink.OnMessage(root + "cmd/refresh-status", Encoding.UTF8.GetBytes("{\"id\":\"r1\"}"), false);
        transport.Sink.OnMessage(root + "cmd/pause", Encoding.UTF8.GetBytes("{\"id\":\"bad\""), false);
        host.RunFor(200_000);
        link.Step();

        var results = transport.Published.Where(p => p.Topic == root + "result").Select(p => JsonDocument.Parse(p.Payload).RootElement).ToList();
        Assert.Equal(2, results.Count);
        Assert.Equal("r1", results[0].GetProperty("id").GetString());
        Assert.True(results[0].GetProperty("accepted").GetBoolean());
        Assert.Equal("invalid-json", results[1].GetProperty("reason").GetString());
    }

    private static List<JsonElement> Messages(MemoryTransport transport, string topic) =>
        transport.Published.Where(p => p.Topic == topic).Select(p => JsonDocument.Parse(p.Payload).RootElement).ToList();

    private static void PenFault(SimulatorHost host, bool on)
    {
        // A broken PEN displaces CPC against true earth by 100 V (docs/faults.md): the fast trip.
        host.Board.Mains.DisplacementRmsVolts = on ? 100.0 : 0.0;
        host.Board.Mains.DisplacementPhaseDegrees = 90.0;
    }

    private static void RunStepping(SimulatorHost host, MqttLink link, long microseconds)
    {
        long end = host.NowMicroseconds + microseconds;
        while (host.NowMicroseconds < end)
        {
            host.RunFor(50_000);
            link.Step();
        }
    }

    [Fact]
    public void PenFault_TripEventThenDisturbanceRecord_ResetRefusedUntilSupplyHealthy()
    {
        var host = new SimulatorHost();
        var transport = new MemoryTransport();
        var link = host.Firmware.AttachMqtt(transport, new MqttLinkOptions(), null);
        host.Boot();
        string root = "indra/" + host.Config.Serial + "/";
        RunStepping(host, link, 5_000_000);

        PenFault(host, true);
        RunStepping(host, link, 3_000_000);

        var events = Messages(transport, root + "event");
        var trip = events.Single(e => e.GetProperty("type").GetString() == "trip");
        Assert.Equal("cpc-tt-over-70v", trip.GetProperty("code").GetString());
        int recordSeq = trip.GetProperty("recordSeq").GetInt32();
        var notice = events.Single(e => e.GetProperty("type").GetString() == "notice" && e.GetProperty("code").GetString() == "disturbance-record");
        var record = notice.GetProperty("record");
        Assert.Equal(recordSeq, record.GetProperty("seq").GetInt32());
        Assert.Equal("cpc-tt-over-70v", record.GetProperty("cause").GetString());
        int cycles = record.GetProperty("vCpcTt").GetArrayLength();
        Assert.InRange(cycles, 80, 100);
        Assert.Equal(cycles, record.GetProperty("tMs").GetArrayLength());
        Assert.True(record.GetProperty("vCpcTt").EnumerateArray().Max(v => v.GetDouble()) > 70);
        Assert.True(record.GetProperty("vCpcTt").EnumerateArray().First().GetDouble() < 5, "the record starts before the fault");
        var status = Messages(transport, root + "status").Last();
        Assert.Equal("tripped", status.GetProperty("state").GetString());
        Assert.Equal("cpc-tt-over-70v", status.GetProperty("trips")[0].GetString());

        // Reset while the PEN is still broken: refused, the latch stays.
        transport.Sink.OnMessage(root + "cmd/reset-trip", Encoding.UTF8.GetBytes("{\"id\":\"r1\"}"), false);
        RunStepping(host, link, 200_000);
        var refused = Messages(transport, root + "result").Single();
        Assert.False(refused.GetProperty("accepted").GetBoolean());
        Assert.Equal("refused", refused.GetProperty("reason").GetString());
        Assert.True(host.Firmware.Pests.Latched);

        // Supply healthy again for longer than the reset rule asks: accepted.
        PenFault(host, false);
        RunStepping(host, link, 12_000_000);
        transport.Sink.OnMessage(root + "cmd/reset-trip", Encoding.UTF8.GetBytes("{\"id\":\"r2\"}"), false);
        RunStepping(host, link, 200_000);
        var accepted = Messages(transport, root + "result").Last();
        Assert.Equal("r2", accepted.GetProperty("id").GetString());
        Assert.True(accepted.GetProperty("accepted").GetBoolean(), accepted.ToString());
        Assert.False(host.Firmware.Pests.Latched);
        var reset = Messages(transport, root + "event").Last(e => e.GetProperty("type").GetString() == "trip-reset");
        Assert.Equal("mqtt", reset.GetProperty("by").GetString());
        Assert.Equal(0, Messages(transport, root + "status").Last().GetProperty("trips").GetArrayLength());

        // One run of the telemetry task never wrote much, even around the trip and its 2.5 KB
        // record: it is how long the cooperative scheduler can keep the protection task waiting.
        Assert.InRange(host.Firmware.Telemetry.MaxBytesPerRun, 100, 1100);
    }

    /// <summary>A broker that never answers: Connect blocks until released (up to 30 s).</summary>
    private sealed class BlockingTransport : IMqttTransport, IDisposable
    {
        private readonly ManualResetEventSlim _release = new(false);

        public readonly ManualResetEventSlim Entered = new(false);

        public int Connects;

        public bool IsConnected => false;

        public IMqttMessageSink Sink { get; set; }

        public string LastFailure => null;

        public bool Connect(string clientId, string userName, string password, string willTopic, byte[] willPayload)
        {
            Interlocked.Increment(ref Connects);
            Entered.Set();
            _release.Wait(TimeSpan.FromSeconds(30));
            return false;
        }

        public bool Subscribe(string topicFilter, int qos) => false;

        public bool Publish(string topic, byte[] payload, int qos, bool retain) => false;

        public bool StartPublish(string topic, byte[] payload, bool retain, int token) => false;

        public void Disconnect()
        {
        }

        public void Release() => _release.Set();

        public void Dispose()
        {
            _release.Dispose();
            Entered.Dispose();
        }
    }

    [Fact]
    public void TransportBlockedFor30s_PenFaultBegins_TripStillMeetsItsDeadline()
    {
        var host = new SimulatorHost();
        using var transport = new BlockingTransport();
        using var wake = new WorkerWake();
        var link = host.Firmware.AttachMqtt(transport, new MqttLinkOptions(), null);
        link.Wake = wake;
        host.Boot();
        var worker = new Thread(link.Run) { IsBackground = true, Name = "mqtt" };
        worker.Start();
        try
        {
            Assert.True(transport.Entered.Wait(TimeSpan.FromSeconds(10)), "the worker never tried to connect");

            // The network thread is now stuck in Connect. The firmware runs on this thread.
            host.RunFor(5_000_000);
            long onset = host.NowMicroseconds;
            PenFault(host, true);
            host.RunFor(2_000_000);

            Assert.True(host.Firmware.Pests.Latched);
            var status = host.Firmware.Telemetry.Status;
            Assert.Equal("tripped", status.State);
            Assert.False(host.Board.ContactorClosed);
            Assert.False(host.Board.EarthRelayClosed);

            // BS 7671 722.411.4.1 (iii) and the product requirement (docs/domain.md, "PEST timing requirements"): CPC-TTref ≥ 70 V disconnects within 0.5 s.
            Assert.True(link.OutboxCount > 0, "the trip event waits in the outbox");
            Assert.Equal(1, Volatile.Read(ref transport.Connects));
            var scheduler = host.Firmware.Scheduler;
            for (int i = 0; i < scheduler.TaskCount; i++)
            {
                if (scheduler.GetName(i) == "protection")
                {
                    Assert.True(scheduler.GetMaxLatenessMicroseconds(i) < 1000, "protection ran late: " + scheduler.GetMaxLatenessMicroseconds(i) + " µs");
                }
            }

            Assert.True(host.Firmware.Pests.TripCount >= 1);
            Assert.True(PestTripTime(host) - onset <= 500_000, "tripped " + (PestTripTime(host) - onset) + " µs after onset");
        }
        finally
        {
            link.Stop();
            transport.Release();
            Assert.True(worker.Join(TimeSpan.FromSeconds(10)));
        }
    }

    private static long PestTripTime(SimulatorHost host) => host.Firmware.Pests.Disturbance.TripMicroseconds;

    /// <summary>A store that never allocates after construction (the energy record is written while charging).</summary>
    private sealed class FixedStore : IndraSmartPro.Persistence.IStore
    {
        private readonly string[] _keys = new string[16];
        private readonly byte[][] _data = new byte[16][];
        private readonly int[] _lengths = new int[16];

        public FixedStore()
        {
            for (int i = 0; i < _data.Length; i++)
            {
                _data[i] = new byte[1024];
            }
        }

        // The firmware keeps no ring yet on this path: segments are not needed here.
        public void Append(string key, byte[] data, int length) => throw new NotSupportedException("segments");

        public int ReadAt(string key, int position, byte[] buffer, int offset, int count) => 0;

        public bool HasRecord(string key) => Array.IndexOf(_keys, key) >= 0;

        public bool TryRead(string key, byte[] buffer, out int length)
        {
            int i = Array.IndexOf(_keys, key);
            length = i < 0 ? 0 : _lengths[i];
            if (i < 0)
            {
                return false;
            }

            Array.Copy(_data[i], buffer, length);
            return true;
        }

        public void Write(string key, byte[] data, int length)
        {
            int i = Array.IndexOf(_keys, key);
            if (i < 0)
            {
                i = Array.IndexOf(_keys, null);
                _keys[i] = key;
            }

            Array.Copy(data, _data[i], length);
            _lengths[i] = length;
        }

        public void Delete(string key)
        {
            int i = Array.IndexOf(_keys, key);
            if (i >= 0)
            {
                _keys[i] = null;
            }
        }
    }

    [Fact]
    public void ChargingWithMqtt_100Seconds_SchedulerThreadAllocatesZeroBytes()
    {
        var host = new SimulatorHost(store: new FixedStore());
        host.Firmware.AttachMqtt(new MemoryTransport { Up = false }, new MqttLinkOptions(), null);
        host.Boot();
        host.Board.Ev.Load = Simulator.VirtualBoard.EvPilotLoad.Requesting;
        host.RunFor(10_000_000);
        Assert.True(host.Board.ContactorClosed, "charging before the measurement");

        long before = GC.GetAllocatedBytesForCurrentThread();
        host.RunFor(100_000_000);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(host.Board.ContactorClosed);
        Assert.Equal(0, allocated);
        Assert.Equal("charging", host.Firmware.Telemetry.Status.State);
    }

    private static JsonElement Command(SimulatorHost host, MqttLink link, MemoryTransport transport, string name, string payload, long runMicroseconds)
    {
        string root = "indra/" + host.Config.Serial + "/";
        int before = transport.Published.Count(p => p.Topic == root + "result");
        transport.Sink.OnMessage(root + "cmd/" + name, Encoding.UTF8.GetBytes(payload), false);
        RunStepping(host, link, runMicroseconds);
        var results = Messages(transport, root + "result");
        Assert.Equal(before + 1, results.Count);
        return results.Last();
    }

    [Fact]
    public void ChargingWithMqtt_LimitPauseResumeCommands_DriveTheSession()
    {
        var host = new SimulatorHost();
        var transport = new MemoryTransport();
        var link = host.Firmware.AttachMqtt(transport, new MqttLinkOptions(), null);
        host.Boot();
        host.Board.Ev.Load = Simulator.VirtualBoard.EvPilotLoad.Requesting;
        RunStepping(host, link, 10_000_000);
        Assert.True(host.Board.ContactorClosed);
        string root = "indra/" + host.Config.Serial + "/";

        // A platform limit change while charging waits the randomised delay (reg. 11, up to 600 s by
        // default; SmartChargingTests pin it): off here, so the limit acts within the pilot's own rules.
        var noDelay = Command(host, link, transport, "set-random-delay", "{\"id\":\"d0\",\"maxS\":0}", 500_000);
        Assert.True(noDelay.GetProperty("accepted").GetBoolean(), noDelay.ToString());

        var limited = Command(host, link, transport, "set-current-limit", "{\"id\":\"l1\",\"amps\":10}", 2_000_000);
        Assert.True(limited.GetProperty("accepted").GetBoolean(), limited.ToString());
        Assert.Equal(10.0, host.Board.Ev.OfferedAmps, 1);
        var status = Messages(transport, root + "status").Last();
        Assert.Equal(10.0, status.GetProperty("offeredA").GetDouble(), 1);
        Assert.Equal("platform", status.GetProperty("limitReason").GetString());
        var limitEvent = Messages(transport, root + "event").Last(e => e.GetProperty("type").GetString() == "limit");
        Assert.Equal(10.0, limitEvent.GetProperty("offeredA").GetDouble(), 1);

        var paused = Command(host, link, transport, "pause", "{\"id\":\"p1\"}", 3_000_000);
        Assert.True(paused.GetProperty("accepted").GetBoolean());
        Assert.False(host.Board.ContactorClosed, "paused: the contactor opened after the EV stopped drawing");
        status = Messages(transport, root + "status").Last();
        Assert.Equal("paused", status.GetProperty("state").GetString());
        Assert.True(status.GetProperty("paused").GetBoolean());

        var resumed = Command(host, link, transport, "resume", "{\"id\":\"r1\"}", 10_000_000);
        Assert.True(resumed.GetProperty("accepted").GetBoolean());
        Assert.True(host.Board.ContactorClosed, "charging again after resume");
        Assert.Equal("charging", Messages(transport, root + "status").Last().GetProperty("state").GetString());

        var cleared = Command(host, link, transport, "set-current-limit", "{\"id\":\"l2\",\"amps\":0}", 10_000_000);
        Assert.True(cleared.GetProperty("accepted").GetBoolean());
        Assert.True(host.Board.Ev.OfferedAmps > 30, "the platform claim cleared: back to the unit rating, offered " + host.Board.Ev.OfferedAmps);
    }

    [Fact]
    public void EveryEventKind_HasAnExplicitRowInTheContract()
    {
        // A kind appended to ChargerEventKind without a decision here would go out as "other";
        // this fails so docs/mqtt.md and TelemetryTask.TypeOf get their row.
        foreach (var kind in Enum.GetValues<Events.ChargerEventKind>())
        {
            Assert.NotEqual(TelemetryTask.OtherType, TelemetryTask.TypeOf(kind));
            string type = TelemetryTask.TypeOf(kind);
            if (type != null)
            {
                Assert.Contains("| `" + type + "` |", System.IO.File.ReadAllText(RepoFile("docs/mqtt.md")));
            }
        }
    }

    private static string RepoFile(string relative)
    {
        var dir = new System.IO.DirectoryInfo(AppContext.BaseDirectory);
        while (dir != null && !System.IO.File.Exists(System.IO.Path.Combine(dir.FullName, "IndraSmartPro.Host.slnx")))
        {
            dir = dir.Parent;
        }

        Assert.NotNull(dir);
        return System.IO.Path.Combine(dir.FullName, relative);
    }
}
