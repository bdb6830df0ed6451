using System;
using IndraSmartPro.Board;
using IndraSmartPro.Metering;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    [TestClass]
    public class MeteringMainsMeterTests
    {
        /// <summary>
        /// Synthetic front end: every channel is bias + peak × sin(2π f t + phase), rounded to whole
        /// pin millivolts as the binding returns them. Time comes from the test's fake clock.
        /// </summary>
        private sealed class SineInputs : IAnalogInputs
        {
            public readonly int[] BiasMillivolts = new int[] { 1650, 1650, 1650, 1650, 1650 };
            public readonly int[] PeakMillivolts = new int[5];
            public readonly int[] PhaseDegrees = new int[5];
            public int FrequencyMillihertz = 50000;
            public long NowMicroseconds;

            public int ReadPinMillivolts(AnalogChannel channel)
            {
                int i = (int)channel;
                double radians = (2.0 * Math.PI * FrequencyMillihertz * NowMicroseconds / 1e9) + (PhaseDegrees[i] * Math.PI / 180.0);
                return BiasMillivolts[i] + (int)Math.Round(PeakMillivolts[i] * Math.Sin(radians));
            }
        }

        private sealed class CycleLog : IMainsCycleListener
        {
            public int Count;
            public int LockedCount;
            public int UnlockedCount;
            public int MaxUnlockedPeriod;
            public int MinUnlockedPeriod = int.MaxValue;
            public long LastEndMicroseconds;
            public long LargestGapMicroseconds;
            public bool LastLocked;

            public void OnMainsCycle(MainsCycle cycle)
            {
                if (Count > 0 && cycle.EndMicroseconds - LastEndMicroseconds > LargestGapMicroseconds)
                {
                    LargestGapMicroseconds = cycle.EndMicroseconds - LastEndMicroseconds;
                }

                Count++;
                LastEndMicroseconds = cycle.EndMicroseconds;
                LastLocked = cycle.LineLocked;
                if (cycle.LineLocked)
                {
                    LockedCount++;
                }
                else
                {
                    UnlockedCount++;
                    MaxUnlockedPeriod = cycle.PeriodMicroseconds > MaxUnlockedPeriod ? cycle.PeriodMicroseconds : MaxUnlockedPeriod;
                    MinUnlockedPeriod = cycle.PeriodMicroseconds < MinUnlockedPeriod ? cycle.PeriodMicroseconds : MinUnlockedPeriod;
                }
            }

            public void Clear()
            {
                Count = 0;
                LockedCount = 0;
                UnlockedCount = 0;
                MaxUnlockedPeriod = 0;
                MinUnlockedPeriod = int.MaxValue;
                LargestGapMicroseconds = 0;
            }
        }

        // Static: the nanoFramework launcher calls test methods without an instance.
        private static SineInputs _inputs;
        private static MainsMeter _meter;
        private static CycleLog _log;

        /// <summary>Fresh fakes and meter; called by each test ([Setup] runs once per class on nanoFramework).</summary>
        private static void NewRig()
        {
            _inputs = new SineInputs();
            _meter = new MainsMeter(_inputs);
            _log = new CycleLog();
            _meter.Subscribe(_log);

            // 1000 pin mV peak on the voltage channels = 320 V peak = 226 274 mV rms (FrontEnd: 320 000 µV/pin mV).
            _inputs.PeakMillivolts[0] = 1000;
            _inputs.PeakMillivolts[1] = 1000;
        }

        private static void Run(long microseconds)
        {
            long end = _inputs.NowMicroseconds + microseconds;
            while (_inputs.NowMicroseconds < end)
            {
                _inputs.NowMicroseconds += MainsMeter.SamplePeriodMicroseconds;
                _meter.Sample(_inputs.NowMicroseconds);
            }
        }

        private static void AssertWithin(int expected, int actual, int tolerance, string what)
        {
            Assert.IsTrue(actual >= expected - tolerance && actual <= expected + tolerance,
                what + ": expected " + expected.ToString() + " ± " + tolerance.ToString() + ", got " + actual.ToString());
        }

        [TestMethod]
        public void MainsMeter_Sine50Hz_ReportsTrueRmsWithinTenthOfAPercent()
        {
            NewRig();
            _inputs.PhaseDegrees[0] = 7;
            Run(500000);

            MainsCycle c = _meter.LastCycle;
            Assert.IsTrue(c.LineLocked);
            AssertWithin(226274, c.LineNeutralMillivolts, 226, "L-N");
            AssertWithin(226274, c.LineTtRefMillivolts, 226, "L-TTref");
            AssertWithin(0, c.CpcTtRefMillivolts, 400, "CPC-TTref (bias only)");
            Assert.AreEqual(20, c.SampleCount);
        }

        [TestMethod]
        [DataRow(47500)]
        [DataRow(49500)]
        [DataRow(50000)]
        [DataRow(50500)]
        [DataRow(52500)]
        public void MainsMeter_SineAtFrequency_TracksFrequencyWithinTwentyMillihertz(int frequencyMillihertz)
        {
            NewRig();
            _inputs.FrequencyMillihertz = frequencyMillihertz;
            Run(1000000);

            MainsCycle c = _meter.LastCycle;
            Assert.IsTrue(c.LineLocked);
            AssertWithin(frequencyMillihertz, c.FrequencyMillihertz, 20, "frequency");
            AssertWithin(1000000000 / frequencyMillihertz, c.PeriodMicroseconds, 3, "period");
            AssertWithin(226274, c.LineNeutralMillivolts, 340, "L-N");
        }

        [TestMethod]
        public void MainsMeter_SineAtFiftyFiveHertz_IsOutOfRangeAndUnlocked()
        {
            NewRig();
            _inputs.FrequencyMillihertz = 55000;
            Run(500000);

            Assert.IsFalse(_meter.LastCycle.LineLocked);
            Assert.AreEqual(0, _meter.LastCycle.FrequencyMillihertz);
            Assert.AreEqual(0, _log.LockedCount);
        }

        [TestMethod]
        public void MainsMeter_BiasFiftyMillivoltsHigh_RemovesItAndTracksIt()
        {
            NewRig();
            _inputs.BiasMillivolts[0] = 1700;
            _inputs.BiasMillivolts[2] = 1610;
            Run(1000000);

            MainsCycle c = _meter.LastCycle;
            AssertWithin(226274, c.LineNeutralMillivolts, 226, "L-N");
            AssertWithin(0, c.CpcTtRefMillivolts, 400, "CPC-TTref");
            AssertWithin(1700, _meter.GetBiasPinMillivolts(AnalogChannel.LineNeutral), 1, "L-N bias");
            AssertWithin(1610, _meter.GetBiasPinMillivolts(AnalogChannel.CpcTtRef), 1, "CPC bias");
        }

        [TestMethod]
        public void MainsMeter_NoLineNeutral_ClosesUnlockedCyclesEveryTwentyMilliseconds()
        {
            NewRig();
            _inputs.PeakMillivolts[0] = 0;
            Run(1000000);

            Assert.AreEqual(0, _log.LockedCount);
            Assert.IsTrue(_log.UnlockedCount >= 48 && _log.UnlockedCount <= 50, "cycles " + _log.UnlockedCount.ToString());
            AssertWithin(20000, _log.MinUnlockedPeriod, 500, "shortest");
            AssertWithin(20000, _log.MaxUnlockedPeriod, 500, "longest");
            Assert.AreEqual(0, _meter.LastCycle.FrequencyMillihertz);

            // L-TTref is still there and measured over the timeout window.
            AssertWithin(226274, _meter.LastCycle.LineTtRefMillivolts, 2263, "L-TTref");
        }

        [TestMethod]
        public void MainsMeter_LineNeutralCollapsesWhileLocked_NextCycleIsATimeoutWithinTwentyThreeMilliseconds()
        {
            NewRig();
            Run(500000);
            Assert.IsTrue(_log.LastLocked);
            long lastLockedEnd = _log.LastEndMicroseconds;
            _log.Clear();

            _inputs.PeakMillivolts[0] = 0;
            Run(200000);

            Assert.IsFalse(_log.LastLocked);
            Assert.IsTrue(_log.Count >= 9, "cycles " + _log.Count.ToString());
            Assert.IsTrue(_log.LargestGapMicroseconds <= 23000, "gap " + _log.LargestGapMicroseconds.ToString());
            Assert.IsTrue(lastLockedEnd > 0);
        }

        [TestMethod]
        public void MainsMeter_LineNeutralReturns_RelocksWithoutAGapOverThirtyThreeMilliseconds()
        {
            NewRig();
            _inputs.PeakMillivolts[0] = 0;
            Run(300000);
            _log.Clear();

            _inputs.PeakMillivolts[0] = 1000;
            Run(300000);

            Assert.IsTrue(_log.LastLocked);
            Assert.IsTrue(_log.LockedCount >= 12, "locked " + _log.LockedCount.ToString());
            Assert.IsTrue(_log.LargestGapMicroseconds <= 33000, "gap " + _log.LargestGapMicroseconds.ToString());
        }

        [TestMethod]
        public void MainsMeter_GainCalibration_ScalesOnlyItsChannel()
        {
            NewRig();
            Assert.IsTrue(_meter.TrySetCalibration(AnalogChannel.LineNeutral, 1010000, 0));
            Run(500000);

            // 226 274 × 1.01 = 228 537.
            AssertWithin(228537, _meter.LastCycle.LineNeutralMillivolts, 229, "calibrated L-N");
            AssertWithin(226274, _meter.LastCycle.LineTtRefMillivolts, 226, "uncalibrated L-TTref");
        }

        [TestMethod]
        public void MainsMeter_OffsetCalibration_AppliesInQuadrature()
        {
            NewRig();

            // CPC-TTref sits exactly on the bias (RMS 0): +500 reads 500. L-N: √(226 274² − 500²) = 226 273.
            Assert.IsTrue(_meter.TrySetCalibration(AnalogChannel.CpcTtRef, 1000000, 500));
            Assert.IsTrue(_meter.TrySetCalibration(AnalogChannel.LineNeutral, 1000000, -500));
            Run(500000);

            AssertWithin(500, _meter.LastCycle.CpcTtRefMillivolts, 1, "CPC-TTref");
            AssertWithin(226274, _meter.LastCycle.LineNeutralMillivolts, 226, "L-N");
        }

        [TestMethod]
        public void MainsMeter_NegativeOffsetLargerThanSignal_ReadsZero()
        {
            NewRig();
            _inputs.PeakMillivolts[2] = 2; // 2 pin mV peak = 236 mV rms at 166.667 line mV per pin mV
            Assert.IsTrue(_meter.TrySetCalibration(AnalogChannel.CpcTtRef, 1000000, -1000));
            Run(300000);

            Assert.AreEqual(0, _meter.LastCycle.CpcTtRefMillivolts);
        }

        [TestMethod]
        [DataRow(0, 2560000)]
        [DataRow(60, 1280000)]
        [DataRow(90, 0)]
        [DataRow(180, -2560000)]
        public void MainsMeter_EvCurrentAtPhase_ReportsRealPowerAsMeanOfVTimesI(int phaseDegrees, int expectedMilliwatts)
        {
            NewRig();
            // EV: 400 pin mV peak × 40 mA/pin mV = 16 A peak = 11.314 A rms; L-N 226.274 V rms.
            // P = V × I × cos φ = 2560.0 W × cos φ.
            _inputs.PeakMillivolts[4] = 400;
            _inputs.PhaseDegrees[4] = phaseDegrees;
            Run(500000);

            MainsCycle c = _meter.LastCycle;
            AssertWithin(11314, c.EvMilliamps, 23, "EV current");
            AssertWithin(expectedMilliwatts, c.EvMilliwatts, 6000, "EV power");
        }

        [TestMethod]
        public void MainsMeter_CtChannel_ScaledAtOneHundredMilliampsPerPinMillivolt()
        {
            NewRig();
            // 282.8 pin mV peak = 200 pin mV rms = 20 A rms.
            _inputs.PeakMillivolts[3] = 283;
            Run(500000);

            AssertWithin(20011, _meter.LastCycle.HouseMilliamps, 40, "house current");
        }

        [TestMethod]
        public void MainsMeter_EveryThirdSample600MicrosecondsLate_StillWithinThreeTenthsOfAPercent()
        {
            NewRig();
            _inputs.PhaseDegrees[0] = 40;
            long grid = 0;
            for (int k = 0; k < 500; k++)
            {
                grid += MainsMeter.SamplePeriodMicroseconds;
                _inputs.NowMicroseconds = grid + (k % 3 == 0 ? 600 : 0);
                _meter.Sample(_inputs.NowMicroseconds);
            }

            // Each step is weighted by its actual length (1600, 400, 1000 µs); what remains is the
            // trapezoid's chord error over the 1.6 ms steps (−0.19 %).
            MainsCycle c = _meter.LastCycle;
            Assert.IsTrue(c.LineLocked);
            AssertWithin(226274, c.LineNeutralMillivolts, 679, "L-N");
            AssertWithin(50000, c.FrequencyMillihertz, 20, "frequency");
            Assert.AreEqual(0, _meter.SampleGaps);
        }

        [TestMethod]
        public void MainsMeter_SamplingGap_RestartsTheCycleAndCountsIt()
        {
            NewRig();
            Run(200000);
            int before = _log.Count;
            _inputs.NowMicroseconds += 10000;
            Run(200000);

            Assert.AreEqual(1, _meter.SampleGaps);
            Assert.IsTrue(_log.Count > before);
            Assert.IsTrue(_meter.LastCycle.LineLocked);
        }

        [TestMethod]
        public void MainsMeter_CyclesAreNumberedFromOne()
        {
            NewRig();
            Run(100000);
            Assert.AreEqual(_log.Count, _meter.LastCycle.Sequence);
        }

        [TestMethod]
        public void MainsMeter_FifthListener_Throws()
        {
            NewRig();
            _meter.Subscribe(new CycleLog());
            _meter.Subscribe(new CycleLog());
            _meter.Subscribe(new CycleLog());
            Assert.ThrowsException(typeof(InvalidOperationException), () => _meter.Subscribe(new CycleLog()));
        }
    }
}
