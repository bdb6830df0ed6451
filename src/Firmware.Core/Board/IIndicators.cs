namespace IndraSmartPro.Board
{
    /// <summary>What the status LEDs show. One value at a time; the binding maps it to colours.</summary>
    public enum IndicatorState
    {
        /// <summary>Booting or checking the supply.</summary>
        Starting = 0,
        /// <summary>Ready, no vehicle.</summary>
        Idle = 1,
        /// <summary>Vehicle connected, not charging.</summary>
        Connected = 2,
        /// <summary>Charging.</summary>
        Charging = 3,
        /// <summary>Paused by curtailment, schedule or the platform.</summary>
        Paused = 4,
        /// <summary>A latched protective trip or fault: needs attention.</summary>
        Fault = 5,
        /// <summary>Nobody has commissioned the unit: it will not charge until an installer does (red and blue together, a colour no other state uses).</summary>
        NotCommissioned = 6,
    }

    /// <summary>The front status LEDs.</summary>
    public interface IIndicators
    {
        /// <summary>Shows the state; cheap enough to call every tick.</summary>
        void Show(IndicatorState state);
    }
}
