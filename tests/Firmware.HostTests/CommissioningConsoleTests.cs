using System;
using System.Text;
using IndraSmartPro.Board;
using IndraSmartPro.Commissioning;
using IndraSmartPro.Firmware;
using IndraSmartPro.Persistence;
using IndraSmartPro.Simulator;
using IndraSmartPro.Simulator.Commissioning;
using IndraSmartPro.Simulator.VirtualBoard;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>The stored configuration, an uncommissioned unit, and the protocol over the console task.</summary>
public class CommissioningConsoleTests
{
    private const string Secret = "label-secret-7Hq2";

    private static ChargerConfig Site()
    {
        var c = new ChargerConfig();
        c.Serial = "SP123456";
        c.InstallerSecret = Secret;
        return c;
    }

    [Fact]
    public void Uncommissioned_unit_never_closes_a_relay_with_an_EV_asking_and_says_so()
    {
        var host = new SimulatorHost(ConfigStore.Load(new MemoryStore()));
        host.Boot();
        host.Board.Ev.Load = EvPilotLoad.Requesting;
        for (int i = 0; i < 30; i++)
        {
            host.RunFor(1_000_000);
            Assert.False(host.Board.ContactorClosed);
            Assert.False(host.Board.EarthRelayClosed);
        }

        Assert.Equal(IndicatorState.NotCommissioned, host.Board.Indicator);
        Assert.Equal(0, host.Board.PilotDutyPermille);
        Assert.Equal(NotCommissionedInterlock.Code, host.Firmware.Relays.BlockingCode);
    }

    [Theory]
    [InlineData("unitRatingMilliamps", 40000, "unitRatingMilliamps: 40000 is out of range; allowed 6000..32000 mA")]
    [InlineData("supplyRatingMilliamps", 20000, "supplyRatingMilliamps: 20000 is out of range; allowed 40000..100000 mA")]
    [InlineData("ctFallbackMilliamps", 3000, "ctFallbackMilliamps: 3000 is not allowed; allowed 0 (pause) or 6000..32000 mA")]
    [InlineData("cableRatingMilliamps", 32000, "cableRatingMilliamps: 32000 is above unitRatingMilliamps; allowed 6000..16000 mA")]
    public void Invalid_values_are_refused_naming_the_setting_and_range(string name, int value, string message)
    {
        var c = Site();
        if (name == "cableRatingMilliamps")
        {
            c.UnitRatingMilliamps = 16000;
        }

        ConfigSettings.SetNumber(c, ConfigSettings.IndexOf(name), value);
        var store = new MemoryStore();
        Assert.Equal(message, ConfigStore.Save(store, c));
        Assert.False(ConfigStore.Load(store).Commissioned);
    }

    [Fact]
    public void Electrode_with_mode_B_and_wifi_without_ssid_are_refused()
    {
        var c = Site();
        c.PestModeB = true;
        Assert.StartsWith("electrodeFitted:", ConfigSettings.Validate(c));
        c.ReferenceElectrodeFitted = false;
        Assert.Null(ConfigSettings.Validate(c));
        c.Network = NetworkKinds.Wifi;
        Assert.StartsWith("wifiSsid:", ConfigSettings.Validate(c));
    }

    [Fact]
    public void Round_trip_keeps_every_setting()
    {
        var c = Site();
        c.Variant = Variant.Type2Socket;
        c.UnitRatingMilliamps = 16000;
        c.CableRatingMilliamps = 16000;
        c.Dhcp = false;
        c.IpAddress = "192.168.1.50";
        c.SubnetMask = "255.255.255.0";
        c.Gateway = "192.168.1.1";
        c.MqttHost = "broker.example";
        c.MqttPassword = "0123456789abcdefXYZ";
        var store = new MemoryStore();
        Assert.Null(ConfigStore.Save(store, c));
        var back = ConfigStore.Load(store);
        for (int row = 0; row < ConfigSettings.All.Length; row++)
        {
            if (ConfigSettings.IsNumeric(row))
            {
                Assert.Equal(ConfigSettings.GetNumber(c, row), ConfigSettings.GetNumber(back, row));
            }
            else
            {
                Assert.Equal(ConfigSettings.GetText(c, row), ConfigSettings.GetText(back, row));
            }
        }
    }

