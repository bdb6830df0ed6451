using System;
using System.Linq;
using IndraSmartPro.Board;
using IndraSmartPro.Metering;
using IndraSmartPro.Persistence;
using Xunit;
using Xunit.Abstractions;

namespace IndraSmartPro.HostTests;

/// <summary>
/// The meter's other promises on the virtual board with the realistic ADC model: small CPC-TTref
/// voltages, frequency, collapse to timeout cycles, currents, calibration, bias drift, changes
/// mid-run and scheduler jitter. Worst errors go to the test output (docs/metering.md quotes them).
/// </summary>
public class MeteringChannelTests
{
    private const long Settle = 300_000;
    private readonly ITestOutputHelper _output;

    public MeteringChannelTests(ITestOutputHelper output)
    {
        _output = output;
    }

    private static MeteringRig Rig(ulong seed) => MeteringAccuracyTests.CommissionedRig(seed);

    [Fact]
    public void MainsMeter_CpcTtRefZeroToSeventyVolts_WithinHalfVoltOrOnePercent()
    {
        var rig = Rig(11);

        // Commissioning of the CPC channel's noise floor: no displacement, read, store minus it.
        rig.Mains.DisplacementRmsVolts = 0;
        rig.RunFor(Settle);
        rig.Cycles.Clear();
        rig.RunFor(1_000_000);
        double floorSquared = rig.Cycles.Average(c => (double)c.CpcTtRefMillivolts * c.CpcTtRefMillivolts);
        int floor = (int)Math.Round(Math.Sqrt(floorSquared));
        var cal = rig.Meter.GetCalibration(AnalogChannel.CpcTtRef);
        Assert.True(rig.Meter.TrySetCalibration(AnalogChannel.CpcTtRef, cal.GainPartsPerMillion, -floor));
        _output.WriteLine($"CPC-TTref noise floor {floor} mV");

        double worstVolts = 0;
        string worstCase = string.Empty;
        foreach (double phase in new[] { 0.0, 120.0, 180.0, 250.0 })
        {
            foreach (double volts in new[] { 0.0, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 29.0, 31.0, 50.0, 69.0, 71.0 })
            {
                rig.Mains.DisplacementPhaseDegrees = phase;
                rig.Mains.DisplacementRmsVolts = volts;
                long from = rig.Clock.NowMicroseconds + Settle;
                rig.RunFor(Settle + 300_000);
                foreach (var c in rig.CyclesFrom(from))
                {
                    double errorVolts = (c.CpcTtRefMillivolts / 1000.0) - volts;
                    double allowed = Math.Max(0.5, volts * 0.01);
                    if (Math.Abs(errorVolts) / allowed > Math.Abs(worstVolts))
                    {
                        worstVolts = errorVolts / allowed;
                        worstCase = $"{volts} V at {phase}°: read {c.CpcTtRefMillivolts} mV";
                    }

                    Assert.True(c.LineLocked);
                    Assert.True(Math.Abs(errorVolts) <= allowed, $"{volts} V at {phase}°: read {c.CpcTtRefMillivolts} mV");
                }
            }
        }

        _output.WriteLine($"CPC-TTref worst error {worstVolts * 100:F0} % of the allowance ({worstCase})");
    }

    [Theory]
    [InlineData(49.5)]
    [InlineData(49.9)]
    [InlineData(50.0)]
    [InlineData(50.37)]
    [InlineData(50.5)]
    [InlineData(47.2)]
    [InlineData(52.8)]
    public void MainsMeter_FrequencyWithNoiseAndThd_EveryLockedCycleWithinFiftyMillihertz(double hertz)
    {
        var rig = Rig(21);
        rig.Mains.SetFrequency(hertz, rig.Clock.NowMicroseconds);
        rig.Mains.LineRmsVolts = 207;
        rig.Mains.Harmonic3 = 0.05;
        rig.Mains.Harmonic5 = 0.05;
        rig.Mains.Harmonic7 = 0.035;
        rig.Mains.Harmonic7PhaseDegrees = 90;
        long from = rig.Clock.NowMicroseconds + Settle;
        rig.RunFor(Settle + 2_000_000);

        int expected = (int)Math.Round(hertz * 1000);
        var cycles = rig.CyclesFrom(from).ToList();
        Assert.True(cycles.Count > 90);
        int worst = cycles.Max(c => Math.Abs(c.FrequencyMillihertz - expected));
        _output.WriteLine($"{hertz} Hz: worst frequency error {worst} mHz over {cycles.Count} cycles");
        Assert.All(cycles, c => Assert.True(c.LineLocked));
        Assert.True(worst <= 50, $"worst {worst} mHz");
    }

