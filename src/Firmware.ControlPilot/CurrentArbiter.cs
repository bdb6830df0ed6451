using IndraSmartPro.Events;

namespace IndraSmartPro.ControlPilot
{
    /// <summary>
    /// The one place that decides the current offered to the vehicle. Capabilities never drive
    /// the pilot: they put claims in fixed slots (<see cref="ClaimSlot"/>), each a current in
    /// milliamps with a reason code. The result is the lowest of
    /// <list type="bullet">
    /// <item>the unit rating, the cable or socket rating, the supply limit (fixed ceilings),</item>
    /// <item>every active ceiling claim (safety, curtailment),</item>
    /// <item>the highest-priority active preference claim (manual/boost over platform over
    /// schedule over default), so Boost overrides the platform and the schedule but never
    /// safety or curtailment (UK Smart Charge Points Regulations 2021; docs/domain.md, "Current arbitration").</item>
    /// </list>
    /// A claim below 6 A pauses charging (no current can be offered below 6 A).
    /// <see cref="Update"/> publishes <see cref="ChargerEventKind.Limit"/> when the result or its
    /// reason changes. Allocation-free: reasons are constant strings supplied by the claimants.
    /// </summary>
    public sealed class CurrentArbiter
    {
        /// <summary>Reason when the unit rating binds.</summary>
        public const string ReasonUnitRating = "unit-rating";

        /// <summary>Reason when the tethered cable rating binds.</summary>
        public const string ReasonCableRating = "cable-rating";

        /// <summary>Reason when the Type 2 plug's proximity resistor rating binds.</summary>
        public const string ReasonPlugRating = "plug-rating";

        /// <summary>Reason when the supply (cut-out) rating binds.</summary>
        public const string ReasonSupplyLimit = "supply-limit";

        private readonly EventBus _events;
        private readonly int[] _claimMilliamps = new int[ClaimSlots.Count];
        private readonly string[] _claimReasons = new string[ClaimSlots.Count];
        private readonly bool[] _claimActive = new bool[ClaimSlots.Count];
        private int _unitRatingMilliamps;
        private int _cableRatingMilliamps;
        private string _cableReason = ReasonCableRating;
        private int _supplyLimitMilliamps;
        private int _limitMilliamps = -1;
        private string _limitReason;
        private bool _limitProtective;
        private int _publishedMilliamps = -1;
        private string _publishedReason;

        /// <summary>Creates the arbiter with its fixed ceilings, milliamps.</summary>
        public CurrentArbiter(EventBus events, int unitRatingMilliamps, int cableRatingMilliamps, int supplyLimitMilliamps)
        {
            _events = events;
            _unitRatingMilliamps = unitRatingMilliamps;
            _cableRatingMilliamps = cableRatingMilliamps;
            _supplyLimitMilliamps = supplyLimitMilliamps;
            Evaluate();
        }

        /// <summary>The offered current limit, milliamps (as of the last <see cref="Update"/> or claim change).</summary>
        public int LimitMilliamps => _limitMilliamps;

        /// <summary>Why the limit is what it is: the binding ceiling's or claim's reason code.</summary>
        public string LimitReason => _limitReason;

        /// <summary>
        /// True when the binding constraint is protective (a rating, the supply limit, a safety or
        /// curtailment claim): reductions for these act at once, others wait for the 5 s duty rule.
        /// </summary>
        public bool LimitProtective => _limitProtective;

        /// <summary>The unit rating, milliamps.</summary>
        public int UnitRatingMilliamps => _unitRatingMilliamps;

        /// <summary>The cable or plug rating in force, milliamps (0 = none known: nothing can be offered).</summary>
        public int CableRatingMilliamps => _cableRatingMilliamps;

        /// <summary>
        /// Puts a claim in a slot, replacing what was there. <paramref name="milliamps"/> below
        /// 6000 pauses charging. <paramref name="reason"/> should be a constant string (it is
        /// published as the limit's reason while the claim binds).
        /// </summary>
        public void SetClaim(ClaimSlot slot, int milliamps, string reason)
        {
            int i = (int)slot;
            _claimMilliamps[i] = milliamps < 0 ? 0 : milliamps;
            _claimReasons[i] = reason;
            _claimActive[i] = true;
            Evaluate();
        }

        /// <summary>Removes the claim in a slot.</summary>
        public void ClearClaim(ClaimSlot slot)
        {
            _claimActive[(int)slot] = false;
            _claimReasons[(int)slot] = null;
            Evaluate();
        }

        /// <summary>True while the slot holds a claim.</summary>
        public bool IsClaimActive(ClaimSlot slot) => _claimActive[(int)slot];

        /// <summary>The claim's current in the slot, milliamps (meaningful while active).</summary>
        public int GetClaimMilliamps(ClaimSlot slot) => _claimMilliamps[(int)slot];

        /// <summary>
        /// Sets the cable or plug rating: from configuration for tethered cables, from the
        /// proximity resistor for the socket (<paramref name="reason"/> = <see cref="ReasonPlugRating"/>).
        /// </summary>
        public void SetCableRating(int milliamps, string reason)
        {
            _cableRatingMilliamps = milliamps;
            _cableReason = reason;
            Evaluate();
        }

        /// <summary>Sets the commissioned supply limit, milliamps.</summary>
        public void SetSupplyLimit(int milliamps)
        {
            _supplyLimitMilliamps = milliamps;
            Evaluate();
        }

        /// <summary>Publishes <see cref="ChargerEventKind.Limit"/> if the limit or its reason changed since the last publication.</summary>
        public bool Update(long nowMicroseconds)
        {
            if (_limitMilliamps == _publishedMilliamps && string.Equals(_limitReason, _publishedReason))
            {
                return false;
            }

            _publishedMilliamps = _limitMilliamps;
            _publishedReason = _limitReason;
            _events.Publish(ChargerEventKind.Limit, nowMicroseconds, _limitMilliamps, false, _limitReason);
            return true;
        }

        private void Evaluate()
        {
            // Later candidates win ties, so the more protective reason is reported.
            int limit = int.MaxValue;
            string reason = null;
            bool protective = false;
            for (int i = ClaimSlots.Count - 1; i >= 0; i--)
            {
                if (_claimActive[i] && !ClaimSlots.IsCeiling((ClaimSlot)i))
                {
                    // Walking from the lowest priority up, the last active preference seen is the highest.
                    limit = _claimMilliamps[i];
                    reason = _claimReasons[i];
                }
            }

            Consider(ref limit, ref reason, ref protective, _supplyLimitMilliamps, ReasonSupplyLimit, true);
            Consider(ref limit, ref reason, ref protective, _cableRatingMilliamps, _cableReason, true);
            Consider(ref limit, ref reason, ref protective, _unitRatingMilliamps, ReasonUnitRating, true);
            for (int i = ClaimSlots.Count - 1; i >= 0; i--)
            {
                if (_claimActive[i] && ClaimSlots.IsCeiling((ClaimSlot)i))
                {
                    Consider(ref limit, ref reason, ref protective, _claimMilliamps[i], _claimReasons[i], true);
                }
            }

            _limitMilliamps = limit;
            _limitReason = reason;
            _limitProtective = protective;
        }

        private static void Consider(ref int limit, ref string reason, ref bool protective, int candidateMilliamps, string candidateReason, bool candidateProtective)
        {
            if (candidateMilliamps <= limit)
            {
                limit = candidateMilliamps;
                reason = candidateReason;
                protective = candidateProtective;
            }
        }
    }
}
