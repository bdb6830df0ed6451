using System;
using IndraSmartPro.ControlPilot;
using IndraSmartPro.Events;
using IndraSmartPro.Metering;
using IndraSmartPro.Scheduling;

namespace IndraSmartPro.Features.Curtailment
{
    /// <summary>
    /// Load curtailment from the CT clamp on the house's incoming live, with the solar surplus
    /// modes (docs/curtailment.md is the feature folder's README). The clamp measures the whole
    /// import, the EV included, so the EV's allowance is
    /// <c>supply rating − margin − (import − the EV's own current)</c>: the EV's lag in following
    /// the pilot does not enter it. One claim on the arbiter (<see cref="ClaimSlot.Curtailment"/>,
    /// a ceiling: its reductions act at once, without the 5 s duty pacing).
    /// <list type="bullet">
    /// <item>Every metered cycle is accumulated; every <see cref="BlockCycles"/> cycles (200 ms)
    /// one decision: a fall of the allowance below the claim cuts at once; raises close
    /// <see cref="CurtailmentSettings.RaiseFractionPercent"/> of the smallest headroom seen since
    /// the last change, at most once per 5 s (IEC 61851-1 paces duty changes at 5 s).</item>
    /// <item>Under 6 A (IEC 61851-1: the lowest PWM current) for the confirmation time, the claim
    /// goes to 0: the session withdraws PWM and opens only once the vehicle shows B. The pause
    /// lasts at least <see cref="CurtailmentSettings.MinimumPauseMicroseconds"/> and ends only
    /// when the headroom has been at least 6 A + hysteresis for the hold time.</item>
    /// <item>Fail-safe (EREC G100): a clamp that is stale (&gt; 3 s), saturated, disconnected,
    /// implausible, stuck or reversed is a fault with its own code; the claim falls to the
    /// installer's fallback until it is healthy again.</item>
    /// </list>
    /// Allocation-free after construction: events carry constant codes and a detail from a ring
    /// made here.
    /// </summary>
    public sealed class CurtailmentController : IMainsCycleListener, IPeriodicTask
    {
        /// <summary>The task's period: stale readings and settings changes are noticed within it.</summary>
        public const int TaskPeriodMicroseconds = 100000;

        /// <summary>The task's budget on the device: a few comparisons.</summary>
        public const int TaskBudgetMicroseconds = 200;

        /// <summary>Cycles averaged per decision: 10 (200 ms at 50 Hz), so a load step is acted on within 0.4 s.</summary>
        public const int BlockCycles = 10;

        /// <summary>Decisions per second-long mean used by the step check (5 × 200 ms).</summary>
        public const int BlocksPerSecond = 5;

        /// <summary>IEC 61851-1: duty changes at most every 5 s except reductions; raises keep to it.</summary>
        public const long RaiseIntervalMicroseconds = 5000000;

        /// <summary>Longest wait between raises after repeated cut-raise-cut (anti-oscillation back-off), microseconds.</summary>
        public const long MaximumRaiseHoldMicroseconds = 80000000;

        /// <summary>A cut this soon after a raise doubles the wait before the next raise, microseconds.</summary>
        public const long OscillationWindowMicroseconds = 30000000;

        /// <summary>After this long without a cut the raise wait is back to 5 s, microseconds.</summary>
        public const long BackoffResetMicroseconds = 300000000;

        /// <summary>No metered cycle for longer than this is a stale clamp (3 s).</summary>
        public const long StaleMicroseconds = 3000000;

        /// <summary>A continuous fault condition must hold this long before it is a fault, and be absent this long to clear.</summary>
        public const long FaultConfirmMicroseconds = 3000000;

        /// <summary>
        /// The clamp's channel is full scale at 141 A peak (FrontEnd.CtMicroampsPerPinMillivolt:
        /// 1 pin mV = 100 mA over ±1410 mV), 100 A RMS for a sine; 95 % of it is saturation.
        /// </summary>
        public const int SaturationMilliamps = 95000;

