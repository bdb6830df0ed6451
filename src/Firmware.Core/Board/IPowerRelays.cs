namespace IndraSmartPro.Board
{
    /// <summary>
    /// The charger's two switching stages. Safety contract: only the relay supervisor in the
    /// firmware calls the closing methods, and only when protection allows it; any component may
    /// request opening. Both relays are open at power-on (hardware default) and after
    /// <see cref="OpenAll"/>.
    /// </summary>
    public interface IPowerRelays
    {
        /// <summary>
        /// Closes or opens the main contactor, both poles (line and neutral) together.
        /// If protection does not allow power, this must never be called with true.
        /// </summary>
        void SetContactor(bool closed);

        /// <summary>Closes or opens the CPC/earth relay that connects the vehicle's protective earth.</summary>
        void SetEarthRelay(bool closed);

        /// <summary>Opens the contactor and then the earth relay, now, in this call.</summary>
        void OpenAll();

        /// <summary>
        /// True when the weld-sense circuit sees mains on the load side of the contactor. Open and
        /// healthy: false within the relay's release time. Open and true after that: welded.
        /// </summary>
        bool ReadLoadSideLive();
    }
}