    [Fact]
    public void Power_cut_at_any_byte_of_a_write_leaves_the_previous_configuration()
    {
        var first = Site();
        first.SupplyLimitMilliamps = 60000;
        var second = Site();
        second.SupplyLimitMilliamps = 80000;
        var reference = new MemoryStore();
        Assert.Null(ConfigStore.Save(reference, first));
        Assert.Null(ConfigStore.Save(reference, second));
        var buffer = new byte[ConfigStore.MaxRecordBytes];
        Assert.True(reference.TryRead(ConfigStore.SlotBKey, buffer, out int length));

        // Even a store that tore the record (any prefix, or a byte garbled mid-write) loses only the
        // new configuration: the slot holding the previous one is never written.
        for (int cut = 0; cut < length; cut++)
        {
            var store = new MemoryStore();
            Assert.Null(ConfigStore.Save(store, first));
            var torn = (byte[])buffer.Clone();
            torn[cut] ^= 0x5A;
            store.Write(ConfigStore.SlotBKey, torn, length);
            Assert.Equal(60000, ConfigStore.Load(store).SupplyLimitMilliamps);
            store.Write(ConfigStore.SlotBKey, buffer, cut);
            Assert.Equal(60000, ConfigStore.Load(store).SupplyLimitMilliamps);
        }

        // And the third write goes over the older slot, keeping the second.
        var third = Site();
        third.SupplyLimitMilliamps = 100000;
        Assert.Null(ConfigStore.Save(reference, third));
        reference.Write(ConfigStore.SlotAKey, buffer, 3);
        Assert.Equal(80000, ConfigStore.Load(reference).SupplyLimitMilliamps);
    }

    [Fact]
    public void Console_commissions_a_fresh_unit_and_a_reboot_applies_it()
    {
        var output = new StringBuilder();
        var unit = new ConsoleUnit(new MemoryStore(), (b, o, n) => output.Append(Encoding.UTF8.GetString(b, o, n)));
        string Ask(string json)
        {
            output.Clear();
            var line = Encoding.UTF8.GetBytes(json + "\n");
            unit.Receive(line, line.Length);
            unit.RunFor(100_000);
            return output.ToString();
        }

        Assert.Contains("\"state\":\"not-commissioned\"", Ask("{\"v\":1,\"id\":1,\"op\":\"identity\"}"));
        Assert.Contains("\"ok\":true", Ask("{\"v\":1,\"id\":2,\"op\":\"set-config\",\"settings\":{\"serial\":\"SP123456\",\"installerSecret\":\"" + Secret + "\"}}"));
        Assert.Contains("\"error\":\"secret-required\"", Ask("{\"v\":1,\"id\":3,\"op\":\"read-config\"}"));
        Assert.Contains("\"error\":\"wrong-secret\"", Ask("{\"v\":1,\"id\":4,\"op\":\"read-config\",\"secret\":\"guess-guess-guess\"}"));
        Assert.Contains("\"message\":\"variant: \\\"type3\\\" is not allowed; allowed one of type1-tethered, type2-tethered, type2-socket\"",
            Ask("{\"v\":1,\"id\":5,\"op\":\"set-config\",\"secret\":\"" + Secret + "\",\"settings\":{\"variant\":\"type3\"}}"));
        Assert.Contains("\"ok\":true", Ask("{\"v\":1,\"id\":6,\"op\":\"set-config\",\"secret\":\"" + Secret + "\",\"settings\":{\"electrodeFitted\":true,\"commissioned\":true}}"));
        Assert.Contains("\"ok\":true", Ask("{\"v\":1,\"id\":7,\"op\":\"reboot\",\"secret\":\"" + Secret + "\"}"));
        Assert.Equal(1, unit.Boots);
        unit.RunFor(CommissioningService.RebootDelayMicroseconds);
        Assert.Equal(2, unit.Boots);
        Assert.True(unit.Host.Config.Commissioned);
        unit.RunFor(6_000_000);
        string check = Ask("{\"v\":1,\"id\":8,\"op\":\"check\",\"secret\":\"" + Secret + "\"}");
        Assert.Contains("\"passed\":true", check);
        Assert.Contains("\"passed\":true", Ask("{\"v\":1,\"id\":9,\"op\":\"read-report\",\"secret\":\"" + Secret + "\"}"));
    }

    [Fact]
    public void Wrong_secrets_lock_the_console_out_for_a_minute()
    {
        var output = new StringBuilder();
        var store = new MemoryStore();
        Assert.Null(ConfigStore.Save(store, Site()));
        var unit = new ConsoleUnit(store, (b, o, n) => output.Append(Encoding.UTF8.GetString(b, o, n)));
        for (int i = 0; i < CommissioningService.MaxSecretFailures + 1; i++)
        {
            var line = Encoding.UTF8.GetBytes("{\"v\":1,\"op\":\"read-config\",\"secret\":\"nope-nope-nope\"}\n");
            unit.Receive(line, line.Length);
            unit.RunFor(100_000);
        }

        Assert.Contains("\"error\":\"locked-out\"", output.ToString());
        output.Clear();
        unit.RunFor(60_000_000);
        var good = Encoding.UTF8.GetBytes("{\"v\":1,\"op\":\"read-config\",\"secret\":\"" + Secret + "\"}\n");
        unit.Receive(good, good.Length);
        unit.RunFor(100_000);
        Assert.Contains("\"ok\":true", output.ToString());
    }
}
