namespace IndraSmartPro.Safety
{
    /// <summary>
    /// Implemented by the control pilot controller. A protective trip calls it in the same tick as
    /// it opens the relays, so the EV stops drawing and sees the EVSE is not available.
    /// </summary>
    public interface IPilotSafety
    {
        /// <summary>
        /// Shows state F (steady −12 V) at once and holds it for at least 300 ms
        /// (IEC 61851-1 Table A.6), then a steady safe level while power is not permitted.
        /// No current is offered until power is permitted again.
        /// </summary>
        void EnterFaultState(long nowMicroseconds);
    }
}
