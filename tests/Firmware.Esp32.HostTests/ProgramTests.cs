using System;
using System.IO;
using IndraSmartPro.Board.Esp32;
using IndraSmartPro.Esp32.HostTests.DeviceApi;
using IndraSmartPro.Firmware;
using IndraSmartPro.Pests;
using IndraSmartPro.Scheduling;
using Xunit;

namespace IndraSmartPro.Esp32.HostTests;

/// <summary>
/// The device's composition root (src/Firmware.Esp32/Program.cs) over the device-API stand-ins and
/// the real flash store on a temporary folder: what runs between power-on and the guarded loop, so
/// an exception there (a unit that would not boot) fails here.
/// </summary>
public sealed class ProgramTests : IDisposable
{
    private readonly string _storeDirectory = Path.Combine(Path.GetTempPath(), "indra-esp32-" + Guid.NewGuid().ToString("N"));

    public ProgramTests()
    {
        FakeChip.Reset();
        FakeChip.MuxSelectGpio = PinMap.AnalogMuxSelectGpio;

        // A healthy, idle board: mains channels at their mid-rail bias, the pilot at +12 V (state A,
        // top of the feedback range), RDC-DD module healthy (drives its fault line high), no weld.
        foreach (int channel in new[] { PinMap.LineNeutralAdcChannel, PinMap.LineTtRefAdcChannel, PinMap.CpcTtRefAdcChannel, PinMap.CtClampAdcChannel, PinMap.EvCurrentAdcChannel })
        {
            FakeChip.AdcCounts[channel] = 2048;
        }

        FakeChip.AdcCounts[PinMap.PilotFeedbackAdcChannel] = 4095;
        FakeChip.InputLevels[PinMap.RcdFaultGpio] = !PinMap.RcdFaultActiveHigh;
        FakeChip.InputLevels[PinMap.WeldSenseGpio] = !PinMap.WeldSenseActiveHigh;
    }

    public void Dispose()
    {
        if (Directory.Exists(_storeDirectory))
        {
            Directory.Delete(_storeDirectory, true);
        }
    }

    [Fact]
    public void Start_OnAFreshUnit_BootsAndTheGuardedLoopRunsTwoSecondsWithoutARebootOrAClosedRelay()
    {
        var board = new Esp32Board();
        ChargerFirmware firmware = Program.Start(board, new FlashFileStore(_storeDirectory));

        RunFor(board, firmware.Scheduler, 2_000_000);

        Assert.Equal(0, FakeChip.Reboots);
        Assert.True(firmware.Scheduler.GetRuns(0) >= 1900, $"protection ran {firmware.Scheduler.GetRuns(0)} times in 2 s");
        Assert.Equal(!PinMap.ContactorActiveHigh, FakeChip.Level(PinMap.ContactorGpio));
        Assert.Null(firmware.Mqtt); // not commissioned for MQTT
    }

    [Fact]
    public void Start_OnAFreshUnit_IsNotCommissionedRefusesBothRelaysAndKeepsThePilotAtMinus12V()
    {
        var board = new Esp32Board();
        ChargerFirmware firmware = Program.Start(board, new FlashFileStore(_storeDirectory));
        RunFor(board, firmware.Scheduler, 1_000_000);

        Assert.False(firmware.Config.Commissioned);
        Assert.False(firmware.Relays.ContactorPermitted);
        Assert.False(firmware.Relays.EarthPermitted);
        Assert.Equal(!PinMap.ContactorActiveHigh, FakeChip.Level(PinMap.ContactorGpio));
        Assert.Equal(0.0, FakeChip.Duty);
    }

    [Fact]
    public void Start_WithAStoredConfiguration_BootsWithIt()
    {
        var store = new FlashFileStore(_storeDirectory);
        var config = new ChargerConfig { Serial = "SP424242", InstallerSecret = "label-secret-12", Variant = Variant.Type2Socket, UnitRatingMilliamps = 16000, CableRatingMilliamps = 16000, ReferenceElectrodeFitted = false };
        Assert.Null(IndraSmartPro.Commissioning.ConfigStore.Save(store, config));

        var board = new Esp32Board();
        ChargerFirmware firmware = Program.Start(board, new FlashFileStore(_storeDirectory));

        Assert.True(firmware.Config.Commissioned);
        Assert.Equal("SP424242", firmware.Config.Serial);
        Assert.Equal(Variant.Type2Socket, firmware.Config.Variant);
        Assert.Equal(16000, firmware.Config.UnitRatingMilliamps);
    }