        /// <summary>Saturated cycles in a row before it is a fault (0.5 s: the import is then far over any rating).</summary>
        public const int SaturationConfirmCycles = 25;

        /// <summary>A clamp reading under this is "nothing", milliamps (a house draws more than this in standby).</summary>
        public const int ZeroFloorMilliamps = 500;

        /// <summary>The EV's own current moving by at least this between second-means is a step the import must follow, milliamps.</summary>
        public const int StepMilliamps = 4000;

        /// <summary>An EV step that starts within 6 s after a cut (this less 2 s: the EV's 5 s to follow and a block) is the EV following the cut: the step check ignores it, microseconds.</summary>
        public const long StepQuietMicroseconds = 8000000;

        /// <summary>Below this L-N (no supply) the sign of the power means nothing: the cycle is not used.</summary>
        public const int MinimumLineMillivolts = 100000;

        /// <summary>Claims are whole multiples of this, milliamps, rounded down (the pilot's resolution is 60 mA per permille).</summary>
        public const int QuantumMilliamps = 100;

        /// <summary>Evidence records kept in turn (see <see cref="CurtailmentEvidence"/>).</summary>
        public const int EvidenceRingLength = 16;

        /// <summary>Action: the claim was reduced at once.</summary>
        public const string ActionCut = "cut";

        /// <summary>Action: the claim was raised (at most once per 5 s).</summary>
        public const string ActionRaise = "raise";

        /// <summary>Action: the offer was withdrawn (under 6 A).</summary>
        public const string ActionPause = "pause";

        /// <summary>Action: the offer is back after a pause.</summary>
        public const string ActionResume = "resume";

        /// <summary>Action: the first claim after start-up.</summary>
        public const string ActionStart = "start";

        /// <summary>Action: the clamp is faulty; the fallback is claimed.</summary>
        public const string ActionFallback = "fallback";

        /// <summary>Action: the clamp is healthy again; curtailment resumes from the fallback.</summary>
        public const string ActionRestored = "restored";

        /// <summary>Claim reason: the supply rating binds.</summary>
        public const string ReasonCurtailment = "curtailment";

        /// <summary>Claim reason: paused because the allowance was under 6 A.</summary>
        public const string ReasonCurtailmentPaused = "curtailment-paused";

        /// <summary>Claim reason: eco mode follows the surplus.</summary>
        public const string ReasonSolarEco = "solar-eco";

        /// <summary>Claim reason: eco-plus mode follows the surplus.</summary>
        public const string ReasonSolarEcoPlus = "solar-eco-plus";

        /// <summary>Claim reason: eco-plus paused because the surplus was under 6 A.</summary>
        public const string ReasonSolarPaused = "solar-paused";

        /// <summary>Claim reason: the clamp is faulty, the fallback binds.</summary>
        public const string ReasonCtFault = "ct-fault";

        private const int Minimum = CurtailmentSettings.MinimumChargeMilliamps;

        private readonly CurrentArbiter _arbiter;
        private readonly EventBus _events;
        private readonly CurtailmentSettings _settings;
        private readonly CurtailmentEvidence[] _evidence = new CurtailmentEvidence[EvidenceRingLength];
        private int _evidenceNext;
        private CurtailmentEvidence _lastEvidence;

        // Accumulation of the present block and second.
        private long _blockImportSum;
        private long _blockEvSum;
        private int _blockCycles;
        private long _secondImportSum;
        private long _secondEvSum;
        private int _secondBlocks;
        private int _saturatedCycles;
        private long _lastCycleMicroseconds;
        private bool _timeKnown;

        // Second-means for the step check: [0] newest, [2] two seconds before, [3] the one before that.
        private readonly int[] _secondImport = new int[4];
        private readonly int[] _secondEv = new int[4];
        private int _secondCount;

        // Results of the last block.
        private int _importMilliamps;
        private int _evMilliamps;
        private int _allowanceMilliamps;
        private int _targetMilliamps;
        private bool _solarBinds;
        private bool _haveBlock;

