namespace IndraSmartPro.Pests
{
    /// <summary>
    /// The fixed set of latched protective causes (docs/faults.md is the catalogue). A cause has a
    /// code (published as the Trip event's Code, printed as "cause" by the simulator, sent over
    /// MQTT) and a small index that the persisted latch record stores. Indexes never change
    /// meaning: append new causes at the end.
    /// </summary>
    public static class TripCauses
    {
        /// <summary>No cause (index 0 is never latched).</summary>
        public const int None = 0;

        /// <summary>L-N outside the mode's band for the band persistence.</summary>
        public const int LineNeutralOutOfRange = 1;

        /// <summary>L-TTref outside 202.4–257.6 V (mode A with electrode).</summary>
        public const int LineTtRefOutOfRange = 2;

        /// <summary>CPC-TTref above 30 V (mode A with electrode).</summary>
        public const int CpcTtRefOver30V = 3;

        /// <summary>CPC-TTref at or above 70 V (mode A with electrode), the fast trip.</summary>
        public const int CpcTtRefOver70V = 4;

        /// <summary>L-TTref collapsed: the reference electrode is open or missing (mode A with electrode).</summary>
        public const int ElectrodeOpen = 5;

        /// <summary>The RDC-DD module signalled 6 mA DC residual current (or its own fault).</summary>
        public const int RdcDd = 6;

        /// <summary>The load side stayed live with the contactor open: welded contacts.</summary>
        public const int RelayWelded = 7;

        /// <summary>The RDC-DD self-test failed: its fault output did not follow the test input.</summary>
        public const int RdcDdSelfTestFailed = 8;

        /// <summary>The persisted latch record could not be trusted; failing safe, treated as latched.</summary>
        public const int LatchRecordCorrupt = 9;

        /// <summary>Number of indexes (including <see cref="None"/>); masks are 16 bits, so at most 16.</summary>
        public const int Count = 10;

        private static readonly string[] Codes =
        {
            null,
            "ln-out-of-range",
            "ltt-out-of-range",
            "cpc-tt-over-30v",
            "cpc-tt-over-70v",
            "electrode-open",
            "rdc-dd",
            "relay-welded",
            "rdc-dd-selftest-failed",
            "latch-record-corrupt",
        };

        /// <summary>The cause's code, e.g. "ln-out-of-range"; null for <see cref="None"/> or an unknown index.</summary>
        public static string Code(int cause)
        {
            return cause > 0 && cause < Count ? Codes[cause] : null;
        }

        /// <summary>
        /// True for the PEN-fault causes (and a corrupt latch record, which might have been one):
        /// BS 7671 722.411.4.1 (iii)/(iv) disconnect line, neutral AND protective earth, so these
        /// open the earth relay too. The other causes (weld, RDC-DD) open the contactor only and
        /// leave the vehicle earthed: with welded contacts or a residual current the vehicle may
        /// still be live, and its protective earth is what keeps a person safe.
        /// </summary>
        public static bool OpensEarth(int cause)
        {
            return cause == LineNeutralOutOfRange || cause == LineTtRefOutOfRange || cause == CpcTtRefOver30V
                || cause == CpcTtRefOver70V || cause == ElectrodeOpen || cause == LatchRecordCorrupt;
        }

        /// <summary>Bit of the cause in a cause mask.</summary>
        public static int Bit(int cause)
        {
            return 1 << cause;
        }
    }
}
