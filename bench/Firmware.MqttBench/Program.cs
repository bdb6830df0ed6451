using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Threading;
using IndraSmartPro.MqttTests.Brokers;
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
/// sim-fleet: how many whole simulated chargers (firmware + virtual board + MQTT) run in real time.
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

        if (mode is "sim-fleet" or "all")
        {
            SimFleet(broker, args.Length > 1 && mode == "sim-fleet" ? args[1].Split(',').Select(int.Parse).ToArray() : new[] { 1, 2, 4, 8, 16 });
        }

        return 0;
    }

    // ------------------------------------------------------------------ latency

    private static void Latency(TestBroker broker)
    {
        const int Changes = 40;
        var host = new SimulatorHost();
        using var device = new MqttDevice(host, broker.Endpoint(), null, null, new TelemetryOptions());
        var changes = new List<(long Ticks, bool Paused)>();
        var arrivals = new List<(long Ticks, bool Paused)>();
        var gate = new object();
        var topics = device.Link.Topics;

        using var observer = Observer.Connect(broker.Endpoint(), null, null);
        var sink = new StatusSink(topics.Status, (ticks, payload) =>
        {
            bool paused = payload.Contains("\"paused\":true", StringComparison.Ordinal);
            lock (gate)
            {
                if (arrivals.Count == 0 || arrivals[^1].Paused != paused)
                {
                    arrivals.Add((ticks, paused));
                }
            }
        });
        observer.Transport.Sink = sink;
        observer.Transport.Subscribe(topics.Status, 1);

        host.Boot();
        device.Start();
        using var cancel = new CancellationTokenSource();
        var target = host.Firmware;
        var run = new Thread(() => FleetRunner.RunRealTime(new[] { host }, long.MaxValue, cancel.Token)) { Name = "sim" };
        run.Start();
        WaitUntil(() => device.Link.IsConnected, TimeSpan.FromSeconds(10));
        Thread.Sleep(1500);

        // The change: "pause"/"resume" by command, timed from the firmware's own result (the
        // scheduler applied it) to the retained status showing it at the subscriber. The command
        // path is measured separately below; here the clock starts when the firmware changed state.
        var resultTicks = new List<long>();
        var commandTicks = new List<long>();
        var results = new StatusSink(topics.Result, (ticks, payload) => { lock (gate) { resultTicks.Add(ticks); } });
        using var commander = Observer.Connect(broker.Endpoint(), null, null);
        commander.Transport.Sink = results;
        commander.Transport.Subscribe(topics.Result, 1);
        for (int i = 0; i < Changes; i++)
        {
            string command = i % 2 == 0 ? "pause" : "resume";
            long sent = Stopwatch.GetTimestamp();
            commander.Publish(topics.CommandPrefix + command, "{\"id\":\"b-" + i + "\"}");
            commandTicks.Add(sent);
            Thread.Sleep(500);
        }

        cancel.Cancel();
        run.Join();
        List<double> commandToResult, commandToStatus;
        lock (gate)
        {
            commandToResult = commandTicks.Zip(resultTicks, (s, r) => Ms(r - s)).ToList();
            commandToStatus = commandTicks.Zip(arrivals.Skip(1), (s, a) => Ms(a.Ticks - s)).ToList();
        }

        Console.WriteLine("latency (" + Changes + " pause/resume commands, whole firmware in real time, telemetry task period " + new TelemetryOptions().TaskPeriodMicroseconds / 1000 + " ms):");
        Report("  command sent -> result received", commandToResult);
        Report("  command sent -> status showing the change received", commandToStatus);
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

    // ------------------------------------------------------------------ whole simulated chargers

    private static void SimFleet(TestBroker broker, int[] sizes)
    {
        var duration = TimeSpan.FromSeconds(10);
        Console.WriteLine("sim-fleet: whole firmware + virtual board + MQTT per charger, real time, one simulation thread, " + duration.TotalSeconds + " s per step:");
        Console.WriteLine("  chargers | worst lag behind wall clock ms");
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
            long lag = FleetRunner.RunRealTime(hosts, hosts[0].NowMicroseconds + (long)(duration.TotalSeconds * 1e6), cancel.Token);
            foreach (var d in devices)
            {
                d.Dispose();
            }

            Console.WriteLine(string.Format(CultureInfo.InvariantCulture, "  {0,8} | {1,8:F1}", n, lag / 1000.0));
            if (lag > 100_000)
            {
                Console.WriteLine("  more than 100 ms behind at " + n + ": stopping");
                break;
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

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

        public void OnMessage(string topic, byte[] payload)
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
