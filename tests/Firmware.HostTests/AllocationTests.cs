using System;
using IndraSmartPro.Simulator;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>Steady state of the whole firmware on the virtual board allocates nothing.</summary>
public class AllocationTests
{
    [Fact]
    public void WholeFirmware_100kTicksAfterWarmUp_AllocatesZeroBytes()
    {
        var host = new SimulatorHost();
        host.Boot();
        host.Board.Ev.Load = Simulator.VirtualBoard.EvPilotLoad.Connected;
        host.RunFor(5_000_000); // warm-up: boot checks, first cycles, JIT
        var scheduler = host.Firmware.Scheduler;
        long runsBefore = 0;
        for (int i = 0; i < scheduler.TaskCount; i++)
        {
            runsBefore += scheduler.GetRuns(i);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        host.RunFor(100_000_000); // 100 s of simulated time = 100 000 protection ticks
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        long runsAfter = 0;
        for (int i = 0; i < scheduler.TaskCount; i++)
        {
            runsAfter += scheduler.GetRuns(i);
        }

        Assert.True(runsAfter - runsBefore >= 100_000, "ran " + (runsAfter - runsBefore) + " task runs");
        Assert.Equal(0, allocated);
    }

    /// <summary>
    /// A store that keeps records in buffers made up front, as the device's flash file does not
    /// allocate managed memory per write: so the test measures the firmware, not MemoryStore's copies.
    /// </summary>
    private sealed class PreallocatedStore : IndraSmartPro.Persistence.IStore
    {
        private readonly string[] _keys = new string[8];
        private readonly byte[][] _data = new byte[8][];
        private readonly int[] _lengths = new int[8];

        public PreallocatedStore()
        {
            for (int i = 0; i < _data.Length; i++)
            {
                _data[i] = new byte[256];
            }
        }

        public int WriteCount { get; private set; }

        // The firmware keeps no ring yet on this path: segments are not needed here.
        public void Append(string key, byte[] data, int length) => throw new NotSupportedException("segments");

        public int ReadAt(string key, int position, byte[] buffer, int offset, int count) => 0;

        public bool HasRecord(string key) => Find(key, false) >= 0;

        public bool TryRead(string key, byte[] buffer, out int length)
        {
            int i = Find(key, false);
            length = i < 0 ? 0 : _lengths[i];
            if (i < 0 || length > buffer.Length)
            {
                return false;
            }

            Array.Copy(_data[i], buffer, length);
            return true;
        }

        public void Write(string key, byte[] data, int length)
        {
            int i = Find(key, true);
            Array.Copy(data, _data[i], length);
            _lengths[i] = length;
            WriteCount++;
        }

        public void Delete(string key)
        {
            int i = Find(key, false);
            if (i >= 0)
            {
                _keys[i] = null;
            }
        }

        private int Find(string key, bool create)
        {
            for (int i = 0; i < _keys.Length; i++)
            {
                if (_keys[i] == key)
                {
                    return i;
                }
            }

            if (!create)
            {
                return -1;
            }

            for (int i = 0; i < _keys.Length; i++)
            {
                if (_keys[i] == null)
                {
                    _keys[i] = key;
                    return i;
                }
            }

            throw new InvalidOperationException("store full");
        }
    }

    [Fact]
    public void WholeFirmware_Charging100Seconds_AllocatesZeroBytes()
    {
        var store = new PreallocatedStore();
        var host = new SimulatorHost(store: store);
        host.Boot();
        host.Board.Ev.Load = Simulator.VirtualBoard.EvPilotLoad.Requesting;
        host.RunFor(10_000_000); // connect, offer, close, ramp up; JIT of every path
        Assert.True(host.Board.ContactorClosed, "charging before the measurement");
        int writesBefore = store.WriteCount;

        long before = GC.GetAllocatedBytesForCurrentThread();
        host.RunFor(100_000_000); // 100 s of charging at 32 A: power every second, an energy record every 100 Wh
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(host.Board.ContactorClosed);
        Assert.True(store.WriteCount > writesBefore, "the energy record was written while measuring");
        Assert.Equal(0, allocated);
    }
}
