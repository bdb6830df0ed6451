using System;
using IndraSmartPro.Board;
using IndraSmartPro.Firmware;
using IndraSmartPro.Pests;
using IndraSmartPro.Simulator;
using IndraSmartPro.Simulator.VirtualBoard;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>
/// Failures of the native metering front end on the whole firmware (docs/faults.md, "Metering
/// supervision"): a DMA stall, a stuck or saturated channel and a drifting sample clock open both
/// relays within 200 ms of the last good cycle (a drift: of its detection), are not latched, and
/// charging resumes once the front end is healthy again. Also the windowed PEST rules against a
/// PEN fault that comes and goes.
/// </summary>
public class MeteringFailureTests
{
    private static SimulatorHost Charging()
    {
        var host = new SimulatorHost(new ChargerConfig { ReferenceElectrodeFitted = true });
        host.Board.Ev.Load = EvPilotLoad.Requesting;
        host.Boot();
        host.RunFor(6_000_000);
        Assert.True(host.Board.ContactorClosed, "charging after the boot check");
        return host;
    }

    /// <summary>Runs in 1 ms steps until the contactor opens; returns how long it took, microseconds (or long.MaxValue).</summary>
    private static long UntilOpen(SimulatorHost host, long limitMicroseconds)
    {
        long start = host.NowMicroseconds;
        while (host.NowMicroseconds - start < limitMicroseconds)
        {
            host.RunFor(1_000);
            if (!host.Board.ContactorClosed && !host.Board.EarthRelayClosed)
            {
                return host.NowMicroseconds - start;
            }
        }

        return long.MaxValue;
    }

    private static void AssertRecoversWithoutReset(SimulatorHost host)
    {
        Assert.False(host.Firmware.Pests.Latched);
        host.RunFor(4_000_000);
        Assert.True(host.Board.ContactorClosed, "charging resumes without a reset once the front end is healthy");
    }

    [Fact]
    public void Metering_DmaStall_OpensBothRelaysWithin200msNotLatched()
    {
        var host = Charging();
        host.Board.MainsSamplerStalled = true;
        long open = UntilOpen(host, 1_000_000);
        Assert.True(open <= 200_000 + 25_000, $"opened after {open} µs");
        Assert.Equal(PestProtection.MeteringStaleCode, host.Firmware.Pests.BlockingCode);
        host.Board.MainsSamplerStalled = false;
        AssertRecoversWithoutReset(host);
    }

    [Theory]
    [InlineData(AnalogChannel.LineTtRef, 1650)]
    [InlineData(AnalogChannel.LineNeutral, 3300)]
    [InlineData(AnalogChannel.CpcTtRef, 0)]
    public void Metering_StuckOrSaturatedChannel_OpensBothRelaysWithin200msNotLatched(AnalogChannel channel, int pinMillivolts)
    {
        var host = Charging();
        host.Board.StuckPinMillivolts = pinMillivolts;
        host.Board.StuckChannel = channel;
        long open = UntilOpen(host, 1_000_000);
        Assert.True(open <= 200_000 + 25_000, $"opened after {open} µs");
        host.Board.StuckChannel = null;
        AssertRecoversWithoutReset(host);
    }

    [Theory]
    [InlineData(AnalogChannel.EvCurrent, 1650)]
    [InlineData(AnalogChannel.CtClamp, 3300)]
    public void Metering_StuckChannelPestDoesNotMeasure_KeepsChargingAndProtecting(AnalogChannel channel, int pinMillivolts)
    {
        // The EV-current and CT-clamp channels are not PEST inputs: a fault there must not blind
        // PEST (nor open the relays as "metering stale"). A clamp at its rail reads as a house
        // at its limit: curtailment, not PEST, may then pause charging (its own fail-safe).
        var host = Charging();
        host.Board.StuckPinMillivolts = pinMillivolts;
        host.Board.StuckChannel = channel;
        host.RunFor(1_000_000);
        Assert.NotEqual(PestProtection.MeteringStaleCode, host.Firmware.Pests.BlockingCode);
        Assert.False(host.Firmware.Pests.Latched);
        Assert.True(host.Board.EarthRelayClosed, "PEST keeps the earth connected");
    }

    [Fact]
    public void Metering_SampleClockTenPercentSlow_OpensBothRelaysWithin300msNotLatched()
    {
        var host = Charging();
        host.Board.AdcRateError = 0.10;
        long open = UntilOpen(host, 2_000_000);
        Assert.True(open <= 300_000 + 25_000, $"opened after {open} µs");
        host.Board.AdcRateError = 0;
        AssertRecoversWithoutReset(host);
    }

    [Fact]
    public void Pest_ChatteringPenFault_TripsOnTheWindowedRmsWithin5s()
    {
        // CPC-TTref 100 V for 40 ms every 340 ms: each burst drains away cycle by cycle, the 1 s
        // window's true RMS is 28..35 V and the 200 ms window's up to 45 V.
        var host = Charging();
        long onset = host.NowMicroseconds;
        long tripAt = -1;
        while (host.NowMicroseconds - onset < 6_000_000 && tripAt < 0)
        {
            long phase = (host.NowMicroseconds - onset) % 340_000;
            host.Board.Mains.DisplacementRmsVolts = phase < 40_000 ? 100 : 0;
            host.RunFor(1_000);
            if (host.Firmware.Pests.Latched)
            {
                tripAt = host.NowMicroseconds;
            }
        }

        Assert.True(tripAt > 0, "the chattering fault never tripped");
        double seconds = (tripAt - onset) / 1e6;
        Assert.InRange(seconds, 1.0, 5.0);
        Assert.False(host.Board.ContactorClosed);
    }
}