    [Fact]
    public void Start_StartsSntp_AndTheWallClockTakesTheSystemTime()
    {
        int before = nanoFramework.Networking.Sntp.Starts;
        var board = new Esp32Board();
        ChargerFirmware firmware = Program.Start(board, new FlashFileStore(_storeDirectory));
        Assert.Equal(before + 1, nanoFramework.Networking.Sntp.Starts);

        // On the host the system time stands in for what SNTP set: it is after 2025, so the clock synchronises.
        RunFor(board, firmware.Scheduler, 2_000_000);
        Assert.True(firmware.WallClock.Synchronised);
        Assert.True(firmware.WallClock.TryGetUtcSeconds(board.NowMicroseconds, out long utc));
        Assert.InRange(utc, System.DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 5, System.DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
    }

    [Fact]
    public void Start_AfterARebootOverTheSameStore_BootsAgain()
    {
        // Everything the first boot and two seconds of running stored is read back by the second.
        var first = new Esp32Board();
        ChargerFirmware firmware = Program.Start(first, new FlashFileStore(_storeDirectory));
        RunFor(first, firmware.Scheduler, 2_000_000);

        FakeChip.PinModes.Clear();
        FakeChip.OpenAdcChannels.Clear();
        var second = new Esp32Board();
        ChargerFirmware again = Program.Start(second, new FlashFileStore(_storeDirectory));
        RunFor(second, again.Scheduler, 100_000);

        Assert.Equal(0, FakeChip.Reboots);
    }

    [Fact]
    public void Step_WhenATaskThrows_OpensBothRelaysHoldsThePilotNegativeAndReboots()
    {
        var board = new Esp32Board();
        ChargerFirmware firmware = Program.Start(board, new FlashFileStore(_storeDirectory));
        RunFor(board, firmware.Scheduler, 10_000);
        board.SetContactor(true);
        board.SetEarthRelay(true);
        board.SetDutyPermille(533);

        FakeChip.AdcFault = new IOException("ADC driver fault");
        FakeChip.NowMicroseconds += 1000;
        Program.Step(board, firmware.Scheduler);

        Assert.Equal(1, FakeChip.Reboots);
        Assert.Equal(!PinMap.ContactorActiveHigh, FakeChip.Level(PinMap.ContactorGpio));
        Assert.Equal(!PinMap.EarthRelayActiveHigh, FakeChip.Level(PinMap.EarthRelayGpio));
        Assert.Equal(0.0, FakeChip.Duty);
    }

    [Fact]
    public void PestLatch_BothCopiesUnreadableOnFlash_StaysTripped()
    {
        // The flash store reads a file failing its CRC as "no record": both latch copies damaged
        // must still fail safe as latched, never look like a unit that never latched.
        var store = new FlashFileStore(_storeDirectory);
        var record = new byte[LatchRecord.Length];
        LatchRecord.Encode(record, true, TripCauses.LineNeutralOutOfRange, TripCauses.Bit(TripCauses.LineNeutralOutOfRange), 1);
        store.Write(LatchRecord.Key, record, record.Length);
        store.Write(LatchRecord.SecondKey, record, record.Length);
        foreach (string key in new[] { LatchRecord.Key, LatchRecord.SecondKey })
        {
            string path = Path.Combine(_storeDirectory, key + ".rec");
            byte[] bytes = File.ReadAllBytes(path);
            bytes[bytes.Length - 1] ^= 0x40;
            File.WriteAllBytes(path, bytes);
            Assert.False(store.TryRead(key, new byte[64], out _));
            Assert.True(store.HasRecord(key));
        }

        var board = new Esp32Board();
        ChargerFirmware firmware = Program.Start(board, new FlashFileStore(_storeDirectory));

        Assert.True(firmware.Pests.Latched);
        Assert.Equal("latch-record-corrupt", firmware.Pests.CauseCode);
    }

    [Fact]
    public void Step_ReturnsWholeMillisecondsUntilTheNextDueTask()
    {
        var board = new Esp32Board();
        ChargerFirmware firmware = Program.Start(board, new FlashFileStore(_storeDirectory));

        int sleepMilliseconds = Program.Step(board, firmware.Scheduler);

        // The protection task is due every millisecond: never a sleep past it.
        Assert.InRange(sleepMilliseconds, 0, 1);
    }

    /// <summary>The device loop with the simulated clock: Thread.Sleep(n) becomes "advance n ms" (at least 100 µs).</summary>
    private static void RunFor(Esp32Board board, Scheduler scheduler, long microseconds)
    {
        ulong end = FakeChip.NowMicroseconds + (ulong)microseconds;
        while (FakeChip.NowMicroseconds < end)
        {
            int sleepMilliseconds = Program.Step(board, scheduler);
            FakeChip.NowMicroseconds += sleepMilliseconds > 0 ? (ulong)sleepMilliseconds * 1000 : 100;
        }
    }
}
