using System;
using IndraSmartPro.Events;

namespace IndraSmartPro.ControlPilot
{
    /// <summary>
    /// The one place that decides the current offered to the vehicle, and the one way to stop it.
    /// Capabilities never drive the pilot: they put claims in fixed slots (<see cref="ClaimSlot"/>),
    /// each a current in milliamps with a reason code. A claim lasts until cleared
    /// (<see cref="SetClaim"/>), until a clock time (<see cref="SetClaimUntil"/>) or until the
    /// charging session ends (<see cref="SetSessionClaim"/>). The result is the lowest of
    /// <list type="bullet">
    /// <item>the unit rating and the cable or socket rating (fixed ceilings),</item>
    /// <item>every active ceiling claim (safety, pause, curtailment),</item>
    /// <item>the highest-priority active preference claim (manual/boost over platform over
    /// schedule over default), so Boost overrides the platform and the schedule but never
    /// safety or curtailment (UK Smart Charge Points Regulations 2021; docs/domain.md, "Current arbitration").</item>
    /// </list>
    /// A claim below 6 A stops charging (no current can be offered below 6 A); pausing is the
    /// <see cref="ClaimSlot.Pause"/> claim. <see cref="LimitReason"/> always names the winner, also
    /// when it stops charging. The supply (cut-out) rating is not a ceiling on the EV: it limits
    /// house import plus the EV together, which only curtailment can act on
    /// (<see cref="SupplyLimitMilliamps"/>, read by the curtailment feature for its claim).
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

        /// <summary>
        /// Reason a curtailment claim may give when the supply (cut-out) rating binds (house import
        /// plus the EV at the rating). The arbiter itself never applies the supply rating to the EV.
        /// </summary>
        public const string ReasonSupplyLimit = "supply-limit";

        /// <summary>Reason of the pause claim (<see cref="ClaimSlot.Pause"/>).</summary>
        public const string ReasonPaused = "paused";

        /// <summary>A claim's end: cleared only by <see cref="ClearClaim"/>.</summary>
        private const int EndsNever = 0;

        /// <summary>A claim's end: at the given clock time.</summary>
        private const int EndsAtTime = 1;

        /// <summary>A claim's end: when the charging session ends.</summary>
        private const int EndsWithSession = 2;

        private readonly EventBus _events;
        private readonly int[] _claimMilliamps = new int[ClaimSlots.Count];
        private readonly string[] _claimReasons = new string[ClaimSlots.Count];
        private readonly bool[] _claimActive = new bool[ClaimSlots.Count];
        private readonly int[] _claimEnds = new int[ClaimSlots.Count];
        private readonly long[] _claimUntilMicroseconds = new long[ClaimSlots.Count];
        private int _unitRatingMilliamps;
        private int _cableRatingMilliamps;
        private string _cableReason = ReasonCableRating;
        private int _supplyLimitMilliamps;
        private int _limitMilliamps = -1;
        private string _limitReason;
        private bool _limitProtective;
        private int _publishedMilliamps = -1;
        private string _publishedReason;

        /// <summary>
        /// Creates the arbiter with the unit and cable ratings (ceilings on the EV) and the
        /// supply rating (house import plus the EV; not applied to the EV here), milliamps.
        /// </summary>
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

        /// <summary>
        /// Why the limit is what it is: the winning rating's or claim's reason code, also when the
        /// limit stops charging (e.g. "paused", a safety claim's reason).
        /// </summary>
        public string LimitReason => _limitReason;

        /// <summary>
        /// True when the binding constraint is protective (a rating, a safety, pause or
        /// curtailment claim): reductions for these act at once, others wait for the 5 s duty rule.
        /// </summary>
        public bool LimitProtective => _limitProtective;

        /// <summary>The unit rating, milliamps.</summary>
        public int UnitRatingMilliamps => _unitRatingMilliamps;

        /// <summary>The cable or plug rating in force, milliamps (0 = none known: nothing can be offered).</summary>
        public int CableRatingMilliamps => _cableRatingMilliamps;

        /// <summary>
        /// The supply (cut-out) rating, milliamps per phase: the limit on house import plus the EV
        /// together (EREC G100 export/import limitation as the curtailment feature applies it).
        /// Not a ceiling on the EV by itself; curtailment turns it into a
        /// <see cref="ClaimSlot.Curtailment"/> claim from the measured house current.
        /// </summary>
        public int SupplyLimitMilliamps => _supplyLimitMilliamps;

        /// <summary>
        /// Puts a claim in a slot, replacing what was there, until <see cref="ClearClaim"/>.
        /// <paramref name="milliamps"/> below 6000 stops charging. <paramref name="reason"/> should
        /// be a constant string (it is published as the limit's reason while the claim wins).
        /// </summary>
        public void SetClaim(ClaimSlot slot, int milliamps, string reason)
        {
            Put(slot, milliamps, reason, EndsNever, 0);
        }

