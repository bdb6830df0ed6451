using IndraSmartPro.ControlPilot;
using IndraSmartPro.Events;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    /// <summary>Type 2 socket: the plug's proximity resistor bands and the socket lock.</summary>
    [TestClass]
    public class ProximityTests
    {
        [TestMethod]
        [DataRow(74, 0)]
        [DataRow(75, 63000)]
        [DataRow(100, 63000)]
        [DataRow(149, 63000)]
        [DataRow(150, 32000)]
        [DataRow(220, 32000)]
        [DataRow(329, 32000)]
        [DataRow(330, 20000)]
        [DataRow(680, 20000)]
        [DataRow(999, 20000)]
        [DataRow(1000, 13000)]
        [DataRow(1500, 13000)]
        [DataRow(2200, 13000)]
        [DataRow(2201, 0)]
        [DataRow(0, 0)]
        [DataRow(int.MaxValue, 0)]
        public void Proximity_ResistorBands_GiveCableRating(int ohms, int expectedMilliamps)
        {
            Assert.AreEqual(expectedMilliamps, ProximityPilot.RatingMilliamps(ohms));
        }

        [TestMethod]
        [DataRow(100)]
        [DataRow(220)]
        [DataRow(680)]
        [DataRow(1500)]
        public void Proximity_NominalResistors_ReadBackFromTheDivider(int ohms)
        {
            int pin = 3300 * ohms / (ohms + 1000);
            int read = ProximityPilot.OhmsFromPinMillivolts(pin);
            Assert.IsTrue(read >= ohms - (ohms / 100) - 2 && read <= ohms + (ohms / 100) + 2, "read " + read.ToString());
        }

        [TestMethod]
        public void Proximity_OpenDivider_ReadsOpen()
        {
            Assert.AreEqual(ProximityPilot.OpenOhms, ProximityPilot.OhmsFromPinMillivolts(3300));
            Assert.AreEqual(0, ProximityPilot.RatingMilliamps(ProximityPilot.OhmsFromPinMillivolts(3300)));
        }

        [TestMethod]
        [DataRow(1500, 216)]
        [DataRow(680, 333)]
        [DataRow(220, 533)]
        [DataRow(100, 533)]
        public void Socket_PlugRating_LimitsTheOffer(int ohms, int expectedPermille)
        {
            var h = new PilotHarness(true, 0);
            h.Board.ProximityOhms = ohms;
            h.StartCharging();
            Assert.AreEqual(expectedPermille, h.Board.DutyPermille);
        }

        [TestMethod]
        public void Socket_NoPlugResistor_NoChargingWithAReason()
        {
            var h = new PilotHarness(true, 0);
            h.Board.Vehicle = PilotState.C;
            Assert.AreEqual(-1L, h.RunUntilContactor(true, 3000000));
            Assert.AreEqual(1000, h.Board.DutyPermille);
            Assert.AreEqual(1, h.Log.CountOf(ChargerEventKind.Notice, ChargingSession.ReasonPlugInvalid));
        }

        [TestMethod]
        public void Socket_Charging_LockedBeforeCurrentIsOffered()
        {
            var h = new PilotHarness(true, 0);
            h.Board.ProximityOhms = 220;
            h.Board.Vehicle = PilotState.B;
            for (int i = 0; i < 200; i++)
            {
                h.Run(1037);
                if (h.Board.DutyPermille > 0 && h.Board.DutyPermille < 1000)
                {
                    Assert.IsTrue(h.Board.LockDrive && h.Board.ReadLocked(), "PWM only with the lock confirmed");
                }
            }

            Assert.AreEqual(533, h.Board.DutyPermille);
            Assert.AreEqual((int)SocketLockStatus.Locked, (int)h.Session.SocketLock.Status);
        }

        [TestMethod]
        public void Socket_PowerRefused_CableNotLockedUntilAnOfferIsPossible()
        {
            var h = new PilotHarness(true, 0);
            h.Board.ProximityOhms = 220;
            h.Interlock.Earth = false;
            h.Board.Vehicle = PilotState.B;
            h.Run(2000000);
            Assert.IsFalse(h.Board.LockDrive, "nothing can be offered: the cable stays free");
            h.Interlock.Earth = true;
            h.Run(300000);
            Assert.IsTrue(h.Board.LockDrive);
            Assert.AreEqual(533, h.Board.DutyPermille);
        }

        [TestMethod]
        public void Socket_LockFeedbackMissing_NoChargingFaultLatchedUntilUnplug()
        {
            var h = new PilotHarness(true, 0);
            h.Board.ProximityOhms = 220;
            h.Board.LockWorks = false;
            h.Board.Vehicle = PilotState.C;
            Assert.AreEqual(-1L, h.RunUntilContactor(true, 5000000));
            Assert.AreEqual(1000, h.Board.DutyPermille);
            Assert.AreEqual(1, h.Log.CountOf(ChargerEventKind.Fault, ChargingSession.ReasonLockFailed));
            long failed = h.Log.First(ChargerEventKind.Fault, 0, ChargingSession.ReasonLockFailed);
            Assert.IsTrue(failed > 0 && failed <= SocketLock.DefaultTimeoutMicroseconds + 500000, "within the lock bound");
            Assert.IsFalse(h.Board.LockDrive, "a failed lock is released (no current flows)");
            h.Board.LockWorks = true;
            h.Run(2000000);
            Assert.IsFalse(h.Board.Contactor, "latched until the plug is removed");
            h.Board.Vehicle = PilotState.A;
            h.Board.ProximityOhms = -1;
            h.Run(300000);
            h.Board.ProximityOhms = 220;
            h.Board.Vehicle = PilotState.C;
            Assert.IsTrue(h.RunUntilContactor(true, 3000000) > 0, "a new plug-in charges");
        }

        [TestMethod]
        public void Socket_LockLostWhileCharging_StopsWithoutOpeningUnderLoad()
        {
            var h = new PilotHarness(true, 0);
            h.Board.ProximityOhms = 220;
            h.StartCharging();
            h.Board.LockWorks = false;
            h.Run(100000);
            Assert.AreEqual(1000, h.Board.DutyPermille, "PWM withdrawn");
            Assert.IsTrue(h.Board.Contactor);
            Assert.IsTrue(h.Board.LockDrive, "not unlocked while current flows");
            h.Board.Vehicle = PilotState.B;
            Assert.IsTrue(h.RunUntilContactor(false, 100000) > 0);
            Assert.IsFalse(h.Board.ContactorOpenedWhileDrawing);
            Assert.AreEqual(1, h.Log.CountOf(ChargerEventKind.Fault, ChargingSession.ReasonLockFailed));
        }

        [TestMethod]
        public void Socket_Unplugged_UnlocksOnlyWhenNoCurrentFlows()
        {
            var h = new PilotHarness(true, 0);
            h.Board.ProximityOhms = 220;
            h.StartCharging();
            h.Run(1000000);
            // The vehicle disappears while still drawing (the session must open first, then unlock).
            h.Board.Vehicle = PilotState.A;
            h.VehicleDrawsWhenCharging = true;
            for (int i = 0; i < 300; i++)
            {
                h.Run(1037);
                if (!h.Board.LockDrive)
                {
                    Assert.IsFalse(h.Board.Contactor);
                    Assert.IsTrue(h.Energy.EvMilliamps < ChargingSession.UnlockBelowMilliamps);
                }
            }

            Assert.IsFalse(h.Board.LockDrive, "unlocked once no current flows");
        }

        [TestMethod]
        public void Socket_PlugPulledWhileCharging_OpensAtOnce()
        {
            var h = new PilotHarness(true, 0);
            h.Board.ProximityOhms = 220;
            h.StartCharging();
            h.Board.ProximityOhms = -1;
            long pulled = h.Now;
            long opened = h.RunUntilContactor(false, 200000);
            Assert.IsTrue(opened > 0 && opened - pulled <= 100000);
        }
    }
}
