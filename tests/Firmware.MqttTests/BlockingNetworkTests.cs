using System;
using System.Collections.Generic;
using System.Threading;
using IndraSmartPro.Events;
using IndraSmartPro.Firmware;
using IndraSmartPro.MqttTests.Brokers;
using IndraSmartPro.Network;
using IndraSmartPro.Simulator;
using IndraSmartPro.Simulator.Mqtt;
using IndraSmartPro.Telemetry;
using Xunit;

namespace IndraSmartPro.MqttTests;

/// <summary>
/// Resilience of the telemetry link: a connect that blocks (DNS, TCP, TLS) never delays the protection or
/// pilot tasks. The charger's link connects through the real MQTTnet transport to a TCP listener
/// that accepts and never answers, with a 30 s connect limit, so the network thread sits in
/// Connect for 30 s; meanwhile a PEN fault begins on the virtual board.
/// </summary>
public sealed class BlockingNetworkTests
{
    /// <summary>BS 7671 722.411.4.1 (iii) and docs/domain.md, "PEST timing requirements": CPC-TTref over 70 V disconnects within 0.5 s.</summary>
    private const long PenTripDeadlineMicroseconds = 500_000;

    private sealed class Recorder : IChargerEventListener
    {
        public readonly List<(long T, ChargerEventKind Kind, string Code)> Events = new();

        public void OnEvent(ChargerEvent e) => Events.Add((e.TimeMicroseconds, e.Kind, e.Code));
    }

    /// <summary>Records which threads call the transport; passes every call through.</summary>
    private sealed class ThreadRecordingTransport : IMqttTransport, IDisposable
    {
        private readonly MqttNetTransport _inner;
        private readonly object _gate = new object();

        public ThreadRecordingTransport(MqttNetTransport inner) => _inner = inner;

        public HashSet<int> CallerThreads { get; } = new HashSet<int>();

        public int ConnectsReturned;

        public bool IsConnected
        {
            get
            {
                Note();
                return _inner.IsConnected;
            }
        }

        public IMqttMessageSink Sink
        {
            get => _inner.Sink;
            set => _inner.Sink = value;
        }

        public string LastFailure => _inner.LastFailure;

        public bool Connect(string clientId, string userName, string password, string willTopic, byte[] willPayload)
        {
            Note();
            bool ok = _inner.Connect(clientId, userName, password, willTopic, willPayload);
            Interlocked.Increment(ref ConnectsReturned);
            return ok;
        }

        public bool Subscribe(string topicFilter, int qos)
        {
            Note();
            return _inner.Subscribe(topicFilter, qos);
        }

        public bool Publish(string topic, byte[] payload, int qos, bool retain)
        {
            Note();
            return _inner.Publish(topic, payload, qos, retain);
        }

        public bool StartPublish(string topic, byte[] payload, bool retain, int token)
        {
            Note();
            return _inner.StartPublish(topic, payload, retain, token);
        }

        public void Disconnect()
        {
            Note();
            _inner.Disconnect();
        }

        public void Dispose() => _inner.Dispose();

        private void Note()
        {
            lock (_gate)
            {
                CallerThreads.Add(Environment.CurrentManagedThreadId);
            }
        }
    }

    [Fact]
    public void Blocking_ConnectHangsFor30s_PenFaultStillTripsWithinDeadline()
    {
        using var silent = TcpRelay.Silent();
        var transport = new ThreadRecordingTransport(new MqttNetTransport(new MqttBrokerEndpoint
        {
            Host = "127.0.0.1",
            Port = silent.Port,
            ConnectTimeout = TimeSpan.FromSeconds(30),
            OperationTimeout = TimeSpan.FromSeconds(30),
        }));
        var host = new SimulatorHost(new ChargerConfig { ReferenceElectrodeFitted = true });
        var recorder = new Recorder();
        host.Firmware.Events.Subscribe(recorder);
        var device = new MqttDevice(host, transport, null, null);
        host.Boot();
        device.Start();
        try
        {
            // The network thread is inside Connect once the listener accepted it (bounded wait).
            var accepted = System.Diagnostics.Stopwatch.StartNew();
            while (silent.Accepted == 0 && accepted.Elapsed < TimeSpan.FromSeconds(10))
            {
                Thread.Sleep(5);
            }

            Assert.Equal(1, silent.Accepted);

            // Supply healthy past the boot check; relays closed as a session would close them.
            host.RunFor(5_000_000);
            Assert.True(host.Firmware.Relays.TryCloseEarth(host.NowMicroseconds));
            Assert.True(host.Firmware.Relays.TryCloseContactor(host.NowMicroseconds));
            host.RunFor(1_000_000);

            // PEN fault: the CPC is displaced 100 V against the TT reference.
            long onset = host.NowMicroseconds;
            host.Board.Mains.DisplacementRmsVolts = 100;
            host.Board.Mains.DisplacementPhaseDegrees = 90;
            host.RunFor(2_000_000);

            // The connect had not returned: everything above ran while the network thread was blocked.
            Assert.Equal(0, Volatile.Read(ref transport.ConnectsReturned));
            Assert.False(device.Link.IsConnected);

            var trip = recorder.Events.Find(e => e.Kind == ChargerEventKind.Trip);
            Assert.Equal("cpc-tt-over-70v", trip.Code);
            Assert.InRange(trip.T - onset, 1, PenTripDeadlineMicroseconds);
            Assert.Contains(recorder.Events, e => e.Kind == ChargerEventKind.Contactor && e.T == trip.T);
            Assert.False(host.Board.ContactorClosed);
            Assert.False(host.Board.EarthRelayClosed);

            // The protection task ran on time throughout: late by at most one of its periods.
            var scheduler = host.Firmware.Scheduler;
            int protection = IndexOf(scheduler, "protection");
            Assert.InRange(scheduler.GetMaxLatenessMicroseconds(protection), 0, ChargerFirmware.ProtectionPeriodMicroseconds);
            Assert.Equal(0, scheduler.GetMissedPeriods(protection));

            // The trip waits in the link's queue for the broker; the scheduler thread never touched the network.
            Assert.True(device.Link.OutboxCount > 0);
            Assert.DoesNotContain(Environment.CurrentManagedThreadId, transport.CallerThreads);
        }
        finally
        {
            // Closing the listener ends the hung connect at once, so the test does not wait 30 s.
            silent.Dispose();
            device.Stop(TimeSpan.FromSeconds(10));
        }
    }

    private static int IndexOf(Scheduling.Scheduler scheduler, string name)
    {
        for (int i = 0; i < scheduler.TaskCount; i++)
        {
            if (scheduler.GetName(i) == name)
            {
                return i;
            }
        }

        throw new InvalidOperationException("no task " + name);
    }
}
