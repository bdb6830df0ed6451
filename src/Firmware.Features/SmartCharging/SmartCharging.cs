using IndraSmartPro.Board;
using IndraSmartPro.ControlPilot;
using IndraSmartPro.Events;
using IndraSmartPro.Persistence;
using IndraSmartPro.Scheduling;
using IndraSmartPro.Time;

namespace IndraSmartPro.Features.SmartCharging
{
    /// <summary>
    /// Smart charging for the grid platform and the owner (Smart Charge Points Regulations 2021;
    /// docs/smart-charging.md): the platform's limit, the default and session schedules (OCPP's
    /// TxDefaultProfile and TxProfile), the default charging hours (reg. 10), the randomised delay
    /// (reg. 11) and Boost. One periodic task; its decisions are claims on the
    /// <see cref="CurrentArbiter"/> and it never drives an output:
    /// <list type="bullet">
    /// <item>Boost: <see cref="ClaimSlot.Manual"/> at the unit rating ("boost"), so it overrides
    /// everything below and never safety or curtailment (ceilings).</item>
    /// <item>The platform limit: <see cref="ClaimSlot.Platform"/> ("platform"); while a
    /// power-restoration delay holds, the same slot at 0 ("random-delay").</item>
    /// <item>The schedule: <see cref="ClaimSlot.Schedule"/>, its window's limit or 0 outside its
    /// windows ("schedule") or once its energy target is reached ("energy-target").</item>
    /// <item>The default charging hours: <see cref="ClaimSlot.Default"/> at 0 inside an avoid-window
    /// ("default-hours"); any schedule, platform limit or Boost overrides it.</item>
    /// </list>
    /// A change of the platform, schedule and default-hours claims that starts charging or
    /// changes its rate while a vehicle is plugged in waits a randomised delay; so does charging
    /// after a boot that finds a vehicle plugged in (power restoration). Never delayed: safety,
    /// curtailment (other slots), the vehicle's own requests (the session), Boost.
    /// Without a synchronised clock schedules and default hours are not applied (the unit
    /// charges as a plain charger; reg. 7: it must charge without a network).
    /// Settings are stored on every change and restored at construction (power cut).
    /// </summary>
    public sealed class SmartCharging : IPeriodicTask
    {
        /// <summary>Task period (250 ms: a button press gets an answer within a quarter second; the delay resolves to the second).</summary>
        public const int TaskPeriodMicroseconds = 250000;

        /// <summary>Task budget on the device: a few comparisons, now and then a store write (flash: milliseconds).</summary>
        public const int TaskBudgetMicroseconds = 20000;

        /// <summary>After the first run, how long the pilot has to show whether a vehicle is plugged in before the restoration decision, microseconds.</summary>
        public const int RestorationSettleMicroseconds = 2000000;

        /// <summary>While Boost runs, what remains is stored this often, microseconds (60 s: 1 440 writes a day at most).</summary>
        public const long BoostSaveIntervalMicroseconds = 60000000;

        /// <summary>Claim reason: Boost.</summary>
        public const string ReasonBoost = "boost";
        /// <summary>Claim reason: the platform's limit.</summary>
        public const string ReasonPlatform = "platform";
        /// <summary>Claim reason: a schedule's window or its absence.</summary>
        public const string ReasonSchedule = "schedule";
        /// <summary>Claim reason: the schedule's energy target is reached.</summary>
        public const string ReasonEnergyTarget = "energy-target";
        /// <summary>Claim reason: inside the default charging hours to avoid (reg. 10).</summary>
        public const string ReasonDefaultHours = "default-hours";
        /// <summary>Claim reason: a power-restoration randomised delay holds charging (reg. 11).</summary>
        public const string ReasonRandomDelay = "random-delay";

        /// <summary>Notice code of Boost events; Text: started, duration, energy, unplugged, cancelled.</summary>
        public const string NoticeBoost = "boost";
        /// <summary>Notice code of randomised-delay events; Text: started, elapsed, cancelled, not-needed.</summary>
        public const string NoticeRandomDelay = "random-delay";

