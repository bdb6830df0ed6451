using System.IO;
using IndraSmartPro.Events;
using IndraSmartPro.Firmware;
using IndraSmartPro.Persistence;
using IndraSmartPro.Pests;
using IndraSmartPro.Simulator;
using IndraSmartPro.Simulator.VirtualBoard;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>
/// Regression tests for the findings of the safety review of 2026-11-24, each on the whole firmware
/// on the virtual board: (1) a weld or RDC-DD latch disconnected the possibly live vehicle's earth;
/// (2) a store write that threw stopped the scheduler with the relays closed, or lost the latch;
/// (3) the contactor closed on a C read before PWM started while the vehicle was already in B.
/// </summary>
public class SafetyReviewRegressionTests
{
    private static SimulatorHost ChargingInModeB(IStore store = null)
    {
        var host = new SimulatorHost(new ChargerConfig(), store);
        host.Board.PestToggleModeB = true;
        host.Boot();
        host.Board.Ev.Load = EvPilotLoad.Requesting;
        host.RunFor(6_000_000);
        Assert.True(host.Board.ContactorClosed);
        Assert.True(host.Board.EarthRelayClosed);
        return host;
    }

    [Fact]
    public void Weld_LatchedAfterVehicleStops_VehicleStaysEarthedAlsoAfterUnplug()
    {
        var host = ChargingInModeB();
        host.Board.ContactorWelded = true;
        host.Board.Ev.Load = EvPilotLoad.Connected; // C -> B: the session opens the contactor, which stays welded
        host.RunFor(1_000_000);

        Assert.True(host.Firmware.Pests.Latched);
        Assert.Equal("relay-welded", host.Firmware.Pests.CauseCode);
        Assert.True(host.Board.EarthRelayClosed, "a welded contactor leaves the load side live: it must stay earthed");

        host.Board.Ev.Load = EvPilotLoad.Disconnected;
        host.RunFor(1_000_000);
        Assert.True(host.Board.EarthRelayClosed, "unplugging must not remove the earth from a live tethered cable");
    }

    [Fact]
    public void RdcDd_LatchedWhileCharging_ContactorOpensVehicleStaysEarthed()
    {
        var host = ChargingInModeB();
        host.Board.RcdFaultActive = true;
        host.RunFor(500_000);

        Assert.True(host.Firmware.Pests.Latched);
        Assert.Equal("rdc-dd", host.Firmware.Pests.CauseCode);
        Assert.False(host.Board.ContactorClosed);
        Assert.True(host.Board.EarthRelayClosed);
    }

    [Fact]
    public void PenFault_WhileCharging_StillOpensTheEarthRelay()
    {
        var host = ChargingInModeB();
        host.Board.Mains.LineRmsVolts = 262; // above 253 V: mode B trips (BS 7671 722.411.4.1 (iv))
        host.RunFor(3_000_000);

        Assert.True(host.Firmware.Pests.Latched);
        Assert.False(host.Board.ContactorClosed);
        Assert.False(host.Board.EarthRelayClosed, "a PEN-fault trip disconnects line, neutral and earth");
    }

    private sealed class FailingStore : IStore
    {
        private readonly MemoryStore _inner = new();

        public bool Fail { get; set; }

        public int FailedWrites { get; private set; }

        public bool TryRead(string key, byte[] buffer, out int length) => _inner.TryRead(key, buffer, out length);

        public bool HasRecord(string key) => _inner.HasRecord(key);

        public void Write(string key, byte[] data, int length)
        {
            if (Fail)
            {
                FailedWrites++;
                throw new IOException("flash write failed");
            }

            _inner.Write(key, data, length);
        }

        public void Delete(string key) => _inner.Delete(key);

        public void Append(string key, byte[] data, int length)
        {
            if (Fail)
            {
                FailedWrites++;
                throw new IOException("flash write failed");
            }

            _inner.Append(key, data, length);
        }

        public int ReadAt(string key, int position, byte[] buffer, int offset, int count) => _inner.ReadAt(key, position, buffer, offset, count);
    }

    [Fact]
    public void Store_WritesThrowWhileCharging_FirmwareKeepsRunningAndCharging()
    {
        var store = new FailingStore();
        var host = ChargingInModeB(store);
        store.Fail = true;

        host.RunFor(120_000_000); // > 100 Wh at 7.4 kW: the energy record falls due and its write throws

        Assert.True(store.FailedWrites > 0);
        Assert.True(host.Firmware.Energy.SaveFailures > 0);
        Assert.True(host.Board.ContactorClosed, "energy is not safety: charging goes on");
    }

    [Fact]
    public void Store_WriteThrowsOnTrip_RelaysOpenLatchHeldAndStoredOnceTheStoreRecovers()
    {
        var store = new FailingStore();
        var host = ChargingInModeB(store);
        store.Fail = true;
        host.Board.Mains.LineRmsVolts = 262;
        host.RunFor(3_000_000);

        Assert.True(host.Firmware.Pests.Latched);
        Assert.False(host.Board.ContactorClosed);
        Assert.True(host.Firmware.Pests.PersistFailures > 0);

        store.Fail = false;
        host.RunFor(100_000);

        // A reboot on the same store (a power cut) finds the trip still latched.
        var rebooted = new SimulatorHost(new ChargerConfig(), store);
        rebooted.Board.PestToggleModeB = true;
        rebooted.Boot();
        rebooted.RunFor(100_000);
        Assert.True(rebooted.Firmware.Pests.Latched);
    }

    [Fact]
    public void Store_ResetWhileStoreFails_RefusedAndStaysLatched()
    {
        var store = new FailingStore();
        var host = ChargingInModeB(store);
        host.Board.Mains.LineRmsVolts = 262;
        host.RunFor(3_000_000);
        host.Board.Mains.LineRmsVolts = 230;
        host.RunFor(12_000_000); // healthy for longer than the 10 s reset rule

        store.Fail = true;
        bool reset = host.Firmware.Pests.TryReset(host.NowMicroseconds, "test", out string refusal);

        Assert.False(reset);
        Assert.Equal(PestProtection.RefusalStoreFailed, refusal);
        Assert.True(host.Firmware.Pests.Latched);
    }

    private sealed class VehicleDropsToBWhenPwmStarts : IChargerEventListener
    {
        public SimulatorHost Host;
        public bool Armed;
        public int ContactorCloses;

        public void OnEvent(ChargerEvent e)
        {
            if (e.Kind == ChargerEventKind.Pwm && Armed && e.Value > 0 && e.Value < 1000)
            {
                Host.Board.Ev.Load = EvPilotLoad.Connected;
                Armed = false;
            }

            if (e.Kind == ChargerEventKind.Contactor && e.Flag)
            {
                ContactorCloses++;
            }
        }
    }

    [Fact]
    public void Session_VehicleInCDropsToBAsPwmStarts_ContactorNeverCloses()
    {
        var host = new SimulatorHost(new ChargerConfig());
        host.Board.PestToggleModeB = true;
        var vehicle = new VehicleDropsToBWhenPwmStarts { Host = host };
        host.Firmware.Events.Subscribe(vehicle);
        host.Boot();
        host.Firmware.Session.Pause();
        host.Board.Ev.WaitsForPwm = false; // shows C without waiting for the offer
        host.Board.Ev.Load = EvPilotLoad.Requesting;
        host.RunFor(6_000_000);

        vehicle.Armed = true;
        host.Firmware.Session.Resume();
        host.RunFor(1_000_000);

        Assert.Equal(0, vehicle.ContactorCloses);
    }
}
