using System;
using IndraSmartPro.Board;
using IndraSmartPro.Events;
using IndraSmartPro.Metering;
using IndraSmartPro.Persistence;
using IndraSmartPro.Safety;
using IndraSmartPro.Scheduling;

namespace IndraSmartPro.Pests
{
    /// <summary>
    /// PEST protection composed: the per-cycle voltage rules (<see cref="PestMonitor"/>, run inside
    /// the protection task as a mains-cycle listener), the weld and RDC-DD monitors and the reset
    /// button (run as the "pests" task every millisecond, right after "protection"), the latch
    /// (<see cref="PestLatch"/>: persisted through <see cref="IStore"/>, fail-safe on corruption),
    /// the mode toggle (<see cref="PestModeToggle"/>), the metering watchdog and the disturbance record.
    /// It is an <see cref="IPowerInterlock"/>: power is refused until the boot supply check has
    /// passed, while a trip is latched, while the supply is out of range, and while the PEST toggle
    /// disagrees with the mode in force. A trip acts in the call that detects it: relays open
    /// (<see cref="RelaySupervisor.TripPenFault"/> and its siblings, one per kind of trip), pilot to state F, latch, Trip event.
    /// See docs/faults.md for the rules and the cause catalogue. Allocation-free in steady state.
    /// </summary>
    public sealed class PestProtection : IMainsCycleListener, IPeriodicTask, IPowerInterlock, IProtectiveLatch
    {
        /// <summary>
        /// The "pests" task period: every millisecond, so the RDC-DD fault input opens the contactor
        /// within a millisecond ("at once": docs/domain.md, "6 mA DC residual current (RDC-DD)").
        /// </summary>
        public const int TaskPeriodMicroseconds = 1000;

        /// <summary>
        /// The slower inputs (weld sense, PEST toggle, button) are read every 10 ms: their own
        /// timings are 200 ms, 100 ms and 3 s, and skipping nine runs in ten keeps the task to one
        /// GPIO read in most milliseconds on the device.
        /// </summary>
        public const int SlowPollMicroseconds = 10000;

        /// <summary>The "pests" task budget on the device: at most four GPIO reads and a few comparisons.</summary>
        public const int TaskBudgetMicroseconds = 100;

        /// <summary>Blocking code until the boot supply check has passed.</summary>
        public const string BootCheckCode = "pest-boot-check";

        /// <summary>Blocking code while the supply has not been in range for the closing time.</summary>
        public const string SupplyOutOfRangeCode = "supply-out-of-range";

        /// <summary>Fault code (and blocking code) while the PEST toggle disagrees with the mode in force.</summary>
        public const string ModeChangedCode = "pest-mode-changed";

        /// <summary>Fault code (and blocking code) while no mains cycle has been evaluated for <see cref="PestLimits.MeteringStaleMicroseconds"/>.</summary>
        public const string MeteringStaleCode = "pest-metering-stale";

        /// <summary>Notice code when a button reset was refused; Text is the refusal.</summary>
        public const string ResetRefusedCode = "reset-refused";

        /// <summary>Notice code when the disturbance record of the last trip is complete; Detail is the record.</summary>
        public const string DisturbanceCompleteCode = "disturbance-record";

        /// <summary>Refusal: nothing is latched.</summary>
        public const string RefusalNotLatched = "not-latched";

        /// <summary>Refusal: the monitored voltages have not been in range for the reset time (10 s).</summary>
        public const string RefusalSupplyNotHealthy = "supply-not-back-in-range-10s";

        /// <summary>Refusal: the RDC-DD module still signals a fault.</summary>
        public const string RefusalRdcDdFault = "rdc-dd-fault-present";

        /// <summary>Refusal: the load side is live with the contactor open (still welded).</summary>
        public const string RefusalLoadSideLive = "load-side-live";

        /// <summary>Refusal: the PEST toggle disagrees with the mode in force.</summary>
        public const string RefusalModeChanged = ModeChangedCode;

        /// <summary>Reset refusal: the cleared latch could not be written to the store, so the unit stays latched.</summary>
        public const string RefusalStoreFailed = "latch-store-failed";

        private const string RestoredText = "restored from the latch record";