        /// <summary>Boost ended: its duration ran out.</summary>
        public const string BoostEndedDuration = "duration";
        /// <summary>Boost ended: its energy was delivered.</summary>
        public const string BoostEndedEnergy = "energy";
        /// <summary>Boost ended: the vehicle was unplugged.</summary>
        public const string BoostEndedUnplugged = "unplugged";
        /// <summary>Boost ended: cancelled by the owner.</summary>
        public const string BoostEndedCancelled = "cancelled";

        /// <summary>Refusal: Boost needs a vehicle plugged in.</summary>
        public const string RefusedNoVehicle = "no-vehicle";
        /// <summary>Refusal: nothing of that kind is running.</summary>
        public const string RefusedNotRunning = "not-running";
        /// <summary>Refusal: a session schedule needs a vehicle plugged in (it ends with the session).</summary>
        public const string RefusedNoSession = "no-session";
        /// <summary>Refusal: the settings could not be stored (nothing changed).</summary>
        public const string RefusedStoreFailed = "store-failed";

        // Owned preference slots, in priority order: index 0 Platform, 1 Schedule, 2 Default.
        private const int Owned = 3;
        private static readonly ClaimSlot[] OwnedSlots = { ClaimSlot.Platform, ClaimSlot.Schedule, ClaimSlot.Default };

        private readonly CurrentArbiter _arbiter;
        private readonly ChargingSession _session;
        private readonly EnergyMeter _energy;
        private readonly WallClock _clock;
        private readonly EventBus _events;
        private readonly IStore _store;
        private readonly IButtonGestures _button;
        private readonly int _boostMilliamps;
        private readonly RandomisedDelay _delay;
        private readonly Boost _boost = new Boost();
        private readonly SmartChargingRecord _record = new SmartChargingRecord();
        private readonly ChargingHistory _history;

        private readonly bool[] _desiredActive = new bool[Owned];
        private readonly int[] _desiredMilliamps = new int[Owned];
        private readonly string[] _desiredReasons = new string[Owned];
        private readonly bool[] _appliedActive = new bool[Owned];
        private readonly int[] _appliedMilliamps = new int[Owned];
        private readonly string[] _appliedReasons = new string[Owned];

        private bool _restoring;
        private bool _started;
        private long _settleAtMicroseconds;
        private int _lastShortPresses;
        private int _sessionScheduleSession = -1;
        private long _nextBoostSaveMicroseconds;
        private bool _saveFailed;

        /// <summary>
        /// Builds smart charging and restores its stored settings (power cut). When the power cut
        /// interrupted a session, it holds charging off in the platform slot until the restoration
        /// decision (<see cref="RestorationSettleMicroseconds"/> after the first run), so a vehicle
        /// still plugged in waits the randomised delay. Build after the energy meter has read its record. <paramref name="boostMilliamps"/> is the owner's maximum (the unit
        /// rating): Boost asks for it and the arbiter's ceilings cut it down.
        /// </summary>
        public SmartCharging(CurrentArbiter arbiter, ChargingSession session, EnergyMeter energy, WallClock clock, IHardwareRandom random,
            EventBus events, IStore store, IButtonGestures button, int boostMilliamps)
        {
            _arbiter = arbiter;
            _session = session;
            _energy = energy;
            _clock = clock;
            _events = events;
            _store = store;
            _button = button;
            _boostMilliamps = boostMilliamps;
            _delay = new RandomisedDelay(random);
            _lastShortPresses = button != null ? button.ShortPressCount : 0;

            if (store == null || !_record.Load(store))
            {
                _record.SetFactory();
            }

            _delay.SetMaxSeconds(_record.RandomDelayMaxSeconds);

            // Twelve months of sessions and half-hourly energy (reg. 9), in the store's rings.
            if (store != null)
            {
                _history = new ChargingHistory(store, energy, _record);
                events.Subscribe(_history);
            }

            // Power restoration (reg. 11): the power cut interrupted a session (the energy record
            // says a vehicle was plugged in), so hold charging until the restoration decision.
            // A boot with no session open at the cut (first boot, unplugged) holds nothing.
            _restoring = energy.InterruptedSession || _record.BoostActive;
            if (_restoring)
            {
                Apply(0, true, 0, ReasonRandomDelay);
            }
            if (_record.BoostActive)
            {
                // Restored Boost: resumes at once if the vehicle is still there (Boost is never delayed).
                _boost.Start(0, _record.BoostRemainingSeconds, _record.BoostRemainingWattHours, 0);
                _arbiter.SetClaim(ClaimSlot.Manual, _boostMilliamps, ReasonBoost);
            }
        }

