namespace IndraSmartPro.Board
{
    /// <summary>
    /// The weld-sense input on the load side of the contactor: what protection may read about the
    /// relays. Reading only; it gives no way to switch anything (<see cref="IRelayDrive"/> does).
    /// </summary>
    public interface IWeldSense
    {
        /// <summary>
        /// True when the weld-sense circuit sees mains on the load side of the contactor. Open and
        /// healthy: false within the relay's release time. Open and true after that: welded.
        /// </summary>
        bool ReadLoadSideLive();
    }
}
