using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;

namespace IndraSmartPro.Simulator.Replay;

/// <summary>
/// The example waveforms in tests/Waveforms and their expected outcomes, generated here so the
/// corpus needs only the .NET SDK: <c>dotnet run --project src/Firmware.Simulator -- waveform
/// [--out DIR]</c>. Each scenario is a supply described piecewise (line RMS, PEN displacement,
/// harmonics, electrode) and sampled into a CSV; <c>expected.csv</c> lists per file the PEST mode,
/// the expected trip cause ("none" for ride-through and normal supplies), when the disturbance
/// begins and the latest acceptable trip time after it. Deterministic: the same bytes every run.
/// </summary>
public static class WaveformCorpus
{
    /// <summary>Usage line for the simulator's help.</summary>
    public const string Usage = "       Firmware.Simulator waveform [--out DIR]   (writes the replay corpus, default tests/Waveforms)";

    /// <summary>Name of the expected-outcomes file in the corpus folder.</summary>
    public const string ExpectedFile = "expected.csv";

    /// <summary>Latest acceptable band trip after onset, s: 1.1 s persistence + first partial cycle + metering (docs/faults.md).</summary>
    public const double BandMaxSeconds = 1.25;

    /// <summary>Latest acceptable CPC-TTref ≥ 70 V trip after onset, s: 100 ms persistence + partial cycle + metering; the product requirement allows 0.5 s (docs/domain.md, "PEST timing requirements").</summary>
    public const double FastMaxSeconds = 0.2;

    /// <summary>The supply between two file times.</summary>
    public sealed record Segment(double FromSeconds, double LineVolts = 230.0, double DisplacementVolts = 0.0, double DisplacementDegrees = 90.0,
        bool Electrode = true, double LineTtRefScale = 1.0, double Harmonic3 = 0.0, double Harmonic5 = 0.0, double Harmonic7 = 0.0,
        double DisplacementDcVolts = 0.0, bool HarmonicRich = false);

    /// <summary>
    /// The harmonic-rich supply (<see cref="Segment.HarmonicRich"/>): every order EN 50160 gives a
    /// limit for, up to the 25th (2nd 2 %, 3rd 5 %, 4th 1 %, 5th 6 %, 6th..24th even 0.5 %, 7th 5 %,
    /// 9th 1.5 %, 11th 3.5 %, 13th 3 %, 15th 0.5 %, 17th 2 %, 19th 1.5 %, 21st 0.5 %, 23rd and 25th
    /// 1.5 %), scaled by 0.707 so their THD is EN 50160's 8 %, plus 0.3 % at every odd and 0.2 % at
    /// every even order from the 26th to the 40th. Index = order; phases n × 37° so they do not all
    /// peak together. THD 8.06 %.
    /// </summary>
    public static readonly double[] HarmonicRichProfile = BuildHarmonicRich();

    private static double[] BuildHarmonicRich()
    {
        var h = new double[41];
        double[] en50160 = { 0, 0, 2, 5, 1, 6, 0.5, 5, 0.5, 1.5, 0.5, 3.5, 0.5, 3, 0.5, 0.5, 0.5, 2, 0.5, 1.5, 0.5, 0.5, 0.5, 1.5, 0.5, 1.5 };
        for (int n = 2; n <= 25; n++)
        {
            h[n] = en50160[n] / 100.0 * 0.707;
        }

        for (int n = 26; n <= 40; n++)
        {
            h[n] = n % 2 == 1 ? 0.003 : 0.002;
        }

        return h;
    }

    /// <summary>True RMS of a harmonic-rich line of fundamental <paramref name="fundamentalVolts"/>, volts.</summary>
    public static double HarmonicRichTrueRms(double fundamentalVolts)
    {
        double sum = 1;
        foreach (double h in HarmonicRichProfile)
        {
            sum += h * h;
        }

        return fundamentalVolts * Math.Sqrt(sum);
    }

    /// <summary>One corpus file: its supply, mode and expected outcome.</summary>
    public sealed record Scenario(string Name, string Mode, double RateHertz, double DurationSeconds, double FrequencyHertz,
        string Cause, double OnsetSeconds, double MaxTripSeconds, string Why, Segment[] Segments, double RepeatFromSeconds = 0, double RepeatPeriodSeconds = 0);

    /// <summary>The corpus.</summary>
    public static IReadOnlyList<Scenario> Scenarios { get; } = BuildScenarios();

