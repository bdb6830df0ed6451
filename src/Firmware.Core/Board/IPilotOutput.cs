namespace IndraSmartPro.Board
{
    /// <summary>
    /// The control pilot generator: a 1 kHz square wave switched between +12 V and −12 V
    /// (IEC 61851-1 Annex A). The binding only drives the output stage; which state to show and
    /// what current to offer is decided by the control pilot logic.
    /// </summary>
    public interface IPilotOutput
    {
        /// <summary>
        /// Runs the 1 kHz PWM with the given high time in permille of the period (1..999).
        /// 100 = 10 % = 6 A, 533 = 53.3 % = 32 A (IEC 61851-1 Table A.8).
        /// </summary>
        void SetDutyPermille(int dutyPermille);

        /// <summary>Holds the pilot at a steady +12 V: state A/B signalling, no current offered.</summary>
        void HoldPositive();

        /// <summary>
        /// Holds the pilot at a steady −12 V: state F, EVSE not available. This is the safe level
        /// after a fault; the board boots into it.
        /// </summary>
        void HoldNegative();
    }
}
