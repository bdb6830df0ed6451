using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace IndraSmartPro.Simulator.VirtualBoard;

/// <summary>
/// The house behind the CT clamp, besides the charger: a load and a solar generation, each a
/// function of simulated time, in RMS amps in phase with L-N. The load is the sum of a level
/// (stepped or ramped), a daily profile, a recorded trace and noise; the clamp sees
/// load + EV − generation, negative when exporting. Deterministic for a seed: the noise is a
/// hash of the time slot, so any time can be read in any order (the CT channel is read at 1 kHz).
/// </summary>
public sealed class HouseModel
{
    private readonly Ramp _level = new Ramp(0.0);
    private readonly Ramp _solar = new Ramp(0.0);
    private readonly ulong _seed;
    private double[] _profileHours;
    private double[] _profileAmps;
    private double _profileStartHour;
    private double[] _traceSeconds;
    private double[] _traceAmps;
    private long _traceStartMicroseconds;
    private double _traceOffsetSeconds;

    public HouseModel(ulong seed = 1)
    {
        _seed = seed == 0 ? 1UL : seed;
    }

    /// <summary>The stepped or ramped part of the load, amps (the target of a ramp in progress). Setting it steps.</summary>
    public double LevelAmps
    {
        get => _level.Target;
        set => _level.Set(value);
    }

    /// <summary>Solar generation, amps (the target of a ramp in progress). Setting it steps.</summary>
    public double SolarAmps
    {
        get => _solar.Target;
        set => _solar.Set(value);
    }

    /// <summary>Standard deviation of the load's noise, amps (0: none).</summary>
    public double NoiseAmps { get; set; }

    /// <summary>How long each noise value holds, microseconds (appliances switch, they do not hiss).</summary>
    public long NoisePeriodMicroseconds { get; set; } = 500_000;

    /// <summary>Ramps the level linearly to <paramref name="amps"/> over <paramref name="durationMicroseconds"/>.</summary>
    public void RampLevel(double amps, long nowMicroseconds, long durationMicroseconds) => _level.Start(amps, nowMicroseconds, durationMicroseconds);

    /// <summary>Ramps the generation linearly to <paramref name="amps"/> over <paramref name="durationMicroseconds"/>.</summary>
    public void RampSolar(double amps, long nowMicroseconds, long durationMicroseconds) => _solar.Start(amps, nowMicroseconds, durationMicroseconds);

    /// <summary>
    /// A daily load profile added to the level: points (hour of day 0..24, amps), linear between
    /// them and wrapping at midnight; simulated time 0 is <paramref name="startHour"/>. Null clears it.
    /// </summary>
    public void SetProfile(double[] hours, double[] amps, double startHour)
    {
        _profileHours = hours;
        _profileAmps = amps;
        _profileStartHour = startHour;
    }

    /// <summary>
    /// A recorded load added to the level from <paramref name="nowMicroseconds"/>: sample i holds
    /// from <paramref name="seconds"/>[i] (relative to the trace's start) to the next; the trace
    /// starts at <paramref name="offsetSeconds"/> into the recording and holds its last value at the end.
    /// </summary>
    public void SetTrace(double[] seconds, double[] amps, long nowMicroseconds, double offsetSeconds)
    {
        _traceSeconds = seconds;
        _traceAmps = amps;
        _traceStartMicroseconds = nowMicroseconds;
        _traceOffsetSeconds = offsetSeconds;
    }

    /// <summary>The house load at a time, amps (never negative).</summary>
    public double LoadAmps(long microseconds)
    {
        double amps = _level.At(microseconds) + Profile(microseconds) + Trace(microseconds);
        if (NoiseAmps > 0)
        {
            long slot = microseconds / Math.Max(1, NoisePeriodMicroseconds);
            amps += NoiseAmps * Gaussian(slot);
        }

        return amps < 0 ? 0 : amps;
    }

    /// <summary>Solar generation at a time, amps.</summary>
    public double GenerationAmps(long microseconds) => Math.Max(0.0, _solar.At(microseconds));

