using IndraSmartPro.Board;
using IndraSmartPro.ControlPilot;
using IndraSmartPro.Events;
using IndraSmartPro.Features.SmartCharging;
using IndraSmartPro.Persistence;
using IndraSmartPro.Time;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    /// <summary>Random bits from xorshift32, or a fixed value when <see cref="Fixed"/> is set.</summary>
    internal sealed class FakeRandom : IHardwareRandom
    {
        public uint State = 2463534242;
        public bool UseFixed;
        public uint Fixed;

        public uint NextRandom32()
        {
            if (UseFixed)
            {
                return Fixed;
            }

            State ^= State << 13;
            State ^= State >> 17;
            State ^= State << 5;
            return State;
        }
    }

    /// <summary>Counts short presses as the front button would report them.</summary>
    internal sealed class FakeButton : IButtonGestures
    {
        public int Presses;

        public int ShortPressCount => Presses;
    }

    /// <summary>The pilot harness plus the wall clock and smart charging, run every 250 ms.</summary>
    internal sealed class SmartHarness
    {
        public readonly PilotHarness Pilot;
        public readonly FakeUtcSource Utc = new FakeUtcSource();
        public readonly FakeRandom Random = new FakeRandom();
        public readonly FakeButton Button = new FakeButton();
        public readonly WallClock Clock;
        public readonly SmartCharging Smart;

        public SmartHarness()
            : this(new MemoryStore())
        {
        }

        public SmartHarness(MemoryStore store)
        {
            Pilot = new PilotHarness(false, 32000, store);
            Utc.Clock = Pilot.Board;
            Clock = new WallClock(Utc, store);
            Smart = new SmartCharging(Pilot.Arbiter, Pilot.Session, Pilot.Energy, Clock, Random, Pilot.Events, store, Button, 32000);
        }

        public long Now => Pilot.Now;

        public CurrentArbiter Arbiter => Pilot.Arbiter;

        public void Run(long microseconds)
        {
            long end = Pilot.Now + microseconds;
            while (Pilot.Now < end)
            {
                long step = end - Pilot.Now < SmartCharging.TaskPeriodMicroseconds ? end - Pilot.Now : SmartCharging.TaskPeriodMicroseconds;
                Pilot.Run(step);
                Smart.Run(Pilot.Now);
            }
        }

        /// <summary>Past the boot restoration decision with nothing plugged in, then a vehicle charging.</summary>
        public void BootAndCharge()
        {
            Run(SmartCharging.RestorationSettleMicroseconds + 500000);
            Pilot.StartCharging();
            Run(1000000);
        }

        /// <summary>Past the boot decision, then a vehicle plugged in asking to charge (whether or not it is offered current).</summary>
        public void BootAndRequest()
        {
            Run(SmartCharging.RestorationSettleMicroseconds + 500000);
            Pilot.Board.Vehicle = PilotState.B;
            Run(500000);
            Pilot.Board.Vehicle = PilotState.C;
            Run(1000000);
        }

        public int CountNotices(string code, string text)
        {
            int n = 0;
            PilotEventLog log = Pilot.Log;
            for (int i = 0; i < log.Count; i++)
            {
                if (log.Kinds[i] == ChargerEventKind.Notice && log.Codes[i] == code && (text == null || log.Texts[i] == text))
                {
                    n++;
                }
            }

            return n;
        }
    }

    /// <summary>
    /// Smart charging against the Smart Charge Points Regulations 2021: the randomised delay
    /// (reg. 11: uniform 0..max whole seconds, default 600 s, settable to 1800 s; applied when
    /// charging would start or change rate for a scheduled, platform or power-restoration reason;
    /// never for safety, curtailment or Boost; the owner can cancel it), Boost and its expiry,
    /// and what survives a power cut.
    /// </summary>
    [TestClass]
    public class SmartChargingTests
    {
        [TestMethod]
        public void RandomisedDelay_Draw_IsUniformOverZeroToMaxInclusive()
        {
            var random = new FakeRandom();
            const int max = 9;
            const int draws = 20000;
            var counts = new int[max + 1];
            for (int i = 0; i < draws; i++)
            {
                int d = RandomisedDelay.Draw(random, max);
                Assert.IsTrue(d >= 0 && d <= max, "draw out of range");
                counts[d]++;
            }

            // Chi-square with 9 degrees of freedom: 27.9 is the 0.1 % critical value.
            double expected = draws / (double)(max + 1);
            double chi = 0;
            for (int v = 0; v <= max; v++)
            {
                Assert.IsTrue(counts[v] > 0, "value never drawn");
                chi += (counts[v] - expected) * (counts[v] - expected) / expected;
            }

            Assert.IsTrue(chi < 27.9, "not uniform");
        }

        [TestMethod]
        public void RandomisedDelay_Draw_RejectsTheBiasedTopRange()
        {
            // uint.MaxValue lies in the partial range above the last whole multiple of 601: rejected, not folded to a small value.
            var random = new FakeRandom { UseFixed = true, Fixed = 1200 };
            Assert.AreEqual(1200 % 601, RandomisedDelay.Draw(random, 600));
            Assert.AreEqual(0, RandomisedDelay.Draw(random, 0));
        }

        [TestMethod]
        [DataRow(0, true)]
        [DataRow(600, true)]
        [DataRow(1800, true)]
        [DataRow(1801, false)]
        [DataRow(-1, false)]
        public void RandomisedDelay_Max_SettableUpTo1800Seconds(int seconds, bool accepted)
        {
            var delay = new RandomisedDelay(new FakeRandom());
            Assert.AreEqual(RandomisedDelay.DefaultMaxSeconds, delay.MaxSeconds);
            Assert.AreEqual(accepted, delay.SetMaxSeconds(seconds));
        }

        [TestMethod]
        public void PlatformLimit_WhileCharging_WaitsTheRandomisedDelay_ThenApplies()
        {
            var h = new SmartHarness();
            h.BootAndCharge();
            Assert.AreEqual(32000, h.Arbiter.LimitMilliamps);

            string refusal;
            Assert.IsTrue(h.Smart.SetPlatformLimit(h.Now, 10000, out refusal));
            h.Run(500000);
            Assert.IsTrue(h.Smart.Delay.Running, "a platform change while charging is delayed");
            int drawn = h.Smart.Delay.DrawnSeconds;
            Assert.IsTrue(drawn >= 0 && drawn <= 600);
            Assert.AreEqual(32000, h.Arbiter.LimitMilliamps);
            Assert.AreEqual(1, h.CountNotices(SmartCharging.NoticeRandomDelay, "started"));

            h.Run((drawn * 1000000L) + 500000);
            Assert.IsFalse(h.Smart.Delay.Running);
            Assert.AreEqual(10000, h.Arbiter.LimitMilliamps);
            Assert.AreEqual(SmartCharging.ReasonPlatform, h.Arbiter.LimitReason);
        }

        [TestMethod]
        public void PlatformLimit_NoVehicle_AppliesAtOnce()
        {
            var h = new SmartHarness();
            h.Run(SmartCharging.RestorationSettleMicroseconds + 500000);
            string refusal;
            h.Smart.SetPlatformLimit(h.Now, 10000, out refusal);
            h.Run(250000);
            Assert.IsFalse(h.Smart.Delay.Running);
            Assert.AreEqual(10000, h.Arbiter.LimitMilliamps);
        }

        [TestMethod]
        public void Curtailment_IsNeverDelayed()
        {
            var h = new SmartHarness();
            h.BootAndCharge();
            h.Arbiter.SetClaim(ClaimSlot.Curtailment, 8000, "curtailment");
            h.Run(250000);
            Assert.IsFalse(h.Smart.Delay.Running);
            Assert.AreEqual(8000, h.Arbiter.LimitMilliamps);
        }

        [TestMethod]
        public void CancelRandomDelay_AppliesTheChangeAtOnce_AndIsRefusedWhenNoneRuns()
        {
            var h = new SmartHarness();
            h.Random.UseFixed = true;
            h.Random.Fixed = 300;
            h.BootAndCharge();
            string refusal;
            Assert.IsFalse(h.Smart.CancelRandomDelay(h.Now, out refusal));
            Assert.AreEqual(SmartCharging.RefusedNotRunning, refusal);

            h.Smart.SetPlatformLimit(h.Now, 12000, out refusal);
            h.Run(250000);
            Assert.IsTrue(h.Smart.Delay.Running);
            Assert.AreEqual(300, h.Smart.RandomDelayRemainingSeconds(h.Now));
            Assert.IsTrue(h.Smart.CancelRandomDelay(h.Now, out refusal));
            Assert.AreEqual(12000, h.Arbiter.LimitMilliamps);
            Assert.AreEqual(0, h.Smart.RandomDelayRemainingSeconds(h.Now));
        }

        [TestMethod]
        public void ScheduleWindowOpening_WhileVehicleWaits_StartsAfterTheDelay()
        {
            var h = new SmartHarness();
            h.Random.UseFixed = true;
            h.Random.Fixed = 120;

            // 2026-06-01 (Monday) 23:59:00 BST; a window from 00:00 local every day at 16 A.
            h.Utc.Set((UkLocalTime.DaysFromCivil(2026, 6, 1) * 86400) + (22 * 3600) + (59 * 60), 0);
            var schedule = new ChargingSchedule();
            schedule.Add(0, 6 * 60, ChargingWindow.EveryDay, 16000);
            string refusal;
            Assert.IsTrue(h.Smart.SetSchedule(0, false, schedule, out refusal));
            h.BootAndRequest();
            Assert.AreEqual(0, h.Pilot.Session.OfferedMilliamps, "outside the window nothing is offered");
            Assert.AreEqual(SmartCharging.ReasonSchedule, h.Arbiter.LimitReason);

            h.Run(60000000);
            Assert.IsTrue(h.Smart.Delay.Running, "the window opened: the start waits the delay");
            Assert.AreEqual(0, h.Arbiter.LimitMilliamps);
            h.Run(121000000);
            Assert.AreEqual(16000, h.Arbiter.LimitMilliamps);
            Assert.AreEqual(SmartCharging.ReasonSchedule, h.Arbiter.LimitReason);
        }

        [TestMethod]
        public void DefaultHours_Unsynchronised_NotApplied_Synchronised_Applied()
        {
            var h = new SmartHarness();
            h.Random.UseFixed = true;
            h.Random.Fixed = 0;
            h.BootAndCharge();
            Assert.AreEqual(32000, h.Arbiter.LimitMilliamps, "no time: the unit charges as a plain charger");

            // Monday 2026-06-01 09:00 BST: inside the factory default hours.
            h.Utc.Set((UkLocalTime.DaysFromCivil(2026, 6, 1) * 86400) + (8 * 3600), h.Now);
            h.Run(1500000);
            Assert.AreEqual(0, h.Arbiter.LimitMilliamps);
            Assert.AreEqual(SmartCharging.ReasonDefaultHours, h.Arbiter.LimitReason);

            // The owner removes the default hours.
            string refusal;
            Assert.IsTrue(h.Smart.SetDefaultHours(h.Now, new ChargingSchedule(), out refusal));
            h.Run(500000);
            Assert.AreEqual(32000, h.Arbiter.LimitMilliamps);
        }

        [TestMethod]
        public void Boost_DuringDefaultHours_ChargesAtOnce_AndEndsAfterItsDuration()
        {
            var h = new SmartHarness();
            h.Utc.Set((UkLocalTime.DaysFromCivil(2026, 6, 1) * 86400) + (8 * 3600), 0);
            h.BootAndRequest();
            Assert.AreEqual(0, h.Arbiter.LimitMilliamps);

            string refusal;
            Assert.IsTrue(h.Smart.StartBoost(h.Now, 60, 0, out refusal));
            Assert.AreEqual(32000, h.Arbiter.LimitMilliamps, "Boost is never delayed");
            Assert.IsTrue(h.Arbiter.IsClaimActive(ClaimSlot.Manual));
            Assert.IsFalse(h.Smart.Delay.Running);
            h.Run(30000000);
            Assert.AreEqual(30, h.Smart.Boost.RemainingSeconds(h.Now));

            h.Run(31000000);
            Assert.IsFalse(h.Smart.Boost.Active);
            Assert.AreEqual(1, h.CountNotices(SmartCharging.NoticeBoost, SmartCharging.BoostEndedDuration));
            Assert.AreEqual(0, h.Arbiter.LimitMilliamps, "back under the default hours");
        }

        [TestMethod]
        public void Boost_NeverExceedsCurtailment()
        {
            var h = new SmartHarness();
            h.BootAndCharge();
            h.Arbiter.SetClaim(ClaimSlot.Curtailment, 9000, "curtailment");
            string refusal;
            h.Smart.StartBoost(h.Now, 0, 0, out refusal);
            Assert.AreEqual(9000, h.Arbiter.LimitMilliamps);
        }

        [TestMethod]
        public void Boost_EndsOnUnplug_AndIsRefusedWithoutAVehicle()
        {
            var h = new SmartHarness();
            string refusal;
            h.Run(SmartCharging.RestorationSettleMicroseconds + 500000);
            Assert.IsFalse(h.Smart.StartBoost(h.Now, 0, 0, out refusal));
            Assert.AreEqual(SmartCharging.RefusedNoVehicle, refusal);

            h.Pilot.StartCharging();
            Assert.IsTrue(h.Smart.StartBoost(h.Now, 0, 0, out refusal));
            h.Pilot.Board.Vehicle = PilotState.A;
            h.Run(1000000);
            Assert.IsFalse(h.Smart.Boost.Active);
            Assert.AreEqual(1, h.CountNotices(SmartCharging.NoticeBoost, SmartCharging.BoostEndedUnplugged));
            Assert.IsFalse(h.Arbiter.IsClaimActive(ClaimSlot.Manual));
        }

        [TestMethod]
        public void Boost_EnergyAmount_EndsWhenDelivered()
        {
            var h = new SmartHarness();
            h.BootAndCharge();
            string refusal;
            Assert.IsTrue(h.Smart.StartBoost(h.Now, 0, 10, out refusal));

            // The harness's vehicle draws 16 A at 230 V = 3680 W: 10 Wh take about 9.8 s.
            h.Run(5000000);
            Assert.IsTrue(h.Smart.Boost.Active);
            h.Run(8000000);
            Assert.IsFalse(h.Smart.Boost.Active);
            Assert.AreEqual(1, h.CountNotices(SmartCharging.NoticeBoost, SmartCharging.BoostEndedEnergy));
        }

        [TestMethod]
        public void ShortPress_StartsBoost_SecondShortPressEndsIt()
        {
            var h = new SmartHarness();
            h.BootAndCharge();
            h.Button.Presses++;
            h.Run(250000);
            Assert.IsTrue(h.Smart.Boost.Active);
            h.Button.Presses++;
            h.Run(250000);
            Assert.IsFalse(h.Smart.Boost.Active);
            Assert.AreEqual(1, h.CountNotices(SmartCharging.NoticeBoost, SmartCharging.BoostEndedCancelled));
        }

        [TestMethod]
        public void PowerCut_SettingsRestored()
        {
            var store = new MemoryStore();
            var h = new SmartHarness(store);
            string refusal;
            var schedule = new ChargingSchedule();
            schedule.Add(60, 300, ChargingWindow.EveryDay, 20000);
            schedule.EnergyTargetWattHours = 7000;
            var avoid = new ChargingSchedule();
            avoid.Add(17 * 60, 19 * 60, ChargingWindow.Weekdays, 0);
            Assert.IsTrue(h.Smart.SetPlatformLimit(0, 16000, out refusal));
            Assert.IsTrue(h.Smart.SetSchedule(0, false, schedule, out refusal));
            Assert.IsTrue(h.Smart.SetDefaultHours(0, avoid, out refusal));
            Assert.IsTrue(h.Smart.SetRandomDelayMax(0, 1800, out refusal));
            Assert.IsTrue(h.Smart.SetPausedStored(0, true, out refusal));

            var after = new SmartHarness(store);
            SmartChargingRecord r = after.Smart.Settings;
            Assert.AreEqual(16000, r.PlatformMilliamps);
            Assert.IsTrue(r.Paused);
            Assert.IsTrue(r.DefaultSchedulePresent);
            Assert.IsTrue(r.DefaultSchedule.SameAs(schedule));
            Assert.IsTrue(r.DefaultHoursChosen);
            Assert.IsTrue(r.DefaultHours.SameAs(avoid));
            Assert.AreEqual(1800, after.Smart.Delay.MaxSeconds);
        }

        [TestMethod]
        public void PowerCut_DamagedRecord_FactorySettings()
        {
            var store = new MemoryStore();
            var h = new SmartHarness(store);
            string refusal;
            h.Smart.SetPlatformLimit(0, 16000, out refusal);
            var buffer = new byte[SmartChargingRecord.Length];
            int length;
            store.TryRead(SmartChargingRecord.StoreKey, buffer, out length);
            buffer[5] ^= 0x40;
            store.Write(SmartChargingRecord.StoreKey, buffer, length);

            var after = new SmartHarness(store);
            Assert.AreEqual(0, after.Smart.Settings.PlatformMilliamps);
            Assert.IsFalse(after.Smart.Settings.DefaultHoursChosen);
            Assert.AreEqual(2, after.Smart.Settings.DefaultHours.Count);
            Assert.AreEqual(RandomisedDelay.DefaultMaxSeconds, after.Smart.Delay.MaxSeconds);
        }

        [TestMethod]
        public void PowerCut_BootWithVehiclePlugged_WaitsTheRandomisedDelay()
        {
            var store = new MemoryStore();
            var before = new SmartHarness(store);
            before.BootAndCharge();

            var h = new SmartHarness(store);
            h.Random.UseFixed = true;
            h.Random.Fixed = 45;
            h.Pilot.Board.Vehicle = PilotState.C;
            h.Run(SmartCharging.RestorationSettleMicroseconds + 500000);
            Assert.IsTrue(h.Smart.Delay.Running, "power restoration with a vehicle plugged in");
            Assert.AreEqual(SmartCharging.ReasonRandomDelay, h.Arbiter.LimitReason);
            Assert.IsFalse(h.Pilot.Board.Contactor);

            h.Run(44000000);
            Assert.IsFalse(h.Pilot.Board.Contactor);
            h.Run(5000000);
            Assert.IsTrue(h.Pilot.Board.Contactor, "charging once the delay has passed");
        }

        [TestMethod]
        public void PowerCut_BootWithoutVehicle_NoDelay()
        {
            var store = new MemoryStore();
            var before = new SmartHarness(store);
            before.BootAndCharge();

            var h = new SmartHarness(store);
            h.Run(SmartCharging.RestorationSettleMicroseconds + 500000);
            Assert.IsFalse(h.Smart.Delay.Running);
            Assert.IsFalse(h.Smart.Restoring);
            Assert.AreEqual(32000, h.Arbiter.LimitMilliamps);
        }

        [TestMethod]
        public void Boot_VehiclePluggedInAfterBoot_IsNotAPowerRestoration()
        {
            var h = new SmartHarness();
            h.Pilot.Board.Vehicle = PilotState.C;
            h.Run(3000000);
            Assert.IsFalse(h.Smart.Delay.Running, "no session was open at the power cut");
            Assert.IsTrue(h.Pilot.Board.Contactor);
        }

        [TestMethod]
        public void PowerCut_RunningBoost_ResumesWithWhatRemained_WithoutDelay()
        {
            var store = new MemoryStore();
            var h = new SmartHarness(store);
            h.BootAndCharge();
            string refusal;
            Assert.IsTrue(h.Smart.StartBoost(h.Now, 3600, 0, out refusal));
            h.Run(61000000);

            var after = new SmartHarness(store);
            after.Pilot.Board.Vehicle = PilotState.C;
            after.Run(SmartCharging.RestorationSettleMicroseconds + 500000);
            Assert.IsTrue(after.Smart.Boost.Active);
            int left = after.Smart.Boost.RemainingSeconds(after.Now);
            Assert.IsTrue(left > 3400 && left <= 3540, "what remained at the last save");
            Assert.IsTrue(after.Arbiter.IsClaimActive(ClaimSlot.Manual));
            Assert.AreEqual(32000, after.Arbiter.LimitMilliamps);
        }

        [TestMethod]
        public void PowerCut_RunningBoost_VehicleGone_BoostEnds()
        {
            var store = new MemoryStore();
            var h = new SmartHarness(store);
            h.BootAndCharge();
            string refusal;
            h.Smart.StartBoost(h.Now, 0, 0, out refusal);

            var after = new SmartHarness(store);
            after.Run(SmartCharging.RestorationSettleMicroseconds + 500000);
            Assert.IsFalse(after.Smart.Boost.Active);
            Assert.IsFalse(after.Arbiter.IsClaimActive(ClaimSlot.Manual));
            Assert.IsFalse(after.Smart.Settings.BoostActive);
        }

        [TestMethod]
        public void SessionSchedule_WinsOverDefault_AndEndsWithTheSession()
        {
            var h = new SmartHarness();
            h.Random.UseFixed = true;
            h.Random.Fixed = 0;
            h.Utc.Set((UkLocalTime.DaysFromCivil(2026, 6, 6) * 86400) + (12 * 3600), 0);
            var def = new ChargingSchedule();
            def.Add(0, 0, ChargingWindow.EveryDay, 10000);
            var session = new ChargingSchedule();
            session.Add(0, 0, ChargingWindow.EveryDay, 20000);
            string refusal;
            h.Smart.SetSchedule(0, false, def, out refusal);
            Assert.IsFalse(h.Smart.SetSchedule(0, true, session, out refusal));
            Assert.AreEqual(SmartCharging.RefusedNoSession, refusal);

            h.BootAndCharge();
            Assert.IsTrue(h.Smart.SetSchedule(h.Now, true, session, out refusal));
            h.Run(500000);
            Assert.AreEqual(20000, h.Arbiter.LimitMilliamps);

            h.Pilot.Board.Vehicle = PilotState.A;
            h.Run(1000000);
            Assert.IsFalse(h.Smart.Settings.SessionSchedulePresent);
            Assert.AreEqual(10000, h.Arbiter.LimitMilliamps);
        }

        [TestMethod]
        public void EnergyTarget_Reached_StopsCharging()
        {
            var h = new SmartHarness();
            h.Random.UseFixed = true;
            h.Random.Fixed = 0;
            h.Utc.Set((UkLocalTime.DaysFromCivil(2026, 6, 6) * 86400) + (12 * 3600), 0);
            var schedule = new ChargingSchedule();
            schedule.Add(0, 0, ChargingWindow.EveryDay, 16000);
            schedule.EnergyTargetWattHours = 5;
            string refusal;
            h.Smart.SetSchedule(0, false, schedule, out refusal);
            h.BootAndCharge();
            h.Run(8000000);
            Assert.AreEqual(0, h.Arbiter.LimitMilliamps);
            Assert.AreEqual(SmartCharging.ReasonEnergyTarget, h.Arbiter.LimitReason);
        }

        [TestMethod]
        public void History_SessionRecord_HasUtcStartEndEnergyPeakAndReason()
        {
            var h = new SmartHarness();
            long start = (UkLocalTime.DaysFromCivil(2026, 6, 6) * 86400) + (12 * 3600);
            h.Utc.Set(start, 0);
            h.BootAndCharge();
            h.Run(20000000);
            h.Pilot.Board.Vehicle = PilotState.A;
            h.Run(1000000);

            ChargingHistory history = h.Smart.History;
            Assert.AreEqual(1, history.Sessions.Count);
            var cursor = new RecordRingCursor();
            history.Sessions.Seek(cursor, 1);
            int sequence;
            int session;
            uint begin;
            uint end;
            int wattHours;
            int peakWatts;
            var reason = new char[ChargingHistory.ReasonChars];
            int reasonLength;
            Assert.IsTrue(history.TryReadSession(cursor, out sequence, out session, out begin, out end, out wattHours, out peakWatts, reason, out reasonLength));
            Assert.AreEqual(1, session);
            Assert.IsTrue(begin >= start && begin < start + 5, "start within the first seconds");
            Assert.IsTrue(end >= begin + 20 && end < begin + 30);

            // The harness's vehicle draws 16 A at 230 V = 3680 W for about 21 s: about 21 Wh.
            Assert.IsTrue(wattHours >= 18 && wattHours <= 24);
            Assert.IsTrue(peakWatts >= 3600 && peakWatts <= 3700);
            Assert.AreEqual("ev-disconnec", new string(reason, 0, reasonLength));
        }

        [TestMethod]
        public void History_HalfHours_RecordedWhileSynchronised_FirstOnePartial()
        {
            var h = new SmartHarness();
            long start = (UkLocalTime.DaysFromCivil(2026, 6, 6) * 86400) + (12 * 3600) + 1700;
            h.Utc.Set(start, 0);
            h.BootAndCharge();
            h.Run(200000000);

            // 12:28:20 to 12:31:43 UTC: the half hour from 12:00 ended (partial), 12:30 runs.
            ChargingHistory history = h.Smart.History;
            Assert.AreEqual(1, history.Energy.Count);
            var cursor = new RecordRingCursor();
            history.Energy.Seek(cursor, 1);
            int sequence;
            uint halfHour;
            int wattHours;
            int flags;
            Assert.IsTrue(history.TryReadHalfHour(cursor, out sequence, out halfHour, out wattHours, out flags));
            Assert.AreEqual((uint)(start - 1700), halfHour);
            Assert.AreEqual(ChargingHistory.FlagPartial, flags);
            Assert.IsTrue(wattHours > 90 && wattHours < 110, "about 100 s at 3.68 kW");
        }

        [TestMethod]
        public void History_PowerCut_InterruptedSessionKeepsItsStartTime()
        {
            var store = new MemoryStore();
            var h = new SmartHarness(store);
            long start = (UkLocalTime.DaysFromCivil(2026, 6, 6) * 86400) + (12 * 3600);
            h.Utc.Set(start, 0);
            h.BootAndCharge();
            h.Run(5000000);

            var after = new SmartHarness(store);
            after.Run(SmartCharging.RestorationSettleMicroseconds + 500000);
            ChargingHistory history = after.Smart.History;
            Assert.AreEqual(1, history.Sessions.Count);
            var cursor = new RecordRingCursor();
            history.Sessions.Seek(cursor, 1);
            int sequence;
            int session;
            uint begin;
            uint end;
            int wattHours;
            int peakWatts;
            var reason = new char[ChargingHistory.ReasonChars];
            int reasonLength;
            Assert.IsTrue(history.TryReadSession(cursor, out sequence, out session, out begin, out end, out wattHours, out peakWatts, reason, out reasonLength));
            Assert.IsTrue(begin >= start && begin < start + 5);
            Assert.AreEqual((uint)0, end, "no clock yet after the cut");
            Assert.AreEqual("power-cut", new string(reason, 0, reasonLength));
        }

        [TestMethod]
        public void ResetButton_ShortPress_CountedOnRelease_LongPressIsNot()
        {
            var button = new IndraSmartPro.Pests.ResetButton();
            long t = 0;

            // 300 ms press: debounced (50 ms), released before the 3 s long press: one short press.
            for (; t <= 300000; t += 10000)
            {
                button.Poll(t, true);
            }

            for (; t <= 500000; t += 10000)
            {
                button.Poll(t, false);
            }

            Assert.AreEqual(1, button.ShortPressCount);

            // A 4 s press fires the long press (the trip reset) and is not also a short press.
            bool fired = false;
            for (long end = t + 4000000; t <= end; t += 10000)
            {
                fired |= button.Poll(t, true);
            }

            for (long end = t + 200000; t <= end; t += 10000)
            {
                button.Poll(t, false);
            }

            Assert.IsTrue(fired);
            Assert.AreEqual(1, button.ShortPressCount);

            // A 20 ms bounce is not a press at all.
            button.Poll(t, true);
            button.Poll(t + 20000, false);
            for (long end = t + 200000; t <= end; t += 10000)
            {
                button.Poll(t, false);
            }

            Assert.AreEqual(1, button.ShortPressCount);
        }
    }
}
