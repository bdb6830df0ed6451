namespace IndraSmartPro.Board
{
    /// <summary>
    /// The charger's two switching stages, as the board drives them. Safety contract: this is the
    /// closing capability, and only <see cref="IndraSmartPro.Safety.RelaySupervisor"/> is given it
    /// (the composition root hands the board to the supervisor and to nothing else that could
    /// switch; a host test checks by type that no protection, pilot or metering type can hold it).
    /// Both relays are open at power-on (hardware default) and after <see cref="OpenAll"/>.
    /// </summary>
    public interface IRelayDrive
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
    }
}
