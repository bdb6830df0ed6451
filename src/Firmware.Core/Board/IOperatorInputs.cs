namespace IndraSmartPro.Board
{
    /// <summary>The switches a person can reach: the installer's PEST toggle and the user's button.</summary>
    public interface IOperatorInputs
    {
        /// <summary>
        /// The PEST toggle switch: false in the factory position (mode A), true when flicked
        /// across (mode B). Installation guide: "each Smart PRO device is factory set to mode A
        /// via the PEST toggle switch".
        /// </summary>
        bool ReadPestToggleModeB();

        /// <summary>True while the front button is held down (already debounced by the caller, not the binding).</summary>
        bool ReadButtonPressed();
    }
}