        /// <summary>The stored settings in force (read-only use: status, tests).</summary>
        public SmartChargingRecord Settings => _record;

        /// <summary>The randomised delay.</summary>
        public RandomisedDelay Delay => _delay;

        /// <summary>The charging history (reg. 9); null without a store.</summary>
        public ChargingHistory History => _history;

        /// <summary>Boost.</summary>
        public Boost Boost => _boost;

        /// <summary>True while a session schedule is in force (set for the session now open).</summary>
        public bool SessionScheduleActive => _record.SessionSchedulePresent && _session.SessionOpen && _session.SessionNumber == _sessionScheduleSession;

        /// <summary>True until the power-restoration decision is made after boot.</summary>
        public bool Restoring => _restoring;

        /// <summary>True when the last settings write failed (retried at the next change).</summary>
        public bool SaveFailed => _saveFailed;

        // ------------------------------------------------------------------ commands

        /// <summary>Sets the platform's limit, milliamps (6000..rating), or clears it with 0. Subject to the randomised delay.</summary>
        public bool SetPlatformLimit(long nowMicroseconds, int milliamps, out string refusal)
        {
            int before = _record.PlatformMilliamps;
            _record.PlatformMilliamps = milliamps;
            return Commit(nowMicroseconds, out refusal) || Undo(ref _record.PlatformMilliamps, before);
        }

        /// <summary>Records the platform's pause or resume so a power cut does not lose it (the session carries it out).</summary>
        public bool SetPausedStored(long nowMicroseconds, bool paused, out string refusal)
        {
            bool before = _record.Paused;
            _record.Paused = paused;
            if (Commit(nowMicroseconds, out refusal))
            {
                return true;
            }

            _record.Paused = before;
            return false;
        }

        /// <summary>
        /// Sets the default schedule (<paramref name="session"/> false, OCPP TxDefaultProfile) or the
        /// session schedule (true, OCPP TxProfile: wins while the session it was set in lasts).
        /// </summary>
        public bool SetSchedule(long nowMicroseconds, bool session, ChargingSchedule schedule, out string refusal)
        {
            if (session && !_session.SessionOpen)
            {
                refusal = RefusedNoSession;
                return false;
            }

            ChargingSchedule target = session ? _record.SessionSchedule : _record.DefaultSchedule;
            var backup = new ChargingSchedule();
            backup.CopyFrom(target);
            bool presentBefore = session ? _record.SessionSchedulePresent : _record.DefaultSchedulePresent;
            target.CopyFrom(schedule);
            SetPresent(session, true);
            int sessionBefore = _sessionScheduleSession;
            if (session)
            {
                _sessionScheduleSession = _session.SessionNumber;
            }

            if (Commit(nowMicroseconds, out refusal))
            {
                return true;
            }

            target.CopyFrom(backup);
            SetPresent(session, presentBefore);
            _sessionScheduleSession = sessionBefore;
            return false;
        }

        /// <summary>Clears the default or the session schedule; clearing an absent one is accepted.</summary>
        public bool ClearSchedule(long nowMicroseconds, bool session, out string refusal)
        {
            bool presentBefore = session ? _record.SessionSchedulePresent : _record.DefaultSchedulePresent;
            SetPresent(session, false);
            if (Commit(nowMicroseconds, out refusal))
            {
                return true;
            }

            SetPresent(session, presentBefore);
            return false;
        }

