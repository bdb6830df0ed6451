using System;
using System.IO;
using IndraSmartPro.Board.Esp32;
using IndraSmartPro.ControlPilot;
using IndraSmartPro.Firmware;
using IndraSmartPro.Metering;
using IndraSmartPro.Persistence;
using IndraSmartPro.Pests;
using IndraSmartPro.Simulator;
using IndraSmartPro.Telemetry;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>
/// The device's flash store (src/Firmware.Esp32/FlashFileStore.cs) on a temporary folder:
/// round trips, and the state the flash is left in by a power cut at each step of a write,
/// which must read back as the old record whole or the new one whole (IStore's contract).
/// </summary>
public sealed class FlashFileStoreTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "indra-store-" + Guid.NewGuid().ToString("N"));
    private readonly byte[] _old = { 1, 2, 3, 4, 5 };
    private readonly byte[] _new = { 9, 8, 7, 6, 5, 4, 3 };

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }
    }

    [Fact]
    public void FlashFileStore_WriteThenRead_ReturnsTheRecord()
    {
        var store = new FlashFileStore(_dir);
        store.Write("trip", _old, _old.Length);

        Assert.Equal(_old, Read(store, "trip"));
        Assert.False(File.Exists(Path.Combine(_dir, "trip.tmp")));
    }

    [Fact]
    public void FlashFileStore_Overwrite_ReturnsTheNewRecordAndSurvivesANewInstance()
    {
        new FlashFileStore(_dir).Write("energy", _old, _old.Length);
        new FlashFileStore(_dir).Write("energy", _new, _new.Length);

        Assert.Equal(_new, Read(new FlashFileStore(_dir), "energy"));
    }

    [Fact]
    public void FlashFileStore_MissingKey_ReadsFalse()
    {
        var store = new FlashFileStore(_dir);
        Assert.False(store.TryRead("nothing", new byte[16], out int length));
        Assert.Equal(0, length);
    }

    [Fact]
    public void FlashFileStore_Delete_RemovesRecordAndTemp()
    {
        var store = new FlashFileStore(_dir);
        store.Write("cfg", _old, _old.Length);
        File.WriteAllBytes(Path.Combine(_dir, "cfg.tmp"), Record(_new));

        store.Delete("cfg");

        Assert.False(store.TryRead("cfg", new byte[16], out _));
    }

    [Fact]
    public void FlashFileStore_RecordLongerThanBuffer_ReadsFalse()
    {
        var store = new FlashFileStore(_dir);
        store.Write("big", _new, _new.Length);
        Assert.False(store.TryRead("big", new byte[_new.Length - 1], out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("a.rec")]
    [InlineData("..")]
    [InlineData("a_very_long_key_name_that_is_too_long")]
    [InlineData("metering.calibration")]
    [InlineData("Energy")]
    public void FlashFileStore_BadKey_Throws(string key)
    {
        var store = new FlashFileStore(_dir);
        Assert.Throws<ArgumentException>(() => store.Write(key, _old, _old.Length));
        Assert.Throws<ArgumentException>(() => store.TryRead(key, new byte[8], out _));
        Assert.Throws<ArgumentException>(() => store.Append(key, _old, _old.Length));
        Assert.Throws<ArgumentException>(() => new MemoryStore().Write(key, _old, _old.Length));
    }

    [Fact]
    public void FlashFileStore_EveryKeyAndRecordTheFirmwareWrites_RoundTrips()
    {
        var store = new FlashFileStore(_dir);
        var latch = new byte[LatchRecord.Length];
        LatchRecord.Encode(latch, true, TripCauses.RdcDd, TripCauses.Bit(TripCauses.RdcDd), 3);
        var calibration = new byte[CalibrationRecord.Length];
        var channels = new ChannelCalibration[MainsMeter.MeteredChannelCount];
        for (int i = 0; i < channels.Length; i++)
        {
            channels[i] = new ChannelCalibration();
        }

        CalibrationRecord.Format(channels, calibration);
        var energy = new byte[EnergyRecord.Length];
        EnergyRecord.Encode(energy, 12345, 678, 9, 10, true);
        byte[] settings = System.Text.Encoding.UTF8.GetBytes("{\"host\":\"broker.example\"}");
        var ca = new byte[MqttCommissioning.MaxCaCertificateBytes];
        Array.Fill(ca, (byte)'A');

        (string Key, byte[] Record)[] records =
        {
            (LatchRecord.Key, latch), (LatchRecord.SecondKey, latch), (CalibrationRecord.StoreKey, calibration),
            (EnergyMeter.StoreKey, energy), (MqttCommissioning.SettingsKey, settings), (MqttCommissioning.CaCertificateKey, ca),
        };
        foreach (var (key, record) in records)
        {
            store.Write(key, record, record.Length);
        }

        var rebooted = new FlashFileStore(_dir);
        foreach (var (key, record) in records)
        {
            var buffer = new byte[record.Length];
            Assert.True(rebooted.TryRead(key, buffer, out int length), key);
            Assert.Equal(record, buffer[..length]);
        }
    }

    [Fact]
    public void Firmware_BuiltOverTheFlashStore_BootsAndKeepsItsLatchAcrossAReboot()
    {
        // Regression: the calibration key "metering.calibration" made this store throw while the
        // firmware was built, outside the device's guarded loop, so a flashed unit never booted.
        var config = new ChargerConfig();
        var host = new SimulatorHost(config, new FlashFileStore(_dir));
        host.Boot();
        host.Firmware.Meter.SaveCalibration(host.Store);
        host.RunFor(3_000_000);
        host.Board.Mains.LineRmsVolts = 262.0;
        host.RunFor(3_000_000);
        Assert.True(host.Firmware.Pests.Latched);
        string cause = host.Firmware.Pests.CauseCode;

        var rebooted = new SimulatorHost(new ChargerConfig(), new FlashFileStore(_dir));
        rebooted.Boot();
        Assert.True(rebooted.Firmware.Pests.Latched);
        Assert.Equal(cause, rebooted.Firmware.Pests.CauseCode);
        Assert.Equal(CalibrationRecordStatus.Loaded, rebooted.Firmware.Meter.LoadCalibration(rebooted.Store));
        Assert.False(File.Exists(Path.Combine(_dir, "pest-latch.tmp")));
    }

    [Fact]
    public void FlashFileStore_Segment_AppendsReadsAtAnyPositionAndDeletes()
    {
        var store = new FlashFileStore(_dir);
        store.Append("seg", _old, _old.Length);
        store.Append("seg", _new, 3);
        var buffer = new byte[16];
        Assert.Equal(8, store.ReadAt("seg", 0, buffer, 0, 16));
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 9, 8, 7 }, buffer[..8]);
        Assert.Equal(2, store.ReadAt("seg", 6, buffer, 1, 15));
        Assert.Equal(new byte[] { 8, 7 }, buffer[1..3]);
        Assert.Equal(0, store.ReadAt("seg", 8, buffer, 0, 16));
        Assert.Equal(0, store.ReadAt("none", 0, buffer, 0, 16));
        Assert.False(store.TryRead("seg", buffer, out _), "a segment is not a record");

        store.Delete("seg");
        Assert.Equal(0, store.ReadAt("seg", 0, buffer, 0, 16));
    }

    [Fact]
    public void FlashFileStore_HeaderClaimingMoreThanTheFile_ReadsFalse()
    {
        Reset();
        byte[] record = Record(_old);
        record[0] = 0xFF;
        File.WriteAllBytes(Path.Combine(_dir, "k.rec"), record);
        File.WriteAllBytes(Path.Combine(_dir, "j.rec"), new byte[] { 1, 2, 3 });

        Assert.False(new FlashFileStore(_dir).TryRead("k", new byte[300], out _));
        Assert.False(new FlashFileStore(_dir).TryRead("j", new byte[300], out _));
    }

    // Power cut at each step of Write (see the class comment of FlashFileStore):

    [Fact]
    public void FlashFileStore_CutWhileWritingTemp_ReadsOldRecord()
    {
        for (int torn = 0; torn < Record(_new).Length; torn++)
        {
            Reset();
            File.WriteAllBytes(Path.Combine(_dir, "k.rec"), Record(_old));
            File.WriteAllBytes(Path.Combine(_dir, "k.tmp"), Record(_new)[..torn]);

            Assert.Equal(_old, Read(new FlashFileStore(_dir), "k"));
        }
    }

    [Fact]
    public void FlashFileStore_CutAfterTempBeforeDelete_ReadsOldRecordWhole()
    {
        Reset();
        File.WriteAllBytes(Path.Combine(_dir, "k.rec"), Record(_old));
        File.WriteAllBytes(Path.Combine(_dir, "k.tmp"), Record(_new));

        Assert.Equal(_old, Read(new FlashFileStore(_dir), "k"));
    }

    [Fact]
    public void FlashFileStore_CutAfterDeleteBeforeRename_ReadsNewRecord()
    {
        Reset();
        File.WriteAllBytes(Path.Combine(_dir, "k.tmp"), Record(_new));

        Assert.Equal(_new, Read(new FlashFileStore(_dir), "k"));
    }

    [Fact]
    public void FlashFileStore_CutDuringCopyFallbackOfRename_ReadsNewRecord()
    {
        for (int torn = 0; torn < Record(_new).Length; torn++)
        {
            Reset();
            File.WriteAllBytes(Path.Combine(_dir, "k.rec"), Record(_new)[..torn]);
            File.WriteAllBytes(Path.Combine(_dir, "k.tmp"), Record(_new));

            Assert.Equal(_new, Read(new FlashFileStore(_dir), "k"));
        }
    }

    [Fact]
    public void FlashFileStore_CorruptedRecordAndNoTemp_ReadsFalse()
    {
        Reset();
        byte[] record = Record(_old);
        record[^1] ^= 0xFF;
        File.WriteAllBytes(Path.Combine(_dir, "k.rec"), record);

        Assert.False(new FlashFileStore(_dir).TryRead("k", new byte[16], out _));
    }

    [Fact]
    public void FlashFileStore_WriteAfterACutLeftAStaleTemp_Succeeds()
    {
        Reset();
        File.WriteAllBytes(Path.Combine(_dir, "k.rec"), Record(_old));
        File.WriteAllBytes(Path.Combine(_dir, "k.tmp"), new byte[] { 0xAA, 0xBB, 0xCC });
        var store = new FlashFileStore(_dir);

        store.Write("k", _new, _new.Length);

        Assert.Equal(_new, Read(store, "k"));
        Assert.False(File.Exists(Path.Combine(_dir, "k.tmp")));
    }

    [Fact]
    public void Crc32_StandardCheckValue_Matches()
    {
        // The CRC-32/IEEE check value: CRC of ASCII "123456789" is 0xCBF43926.
        byte[] data = System.Text.Encoding.ASCII.GetBytes("123456789");
        Assert.Equal(0xCBF43926u, IndraSmartPro.Persistence.Crc.Crc32(data, 0, data.Length));
    }

    private void Reset()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, true);
        }

        Directory.CreateDirectory(_dir);
    }

    /// <summary>The bytes FlashFileStore writes for a payload: length and CRC-32, little-endian, then the payload.</summary>
    private static byte[] Record(byte[] payload)
    {
        uint crc = IndraSmartPro.Persistence.Crc.Crc32(payload, 0, payload.Length);
        var record = new byte[8 + payload.Length];
        BitConverter.TryWriteBytes(record.AsSpan(0, 4), payload.Length);
        BitConverter.TryWriteBytes(record.AsSpan(4, 4), crc);
        payload.CopyTo(record, 8);
        return record;
    }

    private static byte[] Read(FlashFileStore store, string key)
    {
        var buffer = new byte[64];
        Assert.True(store.TryRead(key, buffer, out int length), "no record for " + key);
        return buffer[..length];
    }
}
