using IndraSmartPro.Firmware;

namespace IndraSmartPro.Commissioning
{
    /// <summary>
    /// The table of every setting of <see cref="ChargerConfig"/>: name, owner, kind and range, in
    /// record order (new settings are only ever appended: the stored record and the protocol stay
    /// compatible). Reads and writes settings by row, checks a value against its row, and checks a
    /// whole configuration (<see cref="Validate"/>): a refusal always names the setting and the
    /// allowed values. Documented in docs/commissioning-protocol.md, "Settings".
    /// </summary>
    public static class ConfigSettings
    {
        /// <summary>Row: serial.</summary>
        public const int Serial = 0;
        /// <summary>Row: variant.</summary>
        public const int VariantRow = 1;
        /// <summary>Row: unitRatingMilliamps.</summary>
        public const int UnitRating = 2;
        /// <summary>Row: cableRatingMilliamps.</summary>
        public const int CableRating = 3;
        /// <summary>Row: pestMode.</summary>
        public const int PestModeRow = 4;
        /// <summary>Row: electrodeFitted.</summary>
        public const int ElectrodeFitted = 5;
        /// <summary>Row: supplyRatingMilliamps.</summary>
        public const int SupplyRating = 6;
        /// <summary>Row: ctFitted.</summary>
        public const int CtFitted = 7;
        /// <summary>Row: ctFallbackMilliamps.</summary>
        public const int CtFallback = 8;
        /// <summary>Row: curtailmentMarginMilliamps.</summary>
        public const int CurtailmentMargin = 9;
        /// <summary>Row: generationFitted.</summary>
        public const int GenerationFitted = 10;
        /// <summary>Row: network.</summary>
        public const int Network = 11;
        /// <summary>Row: dhcp.</summary>
        public const int Dhcp = 12;
        /// <summary>Row: ipAddress.</summary>
        public const int IpAddress = 13;
        /// <summary>Row: subnetMask.</summary>
        public const int SubnetMask = 14;
        /// <summary>Row: gateway.</summary>
        public const int Gateway = 15;
        /// <summary>Row: dns.</summary>
        public const int Dns = 16;
        /// <summary>Row: wifiSsid.</summary>
        public const int WifiSsid = 17;
        /// <summary>Row: wifiPassword.</summary>
        public const int WifiPassword = 18;
        /// <summary>Row: mqttHost.</summary>
        public const int MqttHost = 19;
        /// <summary>Row: mqttPort.</summary>
        public const int MqttPort = 20;
        /// <summary>Row: mqttPassword.</summary>
        public const int MqttPassword = 21;
        /// <summary>Row: installerSecret.</summary>
        public const int InstallerSecret = 22;
        /// <summary>Row: socketLockTimeoutMicroseconds.</summary>
        public const int SocketLockTimeout = 23;
        /// <summary>Row: commissioned.</summary>
        public const int Commissioned = 24;

        /// <summary>Variant names in the protocol, by <see cref="Firmware.Variant"/> value (part numbers 190105A101..A103).</summary>
        public static readonly string[] VariantNames = new string[] { "type1-tethered", "type2-tethered", "type2-socket" };

        /// <summary>PEST toggle positions in the protocol: mode A (factory position) or B.</summary>
        public static readonly string[] PestModeNames = new string[] { "A", "B" };

        /// <summary>Shortest installer secret, characters.</summary>
        public const int MinSecretLength = 12;

        /// <summary>Shortest MQTT password, characters (as the MQTT commissioning record requires).</summary>
        public const int MinMqttPasswordLength = 16;

        /// <summary>The lowest current a PWM pilot may offer, milliamps (IEC 61851-1: 6 A).</summary>
        public const int MinimumOfferMilliamps = 6000;

