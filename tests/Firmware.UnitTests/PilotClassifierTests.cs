using IndraSmartPro.ControlPilot;
using IndraSmartPro.Metering;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    /// <summary>Pilot state bands (IEC 61851-1 Annex A / SAE J1772), hysteresis, debouncing and the diode check.</summary>
    [TestClass]
    public class PilotClassifierTests
    {
        private static PilotClassifier Settled(int highMillivolts)
        {
            var classifier = new PilotClassifier();
            classifier.Update(highMillivolts, -12000, true);
            classifier.Update(highMillivolts, -12000, true);
            return classifier;
        }

        [TestMethod]
        [DataRow(12600, 0)]
        [DataRow(11400, 0)]
        [DataRow(9560, 1)]
        [DataRow(8980, 1)]
        [DataRow(8360, 1)]
        [DataRow(6490, 2)]
        [DataRow(5990, 2)]
        [DataRow(5480, 2)]
        [DataRow(3250, 3)]
        [DataRow(2620, 3)]
        [DataRow(0, 4)]
        [DataRow(-12000, 5)]
        public void PilotClassifier_J1772BandEdges_ClassifyAsTheirState(int highMillivolts, int expectedState)
        {
            var classifier = Settled(highMillivolts);
            Assert.AreEqual(expectedState, (int)classifier.State);
        }

        [TestMethod]
        public void PilotClassifier_NineVoltsWithPwm_ReturnsStateB()
        {
            var classifier = Settled(8980);
            Assert.AreEqual((int)PilotState.B, (int)classifier.State);
            Assert.IsTrue(classifier.Known);
        }

        [TestMethod]
        public void PilotClassifier_OneWindowOfANewState_DoesNotChangeState()
        {
            var classifier = Settled(8980);
            Assert.IsFalse(classifier.Update(5990, -12000, true));
            Assert.AreEqual((int)PilotState.B, (int)classifier.State);
            Assert.IsTrue(classifier.Update(5990, -12000, true));
            Assert.AreEqual((int)PilotState.C, (int)classifier.State);
        }

        [TestMethod]
        public void PilotClassifier_GlitchBetweenAgreeingWindows_IsIgnored()
        {
            var classifier = Settled(8980);
            classifier.Update(5990, -12000, true);
            classifier.Update(8980, -12000, true);
            classifier.Update(5990, -12000, true);
            Assert.AreEqual((int)PilotState.B, (int)classifier.State);
        }

        [TestMethod]
        public void PilotClassifier_LevelJustPastBoundaryWithinHysteresis_KeepsState()
        {
            // B/C boundary 7.5 V: from B a level of 7.2 V (within 0.4 V) stays B; 7.0 V is C.
            var classifier = Settled(8980);
            Assert.AreEqual((int)PilotState.B, (int)classifier.Classify(7200));
            Assert.AreEqual((int)PilotState.C, (int)classifier.Classify(7000));
            var fromC = Settled(5990);
            Assert.AreEqual((int)PilotState.C, (int)fromC.Classify(7800));
            Assert.AreEqual((int)PilotState.B, (int)fromC.Classify(8000));
        }

        [TestMethod]
        public void PilotClassifier_NegativeLevelHealthy_DiodeVerified()
        {
            var classifier = Settled(8980);
            Assert.IsTrue(classifier.DiodeVerified);
            Assert.IsFalse(classifier.DiodeFault);
        }

        [TestMethod]
        public void PilotClassifier_NegativeLevelMinus9VForTwoPwmWindows_DiodeFault()
        {
            var classifier = Settled(8980);
            classifier.Update(8790, -8790, true);
            Assert.IsFalse(classifier.DiodeFault);
            classifier.Update(8790, -8790, true);
            Assert.IsTrue(classifier.DiodeFault);
            Assert.IsFalse(classifier.DiodeVerified);
        }

        [TestMethod]
        public void PilotClassifier_HighLowLevelWithoutPwm_IsNotADiodeFault()
        {
            // Steady +12 V: there is no negative half to check; the low level equals the high level.
            var classifier = Settled(8980);
            classifier.Update(8980, 8980, false);
            classifier.Update(8980, 8980, false);
            Assert.IsFalse(classifier.DiodeFault);
        }

        [TestMethod]
        public void PilotClassifier_NoVehicle_DiodeNotChecked()
        {
            var classifier = Settled(12000);
            classifier.Update(12000, -5000, true);
            classifier.Update(12000, -5000, true);
            Assert.IsFalse(classifier.DiodeFault);
        }

        [TestMethod]
        public void PilotClassifier_AfterOutputChange_FreshOnlyAfterTwoWindows()
        {
            var classifier = Settled(12000);
            Assert.IsTrue(classifier.Fresh);
            classifier.OutputChanged();
            Assert.IsFalse(classifier.Fresh);
            classifier.Update(12000, 12000, false);
            Assert.IsFalse(classifier.Fresh);
            classifier.Update(12000, 12000, false);
            Assert.IsTrue(classifier.Fresh);
        }

        [TestMethod]
        [DataRow(3035, 12003)]
        [DataRow(1650, 0)]
        [DataRow(265, -12003)]
        public void PilotSampler_PinMillivolts_ConvertToPilotMillivolts(int pin, int expected)
        {
            Assert.AreEqual(expected, PilotSampler.PilotMillivoltsFromPin(pin));
        }

        [TestMethod]
        public void PilotSampler_TenPercentDuty_SeesHighAndLowInOneWindow()
        {
            // The sampler's period of 1037 µs sweeps the 1 ms PWM phase: with 10 % duty (100 µs high)
            // a 32-sample window must still see the high level, from any starting phase.
            for (int start = 0; start < 1000; start += 7)
            {
                var inputs = new PwmInputs(100, start);
                var sampler = new PilotSampler(inputs);
                bool done = false;
                for (int i = 0; i < PilotSampler.WindowSamples; i++)
                {
                    done = sampler.Sample(1, true);
                    inputs.Advance(PilotSampler.SamplePeriodMicroseconds);
                }

                Assert.IsTrue(done);
                Assert.IsTrue(sampler.HighMillivolts > 8000, "high level seen from phase " + start.ToString());
                Assert.IsTrue(sampler.LowMillivolts < -11000, "low level seen from phase " + start.ToString());
            }
        }

        [TestMethod]
        public void PilotSampler_NinetySixPercentDuty_SeesTheShortLowPhase()
        {
            for (int start = 0; start < 1000; start += 7)
            {
                var inputs = new PwmInputs(960, start);
                var sampler = new PilotSampler(inputs);
                for (int i = 0; i < PilotSampler.WindowSamples; i++)
                {
                    sampler.Sample(1, true);
                    inputs.Advance(PilotSampler.SamplePeriodMicroseconds);
                }

                Assert.IsTrue(sampler.LowMillivolts < -11000, "low level seen from phase " + start.ToString());
            }
        }

        [TestMethod]
        public void PilotSampler_OutputChangesMidWindow_WindowRestarts()
        {
            var inputs = new PwmInputs(100, 0);
            var sampler = new PilotSampler(inputs);
            for (int i = 0; i < PilotSampler.WindowSamples - 1; i++)
            {
                Assert.IsFalse(sampler.Sample(1, true));
            }

            Assert.IsFalse(sampler.Sample(2, false));
            for (int i = 0; i < PilotSampler.WindowSamples - 2; i++)
            {
                Assert.IsFalse(sampler.Sample(2, false));
            }

            Assert.IsTrue(sampler.Sample(2, false));
            Assert.IsFalse(sampler.LowValid);
        }

        /// <summary>A pilot line in state B (9 V high, −12 V low) with PWM at a given duty; time advances by hand.</summary>
        private sealed class PwmInputs : IndraSmartPro.Board.IAnalogInputs
        {
            private readonly int _dutyPermille;
            private long _now;

            public PwmInputs(int dutyPermille, long start)
            {
                _dutyPermille = dutyPermille;
                _now = start;
            }

            public void Advance(int microseconds)
            {
                _now += microseconds;
            }

            public int ReadPinMillivolts(IndraSmartPro.Board.AnalogChannel channel)
            {
                bool high = (_now % 1000) < _dutyPermille;
                int pilotMillivolts = high ? 8980 : -12000;
                return FrontEnd.BiasPinMillivolts + (pilotMillivolts * 1000 / FrontEnd.PilotMicrovoltsPerPinMillivolt);
            }
        }
    }
}
