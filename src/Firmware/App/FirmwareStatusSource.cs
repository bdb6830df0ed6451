using IndraSmartPro.ControlPilot;
using IndraSmartPro.Features.Curtailment;
using IndraSmartPro.Features.SmartCharging;
using IndraSmartPro.Metering;
using IndraSmartPro.Pests;
using IndraSmartPro.Safety;
using IndraSmartPro.Telemetry;
using IndraSmartPro.Time;

namespace IndraSmartPro.Firmware
{
    /// <summary>
    /// Reads the status fields that do not come from events straight from the firmware's
    /// modules: the meter's last cycle, the relay supervisor, the commissioning settings, and
    /// the PEST latch, the arbiter, the charging session and the energy meter. Allocates nothing.
    /// </summary>
    internal sealed class FirmwareStatusSource : IStatusSource
    {
        private readonly MainsMeter _meter;
        private readonly RelaySupervisor _relays;
        private readonly PestProtection _pests;
        private readonly CurrentArbiter _arbiter;
        private readonly ChargingSession _session;
        private readonly EnergyMeter _energy;
        private readonly SmartCharging _smart;
        private readonly WallClock _clock;

        /// <summary>Curtailment, when built: its status members are filled from it.</summary>
        public CurtailmentController Curtailment;

        /// <summary>The contactor cycle counter, when built.</summary>
        public ContactorCycleCounter ContactorCycles;
        /// <summary>False on an uncommissioned unit: the state is then always "not-commissioned".</summary>
        public bool Commissioned = true;

        public FirmwareStatusSource(MainsMeter meter, RelaySupervisor relays, PestProtection pests, CurrentArbiter arbiter, ChargingSession session, EnergyMeter energy,
            SmartCharging smart, WallClock clock)
        {
            _smart = smart;
            _clock = clock;
            _meter = meter;
            _relays = relays;
            _pests = pests;
            _arbiter = arbiter;
            _session = session;
            _energy = energy;
        }

        public void Fill(long nowMicroseconds, ChargerStatus status)
        {
            MainsCycle cycle = _meter.LastCycle;
            status.CurrentMilliamps = _energy.EvMilliamps;

            // The energy meter's mean over the last whole second (Smart Charge Points
            // Regulations 2021, reg. 9: power measured every second).
            status.PowerMilliwatts = _energy.PowerMilliwatts;
            status.SessionWattHours = _energy.SessionWattHours;
            status.LifetimeWattHours = _energy.LifetimeWattHours;
            status.LineNeutralMillivolts = cycle.LineNeutralMillivolts;
            status.LineTtRefMillivolts = cycle.LineTtRefMillivolts;
            status.CpcTtRefMillivolts = cycle.CpcTtRefMillivolts;

            // The supervisor is the authority on the contactor; the events only announce changes.
            status.Contactor = _relays.ContactorClosed;
            status.Paused = _session.Paused;
            status.Pilot = PilotStates.Code(_session.PilotState);
            status.OfferedMilliamps = _session.OfferedMilliamps;

            // With nothing offered, the session's reason (e.g. "paused", "trip") says why; otherwise
            // the arbiter's winning claim does.
            string sessionReason = _session.Reason;
            status.LimitReason = status.OfferedMilliamps == 0 && sessionReason != null ? sessionReason : _arbiter.LimitReason;
            status.PestMode = PestModes.Name(_pests.Mode);
            if (Curtailment != null)
            {
                status.ImportMilliamps = Curtailment.ImportMilliamps;
                status.EvAllowanceMilliamps = Curtailment.ClaimMilliamps;
                status.Curtailment = CurtailmentStates.Name(Curtailment.State);
                status.CtHealth = CtHealths.Name(Curtailment.Health);
                status.SolarMode = SolarModes.Name(Curtailment.Settings.Mode);
            }

            if (ContactorCycles != null)
            {
                status.ContactorCycles = ContactorCycles.Cycles;
            }

            if (!Commissioned)
            {
                status.State = ChargerStatus.StateNotCommissioned;
            }

            long utc;
            status.UtcSeconds = _clock != null && _clock.TryGetUtcSeconds(nowMicroseconds, out utc) ? utc : 0;
            if (_smart != null)
            {
                Boost boost = _smart.Boost;
                status.Boost = boost.Active;
                status.BoostRemainingSeconds = boost.RemainingSeconds(nowMicroseconds);
                status.BoostRemainingWattHours = boost.RemainingWattHours(_energy.SessionWattHours);
                status.RandomDelaySeconds = _smart.RandomDelayRemainingSeconds(nowMicroseconds);
                SmartChargingRecord settings = _smart.Settings;
                status.Schedule = _smart.SessionScheduleActive ? "session" : (settings.DefaultSchedulePresent ? "default" : null);
                status.DefaultHours = !settings.DefaultHoursChosen ? "factory" : (settings.DefaultHours.Count > 0 ? "owner" : "off");
            }

            // A latch restored from the store at boot is announced as a fault, not a trip event:
            // list the latched causes from the latch itself so the status is right either way.
            int mask = _pests.CauseMask;
            for (int cause = 1; cause < TripCauses.Count; cause++)
            {
                if ((mask & (1 << cause)) != 0)
                {
                    ChargerStatus.AddCode(status.Trips, ref status.TripCount, TripCauses.Code(cause));
                }
            }
        }
    }
}