        /// <summary>Every row, in record order.</summary>
        public static readonly ConfigSetting[] All = new ConfigSetting[]
        {
            new ConfigSetting("serial", SettingOwners.Factory, SettingTypes.Text, 1, 24, "", null),
            new ConfigSetting("variant", SettingOwners.Factory, SettingTypes.Choice, 0, 2, "", VariantNames),
            // Installation guide: "6A and up to 32A at 230V"; IEC 61851-1: 6 A is the lowest PWM offer.
            new ConfigSetting("unitRatingMilliamps", SettingOwners.Factory, SettingTypes.Integer, 6000, 32000, "mA", null),
            // Tethered cable: IEC 62196 cable assemblies are rated 13, 20, 32 A; never above the unit.
            new ConfigSetting("cableRatingMilliamps", SettingOwners.Factory, SettingTypes.Integer, 6000, 32000, "mA", null),
            new ConfigSetting("pestMode", SettingOwners.Installer, SettingTypes.Choice, 0, 1, "", PestModeNames),
            new ConfigSetting("electrodeFitted", SettingOwners.Installer, SettingTypes.Boolean, 0, 1, "", null),
            // UK domestic cut-outs are 40..100 A; the supply rating bounds curtailment (EREC G100).
            new ConfigSetting("supplyRatingMilliamps", SettingOwners.Installer, SettingTypes.Integer, 40000, 100000, "mA", null),
            new ConfigSetting("ctFitted", SettingOwners.Installer, SettingTypes.Boolean, 0, 1, "", null),
            // 0 pauses while the CT is faulty; otherwise at least the 6 A PWM minimum (checked in Validate).
            new ConfigSetting("ctFallbackMilliamps", SettingOwners.Installer, SettingTypes.Integer, 0, 32000, "mA", null),
            new ConfigSetting("curtailmentMarginMilliamps", SettingOwners.Installer, SettingTypes.Integer, 0, 10000, "mA", null),
            new ConfigSetting("generationFitted", SettingOwners.Installer, SettingTypes.Boolean, 0, 1, "", null),
            new ConfigSetting("network", SettingOwners.Installer, SettingTypes.Choice, 0, 1, "", NetworkKinds.Names),
            new ConfigSetting("dhcp", SettingOwners.Installer, SettingTypes.Boolean, 0, 1, "", null),
            new ConfigSetting("ipAddress", SettingOwners.Installer, SettingTypes.Address, 0, 15, "", null),
            new ConfigSetting("subnetMask", SettingOwners.Installer, SettingTypes.Address, 0, 15, "", null),
            new ConfigSetting("gateway", SettingOwners.Installer, SettingTypes.Address, 0, 15, "", null),
            new ConfigSetting("dns", SettingOwners.Installer, SettingTypes.Address, 0, 15, "", null),
            // IEEE 802.11: an SSID is at most 32 octets; a WPA2 passphrase is 8..63 characters.
            new ConfigSetting("wifiSsid", SettingOwners.Installer, SettingTypes.Text, 0, 32, "", null),
            new ConfigSetting("wifiPassword", SettingOwners.Installer, SettingTypes.Secret, 0, 63, "", null),
            new ConfigSetting("mqttHost", SettingOwners.Factory, SettingTypes.Text, 0, 253, "", null),
            new ConfigSetting("mqttPort", SettingOwners.Factory, SettingTypes.Integer, 1, 65535, "", null),
            new ConfigSetting("mqttPassword", SettingOwners.Factory, SettingTypes.Secret, 0, 64, "", null),
            new ConfigSetting("installerSecret", SettingOwners.Factory, SettingTypes.Secret, 0, 64, "", null),
            new ConfigSetting("socketLockTimeoutMicroseconds", SettingOwners.Factory, SettingTypes.Integer, 100000, 5000000, "us", null),
            new ConfigSetting("commissioned", SettingOwners.Installer, SettingTypes.Boolean, 0, 1, "", null),
        };

