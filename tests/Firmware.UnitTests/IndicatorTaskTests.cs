using IndraSmartPro.Board;
using IndraSmartPro.ControlPilot;
using IndraSmartPro.Firmware;
using IndraSmartPro.Pests;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    [TestClass]
    public class IndicatorTaskTests
    {
        [TestMethod]
        public void IndicatorTask_TripLatchedWhileCharging_ShowsFault()
        {
            Assert.IsTrue(IndicatorTask.Choose(true, SessionState.Charging, false, null) == IndicatorState.Fault);
        }

        [TestMethod]
        public void IndicatorTask_SessionFault_ShowsFault()
        {
            Assert.IsTrue(IndicatorTask.Choose(false, SessionState.Fault, false, null) == IndicatorState.Fault);
        }

        [TestMethod]
        public void IndicatorTask_Charging_ShowsCharging()
        {
            Assert.IsTrue(IndicatorTask.Choose(false, SessionState.Charging, false, null) == IndicatorState.Charging);
        }

        [TestMethod]
        public void IndicatorTask_ConnectedAndPaused_ShowsPaused()
        {
            Assert.IsTrue(IndicatorTask.Choose(false, SessionState.Connected, true, null) == IndicatorState.Paused);
            Assert.IsTrue(IndicatorTask.Choose(false, SessionState.Stopping, true, null) == IndicatorState.Paused);
        }

        [TestMethod]
        public void IndicatorTask_OfferingNotPaused_ShowsConnected()
        {
            Assert.IsTrue(IndicatorTask.Choose(false, SessionState.Offering, false, null) == IndicatorState.Connected);
        }

        [TestMethod]
        public void IndicatorTask_IdleDuringBootCheck_ShowsStarting()
        {
            Assert.IsTrue(IndicatorTask.Choose(false, SessionState.Idle, false, PestProtection.BootCheckCode) == IndicatorState.Starting);
        }

        [TestMethod]
        public void IndicatorTask_IdleAfterBootCheck_ShowsIdle()
        {
            Assert.IsTrue(IndicatorTask.Choose(false, SessionState.Idle, false, null) == IndicatorState.Idle);
        }
    }
}
