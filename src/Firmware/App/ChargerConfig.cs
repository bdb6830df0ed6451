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

        /// <summary>Socket variant: how long the lock feedback may take to confirm, microseconds (1 s; check against the fitted actuator).</summary>
        public int SocketLockTimeoutMicroseconds = 1000000;
    }
}
