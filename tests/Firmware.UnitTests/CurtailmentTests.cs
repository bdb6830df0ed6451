using IndraSmartPro.ControlPilot;
using IndraSmartPro.Events;
using IndraSmartPro.Features.Curtailment;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    /// <summary>
    /// The curtailment controller against the rules it implements: allowance = rating − margin −
    /// (import − EV); cuts at once; raises at most once per 5 s (IEC 61851-1); under 6 A a pause of
    /// at least 5 min with hysteresis to resume; EREC G100 fail-safe on every CT fault; solar modes.
    /// </summary>
    [TestClass]
    public class CurtailmentTests
    {
        private const int Amp = 1000;

        // Rows: rating, margin, house, expected claim after the first block (mA). The unit rating (32 A) caps it.
        private static readonly int[][] AllowanceRows = new int[][]
        {
            new int[] { 60000, 1000, 20000, 32000 },
            new int[] { 60000, 1000, 45000, 14000 },
            new int[] { 40000, 2000, 10000, 28000 },
            new int[] { 100000, 0, 90000, 10000 },
            new int[] { 32000, 1000, 12550, 18400 },
            new int[] { 60000, 1000, 53000, 6000 },
        };

        [TestMethod]
        public void Curtailment_AllowanceTable_ClaimsRatingMinusMarginMinusHouse()
        {
            for (int r = 0; r < AllowanceRows.Length; r++)
            {
                int[] row = AllowanceRows[r];
                CurtailmentSettings s = CurtailmentRig.DefaultSettings();
                s.SupplyRatingMilliamps = row[0];
                s.MarginMilliamps = row[1];
                var rig = new CurtailmentRig(s);
                rig.EvConnected = false;
                rig.HouseMilliamps = row[2];
                rig.RunFor(300000);
                Assert.AreEqual(row[3], rig.Controller.ClaimMilliamps, "row " + r.ToString());
                Assert.AreEqual(row[0] - row[1] - row[2], rig.Controller.AllowanceMilliamps, "row " + r.ToString());
            }
        }

        [TestMethod]
        public void Curtailment_EvDrawing_HouseIsImportMinusEv()
        {
            // The EV's own current is not house load: 20 A house + 32 A EV on 60 A leaves the EV its 32 A.
            var rig = new CurtailmentRig(CurtailmentRig.DefaultSettings());
            rig.HouseMilliamps = 20 * Amp;
            rig.RunSeconds(20);
            Assert.AreEqual(32 * Amp, rig.EvMilliamps);
            Assert.AreEqual(52 * Amp, rig.Controller.ImportMilliamps);
            Assert.AreEqual(39 * Amp, rig.Controller.AllowanceMilliamps);
            Assert.AreEqual(32 * Amp, rig.Controller.ClaimMilliamps);
        }

        [TestMethod]
        public void Curtailment_HouseStep_CutsWithinOneBlockAsProtectiveCeiling()
        {
            var rig = new CurtailmentRig(CurtailmentRig.DefaultSettings());
            rig.HouseMilliamps = 20 * Amp;
            rig.RunSeconds(20);
            long step = rig.Now;
            rig.HouseMilliamps = 45 * Amp;
            rig.RunFor(CurtailmentController.BlockCycles * CurtailmentRig.CycleMicroseconds);

            // 60 − 1 − 45 = 14 A, at once (no 5 s wait: a ceiling's reduction is protective).
            Assert.AreEqual(14 * Amp, rig.Arbiter.LimitMilliamps);
            Assert.IsTrue(rig.Arbiter.LimitProtective);
            Assert.AreEqual(CurtailmentController.ReasonCurtailment, rig.Arbiter.LimitReason);
            int cut = rig.Log.Find(ChargerEventKind.Curtailment, CurtailmentController.ActionCut, step);
            Assert.IsTrue(cut >= 0);
            Assert.IsTrue(rig.Log.Times[cut] - step <= 1000000, "cut within 1 s");
            Assert.AreEqual(14 * Amp, rig.Log.Values[cut]);
            Assert.AreEqual(77 * Amp, rig.Log.Values2[cut], "evidence: the import that caused it");

            // With the EV taking its full 5 s to follow, the import is under the rating within 7 s.
            rig.RunFor(7000000 - (rig.Now - step));
            Assert.IsTrue(rig.ImportMilliamps <= 60 * Amp);
        }

        [TestMethod]
        public void Curtailment_HouseFalls_RaisesAtMostOncePer5SecondsByAShareOfTheHeadroom()
        {
            var rig = new CurtailmentRig(CurtailmentRig.DefaultSettings());
            rig.HouseMilliamps = 45 * Amp;
            rig.RunSeconds(30);
            Assert.AreEqual(14 * Amp, rig.Controller.ClaimMilliamps);
            int before = rig.Log.Count;
            rig.HouseMilliamps = 30 * Amp;
            rig.RunSeconds(60);

            long lastRaise = -1;
            int lastClaim = 14 * Amp;
            int raises = 0;
            for (int i = before; i < rig.Log.Count; i++)
            {
                if (rig.Log.Kinds[i] != ChargerEventKind.Curtailment)
                {
                    continue;
                }

                Assert.AreEqual(CurtailmentController.ActionRaise, rig.Log.Codes[i]);
                if (lastRaise >= 0)
                {
                    Assert.IsTrue(rig.Log.Times[i] - lastRaise >= 5000000, "IEC 61851-1: at most one raise per 5 s");
                }

                // Never more than the headroom (29 A allowance).
                Assert.IsTrue(rig.Log.Values[i] > lastClaim && rig.Log.Values[i] <= 29 * Amp);
                lastRaise = rig.Log.Times[i];
                lastClaim = rig.Log.Values[i];
                raises++;
            }

            Assert.IsTrue(raises >= 2, "the claim climbs in steps, not at once");
            Assert.IsTrue(rig.Controller.ClaimMilliamps >= 28 * Amp);
        }

        [TestMethod]
        public void Curtailment_AllowanceUnder6A_OffersMinimumThenPausesAfterConfirm()
        {
            var rig = new CurtailmentRig(CurtailmentRig.DefaultSettings());
            rig.HouseMilliamps = 20 * Amp;
            rig.RunSeconds(20);
            long step = rig.Now;

            // 60 − 1 − 53.5 = 5.5 A: 6 A would still keep the import under the rating (59.5 A).
            rig.HouseMilliamps = 53500;
            rig.RunFor(400000);
            Assert.AreEqual(6 * Amp, rig.Controller.ClaimMilliamps);
            Assert.AreEqual(CurtailmentState.Following, rig.Controller.State);
            rig.RunSeconds(2);
            Assert.AreEqual(CurtailmentState.Paused, rig.Controller.State);
            Assert.AreEqual(0, rig.Arbiter.LimitMilliamps, "under 6 A: the offer is withdrawn (state B)");
            int pause = rig.Log.Find(ChargerEventKind.Curtailment, CurtailmentController.ActionPause, step);
            Assert.IsTrue(rig.Log.Times[pause] - step <= 2500000);
            Assert.AreEqual(1, rig.Controller.PauseCount);
        }

        [TestMethod]
        public void Curtailment_SixAmpsWouldExceedTheRating_PausesAtOnce()
        {
            var rig = new CurtailmentRig(CurtailmentRig.DefaultSettings());
            rig.HouseMilliamps = 20 * Amp;
            rig.RunSeconds(20);
            long step = rig.Now;

            // 56 A of house on 60 A: even 6 A would take the import to 62 A.
            rig.HouseMilliamps = 56 * Amp;
            rig.RunFor(CurtailmentController.BlockCycles * CurtailmentRig.CycleMicroseconds);
            Assert.AreEqual(CurtailmentState.Paused, rig.Controller.State);
            Assert.AreEqual(0, rig.Arbiter.LimitMilliamps);
            rig.RunFor(7000000 - (rig.Now - step));
            Assert.IsTrue(rig.ImportMilliamps <= 60 * Amp, "under the rating within 7 s with an EV taking 5 s");
        }

        [TestMethod]
        public void Curtailment_Paused_HoldsAtLeastFiveMinutesThenResumesAfterHysteresisHeld()
        {
            var rig = new CurtailmentRig(CurtailmentRig.DefaultSettings());
            rig.HouseMilliamps = 56 * Amp;
            rig.RunSeconds(10);
            Assert.AreEqual(CurtailmentState.Paused, rig.Controller.State);
            long paused = rig.Log.Times[rig.Log.Find(ChargerEventKind.Curtailment, CurtailmentController.ActionPause, 0)];

            // Headroom back at once: still paused for the 5 min minimum.
            rig.HouseMilliamps = 20 * Amp;
            rig.RunFor(paused + 299000000 - rig.Now);
            Assert.AreEqual(CurtailmentState.Paused, rig.Controller.State);
            rig.RunSeconds(2);
            Assert.AreEqual(CurtailmentState.Following, rig.Controller.State);
            Assert.AreEqual(32 * Amp, rig.Arbiter.LimitMilliamps);
        }

        [TestMethod]
        public void Curtailment_Paused_HeadroomUnder6APlusHysteresis_StaysPaused()
        {
            var rig = new CurtailmentRig(CurtailmentRig.DefaultSettings());
            rig.HouseMilliamps = 56 * Amp;
            rig.RunSeconds(10);

            // 60 − 1 − 52.5 = 6.5 A: above 6 A but under 6 A + 1 A hysteresis.
            rig.HouseMilliamps = 52500;
            rig.RunSeconds(600);
            Assert.AreEqual(CurtailmentState.Paused, rig.Controller.State);

            // 7.5 A, but interrupted before the 60 s hold: the hold starts again.
            rig.HouseMilliamps = 51500;
            rig.RunSeconds(50);
            rig.HouseMilliamps = 53000;
            rig.RunSeconds(1);
            rig.HouseMilliamps = 51500;
            rig.RunSeconds(50);
            Assert.AreEqual(CurtailmentState.Paused, rig.Controller.State);
            rig.RunSeconds(11);
            Assert.AreEqual(CurtailmentState.Following, rig.Controller.State);
            Assert.AreEqual(7500, rig.Controller.ClaimMilliamps);
        }

        // Rows: fault code, then what the rig does (see ApplyFault).
        private static readonly string[] FaultRows = new string[]
        {
            CtHealths.CodeStale, CtHealths.CodeSaturated, CtHealths.CodeDisconnected, CtHealths.CodeImplausible, CtHealths.CodeReversed, CtHealths.CodeStuck,
        };

        private static void ApplyFault(CurtailmentRig rig, string code)
        {
            switch (code)
            {
                case CtHealths.CodeStale:
                    rig.CyclesStopped = true;
                    break;
                case CtHealths.CodeSaturated:
                    rig.HouseMilliamps = 120 * Amp;
                    break;
                case CtHealths.CodeDisconnected:
                    rig.CtStuckMilliamps = 0;
                    break;
                case CtHealths.CodeImplausible:
                    rig.CtStuckMilliamps = 5 * Amp;
                    break;
                case CtHealths.CodeReversed:
                    rig.CtSign = -1;
                    break;
                default:
                    // Stuck: frozen at what flowed, then the EV's own current steps (it stops).
                    rig.CtStuckMilliamps = rig.ImportMilliamps;
                    rig.EvConnected = false;
                    break;
            }
        }

        [TestMethod]
        public void Curtailment_EveryCtFault_RaisesItsCodeAndFallsBackTo6AWithin4Seconds()
        {
            for (int r = 0; r < FaultRows.Length; r++)
            {
                string code = FaultRows[r];
                var rig = new CurtailmentRig(CurtailmentRig.DefaultSettings());
                rig.HouseMilliamps = 10 * Amp;
                rig.EvDelayMicroseconds = 1000000;
                rig.RunSeconds(20);
                Assert.AreEqual(CtHealth.Healthy, rig.Controller.Health, code);
                long at = rig.Now;
                ApplyFault(rig, code);
                rig.RunFor(4000000);
                int fault = rig.Log.Find(ChargerEventKind.Fault, code, at);
                Assert.IsTrue(fault >= 0, "fault " + code);
                Assert.IsTrue(rig.Log.Times[fault] - at <= 3800000, code + " within 3 s (+ a block)");
                Assert.AreEqual(CurtailmentState.Fallback, rig.Controller.State, code);
                if (code == CtHealths.CodeSaturated)
                {
                    // 120 A on a 60 A supply paused at once; the fallback waits for the pause's minimum.
                    Assert.AreEqual(0, rig.Controller.ClaimMilliamps, code);
                    rig.RunSeconds(300);
                }

                Assert.AreEqual(6 * Amp, rig.Controller.ClaimMilliamps, code + ": INDRA's 6 A fallback");
                Assert.AreEqual(CurtailmentController.ReasonCtFault, rig.Arbiter.LimitReason, code);
                Assert.AreEqual(code, CtHealths.FaultCode(rig.Controller.Health));
            }
        }

        [TestMethod]
        public void Curtailment_FallbackSetToPause_CtLost_WithdrawsTheOffer()
        {
            CurtailmentSettings s = CurtailmentRig.DefaultSettings();
            s.FallbackMilliamps = 0;
            var rig = new CurtailmentRig(s);
            rig.HouseMilliamps = 10 * Amp;
            rig.RunSeconds(20);
            rig.CyclesStopped = true;
            rig.RunSeconds(4);
            Assert.AreEqual(0, rig.Arbiter.LimitMilliamps);
            Assert.AreEqual(CtHealth.Stale, rig.Controller.Health);
        }

        [TestMethod]
        public void Curtailment_StaleThenReadingsBack_ClearsFaultAndCurtailsAgain()
        {
            var rig = new CurtailmentRig(CurtailmentRig.DefaultSettings());
            rig.HouseMilliamps = 10 * Amp;
            rig.RunSeconds(20);
            rig.CyclesStopped = true;
            rig.RunSeconds(4);
            long back = rig.Now;
            rig.CyclesStopped = false;
            rig.RunSeconds(1);
            Assert.IsTrue(rig.Log.Find(ChargerEventKind.FaultCleared, CtHealths.CodeStale, back) >= 0);
            Assert.AreEqual(CtHealth.Healthy, rig.Controller.Health);
            rig.RunSeconds(60);
            Assert.AreEqual(32 * Amp, rig.Controller.ClaimMilliamps);
        }

        [TestMethod]
        public void Curtailment_ReversedClampWithGeneration_DetectedAtSessionStartStep()
        {
            // With generation fitted a negative import is normal: only the EV's step tells.
            CurtailmentSettings s = CurtailmentRig.DefaultSettings();
            s.GenerationFitted = true;
            var rig = new CurtailmentRig(s);
            rig.CtSign = -1;
            rig.HouseMilliamps = 10 * Amp;
            rig.EvConnected = false;
            rig.EvDelayMicroseconds = 1000000;
            rig.RunSeconds(10);
            Assert.AreEqual(CtHealth.Healthy, rig.Controller.Health);
            long start = rig.Now;
            rig.EvConnected = true;
            rig.RunSeconds(5);
            int fault = rig.Log.Find(ChargerEventKind.Fault, CtHealths.CodeReversed, start);
            Assert.IsTrue(fault >= 0);
            Assert.AreEqual(6 * Amp, rig.Arbiter.LimitMilliamps);
        }

        [TestMethod]
        public void Curtailment_HealthyClampWithGeneration_SessionStartStepRaisesNoFault()
        {
            CurtailmentSettings s = CurtailmentRig.DefaultSettings();
            s.GenerationFitted = true;
            var rig = new CurtailmentRig(s);
            rig.HouseMilliamps = 5 * Amp;
            rig.SolarMilliamps = 15 * Amp;
            rig.EvConnected = false;
            rig.RunSeconds(10);
            rig.EvConnected = true;
            rig.RunSeconds(30);
            Assert.AreEqual(CtHealth.Healthy, rig.Controller.Health);
            Assert.AreEqual(0, rig.Log.CountOf(ChargerEventKind.Fault, null));
            Assert.AreEqual(-10 * Amp + 32 * Amp, rig.Controller.ImportMilliamps);
        }

        [TestMethod]
        public void Curtailment_ReversedThenRefitted_HealthyStepClearsTheFault()
        {
            CurtailmentSettings s = CurtailmentRig.DefaultSettings();
            s.GenerationFitted = true;
            var rig = new CurtailmentRig(s);
            rig.CtSign = -1;
            rig.HouseMilliamps = 10 * Amp;
            rig.EvDelayMicroseconds = 1000000;
            rig.EvConnected = false;
            rig.RunSeconds(5);
            rig.EvConnected = true;
            rig.RunSeconds(10);
            Assert.AreEqual(CtHealth.Reversed, rig.Controller.Health);
            rig.CtSign = 1;
            rig.RunSeconds(5);
            rig.EvConnected = false;
            rig.RunSeconds(5);
            Assert.AreEqual(CtHealth.Healthy, rig.Controller.Health);
        }

        [TestMethod]
        public void Curtailment_EcoMode_FollowsExportButNeverUnder6A()
        {
            CurtailmentSettings s = CurtailmentRig.DefaultSettings();
            s.GenerationFitted = true;
            s.Mode = SolarMode.Eco;
            var rig = new CurtailmentRig(s);
            rig.HouseMilliamps = 2 * Amp;
            rig.SolarMilliamps = 14 * Amp;
            rig.RunSeconds(60);

            // 12 A of surplus: the EV takes it and the import settles near zero.
            Assert.IsTrue(rig.Controller.ClaimMilliamps >= 11 * Amp && rig.Controller.ClaimMilliamps <= 12 * Amp);
            Assert.AreEqual(CurtailmentController.ReasonSolarEco, rig.Arbiter.LimitReason);

            // A cloud: 3 A of surplus. Eco keeps charging at 6 A, the rest from the grid.
            rig.SolarMilliamps = 5 * Amp;
            rig.RunSeconds(120);
            Assert.AreEqual(6 * Amp, rig.Controller.ClaimMilliamps);
            Assert.AreEqual(CurtailmentState.Following, rig.Controller.State);
        }

        [TestMethod]
        public void Curtailment_EcoPlus_SurplusUnder6A_PausesAfterConfirmation()
        {
            CurtailmentSettings s = CurtailmentRig.DefaultSettings();
            s.GenerationFitted = true;
            s.Mode = SolarMode.EcoPlus;
            var rig = new CurtailmentRig(s);
            rig.HouseMilliamps = 2 * Amp;
            rig.SolarMilliamps = 14 * Amp;
            rig.RunSeconds(60);
            Assert.AreEqual(CurtailmentState.Following, rig.Controller.State);
            rig.SolarMilliamps = 5 * Amp;
            rig.RunSeconds(30);
            Assert.AreEqual(CurtailmentState.Following, rig.Controller.State, "a passing cloud does not pause");
            rig.RunSeconds(40);
            Assert.AreEqual(CurtailmentState.Paused, rig.Controller.State);
            Assert.AreEqual(CurtailmentController.ReasonSolarPaused, rig.Arbiter.LimitReason);
        }

        [TestMethod]
        public void Curtailment_BoostSuspendsEco_ButNeverCurtailment()
        {
            CurtailmentSettings s = CurtailmentRig.DefaultSettings();
            s.GenerationFitted = true;
            s.Mode = SolarMode.EcoPlus;
            var rig = new CurtailmentRig(s);
            rig.HouseMilliamps = 40 * Amp;
            rig.RunSeconds(100);
            Assert.AreEqual(CurtailmentState.Paused, rig.Controller.State);

            // Boost: the surplus no longer limits, the supply still does (60 − 1 − 40 = 19 A).
            rig.Controller.EcoSuspended = true;
            rig.Controller.SetMode(SolarMode.Fast);
            rig.RunSeconds(400);
            Assert.AreEqual(CurtailmentState.Following, rig.Controller.State);
            Assert.AreEqual(19 * Amp, rig.Controller.ClaimMilliamps);
            Assert.AreEqual(CurtailmentController.ReasonCurtailment, rig.Arbiter.LimitReason);
        }

        [TestMethod]
        public void Curtailment_CtNotFitted_MakesNoClaim()
        {
            CurtailmentSettings s = CurtailmentRig.DefaultSettings();
            s.CtFitted = false;
            var rig = new CurtailmentRig(s);
            rig.HouseMilliamps = 80 * Amp;
            rig.RunSeconds(10);
            Assert.IsFalse(rig.Arbiter.IsClaimActive(ClaimSlot.Curtailment));
            Assert.AreEqual(CurtailmentState.Off, rig.Controller.State);
            Assert.AreEqual(CtHealth.NotFitted, rig.Controller.Health);
        }

        [TestMethod]
        public void Curtailment_SettingsOutOfRange_Refused()
        {
            CurtailmentSettings s = CurtailmentRig.DefaultSettings();
            s.FallbackMilliamps = 3000;
            Assert.IsFalse(s.IsValid(), "a fallback between 0 and 6 A cannot be offered");
            s.FallbackMilliamps = 6000;
            s.MarginMilliamps = 70000;
            Assert.IsFalse(s.IsValid());
            s.MarginMilliamps = 1000;
            Assert.IsTrue(s.IsValid());
        }

        [TestMethod]
        public void Curtailment_EveryHealthAndStateAndMode_HasItsName()
        {
            for (int i = 0; i <= (int)CtHealth.Reversed; i++)
            {
                Assert.IsNotNull(CtHealths.Name((CtHealth)i), "health " + i.ToString());
                bool fault = i != (int)CtHealth.NotFitted && i != (int)CtHealth.Healthy;
                Assert.AreEqual(fault, CtHealths.FaultCode((CtHealth)i) != null);
                Assert.AreEqual(fault, CtHealths.Text((CtHealth)i) != null);
            }

            Assert.AreEqual("off", CurtailmentStates.Name(CurtailmentState.Off));
            Assert.AreEqual("fallback", CurtailmentStates.Name(CurtailmentState.Fallback));
            for (int i = 0; i <= (int)SolarMode.EcoPlus; i++)
            {
                SolarMode parsed;
                Assert.IsTrue(SolarModes.TryParse(SolarModes.Name((SolarMode)i), out parsed));
                Assert.AreEqual(i, (int)parsed);
            }

            SolarMode none;
            Assert.IsFalse(SolarModes.TryParse("turbo", out none));
        }

        [TestMethod]
        public void ContactorCycleCounter_CountsClosings()
        {
            var events = new EventBus();
            var counter = new ContactorCycleCounter();
            events.Subscribe(counter);
            events.Publish(ChargerEventKind.Contactor, 0, 0, false, "boot");
            events.Publish(ChargerEventKind.Contactor, 1, 0, true, null);
            events.Publish(ChargerEventKind.Contactor, 2, 0, true, null);
            events.Publish(ChargerEventKind.Contactor, 3, 0, false, null);
            events.Publish(ChargerEventKind.Contactor, 4, 0, true, null);
            Assert.AreEqual(2, counter.Cycles);
        }
    }
}