        /// <summary>
        /// The owner's choice of default charging hours (reg. 10), relayed by the platform: the
        /// windows to avoid (limit 0), or none to remove them. Sending the factory hours accepts them.
        /// </summary>
        public bool SetDefaultHours(long nowMicroseconds, ChargingSchedule avoid, out string refusal)
        {
            var backup = new ChargingSchedule();
            backup.CopyFrom(_record.DefaultHours);
            bool chosenBefore = _record.DefaultHoursChosen;
            _record.DefaultHours.CopyFrom(avoid);
            _record.DefaultHoursChosen = true;
            if (Commit(nowMicroseconds, out refusal))
            {
                return true;
            }

            _record.DefaultHours.CopyFrom(backup);
            _record.DefaultHoursChosen = chosenBefore;
            return false;
        }

        /// <summary>Sets the randomised delay's maximum, seconds (0..1800; 0 = off). Stored.</summary>
        public bool SetRandomDelayMax(long nowMicroseconds, int seconds, out string refusal)
        {
            int before = _record.RandomDelayMaxSeconds;
            _record.RandomDelayMaxSeconds = seconds;
            if (!Commit(nowMicroseconds, out refusal))
            {
                _record.RandomDelayMaxSeconds = before;
                return false;
            }

            _delay.SetMaxSeconds(seconds);
            return true;
        }

        /// <summary>The owner cancels a running delay: the waiting change applies at once. Refused when none runs.</summary>
        public bool CancelRandomDelay(long nowMicroseconds, out string refusal)
        {
            if (!_delay.Running)
            {
                refusal = RefusedNotRunning;
                return false;
            }

            refusal = null;
            _delay.Stop();
            _restoring = false;
            _events.Publish(ChargerEventKind.Notice, nowMicroseconds, 0, 0, false, NoticeRandomDelay, "cancelled", null);
            Evaluate(nowMicroseconds);
            ApplyDesired();
            return true;
        }

        /// <summary>
        /// Starts Boost (command or short button press): refused without a vehicle plugged in.
        /// <paramref name="durationSeconds"/> and <paramref name="energyWattHours"/>: 0 = no limit.
        /// </summary>
        public bool StartBoost(long nowMicroseconds, int durationSeconds, int energyWattHours, out string refusal)
        {
            if (!_session.SessionOpen)
            {
                refusal = RefusedNoVehicle;
                return false;
            }

            refusal = null;
            _boost.Start(nowMicroseconds, durationSeconds, energyWattHours, _energy.SessionWattHours);
            _arbiter.SetClaim(ClaimSlot.Manual, _boostMilliamps, ReasonBoost);
            _events.Publish(ChargerEventKind.Notice, nowMicroseconds, 0, 0, false, NoticeBoost, "started", null);
            SaveBoost(nowMicroseconds);
            return true;
        }

        /// <summary>Cancels Boost; refused when none runs.</summary>
        public bool CancelBoost(long nowMicroseconds, out string refusal)
        {
            if (!_boost.Active)
            {
                refusal = RefusedNotRunning;
                return false;
            }

            refusal = null;
            EndBoost(nowMicroseconds, BoostEndedCancelled);
            return true;
        }

        // ------------------------------------------------------------------ task