        private CurtailmentState _state = CurtailmentState.Off;
        private CtHealth _health = CtHealth.NotFitted;
        private int _claimMilliamps = -1;
        private long _lastChangeMicroseconds;
        private int _windowMinimumMilliamps = int.MaxValue;
        private long _windowStartMicroseconds;
        private long _raiseHoldMicroseconds = RaiseIntervalMicroseconds;
        private long _lastRaiseMicroseconds = long.MinValue / 2;
        private long _lastCutMicroseconds = long.MinValue / 2;
        private int _lastBlockEvMilliamps;
        private long _jumpAfterCutMicroseconds = long.MinValue / 2;
        private long _belowSinceMicroseconds = -1;
        private long _pausedAtMicroseconds;
        private long _resumeSinceMicroseconds = -1;
        private int _resumeMinimumMilliamps;
        private bool _pausedForSurplus;
        private long _conditionSinceMicroseconds = -1;
        private long _clearSinceMicroseconds = -1;
        private int _pauseCount;
        private int _claimChanges;
        private bool _ecoSuspended;

        /// <summary>Creates the controller. Subscribe it to the meter and add it to the scheduler.</summary>
        public CurtailmentController(CurrentArbiter arbiter, EventBus events, CurtailmentSettings settings)
        {
            if (arbiter == null || events == null || settings == null)
            {
                throw new ArgumentNullException();
            }

            if (!settings.IsValid())
            {
                throw new ArgumentException("curtailment settings out of range");
            }

            _arbiter = arbiter;
            _events = events;
            _settings = settings;
            for (int i = 0; i < EvidenceRingLength; i++)
            {
                _evidence[i] = new CurtailmentEvidence();
            }
        }

        /// <summary>The settings in force (the installer's; the owner's mode through <see cref="SetMode"/>).</summary>
        public CurtailmentSettings Settings => _settings;

        /// <summary>What the controller is doing.</summary>
        public CurtailmentState State => _state;

        /// <summary>What it believes of the clamp.</summary>
        public CtHealth Health => _health;

        /// <summary>Signed import (house + EV) through the clamp, milliamps, mean of the last 200 ms: + import, − export.</summary>
        public int ImportMilliamps => _importMilliamps;

        /// <summary>The EV's allowance: rating − margin − house, milliamps, as of the last 200 ms (may be negative).</summary>
        public int AllowanceMilliamps => _allowanceMilliamps;

        /// <summary>What the EV should get now (allowance, or the solar target when lower), milliamps.</summary>
        public int TargetMilliamps => _targetMilliamps;

        /// <summary>The claim on the arbiter, milliamps; 0 while paused; −1 when there is none.</summary>
        public int ClaimMilliamps => _claimMilliamps;

        /// <summary>Pauses since start-up.</summary>
        public int PauseCount => _pauseCount;

        /// <summary>Changes of the claim since start-up (the "limit changes" of docs/performance.md).</summary>
        public int ClaimChanges => _claimChanges;

        /// <summary>True once at least one block has been measured.</summary>
        public bool Measured => _haveBlock;

        /// <summary>
        /// True while Boost suspends the eco modes: the claim is then the curtailment allowance
        /// alone (Boost overrides eco, never curtailment). Set by smart charging.
        /// </summary>
        public bool EcoSuspended
        {
            get { return _ecoSuspended; }
            set { _ecoSuspended = value; }
        }

        /// <summary>Selects the solar mode (owner or platform); takes effect at the next decision.</summary>
        public void SetMode(SolarMode mode)
        {
            _settings.Mode = mode;
        }

        /// <summary>The evidence record of the last action, or null before any.</summary>
        public CurtailmentEvidence LastEvidence => _lastEvidence;

