namespace IndraSmartPro.ControlPilot
{
    /// <summary>
    /// The claim slots of the <see cref="CurrentArbiter"/>, highest priority first (the order
    /// OpenEVSE uses: safety > curtailment > manual/boost > platform > schedule > default, with
    /// the owner's pause just below safety). Each feature owns one slot.
    /// </summary>
    public enum ClaimSlot
    {
        /// <summary>A protective reduction (temperature, a supervision fault). A ceiling: always applies.</summary>
        Safety = 0,
        /// <summary>
        /// Charging paused (0 A, reason "paused") by the owner, the platform or a command. A
        /// ceiling: nothing but safety outranks it, so Boost does not undo a pause.
        /// </summary>
        Pause = 1,
        /// <summary>Load curtailment (house import plus the EV under the supply rating). A ceiling: always applies.</summary>
        Curtailment = 2,
        /// <summary>The owner's manual limit or Boost. A preference: overrides platform, schedule and default.</summary>
        Manual = 3,
        /// <summary>The grid platform's optimisation. A preference: overrides schedule and default.</summary>
        Platform = 4,
        /// <summary>Default charging hours / schedules. A preference: overrides default.</summary>
        Schedule = 5,
        /// <summary>The commissioned default. A preference of the lowest priority.</summary>
        Default = 6,
    }

    /// <summary>Facts about <see cref="ClaimSlot"/>.</summary>
    public static class ClaimSlots
    {
        /// <summary>Number of slots; arrays are this long.</summary>
        public const int Count = 7;

        /// <summary>
        /// True for the ceilings (safety, pause, curtailment): they always cap the result and their
        /// reductions act at once. The others are preferences: the highest-priority active one wins.
        /// </summary>
        public static bool IsCeiling(ClaimSlot slot)
        {
            return slot == ClaimSlot.Safety || slot == ClaimSlot.Pause || slot == ClaimSlot.Curtailment;
        }
    }
}
