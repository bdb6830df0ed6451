using System;
using System.Linq;
using IndraSmartPro.Board;
using IndraSmartPro.Board.Esp32;
using IndraSmartPro.Esp32.HostTests.DeviceApi;
using Xunit;

namespace IndraSmartPro.Esp32.HostTests;

/// <summary>
/// The ESP32 binding (src/Firmware.Esp32/Esp32Board.cs) against stand-ins of the nanoFramework
/// device API: what it does to the pins, the ADC and the PWM, read back from the simulated chip.
/// Pins and active levels come from hw/pinmap.json through the generated PinMap (PinMapTests in
/// Firmware.HostTests checks the two agree).
/// </summary>
public class Esp32BoardTests
{
    public Esp32BoardTests()
    {
        FakeChip.Reset();
        FakeChip.MuxSelectGpio = PinMap.AnalogMuxSelectGpio;
    }

    /// <summary>The level that means "active" on a pin: high for active-high, low for active-low.</summary>
    private static bool Active(bool activeHigh) => activeHigh;

    private static bool Inactive(bool activeHigh) => !activeHigh;

    [Fact]
    public void Constructor_LeavesTheBoardSafe_RelaysOpenFirstThenPilotNegativeTestOffLockOff()
    {
        var board = new Esp32Board();

        Assert.Equal(Inactive(PinMap.ContactorActiveHigh), FakeChip.Level(PinMap.ContactorGpio));
        Assert.Equal(Inactive(PinMap.EarthRelayActiveHigh), FakeChip.Level(PinMap.EarthRelayGpio));
        Assert.Equal(Inactive(PinMap.RcdTestActiveHigh), FakeChip.Level(PinMap.RcdTestGpio));
        Assert.Equal(Inactive(PinMap.LockDriveActiveHigh), FakeChip.Level(PinMap.LockDriveGpio));

        // The two relays are the first pins driven, before the pilot or anything else.
        Assert.Equal(new[] { PinMap.ContactorGpio, PinMap.EarthRelayGpio }, FakeChip.Writes.Take(2).Select(w => w.Gpio));

        // Pilot: PWM function on the pin, 1 kHz (IEC 61851-1 Annex A), running, duty 0 = always low = −12 V (state F).
        Assert.Equal(PinMap.PilotPwmGpio, FakeChip.PwmPin);
        Assert.True(FakeChip.PinFunctions.ContainsKey(PinMap.PilotPwmGpio));
        Assert.Equal(1000, FakeChip.PwmFrequencyHz);
        Assert.True(FakeChip.PwmStarted);
        Assert.Equal(0.0, FakeChip.Duty);
        Assert.All(FakeChip.DutyCycles, d => Assert.Equal(0.0, d));

        // Inputs opened with the pull the board needs.
        Assert.Equal("InputPullUp", FakeChip.PinModes[PinMap.ButtonGpio]);
        Assert.Equal("Input", FakeChip.PinModes[PinMap.RcdFaultGpio]);
        GC.KeepAlive(board);
    }

    [Theory]
    [InlineData(4095, 0, 0)]
    [InlineData(4095, 4095, 3300)]
    [InlineData(4095, 2048, 1650)] // 1650.4 mV
    [InlineData(4095, 2047, 1650)] // 1649.6 mV rounds up
    [InlineData(4095, 1241, 1000)] // 1000.07 mV
    [InlineData(4095, 1, 1)] // 0.81 mV
    [InlineData(8191, 4096, 1650)] // a 13-bit ADC: 1650.2 mV
    public void ReadPinMillivolts_ScalesCountsToTheNominal3300MillivoltFullScale_Rounded(int maxCounts, int counts, int expectedMillivolts)
    {
        FakeChip.AdcMaxValue = maxCounts;
        var board = new Esp32Board();
        FakeChip.AdcCounts[PinMap.LineNeutralAdcChannel] = counts;

        Assert.Equal(expectedMillivolts, board.ReadPinMillivolts(AnalogChannel.LineNeutral));
    }