        /// <summary>The task: button, Boost expiry, schedules and default hours, the delay, the claims.</summary>
        public void Run(long nowMicroseconds)
        {
            if (!_started)
            {
                _started = true;
                _settleAtMicroseconds = nowMicroseconds + RestorationSettleMicroseconds;
            }

            _clock.Update(nowMicroseconds);
            PollButton(nowMicroseconds);
            if (_history != null)
            {
                long utc;
                bool known = _clock.TryGetUtcSeconds(nowMicroseconds, out utc);
                if (_history.Run(known, utc))
                {
                    Save();
                }
            }

            if (_boost.Active && !_restoring)
            {
                string ended = !_session.SessionOpen ? BoostEndedUnplugged : _boost.Expired(nowMicroseconds, _energy.SessionWattHours);
                if (ended != null)
                {
                    EndBoost(nowMicroseconds, ended);
                }
                else if (nowMicroseconds >= _nextBoostSaveMicroseconds)
                {
                    SaveBoost(nowMicroseconds);
                }
            }

            if (_record.SessionSchedulePresent && !_restoring && !SessionScheduleActive)
            {
                // The session it was set for has ended: a TxProfile lasts one transaction.
                _record.SessionSchedulePresent = false;
                Save();
            }

            Evaluate(nowMicroseconds);

            if (_restoring)
            {
                if (nowMicroseconds < _settleAtMicroseconds)
                {
                    return;
                }

                _restoring = false;
                if (_session.SessionOpen)
                {
                    if (_record.SessionSchedulePresent)
                    {
                        // The session the power cut interrupted goes on under its schedule.
                        _sessionScheduleSession = _session.SessionNumber;
                    }

                    if (_boost.Active)
                    {
                        _boost.Start(nowMicroseconds, _record.BoostRemainingSeconds, _record.BoostRemainingWattHours, _energy.SessionWattHours);
                    }

                    if (StartDelay(nowMicroseconds))
                    {
                        return;
                    }
                }
                else if (_boost.Active)
                {
                    EndBoost(nowMicroseconds, BoostEndedUnplugged);
                }

                ApplyDesired();
                return;
            }

            if (_delay.Running)
            {
                if (_delay.Elapsed(nowMicroseconds))
                {
                    _events.Publish(ChargerEventKind.Notice, nowMicroseconds, 0, 0, false, NoticeRandomDelay, "elapsed", null);
                    ApplyDesired();
                }
                else if (!_session.SessionOpen || _boost.Active || EffectiveMilliamps(_desiredActive, _desiredMilliamps) == EffectiveMilliamps(_appliedActive, _appliedMilliamps))
                {
                    // Nothing left to delay: unplugged, Boost took over, or the change went away.
                    _delay.Stop();
                    _events.Publish(ChargerEventKind.Notice, nowMicroseconds, 0, 0, false, NoticeRandomDelay, "not-needed", null);
                    ApplyDesired();
                }

                return;
            }

            int desired = EffectiveMilliamps(_desiredActive, _desiredMilliamps);
            int applied = EffectiveMilliamps(_appliedActive, _appliedMilliamps);
            if (desired != applied && _session.SessionOpen && !_boost.Active && StartDelay(nowMicroseconds))
            {
                return;
            }

            ApplyDesired();
        }

        /// <summary>Remaining seconds of the running delay, 0 when none runs.</summary>
        public int RandomDelayRemainingSeconds(long nowMicroseconds) => _delay.RemainingSeconds(nowMicroseconds);

        private bool StartDelay(long nowMicroseconds)
        {
            if (!_delay.Start(nowMicroseconds))
            {
                return false;
            }

            _events.Publish(ChargerEventKind.Notice, nowMicroseconds, _delay.DrawnSeconds, 0, false, NoticeRandomDelay, "started", null);
            return true;
        }

        private void PollButton(long nowMicroseconds)
        {
            if (_button == null)
            {
                return;
            }

            int presses = _button.ShortPressCount;
            if (presses == _lastShortPresses)
            {
                return;
            }

            _lastShortPresses = presses;

            // One button: a short press starts Boost, another short press ends it.
            string refusal;
            if (_boost.Active)
            {
                CancelBoost(nowMicroseconds, out refusal);
            }
            else if (!StartBoost(nowMicroseconds, 0, 0, out refusal))
            {
                _events.Publish(ChargerEventKind.Notice, nowMicroseconds, 0, 0, false, NoticeBoost, refusal, null);
            }
        }

        private void EndBoost(long nowMicroseconds, string why)
        {
            _boost.Stop();
            _arbiter.ClearClaim(ClaimSlot.Manual);
            _events.Publish(ChargerEventKind.Notice, nowMicroseconds, 0, 0, false, NoticeBoost, why, null);
            SaveBoost(nowMicroseconds);
        }