        /// <inheritdoc />
        public void OnMainsCycle(MainsCycle cycle)
        {
            if (!_settings.CtFitted)
            {
                return;
            }

            long now = cycle.EndMicroseconds;
            _lastCycleMicroseconds = now;
            _timeKnown = true;
            if (cycle.LineNeutralMillivolts < MinimumLineMillivolts)
            {
                return;
            }

            // The sign of the real power tells import from export; the RMS gives the size (what
            // heats the cut-out's fuse).
            int import = cycle.HouseMilliwatts < 0 ? -cycle.HouseMilliamps : cycle.HouseMilliamps;
            _saturatedCycles = cycle.HouseMilliamps >= SaturationMilliamps ? _saturatedCycles + 1 : 0;
            _blockImportSum += import;
            _blockEvSum += cycle.EvMilliamps;
            _blockCycles++;
            if (_blockCycles >= BlockCycles)
            {
                int importMean = (int)(_blockImportSum / _blockCycles);
                int evMean = (int)(_blockEvSum / _blockCycles);
                _blockImportSum = 0;
                _blockEvSum = 0;
                _blockCycles = 0;
                OnBlock(now, importMean, evMean);
            }
        }

        /// <summary>The task: notices a stale clamp and settings changes (CT fitted or not).</summary>
        public void Run(long nowMicroseconds)
        {
            if (!_settings.CtFitted)
            {
                if (_state != CurtailmentState.Off)
                {
                    _arbiter.ClearClaim(ClaimSlot.Curtailment);
                    if (CtHealths.FaultCode(_health) != null)
                    {
                        _events.Publish(ChargerEventKind.FaultCleared, nowMicroseconds, 0, false, CtHealths.FaultCode(_health));
                    }

                    _state = CurtailmentState.Off;
                    _health = CtHealth.NotFitted;
                    _claimMilliamps = -1;
                    _haveBlock = false;
                }

                return;
            }

            if (_state == CurtailmentState.Off)
            {
                _state = CurtailmentState.Following;
                _health = CtHealth.Healthy;
                _claimMilliamps = -1;
                _timeKnown = false;
            }

            if (!_timeKnown)
            {
                // Stale counts from the first run: no cycle yet is no cycle since then.
                _lastCycleMicroseconds = nowMicroseconds;
                _timeKnown = true;
            }

            if (_health != CtHealth.Stale && nowMicroseconds - _lastCycleMicroseconds > StaleMicroseconds)
            {
                _blockCycles = 0;
                _blockImportSum = 0;
                _blockEvSum = 0;
                _secondBlocks = 0;
                _secondCount = 0;
                EnterFault(nowMicroseconds, CtHealth.Stale);
            }

            if (_state == CurtailmentState.Fallback && _claimMilliamps != _settings.FallbackMilliamps
                && nowMicroseconds - _pausedAtMicroseconds >= _settings.MinimumPauseMicroseconds)
            {
                // A fault during a pause: the pause runs its minimum first, then the fallback.
                Change(nowMicroseconds, _settings.FallbackMilliamps, ActionFallback);
            }
        }

        private void OnBlock(long now, int import, int ev)
        {
            if (_state == CurtailmentState.Off)
            {
                return;
            }

            _importMilliamps = import;
            _evMilliamps = ev;
            int house = import - ev;
            _allowanceMilliamps = _settings.SupplyRatingMilliamps - _settings.MarginMilliamps - house;
            _targetMilliamps = Target(import, ev);
            _haveBlock = true;

            // The EV's current jumping soon after our own cut is the EV following it.
            if (Abs(ev - _lastBlockEvMilliamps) >= 1000 && now - _lastCutMicroseconds <= StepQuietMicroseconds - 2000000)
            {
                _jumpAfterCutMicroseconds = now;
            }

            _lastBlockEvMilliamps = ev;
            UpdateHealth(now, import, ev);
            switch (_state)
            {
                case CurtailmentState.Following:
                    Follow(now);
                    break;
                case CurtailmentState.Paused:
                    CheckResume(now);
                    break;
                default:
                    break;
            }
        }

