namespace IndraSmartPro.Pests
{
    /// <summary>
    /// The PEST operating modes of the installation guide's table ("PESTs Protection"). The names
    /// are the installer's: INDRA calls them A and B, and mode A comes with or without the
    /// TT reference electrode.
    /// </summary>
    public enum PestMode
    {
        /// <summary>
        /// Mode A with reference electrode, BS 7671 722.411.4.1 (iii): L-N and L-TTref outside
        /// 230 V ±12 %, CPC-TTref above 30 V. The safest configuration (manual).
        /// </summary>
        AWithElectrode = 0,

        /// <summary>
        /// Mode A without reference electrode (TT, indoor, indent (i) or (ii), third-party device):
        /// L-N outside 230 V ±12 % only; L-TTref and CPC-TTref are "not detected" (manual's table).
        /// </summary>
        AWithoutElectrode = 1,

        /// <summary>Mode B, BS 7671 722.411.4.1 (iv): L-N outside 207–253 V only.</summary>
        B = 2,
    }

    /// <summary>How the PEST mode is chosen, and its names on the simulator's command line.</summary>
    public static class PestModes
    {
        /// <summary>
        /// The mapping (docs/faults.md, "Mode selection"): the PEST toggle switch chooses A
        /// (factory position) or B; in position A the commissioned "reference electrode fitted"
        /// setting chooses between A with and A without electrode. In position B the electrode
        /// setting is ignored: mode B never uses the electrode (manual's table: "Not required").
        /// </summary>
        /// <param name="toggleModeB">The PEST toggle, true when flicked across to mode B.</param>
        /// <param name="referenceElectrodeFitted">The commissioning setting.</param>
        public static PestMode Select(bool toggleModeB, bool referenceElectrodeFitted)
        {
            if (toggleModeB)
            {
                return PestMode.B;
            }

            return referenceElectrodeFitted ? PestMode.AWithElectrode : PestMode.AWithoutElectrode;
        }

        /// <summary>The mode's name as the replay command takes it: "A-electrode", "A-no-electrode", "B".</summary>
        public static string Name(PestMode mode)
        {
            switch (mode)
            {
                case PestMode.AWithElectrode:
                    return "A-electrode";
                case PestMode.AWithoutElectrode:
                    return "A-no-electrode";
                default:
                    return "B";
            }
        }

        /// <summary>Parses a name from <see cref="Name"/>. False for anything else.</summary>
        public static bool TryParse(string name, out PestMode mode)
        {
            switch (name)
            {
                case "A-electrode":
                    mode = PestMode.AWithElectrode;
                    return true;
                case "A-no-electrode":
                    mode = PestMode.AWithoutElectrode;
                    return true;
                case "B":
                    mode = PestMode.B;
                    return true;
                default:
                    mode = PestMode.AWithElectrode;
                    return false;
            }
        }
    }
}