        private readonly IWeldSense _sense;
        private readonly IRcdMonitor _rcd;
        private readonly IOperatorInputs _inputs;
        private readonly RelaySupervisor _relays;
        private readonly EventBus _events;
        private readonly bool _referenceElectrodeFitted;
        private PestMonitor _monitor;
        private readonly WeldMonitor _weld;
        private readonly RdcDdMonitor _rdcDd;
        private readonly ResetButton _button = new ResetButton();
        private readonly DisturbanceRing _ring = new DisturbanceRing();
        private readonly DisturbanceRecord _record = new DisturbanceRecord();
        private readonly PestLatch _latch;
        private readonly PestModeToggle _toggle;
        private bool _recordCompletePending;
        private long _lastSlowPollMicroseconds = long.MinValue / 2;
        private long _lastCycleMicroseconds;
        private bool _meteringStale;

        /// <summary>
        /// Builds the protection, restores the latch from the store, subscribes to the meter and registers itself,
        /// the weld monitor and the RDC-DD monitor as interlocks with the relay supervisor.
        /// </summary>
        public PestProtection(IWeldSense weldSense, IRcdMonitor rcd, IOperatorInputs inputs, RelaySupervisor relays,
            EventBus events, IStore store, MainsMeter meter, bool referenceElectrodeFitted)
        {
            if (weldSense == null || rcd == null || inputs == null || relays == null || events == null || store == null || meter == null)
            {
                throw new ArgumentNullException();
            }

            _sense = weldSense;
            _rcd = rcd;
            _inputs = inputs;
            _relays = relays;
            _events = events;
            _referenceElectrodeFitted = referenceElectrodeFitted;
            _toggle = new PestModeToggle(inputs, events);
            SelectMode();
            _weld = new WeldMonitor(weldSense, relays, this);
            _rdcDd = new RdcDdMonitor(rcd, relays, this);
            // The self-test must not run on a stale test line left on by a previous run.
            _rcd.SetTest(false);
            _latch = new PestLatch(store);

            meter.Subscribe(this);
            relays.AddInterlock(this);
            relays.AddInterlock(_weld);
            relays.AddInterlock(_rdcDd);
        }

        /// <summary>The PEST mode in force (chosen from the toggle and the electrode setting at <see cref="Boot"/>).</summary>
        public PestMode Mode => _monitor.Mode;

        /// <summary>The front button's gestures (short presses are Boost's; the long press is the reset's).</summary>
        public IButtonGestures Button => _button;

        /// <summary>The voltage rules (read-only use: state for tests and the service view).</summary>
        public PestMonitor Monitor => _monitor;

        /// <summary>The weld monitor.</summary>
        public WeldMonitor Weld => _weld;

        /// <summary>The RDC-DD monitor.</summary>
        public RdcDdMonitor RdcDd => _rdcDd;

        /// <summary>True while a protective trip or fault is latched.</summary>
        public bool Latched => _latch.Latched;

        /// <summary>Code of the first latched cause (what the unit shows and reports), or null.</summary>
        public string CauseCode => TripCauses.Code(_latch.FirstCause);

        /// <summary>Every latched cause, bit i = <see cref="TripCauses"/> index i.</summary>
        public int CauseMask => _latch.CauseMask;

        /// <summary>Trips latched over the unit's life (persisted with the latch).</summary>
        public int TripCount => _latch.TripCount;

        /// <summary>True while the PEST toggle reads a different mode from the one in force.</summary>
        public bool ModeChanged => _toggle.Changed;

        /// <summary>The disturbance record of the last trip (check <see cref="DisturbanceRecord.Complete"/>).</summary>
        public DisturbanceRecord Disturbance => _record;

        /// <inheritdoc />
        public bool PermitsEarth
        {
            get
            {
                if (_toggle.Changed || _meteringStale || !_monitor.BootChecked || _latch.HasEarthOpeningCause)
                {
                    return false;
                }

                return _relays.EarthClosed || _monitor.HealthyMicroseconds >= PestLimits.ClosingHealthyMicroseconds;
            }
        }

        /// <inheritdoc />
        public bool PermitsContactor
        {
            get
            {
                if (_latch.Latched || _toggle.Changed || _meteringStale || !_monitor.BootChecked)
                {
                    return false;
                }

                return _relays.ContactorClosed || _monitor.HealthyMicroseconds >= PestLimits.ClosingHealthyMicroseconds;
            }
        }