        private void SaveBoost(long nowMicroseconds)
        {
            _record.BoostActive = _boost.Active;
            _record.BoostRemainingSeconds = _boost.RemainingSeconds(nowMicroseconds);
            _record.BoostRemainingWattHours = _boost.RemainingWattHours(_energy.SessionWattHours);
            if (_boost.Active && _boost.Timed && _record.BoostRemainingSeconds == 0)
            {
                // Keep "timed" through a restore even when the last second is pending.
                _record.BoostRemainingSeconds = 1;
            }

            if (_boost.Active && _boost.EnergyLimited && _record.BoostRemainingWattHours == 0)
            {
                // Keep "energy-limited" through a restore even when the last watt-hour is pending.
                _record.BoostRemainingWattHours = 1;
            }

            _nextBoostSaveMicroseconds = nowMicroseconds + BoostSaveIntervalMicroseconds;
            Save();
        }

        // What the owned slots should hold now, before any delay.
        private void Evaluate(long nowMicroseconds)
        {
            Set(0, _record.PlatformMilliamps > 0, _record.PlatformMilliamps, ReasonPlatform);

            long local;
            bool timeKnown = _clock.TryGetLocalSeconds(nowMicroseconds, out local);
            ChargingSchedule schedule = null;
            if (SessionScheduleActive)
            {
                schedule = _record.SessionSchedule;
            }
            else if (_record.DefaultSchedulePresent)
            {
                schedule = _record.DefaultSchedule;
            }

            int limit;
            if (schedule == null || !timeKnown)
            {
                Set(1, false, 0, null);
            }
            else if (schedule.EnergyTargetWattHours > 0 && _energy.SessionWattHours >= schedule.EnergyTargetWattHours)
            {
                Set(1, true, 0, ReasonEnergyTarget);
            }
            else
            {
                bool inWindow = schedule.TryGetLimit(local, out limit);
                Set(1, true, inWindow ? limit : 0, ReasonSchedule);
            }

            bool avoid = timeKnown && _record.DefaultHours.Count > 0 && _record.DefaultHours.TryGetLimit(local, out limit);
            Set(2, avoid, 0, ReasonDefaultHours);
        }

        private void Set(int index, bool active, int milliamps, string reason)
        {
            _desiredActive[index] = active;
            _desiredMilliamps[index] = milliamps;
            _desiredReasons[index] = reason;
        }

        private void ApplyDesired()
        {
            for (int i = 0; i < Owned; i++)
            {
                Apply(i, _desiredActive[i], _desiredMilliamps[i], _desiredReasons[i]);
            }
        }

        private void Apply(int index, bool active, int milliamps, string reason)
        {
            if (active == _appliedActive[index] && milliamps == _appliedMilliamps[index] && (!active || string.Equals(reason, _appliedReasons[index])))
            {
                return;
            }

            _appliedActive[index] = active;
            _appliedMilliamps[index] = milliamps;
            _appliedReasons[index] = reason;
            if (active)
            {
                _arbiter.SetClaim(OwnedSlots[index], milliamps, reason);
            }
            else
            {
                _arbiter.ClearClaim(OwnedSlots[index]);
            }
        }

        // The preference the owned slots give: the highest-priority active claim; int.MaxValue = none.
        private static int EffectiveMilliamps(bool[] active, int[] milliamps)
        {
            for (int i = 0; i < Owned; i++)
            {
                if (active[i])
                {
                    // Below 6 A no current can be offered: all such claims mean "not charging".
                    return milliamps[i] < 6000 ? 0 : milliamps[i];
                }
            }

            return int.MaxValue;
        }

        private void SetPresent(bool session, bool present)
        {
            if (session)
            {
                _record.SessionSchedulePresent = present;
            }
            else
            {
                _record.DefaultSchedulePresent = present;
            }
        }

        // Stores the settings; on success the new settings act at the next run (through the delay).
        private bool Commit(long nowMicroseconds, out string refusal)
        {
            if (!Save())
            {
                refusal = RefusedStoreFailed;
                return false;
            }

            refusal = null;
            return true;
        }

        private bool Save()
        {
            if (_store == null)
            {
                return true;
            }

            _saveFailed = !_record.Save(_store);
            return !_saveFailed;
        }

        private static bool Undo(ref int field, int before)
        {
            field = before;
            return false;
        }
    }
}
