using IndraSmartPro.ControlPilot;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    /// <summary>IEC 61851-1 Table A.8 (SAE J1772) rows at their edges: current → duty and back.</summary>
    [TestClass]
    public class PilotDutyTests
    {
        [TestMethod]
        [DataRow(0, 1000)]
        [DataRow(5999, 1000)]
        [DataRow(6000, 100)]
        [DataRow(6059, 100)]
        [DataRow(6060, 101)]
        [DataRow(10000, 166)]
        [DataRow(13000, 216)]
        [DataRow(16000, 266)]
        [DataRow(20000, 333)]
        [DataRow(32000, 533)]
        [DataRow(50999, 849)]
        [DataRow(51000, 850)]
        [DataRow(51001, 850)]
        [DataRow(52500, 850)]
        [DataRow(52750, 851)]
        [DataRow(63000, 892)]
        [DataRow(79999, 959)]
        [DataRow(80000, 960)]
        [DataRow(100000, 960)]
        public void PilotDuty_FromMilliamps_MatchesTableA8(int milliamps, int expectedPermille)
        {
            Assert.AreEqual(expectedPermille, PilotDuty.FromMilliamps(milliamps));
        }

        [TestMethod]
        [DataRow(0, 0)]
        [DataRow(50, 0)]
        [DataRow(99, 0)]
        [DataRow(100, 6000)]
        [DataRow(533, 31980)]
        [DataRow(850, 51000)]
        [DataRow(851, 52750)]
        [DataRow(960, 80000)]
        [DataRow(961, 0)]
        [DataRow(1000, 0)]
        public void PilotDuty_ToMilliamps_MatchesTableA8(int permille, int expectedMilliamps)
        {
            Assert.AreEqual(expectedMilliamps, PilotDuty.ToMilliamps(permille));
        }

        [TestMethod]
        public void PilotDuty_EveryCurrentFrom6To80A_NeverOffersMoreThanTheLimit()
        {
            for (int milliamps = 6000; milliamps <= 80000; milliamps += 10)
            {
                int offered = PilotDuty.ToMilliamps(PilotDuty.FromMilliamps(milliamps));
                Assert.IsTrue(offered <= milliamps, "offered " + offered.ToString() + " mA for a limit of " + milliamps.ToString());
                Assert.IsTrue(offered >= 6000, "a limit of 6 A or more offers at least 6 A");
            }
        }

        [TestMethod]
        public void PilotDuty_FivePercent_IsNeverProduced()
        {
            for (int milliamps = 0; milliamps <= 90000; milliamps += 50)
            {
                int permille = PilotDuty.FromMilliamps(milliamps);
                Assert.IsTrue(permille == PilotDuty.SteadyPositivePermille || (permille >= 100 && permille <= 960), "duty " + permille.ToString());
            }
        }
    }
}
