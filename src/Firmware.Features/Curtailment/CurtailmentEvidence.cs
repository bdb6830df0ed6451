namespace IndraSmartPro.Features.Curtailment
{
    /// <summary>
    /// The values behind one curtailment action, carried as the detail of its
    /// <c>Curtailment</c> event (evidence for the network operator, EREC G100). The controller
    /// keeps a ring of these made at construction and reuses them in turn, so a listener that
    /// keeps the reference sees it unchanged for the next <see cref="CurtailmentController.EvidenceRingLength"/> − 1 actions.
    /// </summary>
    public sealed class CurtailmentEvidence
    {
        /// <summary>What was done: one of the <c>CurtailmentController.Action…</c> codes.</summary>
        public string Action;

        /// <summary>When, microseconds.</summary>
        public long TimeMicroseconds;

        /// <summary>Signed import through the clamp (house + EV), milliamps: + import, − export. Mean of the last block.</summary>
        public int ImportMilliamps;

        /// <summary>The EV's own measured current, milliamps (mean of the last block).</summary>
        public int EvMilliamps;

        /// <summary>The house alone (import − EV), milliamps.</summary>
        public int HouseMilliamps;

        /// <summary>The EV's allowance: rating − margin − house, milliamps (may be negative).</summary>
        public int AllowanceMilliamps;

        /// <summary>The claim before the action, milliamps (−1 none).</summary>
        public int PreviousClaimMilliamps;

        /// <summary>The claim after the action, milliamps (0 = paused).</summary>
        public int ClaimMilliamps;

        /// <summary>The supply rating in force, milliamps.</summary>
        public int SupplyRatingMilliamps;

        /// <summary>The margin in force, milliamps.</summary>
        public int MarginMilliamps;

        /// <summary>The solar mode in force.</summary>
        public SolarMode Mode;

        /// <summary>The CT health at the time.</summary>
        public CtHealth Health;
    }
}
