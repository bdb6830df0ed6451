namespace IndraSmartPro.Board
{
    /// <summary>
    /// The front button as features see it: debounced presses, already classified. The long
    /// press belongs to protection (the trip reset); features see only the short presses, so one
    /// press never does both.
    /// </summary>
    public interface IButtonGestures
    {
        /// <summary>Short presses so far (released before the long-press time); compare with the last count seen.</summary>
        int ShortPressCount { get; }
    }
}
