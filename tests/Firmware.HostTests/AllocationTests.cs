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
}
