using IndraSmartPro.Events;
using IndraSmartPro.Persistence;
using IndraSmartPro.Pests;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    /// <summary>
    /// PEST protection composed, on a fake cycle stream and fake relays: the trip acts in the
    /// detecting call, latches, persists, survives a reboot, fails safe on a corrupt record, and
    /// resets only by an explicit action after 10 s back in range (docs/faults.md).
    /// </summary>
    [TestClass]
    public class PestProtectionTests
    {
        [TestMethod]
        public void PestProtection_AtBoot_RefusesPowerUntil4sOfHealthySupply()
        {
            var rig = new PestRig(PestMode.AWithElectrode);
            Assert.IsFalse(rig.Protection.PermitsEarth);
            Assert.AreEqual(PestProtection.BootCheckCode, rig.Protection.BlockingCode);
            rig.RunCycles(199);
            Assert.IsFalse(rig.Relays.TryCloseEarth(rig.NowMicroseconds));
            rig.RunCycles(1);
            Assert.IsTrue(rig.Protection.PermitsEarth);
            Assert.IsTrue(rig.Protection.PermitsContactor);
            Assert.IsTrue(rig.StartCharging());
        }

        [TestMethod]
        public void PestProtection_BootWithSupplyOutOfRange_NeverPermits()
        {
            var rig = new PestRig(PestMode.B);
            rig.SetSupply(255000, 0, 0);
            rig.RunCycles(40);
            Assert.IsFalse(rig.StartCharging());
            Assert.IsFalse(rig.Board.Earth);
            Assert.IsFalse(rig.Board.Contactor);
        }

        [TestMethod]
        public void PestProtection_SustainedFaultWhileCharging_OpensAllAndLatchesInTheDetectingCall()
        {
            var rig = new PestRig(PestMode.AWithElectrode);
            Assert.IsTrue(rig.StartCharging());
            rig.SetSupply(230000, 230000, 75000);
            rig.RunCycles(4);
            Assert.IsTrue(rig.Board.Contactor);
            Assert.IsTrue(rig.Board.Earth);

            // The fifth cycle trips: relays open and the pilot is in state F when OnMainsCycle returns.
            rig.Cycle.EndMicroseconds = rig.NowMicroseconds + 20000;
            rig.Cycle.PeriodMicroseconds = 20000;
            rig.Cycle.LineLocked = true;
            rig.Cycle.LineNeutralMillivolts = 230000;
            rig.Cycle.LineTtRefMillivolts = 230000;
            rig.Cycle.CpcTtRefMillivolts = 75000;
            rig.Protection.OnMainsCycle(rig.Cycle);
            Assert.IsFalse(rig.Board.Contactor);
            Assert.IsFalse(rig.Board.Earth);
            Assert.AreEqual(1, rig.Pilot.FaultStates);
            Assert.IsTrue(rig.Protection.Latched);
            Assert.AreEqual("cpc-tt-over-70v", rig.Protection.CauseCode);
            int trip = rig.Log.IndexOf(ChargerEventKind.Trip);
            Assert.IsTrue(trip >= 0);
            Assert.AreEqual("cpc-tt-over-70v", rig.Log.Codes[trip]);
            Assert.IsNotNull(rig.Log.Details[trip]);
        }

        [TestMethod]
        public void PestProtection_Trip_PersistedInTheDetectingCall()
        {
            var store = new MemoryStore();
            var rig = new PestRig(PestMode.B, store);
            rig.SetSupply(260000, 0, 0);
            rig.RunCycles(55);
            Assert.IsTrue(rig.Protection.Latched);
            Assert.AreEqual(2, store.WriteCount, "two copies, before the trip is published");
            rig.Protection.Run(rig.NowMicroseconds + 1000);
            Assert.AreEqual(2, store.WriteCount, "nothing left for the task to write");
            rig.RunCycles(100);
            Assert.AreEqual(2, store.WriteCount, "a latched steady state does not write again");
        }

        [TestMethod]
        public void PestProtection_LatchedTrip_SurvivesRebootAndBlocksPower()
        {
            var store = new MemoryStore();
            var rig = new PestRig(PestMode.B, store);
            rig.SetSupply(200000, 0, 0);
            rig.RunCycles(60);
            Assert.AreEqual("ln-out-of-range", rig.Protection.CauseCode);

            var rebooted = new PestRig(PestMode.B, store);
            Assert.IsTrue(rebooted.Protection.Latched);
            Assert.AreEqual("ln-out-of-range", rebooted.Protection.CauseCode);
            Assert.AreEqual(1, rebooted.Protection.TripCount);
            int fault = rebooted.Log.IndexOf(ChargerEventKind.Fault);
            Assert.AreEqual("ln-out-of-range", rebooted.Log.Codes[fault]);
            rebooted.RunCycles(600);
            Assert.IsFalse(rebooted.StartCharging());
        }

        [TestMethod]
        public void PestLatch_TripListenerThrows_LatchAlreadyStoredForTheReboot()
        {
            // A listener that throws escapes to the device loop, which reboots before the next
            // "pests" run would have stored the latch: it must be stored before the publish.
            var store = new MemoryStore();
            var rig = new PestRig(PestMode.B, store);
            rig.Events.Subscribe(new ThrowingListener());
            rig.RunCycles(200);
            Assert.ThrowsException(typeof(System.InvalidOperationException), () => rig.Protection.Latch(rig.NowMicroseconds, TripCauses.LineNeutralOutOfRange));
            Assert.IsFalse(rig.Board.Contactor);

            var rebooted = new PestRig(PestMode.B, store);
            Assert.IsTrue(rebooted.Protection.Latched);
            Assert.AreEqual("ln-out-of-range", rebooted.Protection.CauseCode);
        }

        private sealed class ThrowingListener : IChargerEventListener
        {
            public void OnEvent(ChargerEvent e)
            {
                if (e.Kind == ChargerEventKind.Trip)
                {
                    throw new System.InvalidOperationException("listener fault");
                }
            }
        }

        [TestMethod]
        public void PestProtection_CorruptLatchRecord_FailsSafeAsLatched()
        {
            var store = new MemoryStore();
            var buffer = new byte[LatchRecord.Length];
            LatchRecord.Encode(buffer, false, TripCauses.None, 0, 3);
            store.Write(LatchRecord.SecondKey, buffer, buffer.Length);
            buffer[6] ^= 0x10;
            store.Write(LatchRecord.Key, buffer, buffer.Length);

            var rig = new PestRig(PestMode.AWithElectrode, store);
            Assert.IsTrue(rig.Protection.Latched);
            Assert.AreEqual("latch-record-corrupt", rig.Protection.CauseCode);
            rig.RunCycles(600);
            Assert.IsFalse(rig.StartCharging());

            // The fail-safe state is written back, so it also survives the next reboot.
            var again = new PestRig(PestMode.AWithElectrode, store);
            Assert.AreEqual("latch-record-corrupt", again.Protection.CauseCode);
        }

        [TestMethod]
        public void PestProtection_OneLatchCopyMissing_FailsSafeAsLatched()
        {
            // The device's flash store reports a record whose CRC fails as missing: one copy gone
            // must not look like a unit that never latched.
            var store = new MemoryStore();
            var rig = new PestRig(PestMode.B, store);
            rig.SetSupply(260000, 0, 0);
            rig.RunCycles(60);
            store.Delete(LatchRecord.Key);
            var rebooted = new PestRig(PestMode.B, store);
            Assert.AreEqual("latch-record-corrupt", rebooted.Protection.CauseCode);
            Assert.AreEqual(1, rebooted.Protection.TripCount);
        }

        [TestMethod]
        public void PestProtection_BothLatchCopiesMissing_NeverLatched()
        {
            var store = new MemoryStore();
            var rig = new PestRig(PestMode.B, store);
            rig.SetSupply(260000, 0, 0);
            rig.RunCycles(60);
            store.Delete(LatchRecord.Key);
            store.Delete(LatchRecord.SecondKey);
            var rebooted = new PestRig(PestMode.B, store);
            Assert.IsFalse(rebooted.Protection.Latched);
        }

        [TestMethod]
        public void PestProtection_CopiesDisagreeAfterCutDuringReset_StaysLatched()
        {
            // Power cut between the two writes of a reset: the first copy is unlatched, the second
            // still latched. The latch wins.
            var store = new MemoryStore();
            var buffer = new byte[LatchRecord.Length];
            LatchRecord.Encode(buffer, false, TripCauses.None, 0, 4);
            store.Write(LatchRecord.Key, buffer, buffer.Length);
            LatchRecord.Encode(buffer, true, TripCauses.ElectrodeOpen, TripCauses.Bit(TripCauses.ElectrodeOpen), 4);
            store.Write(LatchRecord.SecondKey, buffer, buffer.Length);
            var rig = new PestRig(PestMode.AWithElectrode, store);
            Assert.AreEqual("electrode-open", rig.Protection.CauseCode);
        }

        [TestMethod]
        public void PestProtection_ShortLatchRecord_FailsSafeAsLatched()
        {
            var store = new MemoryStore();
            store.Write(LatchRecord.Key, new byte[3], 3);
            var rig = new PestRig(PestMode.B, store);
            Assert.AreEqual("latch-record-corrupt", rig.Protection.CauseCode);
        }

        [TestMethod]
        public void PestLatch_BothCopiesUnreadable_StaysTripped()
        {
            // On the device a damaged file reads as "no record" but is still there: two damaged
            // copies may have hidden a latch, unlike two copies never written.
            var inner = new MemoryStore();
            var rig = new PestRig(PestMode.B, inner);
            rig.SetSupply(260000, 0, 0);
            rig.RunCycles(60);
            Assert.IsTrue(rig.Protection.Latched);

            var rebooted = new PestRig(PestMode.B, new UnreadableRecordsStore(inner));
            Assert.IsTrue(rebooted.Protection.Latched);
            Assert.AreEqual("latch-record-corrupt", rebooted.Protection.CauseCode);
        }

        [TestMethod]
        public void PestProtection_ResetWhileSupplyStillOutOfRange_Refused()
        {
            var rig = new PestRig(PestMode.B);
            rig.SetSupply(260000, 0, 0);
            rig.RunCycles(600);
            string refusal;
            Assert.IsFalse(rig.Protection.TryReset(rig.NowMicroseconds, "mqtt", out refusal));
            Assert.AreEqual(PestProtection.RefusalSupplyNotHealthy, refusal);
            Assert.IsTrue(rig.Protection.Latched);
        }

        [TestMethod]
        public void PestProtection_ResetBefore10sBackInRange_RefusedThenAcceptedAfter()
        {
            var rig = new PestRig(PestMode.AWithElectrode);
            rig.SetSupply(230000, 230000, 40000);
            rig.RunCycles(60);
            Assert.AreEqual("cpc-tt-over-30v", rig.Protection.CauseCode);
            rig.SetSupply(230000, 230000, 2000);
            rig.RunCycles(499);
            string refusal;
            Assert.IsFalse(rig.Protection.TryReset(rig.NowMicroseconds, "mqtt", out refusal));
            Assert.AreEqual(PestProtection.RefusalSupplyNotHealthy, refusal);
            rig.RunCycles(1);
            Assert.IsTrue(rig.Protection.TryReset(rig.NowMicroseconds, "mqtt", out refusal));
            Assert.IsNull(refusal);
            Assert.IsFalse(rig.Protection.Latched);
            int reset = rig.Log.IndexOf(ChargerEventKind.TripReset);
            Assert.AreEqual("cpc-tt-over-30v", rig.Log.Codes[reset]);
            Assert.AreEqual("mqtt", rig.Log.Texts[reset]);
            rig.RunCycles(1);
            Assert.IsTrue(rig.StartCharging());
        }

        [TestMethod]
        public void PestProtection_ResetNotLatched_RefusedAsNotLatched()
        {
            var rig = new PestRig(PestMode.B);
            string refusal;
            Assert.IsFalse(rig.Protection.TryReset(0, "mqtt", out refusal));
            Assert.AreEqual(PestProtection.RefusalNotLatched, refusal);
        }

        [TestMethod]
        public void PestProtection_AcceptedReset_PersistsUnlatchedAcrossReboot()
        {
            var store = new MemoryStore();
            var rig = new PestRig(PestMode.B, store);
            rig.SetSupply(260000, 0, 0);
            rig.RunCycles(60);
            rig.SetSupply(230000, 0, 0);
            rig.RunCycles(520);
            string refusal;
            Assert.IsTrue(rig.Protection.TryReset(rig.NowMicroseconds, "button", out refusal));
            var rebooted = new PestRig(PestMode.B, store);
            Assert.IsFalse(rebooted.Protection.Latched);
            Assert.AreEqual(1, rebooted.Protection.TripCount);
        }

        [TestMethod]
        public void PestProtection_ButtonHeld2900ms_DoesNotReset()
        {
            var rig = LatchedAndRecovered();
            rig.Board.Button = true;
            rig.RunMicroseconds(2900000);
            rig.Board.Button = false;
            rig.RunCycles(10);
            Assert.IsTrue(rig.Protection.Latched);
        }

        [TestMethod]
        public void PestProtection_ButtonHeld3sAfterDebounce_Resets()
        {
            var rig = LatchedAndRecovered();
            rig.Board.Button = true;
            rig.RunMicroseconds(3060000);
            Assert.IsFalse(rig.Protection.Latched);
            int reset = rig.Log.IndexOf(ChargerEventKind.TripReset);
            Assert.AreEqual("button", rig.Log.Texts[reset]);
        }

        [TestMethod]
        public void PestProtection_ButtonHeldWhileUnhealthy_RefusedWithNotice()
        {
            var rig = new PestRig(PestMode.B);
            rig.SetSupply(260000, 0, 0);
            rig.RunCycles(60);
            rig.Board.Button = true;
            rig.RunMicroseconds(3100000);
            Assert.IsTrue(rig.Protection.Latched);
            int notice = rig.Log.IndexOf(ChargerEventKind.Notice, PestProtection.ResetRefusedCode);
            Assert.IsTrue(notice >= 0);
            Assert.AreEqual(PestProtection.RefusalSupplyNotHealthy, rig.Log.Texts[notice]);
        }

        [TestMethod]
        public void ResetButton_BouncingPress_NeverFires()
        {
            var button = new ResetButton();
            for (long t = 0; t < 10000000; t += 1000)
            {
                // Pressed for 40 ms, released for 1 ms: never stable for the 50 ms debounce.
                bool raw = (t / 1000) % 41 != 40;
                Assert.IsFalse(button.Poll(t, raw));
            }
        }

        [TestMethod]
        public void ResetButton_LongPress_FiresOncePerPress()
        {
            var button = new ResetButton();
            int fired = 0;
            for (long t = 0; t <= 8000000; t += 1000)
            {
                if (button.Poll(t, true))
                {
                    fired++;
                }
            }

            Assert.AreEqual(1, fired);
        }

        [TestMethod]
        public void PestProtection_ToggleFlippedWhileCharging_OpensAndBlocksUntilBack()
        {
            var rig = new PestRig(PestMode.AWithElectrode);
            Assert.IsTrue(rig.StartCharging());
            rig.Board.ToggleModeB = true;
            rig.RunCycles(4);
            Assert.IsTrue(rig.Board.Contactor, "debounced: 80 ms is not yet a change");
            rig.RunCycles(2);
            Assert.IsFalse(rig.Board.Contactor);
            Assert.IsFalse(rig.Board.Earth);
            Assert.IsTrue(rig.Protection.ModeChanged);
            Assert.AreEqual(PestMode.AWithElectrode, rig.Protection.Mode);
            Assert.IsFalse(rig.StartCharging());
            string refusal;
            rig.Board.ToggleModeB = false;
            rig.RunCycles(10);
            Assert.IsFalse(rig.Protection.ModeChanged);
            Assert.IsFalse(rig.Protection.TryReset(rig.NowMicroseconds, "mqtt", out refusal), "a mode change is not a latched trip");
            Assert.IsTrue(rig.StartCharging());
        }

        [TestMethod]
        public void PestProtection_DipWhileOpen_HoldsOffClosingFor1s()
        {
            var rig = new PestRig(PestMode.B);
            rig.RunCycles(200);
            rig.SetSupply(190000, 0, 0);
            rig.RunCycles(10);
            Assert.IsFalse(rig.Protection.PermitsEarth);
            rig.SetSupply(230000, 0, 0);
            rig.RunCycles(49);
            Assert.IsFalse(rig.Relays.TryCloseEarth(rig.NowMicroseconds));
            rig.RunCycles(1);
            Assert.IsTrue(rig.Relays.TryCloseEarth(rig.NowMicroseconds));
        }

        [TestMethod]
        public void PestProtection_NoMainsCycleFor200ms_OpensBothRelaysUntilCyclesFlowAgain()
        {
            var rig = new PestRig(PestMode.AWithElectrode);
            Assert.IsTrue(rig.StartCharging());
            rig.RunTaskOnly(200000);
            Assert.IsTrue(rig.Board.Contactor, "200 ms without a cycle is still tolerated");
            rig.RunTaskOnly(1000);
            Assert.IsFalse(rig.Board.Contactor);
            Assert.IsFalse(rig.Board.Earth);
            Assert.AreEqual(1, rig.Pilot.FaultStates);
            Assert.AreEqual(PestProtection.MeteringStaleCode, rig.Protection.BlockingCode);
            Assert.IsTrue(rig.Log.IndexOf(ChargerEventKind.Fault, PestProtection.MeteringStaleCode) >= 0);
            Assert.IsFalse(rig.Protection.Latched, "nothing unsafe was measured");

            // Cycles again: closing waits for 1 s of healthy cycles.
            rig.RunCycles(2);
            Assert.IsTrue(rig.Log.IndexOf(ChargerEventKind.FaultCleared, PestProtection.MeteringStaleCode) >= 0);
            Assert.IsFalse(rig.Relays.TryCloseEarth(rig.NowMicroseconds));
            rig.RunCycles(47);
            Assert.IsFalse(rig.Relays.TryCloseEarth(rig.NowMicroseconds));
            rig.RunCycles(1);
            Assert.IsTrue(rig.StartCharging());
        }

        [TestMethod]
        public void PestProtection_DipWhileCharging_RidesThroughWithRelaysClosed()
        {
            var rig = new PestRig(PestMode.B);
            Assert.IsTrue(rig.StartCharging());
            rig.SetSupply(190000, 0, 0);
            rig.RunCycles(45);
            rig.SetSupply(230000, 0, 0);
            rig.RunCycles(100);
            Assert.IsTrue(rig.Board.Contactor);
            Assert.IsFalse(rig.Protection.Latched);
        }

        [TestMethod]
        public void PestProtection_DisturbanceRecord_HoldsSecondBeforeAndAfter()
        {
            var rig = new PestRig(PestMode.AWithElectrode);
            rig.RunCycles(100);
            rig.SetSupply(230000, 230000, 80000);
            rig.RunCycles(5);
            DisturbanceRecord record = rig.Protection.Disturbance;
            Assert.IsTrue(record.Recording);
            Assert.AreEqual(DisturbanceRecord.MaxPreTripCycles, record.PreTripCount);
            Assert.AreEqual(80000, record.GetCpcTtRefMillivolts(record.PreTripCount - 1));
            Assert.AreEqual(2000, record.GetCpcTtRefMillivolts(0));
            rig.RunCycles(49);
            Assert.IsFalse(record.Complete);
            rig.RunCycles(1);
            Assert.IsTrue(record.Complete);
            Assert.AreEqual(DisturbanceRecord.Capacity, record.Count);
            Assert.AreEqual("cpc-tt-over-70v", record.CauseCode);
            int notice = rig.Log.IndexOf(ChargerEventKind.Notice);
            Assert.AreEqual(PestProtection.DisturbanceCompleteCode, rig.Log.Codes[notice]);
            Assert.AreSame(record, rig.Log.Details[notice]);
        }

        [TestMethod]
        public void PestProtection_SecondPenCause_NotReportedAgain()
        {
            var rig = new PestRig(PestMode.AWithElectrode);
            rig.SetSupply(150000, 230000, 120000);
            rig.RunCycles(200);
            Assert.AreEqual(1, rig.Log.CountOf(ChargerEventKind.Trip));
            Assert.AreEqual("cpc-tt-over-70v", rig.Protection.CauseCode);
        }

        // Front-end flags as the native core numbers them (bit 8 + channel: stuck, bit 16 +
        // channel: at a rail; channels L-N 0, L-TTref 1, CPC-TTref 2, CT clamp 3, EV current 4).
        private const int CtClampStuck = 1 << 11;
        private const int EvCurrentAtRail = 1 << 20;
        private const int LineTtRefAtRail = 1 << 17;
        private const int CpcTtRefStuck = 1 << 10;

        [TestMethod]
        public void PestProtection_CtClampOrEvChannelStuck_PenFaultStillTrips()
        {
            // A stuck CT clamp is not a PEST input: it must not blind the L-N rule
            // (BS 7671 722.411.4.1 (iv): mode B, 207..253 V).
            var rig = new PestRig(PestMode.B);
            Assert.IsTrue(rig.StartCharging());
            rig.Cycle.FrontEndFlags = CtClampStuck | EvCurrentAtRail;
            rig.RunCycles(50);
            Assert.IsTrue(rig.Board.Contactor, "a CT or EV-current fault alone does not stop charging");
            rig.SetSupply(262000, 0, 0);
            rig.RunCycles(60);
            Assert.IsTrue(rig.Protection.Latched);
            Assert.AreEqual("ln-out-of-range", rig.Protection.CauseCode);
            Assert.IsFalse(rig.Board.Contactor);
            Assert.IsFalse(rig.Board.Earth);
        }

        [TestMethod]
        public void PestProtection_UnusedEarthInputsFaultyInModeB_KeepsProtecting()
        {
            // Mode B measures L-N only: a floating L-TTref / CPC-TTref input at a rail or stuck is
            // not a reason to stop evaluating (nor to open the relays as "metering stale").
            var rig = new PestRig(PestMode.B);
            Assert.IsTrue(rig.StartCharging());
            rig.Cycle.FrontEndFlags = LineTtRefAtRail | CpcTtRefStuck;
            rig.RunCycles(100);
            Assert.IsTrue(rig.Board.Contactor);
            rig.SetSupply(190000, 0, 0);
            rig.RunCycles(60);
            Assert.AreEqual("ln-out-of-range", rig.Protection.CauseCode);
        }

        [TestMethod]
        public void PestProtection_EarthInputFaultyInModeAWithElectrode_NotEvaluatedRelaysOpen()
        {
            // Mode A with electrode measures L-TTref and CPC-TTref: a fault there leaves the cycle
            // untrusted, and the metering watchdog opens both relays (not latched).
            var rig = new PestRig(PestMode.AWithElectrode);
            Assert.IsTrue(rig.StartCharging());
            rig.Cycle.FrontEndFlags = LineTtRefAtRail;
            rig.RunCycles(25);
            Assert.IsFalse(rig.Board.Contactor);
            Assert.IsFalse(rig.Protection.Latched);
            Assert.AreEqual(PestProtection.MeteringStaleCode, rig.Protection.BlockingCode);
        }

        [TestMethod]
        public void LatchRecord_EncodeDecode_RoundTrips()
        {
            var buffer = new byte[LatchRecord.Length];
            int mask = TripCauses.Bit(TripCauses.RelayWelded) | TripCauses.Bit(TripCauses.CpcTtRefOver70V);
            LatchRecord.Encode(buffer, true, TripCauses.RelayWelded, mask, 123456);
            bool latched;
            int cause;
            int decodedMask;
            int count;
            Assert.IsTrue(LatchRecord.TryDecode(buffer, LatchRecord.Length, out latched, out cause, out decodedMask, out count));
            Assert.IsTrue(latched);
            Assert.AreEqual(TripCauses.RelayWelded, cause);
            Assert.AreEqual(mask, decodedMask);
            Assert.AreEqual(123456, count);
        }

        [TestMethod]
        public void LatchRecord_AnySingleBitFlipped_Rejected()
        {
            var buffer = new byte[LatchRecord.Length];
            bool latched;
            int cause;
            int mask;
            int count;
            for (int bit = 0; bit < LatchRecord.Length * 8; bit++)
            {
                LatchRecord.Encode(buffer, true, TripCauses.LineNeutralOutOfRange, TripCauses.Bit(TripCauses.LineNeutralOutOfRange), 7);
                buffer[bit / 8] ^= (byte)(1 << (bit % 8));
                Assert.IsFalse(LatchRecord.TryDecode(buffer, LatchRecord.Length, out latched, out cause, out mask, out count), "bit " + bit.ToString());
            }
        }

        [TestMethod]
        public void LatchRecord_InconsistentFields_Rejected()
        {
            var buffer = new byte[LatchRecord.Length];
            bool latched;
            int cause;
            int mask;
            int count;
            LatchRecord.Encode(buffer, true, TripCauses.None, 0, 0);
            Assert.IsFalse(LatchRecord.TryDecode(buffer, LatchRecord.Length, out latched, out cause, out mask, out count));
            LatchRecord.Encode(buffer, false, TripCauses.RdcDd, TripCauses.Bit(TripCauses.RdcDd), 0);
            Assert.IsFalse(LatchRecord.TryDecode(buffer, LatchRecord.Length, out latched, out cause, out mask, out count));
            LatchRecord.Encode(buffer, true, TripCauses.RdcDd, TripCauses.Bit(TripCauses.RelayWelded), 0);
            Assert.IsFalse(LatchRecord.TryDecode(buffer, LatchRecord.Length, out latched, out cause, out mask, out count));
            LatchRecord.Encode(buffer, true, 12, TripCauses.Bit(12), 0);
            Assert.IsFalse(LatchRecord.TryDecode(buffer, LatchRecord.Length, out latched, out cause, out mask, out count));
            LatchRecord.Encode(buffer, false, TripCauses.None, 0, 0);
            Assert.IsFalse(LatchRecord.TryDecode(buffer, LatchRecord.Length - 1, out latched, out cause, out mask, out count));
            Assert.IsTrue(LatchRecord.TryDecode(buffer, LatchRecord.Length, out latched, out cause, out mask, out count));
        }

        [TestMethod]
        public void LatchRecord_Crc16_MatchesCcittFalseCheckValue()
        {
            // CRC-16/CCITT-FALSE of "123456789" is 0x29B1 (the catalogue's check value).
            var data = new byte[] { 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39 };
            Assert.AreEqual(0x29B1, Crc.Crc16CcittFalse(data, data.Length));
        }

        [TestMethod]
        public void TripCauses_EveryIndex_HasADistinctCode()
        {
            for (int i = 1; i < TripCauses.Count; i++)
            {
                Assert.IsNotNull(TripCauses.Code(i));
                for (int j = 1; j < i; j++)
                {
                    Assert.AreNotEqual(TripCauses.Code(j), TripCauses.Code(i));
                }
            }

            Assert.IsNull(TripCauses.Code(TripCauses.None));
            Assert.IsNull(TripCauses.Code(TripCauses.Count));
        }

        private static PestRig LatchedAndRecovered()
        {
            var rig = new PestRig(PestMode.B);
            rig.SetSupply(260000, 0, 0);
            rig.RunCycles(60);
            rig.SetSupply(230000, 0, 0);
            rig.RunCycles(510);
            Assert.IsTrue(rig.Protection.Latched);
            return rig;
        }

        /// <summary>A store whose records are all present but unreadable (as damaged flash files).</summary>
        private sealed class UnreadableRecordsStore : IStore
        {
            private readonly MemoryStore _inner;

            public UnreadableRecordsStore(MemoryStore inner)
            {
                _inner = inner;
            }

            public bool TryRead(string key, byte[] buffer, out int length)
            {
                length = 0;
                return false;
            }

            public bool HasRecord(string key) => _inner.HasRecord(key);

            public void Write(string key, byte[] data, int length) => _inner.Write(key, data, length);

            public void Delete(string key) => _inner.Delete(key);

            public void Append(string key, byte[] data, int length) => _inner.Append(key, data, length);

            public int ReadAt(string key, int position, byte[] buffer, int offset, int count) => _inner.ReadAt(key, position, buffer, offset, count);
        }
    }
}