        /// <summary>What the EV should get: the allowance, or in an eco mode the surplus when lower.</summary>
        private int Target(int import, int ev)
        {
            int target = _allowanceMilliamps;
            int cap = _arbiter.UnitRatingMilliamps;
            _solarBinds = false;
            if (_settings.Mode != SolarMode.Fast && !_ecoSuspended)
            {
                // The EV current that would bring the import to zero: what it draws plus the export.
                int surplus = ev - import;
                int solar = _settings.Mode == SolarMode.Eco && surplus < Minimum ? Minimum : surplus;
                if (solar < target)
                {
                    target = solar;
                    _solarBinds = true;
                }
            }

            // Above the unit rating nothing changes for the EV: do not chase it.
            return target > cap ? cap : target;
        }

        private void Follow(long now)
        {
            int target = _targetMilliamps;
            if (_claimMilliamps < 0)
            {
                Change(now, Quantize(target < Minimum ? Minimum : target), ActionStart);
            }

            if (target < Minimum)
            {
                if (_belowSinceMicroseconds < 0)
                {
                    _belowSinceMicroseconds = now;
                }

                // When even 6 A would keep the import over the rating itself (not just into the
                // margin), there is nothing to confirm: pause at once.
                bool surplus = _solarBinds && _settings.Mode == SolarMode.EcoPlus;
                bool overRating = _allowanceMilliamps + _settings.MarginMilliamps < Minimum;
                long confirm = surplus ? _settings.SurplusPauseConfirmMicroseconds : (overRating ? 0 : _settings.PauseConfirmMicroseconds);
                if (now - _belowSinceMicroseconds >= confirm)
                {
                    Pause(now, surplus);
                    return;
                }

                // Until the pause is confirmed: the least that can be offered (the margin covers the rest).
                if (_claimMilliamps > Minimum)
                {
                    Change(now, Minimum, ActionCut);
                }

                return;
            }

            _belowSinceMicroseconds = -1;
            int tolerance = _settings.CutToleranceMilliamps < _settings.MarginMilliamps ? _settings.CutToleranceMilliamps : _settings.MarginMilliamps;
            if (target < _claimMilliamps - tolerance)
            {
                // A rise of the house load (or a fall of the surplus): cut at once, the whole
                // overshoot. Smaller falls stay inside the margin (the tolerance is at most the margin).
                // A cut soon after a raise means the raise chased noise: wait longer before the next
                // (and so take the smallest headroom over a longer window).
                if (now - _lastRaiseMicroseconds < OscillationWindowMicroseconds)
                {
                    _raiseHoldMicroseconds = _raiseHoldMicroseconds * 2 > MaximumRaiseHoldMicroseconds ? MaximumRaiseHoldMicroseconds : _raiseHoldMicroseconds * 2;
                }

                Change(now, Quantize(target), ActionCut);
                return;
            }

            if (now - _lastCutMicroseconds >= BackoffResetMicroseconds)
            {
                _raiseHoldMicroseconds = RaiseIntervalMicroseconds;
            }

            if (target < _windowMinimumMilliamps)
            {
                _windowMinimumMilliamps = target;
            }

            // Raise slowly: at most once per 5 s (longer after oscillation), a share of the smallest
            // headroom seen over that time, so one noisy block cannot pull the claim up.
            if (now - _windowStartMicroseconds < _raiseHoldMicroseconds || now - _lastChangeMicroseconds < _raiseHoldMicroseconds)
            {
                return;
            }

            int headroom = _windowMinimumMilliamps - _claimMilliamps;
            _windowMinimumMilliamps = int.MaxValue;
            _windowStartMicroseconds = now;
            if (headroom >= _settings.RaiseMinimumStepMilliamps && headroom > 0)
            {
                // A share of the headroom; what would be left under the minimum step is taken
                // now too, so the claim reaches its target instead of creeping towards it.
                int step = (int)((long)headroom * _settings.RaiseFractionPercent / 100);
                if (headroom - step < _settings.RaiseMinimumStepMilliamps)
                {
                    step = headroom;
                }

                int raised = Quantize(_claimMilliamps + step);
                if (raised > _claimMilliamps)
                {
                    _lastRaiseMicroseconds = now;
                    Change(now, raised, ActionRaise);
                }
            }
        }