        /// <summary>The row of <paramref name="name"/>, or -1.</summary>
        public static int IndexOf(string name)
        {
            for (int i = 0; i < All.Length; i++)
            {
                if (All[i].Name == name)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>True for rows held as a number (integer, boolean, choice); false for text rows.</summary>
        public static bool IsNumeric(int row)
        {
            int type = All[row].Type;
            return type == SettingTypes.Integer || type == SettingTypes.Boolean || type == SettingTypes.Choice;
        }

        /// <summary>A numeric row's value: the integer, 0/1, or the choice's index.</summary>
        public static long GetNumber(ChargerConfig c, int row)
        {
            switch (row)
            {
                case VariantRow: return (int)c.Variant;
                case UnitRating: return c.UnitRatingMilliamps;
                case CableRating: return c.CableRatingMilliamps;
                case PestModeRow: return c.PestModeB ? 1 : 0;
                case ElectrodeFitted: return c.ReferenceElectrodeFitted ? 1 : 0;
                case SupplyRating: return c.SupplyLimitMilliamps;
                case CtFitted: return c.CtFitted ? 1 : 0;
                case CtFallback: return c.CtFallbackMilliamps;
                case CurtailmentMargin: return c.CurtailmentMarginMilliamps;
                case GenerationFitted: return c.GenerationFitted ? 1 : 0;
                case Network: return c.Network;
                case Dhcp: return c.Dhcp ? 1 : 0;
                case MqttPort: return c.MqttPort;
                case SocketLockTimeout: return c.SocketLockTimeoutMicroseconds;
                case Commissioned: return c.Commissioned ? 1 : 0;
                default: throw new System.ArgumentOutOfRangeException("row");
            }
        }

        /// <summary>Sets a numeric row (the value already checked with <see cref="CheckNumber"/>).</summary>
        public static void SetNumber(ChargerConfig c, int row, long value)
        {
            int v = (int)value;
            switch (row)
            {
                case VariantRow: c.Variant = (Variant)v; break;
                case UnitRating: c.UnitRatingMilliamps = v; break;
                case CableRating: c.CableRatingMilliamps = v; break;
                case PestModeRow: c.PestModeB = v != 0; break;
                case ElectrodeFitted: c.ReferenceElectrodeFitted = v != 0; break;
                case SupplyRating: c.SupplyLimitMilliamps = v; break;
                case CtFitted: c.CtFitted = v != 0; break;
                case CtFallback: c.CtFallbackMilliamps = v; break;
                case CurtailmentMargin: c.CurtailmentMarginMilliamps = v; break;
                case GenerationFitted: c.GenerationFitted = v != 0; break;
                case Network: c.Network = v; break;
                case Dhcp: c.Dhcp = v != 0; break;
                case MqttPort: c.MqttPort = v; break;
                case SocketLockTimeout: c.SocketLockTimeoutMicroseconds = v; break;
                case Commissioned: c.Commissioned = v != 0; break;
                default: throw new System.ArgumentOutOfRangeException("row");
            }
        }

        /// <summary>A text row's value.</summary>
        public static string GetText(ChargerConfig c, int row)
        {
            switch (row)
            {
                case Serial: return c.Serial;
                case IpAddress: return c.IpAddress;
                case SubnetMask: return c.SubnetMask;
                case Gateway: return c.Gateway;
                case Dns: return c.Dns;
                case WifiSsid: return c.WifiSsid;
                case WifiPassword: return c.WifiPassword;
                case MqttHost: return c.MqttHost;
                case MqttPassword: return c.MqttPassword;
                case InstallerSecret: return c.InstallerSecret;
                default: throw new System.ArgumentOutOfRangeException("row");
            }
        }

        /// <summary>Sets a text row (the value already checked with <see cref="CheckText"/>).</summary>
        public static void SetText(ChargerConfig c, int row, string value)
        {
            switch (row)
            {
                case Serial: c.Serial = value; break;
                case IpAddress: c.IpAddress = value; break;
                case SubnetMask: c.SubnetMask = value; break;
                case Gateway: c.Gateway = value; break;
                case Dns: c.Dns = value; break;
                case WifiSsid: c.WifiSsid = value; break;
                case WifiPassword: c.WifiPassword = value; break;
                case MqttHost: c.MqttHost = value; break;
                case MqttPassword: c.MqttPassword = value; break;
                case InstallerSecret: c.InstallerSecret = value; break;
                default: throw new System.ArgumentOutOfRangeException("row");
            }
        }

        /// <summary>Null when <paramref name="value"/> is allowed for the numeric row; otherwise the refusal, naming the setting and the allowed values.</summary>
        public static string CheckNumber(int row, long value)
        {
            ConfigSetting s = All[row];
            if (value < s.Min || value > s.Max)
            {
                return Refusal(s, value.ToString());
            }

            return null;
        }

        /// <summary>Null when <paramref name="value"/> is allowed for the text row; otherwise the refusal.</summary>
        public static string CheckText(int row, string value)
        {
            ConfigSetting s = All[row];
            if (value == null || value.Length < s.Min || value.Length > s.Max)
            {
                return Refusal(s, s.Type == SettingTypes.Secret || value == null ? "a value of that length" : "\"" + value + "\"");
            }

            if (s.Type == SettingTypes.Address && value.Length > 0 && !IsIpv4(value))
            {
                return Refusal(s, "\"" + value + "\"");
            }

            if (row == Serial && !IsSerial(value))
            {
                return s.Name + ": \"" + value + "\" is not allowed; allowed 1..24 of A-Z 0-9 and '-'";
            }

            return null;
        }

        /// <summary>The choice's index among <paramref name="row"/>'s names, or -1.</summary>
        public static int ChoiceIndex(int row, string name)
        {
            string[] choices = All[row].Choices;
            for (int i = 0; i < choices.Length; i++)
            {
                if (choices[i] == name)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>
        /// Checks the whole configuration: each value against its row, then the rules between
        /// settings. Null when it may be stored and used; otherwise the first problem, naming the
        /// setting and what is allowed.
        /// </summary>
        public static string Validate(ChargerConfig c)
        {
            for (int row = 0; row < All.Length; row++)
            {
                string problem = IsNumeric(row) ? CheckNumber(row, GetNumber(c, row)) : CheckText(row, GetText(c, row));
                if (problem != null)
                {
                    return problem;
                }
            }

            if (c.Variant != Variant.Type2Socket && c.CableRatingMilliamps > c.UnitRatingMilliamps)
            {
                return "cableRatingMilliamps: " + c.CableRatingMilliamps.ToString() + " is above unitRatingMilliamps; allowed 6000.." + c.UnitRatingMilliamps.ToString() + " mA";
            }

            if (c.PestModeB && c.ReferenceElectrodeFitted)
            {
                // Installation guide, PEST table: mode B does not use the electrode ("Not required").
                return "electrodeFitted: true is not allowed with pestMode B; allowed false (mode B never uses the electrode)";
            }

            if (c.CtFallbackMilliamps != 0 && (c.CtFallbackMilliamps < MinimumOfferMilliamps || c.CtFallbackMilliamps > c.UnitRatingMilliamps))
            {
                return "ctFallbackMilliamps: " + c.CtFallbackMilliamps.ToString() + " is not allowed; allowed 0 (pause) or 6000.." + c.UnitRatingMilliamps.ToString() + " mA";
            }

            if (!c.Dhcp && (c.IpAddress.Length == 0 || c.SubnetMask.Length == 0 || c.Gateway.Length == 0))
            {
                return "ipAddress: a static address needs ipAddress, subnetMask and gateway; allowed dotted IPv4 addresses (or dhcp true)";
            }

            if (c.Network == NetworkKinds.Wifi && (c.WifiSsid.Length == 0 || c.WifiPassword.Length < 8))
            {
                return "wifiSsid: Wi-Fi needs wifiSsid (1..32 characters) and wifiPassword (8..63 characters)";
            }

            if (c.MqttHost.Length > 0 && (c.MqttPassword.Length < MinMqttPasswordLength || c.MqttPassword == c.Serial))
            {
                return "mqttPassword: with mqttHost set the unit needs its own password; allowed 16..64 characters, not the serial";
            }

            if (c.InstallerSecret.Length > 0 && (c.InstallerSecret.Length < MinSecretLength || c.InstallerSecret == c.Serial))
            {
                return "installerSecret: allowed 12..64 characters, unique to this unit (not the serial)";
            }

            if (c.Commissioned && c.InstallerSecret.Length == 0)
            {
                return "commissioned: true needs the factory's installerSecret first; allowed false";
            }

            return null;
        }

        /// <summary>True for a dotted IPv4 address: four decimal parts 0..255.</summary>
        public static bool IsIpv4(string text)
        {
            int parts = 0;
            int value = -1;
            for (int i = 0; i <= text.Length; i++)
            {
                if (i == text.Length || text[i] == '.')
                {
                    if (value < 0)
                    {
                        return false;
                    }

                    parts++;
                    value = -1;
                    continue;
                }

                char ch = text[i];
                if (ch < '0' || ch > '9')
                {
                    return false;
                }

                value = (value < 0 ? 0 : value * 10) + (ch - '0');
                if (value > 255)
                {
                    return false;
                }
            }

            return parts == 4;
        }

        private static bool IsSerial(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                char ch = text[i];
                if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-'))
                {
                    return false;
                }
            }

            return text.Length > 0;
        }

        private static string Refusal(ConfigSetting s, string value)
        {
            return s.Name + ": " + value + " is out of range; allowed " + s.Allowed();
        }
    }
}
