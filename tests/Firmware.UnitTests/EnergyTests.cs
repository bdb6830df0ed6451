using IndraSmartPro.ControlPilot;
using IndraSmartPro.Events;
using IndraSmartPro.Metering;
using IndraSmartPro.Persistence;
using IndraSmartPro.Safety;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    /// <summary>Energy accounting in integers: no remainder lost, persisted at bounded intervals.</summary>
    [TestClass]
    public class EnergyTests
    {
        private static EnergyMeter Create(MemoryStore store)
        {
            var board = new PilotFakeBoard();
            var events = new EventBus();
            var relays = new RelaySupervisor(board, events, new PilotLink(board, board, events));
            return new EnergyMeter(store, relays);
        }

        [TestMethod]
        public void Energy_ManySmallIncrements_NoRemainderLost()
        {
            var energy = Create(new MemoryStore());
            energy.BeginSession();
            // 3.6·10^12 mW·µs = 1 Wh, added in 3.6 million steps of 1 W for 1 s... scaled: 999 mW for 1 ms,
            // repeated so the total is exactly 2 Wh + 999 mW·ms remainder-free check.
            long total = 0;
            for (int i = 0; i < 7207; i++)
            {
                energy.Add(999001, 1000);
                total += 999001L * 1000;
            }

            long expectedWh = total / EnergyMeter.MilliwattMicrosecondsPerWattHour;
            long expectedRemainder = total % EnergyMeter.MilliwattMicrosecondsPerWattHour;
            Assert.AreEqual(expectedWh, energy.LifetimeWattHours);
            Assert.AreEqual(expectedRemainder, energy.LifetimeRemainderMilliwattMicroseconds);
            Assert.AreEqual(expectedWh, energy.SessionWattHours);
            Assert.AreEqual(expectedRemainder, energy.SessionRemainderMilliwattMicroseconds);
        }

        [TestMethod]
        public void Energy_OneHourAt7360Watts_Is7360WattHours()
        {
            var energy = Create(new MemoryStore());
            for (int i = 0; i < 180000; i++)
            {
                energy.Add(7360000, 20000);
            }

            Assert.AreEqual(7360L, energy.LifetimeWattHours);
            Assert.AreEqual(0L, energy.LifetimeRemainderMilliwattMicroseconds);
        }

        [TestMethod]
        public void Energy_ContactorOpen_CountsNothing()
        {
            var energy = Create(new MemoryStore());
            var cycle = new MainsCycle();
            cycle.EvMilliamps = 16000;
            cycle.EvMilliwatts = 3680000;
            cycle.PeriodMicroseconds = 20000;
            for (int i = 0; i < 1000; i++)
            {
                energy.OnMainsCycle(cycle);
            }

            Assert.AreEqual(0L, energy.LifetimeWattHours);
            Assert.AreEqual(0L, energy.LifetimeRemainderMilliwattMicroseconds);
            Assert.AreEqual(16000, energy.EvMilliamps);
        }

        [TestMethod]
        public void Energy_PowerEverySecond_IsTheMeanOfTheCycles()
        {
            var energy = Create(new MemoryStore());
            for (int i = 0; i < 25; i++)
            {
                energy.Add(7000000, 20000);
            }

            for (int i = 0; i < 25; i++)
            {
                energy.Add(3000000, 20000);
            }

            energy.Run(1000000);
            Assert.AreEqual(5000000, energy.PowerMilliwatts);
        }

        [TestMethod]
        public void Energy_Steady_WritesEvery100WattHoursNotEverySecond()
        {
            var store = new MemoryStore();
            var energy = Create(store);
            energy.Run(0);
            int writes = store.WriteCount;
            // 7.2 kW for 60 s = 120 Wh: one write, not sixty.
            for (int second = 0; second < 60; second++)
            {
                for (int i = 0; i < 50; i++)
                {
                    energy.Add(7200000, 20000);
                }

                energy.Run((second + 1) * 1000000L);
            }

            Assert.AreEqual(writes + 1, store.WriteCount);
            Assert.AreEqual(100L, energy.SavedWattHours);
        }

        [TestMethod]
        public void Energy_PowerCut_LosesLessThanTheSaveInterval()
        {
            var store = new MemoryStore();
            var energy = Create(store);
            for (int second = 0; second < 100; second++)
            {
                for (int i = 0; i < 50; i++)
                {
                    energy.Add(7200000, 20000);
                }

                energy.Run((second + 1) * 1000000L);
            }

            long before = energy.LifetimeWattHours;
            var rebooted = Create(store);
            Assert.IsTrue(before - rebooted.LifetimeWattHours < EnergyMeter.SaveEveryWattHours);
            Assert.IsTrue(rebooted.LifetimeWattHours > 0);
        }

        [TestMethod]
        public void Energy_SessionEnd_PersistsCountersAndSessionNumber()
        {
            var store = new MemoryStore();
            var energy = Create(store);
            Assert.AreEqual(1, energy.BeginSession());
            energy.Add(3600000, 1000000);
            long wh = energy.EndSession();
            Assert.AreEqual(1L, wh);
            energy.Run(1000000);
            var rebooted = Create(store);
            Assert.AreEqual(1L, rebooted.LifetimeWattHours);
            Assert.AreEqual(2, rebooted.BeginSession(), "session numbers are never reused after a reboot");
        }

        [TestMethod]
        public void Energy_PowerCutDuringSession_ReportedAtNextBootWithItsSavedEnergy()
        {
            var store = new MemoryStore();
            var energy = Create(store);
            energy.Run(0);
            int session = energy.BeginSession();
            for (int second = 0; second < 120; second++)
            {
                for (int i = 0; i < 50; i++)
                {
                    energy.Add(7200000, 20000);
                }

                energy.Run((second + 1) * 1000000L);
            }

            // 240 Wh so far; written at 100 and 200 Wh. The power is cut here.
            var rebooted = Create(store);
            Assert.IsTrue(rebooted.InterruptedSession);
            Assert.AreEqual(session, rebooted.InterruptedSessionNumber);
            // Written at session start and every 100 Wh since: what was last written, less than 100 Wh short.
            Assert.AreEqual(rebooted.LifetimeWattHours, rebooted.InterruptedSessionWattHours);
            Assert.IsTrue(240 - rebooted.InterruptedSessionWattHours < EnergyMeter.SaveEveryWattHours);
            rebooted.ClearInterruptedSession();
            Assert.IsFalse(rebooted.InterruptedSession);
            Assert.AreEqual(session + 1, rebooted.BeginSession());
        }

        [TestMethod]
        public void Energy_SessionEndedBeforeTheCut_NothingInterrupted()
        {
            var store = new MemoryStore();
            var energy = Create(store);
            energy.BeginSession();
            energy.Add(7200000, 1000000);
            energy.EndSession();
            energy.Run(1000000);
            Assert.IsFalse(Create(store).InterruptedSession);
        }

        [TestMethod]
        public void Energy_RecordWithoutSessionFields_StillRestoresLifetime()
        {
            var store = new MemoryStore();
            byte[] old = new byte[24];
            old[0] = 0x39;
            old[1] = 0x05;
            old[16] = 7;
            store.Write(EnergyMeter.StoreKey, old, old.Length);
            var energy = Create(store);
            Assert.AreEqual(1337L, energy.LifetimeWattHours);
            Assert.AreEqual(7, energy.SessionCount);
            Assert.IsFalse(energy.InterruptedSession);
        }

        [TestMethod]
        public void Energy_DamagedRecord_StartsFromZero()
        {
            var store = new MemoryStore();
            byte[] junk = new byte[40];
            for (int i = 0; i < junk.Length; i++)
            {
                junk[i] = 0xFF;
            }

            store.Write(EnergyMeter.StoreKey, junk, junk.Length);
            var energy = Create(store);
            Assert.AreEqual(0L, energy.LifetimeWattHours);
            Assert.AreEqual(0, energy.SessionCount);
        }
    }
}
