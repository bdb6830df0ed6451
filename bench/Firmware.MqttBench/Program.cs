using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using IndraSmartPro.MqttTests.Brokers;
using IndraSmartPro.Network;
using IndraSmartPro.Simulator;
using IndraSmartPro.Simulator.Mqtt;
using IndraSmartPro.Telemetry;

namespace IndraSmartPro.MqttBench;

/// <summary>
/// MQTT figures for docs/performance.md. Modes:
/// latency: a state change in the firmware to its status message at a subscriber (one charger,
///   the whole firmware in real time, against mosquitto);
/// fleet: how many chargers at one status a second each one machine sustains with p99 latency
///   under 100 ms (each charger = the firmware's MqttLink and its own network thread over the
///   MQTTnet transport; the status is produced by a ticker, so the figure is the MQTT path's);
/// sim-fleet: how many whole simulated chargers (firmware + virtual board + MQTT) run in real time;
/// rtt: QoS 1 events a second through the link at 0, 100 and 300 ms round trip (a latency proxy
///   between the charger and mosquitto), with 1 and with the default number in flight;
/// reconnect: N links connected, mosquitto killed and restarted on the same port: connects a
///   second at the peak and time until all are back, with the default first-retry spread and
///   with none (every link retrying at once, as before the spread).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "all";
        Console.WriteLine("machine: " + Environment.ProcessorCount + " logical cores, " + System.Runtime.InteropServices.RuntimeInformation.OSDescription + ", " + System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
        using var broker = TestBroker.StartPlain();
        Console.WriteLine("broker: " + broker.Name);
        if (mode is "latency" or "all")
        {
            Latency(broker);
        }

        if (mode is "fleet" or "all")
        {
            Fleet(broker, args.Length > 1 ? args[1].Split(',').Select(int.Parse).ToArray() : new[] { 50, 100, 200, 400, 800, 1200 });
        }

        if (mode is "rtt" or "all")
        {
            Rtt(broker);
        }

        if (mode is "reconnect")
        {
            Reconnect(broker, args.Length > 1 ? args[1].Split(',').Select(int.Parse).ToArray() : new[] { 200, 800 });
        }

        if (mode is "sim-fleet" or "all")
        {
            SimFleet(broker, args.Length > 1 && mode == "sim-fleet" ? args[1].Split(',').Select(int.Parse).ToArray() : new[] { 1, 4, 8, 16, 32 });
        }

        return 0;
    }

    // ------------------------------------------------------------------ latency

    private static void Latency(TestBroker broker)
    {
        const int Changes = 40;
        const long TogglePeriodMicroseconds = 1_500_000;
        var host = new SimulatorHost();
        using var device = new MqttDevice(host, broker.Endpoint(), null, null, new TelemetryOptions());
        var topics = device.Link.Topics;
        var gate = new object();
        var changes = new List<(long Ticks, string Pilot)>();
        var arrivals = new List<(long Ticks, string Pilot)>();

        // The state change: the firmware classifies a new pilot state (EV plugged in or out) and
        // publishes it on its event bus, on the simulation thread; timestamped right there.
        host.Firmware.Events.Subscribe(new PilotChanges(changes, gate));

        using var observer = Observer.Connect(broker.Endpoint(), null, null);
        observer.Transport.Sink = new StatusSink(topics.Status, (ticks, payload) =>
        {
            int at = payload.IndexOf("\"pilot\":\"", StringComparison.Ordinal);
            string pilot = payload.Substring(at + 9, payload.IndexOf('"', at + 9) - at - 9);
            lock (gate)
            {
                if (arrivals.Count == 0 || arrivals[^1].Pilot != pilot)
                {
                    arrivals.Add((ticks, pilot));
                }
            }
        });
        observer.Transport.Subscribe(topics.Status, 1);

        // The command path: refresh-status sent -> its result received.
        var commandTicks = new List<long>();
        var resultTicks = new List<long>();
        using var commander = Observer.Connect(broker.Endpoint(), null, null);
        commander.Transport.Sink = new StatusSink(topics.Result, (ticks, payload) => { lock (gate) { resultTicks.Add(ticks); } });
        commander.Transport.Subscribe(topics.Result, 1);

        host.Boot();
        device.Start();
        using var cancel = new CancellationTokenSource();
        long nextToggle = 6_000_000;
        int toggles = 0;
        var run = new Thread(() => FleetRunner.RunRealTime(new[] { host }, long.MaxValue, cancel.Token, now =>
        {
            if (now >= nextToggle && toggles < Changes)
            {
                host.Board.Ev.Load = toggles % 2 == 0 ? Simulator.VirtualBoard.EvPilotLoad.Connected : Simulator.VirtualBoard.EvPilotLoad.Disconnected;
                toggles++;
                nextToggle += TogglePeriodMicroseconds;
            }
        })) { Name = "sim" };
        run.Start();
        WaitUntil(() => device.Link.IsConnected, TimeSpan.FromSeconds(10));
        for (int i = 0; i < Changes; i++)
        {
            long sent = Stopwatch.GetTimestamp();
            commander.Publish(topics.CommandPrefix + "refresh-status", "{\"id\":\"b-" + i + "\"}");
            lock (gate)
            {
                commandTicks.Add(sent);
            }

            WaitUntil(() => { lock (gate) { return resultTicks.Count > i; } }, TimeSpan.FromSeconds(5));
            Thread.Sleep(100);
        }

        WaitUntil(() => Volatile.Read(ref toggles) >= Changes, TimeSpan.FromSeconds(Changes * 2 + 10));
        Thread.Sleep(1000);
        cancel.Cancel();
        run.Join();

        var changeToStatus = new List<double>();
        lock (gate)
        {
            // Match each pilot change with the first status showing it that arrived after it.
            foreach (var change in changes)
            {
                foreach (var arrival in arrivals)
                {
                    if (arrival.Pilot == change.Pilot && arrival.Ticks >= change.Ticks)
                    {
                        changeToStatus.Add(Ms(arrival.Ticks - change.Ticks));
                        break;
                    }
                }
            }
        }

        Console.WriteLine("latency (whole firmware in real time on the virtual board, telemetry task period " + new TelemetryOptions().TaskPeriodMicroseconds / 1000 + " ms, one charger):");
        Report("  pilot state change in the firmware -> status showing it at a subscriber", changeToStatus);
        Report("  refresh-status command sent -> its result at the sender", commandTicks.Zip(resultTicks, (s, r) => Ms(r - s)).ToList());
    }

    /// <summary>Timestamps pilot state changes on the simulation thread (the listener only records).</summary>
    private sealed class PilotChanges : Events.IChargerEventListener
    {
        private readonly List<(long Ticks, string Pilot)> _changes;
        private readonly object _gate;

        public PilotChanges(List<(long Ticks, string Pilot)> changes, object gate)
        {
            _changes = changes;
            _gate = gate;
        }

        public void OnEvent(Events.ChargerEvent e)
        {
            if (e.Kind == Events.ChargerEventKind.PilotState && e.Code != null)
            {
                lock (_gate)
                {
                    _changes.Add((Stopwatch.GetTimestamp(), e.Code));
                }
            }
        }
    }

    // ------------------------------------------------------------------ fleet

    private static void Fleet(TestBroker broker, int[] sizes)
    {
        var duration = TimeSpan.FromSeconds(15);
        Console.WriteLine("fleet: each charger an MqttLink + MQTTnet transport + network thread, 1 status/s (QoS 1, retained, ~450 B), " + duration.TotalSeconds + " s per step:");
        Console.WriteLine("  chargers | msgs/s | p50 ms | p99 ms | max ms | lost");
        foreach (int n in sizes)
        {
            var result = FleetStep(broker, n, duration);
            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,8} | {1,6:F0} | {2,6:F1} | {3,6:F1} | {4,6:F1} | {5}", n, result.Rate, result.P50, result.P99, result.Max, result.Lost));
            if (result.P99 > 100 || result.Lost > 0)
            {
                Console.WriteLine("  p99 over 100 ms or messages lost at " + n + ": stopping");
                break;
            }
        }
    }

    private static (double Rate, double P50, double P99, double Max, int Lost) FleetStep(TestBroker broker, int n, TimeSpan duration)
    {
        var latencies = new List<double>(n * (int)duration.TotalSeconds);
        var gate = new object();
        int received = 0;
        using var observer = Observer.Connect(broker.Endpoint(), null, null);
        var sink = new StatusSink(null, (ticks, payload) =>
        {
            int at = payload.IndexOf("\"sentTicks\":", StringComparison.Ordinal);
            long sent = long.Parse(payload.AsSpan(at + 12, payload.IndexOf(',', at) - at - 12), CultureInfo.InvariantCulture);
            lock (gate)
            {
                latencies.Add(Ms(ticks - sent));
                received++;
            }
        });
        observer.Transport.Sink = sink;
        observer.Transport.Subscribe("indra/+/status", 1);

        var clock = new WallClock();
        var links = new List<(MqttLink Link, MqttNetTransport Transport, WorkerWake Wake, Thread Thread)>();
        for (int i = 0; i < n; i++)
        {
            var transport = new MqttNetTransport(broker.Endpoint());
            var topics = new MqttTopics("BENCH" + i.ToString("D5", CultureInfo.InvariantCulture));
            var link = new MqttLink(transport, clock, new XorShiftRandom((ulong)i + 1), topics, new MqttLinkOptions());
            var wake = new WorkerWake();
            link.Wake = wake;
            var thread = new Thread(link.Run) { IsBackground = true, Name = "mqtt " + i };
            thread.Start();
            links.Add((link, transport, wake, thread));
        }

        WaitUntil(() => links.All(l => l.Link.IsConnected), TimeSpan.FromSeconds(60));
        lock (gate)
        {
            latencies.Clear();
            received = 0;
        }

        // Each charger updates its status once a second, spread evenly over the second.
        var wall = Stopwatch.StartNew();
        int sent = 0;
        var filler = new string('x', 300);
        long period = Stopwatch.Frequency;
        long next = Stopwatch.GetTimestamp();
        var start = next;
        int seconds = (int)duration.TotalSeconds;
        for (int s = 0; s < seconds; s++)
        {
            for (int i = 0; i < n; i++)
            {
                long due = start + (s * period) + (i * period / n);
                long wait = due - Stopwatch.GetTimestamp();
                if (wait > Stopwatch.Frequency / 1000)
                {
                    Thread.Sleep((int)(wait * 1000 / Stopwatch.Frequency));
                }

                byte[] payload = Encoding.UTF8.GetBytes("{\"v\":1,\"sentTicks\":" + Stopwatch.GetTimestamp().ToString(CultureInfo.InvariantCulture) + ",\"state\":\"charging\",\"pad\":\"" + filler + "\"}");
                links[i].Link.SetStatus(payload, payload.Length);
                sent++;
            }
        }

        WaitUntil(() => { lock (gate) { return received >= sent; } }, TimeSpan.FromSeconds(5));
        foreach (var l in links)
        {
            l.Link.Stop();
        }

        foreach (var l in links)
        {
            l.Thread.Join(TimeSpan.FromSeconds(5));
            l.Transport.Dispose();
            l.Wake.Dispose();
        }

        lock (gate)
        {
            latencies.Sort();
            return (received / duration.TotalSeconds, Percentile(latencies, 0.5), Percentile(latencies, 0.99), latencies.Count > 0 ? latencies[^1] : double.NaN, Math.Max(0, sent - received));
        }
    }

    // ------------------------------------------------------------------ reconnect after a broker restart

    private static void Reconnect(TestBroker broker, int[] sizes)
    {
        Console.WriteLine("reconnect: N links (MqttLink + MQTTnet + network thread each) connected; mosquitto killed, restarted on the same port once all saw the loss:");
        Console.WriteLine("  chargers | first-retry spread ms | peak connects/s | all back after s | back within 60 s");
        foreach (int n in sizes)
        {
            foreach (int spread in new[] { new MqttLinkOptions().FirstRetrySpreadMilliseconds, 0 })
            {
                var r = ReconnectStep(broker, n, spread);
                Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,8} | {1,21} | {2,15} | {3,16:F1} | {4}/{0}", n, spread, r.Peak, r.AllBackSeconds, r.Back));
            }
        }
    }

    private static (int Peak, double AllBackSeconds, int Back) ReconnectStep(TestBroker broker, int n, int spreadMilliseconds)
    {
        var clock = new WallClock();
        var links = new List<(MqttLink Link, MqttNetTransport Transport, WorkerWake Wake, Thread Thread)>();
        for (int i = 0; i < n; i++)
        {
            var transport = new MqttNetTransport(broker.Endpoint());
            var topics = new MqttTopics("RECON" + i.ToString("D5", CultureInfo.InvariantCulture));
            var options = new MqttLinkOptions { FirstRetrySpreadMilliseconds = spreadMilliseconds };
            var link = new MqttLink(transport, clock, new XorShiftRandom(XorShiftRandom.SeedFrom(topics.Serial, (ulong)spreadMilliseconds)), topics, options);
            var wake = new WorkerWake();
            link.Wake = wake;
            var thread = new Thread(link.Run) { IsBackground = true, Name = "mqtt " + i };
            thread.Start();
            links.Add((link, transport, wake, thread));
        }

        WaitUntil(() => links.All(l => l.Link.IsConnected), TimeSpan.FromSeconds(120));
        broker.Stop();
        WaitUntil(() => links.All(l => !l.Link.IsConnected), TimeSpan.FromSeconds(30));
        broker.Restart();
        var watch = Stopwatch.StartNew();

        // Poll every 5 ms (bounded at 60 s): when each link is back.
        var backAt = new double[n];
        Array.Fill(backAt, double.NaN);
        int back = 0;
        while (back < n && watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            for (int i = 0; i < n; i++)
            {
                if (double.IsNaN(backAt[i]) && links[i].Link.IsConnected)
                {
                    backAt[i] = watch.Elapsed.TotalSeconds;
                    back++;
                }
            }

            Thread.Sleep(5);
        }

        foreach (var l in links)
        {
            l.Link.Stop();
        }

        foreach (var l in links)
        {
            l.Thread.Join(TimeSpan.FromSeconds(5));
            l.Transport.Dispose();
            l.Wake.Dispose();
        }

        // Peak over any 1 s window (sliding, 10 ms resolution).
        var times = backAt.Where(t => !double.IsNaN(t)).OrderBy(t => t).ToArray();
        int peak = 0;
        for (int a = 0, b = 0; b < times.Length; b++)
        {
            while (times[b] - times[a] >= 1.0)
            {
                a++;
            }

            peak = Math.Max(peak, b - a + 1);
        }

        return (peak, times.Length > 0 ? times[^1] : double.NaN, back);
    }

    // ------------------------------------------------------------------ whole simulated chargers

    private static void SimFleet(TestBroker broker, int[] sizes)
    {
        // Cost of one simulated second of one whole charger, flat out (no MQTT, no pacing).
        var probe = new SimulatorHost();
        probe.Boot();
        probe.RunFor(5_000_000);
        var flat = Stopwatch.StartNew();
        probe.RunFor(20_000_000);
        double secondsPerSimSecond = flat.Elapsed.TotalSeconds / 20;
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "sim-fleet: one whole charger (firmware + virtual board) costs {0:F1} ms of one core per simulated second, flat out: {1:F0}x real time", secondsPerSimSecond * 1000, 1 / secondsPerSimSecond));

        var duration = TimeSpan.FromSeconds(10);
        Console.WriteLine("  real time with MQTT, one simulation thread (as --devices N), " + duration.TotalSeconds + " s per step:");
        Console.WriteLine("  chargers | behind the wall clock at the end ms | worst step lag ms");
        foreach (int n in sizes)
        {
            var hosts = new List<SimulatorHost>();
            var devices = new List<MqttDevice>();
            for (int i = 0; i < n; i++)
            {
                var host = new SimulatorHost(new Firmware.ChargerConfig { Serial = "SIM" + i.ToString("D5", CultureInfo.InvariantCulture) });
                var device = new MqttDevice(host, broker.Endpoint(), null, null);
                host.Boot();
                device.Start();
                hosts.Add(host);
                devices.Add(device);
            }

            using var cancel = new CancellationTokenSource();
            long start = hosts[0].NowMicroseconds;
            var wall = Stopwatch.StartNew();
            long worst = FleetRunner.RunRealTime(hosts, start + (long)(duration.TotalSeconds * 1e6), cancel.Token);
            double behind = wall.Elapsed.TotalMilliseconds - duration.TotalMilliseconds;
            foreach (var d in devices)
            {
                d.Dispose();
            }

            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,8} | {1,8:F0} | {2,8:F1}", n, behind, worst / 1000.0));
            if (behind > 1000)
            {
                Console.WriteLine("  more than 1 s behind after " + duration.TotalSeconds + " s at " + n + ": stopping");
                break;
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    // ------------------------------------------------------------------ rtt

    private static void Rtt(TestBroker broker)
    {
        const int Events = 100;
        foreach (int rttMs in new[] { 0, 100, 300 })
        {
            foreach (int window in new[] { 1, new MqttLinkOptions().MaxInFlight })
            {
                using var proxy = TcpRelay.WithLatency(broker.Port, TimeSpan.FromMilliseconds(rttMs / 2.0));
                string serial = "SPR" + rttMs.ToString(CultureInfo.InvariantCulture) + "W" + window.ToString(CultureInfo.InvariantCulture);
                var topics = new MqttTopics(serial);
                using var observer = Observer.Connect(broker.Endpoint(), null, null, topics.Event);
                using var transport = new MqttNetTransport(new MqttBrokerEndpoint { Host = "127.0.0.1", Port = proxy.Port });
                using var wake = new WorkerWake();
                var options = new MqttLinkOptions { OutboxCapacity = Events, MaxInFlight = window };
                var link = new MqttLink(transport, new WallClock(), new XorShiftRandom(1), topics, options) { Wake = wake };
                var thread = new Thread(link.Run) { IsBackground = true };
                thread.Start();
                WaitUntil(() => link.IsConnected, TimeSpan.FromSeconds(10));
                var watch = Stopwatch.StartNew();
                for (int i = 0; i < Events; i++)
                {
                    byte[] payload = Encoding.UTF8.GetBytes("{\"v\":1,\"seq\":" + i.ToString(CultureInfo.InvariantCulture) + ",\"type\":\"trip\"}");
                    link.EnqueueEvent(payload, payload.Length);
                }

                WaitUntil(() => link.OutboxCount == 0, TimeSpan.FromSeconds(120));
                double seconds = watch.Elapsed.TotalSeconds;
                int received = observer.WaitForCount(_ => true, Events).Length;
                Console.WriteLine("rtt " + rttMs + " ms, " + window + " in flight: " + (Events / seconds).ToString("0", CultureInfo.InvariantCulture) + " events/s (" + received + "/" + Events + " received in order: "
                    + observer.Messages.Select(m => m.Payload).SequenceEqual(Enumerable.Range(0, Events).Select(i => "{\"v\":1,\"seq\":" + i.ToString(CultureInfo.InvariantCulture) + ",\"type\":\"trip\"}")) + ")");
                link.Stop();
                thread.Join(5000);
            }
        }
    }

    private static void Report(string what, List<double> values)
    {
        values.Sort();
        Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0}: n={1} p50 {2:F1} ms, p99 {3:F1} ms, max {4:F1} ms", what, values.Count, Percentile(values, 0.5), Percentile(values, 0.99), values.Count > 0 ? values[^1] : double.NaN));
    }

    private static void WaitUntil(Func<bool> condition, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        while (!condition())
        {
            if (watch.Elapsed > limit)
            {
                throw new TimeoutException("bench: condition not reached in " + limit);
            }

            Thread.Sleep(10);
        }
    }

    /// <summary>Receives on the subscriber's thread and timestamps at once.</summary>
    private sealed class StatusSink : IMqttMessageSink
    {
        private readonly string _topic;
        private readonly Action<long, string> _onMessage;

        public StatusSink(string topic, Action<long, string> onMessage)
        {
            _topic = topic;
            _onMessage = onMessage;
        }

        public void OnPublished(int token, bool acknowledged)
        {
        }

        public void OnMessage(string topic, byte[] payload, bool retained)
        {
            long now = Stopwatch.GetTimestamp();
            if (_topic == null || topic == _topic)
            {
                _onMessage(now, Encoding.UTF8.GetString(payload));
            }
        }

        public void OnConnectionLost()
        {
        }
    }

    /// <summary>The link's clock for the fleet bench: real time.</summary>
    private sealed class WallClock : Board.IMicrosecondClock
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();

        public long NowMicroseconds => _watch.ElapsedTicks * 1_000_000L / Stopwatch.Frequency;
    }
}