    [Theory]
    [InlineData(AnalogChannel.LineNeutral, PinMap.LineNeutralAdcChannel)]
    [InlineData(AnalogChannel.LineTtRef, PinMap.LineTtRefAdcChannel)]
    [InlineData(AnalogChannel.CpcTtRef, PinMap.CpcTtRefAdcChannel)]
    [InlineData(AnalogChannel.CtClamp, PinMap.CtClampAdcChannel)]
    [InlineData(AnalogChannel.EvCurrent, PinMap.EvCurrentAdcChannel)]
    [InlineData(AnalogChannel.PilotFeedback, PinMap.PilotFeedbackAdcChannel)]
    public void ReadPinMillivolts_ReadsEachSignalFromItsOwnAdcChannel_WithTheSwitchAtRest(AnalogChannel channel, int adcChannel)
    {
        var board = new Esp32Board();
        FakeChip.AdcCounts[adcChannel] = 4095;
        FakeChip.AdcReads.Clear();
        int writesBefore = FakeChip.Writes.Count;

        Assert.Equal(3300, board.ReadPinMillivolts(channel));
        Assert.Equal(new[] { new FakeChip.AdcRead(adcChannel, !PinMap.AnalogMuxSelectActiveHigh) }, FakeChip.AdcReads);
        Assert.Equal(writesBefore, FakeChip.Writes.Count); // no switching for a plain channel
    }