    [Fact]
    public void MainsMeter_LineNeutralCollapses_TimeoutCyclesUnlockedAboutEveryTwentyMilliseconds()
    {
        var rig = Rig(31);
        rig.RunFor(Settle);
        Assert.True(rig.Cycles.Last().LineLocked);
        long collapseAt = rig.Clock.NowMicroseconds;

        // PEN fault with the neutral at line potential: L-N = L − D collapses, CPC-TTref = D = 230 V.
        rig.Mains.DisplacementRmsVolts = 230;
        rig.RunFor(500_000);

        var after = rig.CyclesFrom(collapseAt + 25_000).ToList();
        Assert.All(after, c => Assert.False(c.LineLocked));
        Assert.All(after, c => Assert.Equal(0, c.FrequencyMillihertz));
        Assert.InRange(after.Count, 22, 25);
        var ends = rig.CyclesFrom(collapseAt - 20_000).Select(c => c.EndMicroseconds).ToList();
        long largestGap = ends.Zip(ends.Skip(1), (a, b) => b - a).Max();
        Assert.True(largestGap <= 23_000, $"largest gap {largestGap} µs");

        // The protection still sees the supply and the displaced earth: L-TTref to ±2 % on a 20 ms
        // window of a 50 Hz signal; CPC-TTref (230 V) clips its 176 V range, reading far above 70 V.
        Assert.All(after, c => Assert.InRange(c.LineTtRefMillivolts, 225_400, 234_600));
        Assert.All(after, c => Assert.InRange(c.CpcTtRefMillivolts, 150_000, 235_000));
        Assert.All(after, c => Assert.InRange(c.LineNeutralMillivolts, 0, 1_000));
    }

    [Fact]
    public void MainsMeter_CurrentsSixToThirtyTwoAmps_WithinOnePercent()
    {
        var rig = Rig(41);
        double worstEv = 0;
        double worstCt = 0;
        double worstCtMean = 0;
        double worstPower = 0;
        foreach (double amps in new[] { 6.0, 8.0, 10.0, 13.0, 16.0, 20.0, 25.0, 32.0 })
        {
            MeteringAccuracyTests.DrawEvAmps(rig, amps);
            rig.Board.HouseLoadAmps = 0;
            long from = rig.Clock.NowMicroseconds + Settle;
            rig.RunFor(Settle + 1_000_000);
            var cycles = rig.CyclesFrom(from).ToList();
            foreach (var c in cycles)
            {
                double ev = (c.EvMilliamps / 1000.0 - amps) / amps;
                double ct = (c.HouseMilliamps / 1000.0 - amps) / amps;
                double power = (c.EvMilliwatts / 1000.0 - (230.0 * amps)) / (230.0 * amps);
                worstEv = Math.Abs(ev) > Math.Abs(worstEv) ? ev : worstEv;
                worstCt = Math.Abs(ct) > Math.Abs(worstCt) ? ct : worstCt;
                worstPower = Math.Abs(power) > Math.Abs(worstPower) ? power : worstPower;
            }

            // The CT's 100 mA/pin mV scale puts 6 A at only 74 LSB rms, so its single-cycle noise
            // is ±1 %; load management uses it over ≥ 1 s. Check its 10-cycle (200 ms) means too.
            for (int i = 0; i + 10 <= cycles.Count; i += 10)
            {
                double mean = cycles.Skip(i).Take(10).Average(c => c.HouseMilliamps) / 1000.0;
                double error = (mean - amps) / amps;
                worstCtMean = Math.Abs(error) > Math.Abs(worstCtMean) ? error : worstCtMean;
            }
        }

        _output.WriteLine($"EV current worst per-cycle {worstEv * 100:F3} %, CT per-cycle {worstCt * 100:F3} %, CT 200 ms mean {worstCtMean * 100:F3} %, EV power per-cycle {worstPower * 100:F3} %");
        Assert.True(Math.Abs(worstEv) <= 0.01, $"EV {worstEv * 100:F3} %");
        Assert.True(Math.Abs(worstCtMean) <= 0.01, $"CT mean {worstCtMean * 100:F3} %");
        Assert.True(Math.Abs(worstPower) <= 0.015, $"EV power {worstPower * 100:F3} %");
    }