        private void Pause(long now, bool forSurplus)
        {
            _pausedForSurplus = forSurplus;
            _pauseCount++;
            _pausedAtMicroseconds = now;
            _resumeSinceMicroseconds = -1;
            _belowSinceMicroseconds = -1;
            _state = CurtailmentState.Paused;
            Change(now, 0, ActionPause);
        }

        private void CheckResume(long now)
        {
            int target = _targetMilliamps;
            if (target >= Minimum + _settings.ResumeHysteresisMilliamps)
            {
                if (_resumeSinceMicroseconds < 0)
                {
                    _resumeSinceMicroseconds = now;
                    _resumeMinimumMilliamps = target;
                }
                else if (target < _resumeMinimumMilliamps)
                {
                    _resumeMinimumMilliamps = target;
                }
            }
            else
            {
                _resumeSinceMicroseconds = -1;
            }

            if (_resumeSinceMicroseconds >= 0
                && now - _resumeSinceMicroseconds >= _settings.ResumeHoldMicroseconds
                && now - _pausedAtMicroseconds >= _settings.MinimumPauseMicroseconds)
            {
                _state = CurtailmentState.Following;
                _resumeSinceMicroseconds = -1;
                Change(now, Quantize(_resumeMinimumMilliamps), ActionResume);
            }
        }

        private void UpdateHealth(long now, int import, int ev)
        {
            if (_health == CtHealth.Stale)
            {
                // Readings are back.
                Restore(now);
            }

            if (_saturatedCycles >= SaturationConfirmCycles)
            {
                EnterFault(now, CtHealth.Saturated);
            }

            if (_health == CtHealth.Saturated)
            {
                if (HeldFor(now, _saturatedCycles == 0, ref _clearSinceMicroseconds))
                {
                    Restore(now);
                }

                return;
            }

            CheckContinuous(now, import, ev);
            TrackSeconds(now, import, ev);
        }

        /// <summary>
        /// Without generation the import can never be below the EV's own current: if it is, for
        /// 3 s while the EV draws at least 6 A, the clamp reads nothing (disconnected), the
        /// negative (reversed) or too little (implausible).
        /// </summary>
        private void CheckContinuous(long now, int import, int ev)
        {
            if (_settings.GenerationFitted)
            {
                return;
            }

            int tolerance = (ev / 10) + 1000;
            bool drawing = ev >= Minimum;
            bool low = drawing && import < ev - tolerance;
            if (_health == CtHealth.Healthy)
            {
                if (HeldFor(now, low, ref _conditionSinceMicroseconds))
                {
                    CtHealth kind = Abs(import) < ZeroFloorMilliamps ? CtHealth.Disconnected
                        : (import < 0 && -import >= ev - tolerance ? CtHealth.Reversed : CtHealth.Implausible);
                    EnterFault(now, kind);
                }
            }
            else if (_health == CtHealth.Implausible || (_health == CtHealth.Disconnected && drawing))
            {
                if (HeldFor(now, !low, ref _clearSinceMicroseconds))
                {
                    Restore(now);
                }
            }
            else if (_health == CtHealth.Disconnected && HeldFor(now, Abs(import) >= 2 * ZeroFloorMilliamps, ref _clearSinceMicroseconds))
            {
                // The EV is not drawing (fallback pause): a reading that shows up again is a clamp back in place.
                Restore(now);
            }
        }

