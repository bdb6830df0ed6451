using IndraSmartPro.Events;
using IndraSmartPro.Pests;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    /// <summary>Relay weld detection (manual's table; docs/faults.md "relay-welded"; invariant P12).</summary>
    [TestClass]
    public class WeldMonitorTests
    {
        [TestMethod]
        public void WeldMonitor_LoadSideDeadWithin200msOfOpening_NoFault()
        {
            var rig = new PestRig(PestMode.B);
            Assert.IsTrue(rig.StartCharging());
            rig.Relays.OpenContactor(rig.NowMicroseconds, "session-end");
            // Still live for 150 ms (slow release), then dead.
            rig.Board.LoadSideLiveOverride = true;
            rig.RunMicroseconds(180000);
            rig.Board.LoadSideLiveOverride = false;
            rig.RunCycles(50);
            Assert.IsFalse(rig.Protection.Latched);
            Assert.IsTrue(rig.Protection.Weld.LoadSideVerifiedDead);
        }

        [TestMethod]
        public void WeldMonitor_LoadSideLivePast200msAfterOpening_LatchesWeldedAndKeepsEarth()
        {
            var rig = new PestRig(PestMode.B);
            Assert.IsTrue(rig.StartCharging());
            long opened = rig.NowMicroseconds;
            rig.Board.Welded = true;
            rig.Relays.OpenContactor(opened, "session-end");
            rig.RunMicroseconds(200000);
            Assert.IsFalse(rig.Protection.Latched);
            rig.RunMicroseconds(40000);
            Assert.IsTrue(rig.Protection.Latched);
            Assert.AreEqual("relay-welded", rig.Protection.CauseCode);
            int trip = rig.Log.IndexOf(ChargerEventKind.Trip);
            Assert.AreEqual("relay-welded", rig.Log.Codes[trip]);
            long detectedAfter = rig.Log.Times[trip] - opened;
            Assert.IsTrue(detectedAfter >= 200000 && detectedAfter <= 220000, "detected after " + detectedAfter.ToString());
            // A possibly live vehicle keeps its protective earth; the pilot shows state F.
            Assert.IsTrue(rig.Board.Earth);
            Assert.AreEqual(1, rig.Pilot.FaultStates);
            Assert.IsFalse(rig.Relays.TryCloseContactor(rig.NowMicroseconds));
        }

        [TestMethod]
        public void WeldMonitor_LoadSideLiveBeforeFirstClosing_LatchesWeldedAndNeverCloses()
        {
            var rig = new PestRig(PestMode.B);
            rig.Board.Welded = true;
            rig.RunCycles(300);
            Assert.AreEqual("relay-welded", rig.Protection.CauseCode);
            Assert.IsFalse(rig.StartCharging());
        }

        [TestMethod]
        public void WeldMonitor_GlitchSeenOnceOnly_Ignored()
        {
            var rig = new PestRig(PestMode.B);
            rig.RunCycles(10);
            // Live for 9 ms: at most one 10 ms poll sees it.
            rig.Board.LoadSideLiveOverride = true;
            for (int i = 0; i < 9; i++)
            {
                rig.NowMicroseconds += 1000;
                rig.Protection.Run(rig.NowMicroseconds);
            }

            rig.Board.LoadSideLiveOverride = false;
            rig.RunCycles(10);
            Assert.IsFalse(rig.Protection.Latched);
        }

        [TestMethod]
        public void WeldMonitor_DirectPolls_LiveForConfirmTimeLatches()
        {
            // The monitor's own rule, polled every millisecond: live 4 ms is a glitch, 5 ms a weld.
            var rig = new PestRig(PestMode.B);
            var weld = new WeldMonitor(rig.Board, rig.Relays, rig.Protection);
            rig.Board.LoadSideLiveOverride = true;
            for (long t = 1000; t <= 5000; t += 1000)
            {
                weld.Poll(t);
            }

            Assert.IsFalse(rig.Protection.Latched);
            weld.Poll(6000);
            Assert.AreEqual("relay-welded", rig.Protection.CauseCode);
        }

        [TestMethod]
        public void WeldMonitor_ReclosingWithin200msOfOpening_Refused()
        {
            var rig = new PestRig(PestMode.B);
            Assert.IsTrue(rig.StartCharging());
            rig.Relays.OpenContactor(rig.NowMicroseconds, "pause");
            rig.RunMicroseconds(180000);
            Assert.IsFalse(rig.Relays.TryCloseContactor(rig.NowMicroseconds));
            Assert.AreEqual(WeldMonitor.CheckPendingCode, rig.Protection.Weld.BlockingCode);
            rig.RunMicroseconds(40000);
            Assert.IsTrue(rig.Relays.TryCloseContactor(rig.NowMicroseconds));
        }

        [TestMethod]
        public void WeldMonitor_StillWelded_ResetRefused()
        {
            var rig = new PestRig(PestMode.B);
            rig.Board.Welded = true;
            rig.RunCycles(600);
            string refusal;
            Assert.IsFalse(rig.Protection.TryReset(rig.NowMicroseconds, "mqtt", out refusal));
            Assert.AreEqual(PestProtection.RefusalLoadSideLive, refusal);
            rig.Board.Welded = false;
            rig.RunCycles(1);
            Assert.IsTrue(rig.Protection.TryReset(rig.NowMicroseconds, "mqtt", out refusal));
        }
    }
}