        /// <inheritdoc />
        public string BlockingCode
        {
            get
            {
                if (_latch.Latched)
                {
                    return TripCauses.Code(_latch.FirstCause);
                }

                if (_toggle.Changed)
                {
                    return ModeChangedCode;
                }

                if (_meteringStale)
                {
                    return MeteringStaleCode;
                }

                if (!_monitor.BootChecked)
                {
                    return BootCheckCode;
                }

                return PermitsEarth && PermitsContactor ? null : SupplyOutOfRangeCode;
            }
        }

        /// <summary>
        /// Reads the PEST toggle and fixes the mode until the next boot, and publishes the restored
        /// latch, if any (a Fault event with the cause code, latched). Call once from the
        /// firmware's boot, after the boot events and before the first mains cycle.
        /// </summary>
        public void Boot(long nowMicroseconds)
        {
            SelectMode();
            _lastCycleMicroseconds = nowMicroseconds;

            if (_latch.Latched)
            {
                _events.Publish(ChargerEventKind.Fault, nowMicroseconds, 0, 0, true, TripCauses.Code(_latch.FirstCause), RestoredText, null);
            }
        }

        /// <summary>Per-cycle evaluation, inside the protection task's run that closed the cycle.</summary>
        public void OnMainsCycle(MainsCycle cycle)
        {
            // A cycle the front end flags as broken on a channel this mode measures (a stuck or
            // saturated channel, a drifting sample clock) is not evaluated: its values cannot be
            // trusted either way. Without evaluated cycles the metering watchdog opens both relays
            // 200 ms after the last good one, not latched (docs/faults.md, "Metering supervision").
            // A fault on a channel the mode does not use (CT clamp, EV current, the earth inputs
            // outside mode A with electrode) must not blind PEST: it is evaluated as usual.
            if ((cycle.FrontEndFlags & MainsCycle.PestFaultMask(_monitor.Mode == PestMode.AWithElectrode)) != 0)
            {
                return;
            }

            long now = cycle.EndMicroseconds;
            _lastCycleMicroseconds = now;
            _ring.Add(cycle);
            if (_record.AddAfterTrip(cycle))
            {
                _recordCompletePending = true;
            }

            int cause = _monitor.Evaluate(cycle);
            if (cause != TripCauses.None)
            {
                Latch(now, cause);
            }

            if (_recordCompletePending)
            {
                _recordCompletePending = false;
                _events.Publish(ChargerEventKind.Notice, now, _record.Sequence, 0, false, DisturbanceCompleteCode, null, _record);
            }
        }

        /// <summary>
        /// The "pests" task: the RDC-DD every run; weld sense, toggle and button every
        /// <see cref="SlowPollMicroseconds"/>; then persistence of a new latch state.
        /// </summary>
        public void Run(long nowMicroseconds)
        {
            _rdcDd.Poll(nowMicroseconds);
            WatchMetering(nowMicroseconds);
            if (nowMicroseconds - _lastSlowPollMicroseconds >= SlowPollMicroseconds)
            {
                _lastSlowPollMicroseconds = nowMicroseconds;
                RunSlow(nowMicroseconds);
            }

            // A latch the detecting call could not store (or the fail-safe state found at boot):
            // retried every 10 ms while the store refuses.
            _latch.PersistIfPending(nowMicroseconds, SlowPollMicroseconds);
        }

        /// <summary>How many writes of the latch record failed (each is retried 10 ms later).</summary>
        public int PersistFailures => _latch.PersistFailures;

        /// <summary>
        /// Last chance before a reboot (the device loop caught an exception): stores a latch not
        /// yet written. Never throws.
        /// </summary>
        /// <returns>True when no latch is left unstored.</returns>
        public bool TryPersistPendingLatch(long nowMicroseconds)
        {
            return _latch.PersistNow(nowMicroseconds);
        }

        private void RunSlow(long nowMicroseconds)
        {
            _toggle.Watch(nowMicroseconds);
            _weld.Poll(nowMicroseconds);
            if (_button.Poll(nowMicroseconds, _inputs.ReadButtonPressed()) && _latch.Latched)
            {
                string refusal;
                if (!TryReset(nowMicroseconds, "button", out refusal))
                {
                    _events.Publish(ChargerEventKind.Notice, nowMicroseconds, 0, 0, false, ResetRefusedCode, refusal, null);
                }
            }
        }