    [Theory]
    [InlineData(20.0)]
    [InlineData(-20.0)]
    [InlineData(-6.0)]
    public void MainsMeter_HouseImportAndExport_RealPowerWithItsSign(double houseAmps)
    {
        // A resistive house load in phase with L-N imports (+); a solar export runs in antiphase (−).
        // The house model draws no negative load: an export is generation behind the clamp.
        var rig = Rig(43);
        if (houseAmps >= 0)
        {
            rig.Board.HouseLoadAmps = houseAmps;
        }
        else
        {
            rig.Board.HouseLoadAmps = 0;
            rig.Board.House.SolarAmps = -houseAmps;
        }

        long from = rig.Clock.NowMicroseconds + Settle;
        rig.RunFor(Settle + 1_000_000);
        double expected = 230.0 * houseAmps;
        var cycles = rig.CyclesFrom(from).ToList();
        Assert.NotEmpty(cycles);
        for (int i = 0; i + 10 <= cycles.Count; i += 10)
        {
            double mean = cycles.Skip(i).Take(10).Average(c => c.HouseMilliwatts) / 1000.0;
            Assert.True(Math.Abs(mean - expected) <= Math.Abs(expected) * 0.015, $"house power {mean:F1} W, expected {expected:F1} W");
        }

        Assert.All(cycles, c => Assert.Equal(Math.Sign(houseAmps), Math.Sign(c.HouseMilliwatts)));
    }

    [Fact]
    public void MainsMeter_Uncalibrated_ReadsTheFrontEndGainErrorAndCalibrationRemovesIt()
    {
        var raw = new MeteringRig(51);
        raw.Board.Adc.ApplyTypicalErrors();
        raw.RunFor(Settle + 500_000);
        double rawError = raw.CyclesFrom(Settle).Average(c => c.LineNeutralMillivolts) / 230_000.0 - 1.0;

        var calibrated = Rig(51);
        calibrated.RunFor(Settle + 500_000);
        double calibratedError = calibrated.CyclesFrom(calibrated.Clock.NowMicroseconds - 500_000).Average(c => c.LineNeutralMillivolts) / 230_000.0 - 1.0;

        _output.WriteLine($"L-N mean error uncalibrated {rawError * 100:F2} %, calibrated {calibratedError * 100:F3} %");

        // ADC gain +1.2 % and front-end +0.6 %: (1.012 × 1.006) − 1 = +1.81 %.
        Assert.InRange(rawError, 0.015, 0.021);
        Assert.InRange(calibratedError, -0.002, 0.002);
    }

    [Fact]
    public void MainsMeter_CalibrationSavedAndReloaded_GivesSameReadings()
    {
        var commissioned = Rig(61);
        var store = new MemoryStore();
        commissioned.Meter.SaveCalibration(store);

        var rebooted = new MeteringRig(61);
        rebooted.Board.Adc.ApplyTypicalErrors();
        Assert.Equal(CalibrationRecordStatus.Loaded, rebooted.Meter.LoadCalibration(store));
        for (int i = 0; i < MainsMeter.MeteredChannelCount; i++)
        {
            Assert.Equal(commissioned.Meter.GetCalibration((AnalogChannel)i).GainPartsPerMillion, rebooted.Meter.GetCalibration((AnalogChannel)i).GainPartsPerMillion);
        }

        rebooted.RunFor(Settle + 500_000);
        Assert.All(rebooted.CyclesFrom(Settle), c => Assert.InRange(c.LineNeutralMillivolts, 228_850, 231_150));
    }

