using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using IndraSmartPro.Commissioning;
using IndraSmartPro.Persistence;

namespace IndraSmartPro.Simulator.Commissioning;

/// <summary>
/// A virtual unit with its commissioning console (docs/simulator.md, "Commissioning console"):
/// the firmware built from what its store holds (fresh: nothing, so not commissioned), the same
/// console task as the device's USB port, fed from stdin or a TCP connection. A "reboot" request
/// rebuilds the firmware from the same store, as the device's reboot would.
/// </summary>
public sealed class ConsoleUnit : IConsolePort, IRebootHandler, IDisposable
{
    private readonly ConcurrentQueue<byte[]> _received = new();
    private readonly Action<byte[], int, int> _send;
    private readonly Action<SimulatorHost> _prepare;
    private byte[] _current;
    private int _currentOffset;
    private volatile bool _rebootRequested;

    /// <summary>A unit on <paramref name="store"/> whose console output goes to <paramref name="send"/>; <paramref name="prepare"/> sets up each virtual board (supply, toggle, CT) before boot.</summary>
    public ConsoleUnit(IStore store, Action<byte[], int, int> send, Action<SimulatorHost> prepare = null)
    {
        Store = store;
        _send = send;
        _prepare = prepare;
        Build();
    }

    /// <summary>The store that survives reboots.</summary>
    public IStore Store { get; }

    /// <summary>The running firmware (replaced on reboot).</summary>
    public SimulatorHost Host { get; private set; }

    /// <summary>How many times the unit has booted.</summary>
    public int Boots { get; private set; }

    /// <summary>Bytes arriving from the tool (any thread).</summary>
    public void Receive(byte[] data, int count)
    {
        var copy = new byte[count];
        Array.Copy(data, copy, count);
        _received.Enqueue(copy);
    }

    /// <summary>Runs simulated time as fast as possible for <paramref name="microseconds"/> (tests), applying a requested reboot.</summary>
    public void RunFor(long microseconds)
    {
        Host.RunFor(microseconds);
        if (_rebootRequested)
        {
            Build();
        }
    }

    int IConsolePort.Read(byte[] buffer, int offset, int count)
    {
        if (_current == null || _currentOffset == _current.Length)
        {
            if (!_received.TryDequeue(out _current))
            {
                _current = null;
                return 0;
            }

            _currentOffset = 0;
        }

        int n = Math.Min(count, _current.Length - _currentOffset);
        Array.Copy(_current, _currentOffset, buffer, offset, n);
        _currentOffset += n;
        return n;
    }

    void IConsolePort.Write(byte[] buffer, int offset, int count) => _send(buffer, offset, count);

    void IRebootHandler.Reboot() => _rebootRequested = true;

    public void Dispose()
    {
    }

    private void Build()
    {
        _rebootRequested = false;
        var config = ConfigStore.Load(Store);
        var host = new SimulatorHost(config, Store, (ulong)(Boots + 1));

        // A lived-in house draws something through the CT clamp.
        host.Board.HouseLoadAmps = 2.0;
        _prepare?.Invoke(host);
        host.Firmware.AttachConsole(this, this);
        host.Boot();
        Host = host;
        Boots++;
    }

    /// <summary>Unwinds the real-time loop to rebuild after a reboot request.</summary>
    private sealed class RebootSignal : Exception
    {
    }

    /// <summary>Runs in real time until cancelled; a reboot request rebuilds the firmware from the store.</summary>
    public void Run(CancellationToken cancel)
    {
        while (!cancel.IsCancellationRequested)
        {
            try
            {
                Host.RunRealTime(long.MaxValue, cancel, _ =>
                {
                    if (_rebootRequested)
                    {
                        throw new RebootSignal();
                    }
                });
            }
            catch (RebootSignal)
            {
                Build();
            }
        }
    }
}