        /// <summary>
        /// Puts a claim that ends by itself at <paramref name="untilMicroseconds"/> (the injected
        /// clock's time): from the first <see cref="Update"/> at or after it, the slot is empty.
        /// Preferences only: a ceiling (<see cref="ClaimSlots.IsCeiling"/>) that ended by itself
        /// would raise the current with nobody deciding it, so ceilings are set with
        /// <see cref="SetClaim"/> and removed by their owner with <see cref="ClearClaim"/>.
        /// </summary>
        /// <exception cref="ArgumentException">The slot is a ceiling (safety, pause, curtailment).</exception>
        public void SetClaimUntil(ClaimSlot slot, int milliamps, string reason, long untilMicroseconds)
        {
            RejectCeiling(slot);
            Put(slot, milliamps, reason, EndsAtTime, untilMicroseconds);
        }

        /// <summary>
        /// Puts a claim that ends by itself when the charging session ends (the vehicle leaves),
        /// e.g. Boost for this session. Set with no session open, it ends with the next one.
        /// Preferences only, as <see cref="SetClaimUntil"/>: a ceiling never ends by itself.
        /// </summary>
        /// <exception cref="ArgumentException">The slot is a ceiling (safety, pause, curtailment).</exception>
        public void SetSessionClaim(ClaimSlot slot, int milliamps, string reason)
        {
            RejectCeiling(slot);
            Put(slot, milliamps, reason, EndsWithSession, 0);
        }

        private static void RejectCeiling(ClaimSlot slot)
        {
            // A ceiling caps the EV for protection (safety, pause, house supply): it may only be
            // lifted by the code that set it, never by a timer or the vehicle leaving.
            if (ClaimSlots.IsCeiling(slot))
            {
                throw new ArgumentException("a ceiling claim cannot expire", "slot");
            }
        }

        /// <summary>Removes the claim in a slot.</summary>
        public void ClearClaim(ClaimSlot slot)
        {
            _claimActive[(int)slot] = false;
            _claimReasons[(int)slot] = null;
            Evaluate();
        }

        /// <summary>
        /// The charging session ended: every claim set with <see cref="SetSessionClaim"/> ends.
        /// Called by the session; publishes at the next <see cref="Update"/>.
        /// </summary>
        public void EndSession()
        {
            bool changed = false;
            for (int i = 0; i < ClaimSlots.Count; i++)
            {
                if (_claimActive[i] && _claimEnds[i] == EndsWithSession)
                {
                    _claimActive[i] = false;
                    _claimReasons[i] = null;
                    changed = true;
                }
            }

            if (changed)
            {
                Evaluate();
            }
        }

        /// <summary>True while the slot holds a claim.</summary>
        public bool IsClaimActive(ClaimSlot slot) => _claimActive[(int)slot];

        /// <summary>The claim's current in the slot, milliamps (meaningful while active).</summary>
        public int GetClaimMilliamps(ClaimSlot slot) => _claimMilliamps[(int)slot];

        /// <summary>The claim's reason in the slot, or null when the slot is empty.</summary>
        public string GetClaimReason(ClaimSlot slot) => _claimReasons[(int)slot];

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

        /// <summary>Sets the commissioned supply (cut-out) rating, milliamps: house import plus the EV.</summary>
        public void SetSupplyLimit(int milliamps)
        {
            _supplyLimitMilliamps = milliamps;
            Evaluate();
        }

        /// <summary>
        /// Ends the claims whose time has come, then publishes <see cref="ChargerEventKind.Limit"/>
        /// if the limit or its reason changed since the last publication. Run by the pilot task
        /// every pilot window (29 ms). Returns true when it published.
        /// </summary>
        public bool Update(long nowMicroseconds)
        {
            bool expired = false;
            for (int i = 0; i < ClaimSlots.Count; i++)
            {
                if (_claimActive[i] && _claimEnds[i] == EndsAtTime && nowMicroseconds >= _claimUntilMicroseconds[i])
                {
                    _claimActive[i] = false;
                    _claimReasons[i] = null;
                    expired = true;
                }
            }

            if (expired)
            {
                Evaluate();
            }

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

        private void Put(ClaimSlot slot, int milliamps, string reason, int ends, long untilMicroseconds)
        {
            int i = (int)slot;
            _claimMilliamps[i] = milliamps < 0 ? 0 : milliamps;
            _claimReasons[i] = reason;
            _claimActive[i] = true;
            _claimEnds[i] = ends;
            _claimUntilMicroseconds[i] = untilMicroseconds;
            Evaluate();
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
