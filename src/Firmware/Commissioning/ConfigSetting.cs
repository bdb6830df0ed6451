namespace IndraSmartPro.Commissioning
{
    /// <summary>Who may change a setting (docs/commissioning-protocol.md, "Settings").</summary>
    public static class SettingOwners
    {
        /// <summary>Set at the factory over the USB console: variant, rating, serial, credentials, calibration.</summary>
        public const int Factory = 0;

        /// <summary>Set by the installer with the installer's secret: site settings (protected, EREC G100 load-management settings).</summary>
        public const int Installer = 1;

        /// <summary>Set by the owner through the platform (MQTT commands), not by the commissioning protocol.</summary>
        public const int Platform = 2;

        /// <summary>The owner's name in the protocol: "factory", "installer", "platform".</summary>
        public static string Name(int owner)
        {
            switch (owner)
            {
                case Factory:
                    return "factory";
                case Installer:
                    return "installer";
                default:
                    return "platform";
            }
        }
    }

    /// <summary>The kinds of value a setting holds, and so how it is written in JSON and in the record.</summary>
    public static class SettingTypes
    {
        /// <summary>An integer in [Min, Max] (JSON number; record: 32-bit).</summary>
        public const int Integer = 0;

        /// <summary>true or false (JSON boolean; record: one byte).</summary>
        public const int Boolean = 1;

        /// <summary>One of <see cref="ConfigSetting.Choices"/> (JSON string; record: its index, one byte).</summary>
        public const int Choice = 2;

        /// <summary>Text of Min..Max characters (JSON string; record: 16-bit length and UTF-8).</summary>
        public const int Text = 3;

        /// <summary>Text never read back (passwords, the installer secret).</summary>
        public const int Secret = 4;

        /// <summary>A dotted IPv4 address, or "" (JSON string).</summary>
        public const int Address = 5;
    }

    /// <summary>One row of the settings table: name, owner, kind and the allowed range.</summary>
    public sealed class ConfigSetting
    {
        /// <summary>Builds a row.</summary>
        public ConfigSetting(string name, int owner, int type, long min, long max, string unit, string[] choices)
        {
            Name = name;
            Owner = owner;
            Type = type;
            Min = min;
            Max = max;
            Unit = unit;
            Choices = choices;
        }

        /// <summary>The setting's name in the protocol and the docs (camelCase, units in the name).</summary>
        public readonly string Name;

        /// <summary>Who may change it, <see cref="SettingOwners"/>.</summary>
        public readonly int Owner;

        /// <summary>Its kind, <see cref="SettingTypes"/>.</summary>
        public readonly int Type;

        /// <summary>Lowest value (integers) or shortest text, characters.</summary>
        public readonly long Min;

        /// <summary>Highest value (integers) or longest text, characters.</summary>
        public readonly long Max;

        /// <summary>The unit of an integer ("mA", "us", ""), for messages.</summary>
        public readonly string Unit;

        /// <summary>The allowed names of a <see cref="SettingTypes.Choice"/>; null otherwise.</summary>
        public readonly string[] Choices;

        /// <summary>The allowed values in words, for a refusal: "6000..32000 mA", "one of ethernet, wifi", "1..24 characters".</summary>
        public string Allowed()
        {
            switch (Type)
            {
                case SettingTypes.Integer:
                    return Min.ToString() + ".." + Max.ToString() + (Unit.Length > 0 ? " " + Unit : "");
                case SettingTypes.Boolean:
                    return "true or false";
                case SettingTypes.Choice:
                    string list = "one of ";
                    for (int i = 0; i < Choices.Length; i++)
                    {
                        list += (i > 0 ? ", " : "") + Choices[i];
                    }

                    return list;
                case SettingTypes.Address:
                    return "a dotted IPv4 address (a.b.c.d, each 0..255)";
                default:
                    return Min.ToString() + ".." + Max.ToString() + " characters";
            }
        }
    }

    /// <summary>The network interfaces a unit can be commissioned on.</summary>
    public static class NetworkKinds
    {
        /// <summary>Wired Ethernet (the installation guide runs an Ethernet cable to the unit).</summary>
        public const int Ethernet = 0;

        /// <summary>Wi-Fi (station mode).</summary>
        public const int Wifi = 1;

        /// <summary>Names in the protocol, by value.</summary>
        public static readonly string[] Names = new string[] { "ethernet", "wifi" };
    }
}
