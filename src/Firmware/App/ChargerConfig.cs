using IndraSmartPro.Features.Curtailment;

namespace IndraSmartPro.Firmware
{
    /// <summary>
    /// The unit's one configuration: what the factory, the installer and the owner/platform set.
    /// Every setting's name, owner and allowed range is in <see cref="Commissioning.ConfigSettings"/>
    /// (the table the commissioning protocol, the stored record and the validation all use; docs/commissioning-protocol.md).
    /// The device reads it from the store at boot (<see cref="Commissioning.ConfigStore"/>); the
    /// simulator builds it from its options and scenarios. Capabilities add their own fields here
    /// and their rows to the table.
    /// </summary>
    public sealed class ChargerConfig
    {
        /// <summary>
        /// False on a unit nobody has commissioned (no stored configuration): it never closes a relay
        /// and reports <c>not-commissioned</c>. Host code that builds a configuration by hand (the
        /// simulator's options, tests) describes a commissioned unit, so the default is true;
        /// the device gets false from <see cref="Commissioning.ConfigStore.Load"/> when nothing is stored.
        /// </summary>
        public bool Commissioned = true;

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

        /// <summary>Installer: the PEST toggle position the site needs, true for mode B (BS 7671 722.411.4.1 (iv)); false for mode A.</summary>
        public bool PestModeB;

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

        /// <summary>Installer: the network interface, <see cref="Commissioning.NetworkKinds"/> (wired Ethernet as in the installation guide, or Wi-Fi).</summary>
        public int Network = Commissioning.NetworkKinds.Ethernet;

        /// <summary>Installer: address by DHCP (true) or the static address below.</summary>
        public bool Dhcp = true;

        /// <summary>Installer: static IPv4 address, dotted ("" with DHCP).</summary>
        public string IpAddress = "";

        /// <summary>Installer: static subnet mask, dotted.</summary>
        public string SubnetMask = "";

        /// <summary>Installer: static gateway, dotted.</summary>
        public string Gateway = "";

        /// <summary>Installer: static DNS server, dotted.</summary>
        public string Dns = "";

        /// <summary>Installer: Wi-Fi network name (Wi-Fi only).</summary>
        public string WifiSsid = "";

        /// <summary>Installer: Wi-Fi passphrase (WPA2, 8 to 63 characters; never read back).</summary>
        public string WifiPassword = "";

        /// <summary>Factory: the broker's host name or address ("" = no MQTT).</summary>
        public string MqttHost = "";

        /// <summary>Factory: the broker's TLS port.</summary>
        public int MqttPort = 8883;

        /// <summary>Factory: this unit's own MQTT password (its user name is <see cref="Serial"/>; never read back). The CA bundle is its own record (<see cref="Commissioning.ConfigStore.CaKey"/>).</summary>
        public string MqttPassword = "";

        /// <summary>
        /// Factory: this unit's installer secret, printed on its label (never read back). Every
        /// commissioning request but "identity" needs it; none exists until the factory sets one,
        /// and none is shared between units (Smart Charge Points Regulations 2021, Schedule 1).
        /// </summary>
        public string InstallerSecret = "";

        /// <summary>A copy of every setting (the protocol edits a copy, validates it whole, then stores it).</summary>
        public ChargerConfig Clone()
        {
            return (ChargerConfig)MemberwiseClone();
        }

        /// <summary>Socket variant: how long the lock feedback may take to confirm, microseconds (1 s; check against the fitted actuator).</summary>
        public int SocketLockTimeoutMicroseconds = 1000000;
    }
}
