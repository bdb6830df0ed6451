namespace IndraSmartPro.Pests
{
    /// <summary>
    /// Every number the PEST protection decides by, with its source. Voltages are true RMS per
    /// mains cycle in millivolts; times in microseconds. docs/faults.md explains the timing rules.
    /// </summary>
    public static class PestLimits
    {
        // ---- Bands (a value ON the limit is in range; the trip is "below"/"above") ----

        /// <summary>Mode B lower L-N limit: BS 7671 722.411.4.1 (iv), "less than 207 V rms".</summary>
        public const int ModeBLowMillivolts = 207000;

        /// <summary>Mode B upper L-N limit: BS 7671 722.411.4.1 (iv), "greater than 253 V rms".</summary>
        public const int ModeBHighMillivolts = 253000;

        /// <summary>Mode A lower L-N and L-TTref limit: manual's table, 230 V −12 % = 202.4 V.</summary>
        public const int ModeALowMillivolts = 202400;

        /// <summary>Mode A upper L-N and L-TTref limit: manual's table, 230 V +12 % = 257.6 V.</summary>
        public const int ModeAHighMillivolts = 257600;

        /// <summary>Mode A with electrode, CPC(PME)-TTref trip: manual's table, "30v RMS" (above it trips).</summary>
        public const int CpcTtRefMillivolts = 30000;

        /// <summary>
        /// CPC-TTref fast trip: BS 7671 722.411.4.1 (iii), "exceeding 70 V rms"; the product requires
        /// "at or above 70 V trips within 0.5 s" (docs/domain.md, "PEST timing requirements"), so 70.000 V itself is in the fast class.
        /// </summary>
        public const int CpcTtRefFastMillivolts = 70000;

        /// <summary>
        /// Below this L-TTref the electrode is taken to be open or missing (L-TTref ≈ L against
        /// true earth, docs/domain.md, "Three measured voltages": a healthy electrode never reads this low while L-N is present).
        /// Only names the cause: any L-TTref below 202.4 V trips anyway.
        /// </summary>
        public const int ElectrodeOpenMillivolts = 50000;

        // ---- Persistence (the integrator, docs/faults.md "Timing") ----

        /// <summary>
        /// Band rules (L-N, L-TTref, CPC-TTref above 30 V): the integrator trips at 1.1 s.
        /// Ride-through (docs/domain.md, "PEST timing requirements"): an excursion shorter than 1.0 s never trips. An excursion of
        /// length d overlaps cycles totalling at most d + 2 cycles (≤ 2 × 25 ms timeout cycles),
        /// so it adds at most 1.05 s: 1.1 s keeps 50 ms of margin. BS 7671 722.411.4.1 (iv)
        /// requires disconnection within 5 s; a sustained violation trips after 1.1 s plus at most
        /// one cycle.
        /// </summary>
        public const int BandTripMicroseconds = 1100000;

        /// <summary>
        /// CPC-TTref at or above 70 V: trips at 100 ms. Ride-through (docs/domain.md, "PEST timing
        /// requirements"): shorter than 40 ms never trips (40 ms + 2 × 25 ms partial cycles = 90 ms
        /// &lt; 100 ms); the product requirement, stricter than BS 7671 (iii): within 0.5 s (reached in 100 ms plus at most one cycle).
        /// </summary>
        public const int FastTripMicroseconds = 100000;

        // ---- Windowed rules (docs/faults.md, "Windowed rules") ----

        /// <summary>Short sliding window of true RMS: 200 ms (10 cycles), the shortest the requirement names.</summary>
        public const int ShortWindowMicroseconds = 200000;

        /// <summary>Long sliding window of true RMS: 1 s.</summary>
        public const int LongWindowMicroseconds = 1000000;

        /// <summary>Cycles a window can hold: 1 s of the shortest cycle the meter reports (a 10 ms partial) plus margin.</summary>
        public const int WindowCapacityCycles = 110;

        /// <summary>
        /// Band rules judged on the 200 ms window trip when its violation integrates to 1.3 s. A
        /// single excursion of length d makes a window of length W violate for at most
        /// d + W + 2 cycles (50 ms): an excursion under the 1.0 s ride-through adds at most
        /// 1.0 + 0.2 + 0.05 = 1.25 s, so 1.3 s keeps the ride-through with 50 ms of margin.
        /// </summary>
        public const int ShortWindowBandTripMicroseconds = 1300000;

        /// <summary>Band rules on the 1 s window: 1.0 + 1.0 + 0.05 s + 50 ms margin = 2.1 s (same derivation).</summary>
        public const int LongWindowBandTripMicroseconds = 2100000;

        /// <summary>
        /// CPC-TTref at or above 70 V on the 200 ms window: 0.3 s. The fast rule's 40 ms ride-through
        /// + 0.2 s window + 50 ms of cycles = 0.29 s; BS 7671 722.411.4.1 (iii) allows 5 s.
        /// </summary>
        public const int ShortWindowFastTripMicroseconds = 300000;

        /// <summary>
        /// Healthy cycles drain an integrator at this fraction of their length (1/2): a violation
        /// present more than a third of the time accumulates and trips; isolated excursions
        /// separated by at least twice their length drain away completely.
        /// </summary>
        public const int DrainDivisor = 2;

        /// <summary>
        /// Longest cycle an integrator counts. The meter closes a cycle on a 25 ms timeout when L-N
        /// has no zero crossings; anything longer is clamped so one odd cycle cannot trip alone.
        /// </summary>
        public const int MaxCycleMicroseconds = 40000;

        /// <summary>
        /// No evaluated mains cycle for this long means the protection is blind (the meter closes a
        /// cycle at least every 22.3 ms even without a signal): power is refused until cycles flow
        /// again. 10 nominal cycles: long enough that a late protection task (the meter restarts a
        /// cycle after a 5 ms sample gap) does not open the relays under load, short enough that
        /// a blind spell stays well inside the 0.5 s of the fast CPC-TTref trip.
        /// </summary>
        public const int MeteringStaleMicroseconds = 200000;

        // ---- Closing and resetting ----

        /// <summary>
        /// Boot supply check: every monitored voltage in range for 4 s, without a single violating
        /// cycle, before the earth relay or the contactor may close (docs/domain.md, "PEST timing requirements":
        /// a peer checks the supply for 4 s at boot before connecting earth; check).
        /// </summary>
        public const int BootCheckMicroseconds = 4000000;

        /// <summary>
        /// Closing after boot: every monitored voltage in range for the last 1 s. BS 7671
        /// 722.411.4.1 (iii)/(iv): "closing ... shall be possible only if" the voltage is in range.
        /// 1 s matches the ride-through, so a dip that is ridden through while closed also holds
        /// off a new closing until it has passed.
        /// </summary>
        public const int ClosingHealthyMicroseconds = 1000000;

        /// <summary>
        /// Reset of a latched trip (button or remote): every monitored voltage back in range for
        /// 10 s. BS 7671 722.411.4.1 (iii)/(iv): "resetting ... only if" in range; the manual:
        /// "shall not be automatically reset".
        /// </summary>
        public const int ResetHealthyMicroseconds = 10000000;

        /// <summary>Front button long press that resets a latched trip: held 3 s (after a 50 ms debounce).</summary>
        public const int ResetPressMicroseconds = 3000000;

        /// <summary>Button debounce: the input must be stable this long before a change counts.</summary>
        public const int ButtonDebounceMicroseconds = 50000;

        /// <summary>
        /// The PEST toggle must read the other position this long before it counts as changed
        /// (a switch bounces for milliseconds; a real change is deliberate).
        /// </summary>
        public const int ToggleDebounceMicroseconds = 100000;

        // ---- Relay weld detection (manual's table: "Relay Weld detection") ----

        /// <summary>
        /// After the contactor opens, the load side must be dead within 200 ms (the relay releases
        /// in about 15 ms; VirtualBoard.RelayReleaseMicroseconds). Reclosing is refused until the
        /// load side has been seen dead after this window.
        /// </summary>
        public const int WeldReleaseMicroseconds = 200000;

        /// <summary>
        /// Load side live for this long, past the release window while open, latches "relay-welded":
        /// with the 10 ms poll, two consecutive live reads (filters a single glitch).
        /// </summary>
        public const int WeldConfirmMicroseconds = 5000;

        // ---- 6 mA DC, RDC-DD (IEC 62955; docs/domain.md, "6 mA DC residual current (RDC-DD)": self-test before each session, at least every 24 h) ----

        /// <summary>While the test input is on, the module's fault output must rise within 500 ms (check).</summary>
        public const int RdcDdTestRiseMicroseconds = 500000;

        /// <summary>After the test input is released, the fault output must fall within 500 ms (check).</summary>
        public const int RdcDdTestFallMicroseconds = 500000;

        /// <summary>A passed self-test is good for 24 h of idle time (docs/domain.md, "6 mA DC residual current (RDC-DD)", peers: "at least every 24 h").</summary>
        public const long RdcDdTestIntervalMicroseconds = 24L * 3600 * 1000000;
    }
}