    private static Scenario[] BuildScenarios()
    {
        const double N = 0; // no trip: onset and max unused
        var normal = new Segment(0, DisplacementVolts: 2);
        return new[]
        {
            new Scenario("a-normal", "A-electrode", 1000, 4, 50, "none", N, N, "nominal supply", new[] { normal }),
            new Scenario("a-normal-thd8-49.5hz-cpc15v", "A-electrode", 2000, 3, 49.5, "none", N, N, "THD 8 %, 49.5 Hz, CPC-TTref 15 V (loaded feeder)",
                new[] { new Segment(0, DisplacementVolts: 15, DisplacementDegrees: 30, Harmonic3: 0.05, Harmonic5: 0.05, Harmonic7: 0.036) }),
            new Scenario("a-normal-253v-50.5hz", "A-electrode", 1000, 3, 50.5, "none", N, N, "230 V +10 % at 50.5 Hz",
                new[] { new Segment(0, LineVolts: 253, DisplacementVolts: 15) }),
            new Scenario("a-normal-204v", "A-electrode", 1000, 3, 50, "none", N, N, "230 V -11 % (inside mode A's -12 %)",
                new[] { new Segment(0, LineVolts: 204) }),
            new Scenario("a-dip-180v-0.9s", "A-electrode", 1000, 4, 50, "none", N, N, "network dip shorter than 1 s",
                new[] { normal, new Segment(1.0, LineVolts: 180, DisplacementVolts: 2), new Segment(1.9, DisplacementVolts: 2) }),
            new Scenario("a-swell-275v-0.9s", "A-electrode", 1000, 4, 50, "none", N, N, "swell shorter than 1 s",
                new[] { normal, new Segment(1.0, LineVolts: 275, DisplacementVolts: 2), new Segment(1.9, DisplacementVolts: 2) }),
            new Scenario("a-cpc-50v-0.9s", "A-electrode", 1000, 4, 50, "none", N, N, "CPC-TTref 30-70 V shorter than 1 s",
                new[] { normal, new Segment(1.0, DisplacementVolts: 50), new Segment(1.9, DisplacementVolts: 2) }),
            new Scenario("a-cpc-100v-30ms", "A-electrode", 4000, 2, 50, "none", N, N, "CPC-TTref spike shorter than 40 ms",
                new[] { normal, new Segment(1.0, DisplacementVolts: 100), new Segment(1.03, DisplacementVolts: 2) }),
            new Scenario("a-pen-cpc-75v", "A-electrode", 1000, 3, 50, "cpc-tt-over-70v", 1.0, FastMaxSeconds, "PEN break, CPC-TTref 75 V",
                new[] { normal, new Segment(1.0, DisplacementVolts: 75) }),
            new Scenario("a-pen-cpc-35v", "A-electrode", 1000, 4, 50, "cpc-tt-over-30v", 1.0, BandMaxSeconds, "PEN break, CPC-TTref 35 V",
                new[] { normal, new Segment(1.0, DisplacementVolts: 35) }),
            new Scenario("a-pen-100v-while-charging", "A-electrode", 1000, 8, 50, "cpc-tt-over-70v", 6.5, FastMaxSeconds, "PEN break in phase, L-N 130 V, after charging began",
                new[] { normal, new Segment(6.5, DisplacementVolts: 100, DisplacementDegrees: 0) }),
            new Scenario("a-electrode-open", "A-electrode", 1000, 4, 50, "electrode-open", 1.0, BandMaxSeconds, "reference electrode disconnected",
                new[] { normal, new Segment(1.0, Electrode: false) }),
            new Scenario("a-ltt-195v", "A-electrode", 1000, 4, 50, "ltt-out-of-range", 1.0, BandMaxSeconds, "L-TTref 195 V with L-N normal",
                new[] { normal, new Segment(1.0, DisplacementVolts: 2, LineTtRefScale: 195.0 / 230.0) }),
            new Scenario("a-ln-262v", "A-electrode", 1000, 4, 50, "ln-out-of-range", 1.0, BandMaxSeconds, "sustained overvoltage",
                new[] { normal, new Segment(1.0, LineVolts: 262, DisplacementVolts: 2) }),
            new Scenario("a-sustained-198v", "A-electrode", 1000, 4, 50, "ln-out-of-range", 1.0, BandMaxSeconds, "198 V is below mode A's 202.4 V (docs/faults.md, known conflict)",
                new[] { normal, new Segment(1.0, LineVolts: 198, DisplacementVolts: 2) }),
            new Scenario("a-flicker-180v", "A-electrode", 1000, 5, 50, "ln-out-of-range", 1.0, 2.1, "0.6 s at 180 V, 0.3 s at 230 V, repeated",
                new[] { normal, new Segment(1.0, LineVolts: 180, DisplacementVolts: 2), new Segment(1.6, DisplacementVolts: 2) }, RepeatFromSeconds: 1.0, RepeatPeriodSeconds: 0.9),
            new Scenario("an-cpc-100v", "A-no-electrode", 1000, 3, 50, "none", N, N, "no electrode: CPC-TTref not detected",
                new[] { new Segment(0, DisplacementVolts: 100) }),
            new Scenario("an-ln-200v", "A-no-electrode", 1000, 4, 50, "ln-out-of-range", 1.0, BandMaxSeconds, "sustained undervoltage",
                new[] { normal, new Segment(1.0, LineVolts: 200, DisplacementVolts: 2) }),
            new Scenario("b-ln-250v", "B", 1000, 3, 50, "none", N, N, "inside 207-253 V",
                new[] { new Segment(0, LineVolts: 250) }),
            new Scenario("b-ln-255.5v", "B", 1000, 4, 50, "ln-out-of-range", 1.0, BandMaxSeconds, "1 % above 253 V",
                new[] { normal, new Segment(1.0, LineVolts: 255.5, DisplacementVolts: 2) }),
            new Scenario("b-ln-205v-4khz", "B", 4000, 3, 50, "ln-out-of-range", 1.0, BandMaxSeconds, "1 % below 207 V, sampled at 4 kHz",
                new[] { normal, new Segment(1.0, LineVolts: 205, DisplacementVolts: 2) }),
            new Scenario("b-dip-190v-0.9s", "B", 1000, 4, 50, "none", N, N, "dip shorter than 1 s",
                new[] { normal, new Segment(1.0, LineVolts: 190, DisplacementVolts: 2), new Segment(1.9, DisplacementVolts: 2) }),

            // Harmonics up to the 40th: at 1 kHz without anti-aliasing the 19th and 21st fold onto
            // the fundamental; the native front end keeps them in the true RMS (docs/metering.md).
            new Scenario("b-harmonics-en50160-40th-209v", "B", 10000, 3, 50, "none", N, N, "EN 50160 harmonics to the 25th (THD 8 %) + content to the 40th; true RMS 209 V (in range)",
                new[] { new Segment(0, LineVolts: 209.0 / HarmonicRichTrueRms(1.0), HarmonicRich: true) }),
            new Scenario("b-harmonics-en50160-40th-205v", "B", 10000, 3.5, 50, "ln-out-of-range", 1.0, BandMaxSeconds, "same harmonics; true RMS 205 V (below 207 V) from 1 s",
                new[] { new Segment(0, LineVolts: 230.0 / HarmonicRichTrueRms(1.0), HarmonicRich: true), new Segment(1.0, LineVolts: 205.0 / HarmonicRichTrueRms(1.0), HarmonicRich: true) }),

            // True RMS includes DC: 20 V AC + 25 V DC on CPC-TTref is 32 V rms.
            new Scenario("a-cpc-dc-25v-ac-20v", "A-electrode", 2000, 4, 50, "cpc-tt-over-30v", 1.0, BandMaxSeconds, "PEN fault with a DC part: CPC-TTref 20 V AC + 25 V DC = 32 V true RMS",
                new[] { normal, new Segment(1.0, DisplacementVolts: 20, DisplacementDcVolts: 25) }),
            new Scenario("a-cpc-dc-15v-ac-15v", "A-electrode", 2000, 3, 50, "none", N, N, "CPC-TTref 15 V AC + 15 V DC = 21 V true RMS (below 30 V)",
                new[] { new Segment(0, DisplacementVolts: 15, DisplacementDcVolts: 15) }),

            // A PEN fault that comes and goes: each burst is drained by the per-cycle rules; the
            // windowed RMS is far above 30 V (1 s window 28..35 V, 200 ms window up to 45 V).
            new Scenario("a-pen-chatter-100v-40ms-on-300ms-off", "A-electrode", 2000, 7, 50, "cpc-tt-over-30v", 1.0, 5.0, "chattering PEN fault: CPC-TTref 100 V for 40 ms every 340 ms (windowed rules; BS 7671 allows 5 s)",
                new[] { normal, new Segment(1.0, DisplacementVolts: 100), new Segment(1.04, DisplacementVolts: 2) }, RepeatFromSeconds: 1.0, RepeatPeriodSeconds: 0.34),

            // The frequency range EN 50160 allows for 100 % of the time (47..52 Hz) and 53 Hz.
            new Scenario("a-normal-47hz", "A-electrode", 1000, 3, 47, "none", N, N, "nominal supply at 47 Hz", new[] { normal }),
            new Scenario("a-normal-53hz", "A-electrode", 1000, 3, 53, "none", N, N, "nominal supply at 53 Hz", new[] { normal }),
            new Scenario("b-ln-205v-47hz", "B", 1000, 4, 47, "ln-out-of-range", 1.0, BandMaxSeconds, "1 % below 207 V at 47 Hz",
                new[] { normal, new Segment(1.0, LineVolts: 205, DisplacementVolts: 2) }),
            new Scenario("b-ln-255.5v-53hz", "B", 1000, 4, 53, "ln-out-of-range", 1.0, BandMaxSeconds, "1 % above 253 V at 53 Hz",
                new[] { normal, new Segment(1.0, LineVolts: 255.5, DisplacementVolts: 2) }),
        };
    }

