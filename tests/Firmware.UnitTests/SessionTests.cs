using IndraSmartPro.ControlPilot;
using IndraSmartPro.Events;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    /// <summary>
    /// The charging session against IEC 61851-1 Table A.6 as docs/domain.md, "Control pilot" states it: each transition
    /// and timing rule from both sides (it happens in time; it does not happen early or without cause).
    /// </summary>
    [TestClass]
    public class SessionTests
    {
        private static int IndexOfPwmAt(PilotHarness h, long time)
        {
            for (int i = 0; i < h.Log.Count; i++)
            {
                if (h.Log.Kinds[i] == ChargerEventKind.Pwm && h.Log.Times[i] == time)
                {
                    return i;
                }
            }

            return -1;
        }

        private static PilotHarness Tethered()
        {
            return new PilotHarness(false, 32000);
        }

        [TestMethod]
        public void SessionStates_Violation_FlagsOutputsThatContradictTheRow()
        {
            // 533 permille = 32 A PWM (IEC 61851-1 Table A.8); 1000 = steady +12 V; 0 = steady −12 V.
            Assert.IsNull(SessionStates.Violation(SessionState.Charging, 533, true));
            Assert.IsNull(SessionStates.Violation(SessionState.Stopping, 1000, true));
            Assert.IsNull(SessionStates.Violation(SessionState.Fault, 0, false));
            Assert.IsNotNull(SessionStates.Violation(SessionState.Offering, 1000, false), "Offering without PWM");
            Assert.IsNotNull(SessionStates.Violation(SessionState.Connected, 533, false), "PWM while Connected");
            Assert.IsNotNull(SessionStates.Violation(SessionState.Offering, 533, true), "contactor closed while only offering");
            Assert.IsNotNull(SessionStates.Violation(SessionState.Idle, 1000, true), "contactor closed in Idle");
        }

        [TestMethod]
        public void PilotLink_TripBeforeASessionIsAttached_HoldsMinus12Volts()
        {
            var board = new PilotFakeBoard();
            board.DutyPermille = 1000;
            var link = new PilotLink(board, board, new EventBus());
            link.EnterFaultState(1000);
            Assert.AreEqual(0, board.DutyPermille, "state F: steady −12 V");
            Assert.AreEqual((int)PilotState.F, (int)link.ShownState);
        }

        [TestMethod]
        public void Session_EveryStateValue_HasItsTableRow()
        {
            Assert.AreEqual(SessionStates.Count, SessionStates.Rows.Length);
            for (int i = 0; i < SessionStates.Count; i++)
            {
                SessionStateRow row = SessionStates.Row((SessionState)i);
                Assert.AreEqual(i, (int)row.State, "row " + i.ToString() + " is in enum order");
                Assert.IsNotNull(row.Name);
            }

            Assert.IsTrue(SessionStates.Row(SessionState.Charging).ContactorMayBeClosed);
            Assert.IsFalse(SessionStates.Row(SessionState.Offering).ContactorMayBeClosed);
            Assert.IsFalse(SessionStates.Row(SessionState.Fault).PwmOffered);
        }

        [TestMethod]
        public void Session_EveryStateValue_RunsWithoutMissingRow()
        {
            // Drive the machine through every state; a missing entry/run/exit row throws.
            var h = Tethered();
            bool[] seen = new bool[SessionStates.Count];
            h.Run(100000);
            seen[(int)h.Session.State] = true;
            h.Board.Vehicle = PilotState.B;
            h.Run(200000);
            seen[(int)h.Session.State] = true;
            h.Session.Pause();
            h.Run(200000);
            seen[(int)h.Session.State] = true;
            h.Session.Resume();
            h.Board.Vehicle = PilotState.C;
            h.Run(300000);
            seen[(int)h.Session.State] = true;
            h.Session.Pause();
            h.Run(100000);
            seen[(int)h.Session.State] = true;
            h.Board.Vehicle = PilotState.E;
            h.Run(150000);
            seen[(int)h.Session.State] = true;
            for (int i = 0; i < SessionStates.Count; i++)
            {
                Assert.IsTrue(seen[i], SessionStates.Rows[i].Name + " visited");
            }
        }

        [TestMethod]
        public void Session_Boot_NoVehicle_IdleAtPlus12VoltsStateA()
        {
            var h = Tethered();
            h.Run(200000);
            Assert.AreEqual((int)SessionState.Idle, (int)h.Session.State);
            Assert.AreEqual((int)PilotState.A, (int)h.Session.PilotState);
            Assert.AreEqual(1000, h.Board.DutyPermille);
            Assert.IsFalse(h.Board.Earth);
            Assert.IsTrue(h.Log.First(ChargerEventKind.PilotState, 0, "A") > 0);
        }

        [TestMethod]
        public void Session_VehicleConnectsB_OffersPwmWithContactorOpen()
        {
            var h = Tethered();
            h.Run(200000);
            h.Board.Vehicle = PilotState.B;
            h.Run(200000);
            Assert.AreEqual((int)SessionState.Offering, (int)h.Session.State);
            Assert.AreEqual(533, h.Board.DutyPermille);
            Assert.IsTrue(h.Board.Earth);
            Assert.IsFalse(h.Board.Contactor);
            Assert.AreEqual(1, h.Log.CountOf(ChargerEventKind.SessionStarted, null));
        }

        [TestMethod]
        public void Session_StaysInB_NeverCloses()
        {
            var h = Tethered();
            h.Board.Vehicle = PilotState.B;
            Assert.AreEqual(-1L, h.RunUntilContactor(true, 20000000));
        }

        [TestMethod]
        public void Session_BToCWithPwm_ClosesWithin3Seconds()
        {
            var h = Tethered();
            h.Board.Vehicle = PilotState.B;
            h.Run(500000);
            h.Board.Vehicle = PilotState.C;
            long requested = h.Now;
            long closed = h.RunUntilContactor(true, 3000000);
            Assert.IsTrue(closed > 0, "closed within 3 s of B→C");
            // Not before C was confirmed: at least one window after the change.
            Assert.IsTrue(closed - requested >= 2 * 32 * PilotSampler.SamplePeriodMicroseconds - PilotSampler.SamplePeriodMicroseconds * 32);
            Assert.AreEqual((int)SessionState.Charging, (int)h.Session.State);
        }

        [TestMethod]
        public void Session_CToB_OpensWithin100Milliseconds()
        {
            var h = Tethered();
            h.StartCharging();
            h.Run(2000000);
            h.Board.Vehicle = PilotState.B;
            long stopped = h.Now;
            Assert.IsTrue(h.Board.Contactor, "still closed the instant the vehicle changes");
            long opened = h.RunUntilContactor(false, 100000);
            Assert.IsTrue(opened > 0 && opened - stopped <= 100000, "opened within 100 ms");
            Assert.IsFalse(h.Board.ContactorOpenedWhileDrawing);
            Assert.AreEqual((int)SessionState.Offering, (int)h.Session.State);
            Assert.AreEqual(533, h.Board.DutyPermille, "PWM stays: the vehicle may ask again");
        }

        [TestMethod]
        public void Session_CToBAtTenPercentDutyFromEveryWindowPhase_OpensWithin100Milliseconds()
        {
            // Worst case for the sampler: 10 % duty has the shortest high phase, so the change can
            // wait longest for a sample that sees it. Try the change at every millisecond of a window.
            int windowMicroseconds = PilotSampler.WindowSamples * PilotSampler.SamplePeriodMicroseconds;
            for (int offset = 0; offset < windowMicroseconds; offset += 1000)
            {
                var h = Tethered();
                h.Arbiter.SetClaim(ClaimSlot.Platform, 6000, "platform");
                h.StartCharging();
                Assert.AreEqual(100, h.Board.DutyPermille);
                h.Run(offset);
                h.Board.Vehicle = PilotState.B;
                long stopped = h.Now;
                long opened = h.RunUntilContactor(false, 100000);
                Assert.IsTrue(opened > 0 && opened - stopped <= 100000, "offset " + offset.ToString() + " µs: opened after " + (opened - stopped).ToString() + " µs");
            }
        }

        [TestMethod]
        public void Session_CToA_OpensWithin100MillisecondsAndEndsSession()
        {
            var h = Tethered();
            h.StartCharging();
            h.Run(1000000);
            h.Board.Vehicle = PilotState.A;
            long unplugged = h.Now;
            long opened = h.RunUntilContactor(false, 100000);
            Assert.IsTrue(opened > 0 && opened - unplugged <= 100000);
            h.Run(100000);
            Assert.AreEqual((int)SessionState.Idle, (int)h.Session.State);
            Assert.IsTrue(h.Board.Earth, "the earth relay stays closed: only protection opens it (a welded contactor may leave the cable live, P12)");
            Assert.AreEqual(1000, h.Board.DutyPermille);
            Assert.AreEqual(1, h.Log.CountOf(ChargerEventKind.SessionStopped, ChargingSession.ReasonEvDisconnected));
        }

        [TestMethod]
        public void Session_Unplug_EndsTheSessionsClaimsNotThePause()
        {
            var h = Tethered();
            h.StartCharging();
            h.Arbiter.SetSessionClaim(ClaimSlot.Manual, 10000, "boost");
            h.Run(1000000);
            Assert.AreEqual("boost", h.Arbiter.LimitReason);
            h.Session.Pause();
            Assert.AreEqual(CurrentArbiter.ReasonPaused, h.Arbiter.LimitReason, "the pause is a claim and names the limit");
            h.Board.Vehicle = PilotState.A;
            h.Run(200000);
            Assert.AreEqual((int)SessionState.Idle, (int)h.Session.State);
            Assert.IsFalse(h.Arbiter.IsClaimActive(ClaimSlot.Manual), "a session claim ends with the session");
            Assert.IsTrue(h.Session.Paused, "a pause outlasts the session until Resume");
            h.Session.Resume();
            Assert.AreEqual(32000, h.Arbiter.LimitMilliamps);
        }

        [TestMethod]
        public void Session_PauseWhileCharging_WithdrawsPwmAndOpensOnlyAfterB()
        {
            var h = Tethered();
            h.StartCharging();
            h.Run(1000000);
            h.Session.Pause();
            h.Run(100000);
            Assert.AreEqual(1000, h.Board.DutyPermille, "PWM withdrawn");
            Assert.IsTrue(h.Board.Contactor, "never open under load: wait for the vehicle");
            h.Run(2000000);
            Assert.IsTrue(h.Board.Contactor, "still waiting while the vehicle holds C (< 6 s)");
            h.Board.Vehicle = PilotState.B;
            long released = h.Now;
            long opened = h.RunUntilContactor(false, 100000);
            Assert.IsTrue(opened > 0 && opened - released <= 100000);
            Assert.IsFalse(h.Board.ContactorOpenedWhileDrawing);
            Assert.AreEqual((int)SessionState.Connected, (int)h.Session.State);
            Assert.AreEqual(1, h.Log.CountOf(ChargerEventKind.Notice, ChargingSession.ReasonPaused));
        }

        [TestMethod]
        public void Session_ResumeAfterPause_OffersAgainAndCloses()
        {
            var h = Tethered();
            h.StartCharging();
            h.Session.Pause();
            h.Run(100000);
            h.Board.Vehicle = PilotState.B;
            h.Run(200000);
            Assert.IsFalse(h.Board.Contactor);
            h.Session.Resume();
            h.Run(200000);
            Assert.AreEqual(533, h.Board.DutyPermille);
            h.Board.Vehicle = PilotState.C;
            Assert.IsTrue(h.RunUntilContactor(true, 3000000) > 0);
        }

        [TestMethod]
        public void Session_PwmWithdrawnVehicleStaysInC_ForcesOpenAfter6SecondsNotBefore()
        {
            var h = Tethered();
            h.StartCharging();
            h.Session.Pause();
            h.Run(40000);
            long withdrawn = h.Log.First(ChargerEventKind.Pwm, h.Now - 40000, null);
            Assert.IsTrue(withdrawn > 0);
            h.Run(withdrawn + 5900000 - h.Now);
            Assert.IsTrue(h.Board.Contactor, "not before 6 s");
            long opened = h.RunUntilContactor(false, 200000);
            Assert.IsTrue(opened > 0 && opened - withdrawn <= 6000000 + 40000, "forced open at 6 s (one window of slack)");
            Assert.AreEqual(1, h.Log.CountOf(ChargerEventKind.Contactor, ChargingSession.ReasonStopTimeout));
        }

        [TestMethod]
        public void Session_StateEWhileCharging_OpensWithin100MsAndHoldsFAtLeast300Ms()
        {
            var h = Tethered();
            h.StartCharging();
            h.Board.Vehicle = PilotState.E;
            long shorted = h.Now;
            long opened = h.RunUntilContactor(false, 100000);
            Assert.IsTrue(opened > 0 && opened - shorted <= 100000, "E: open at once (aim 100 ms, at most 3 s)");
            long fault = h.Log.First(ChargerEventKind.Pwm, shorted, null);
            Assert.AreEqual(0, h.Board.DutyPermille);
            h.Run(fault + 299000 - h.Now);
            Assert.AreEqual(0, h.Board.DutyPermille, "F held for 300 ms");
            Assert.AreEqual((int)SessionState.Fault, (int)h.Session.State);
            Assert.AreEqual(1, h.Log.CountOf(ChargerEventKind.Fault, ChargingSession.ReasonPilotShort));
        }

        [TestMethod]
        public void Session_ShortRemoved_FaultClearsAndSessionContinues()
        {
            var h = Tethered();
            h.StartCharging();
            h.Board.Vehicle = PilotState.E;
            h.Run(1000000);
            Assert.AreEqual((int)SessionState.Fault, (int)h.Session.State);
            Assert.AreEqual(1000, h.Board.DutyPermille, "after 300 ms: steady +12 V to watch the line");
            h.Board.Vehicle = PilotState.B;
            h.Run(300000);
            Assert.AreEqual((int)SessionState.Offering, (int)h.Session.State);
            Assert.AreEqual(1, h.Log.CountOf(ChargerEventKind.FaultCleared, ChargingSession.ReasonPilotShort));
            Assert.AreEqual(0, h.Log.CountOf(ChargerEventKind.SessionStopped, null));
        }

        [TestMethod]
        public void Session_DiodeShortWhileCharging_OpensWithin100MsAndLatchesUntilUnplug()
        {
            var h = Tethered();
            h.StartCharging();
            h.Board.DiodeShorted = true;
            long shorted = h.Now;
            long opened = h.RunUntilContactor(false, 150000);
            Assert.IsTrue(opened > 0 && opened - shorted <= 150000, "diode fault: open within 3 s (here about 100 ms)");
            Assert.AreEqual(1, h.Log.CountOf(ChargerEventKind.Fault, ChargingSession.ReasonDiodeFault));
            h.Board.DiodeShorted = false;
            h.Run(5000000);
            Assert.AreEqual((int)SessionState.Fault, (int)h.Session.State, "latched while plugged in");
            Assert.IsFalse(h.Board.Contactor);
            h.Board.Vehicle = PilotState.A;
            h.Run(200000);
            Assert.AreEqual((int)SessionState.Idle, (int)h.Session.State);
        }

        [TestMethod]
        public void Session_TripDuringLatchedDiodeFault_StaysLatchedUntilUnplug()
        {
            var h = Tethered();
            h.StartCharging();
            h.Board.DiodeShorted = true;
            h.Run(500000);
            h.Board.DiodeShorted = false;
            h.Relays.TripPenFault(h.Now, "test-trip");
            h.Run(3000000);
            Assert.AreEqual((int)SessionState.Fault, (int)h.Session.State, "the trip did not clear the diode latch");
            Assert.AreEqual(0, h.Log.CountOf(ChargerEventKind.FaultCleared, null));
            h.Board.Vehicle = PilotState.A;
            h.Run(200000);
            Assert.AreEqual((int)SessionState.Idle, (int)h.Session.State);
            Assert.AreEqual(1, h.Log.CountOf(ChargerEventKind.FaultCleared, ChargingSession.ReasonDiodeFault));
        }

        [TestMethod]
        public void Session_DiodeShortBeforeClosing_NeverCloses()
        {
            var h = Tethered();
            h.Board.DiodeShorted = true;
            h.Board.Vehicle = PilotState.B;
            h.Run(300000);
            h.Board.Vehicle = PilotState.C;
            Assert.AreEqual(-1L, h.RunUntilContactor(true, 5000000));
            Assert.AreEqual((int)SessionState.Fault, (int)h.Session.State);
        }

        [TestMethod]
        public void Session_StateD_DoesNotCloseAndSaysWhy()
        {
            var h = Tethered();
            h.Board.Vehicle = PilotState.B;
            h.Run(300000);
            h.Board.Vehicle = PilotState.D;
            Assert.AreEqual(-1L, h.RunUntilContactor(true, 5000000));
            Assert.AreEqual(1, h.Log.CountOf(ChargerEventKind.Notice, ChargingSession.ReasonVentilation));
            h.Board.Vehicle = PilotState.C;
            Assert.IsTrue(h.RunUntilContactor(true, 3000000) > 0, "D→C: charges");
        }

        [TestMethod]
        public void Session_StateDWhileCharging_WithdrawsPwmAndOpensAtB()
        {
            var h = Tethered();
            h.StartCharging();
            h.Board.Vehicle = PilotState.D;
            h.Run(150000);
            Assert.AreEqual(1000, h.Board.DutyPermille);
            Assert.IsTrue(h.Board.Contactor, "waits for the vehicle to stop drawing");
            h.Board.Vehicle = PilotState.B;
            Assert.IsTrue(h.RunUntilContactor(false, 100000) > 0);
            Assert.IsFalse(h.Board.ContactorOpenedWhileDrawing);
        }

        [TestMethod]
        public void Session_StateDWhileChargingVehicleStaysInD_OpensAfter3SecondsNotBefore()
        {
            var h = Tethered();
            h.StartCharging();
            h.Board.Vehicle = PilotState.D;
            long ventilation = h.Now;
            h.Run(150000);
            long withdrawn = h.Log.First(ChargerEventKind.Pwm, ventilation, null);
            Assert.IsTrue(withdrawn > 0, "PWM withdrawn at D");
            h.Run(withdrawn + 2900000 - h.Now);
            Assert.IsTrue(h.Board.Contactor, "the vehicle gets 3 s to stop drawing");
            long opened = h.RunUntilContactor(false, 200000);
            Assert.IsTrue(opened > 0 && opened - withdrawn <= 3000000 + 40000);
        }

        [TestMethod]
        public void Session_SimplifiedModeAStraightToC_Closes()
        {
            var h = Tethered();
            h.Run(200000);
            h.Board.Vehicle = PilotState.C;
            long requested = h.Now;
            long closed = h.RunUntilContactor(true, 3000000);
            Assert.IsTrue(closed > 0 && closed - requested <= 3000000);
        }

        [TestMethod]
        public void Session_LimitBelow6A_OffersNothingAndSaysWhy()
        {
            var h = Tethered();
            h.Arbiter.SetClaim(ClaimSlot.Platform, 5000, "platform");
            h.Board.Vehicle = PilotState.C;
            Assert.AreEqual(-1L, h.RunUntilContactor(true, 3000000));
            Assert.AreEqual(1000, h.Board.DutyPermille);
            Assert.AreEqual(1, h.Log.CountOf(ChargerEventKind.Notice, "platform"));
            h.Arbiter.SetClaim(ClaimSlot.Platform, 6000, "platform");
            Assert.IsTrue(h.RunUntilContactor(true, 3000000) > 0);
            Assert.AreEqual(100, h.Board.DutyPermille, "6 A = 10 %");
        }

        [TestMethod]
        public void Session_PlatformIncrease_WaitsFiveSecondsSinceLastChange()
        {
            var h = Tethered();
            h.Arbiter.SetClaim(ClaimSlot.Platform, 10000, "platform");
            h.StartCharging();
            long lastChange = h.Log.First(ChargerEventKind.Pwm, 0, null);
            for (int i = 0; i < h.Log.Count; i++)
            {
                if (h.Log.Kinds[i] == ChargerEventKind.Pwm)
                {
                    lastChange = h.Log.Times[i];
                }
            }

            h.Arbiter.SetClaim(ClaimSlot.Platform, 20000, "platform");
            h.Run(lastChange + 4900000 - h.Now);
            Assert.AreEqual(166, h.Board.DutyPermille, "not within 5 s of the last change");
            h.Run(200000);
            Assert.AreEqual(333, h.Board.DutyPermille, "after 5 s");
        }

        [TestMethod]
        public void Session_PlatformReduction_AlsoWaitsFiveSeconds()
        {
            var h = Tethered();
            h.StartCharging();
            h.Run(1000000);
            h.Arbiter.SetClaim(ClaimSlot.Platform, 10000, "platform");
            h.Run(1000000);
            Assert.AreEqual(533, h.Board.DutyPermille, "a non-protective reduction waits for the 5 s rule");
            h.Run(4000000);
            Assert.AreEqual(166, h.Board.DutyPermille);
        }

        [TestMethod]
        public void Session_CurtailmentReduction_ActsAtOnce()
        {
            var h = Tethered();
            h.StartCharging();
            h.Run(1000000);
            h.Arbiter.SetClaim(ClaimSlot.Curtailment, 10000, "curtailment");
            h.Run(70000);
            Assert.AreEqual(166, h.Board.DutyPermille, "curtailment reduces within one window");
        }

        [TestMethod]
        public void Session_SafetyClaimBelow6AWhileCharging_StopsWithoutOpeningUnderLoad()
        {
            var h = Tethered();
            h.StartCharging();
            h.Arbiter.SetClaim(ClaimSlot.Safety, 0, "over-temperature");
            h.Run(100000);
            Assert.AreEqual(1000, h.Board.DutyPermille);
            Assert.IsTrue(h.Board.Contactor);
            h.Board.Vehicle = PilotState.B;
            Assert.IsTrue(h.RunUntilContactor(false, 100000) > 0);
            Assert.IsFalse(h.Board.ContactorOpenedWhileDrawing);
        }

        [TestMethod]
        public void Session_InterlockRefusesPower_NoOfferAndReportsItsCode()
        {
            var h = Tethered();
            h.Interlock.Earth = false;
            h.Board.Vehicle = PilotState.C;
            Assert.AreEqual(-1L, h.RunUntilContactor(true, 3000000));
            Assert.AreEqual(1000, h.Board.DutyPermille, "no current offered while power is refused");
            Assert.AreEqual(1, h.Log.CountOf(ChargerEventKind.Notice, "test-blocked"));
            h.Interlock.Earth = true;
            Assert.IsTrue(h.RunUntilContactor(true, 3000000) > 0);
        }

        [TestMethod]
        public void Session_InterlockOpensWhileCharging_StopsOffering()
        {
            var h = Tethered();
            h.StartCharging();
            h.Interlock.Contactor = false;
            h.Relays.Enforce(h.Now);
            Assert.IsFalse(h.Board.Contactor);
            h.Run(100000);
            Assert.AreEqual((int)SessionState.Connected, (int)h.Session.State);
            Assert.AreEqual(1000, h.Board.DutyPermille);
        }

        [TestMethod]
        public void Session_TripWhileCharging_FAtOnceAndHeldWhilePowerForbidden()
        {
            var h = Tethered();
            h.StartCharging();
            h.Interlock.Earth = false;
            h.Relays.TripPenFault(h.Now, "test-trip");
            Assert.AreEqual(0, h.Board.DutyPermille, "state F in the trip's own call");
            Assert.IsFalse(h.Board.Contactor);
            h.Run(10000000);
            Assert.AreEqual(0, h.Board.DutyPermille, "F while power is forbidden");
            Assert.AreEqual((int)SessionState.Fault, (int)h.Session.State);
            h.Interlock.Earth = true;
            Assert.IsTrue(h.RunUntilContactor(true, 3000000) > 0, "reset: the session goes on and charges again");
            Assert.AreEqual(0, h.Log.CountOf(ChargerEventKind.SessionStopped, null));
        }

        [TestMethod]
        public void Session_TripReleasedAtOnce_StillHoldsF300Ms()
        {
            var h = Tethered();
            h.StartCharging();
            h.Relays.TripPenFault(h.Now, "test-trip");
            long tripped = h.Now;
            h.Run(290000);
            Assert.AreEqual(0, h.Board.DutyPermille);
            h.Run(100000);
            Assert.AreNotEqual(0, h.Board.DutyPermille, "F released once power is permitted again");
            long released = -1;
            for (int i = 0; i < h.Log.Count; i++)
            {
                if (h.Log.Kinds[i] == ChargerEventKind.Pwm && h.Log.Times[i] >= tripped && h.Log.Values[i] != 0)
                {
                    released = h.Log.Times[i];
                    break;
                }
            }

            Assert.IsTrue(released - tripped >= ChargingSession.FaultHoldMicroseconds, "F held " + (released - tripped).ToString() + " µs");
            Assert.AreEqual(1000, h.Log.Values[IndexOfPwmAt(h, released)], "the first level after F is steady +12 V");
        }

        [TestMethod]
        public void Session_CableRating16A_OffersSixteenAmps()
        {
            var h = new PilotHarness(false, 16000);
            h.StartCharging();
            Assert.AreEqual(266, h.Board.DutyPermille);
            Assert.AreEqual(0, h.Board.ProximityReads, "tethered: PP not read");
        }

        [TestMethod]
        public void Session_PowerCutWhileCharging_NextBootReportsTheSessionStopped()
        {
            var h = Tethered();
            h.StartCharging();
            h.Run(120000000);
            // Power cut: a new firmware on the same store.
            var after = new PilotHarness(false, 32000, h.Store);
            after.Run(100000);
            long stopped = after.Log.First(ChargerEventKind.SessionStopped, 0, ChargingSession.ReasonPowerCut);
            Assert.AreEqual(0L, stopped, "reported at boot");
            Assert.AreEqual(1, after.Log.CountOf(ChargerEventKind.SessionStopped, ChargingSession.ReasonPowerCut));
        }

        [TestMethod]
        public void Session_EnergyOfSession_ReportedAtUnplug()
        {
            var h = Tethered();
            h.StartCharging();
            h.Run(60000000);
            h.Board.Vehicle = PilotState.A;
            h.Run(200000);
            // 16 A × 230 V = 3680 W for about 60 s = about 61 Wh.
            int stopped = -1;
            for (int i = 0; i < h.Log.Count; i++)
            {
                if (h.Log.Kinds[i] == ChargerEventKind.SessionStopped)
                {
                    stopped = h.Log.Values[i];
                }
            }

            Assert.IsTrue(stopped >= 60 && stopped <= 62, "session Wh " + stopped.ToString());
        }
    }
}
