namespace IndraSmartPro.Board
{
    /// <summary>
    /// The analogue signals the firmware samples. Every one is on ADC1 (ADC2 cannot be read while
    /// WiFi runs on the ESP32); pins are in hw/pinmap.json.
    /// </summary>
    public enum AnalogChannel
    {
        /// <summary>Line to neutral, through the isolated divider biased at mid-rail.</summary>
        LineNeutral = 0,
        /// <summary>Line to the TT reference electrode.</summary>
        LineTtRef = 1,
        /// <summary>Installation earth (CPC/PME) to the TT reference electrode.</summary>
        CpcTtRef = 2,
        /// <summary>External CT clamp on the house's incoming live (burden voltage).</summary>
        CtClamp = 3,
        /// <summary>The charger's own EV current sense (burden voltage).</summary>
        EvCurrent = 4,
        /// <summary>Control pilot feedback, the ±12 V pilot scaled into the ADC range.</summary>
        PilotFeedback = 5,
        /// <summary>Proximity pilot (Type 2 socket only): the plug's PP-PE resistor in a divider.</summary>
        ProximityPilot = 6,
    }

    /// <summary>Facts about <see cref="AnalogChannel"/> that arrays are sized by.</summary>
    public static class AnalogChannels
    {
        /// <summary>Number of <see cref="AnalogChannel"/> values; channel arrays are this long.</summary>
        public const int Count = 7;
    }
}
