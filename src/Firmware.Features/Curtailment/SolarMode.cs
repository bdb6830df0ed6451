namespace IndraSmartPro.Features.Curtailment
{
    /// <summary>How the charger uses solar surplus, chosen by the owner or the platform (docs/mqtt.md, "set-solar-mode").</summary>
    public enum SolarMode
    {
        /// <summary>Curtailment only: as fast as the supply allows (the default). MQTT name "fast".</summary>
        Fast = 0,
        /// <summary>Follow the export surplus, but never below 6 A (the rest from the grid). MQTT name "eco".</summary>
        Eco = 1,
        /// <summary>Surplus only: pause when the surplus is under 6 A (same pause rules as curtailment). MQTT name "eco-plus".</summary>
        EcoPlus = 2,
    }

    /// <summary>Names of <see cref="SolarMode"/> on the wire.</summary>
    public static class SolarModes
    {
        /// <summary>Wire name of <see cref="SolarMode.Fast"/>.</summary>
        public const string FastName = "fast";

        /// <summary>Wire name of <see cref="SolarMode.Eco"/>.</summary>
        public const string EcoName = "eco";

        /// <summary>Wire name of <see cref="SolarMode.EcoPlus"/>.</summary>
        public const string EcoPlusName = "eco-plus";

        /// <summary>The wire name of a mode.</summary>
        public static string Name(SolarMode mode)
        {
            switch (mode)
            {
                case SolarMode.Eco:
                    return EcoName;
                case SolarMode.EcoPlus:
                    return EcoPlusName;
                default:
                    return FastName;
            }
        }

        /// <summary>Parses a wire name; false for anything else.</summary>
        public static bool TryParse(string name, out SolarMode mode)
        {
            mode = SolarMode.Fast;
            if (name == FastName)
            {
                return true;
            }

            if (name == EcoName)
            {
                mode = SolarMode.Eco;
                return true;
            }

            if (name == EcoPlusName)
            {
                mode = SolarMode.EcoPlus;
                return true;
            }

            return false;
        }
    }
}