        /// <summary>
        /// The step check: when the EV's own current moves by at least 4 A between second-means
        /// two seconds apart (a session start, a cut, a raise), the import must move the same way
        /// by about as much. Opposite: reversed; not at all: stuck (or disconnected when it reads
        /// nothing). A matching step clears those faults.
        /// </summary>
        private void TrackSeconds(long now, int import, int ev)
        {
            _secondImportSum += import;
            _secondEvSum += ev;
            _secondBlocks++;
            if (_secondBlocks < BlocksPerSecond)
            {
                return;
            }

            for (int i = _secondImport.Length - 1; i > 0; i--)
            {
                _secondImport[i] = _secondImport[i - 1];
                _secondEv[i] = _secondEv[i - 1];
            }

            _secondImport[0] = (int)(_secondImportSum / _secondBlocks);
            _secondEv[0] = (int)(_secondEvSum / _secondBlocks);
            _secondImportSum = 0;
            _secondEvSum = 0;
            _secondBlocks = 0;
            if (_secondCount < _secondImport.Length)
            {
                _secondCount++;
            }

            if (_secondCount < _secondImport.Length)
            {
                return;
            }

            int evStep = _secondEv[0] - _secondEv[2];
            int importStep = _secondImport[0] - _secondImport[2];
            if (Abs(evStep) < StepMilliamps)
            {
                // No EV step. A stuck reading that moves by 2 A on its own was the house: alive.
                if (_health == CtHealth.Stuck && Abs(_secondEv[0] - _secondEv[1]) < 1000 && Abs(_secondImport[0] - _secondImport[1]) >= 2000)
                {
                    Restore(now);
                }

                return;
            }

            // Only a step into a steady house tells: not the EV following our own cut (a cut is
            // made because the house rose; the EV follows within 5 s, and then the import holds
            // still by design), nor a step whose second before already saw the import move
            // without the EV. A cut made after the EV moved is a reaction and does not count.
            bool steadyBefore = Abs(_secondEv[2] - _secondEv[3]) < 1000 && Abs(_secondImport[2] - _secondImport[3]) < 2000;
            if (now - _jumpAfterCutMicroseconds <= 3000000 || !steadyBefore)
            {
                return;
            }

            // Percent of the EV's step seen on the import.
            int ratio = (int)((long)importStep * 100 / evStep);
            CtHealth verdict;
            if (ratio >= 50 && ratio <= 150)
            {
                verdict = CtHealth.Healthy;
            }
            else if (ratio <= -50 && ratio >= -150)
            {
                verdict = CtHealth.Reversed;
            }
            else if (ratio > -25 && ratio < 25)
            {
                verdict = Abs(_secondImport[0]) < ZeroFloorMilliamps && Abs(_secondImport[2]) < ZeroFloorMilliamps ? CtHealth.Disconnected : CtHealth.Stuck;
            }
            else
            {
                // The house moved at the same time: no verdict.
                return;
            }

            // One verdict per step.
            _secondCount = 0;
            if (verdict == CtHealth.Healthy)
            {
                if (_health == CtHealth.Stuck || _health == CtHealth.Reversed || _health == CtHealth.Disconnected)
                {
                    Restore(now);
                }
            }
            else if (_health == CtHealth.Healthy)
            {
                EnterFault(now, verdict);
            }
        }

        private void EnterFault(long now, CtHealth health)
        {
            if (_health == health)
            {
                return;
            }

            string previous = CtHealths.FaultCode(_health);
            if (previous != null)
            {
                _events.Publish(ChargerEventKind.FaultCleared, now, 0, false, previous);
            }

            _health = health;
            _conditionSinceMicroseconds = -1;
            _clearSinceMicroseconds = -1;
            _belowSinceMicroseconds = -1;
            _events.Publish(ChargerEventKind.Fault, now, 0, 0, false, CtHealths.FaultCode(health), CtHealths.Text(health), null);
            bool paused = _state == CurtailmentState.Paused || (_state == CurtailmentState.Fallback && _claimMilliamps == 0);
            _state = CurtailmentState.Fallback;
            if (paused)
            {
                // Already paused: the pause keeps its timers; the task claims the fallback once
                // the minimum pause has run (a fault must not shorten a pause).
                Evidence(now, ActionFallback, _claimMilliamps, _claimMilliamps);
                return;
            }

            if (_settings.FallbackMilliamps == 0)
            {
                _pausedAtMicroseconds = now;
                _pauseCount++;
            }

            Change(now, _settings.FallbackMilliamps, ActionFallback);
        }

