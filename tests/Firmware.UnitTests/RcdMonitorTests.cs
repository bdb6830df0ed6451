using IndraSmartPro.Events;
using IndraSmartPro.Pests;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    /// <summary>The 6 mA DC RDC-DD module: trip, latch and self-test (docs/faults.md; invariants P13, P14).</summary>
    [TestClass]
    public class RcdMonitorTests
    {
        [TestMethod]
        public void RdcDd_SelfTestAtBoot_PassesBeforeContactorMayClose()
        {
            var rig = new PestRig(PestMode.B);
            Assert.IsFalse(rig.Protection.RdcDd.PermitsContactor);
            rig.RunCycles(1);
            Assert.AreEqual(1, rig.Board.RcdTestStarts);
            Assert.IsTrue(rig.Protection.RdcDd.Passed);
            Assert.IsFalse(rig.Board.RcdTest);
            Assert.IsTrue(rig.Protection.RdcDd.PermitsContactor);
            Assert.IsFalse(rig.Protection.Latched, "the fault output during the test is expected, not a trip");
        }

        [TestMethod]
        public void RdcDd_FaultWhileCharging_OpensContactorInTheSameRunAndLatches()
        {
            var rig = new PestRig(PestMode.AWithElectrode);
            Assert.IsTrue(rig.StartCharging());
            rig.Board.RcdFault = true;
            rig.NowMicroseconds += 1000;
            rig.Protection.Run(rig.NowMicroseconds);
            Assert.IsFalse(rig.Board.Contactor);
            Assert.IsTrue(rig.Board.Earth, "the vehicle stays earthed with a residual current");
            Assert.AreEqual(1, rig.Pilot.FaultStates);
            Assert.AreEqual("rdc-dd", rig.Protection.CauseCode);
            Assert.AreEqual("rdc-dd", rig.Log.Codes[rig.Log.IndexOf(ChargerEventKind.Trip)]);
        }

        [TestMethod]
        public void RdcDd_FaultGone_StaysLatchedUntilReset()
        {
            var rig = new PestRig(PestMode.B);
            Assert.IsTrue(rig.StartCharging());
            rig.Board.RcdFault = true;
            rig.RunCycles(1);
            rig.Board.RcdFault = false;
            rig.RunCycles(100);
            Assert.IsTrue(rig.Protection.Latched);
            Assert.IsFalse(rig.StartCharging());
        }

        [TestMethod]
        public void RdcDd_FaultStillPresent_ResetRefused()
        {
            var rig = new PestRig(PestMode.B);
            rig.RunCycles(10);
            rig.Board.RcdFault = true;
            rig.RunCycles(600);
            string refusal;
            Assert.IsFalse(rig.Protection.TryReset(rig.NowMicroseconds, "mqtt", out refusal));
            Assert.AreEqual(PestProtection.RefusalRdcDdFault, refusal);
            rig.Board.RcdFault = false;
            rig.RunCycles(1);
            Assert.IsTrue(rig.Protection.TryReset(rig.NowMicroseconds, "mqtt", out refusal));
            Assert.IsTrue(rig.StartCharging(), "a fresh self-test passes after the reset");
        }

        [TestMethod]
        public void RdcDd_DeadModule_SelfTestFailsAt500msAndBlocks()
        {
            var rig = new PestRig(PestMode.B);
            rig.Board.RcdHealthy = false;
            rig.RunMicroseconds(480000);
            Assert.IsFalse(rig.Protection.Latched);
            Assert.IsTrue(rig.Board.RcdTest);
            rig.RunMicroseconds(40000);
            Assert.AreEqual("rdc-dd-selftest-failed", rig.Protection.CauseCode);
            Assert.IsFalse(rig.Board.RcdTest);
            rig.RunCycles(300);
            Assert.AreEqual(1, rig.Board.RcdTestStarts, "not retried until a reset");
            Assert.IsFalse(rig.StartCharging());
        }

        [TestMethod]
        public void RdcDd_FaultOutputStuckAfterTest_SelfTestFails()
        {
            var rig = new PestRig(PestMode.B);
            rig.RunCycles(1);
            Assert.IsTrue(rig.Protection.RdcDd.Passed);
            // Next test (after an opening) finds the output never falls once the test is released.
            Assert.IsTrue(rig.StartCharging());
            rig.Relays.OpenContactor(rig.NowMicroseconds, "session-end");
            rig.Board.RcdHealthy = true;
            rig.NowMicroseconds += 1000;
            rig.Protection.Run(rig.NowMicroseconds);
            Assert.IsTrue(rig.Board.RcdTest);
            rig.Board.RcdStuckHigh = true;
            rig.RunMicroseconds(600000);
            Assert.AreEqual("rdc-dd-selftest-failed", rig.Protection.CauseCode);
        }

        [TestMethod]
        public void RdcDd_EveryContactorOpening_StartsANewSelfTestBeforeReclosing()
        {
            var rig = new PestRig(PestMode.B);
            Assert.IsTrue(rig.StartCharging());
            Assert.AreEqual(1, rig.Board.RcdTestStarts);
            rig.RunCycles(50);
            Assert.AreEqual(1, rig.Board.RcdTestStarts, "never tested while closed");
            rig.Relays.OpenContactor(rig.NowMicroseconds, "session-end");
            Assert.IsFalse(rig.Protection.RdcDd.PermitsContactor, "the opening itself makes a test due");
            rig.RunCycles(20);
            Assert.AreEqual(2, rig.Board.RcdTestStarts);
            Assert.IsTrue(rig.StartCharging());
        }

        [TestMethod]
        public void RdcDd_Idle24h_TestsAgain()
        {
            var rig = new PestRig(PestMode.B);
            rig.RunCycles(1);
            Assert.AreEqual(1, rig.Board.RcdTestStarts);
            long lastPass = rig.Protection.RdcDd.LastPassMicroseconds;
            // Jump the clock to just before 24 h after the pass, then across it.
            rig.JumpTo(lastPass + PestLimits.RdcDdTestIntervalMicroseconds - 40000);
            rig.RunCycles(1);
            Assert.AreEqual(1, rig.Board.RcdTestStarts);
            rig.RunCycles(2);
            Assert.AreEqual(2, rig.Board.RcdTestStarts);
        }

        [TestMethod]
        public void RdcDd_24hPassMidSession_DoesNotOpenButTestsAtNextOpening()
        {
            var rig = new PestRig(PestMode.B);
            Assert.IsTrue(rig.StartCharging());
            rig.JumpTo(rig.NowMicroseconds + PestLimits.RdcDdTestIntervalMicroseconds + 1000000);
            rig.RunCycles(10);
            Assert.IsTrue(rig.Board.Contactor);
            Assert.AreEqual(1, rig.Board.RcdTestStarts);
            rig.Relays.OpenContactor(rig.NowMicroseconds, "session-end");
            rig.RunCycles(2);
            Assert.AreEqual(2, rig.Board.RcdTestStarts);
        }
    }
}