    [Fact]
    public void ReadPinMillivolts_ProximityPilot_SelectsItOnTheSharedInputForTheOneConversionThenReturnsTheSwitchToThePilot()
    {
        var board = new Esp32Board();
        FakeChip.AdcCounts[PinMap.ProximityPilotAdcChannel] = 1241;
        FakeChip.AdcReads.Clear();
        FakeChip.Writes.Clear();

        int millivolts = board.ReadPinMillivolts(AnalogChannel.ProximityPilot);

        Assert.Equal(1000, millivolts);
        Assert.Equal(PinMap.PilotFeedbackAdcChannel, PinMap.ProximityPilotAdcChannel); // shared input
        bool selected = PinMap.ProximityPilotMuxPosition == 1 ? PinMap.AnalogMuxSelectActiveHigh : !PinMap.AnalogMuxSelectActiveHigh;
        Assert.Equal(new[] { new FakeChip.AdcRead(PinMap.ProximityPilotAdcChannel, selected) }, FakeChip.AdcReads);
        Assert.Equal(
            new[] { new FakeChip.PinWrite(PinMap.AnalogMuxSelectGpio, selected), new FakeChip.PinWrite(PinMap.AnalogMuxSelectGpio, !selected) },
            FakeChip.Writes);

        // The next pilot read sees the pilot again.
        FakeChip.AdcReads.Clear();
        board.ReadPinMillivolts(AnalogChannel.PilotFeedback);
        Assert.Equal(!selected, FakeChip.AdcReads.Single().MuxSelectHigh);
    }

    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(100, 0.1)]
    [InlineData(533, 0.533)] // 32 A: 32 / 0.6 = 53.3 % (IEC 61851-1 Table A.8)
    [InlineData(1000, 1.0)]
    [InlineData(-5, 0.0)]
    [InlineData(1200, 1.0)]
    public void SetDutyPermille_WritesTheHighFractionOfThePeriod_Clamped(int permille, double expectedDuty)
    {
        var board = new Esp32Board();
        board.SetDutyPermille(permille);
        Assert.Equal(expectedDuty, FakeChip.Duty, 9);
    }

    [Fact]
    public void HoldPositiveAndNegative_AreAlwaysHighAndAlwaysLow()
    {
        var board = new Esp32Board();
        board.HoldPositive();
        Assert.Equal(1.0, FakeChip.Duty);
        board.HoldNegative();
        Assert.Equal(0.0, FakeChip.Duty);
    }

    [Fact]
    public void Outputs_DriveEachPinAtItsActiveLevel()
    {
        var board = new Esp32Board();

        board.SetContactor(true);
        board.SetEarthRelay(true);
        board.SetTest(true);
        board.SetLockDrive(true);
        Assert.Equal(Active(PinMap.ContactorActiveHigh), FakeChip.Level(PinMap.ContactorGpio));
        Assert.Equal(Active(PinMap.EarthRelayActiveHigh), FakeChip.Level(PinMap.EarthRelayGpio));
        Assert.Equal(Active(PinMap.RcdTestActiveHigh), FakeChip.Level(PinMap.RcdTestGpio));
        Assert.Equal(Active(PinMap.LockDriveActiveHigh), FakeChip.Level(PinMap.LockDriveGpio));

        board.SetContactor(false);
        board.SetEarthRelay(false);
        board.SetTest(false);
        board.SetLockDrive(false);
        Assert.Equal(Inactive(PinMap.ContactorActiveHigh), FakeChip.Level(PinMap.ContactorGpio));
        Assert.Equal(Inactive(PinMap.EarthRelayActiveHigh), FakeChip.Level(PinMap.EarthRelayGpio));
        Assert.Equal(Inactive(PinMap.RcdTestActiveHigh), FakeChip.Level(PinMap.RcdTestGpio));
        Assert.Equal(Inactive(PinMap.LockDriveActiveHigh), FakeChip.Level(PinMap.LockDriveGpio));
    }

    [Fact]
    public void OpenAll_OpensTheContactorBeforeTheEarthRelay()
    {
        var board = new Esp32Board();
        board.SetContactor(true);
        board.SetEarthRelay(true);
        FakeChip.Writes.Clear();

        board.OpenAll();

        Assert.Equal(
            new[] { new FakeChip.PinWrite(PinMap.ContactorGpio, Inactive(PinMap.ContactorActiveHigh)), new FakeChip.PinWrite(PinMap.EarthRelayGpio, Inactive(PinMap.EarthRelayActiveHigh)) },
            FakeChip.Writes);
    }

    [Fact]
    public void Inputs_ReadActiveAtTheirActiveLevel_ActiveLowOnesIncluded()
    {
        var board = new Esp32Board();

        // hw/pinmap.json: weld sense, RDC-DD fault, PEST toggle, lock feedback and the button are active low.
        Assert.False(PinMap.WeldSenseActiveHigh || PinMap.RcdFaultActiveHigh || PinMap.PestToggleActiveHigh || PinMap.LockFeedbackActiveHigh || PinMap.ButtonActiveHigh);

        foreach (bool level in new[] { false, true })
        {
            FakeChip.InputLevels[PinMap.WeldSenseGpio] = level;
            FakeChip.InputLevels[PinMap.RcdFaultGpio] = level;
            FakeChip.InputLevels[PinMap.PestToggleGpio] = level;
            FakeChip.InputLevels[PinMap.LockFeedbackGpio] = level;
            FakeChip.InputLevels[PinMap.ButtonGpio] = level;
            bool active = !level;
            Assert.Equal(active, board.ReadLoadSideLive());
            Assert.Equal(active, board.ReadFault());
            Assert.Equal(active, board.ReadPestToggleModeB());
            Assert.Equal(active, board.ReadLocked());
            Assert.Equal(active, board.ReadButtonPressed());
        }
    }

    [Fact]
    public void Inputs_LeftOpen_RestAtTheirPullUps_ButtonNotPressedAndToggleInModeA()
    {
        var board = new Esp32Board();
        Assert.False(board.ReadButtonPressed());
        Assert.False(board.ReadPestToggleModeB());
        Assert.False(board.ReadLocked());
    }

    [Theory]
    [InlineData(IndicatorState.Starting, true, true, true)] // white
    [InlineData(IndicatorState.Idle, false, true, false)] // green
    [InlineData(IndicatorState.Connected, false, true, true)] // cyan
    [InlineData(IndicatorState.Charging, false, false, true)] // blue
    [InlineData(IndicatorState.Paused, true, true, false)] // yellow
    [InlineData(IndicatorState.Fault, true, false, false)] // red
    public void Show_LightsTheColourOfEachState(IndicatorState state, bool red, bool green, bool blue)
    {
        var board = new Esp32Board();
        board.Show(state == IndicatorState.Fault ? IndicatorState.Idle : IndicatorState.Fault); // away from the starting colour first
        board.Show(state);

        Assert.Equal(red == PinMap.LedRedActiveHigh, FakeChip.Level(PinMap.LedRedGpio));
        Assert.Equal(green == PinMap.LedGreenActiveHigh, FakeChip.Level(PinMap.LedGreenGpio));
        Assert.Equal(blue == PinMap.LedBlueActiveHigh, FakeChip.Level(PinMap.LedBlueGpio));
    }

    [Fact]
    public void Show_TheSameStateAgain_WritesNothing()
    {
        var board = new Esp32Board();
        board.Show(IndicatorState.Charging);
        int writes = FakeChip.Writes.Count;

        board.Show(IndicatorState.Charging);

        Assert.Equal(writes, FakeChip.Writes.Count);
    }

    [Fact]
    public void NowMicroseconds_IsTheHighResolutionTimer()
    {
        var board = new Esp32Board();
        FakeChip.NowMicroseconds = 123_456_789_012UL;
        Assert.Equal(123_456_789_012L, board.NowMicroseconds);
    }
}
