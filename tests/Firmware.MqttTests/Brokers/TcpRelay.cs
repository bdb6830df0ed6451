using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace IndraSmartPro.MqttTests.Brokers;

/// <summary>
/// A loopback TCP relay in front of a broker, to cut a client's network without the client
/// knowing (<see cref="Cut"/>): the broker sees the connection die as when a charger loses power
/// or its link, and publishes the last will. With <see cref="Silent"/> it accepts connections and
/// never answers: a connect that hangs like a black-holed TLS handshake. With a one-way delay it is
/// a latency proxy: every byte arrives that much later in each direction (a 100 ms round trip is
/// 50 ms each way, ordinary for Wi-Fi or cellular), in order, without limiting throughput.
/// </summary>
public sealed class TcpRelay : IDisposable
{
    private readonly TcpListener _listener = new TcpListener(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly bool _silent;
    private readonly TimeSpan _oneWayDelay;
    private readonly List<TcpClient> _open = new List<TcpClient>();
    private readonly CancellationTokenSource _stop = new CancellationTokenSource();

    private TcpRelay(int targetPort, bool silent, TimeSpan oneWayDelay = default)
    {
        _targetPort = targetPort;
        _silent = silent;
        _oneWayDelay = oneWayDelay;
        _listener.Start();
        _ = AcceptLoop();
    }

    /// <summary>A relay to 127.0.0.1:<paramref name="targetPort"/>.</summary>
    public static TcpRelay To(int targetPort) => new TcpRelay(targetPort, false);

    /// <summary>A relay that delays every byte by <paramref name="oneWayDelay"/> in each direction.</summary>
    public static TcpRelay WithLatency(int targetPort, TimeSpan oneWayDelay) => new TcpRelay(targetPort, false, oneWayDelay);

    /// <summary>A listener that accepts and never sends a byte.</summary>
    public static TcpRelay Silent() => new TcpRelay(0, true);

    /// <summary>The loopback port clients connect to.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections accepted so far.</summary>
    public int Accepted { get; private set; }

    /// <summary>Closes every relayed connection (new ones are still accepted).</summary>
    public void Cut()
    {
        lock (_open)
        {
            foreach (var c in _open)
            {
                // A connection the far side already closed has no socket left (Client is null):
                // reset only the ones still open, so Dispose after the test never throws.
                var socket = c.Client;
                if (socket != null)
                {
                    try { socket.LingerState = new LingerOption(true, 0); }
                    catch (ObjectDisposedException) { }
                }

                c.Dispose();
            }

            _open.Clear();
        }
    }

    /// <summary>Stops listening and closes everything.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        Cut();
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }

            Accepted++;
            lock (_open)
            {
                _open.Add(client);
            }

            if (_silent)
            {
                continue;
            }

            var server = new TcpClient();
            try
            {
                await server.ConnectAsync(IPAddress.Loopback, _targetPort);
            }
            catch (SocketException)
            {
                client.Dispose();
                server.Dispose();
                continue;
            }

            lock (_open)
            {
                _open.Add(server);
            }

            if (_oneWayDelay > TimeSpan.Zero)
            {
                // The delay is the proxy's only effect: no Nagle coalescing on top of it.
                client.NoDelay = true;
                server.NoDelay = true;
                _ = DelayedPump(client, server, _oneWayDelay);
                _ = DelayedPump(server, client, _oneWayDelay);
            }
            else
            {
                _ = Pump(client, server);
                _ = Pump(server, client);
            }
        }
    }

    // Reads as fast as the sender writes; each chunk is written once its delay has passed, in order.
    private static async Task DelayedPump(TcpClient from, TcpClient to, TimeSpan delay)
    {
        var queue = System.Threading.Channels.Channel.CreateUnbounded<(long Due, byte[] Data)>();
        var writer = Task.Run(async () =>
        {
            try
            {
                var output = to.GetStream();
                await foreach (var (due, data) in queue.Reader.ReadAllAsync())
                {
                    long wait = due - System.Diagnostics.Stopwatch.GetTimestamp();
                    if (wait > 0)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(wait / (double)System.Diagnostics.Stopwatch.Frequency));
                    }

                    await output.WriteAsync(data);
                }
            }
            catch (Exception)
            {
                // The far side closed.
            }

            to.Dispose();
            from.Dispose();
        });
        var buffer = new byte[8192];
        try
        {
            var input = from.GetStream();
            while (true)
            {
                int n = await input.ReadAsync(buffer);
                if (n == 0)
                {
                    break;
                }

                long due = System.Diagnostics.Stopwatch.GetTimestamp() + (long)(delay.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
                queue.Writer.TryWrite((due, buffer.AsSpan(0, n).ToArray()));
            }
        }
        catch (Exception)
        {
            // Either side closed.
        }

        queue.Writer.TryComplete();
        await writer;
    }

    private static async Task Pump(TcpClient from, TcpClient to)
    {
        var buffer = new byte[8192];
        try
        {
            var input = from.GetStream();
            var output = to.GetStream();
            while (true)
            {
                int n = await input.ReadAsync(buffer);
                if (n == 0)
                {
                    break;
                }

                await output.WriteAsync(buffer.AsMemory(0, n));
            }
        }
        catch (Exception)
        {
            // Either side closed: the relay of this connection is over.
        }

        from.Dispose();
        to.Dispose();
    }
}
