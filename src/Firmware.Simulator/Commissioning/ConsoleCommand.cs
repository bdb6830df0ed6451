using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using IndraSmartPro.Persistence;

namespace IndraSmartPro.Simulator.Commissioning;

/// <summary>
/// <c>Firmware.Simulator console [--tcp PORT] [--toggle-b] [--no-electrode] [--house-amps A]</c>:
/// a virtual unit fresh from flashing with its commissioning console on stdin/stdout (line-delimited
/// JSON, docs/commissioning-protocol.md) or on a loopback TCP port, for the <c>indra</c> tool.
/// </summary>
public static class ConsoleCommand
{
    public const string Usage =
        "       Firmware.Simulator console [--tcp PORT] [--toggle-b] [--no-electrode] [--house-amps A]   a virtual unit's commissioning console on stdin or TCP";

    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        int port = -1;
        bool toggleB = false;
        bool noElectrode = false;
        double houseAmps = 2.0;
        for (int i = 1; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--tcp":
                    if (++i >= args.Length || !int.TryParse(args[i], out port) || port < 0 || port > 65535)
                    {
                        throw new UsageException("--tcp needs a port 0..65535 (0 = any free port)");
                    }

                    break;
                case "--toggle-b":
                    toggleB = true;
                    break;
                case "--no-electrode":
                    noElectrode = true;
                    break;
                case "--house-amps":
                    if (++i >= args.Length || !double.TryParse(args[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out houseAmps) || houseAmps < 0)
                    {
                        throw new UsageException("--house-amps needs a non-negative number");
                    }

                    break;
                default:
                    throw new UsageException("unknown option '" + args[i] + "'\n" + Usage);
            }
        }

        using var cancel = new CancellationTokenSource();
        System.Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        void Prepare(SimulatorHost host)
        {
            host.Board.PestToggleModeB = toggleB;
            host.Board.Mains.ElectrodeConnected = !noElectrode;
            host.Board.HouseLoadAmps = houseAmps;
        }

        if (port < 0)
        {
            var output = System.Console.OpenStandardOutput();
            var unit = new ConsoleUnit(new MemoryStore(), (b, o, n) => { output.Write(b, o, n); output.Flush(); }, Prepare);
            var reader = new Thread(() =>
            {
                var input = System.Console.OpenStandardInput();
                var buffer = new byte[4096];
                int n;
                while ((n = input.Read(buffer, 0, buffer.Length)) > 0)
                {
                    unit.Receive(buffer, n);
                }

                cancel.Cancel();
            }) { IsBackground = true };
            reader.Start();
            unit.Run(cancel.Token);
            return 0;
        }

        using var server = ConsoleServer.Start(port, Prepare);
        stderr.WriteLine("commissioning console on 127.0.0.1:" + server.Port + " (indra --tcp 127.0.0.1:" + server.Port + "). Ctrl+C to stop.");
        server.Run(cancel.Token);
        return 0;
    }
}

/// <summary>A virtual unit whose console listens on a loopback TCP port, one connection at a time.</summary>
public sealed class ConsoleServer : IDisposable
{
    private readonly TcpListener _listener;
    private readonly object _gate = new();
    private NetworkStream _client;
    private readonly CancellationTokenSource _stop = new();
    private Thread _runner;

    private ConsoleServer(TcpListener listener, Action<SimulatorHost> prepare)
    {
        _listener = listener;
        Unit = new ConsoleUnit(new MemoryStore(), Send, prepare);
    }

    /// <summary>The unit behind the console.</summary>
    public ConsoleUnit Unit { get; }

    /// <summary>The port listened on.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Listens on 127.0.0.1:<paramref name="port"/> (0 = a free port).</summary>
    public static ConsoleServer Start(int port, Action<SimulatorHost> prepare = null)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        var server = new ConsoleServer(listener, prepare);
        new Thread(server.Accept) { IsBackground = true }.Start();
        return server;
    }

    /// <summary>Runs the unit in real time until cancelled.</summary>
    public void Run(CancellationToken cancel)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancel, _stop.Token);
        Unit.Run(linked.Token);
    }

    /// <summary>Runs the unit on a background thread (tests); <see cref="Dispose"/> stops it.</summary>
    public void RunInBackground()
    {
        _runner = new Thread(() => Unit.Run(_stop.Token)) { IsBackground = true };
        _runner.Start();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _runner?.Join();
        _listener.Stop();
        lock (_gate)
        {
            _client?.Dispose();
        }
    }

    private void Accept()
    {
        var buffer = new byte[4096];
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = _listener.AcceptTcpClient();
            }
            catch (Exception)
            {
                return;
            }

            using (client)
            {
                var stream = client.GetStream();
                lock (_gate)
                {
                    _client = stream;
                }

                try
                {
                    int n;
                    while ((n = stream.Read(buffer, 0, buffer.Length)) > 0)
                    {
                        Unit.Receive(buffer, n);
                    }
                }
                catch (IOException)
                {
                }

                lock (_gate)
                {
                    _client = null;
                }
            }
        }
    }

    private void Send(byte[] data, int offset, int count)
    {
        lock (_gate)
        {
            try
            {
                _client?.Write(data, offset, count);
            }
            catch (IOException)
            {
            }
        }
    }
}