    [Fact]
    public void MainsMeter_BiasDriftsFortyMillivolts_RmsStaysWithinHalfPercent()
    {
        var rig = Rig(71);
        rig.RunFor(Settle);

        // 10 mV/s (the model's drift runs from t = 0): far faster than any thermal drift.
        rig.Board.Adc.BiasDriftMillivoltsPerSecond = 10.0;
        long from = rig.Clock.NowMicroseconds;
        rig.RunFor(4_000_000);
        var cycles = rig.CyclesFrom(from).ToList();
        double worst = cycles.Max(c => Math.Abs(c.LineNeutralMillivolts / 230_000.0 - 1.0));
        _output.WriteLine($"bias drift: worst {worst * 100:F3} %, tracked bias now {rig.Meter.GetBiasPinMillivolts(AnalogChannel.LineNeutral)} mV");
        Assert.All(cycles, c => Assert.True(c.LineLocked));
        Assert.True(worst <= 0.005, $"worst {worst * 100:F3} %");

        // The tracker followed: (1650 nominal + 22 bias error + 10 mV/s since t = 0 + 8 ADC offset) × 1.012 ADC gain.
        double expectedBias = (1650 + 22 + (10.0 * rig.Clock.NowMicroseconds / 1e6) + 8) * 1.012;
        Assert.InRange(rig.Meter.GetBiasPinMillivolts(AnalogChannel.LineNeutral), expectedBias - 4, expectedBias + 4);
    }

    [Fact]
    public void MainsMeter_VoltageFrequencyAndThdRampedMidRun_StaysLockedAndWithinHalfPercent()
    {
        var rig = Rig(81);
        rig.RunFor(Settle);
        double worst = 0;
        int count = 0;

        // Each leg is checked before the next ramp replaces the model's ramp state.
        void Check(long from)
        {
            foreach (var c in rig.CyclesFrom(from))
            {
                // Compare with the model's true RMS at the middle of the cycle.
                double expected = rig.Mains.LineTrueRmsVoltsAt(c.EndMicroseconds - (c.PeriodMicroseconds / 2)) * 1000.0;
                double error = (c.LineNeutralMillivolts - expected) / expected;
                worst = Math.Abs(error) > Math.Abs(worst) ? error : worst;
                Assert.True(c.LineLocked, $"unlocked at {c.EndMicroseconds}");
                count++;
            }
        }

        long up = rig.Clock.NowMicroseconds;
        rig.Mains.RampLineRms(253, up, 2_000_000);
        rig.Mains.RampFrequency(50.5, up, 2_000_000);
        rig.Mains.RampHarmonics(0.05, 0.05, 0.035, up, 2_000_000);
        rig.RunFor(2_000_000);
        Check(up);

        long down = rig.Clock.NowMicroseconds;
        rig.Mains.RampLineRms(195, down, 1_000_000);
        rig.Mains.RampFrequency(49.5, down, 1_000_000);
        rig.Mains.RampHarmonics(0.0, 0.08, 0.0, down, 1_000_000);
        rig.RunFor(1_500_000);
        Check(down);

        _output.WriteLine($"ramps: {count} cycles, worst {worst * 100:F3} %");
        Assert.True(count > 170);
        Assert.True(Math.Abs(worst) <= 0.005, $"worst {worst * 100:F3} %");
    }

