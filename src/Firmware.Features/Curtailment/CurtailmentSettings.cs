namespace IndraSmartPro.Features.Curtailment
{
    /// <summary>
    /// The installer's curtailment settings (EREC G100: protected, changed only with the network
    /// operator's agreement) and the owner's solar mode. Read by the controller on every decision,
    /// so a change takes effect at the next metered block.
    /// </summary>
    public sealed class CurtailmentSettings
    {
        /// <summary>IEC 61851-1: 6 A is the lowest current a PWM pilot offers.</summary>
        public const int MinimumChargeMilliamps = 6000;

        /// <summary>Whether a CT clamp is fitted on the house's incoming live. False: no curtailment.</summary>
        public bool CtFitted = true;

        /// <summary>Whether the installation has generation (solar) behind the clamp: import may then be below the EV's own current (or negative), so that is not a fault.</summary>
        public bool GenerationFitted;

        /// <summary>The supply (cut-out) rating house + EV must stay under, milliamps.</summary>
        public int SupplyRatingMilliamps = 60000;

        /// <summary>Kept below the rating to absorb noise and the EV's 5 s to follow, milliamps.</summary>
        public int MarginMilliamps = 1000;

        /// <summary>
        /// What the EV gets while the CT is faulty, milliamps: 6000 (the INDRA literature's
        /// de-rate, the default) up to the unit rating, or 0 to pause.
        /// </summary>
        public int FallbackMilliamps = MinimumChargeMilliamps;

        /// <summary>A pause lasts at least this long, microseconds (300 s; peers hold 5 min so relays do not cycle).</summary>
        public long MinimumPauseMicroseconds = 300000000;

        /// <summary>Resume only when the headroom is at least 6 A plus this, milliamps.</summary>
        public int ResumeHysteresisMilliamps = 1000;

        /// <summary>... and has held for this long, microseconds (60 s).</summary>
        public long ResumeHoldMicroseconds = 60000000;

        /// <summary>Curtailment pauses when the allowance stays under 6 A this long, microseconds (2 s; meanwhile 6 A is offered, within the margin). At once when 6 A would exceed the rating itself.</summary>
        public long PauseConfirmMicroseconds = 2000000;

        /// <summary>Eco-plus pauses when the surplus stays under 6 A this long, microseconds (60 s: a passing cloud does not cycle the relays).</summary>
        public long SurplusPauseConfirmMicroseconds = 60000000;

        /// <summary>A raise closes this share of the headroom, percent (1..100; 50: twice SmartEVSE's quarter, half OpenEVSE's whole step).</summary>
        public int RaiseFractionPercent = 50;

        /// <summary>Headroom below this is not worth a raise, milliamps (limits changes under noise).</summary>
        public int RaiseMinimumStepMilliamps = 1000;

        /// <summary>
        /// A fall of the target smaller than this is not cut, milliamps (500; half the default
        /// margin, which absorbs it; never more than the margin): a slowly rising load is followed in 0.5 A cuts, not 0.1 A ones.
        /// </summary>
        public int CutToleranceMilliamps = 500;

        /// <summary>The owner's or platform's solar mode.</summary>
        public SolarMode Mode = SolarMode.Fast;

        /// <summary>True when every field is in range; the controller refuses settings that are not.</summary>
        public bool IsValid()
        {
            return SupplyRatingMilliamps >= MinimumChargeMilliamps && SupplyRatingMilliamps <= 1000000
                && MarginMilliamps >= 0 && MarginMilliamps < SupplyRatingMilliamps
                && (FallbackMilliamps == 0 || (FallbackMilliamps >= MinimumChargeMilliamps && FallbackMilliamps <= 80000))
                && MinimumPauseMicroseconds >= 0 && ResumeHoldMicroseconds >= 0 && PauseConfirmMicroseconds >= 0 && SurplusPauseConfirmMicroseconds >= 0
                && ResumeHysteresisMilliamps >= 0 && RaiseFractionPercent >= 1 && RaiseFractionPercent <= 100 && RaiseMinimumStepMilliamps >= 0
                && CutToleranceMilliamps >= 0;
        }
    }
}
