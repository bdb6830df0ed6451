using IndraSmartPro.Board;
using IndraSmartPro.Simulator;
using IndraSmartPro.Simulator.VirtualBoard;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>The status LEDs follow the whole firmware on the virtual board.</summary>
public class IndicatorTests
{
    [Fact]
    public void Indicators_BootChargeAndPenFault_ShowStartingIdleChargingFault()
    {
        var host = new SimulatorHost();
        host.Boot();

        host.RunFor(1_000_000);
        Assert.Equal(IndicatorState.Starting, host.Board.Indicator);

        host.RunFor(5_000_000);
        Assert.Equal(IndicatorState.Idle, host.Board.Indicator);

        host.Board.Ev.Load = EvPilotLoad.Connected;
        host.RunFor(1_000_000);
        Assert.Equal(IndicatorState.Connected, host.Board.Indicator);

        host.Board.Ev.Load = EvPilotLoad.Requesting;
        host.RunFor(5_000_000);
        Assert.True(host.Board.ContactorClosed);
        Assert.Equal(IndicatorState.Charging, host.Board.Indicator);

        // PEN fault: the installation earth rises 100 V against the reference electrode.
        host.Board.Mains.DisplacementRmsVolts = 100;
        host.RunFor(1_000_000);
        Assert.False(host.Board.ContactorClosed);
        Assert.Equal(IndicatorState.Fault, host.Board.Indicator);
    }
}