    [Fact]
    public void MainsMeter_StepsOfVoltageAndFrequency_StayLockedRmsSettlesAtOnceFrequencyInEightCycles()
    {
        var rig = Rig(91);
        rig.RunFor(Settle);
        long step = rig.Clock.NowMicroseconds;

        // An instant 0.4 Hz step is harsher than any grid (inertia limits the rate of change of
        // frequency to about 1 Hz/s): the averaged frequency takes its 8 cycles to follow.
        rig.Mains.LineRmsVolts = 250;
        rig.Mains.SetFrequency(50.4, step);
        rig.RunFor(500_000);

        var cycles = rig.CyclesFrom(step).ToList();
        Assert.All(cycles, c => Assert.True(c.LineLocked));
        Assert.All(cycles.Skip(1), c => Assert.InRange(c.LineNeutralMillivolts, 248_750, 251_250));
        Assert.All(cycles.Skip(9), c => Assert.InRange(c.FrequencyMillihertz, 50_350, 50_450));
    }

    /// <summary>
    /// The protection task runs late by up to the longest run of another task (cooperative
    /// scheduler); the meter weights each step by its actual length. ±0.5 % holds to 600 µs of
    /// lateness (900 µs measured 0.51 %: a 1.9 ms step is too coarse for the 3rd harmonic).
    /// </summary>
    [Theory]
    [InlineData(100)]
    [InlineData(300)]
    [InlineData(600)]
    public void MainsMeter_SchedulerLateness_StaysWithinHalfPercent(int maxLatenessMicroseconds)
    {
        var rig = Rig(101);
        var pattern = new[] { 0, 30, 100, 9, 0, 65, 3, 0, 98, 19, 0, 0, 45 };
        rig.JitterMicroseconds = pattern.Select(p => p * maxLatenessMicroseconds / 100).ToArray();
        rig.Mains.LineRmsVolts = 207;
        rig.Mains.Harmonic3 = 0.08;
        rig.Mains.SetFrequency(49.6, rig.Clock.NowMicroseconds);
        long from = rig.Clock.NowMicroseconds + Settle;
        rig.RunFor(Settle + 2_000_000);

        double expected = rig.Mains.LineTrueRmsVolts * 1000;
        var cycles = rig.CyclesFrom(from).ToList();
        double worst = cycles.Max(c => Math.Abs(c.LineNeutralMillivolts / expected - 1.0));
        _output.WriteLine($"lateness up to {maxLatenessMicroseconds} µs: worst {worst * 100:F3} %, frequency {cycles.Min(c => c.FrequencyMillihertz)}..{cycles.Max(c => c.FrequencyMillihertz)} mHz");
        Assert.All(cycles, c => Assert.True(c.LineLocked));
        Assert.True(worst <= 0.005, $"worst {worst * 100:F3} %");
        Assert.All(cycles, c => Assert.InRange(c.FrequencyMillihertz, 49_550, 49_650));
    }

    /// <summary>
    /// A run longer than two periods makes the scheduler drop a period: the 2 ms step is bridged
    /// by its trapezoid (no gap, still locked), at a cost: the chord misses the curvature of the
    /// missing sample, about 1.4 % of RMS in the affected cycle (docs/metering.md).
    /// </summary>
    [Theory]
    [InlineData(7)]
    [InlineData(20)]
    public void MainsMeter_SkippedSamplingPeriods_BridgedWithinTwoPercent(int skipEvery)
    {
        var rig = Rig(111);
        rig.SkipEvery = skipEvery;
        rig.Mains.LineRmsVolts = 253;
        rig.Mains.Harmonic5 = 0.06;
        rig.Mains.SetFrequency(50.3, rig.Clock.NowMicroseconds);
        long from = rig.Clock.NowMicroseconds + Settle;
        rig.RunFor(Settle + 2_000_000);

        double expected = rig.Mains.LineTrueRmsVolts * 1000;
        var cycles = rig.CyclesFrom(from).ToList();
        double worst = cycles.Max(c => Math.Abs(c.LineNeutralMillivolts / expected - 1.0));
        _output.WriteLine($"one period in {skipEvery} skipped: worst {worst * 100:F3} %");
        Assert.Equal(0, rig.Meter.SampleGaps);
        Assert.All(cycles, c => Assert.True(c.LineLocked));
        Assert.True(worst <= 0.02, $"worst {worst * 100:F3} %");
    }
}