    /// <summary>Runs the command: writes every file and the expected outcomes. Returns 0.</summary>
    public static int Run(string[] args, TextWriter stdout)
    {
        string dir = Path.Combine("tests", "Waveforms");
        for (int i = 1; i < args.Length; i++)
        {
            if (args[i] == "--out" && i + 1 < args.Length)
            {
                dir = args[++i];
            }
            else
            {
                throw new UsageException("waveform: unexpected argument '" + args[i] + "'; usage:" + Usage.Trim().Substring("Firmware.Simulator".Length));
            }
        }

        Write(dir);
        stdout.WriteLine("wrote " + Scenarios.Count + " waveforms and " + ExpectedFile + " to " + dir);
        return 0;
    }

    /// <summary>Writes the corpus into <paramref name="dir"/> (created if needed).</summary>
    public static void Write(string dir)
    {
        Directory.CreateDirectory(dir);
        foreach (Scenario s in Scenarios)
        {
            File.WriteAllText(Path.Combine(dir, s.Name + ".csv"), Csv(s));
        }

        File.WriteAllText(Path.Combine(dir, ExpectedFile), Expected());
    }

    /// <summary>The expected-outcomes file: file,mode,cause,onset_s,max_trip_s,why.</summary>
    public static string Expected()
    {
        var text = new StringBuilder("file,mode,cause,onset_s,max_trip_s,why\n");
        foreach (Scenario s in Scenarios)
        {
            text.Append(s.Name).Append(".csv,").Append(s.Mode).Append(',').Append(s.Cause).Append(',')
                .Append(F(s.OnsetSeconds)).Append(',').Append(F(s.MaxTripSeconds)).Append(',').Append(s.Why.Replace(',', ';')).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>One scenario's CSV text.</summary>
    public static string Csv(Scenario s)
    {
        int samples = (int)Math.Round(s.DurationSeconds * s.RateHertz) + 1;
        var text = new StringBuilder(samples * 28);
        text.Append("t_s,v_ln,v_ltt,v_cpctt\n");
        for (int i = 0; i < samples; i++)
        {
            double t = i / s.RateHertz;
            Segment seg = SegmentAt(s, t);
            double phase = 2 * Math.PI * s.FrequencyHertz * t;
            double wave = Math.Sin(phase) + (seg.Harmonic3 * Math.Sin(3 * phase)) + (seg.Harmonic5 * Math.Sin(5 * phase)) + (seg.Harmonic7 * Math.Sin(7 * phase));
            if (seg.HarmonicRich)
            {
                for (int n = 2; n < HarmonicRichProfile.Length; n++)
                {
                    wave += HarmonicRichProfile[n] * Math.Sin((n * phase) + (n * 37.0 * Math.PI / 180));
                }
            }

            double line = Math.Sqrt(2) * seg.LineVolts * wave;
            double displacement = (Math.Sqrt(2) * seg.DisplacementVolts * Math.Sin(phase + (seg.DisplacementDegrees * Math.PI / 180))) + seg.DisplacementDcVolts;
            double lineNeutral = line - displacement;
            double lineTtRef = seg.Electrode ? line * seg.LineTtRefScale : 0;
            double cpcTtRef = seg.Electrode ? displacement : 0;
            text.Append(t.ToString("0.######", CultureInfo.InvariantCulture)).Append(',')
                .Append(lineNeutral.ToString("F1", CultureInfo.InvariantCulture)).Append(',')
                .Append(lineTtRef.ToString("F1", CultureInfo.InvariantCulture)).Append(',')
                .Append(cpcTtRef.ToString("F1", CultureInfo.InvariantCulture)).Append('\n');
        }

        return text.ToString();
    }

    private static Segment SegmentAt(Scenario s, double t)
    {
        double local = t;
        if (s.RepeatPeriodSeconds > 0 && t >= s.RepeatFromSeconds)
        {
            local = s.RepeatFromSeconds + ((t - s.RepeatFromSeconds) % s.RepeatPeriodSeconds);
        }

        Segment current = s.Segments[0];
        foreach (Segment seg in s.Segments)
        {
            // A small epsilon so a boundary printed as 1.0 s starts its segment at the sample at 1.0 s.
            if (seg.FromSeconds <= local + 1e-9)
            {
                current = seg;
            }
        }

        return current;
    }

    private static string F(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