        /// <inheritdoc />
        public void Latch(long nowMicroseconds, int cause)
        {
            if (!_latch.IsNew(cause))
            {
                // Latched already, or a second PEN-fault cause while already disconnected from
                // line, neutral and earth: nothing to act on or report.
                return;
            }

            string code = TripCauses.Code(cause);
            if (TripCauses.OpensEarth(cause))
            {
                _relays.TripPenFault(nowMicroseconds, code);
            }
            else if (cause == TripCauses.RelayWelded)
            {
                _relays.TripWeld(nowMicroseconds, code);
            }
            else
            {
                _relays.TripRdcDd(nowMicroseconds, code);
            }

            _latch.Add(cause);

            // Stored before anything is published: a listener that throws (or a nested publish)
            // escapes to the device loop, which reboots; a latch only in memory would then be lost
            // and the relays would close again after the boot check, an automatic reset of shock
            // protection (invariant P9). The relays are already open, so the flash write's
            // milliseconds delay nothing protective.
            _latch.PersistNow(nowMicroseconds);
            if (!_record.Recording)
            {
                _record.Begin(nowMicroseconds, code, _ring);
            }

            _events.Publish(ChargerEventKind.Trip, nowMicroseconds, _latch.TripCount, 0, true, code, null, _record);
        }

        /// <summary>
        /// Resets a latched trip by an explicit action: the button's long press ("button") or an
        /// authorised remote command (the MQTT layer passes its source, e.g. "mqtt"). Refused
        /// unless every monitored voltage has been back in range for 10 s
        /// (<see cref="PestLimits.ResetHealthyMicroseconds"/>), the RDC-DD shows no fault, the load
        /// side is dead and the PEST toggle agrees with the mode in force. After a reset the
        /// contactor still waits for a fresh RDC-DD self-test and the weld check. Call from a
        /// scheduler task, never from an event listener (it publishes).
        /// </summary>
        /// <param name="nowMicroseconds">Clock time, microseconds.</param>
        /// <param name="source">Who asked: published as the TripReset event's Text.</param>
        /// <param name="refusal">Why it was refused (one of the Refusal* codes), or null.</param>
        /// <returns>True when the latch was cleared.</returns>
        public bool TryReset(long nowMicroseconds, string source, out string refusal)
        {
            if (!_latch.Latched)
            {
                refusal = RefusalNotLatched;
                return false;
            }

            if (_toggle.Changed)
            {
                refusal = RefusalModeChanged;
                return false;
            }

            if (_monitor.HealthyMicroseconds < PestLimits.ResetHealthyMicroseconds)
            {
                refusal = RefusalSupplyNotHealthy;
                return false;
            }

            if (!_rdcDd.Testing && _rcd.ReadFault())
            {
                refusal = RefusalRdcDdFault;
                return false;
            }

            if (!_relays.ContactorClosed && _sense.ReadLoadSideLive())
            {
                refusal = RefusalLoadSideLive;
                return false;
            }

            // Store the cleared latch before acting on it: if the flash refuses, the reset is
            // refused and the unit stays latched, in memory and in the store.
            string cleared = TripCauses.Code(_latch.FirstCause);
            if (!_latch.TryClear())
            {
                refusal = RefusalStoreFailed;
                return false;
            }

            _monitor.ClearIntegrators();
            _rdcDd.RequireSelfTest();
            refusal = null;
            _events.Publish(ChargerEventKind.TripReset, nowMicroseconds, 0, 0, false, cleared, source, null);
            return true;
        }

        private void SelectMode()
        {
            _monitor = new PestMonitor(PestModes.Select(_toggle.ReadAtBoot(), _referenceElectrodeFitted));
        }

        private void WatchMetering(long nowMicroseconds)
        {
            bool stale = nowMicroseconds - _lastCycleMicroseconds > PestLimits.MeteringStaleMicroseconds;
            if (stale == _meteringStale)
            {
                return;
            }

            // Blind protection: open both relays and show state F here, because the protection task
            // that would enforce the withdrawn permission may be what stalled. Not latched: nothing
            // unsafe was measured; closing again waits for 1 s of healthy cycles.
            _meteringStale = stale;
            if (stale)
            {
                _monitor.ForgetHealthy();
                _relays.TripMeteringStale(nowMicroseconds, MeteringStaleCode);
                _events.Publish(ChargerEventKind.Fault, nowMicroseconds, 0, 0, false, MeteringStaleCode, null, null);
            }
            else
            {
                _events.Publish(ChargerEventKind.FaultCleared, nowMicroseconds, 0, false, MeteringStaleCode);
            }
        }
    }
}
