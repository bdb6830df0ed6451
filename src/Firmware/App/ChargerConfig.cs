using IndraSmartPro.Features.Curtailment;

namespace IndraSmartPro.Firmware
{
    /// <summary>
    /// Commissioning settings: what the installer sets up once. Capabilities add their own fields.
    /// </summary>
    public sealed class ChargerConfig
    {
        /// <summary>Device serial; the MQTT root is derived from it.</summary>
        public string Serial = "SP000000";

        /// <summary>Build variant.</summary>
        public Variant Variant = Variant.Type2Tethered;

        /// <summary>
        /// Whether a TT reference electrode is fitted (commissioned by the installer). With the
        /// PEST toggle in the mode A position this selects "mode A with electrode".
        /// </summary>
        public bool ReferenceElectrodeFitted = true;

        /// <summary>Unit rating: 32 A (installation guide, "6A and up to 32A at 230V").</summary>
        public int UnitRatingMilliamps = 32000;

        /// <summary>Tethered cable rating (tethered variants); the socket variant reads PP instead.</summary>
        public int CableRatingMilliamps = 32000;

        /// <summary>The supply (cut-out) rating the house import must stay under, for curtailment.</summary>
        public int SupplyLimitMilliamps = 60000;

        /// <summary>Installer: a CT clamp is fitted on the house's incoming live (curtailment on). EREC G100 setting.</summary>
        public bool CtFitted = true;

        /// <summary>Installer: generation (solar) behind the clamp, so import below the EV's own current is not a fault.</summary>
        public bool GenerationFitted;

        /// <summary>Installer: curtailment keeps house + EV this far under <see cref="SupplyLimitMilliamps"/>, milliamps.</summary>
        public int CurtailmentMarginMilliamps = 1000;

        /// <summary>Installer: what the EV gets while the CT is faulty, milliamps (6 A, the INDRA literature's de-rate; 0 = pause). EREC G100 fail-safe.</summary>
        public int CtFallbackMilliamps = 6000;

        /// <summary>Curtailment pauses last at least this long, microseconds (5 min).</summary>
        public long CurtailmentMinimumPauseMicroseconds = 300000000;

        /// <summary>After a pause the headroom must have held 6 A + hysteresis this long, microseconds (60 s).</summary>
        public long CurtailmentResumeHoldMicroseconds = 60000000;

        /// <summary>The solar mode at start-up (the owner changes it with the set-solar-mode command).</summary>
        public SolarMode SolarMode = SolarMode.Fast;

        /// <summary>The curtailment settings these fields describe.</summary>
        public CurtailmentSettings ToCurtailmentSettings()
        {
            var settings = new CurtailmentSettings();
            settings.CtFitted = CtFitted;
            settings.GenerationFitted = GenerationFitted;
            settings.SupplyRatingMilliamps = SupplyLimitMilliamps;
            settings.MarginMilliamps = CurtailmentMarginMilliamps;
            settings.FallbackMilliamps = CtFallbackMilliamps;
            settings.MinimumPauseMicroseconds = CurtailmentMinimumPauseMicroseconds;
            settings.ResumeHoldMicroseconds = CurtailmentResumeHoldMicroseconds;
            settings.Mode = SolarMode;
            return settings;
        }

        /// <summary>Socket variant: how long the lock feedback may take to confirm, microseconds (1 s; check against the fitted actuator).</summary>
        public int SocketLockTimeoutMicroseconds = 1000000;
    }
}
