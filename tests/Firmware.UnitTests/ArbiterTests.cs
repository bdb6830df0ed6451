using IndraSmartPro.ControlPilot;
using IndraSmartPro.Events;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    /// <summary>The current arbiter: ratings, ceilings, preferences by priority, Limit events.</summary>
    [TestClass]
    public class ArbiterTests
    {
        private sealed class LimitRecorder : IChargerEventListener
        {
            public int Count;
            public int LastMilliamps;
            public string LastReason;

            public void OnEvent(ChargerEvent e)
            {
                if (e.Kind == ChargerEventKind.Limit)
                {
                    Count++;
                    LastMilliamps = e.Value;
                    LastReason = e.Code;
                }
            }
        }

        private static CurrentArbiter Create(LimitRecorder recorder)
        {
            var events = new EventBus();
            events.Subscribe(recorder);
            return new CurrentArbiter(events, 32000, 32000, 60000);
        }

        [TestMethod]
        public void Arbiter_NoClaims_LimitIsUnitRating()
        {
            var arbiter = Create(new LimitRecorder());
            Assert.AreEqual(32000, arbiter.LimitMilliamps);
            Assert.AreEqual(CurrentArbiter.ReasonUnitRating, arbiter.LimitReason);
        }

        [TestMethod]
        public void Arbiter_CableBelowUnit_CableBinds()
        {
            var arbiter = Create(new LimitRecorder());
            arbiter.SetCableRating(20000, CurrentArbiter.ReasonPlugRating);
            Assert.AreEqual(20000, arbiter.LimitMilliamps);
            Assert.AreEqual(CurrentArbiter.ReasonPlugRating, arbiter.LimitReason);
        }

        [TestMethod]
        public void Arbiter_SupplyRatingBelowUnit_IsNotACeilingOnTheEvButIsExposed()
        {
            // The supply (cut-out) rating limits house import plus the EV together; with no house
            // load known it says nothing about the EV alone. Curtailment turns it into a claim.
            var arbiter = Create(new LimitRecorder());
            arbiter.SetSupplyLimit(25000);
            Assert.AreEqual(32000, arbiter.LimitMilliamps);
            Assert.AreEqual(CurrentArbiter.ReasonUnitRating, arbiter.LimitReason);
            Assert.AreEqual(25000, arbiter.SupplyLimitMilliamps);

            arbiter.SetClaim(ClaimSlot.Curtailment, 25000 - 9000, CurrentArbiter.ReasonSupplyLimit);
            Assert.AreEqual(16000, arbiter.LimitMilliamps);
            Assert.AreEqual(CurrentArbiter.ReasonSupplyLimit, arbiter.LimitReason);
            Assert.IsTrue(arbiter.LimitProtective);
        }

        [TestMethod]
        public void Arbiter_PlatformClaim_LowersLimitAndIsNotProtective()
        {
            var arbiter = Create(new LimitRecorder());
            arbiter.SetClaim(ClaimSlot.Platform, 10000, "platform");
            Assert.AreEqual(10000, arbiter.LimitMilliamps);
            Assert.AreEqual("platform", arbiter.LimitReason);
            Assert.IsFalse(arbiter.LimitProtective);
        }

        [TestMethod]
        public void Arbiter_ManualBoostAbovePlatform_OverridesPlatform()
        {
            var arbiter = Create(new LimitRecorder());
            arbiter.SetClaim(ClaimSlot.Platform, 0, "platform");
            arbiter.SetClaim(ClaimSlot.Manual, 32000, "boost");
            Assert.AreEqual(32000, arbiter.LimitMilliamps);
        }

        [TestMethod]
        public void Arbiter_BoostWithCurtailment_CurtailmentStillCaps()
        {
            var arbiter = Create(new LimitRecorder());
            arbiter.SetClaim(ClaimSlot.Manual, 32000, "boost");
            arbiter.SetClaim(ClaimSlot.Curtailment, 12000, "curtailment");
            Assert.AreEqual(12000, arbiter.LimitMilliamps);
            Assert.AreEqual("curtailment", arbiter.LimitReason);
            Assert.IsTrue(arbiter.LimitProtective);
        }

        [TestMethod]
        public void Arbiter_SafetyAndCurtailmentEqual_SafetyIsTheReason()
        {
            var arbiter = Create(new LimitRecorder());
            arbiter.SetClaim(ClaimSlot.Curtailment, 10000, "curtailment");
            arbiter.SetClaim(ClaimSlot.Safety, 10000, "over-temperature");
            Assert.AreEqual("over-temperature", arbiter.LimitReason);
        }

        [TestMethod]
        public void Arbiter_ScheduleUnderPlatform_PlatformWins()
        {
            var arbiter = Create(new LimitRecorder());
            arbiter.SetClaim(ClaimSlot.Schedule, 0, "schedule");
            arbiter.SetClaim(ClaimSlot.Platform, 16000, "platform");
            Assert.AreEqual(16000, arbiter.LimitMilliamps);
            arbiter.ClearClaim(ClaimSlot.Platform);
            Assert.AreEqual(0, arbiter.LimitMilliamps);
            Assert.AreEqual("schedule", arbiter.LimitReason);
        }

        [TestMethod]
        public void Arbiter_ClearClaim_RestoresRating()
        {
            var arbiter = Create(new LimitRecorder());
            arbiter.SetClaim(ClaimSlot.Safety, 6000, "safety");
            arbiter.ClearClaim(ClaimSlot.Safety);
            Assert.AreEqual(32000, arbiter.LimitMilliamps);
            Assert.IsFalse(arbiter.IsClaimActive(ClaimSlot.Safety));
        }

        [TestMethod]
        public void Arbiter_Update_PublishesOnlyOnChange()
        {
            var recorder = new LimitRecorder();
            var arbiter = Create(recorder);
            Assert.IsTrue(arbiter.Update(0));
            Assert.IsFalse(arbiter.Update(1));
            arbiter.SetClaim(ClaimSlot.Platform, 16000, "platform");
            Assert.IsTrue(arbiter.Update(2));
            Assert.AreEqual(2, recorder.Count);
            Assert.AreEqual(16000, recorder.LastMilliamps);
            Assert.AreEqual("platform", recorder.LastReason);
            arbiter.SetClaim(ClaimSlot.Platform, 16000, "platform");
            Assert.IsFalse(arbiter.Update(3));
        }

        [TestMethod]
        public void Arbiter_EverySlot_HasACeilingOrPreferenceRole()
        {
            int ceilings = 0;
            for (int i = 0; i < ClaimSlots.Count; i++)
            {
                if (ClaimSlots.IsCeiling((ClaimSlot)i))
                {
                    ceilings++;
                }
            }

            // Safety, pause, curtailment.
            Assert.AreEqual(3, ceilings);
            Assert.AreEqual((int)ClaimSlot.Default, ClaimSlots.Count - 1);
        }
    
        [TestMethod]
        public void Arbiter_Pause_StopsWithReasonPausedOverBoostButUnderSafety()
        {
            var recorder = new LimitRecorder();
            var arbiter = Create(recorder);
            arbiter.SetClaim(ClaimSlot.Manual, 20000, "boost");
            arbiter.SetClaim(ClaimSlot.Pause, 0, CurrentArbiter.ReasonPaused);
            Assert.AreEqual(0, arbiter.LimitMilliamps);
            Assert.AreEqual("paused", arbiter.LimitReason);
            Assert.IsTrue(arbiter.Update(0));
            Assert.AreEqual(0, recorder.LastMilliamps);
            Assert.AreEqual("paused", recorder.LastReason);

            arbiter.SetClaim(ClaimSlot.Safety, 0, "over-temperature");
            Assert.AreEqual("over-temperature", arbiter.LimitReason, "safety outranks the pause at the same 0 A");
            arbiter.ClearClaim(ClaimSlot.Safety);
            arbiter.ClearClaim(ClaimSlot.Pause);
            Assert.AreEqual(20000, arbiter.LimitMilliamps);
            Assert.AreEqual("boost", arbiter.LimitReason);
        }

        [TestMethod]
        public void Arbiter_ClaimUntilTime_EndsAtThatTimeNotBefore()
        {
            var recorder = new LimitRecorder();
            var arbiter = Create(recorder);
            arbiter.SetClaimUntil(ClaimSlot.Manual, 10000, "boost", 5000000);
            arbiter.Update(4999999);
            Assert.AreEqual(10000, arbiter.LimitMilliamps);
            Assert.IsTrue(arbiter.IsClaimActive(ClaimSlot.Manual));

            Assert.IsTrue(arbiter.Update(5000000));
            Assert.IsFalse(arbiter.IsClaimActive(ClaimSlot.Manual));
            Assert.AreEqual(32000, arbiter.LimitMilliamps);
            Assert.AreEqual(CurrentArbiter.ReasonUnitRating, recorder.LastReason);
        }

        [TestMethod]
        public void Arbiter_SessionClaim_EndsWithTheSessionOthersStay()
        {
            var arbiter = Create(new LimitRecorder());
            arbiter.SetSessionClaim(ClaimSlot.Manual, 20000, "boost");
            arbiter.SetClaim(ClaimSlot.Schedule, 8000, "schedule");
            Assert.AreEqual("boost", arbiter.LimitReason);

            arbiter.EndSession();
            Assert.IsFalse(arbiter.IsClaimActive(ClaimSlot.Manual));
            Assert.IsNull(arbiter.GetClaimReason(ClaimSlot.Manual));
            Assert.IsTrue(arbiter.IsClaimActive(ClaimSlot.Schedule));
            Assert.AreEqual(8000, arbiter.LimitMilliamps);
            Assert.AreEqual("schedule", arbiter.LimitReason);
        }

        [TestMethod]
        public void Arbiter_ExpiringOrSessionCeilingClaim_RejectedAndCeilingKept()
        {
            // A ceiling that ended by itself would raise the current when it expired.
            var arbiter = Create(new LimitRecorder());
            arbiter.SetClaim(ClaimSlot.Curtailment, 8000, "curtailment");
            Assert.ThrowsException(typeof(System.ArgumentException), () => arbiter.SetClaimUntil(ClaimSlot.Safety, 6000, "x", 1000));
            Assert.ThrowsException(typeof(System.ArgumentException), () => arbiter.SetClaimUntil(ClaimSlot.Pause, 0, "x", 1000));
            Assert.ThrowsException(typeof(System.ArgumentException), () => arbiter.SetClaimUntil(ClaimSlot.Curtailment, 6000, "x", 1000));
            Assert.ThrowsException(typeof(System.ArgumentException), () => arbiter.SetSessionClaim(ClaimSlot.Safety, 6000, "x"));
            Assert.ThrowsException(typeof(System.ArgumentException), () => arbiter.SetSessionClaim(ClaimSlot.Pause, 0, "x"));
            Assert.ThrowsException(typeof(System.ArgumentException), () => arbiter.SetSessionClaim(ClaimSlot.Curtailment, 6000, "x"));
            arbiter.Update(2000);
            arbiter.EndSession();
            Assert.IsTrue(arbiter.IsClaimActive(ClaimSlot.Curtailment));
            Assert.AreEqual(8000, arbiter.LimitMilliamps);
        }
    }
}