        private void Restore(long now)
        {
            string code = CtHealths.FaultCode(_health);
            _health = CtHealth.Healthy;
            _conditionSinceMicroseconds = -1;
            _clearSinceMicroseconds = -1;
            _secondCount = 0;
            if (code != null)
            {
                _events.Publish(ChargerEventKind.FaultCleared, now, 0, false, code);
            }

            if (_state != CurtailmentState.Fallback)
            {
                return;
            }

            if (_claimMilliamps == 0)
            {
                // Paused (the fallback is a pause, or its minimum has not run): the pause rules decide when to offer again.
                _state = CurtailmentState.Paused;
                _pausedForSurplus = false;
                _resumeSinceMicroseconds = -1;
                Evidence(now, ActionRestored, _claimMilliamps, _claimMilliamps);
                return;
            }

            _state = CurtailmentState.Following;
            int claim = _claimMilliamps;
            Evidence(now, ActionRestored, claim, claim);
            _lastChangeMicroseconds = now;
            _windowMinimumMilliamps = int.MaxValue;
            _windowStartMicroseconds = now;
        }

        private void Change(long now, int milliamps, string action)
        {
            int previous = _claimMilliamps;
            if (milliamps < previous && (action == ActionCut || action == ActionPause))
            {
                _lastCutMicroseconds = now;
            }

            _claimMilliamps = milliamps;
            _lastChangeMicroseconds = now;
            _windowMinimumMilliamps = int.MaxValue;
            _windowStartMicroseconds = now;
            _claimChanges++;
            _arbiter.SetClaim(ClaimSlot.Curtailment, milliamps, Reason());
            Evidence(now, action, previous, milliamps);
        }

        private string Reason()
        {
            switch (_state)
            {
                case CurtailmentState.Fallback:
                    return ReasonCtFault;
                case CurtailmentState.Paused:
                    return _pausedForSurplus ? ReasonSolarPaused : ReasonCurtailmentPaused;
                default:
                    if (_solarBinds)
                    {
                        return _settings.Mode == SolarMode.Eco ? ReasonSolarEco : ReasonSolarEcoPlus;
                    }

                    return ReasonCurtailment;
            }
        }

        private void Evidence(long now, string action, int previous, int claim)
        {
            CurtailmentEvidence e = _evidence[_evidenceNext];
            _evidenceNext = (_evidenceNext + 1) % EvidenceRingLength;
            e.Action = action;
            e.TimeMicroseconds = now;
            e.ImportMilliamps = _importMilliamps;
            e.EvMilliamps = _evMilliamps;
            e.HouseMilliamps = _importMilliamps - _evMilliamps;
            e.AllowanceMilliamps = _allowanceMilliamps;
            e.PreviousClaimMilliamps = previous;
            e.ClaimMilliamps = claim;
            e.SupplyRatingMilliamps = _settings.SupplyRatingMilliamps;
            e.MarginMilliamps = _settings.MarginMilliamps;
            e.Mode = _settings.Mode;
            e.Health = _health;
            _lastEvidence = e;
            _events.Publish(ChargerEventKind.Curtailment, now, claim, _importMilliamps, false, action, Reason(), e);
        }

        /// <summary>True once <paramref name="condition"/> has held for <see cref="FaultConfirmMicroseconds"/>; <paramref name="since"/> is its timer (−1 = not holding).</summary>
        private static bool HeldFor(long now, bool condition, ref long since)
        {
            if (!condition)
            {
                since = -1;
                return false;
            }

            if (since < 0)
            {
                since = now;
            }

            return now - since >= FaultConfirmMicroseconds;
        }

        private static int Quantize(int milliamps)
        {
            if (milliamps <= 0)
            {
                return 0;
            }

            return milliamps - (milliamps % QuantumMilliamps);
        }

        private static int Abs(int value) => value < 0 ? -value : value;
    }
}
