namespace IndraSmartPro.ControlPilot
{
    /// <summary>
    /// The control pilot states of IEC 61851-1 Annex A (SAE J1772), ordered from the highest
    /// positive level to the lowest, as the classifier reads them from the pilot line.
    /// </summary>
    public enum PilotState
    {
        /// <summary>+12 V: no vehicle.</summary>
        A = 0,
        /// <summary>+9 V: vehicle connected, not requesting charge.</summary>
        B = 1,
        /// <summary>+6 V: vehicle requests charge.</summary>
        C = 2,
        /// <summary>+3 V: vehicle requests charge with ventilation.</summary>
        D = 3,
        /// <summary>0 V: pilot shorted to PE, or the EVSE has no supply.</summary>
        E = 4,
        /// <summary>−12 V: EVSE not available (the EVSE shows it after a fault).</summary>
        F = 5,
    }

    /// <summary>Facts about <see cref="PilotState"/>.</summary>
    public static class PilotStates
    {
        /// <summary>Number of <see cref="PilotState"/> values.</summary>
        public const int Count = 6;

        private static readonly string[] Codes = { "A", "B", "C", "D", "E", "F" };

        /// <summary>The one-letter code used in events and JSON ("A".."F"); constant strings, no allocation.</summary>
        public static string Code(PilotState state)
        {
            return Codes[(int)state];
        }

        /// <summary>True for B, C and D: a vehicle is connected and its pilot load is healthy.</summary>
        public static bool VehiclePresent(PilotState state)
        {
            return state == PilotState.B || state == PilotState.C || state == PilotState.D;
        }
    }
}