    private double Profile(long microseconds)
    {
        if (_profileHours == null || _profileHours.Length == 0)
        {
            return 0;
        }

        double hour = (_profileStartHour + (microseconds / 3.6e9)) % 24.0;
        int n = _profileHours.Length;
        for (int i = 0; i < n; i++)
        {
            double h0 = _profileHours[i];
            double h1 = i + 1 < n ? _profileHours[i + 1] : _profileHours[0] + 24.0;
            double h = hour < h0 ? hour + 24.0 : hour;
            if (h >= h0 && h < h1)
            {
                double a1 = i + 1 < n ? _profileAmps[i + 1] : _profileAmps[0];
                return _profileAmps[i] + ((a1 - _profileAmps[i]) * (h - h0) / (h1 - h0));
            }
        }

        return _profileAmps[0];
    }

    private double Trace(long microseconds)
    {
        if (_traceSeconds == null || _traceSeconds.Length == 0 || microseconds < _traceStartMicroseconds)
        {
            return 0;
        }

        double t = _traceOffsetSeconds + ((microseconds - _traceStartMicroseconds) / 1e6);
        int index = Array.BinarySearch(_traceSeconds, t);
        if (index < 0)
        {
            index = ~index - 1;
        }

        if (index < 0)
        {
            index = 0;
        }

        return _traceAmps[index];
    }

    private double Gaussian(long slot)
    {
        // Sum of four hashed uniforms (Irwin-Hall), scaled to unit variance: smooth enough for load noise.
        double sum = 0;
        for (int k = 0; k < 4; k++)
        {
            ulong x = (ulong)slot * 4UL + (ulong)k + (_seed * 0x9E3779B97F4A7C15UL);
            x ^= x >> 30;
            x *= 0xBF58476D1CE4E5B9UL;
            x ^= x >> 27;
            x *= 0x94D049BB133111EBUL;
            x ^= x >> 31;
            sum += (x >> 11) / 9007199254740992.0;
        }

        return (sum - 2.0) * 1.7320508075688772;
    }

    /// <summary>
    /// Reads a recorded house load: either OpenEVSE's current-shaper log (header starting
    /// <c>TimeStamp;Live_Power;EVSE_Current_power</c>; house = Live_Power − EVSE_Current_power,
    /// W / <paramref name="volts"/>, one row per second) or two columns <c>seconds,amps</c> with a
    /// header line. Throws <see cref="FormatException"/> naming the line on bad input.
    /// </summary>
    public static (double[] Seconds, double[] Amps) ReadTrace(string path, double volts = 230.0)
    {
        var seconds = new List<double>();
        var amps = new List<double>();
        using var reader = new StreamReader(path);
        string header = reader.ReadLine() ?? throw new FormatException(path + ": empty");
        bool shaper = header.TrimStart('\uFEFF').StartsWith("TimeStamp;Live_Power;EVSE_Current_power", StringComparison.Ordinal);
        string line;
        int number = 1;
        while ((line = reader.ReadLine()) != null)
        {
            number++;
            if (line.Trim().Length == 0)
            {
                continue;
            }

            string[] cells = line.Split(shaper ? ';' : ',');
            try
            {
                if (shaper)
                {
                    double live = double.Parse(cells[1], CultureInfo.InvariantCulture);
                    double ev = double.Parse(cells[2], CultureInfo.InvariantCulture);
                    seconds.Add(seconds.Count);
                    amps.Add(Math.Max(0.0, (live - ev) / volts));
                }
                else
                {
                    double t = double.Parse(cells[0], CultureInfo.InvariantCulture);
                    if (seconds.Count > 0 && t < seconds[^1])
                    {
                        throw new FormatException("time goes backwards");
                    }

                    seconds.Add(t);
                    amps.Add(double.Parse(cells[1], CultureInfo.InvariantCulture));
                }
            }
            catch (Exception e) when (e is FormatException || e is IndexOutOfRangeException || e is OverflowException)
            {
                throw new FormatException(path + ": line " + number + ": " + e.Message);
            }
        }

        if (seconds.Count == 0)
        {
            throw new FormatException(path + ": no data rows");
        }

        return (seconds.ToArray(), amps.ToArray());
    }
}
