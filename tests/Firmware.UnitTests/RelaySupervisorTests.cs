using IndraSmartPro.Board;
using IndraSmartPro.Events;
using IndraSmartPro.Safety;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    /// <summary>Invariants S2 and S3 (docs/invariants.md): who closes relays, in what order, and when they open.</summary>
    [TestClass]
    public class RelaySupervisorTests
    {
        private sealed class FakeRelays : IRelayDrive
        {
            public bool Contactor;
            public bool Earth;
            public int OpenAllCalls;
            public bool ContactorClosedWhileEarthOpen;

            public void SetContactor(bool closed)
            {
                if (closed && !Earth)
                {
                    ContactorClosedWhileEarthOpen = true;
                }

                Contactor = closed;
            }

            public void SetEarthRelay(bool closed)
            {
                Earth = closed;
            }

            public void OpenAll()
            {
                OpenAllCalls++;
                Contactor = false;
                Earth = false;
            }

            public bool ReadLoadSideLive()
            {
                return Contactor;
            }
        }

        private sealed class FakeInterlock : IPowerInterlock
        {
            public bool Earth = true;
            public bool Contactor = true;
            public string Code = "test-interlock";

            public bool PermitsEarth => Earth;

            public bool PermitsContactor => Contactor;

            public string BlockingCode => Earth && Contactor ? null : Code;
        }

        private sealed class FakePilotSafety : IPilotSafety
        {
            public long FaultAtMicroseconds = -1;

            public void EnterFaultState(long nowMicroseconds)
            {
                FaultAtMicroseconds = nowMicroseconds;
            }
        }

        private sealed class Recorder : IChargerEventListener
        {
            public int ContactorEvents;
            public bool LastContactorClosed;
            public string LastContactorReason;

            public void OnEvent(ChargerEvent e)
            {
                if (e.Kind == ChargerEventKind.Contactor)
                {
                    ContactorEvents++;
                    LastContactorClosed = e.Flag;
                    LastContactorReason = e.Code;
                }
            }
        }

        [TestMethod]
        public void RelaySupervisor_Constructed_OpensBothRelays()
        {
            var relays = new FakeRelays();
            relays.Contactor = true;
            relays.Earth = true;
            var supervisor = new RelaySupervisor(relays, new EventBus(), new FakePilotSafety());

            Assert.AreEqual(1, relays.OpenAllCalls);
            Assert.IsFalse(relays.Contactor);
            Assert.IsFalse(relays.Earth);
            Assert.IsFalse(supervisor.ContactorClosed);
        }

        [TestMethod]
        public void RelaySupervisor_ContactorBeforeEarth_Refused()
        {
            var relays = new FakeRelays();
            var supervisor = new RelaySupervisor(relays, new EventBus(), new FakePilotSafety());

            Assert.IsFalse(supervisor.TryCloseContactor(0));
            Assert.IsFalse(relays.Contactor);
            Assert.IsTrue(supervisor.TryCloseEarth(0));
            Assert.IsTrue(supervisor.TryCloseContactor(0));
            Assert.IsTrue(relays.Contactor);
            Assert.IsFalse(relays.ContactorClosedWhileEarthOpen);
        }

        [TestMethod]
        public void RelaySupervisor_InterlockRefusesEarth_NeitherRelayCloses()
        {
            var relays = new FakeRelays();
            var supervisor = new RelaySupervisor(relays, new EventBus(), new FakePilotSafety());
            var interlock = new FakeInterlock();
            interlock.Earth = false;
            supervisor.AddInterlock(interlock);

            Assert.IsFalse(supervisor.TryCloseEarth(0));
            Assert.IsFalse(supervisor.TryCloseContactor(0));
            Assert.IsFalse(relays.Earth);
            Assert.IsFalse(relays.Contactor);
            Assert.AreEqual("test-interlock", supervisor.BlockingCode);
        }

        [TestMethod]
        public void RelaySupervisor_InterlockRefusesContactorOnly_EarthClosesContactorDoesNot()
        {
            var relays = new FakeRelays();
            var supervisor = new RelaySupervisor(relays, new EventBus(), new FakePilotSafety());
            var interlock = new FakeInterlock();
            interlock.Contactor = false;
            supervisor.AddInterlock(interlock);

            Assert.IsTrue(supervisor.TryCloseEarth(0));
            Assert.IsFalse(supervisor.TryCloseContactor(0));
            Assert.IsFalse(relays.Contactor);
        }

        [TestMethod]
        public void RelaySupervisor_ContactorPermissionWithdrawn_EnforceOpensContactorKeepsEarth()
        {
            var relays = new FakeRelays();
            var recorder = new Recorder();
            var bus = new EventBus();
            bus.Subscribe(recorder);
            var supervisor = new RelaySupervisor(relays, bus, new FakePilotSafety());
            var interlock = new FakeInterlock();
            supervisor.AddInterlock(interlock);
            supervisor.TryCloseEarth(0);
            supervisor.TryCloseContactor(0);

            interlock.Contactor = false;
            supervisor.Enforce(1000);

            Assert.IsFalse(relays.Contactor);
            Assert.IsTrue(relays.Earth);
            Assert.AreEqual(1000L, supervisor.ContactorOpenedMicroseconds);
            Assert.IsFalse(recorder.LastContactorClosed);
            Assert.AreEqual("test-interlock", recorder.LastContactorReason);
        }

        [TestMethod]
        public void RelaySupervisor_EarthPermissionWithdrawn_EnforceOpensBoth()
        {
            var relays = new FakeRelays();
            var supervisor = new RelaySupervisor(relays, new EventBus(), new FakePilotSafety());
            var interlock = new FakeInterlock();
            supervisor.AddInterlock(interlock);
            supervisor.TryCloseEarth(0);
            supervisor.TryCloseContactor(0);

            interlock.Earth = false;
            supervisor.Enforce(2000);

            Assert.IsFalse(relays.Contactor);
            Assert.IsFalse(relays.Earth);
            Assert.IsFalse(supervisor.EarthClosed);
        }

        [TestMethod]
        public void RelaySupervisor_PermissionHeld_EnforceChangesNothing()
        {
            var relays = new FakeRelays();
            var recorder = new Recorder();
            var bus = new EventBus();
            bus.Subscribe(recorder);
            var supervisor = new RelaySupervisor(relays, bus, new FakePilotSafety());
            supervisor.AddInterlock(new FakeInterlock());
            supervisor.TryCloseEarth(0);
            supervisor.TryCloseContactor(0);
            int eventsBefore = recorder.ContactorEvents;

            supervisor.Enforce(1000);

            Assert.IsTrue(relays.Contactor);
            Assert.AreEqual(eventsBefore, recorder.ContactorEvents);
        }

        [TestMethod]
        public void RelaySupervisor_Trip_OpensBothAndEntersPilotFaultInSameCall()
        {
            var relays = new FakeRelays();
            var pilot = new FakePilotSafety();
            var supervisor = new RelaySupervisor(relays, new EventBus(), pilot);
            supervisor.TryCloseEarth(0);
            supervisor.TryCloseContactor(0);

            supervisor.TripPenFault(5000, "ln-out-of-range");

            Assert.IsFalse(relays.Contactor);
            Assert.IsFalse(relays.Earth);
            Assert.AreEqual(5000L, pilot.FaultAtMicroseconds);
        }

        [TestMethod]
        public void RelaySupervisor_WeldOrRdcDdTrip_OpensContactorOnlyAndEntersPilotFault()
        {
            // BS 7671 722.411.4.1: PE is disconnected only for a PEN fault; a weld or residual DC
            // current leaves a possibly live vehicle, which must stay earthed (invariant S4).
            var relays = new FakeRelays();
            var pilot = new FakePilotSafety();
            var supervisor = new RelaySupervisor(relays, new EventBus(), pilot);
            supervisor.TryCloseEarth(0);
            supervisor.TryCloseContactor(0);

            supervisor.TripRdcDd(1000, "rdc-dd");

            Assert.IsFalse(relays.Contactor);
            Assert.IsTrue(relays.Earth, "earth stays closed on an RDC-DD trip");
            Assert.AreEqual(1000L, pilot.FaultAtMicroseconds);

            supervisor.TryCloseContactor(2000);
            supervisor.TripWeld(3000, "relay-welded");

            Assert.IsFalse(relays.Contactor);
            Assert.IsTrue(relays.Earth, "earth stays closed on a weld trip");
            Assert.AreEqual(3000L, pilot.FaultAtMicroseconds);
        }

        [TestMethod]
        public void RelaySupervisor_MeteringStaleTrip_OpensBothAndEntersPilotFault()
        {
            var relays = new FakeRelays();
            var pilot = new FakePilotSafety();
            var supervisor = new RelaySupervisor(relays, new EventBus(), pilot);
            supervisor.TryCloseEarth(0);
            supervisor.TryCloseContactor(0);

            supervisor.TripMeteringStale(7000, "pest-metering-stale");

            Assert.IsFalse(relays.Contactor);
            Assert.IsFalse(relays.Earth);
            Assert.AreEqual(7000L, pilot.FaultAtMicroseconds);
        }
    }
}
