using System.Collections.Generic;
using IndraSmartPro.Events;
using IndraSmartPro.Simulator;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>Invariant S1: boot is safe before any task runs.</summary>
public class BootTests
{
    private sealed class Recorder : IChargerEventListener
    {
        public List<string> Lines { get; } = new();

        public void OnEvent(ChargerEvent e) => Lines.Add(e.Kind + ":" + e.Flag + ":" + e.Value);
    }

    [Fact]
    public void Boot_BeforeAnyTaskRuns_RelaysOpenAndPilotHeldNegative()
    {
        var host = new SimulatorHost();
        Assert.False(host.Board.ContactorClosed);
        Assert.False(host.Board.EarthRelayClosed);
        Assert.Equal(0, host.Board.PilotDutyPermille);

        host.Boot();

        Assert.False(host.Board.ContactorClosed);
        Assert.False(host.Board.EarthRelayClosed);
        Assert.Equal(0, host.Board.PilotDutyPermille);
    }

    [Fact]
    public void Boot_FirstEvents_AnnounceSafeState()
    {
        var host = new SimulatorHost();
        var recorder = new Recorder();
        host.Firmware.Events.Subscribe(recorder);

        host.Boot();

        Assert.Equal("Boot:False:0", recorder.Lines[0]);
        Assert.Contains("Contactor:False:0", recorder.Lines);
    }

    [Fact]
    public void Boot_Twice_Throws()
    {
        var host = new SimulatorHost();
        host.Boot();
        Assert.Throws<System.InvalidOperationException>(() => host.Boot());
    }
}
