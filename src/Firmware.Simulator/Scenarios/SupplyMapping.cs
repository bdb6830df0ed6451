using System;
using IndraSmartPro.Simulator.VirtualBoard;

namespace IndraSmartPro.Simulator.Scenarios;

/// <summary>
/// Turns the three measured RMS voltages of a scenario's supply step into the mains model's
/// phasors (docs/domain.md, "Three measured voltages"): L-TTref = L, CPC-TTref = D (the PEN-fault displacement),
/// L-N = L − D. The displacement's phase φ against the line makes the three consistent:
/// |L − D|² = L² + D² − 2·L·D·cos φ, so cos φ = (L² + D² − vLn²) / (2·L·D). Possible exactly
/// when |vLtt − vCpcTt| ≤ vLn ≤ vLtt + vCpcTt (a tolerance of 0.5 V absorbs rounding).
/// vLtt = vCpcTt = 0 means the reference electrode is missing: L = vLn, D = 0, electrode channels read 0.
/// </summary>
public static class SupplyMapping
{
    public const double ToleranceVolts = 0.5;

    public static bool IsConsistent(double vLn, double vLtt, double vCpcTt)
    {
        if (vLtt == 0 && vCpcTt == 0)
        {
            return true;
        }

        return vLn >= Math.Abs(vLtt - vCpcTt) - ToleranceVolts && vLn <= vLtt + vCpcTt + ToleranceVolts;
    }

    public static void Apply(MainsModel mains, double vLn, double vLtt, double vCpcTt)
    {
        if (vLtt == 0 && vCpcTt == 0)
        {
            mains.ElectrodeConnected = false;
            mains.LineRmsVolts = vLn;
            mains.DisplacementRmsVolts = 0;
            mains.DisplacementPhaseDegrees = 0;
            return;
        }

        mains.ElectrodeConnected = true;
        mains.LineRmsVolts = vLtt;
        mains.DisplacementRmsVolts = vCpcTt;
        if (vLtt == 0 || vCpcTt == 0)
        {
            mains.DisplacementPhaseDegrees = 0;
            return;
        }

        double cos = ((vLtt * vLtt) + (vCpcTt * vCpcTt) - (vLn * vLn)) / (2 * vLtt * vCpcTt);
        cos = Math.Clamp(cos, -1.0, 1.0);
        mains.DisplacementPhaseDegrees = Math.Acos(cos) * 180.0 / Math.PI;
    }

    /// <summary>The L-N RMS the mains model gives now: |L − D| from the two phasors.</summary>
    public static double LineNeutralRms(MainsModel mains)
    {
        double l = mains.LineRmsVolts;
        double d = mains.DisplacementRmsVolts;
        double phi = mains.DisplacementPhaseDegrees * Math.PI / 180.0;
        return Math.Sqrt(Math.Max(0.0, (l * l) + (d * d) - (2.0 * l * d * Math.Cos(phi))));
    }
}
