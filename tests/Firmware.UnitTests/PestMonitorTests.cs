using IndraSmartPro.Metering;
using IndraSmartPro.Pests;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    /// <summary>
    /// The PEST trip rules on a fake stream of 20 ms cycles (docs/faults.md; invariants P1–P9).
    /// Every band edge from both sides: 1 % inside and 1 % outside, and the limit itself.
    /// </summary>
    [TestClass]
    public class PestMonitorTests
    {
        private const int A = (int)PestMode.AWithElectrode;
        private const int AN = (int)PestMode.AWithoutElectrode;
        private const int B = (int)PestMode.B;

        // Cycles of a sustained violation before the band trip: 1.1 s / 20 ms.
        private const int BandTripCycle = 55;

        // Cycles before the fast CPC-TTref trip: 100 ms / 20 ms.
        private const int FastTripCycle = 5;

        [TestMethod]
        [DataRow(false, true, (int)PestMode.AWithElectrode)]
        [DataRow(false, false, (int)PestMode.AWithoutElectrode)]
        [DataRow(true, false, (int)PestMode.B)]
        [DataRow(true, true, (int)PestMode.B)]
        public void PestModes_ToggleAndElectrodeSetting_SelectMode(bool toggleModeB, bool electrodeFitted, int expectedMode)
        {
            Assert.AreEqual(expectedMode, (int)PestModes.Select(toggleModeB, electrodeFitted));
        }

        [TestMethod]
        [DataRow("A-electrode", (int)PestMode.AWithElectrode)]
        [DataRow("A-no-electrode", (int)PestMode.AWithoutElectrode)]
        [DataRow("B", (int)PestMode.B)]
        public void PestModes_Names_RoundTrip(string name, int mode)
        {
            PestMode parsed;
            Assert.IsTrue(PestModes.TryParse(name, out parsed));
            Assert.AreEqual(mode, (int)parsed);
            Assert.AreEqual(name, PestModes.Name((PestMode)mode));
        }

        [TestMethod]
        public void PestModes_UnknownName_NotParsed()
        {
            PestMode parsed;
            Assert.IsFalse(PestModes.TryParse("a", out parsed));
            Assert.IsFalse(PestModes.TryParse("C", out parsed));
        }

        [TestMethod]
        // Mode B, BS 7671 722.411.4.1 (iv): 207–253 V. 1 % either side of each limit, and the limits.
        [DataRow(B, 255530, TripCauses.LineNeutralOutOfRange)]
        [DataRow(B, 250470, TripCauses.None)]
        [DataRow(B, 253000, TripCauses.None)]
        [DataRow(B, 253001, TripCauses.LineNeutralOutOfRange)]
        [DataRow(B, 204930, TripCauses.LineNeutralOutOfRange)]
        [DataRow(B, 209070, TripCauses.None)]
        [DataRow(B, 207000, TripCauses.None)]
        [DataRow(B, 206999, TripCauses.LineNeutralOutOfRange)]
        // Mode A (both), manual: 230 V ±12 % = 202.4–257.6 V.
        [DataRow(A, 260176, TripCauses.LineNeutralOutOfRange)]
        [DataRow(A, 255024, TripCauses.None)]
        [DataRow(A, 257600, TripCauses.None)]
        [DataRow(A, 257601, TripCauses.LineNeutralOutOfRange)]
        [DataRow(A, 200376, TripCauses.LineNeutralOutOfRange)]
        [DataRow(A, 204424, TripCauses.None)]
        [DataRow(A, 202400, TripCauses.None)]
        [DataRow(A, 202399, TripCauses.LineNeutralOutOfRange)]
        [DataRow(AN, 260176, TripCauses.LineNeutralOutOfRange)]
        [DataRow(AN, 255024, TripCauses.None)]
        [DataRow(AN, 200376, TripCauses.LineNeutralOutOfRange)]
        [DataRow(AN, 204424, TripCauses.None)]
        // Mode A is less sensitive than B (manual): 255 V and 205 V pass in A, trip in B.
        [DataRow(A, 255000, TripCauses.None)]
        [DataRow(B, 255000, TripCauses.LineNeutralOutOfRange)]
        [DataRow(A, 205000, TripCauses.None)]
        [DataRow(B, 205000, TripCauses.LineNeutralOutOfRange)]
        public void PestMonitor_SustainedLineNeutral_TripsOutsideBandAt1100ms(int mode, int lineNeutralMillivolts, int expectedCause)
        {
            var monitor = new PestMonitor((PestMode)mode);
            int lineTtRef = mode == A ? 230000 : 0;
            int tripCycle;
            int cause = PestRig.Feed(monitor, PestRig.MakeCycle(lineNeutralMillivolts, lineTtRef, 0), 250, out tripCycle);
            Assert.AreEqual(expectedCause, cause);
            Assert.AreEqual(expectedCause == TripCauses.None ? 0 : BandTripCycle, tripCycle);
        }

        [TestMethod]
        // L-TTref, mode A with electrode: 202.4–257.6 V.
        [DataRow(260176, TripCauses.LineTtRefOutOfRange)]
        [DataRow(255024, TripCauses.None)]
        [DataRow(257600, TripCauses.None)]
        [DataRow(200376, TripCauses.LineTtRefOutOfRange)]
        [DataRow(204424, TripCauses.None)]
        [DataRow(202400, TripCauses.None)]
        // Collapse: the open electrode is named as such (below 50 V) and never passes silently.
        [DataRow(0, TripCauses.ElectrodeOpen)]
        [DataRow(49999, TripCauses.ElectrodeOpen)]
        [DataRow(50000, TripCauses.LineTtRefOutOfRange)]
        public void PestMonitor_SustainedLineTtRefModeAElectrode_TripsOutsideBand(int lineTtRefMillivolts, int expectedCause)
        {
            var monitor = new PestMonitor(PestMode.AWithElectrode);
            int tripCycle;
            int cause = PestRig.Feed(monitor, PestRig.MakeCycle(230000, lineTtRefMillivolts, 0), 250, out tripCycle);
            Assert.AreEqual(expectedCause, cause);
            Assert.AreEqual(expectedCause == TripCauses.None ? 0 : BandTripCycle, tripCycle);
        }

        [TestMethod]
        // Manual's table: "30v RMS" (above trips, 1 s ride-through); BS 7671 (iii) and docs/domain.md, "PEST timing requirements": ≥ 70 V within 0.5 s.
        [DataRow(30300, TripCauses.CpcTtRefOver30V, BandTripCycle)]
        [DataRow(29700, TripCauses.None, 0)]
        [DataRow(30000, TripCauses.None, 0)]
        [DataRow(30001, TripCauses.CpcTtRefOver30V, BandTripCycle)]
        [DataRow(35000, TripCauses.CpcTtRefOver30V, BandTripCycle)]
        [DataRow(15000, TripCauses.None, 0)]
        [DataRow(69300, TripCauses.CpcTtRefOver30V, BandTripCycle)]
        [DataRow(69999, TripCauses.CpcTtRefOver30V, BandTripCycle)]
        [DataRow(70000, TripCauses.CpcTtRefOver70V, FastTripCycle)]
        [DataRow(70700, TripCauses.CpcTtRefOver70V, FastTripCycle)]
        [DataRow(75000, TripCauses.CpcTtRefOver70V, FastTripCycle)]
        [DataRow(230000, TripCauses.CpcTtRefOver70V, FastTripCycle)]
        public void PestMonitor_SustainedCpcTtRefModeAElectrode_TripsByClass(int cpcTtRefMillivolts, int expectedCause, int expectedCycle)
        {
            var monitor = new PestMonitor(PestMode.AWithElectrode);
            int tripCycle;
            int cause = PestRig.Feed(monitor, PestRig.MakeCycle(230000, 230000, cpcTtRefMillivolts), 250, out tripCycle);
            Assert.AreEqual(expectedCause, cause);
            Assert.AreEqual(expectedCycle, tripCycle);
        }

        [TestMethod]
        [DataRow(AN)]
        [DataRow(B)]
        public void PestMonitor_ModesWithoutElectrode_IgnoreLineTtRefAndCpcTtRef(int mode)
        {
            // Manual's table: L-TTref and CPC-TTref faults "not detected" without the electrode.
            var monitor = new PestMonitor((PestMode)mode);
            int tripCycle;
            Assert.AreEqual(TripCauses.None, PestRig.Feed(monitor, PestRig.MakeCycle(230000, 0, 100000), 500, out tripCycle));
            Assert.AreEqual(TripCauses.None, PestRig.Feed(monitor, PestRig.MakeCycle(230000, 300000, 250000), 500, out tripCycle));
        }

        [TestMethod]
        [DataRow(A, 180000, 180000, 2000)]
        [DataRow(A, 280000, 280000, 2000)]
        [DataRow(A, 230000, 230000, 50000)]
        [DataRow(A, 230000, 0, 0)]
        [DataRow(AN, 180000, 0, 0)]
        [DataRow(B, 260000, 0, 0)]
        [DataRow(B, 190000, 0, 0)]
        public void PestMonitor_Excursion900msThenNormal_RidesThrough(int mode, int lineNeutral, int lineTtRef, int cpcTtRef)
        {
            // docs/domain.md, "PEST timing requirements": a band excursion (or CPC-TTref 30–70 V) shorter than 1.0 s never trips.
            var monitor = new PestMonitor((PestMode)mode);
            int normalTtRef = mode == A ? 230000 : 0;
            int tripCycle;
            Assert.AreEqual(TripCauses.None, PestRig.Feed(monitor, PestRig.MakeCycle(lineNeutral, lineTtRef, cpcTtRef), 45, out tripCycle));
            Assert.AreEqual(TripCauses.None, PestRig.Feed(monitor, PestRig.MakeCycle(230000, normalTtRef, 2000), 500, out tripCycle));
        }

        [TestMethod]
        public void PestMonitor_ExcursionCoveringPartialCyclesUnder1s_RidesThrough()
        {
            // A 0.99 s excursion that begins and ends mid-cycle can make 51 cycles (1.02 s) read out
            // of band; even 52 (1.04 s) stay below the 1.1 s limit.
            var monitor = new PestMonitor(PestMode.B);
            int tripCycle;
            Assert.AreEqual(TripCauses.None, PestRig.Feed(monitor, PestRig.MakeCycle(180000, 0, 0), 52, out tripCycle));
        }

        [TestMethod]
        public void PestMonitor_CpcTtRef100VFor40msWithPartialCycles_RidesThrough()
        {
            // docs/domain.md, "PEST timing requirements": a CPC-TTref excursion shorter than 40 ms never trips. It can touch 3 cycles
            // (4 at the 25 ms timeout length); 4 × 20 ms = 80 ms stays below the 100 ms limit.
            var monitor = new PestMonitor(PestMode.AWithElectrode);
            int tripCycle;
            Assert.AreEqual(TripCauses.None, PestRig.Feed(monitor, PestRig.MakeCycle(230000, 230000, 100000), 4, out tripCycle));
            Assert.AreEqual(TripCauses.None, PestRig.Feed(monitor, PestRig.MakeCycle(230000, 230000, 2000), 500, out tripCycle));
        }

        [TestMethod]
        public void PestMonitor_CpcTtRef75VFor900ms_TripsFast()
        {
            // The 30–70 V ride-through does not extend to 70 V and above.
            var monitor = new PestMonitor(PestMode.AWithElectrode);
            int tripCycle;
            Assert.AreEqual(TripCauses.CpcTtRefOver70V, PestRig.Feed(monitor, PestRig.MakeCycle(230000, 230000, 75000), 45, out tripCycle));
            Assert.AreEqual(FastTripCycle, tripCycle);
        }

        [TestMethod]
        public void PestMonitor_FlickeringViolationTwoThirdsOfTheTime_TripsWithin5s()
        {
            // 0.6 s out of band, 0.3 s in, repeated: every excursion is shorter than 1 s, but the
            // fault is there two thirds of the time. Integrator: +0.6, −0.15, +0.6 ... reaches 1.1 s
            // in the third excursion, 2.0 s after the first began (BS 7671 (iv): within 5 s).
            var monitor = new PestMonitor(PestMode.B);
            MainsCycle bad = PestRig.MakeCycle(180000, 0, 0);
            MainsCycle good = PestRig.MakeCycle(230000, 0, 0);
            int cycles = 0;
            int cause = TripCauses.None;
            while (cause == TripCauses.None && cycles < 250)
            {
                for (int i = 0; i < 30 && cause == TripCauses.None; i++)
                {
                    cause = monitor.Evaluate(bad);
                    cycles++;
                }

                for (int i = 0; i < 15 && cause == TripCauses.None; i++)
                {
                    cause = monitor.Evaluate(good);
                    cycles++;
                }
            }

            Assert.AreEqual(TripCauses.LineNeutralOutOfRange, cause);
            Assert.AreEqual(100, cycles);
        }

        [TestMethod]
        public void PestMonitor_RepeatedShortDipsUnderAThirdOfTheTime_NeverTrip()
        {
            // 0.3 s dips every 1.0 s for 60 s: drained (0.7 s × 1/2 = 0.35 s ≥ 0.3 s) before the next.
            var monitor = new PestMonitor(PestMode.AWithElectrode);
            MainsCycle bad = PestRig.MakeCycle(190000, 190000, 2000);
            MainsCycle good = PestRig.MakeCycle(230000, 230000, 2000);
            for (int second = 0; second < 60; second++)
            {
                for (int i = 0; i < 15; i++)
                {
                    Assert.AreEqual(TripCauses.None, monitor.Evaluate(bad));
                }

                for (int i = 0; i < 35; i++)
                {
                    Assert.AreEqual(TripCauses.None, monitor.Evaluate(good));
                }
            }
        }

        [TestMethod]
        public void PestMonitor_TimeoutCyclesWithoutLineLock_StillCountAndAreNotHealthy()
        {
            // L-N gone (no zero crossings): the meter closes 25 ms cycles on its timeout.
            var monitor = new PestMonitor(PestMode.B);
            MainsCycle cycle = PestRig.MakeCycle(0, 0, 0);
            cycle.LineLocked = false;
            cycle.PeriodMicroseconds = 25000;
            int tripCycle;
            Assert.AreEqual(TripCauses.LineNeutralOutOfRange, PestRig.Feed(monitor, cycle, 100, out tripCycle));
            Assert.AreEqual(44, tripCycle);
            Assert.AreEqual(0L, monitor.HealthyMicroseconds);
        }

        [TestMethod]
        public void PestMonitor_OverlongCycle_ClampedSoOneCannotTripAlone()
        {
            var monitor = new PestMonitor(PestMode.AWithElectrode);
            MainsCycle cycle = PestRig.MakeCycle(230000, 230000, 100000);
            cycle.PeriodMicroseconds = 1000000;
            Assert.AreEqual(TripCauses.None, monitor.Evaluate(cycle));
            Assert.AreEqual(PestLimits.MaxCycleMicroseconds, monitor.CpcTtRef70Integrator.SumMicroseconds);
        }

        [TestMethod]
        public void PestMonitor_SeveralCausesTogether_ReportsMostUrgent()
        {
            var monitor = new PestMonitor(PestMode.AWithElectrode);
            int tripCycle;
            // A PEN fault: CPC-TTref 150 V, L-N displaced to 140 V: the fast CPC trip comes first.
            Assert.AreEqual(TripCauses.CpcTtRefOver70V, PestRig.Feed(monitor, PestRig.MakeCycle(140000, 230000, 150000), 100, out tripCycle));
            monitor = new PestMonitor(PestMode.AWithElectrode);
            // Supply lost: L-N and L-TTref collapse together: reported as L-N.
            Assert.AreEqual(TripCauses.LineNeutralOutOfRange, PestRig.Feed(monitor, PestRig.MakeCycle(0, 0, 0), 100, out tripCycle));
        }

        [TestMethod]
        public void PestMonitor_BootCheck_PassesAfter4sHealthyOnly()
        {
            var monitor = new PestMonitor(PestMode.AWithElectrode);
            int tripCycle;
            PestRig.Feed(monitor, PestRig.MakeCycle(230000, 230000, 2000), 199, out tripCycle);
            Assert.IsFalse(monitor.BootChecked);
            PestRig.Feed(monitor, PestRig.MakeCycle(230000, 230000, 2000), 1, out tripCycle);
            Assert.IsTrue(monitor.BootChecked);
        }

        [TestMethod]
        public void PestMonitor_ViolatingCycleDuringBootCheck_RestartsIt()
        {
            var monitor = new PestMonitor(PestMode.AWithElectrode);
            int tripCycle;
            PestRig.Feed(monitor, PestRig.MakeCycle(230000, 230000, 2000), 150, out tripCycle);
            PestRig.Feed(monitor, PestRig.MakeCycle(230000, 230000, 31000), 1, out tripCycle);
            Assert.AreEqual(0L, monitor.HealthyMicroseconds);
            PestRig.Feed(monitor, PestRig.MakeCycle(230000, 230000, 2000), 199, out tripCycle);
            Assert.IsFalse(monitor.BootChecked);
            PestRig.Feed(monitor, PestRig.MakeCycle(230000, 230000, 2000), 1, out tripCycle);
            Assert.IsTrue(monitor.BootChecked);
        }

        [TestMethod]
        public void ViolationIntegrator_HealthyCycles_DrainAtHalfRateNotBelowZero()
        {
            var integrator = new ViolationIntegrator(100000);
            Assert.IsFalse(integrator.Add(true, 20000));
            Assert.IsFalse(integrator.Add(true, 20000));
            Assert.AreEqual(40000, integrator.SumMicroseconds);
            Assert.IsFalse(integrator.Add(false, 20000));
            Assert.AreEqual(30000, integrator.SumMicroseconds);
            for (int i = 0; i < 5; i++)
            {
                integrator.Add(false, 20000);
            }

            Assert.AreEqual(0, integrator.SumMicroseconds);
        }

        [TestMethod]
        public void ViolationIntegrator_ReachingLimit_TripsAndStaysTrippedWhileViolating()
        {
            var integrator = new ViolationIntegrator(60000);
            Assert.IsFalse(integrator.Add(true, 20000));
            Assert.IsFalse(integrator.Add(true, 20000));
            Assert.IsTrue(integrator.Add(true, 20000));
            Assert.IsTrue(integrator.Add(true, 20000));
            Assert.AreEqual(60000, integrator.SumMicroseconds);
            integrator.Clear();
            Assert.AreEqual(0, integrator.SumMicroseconds);
        }

        [TestMethod]
        public void PestMonitor_ChatteringCpcTtRef_TripsOnTheWindowsWithin5s()
        {
            // 100 V for 2 cycles (40 ms), 0 V for 15 (300 ms): each burst drains away cycle by
            // cycle, but the 200 ms and 1 s windows' true RMS stay above 30 V (docs/faults.md).
            var monitor = new PestMonitor(PestMode.AWithElectrode);
            MainsCycle burst = PestRig.MakeCycle(230000, 230000, 100000);
            MainsCycle quiet = PestRig.MakeCycle(230000, 230000, 0);
            int cause = TripCauses.None;
            int cycle = 0;
            while (cause == TripCauses.None && cycle < 250)
            {
                cause = monitor.Evaluate(cycle % 17 < 2 ? burst : quiet);
                cycle++;
            }

            Assert.AreEqual(TripCauses.CpcTtRefOver30V, cause);
            Assert.IsTrue(cycle >= 50, "tripped before 1 s: " + cycle.ToString());
            Assert.IsTrue(cycle <= 250, "not within 5 s");
        }

        [TestMethod]
        [DataRow(69000)]
        [DataRow(50000)]
        public void PestMonitor_SingleCpcTtRefExcursion900ms_RidesThroughTheWindowsToo(int cpcMillivolts)
        {
            // 45 cycles (0.9 s) at up to 69 V, then healthy: the 1 s window's RMS stays above 30 V
            // for up to 1.6 s, inside its 2.1 s limit; the ride-through of an excursion under 1 s holds.
            var monitor = new PestMonitor(PestMode.AWithElectrode);
            int tripCycle;
            Assert.AreEqual(TripCauses.None, PestRig.Feed(monitor, PestRig.MakeCycle(230000, 230000, 0), 100, out tripCycle));
            Assert.AreEqual(TripCauses.None, PestRig.Feed(monitor, PestRig.MakeCycle(230000, 230000, cpcMillivolts), 45, out tripCycle));
            Assert.AreEqual(TripCauses.None, PestRig.Feed(monitor, PestRig.MakeCycle(230000, 230000, 0), 200, out tripCycle));
        }

        [TestMethod]
        public void RmsWindow_HalfTheWindowAt100V_ReadsTheTrueRms()
        {
            // 5 cycles at 100 V and 5 at 0 V in a 200 ms window: √(100² / 2) = 70.71 V.
            var window = new RmsWindow(PestLimits.ShortWindowMicroseconds, PestLimits.WindowCapacityCycles);
            for (int i = 0; i < 20; i++)
            {
                window.Add(i % 10 < 5 ? 100000 : 0, 20000);
            }

            Assert.AreEqual(70710, window.RmsMillivolts());
            Assert.IsTrue(window.Above(70000));
            Assert.IsFalse(window.Above(71000));
        }
    }
}
