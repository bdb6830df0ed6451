using IndraSmartPro.ControlPilot;
using IndraSmartPro.Pests;
using IndraSmartPro.Telemetry;

namespace IndraSmartPro.Firmware
{
    /// <summary>
    /// Carries out validated remote commands on the firmware's modules (docs/mqtt.md,
    /// "Commands"). Runs on the scheduler thread, inside the telemetry task.
    /// </summary>
    internal sealed class FirmwareCommandTarget : ICommandTarget
    {
        /// <summary>The arbiter reason of a limit set over MQTT.</summary>
        public const string PlatformReason = "platform";

        /// <summary>Who a remote reset is recorded as (the TripReset event's Text).</summary>
        public const string ResetSource = "mqtt";

        private readonly PestProtection _pests;
        private readonly CurrentArbiter _arbiter;
        private readonly ChargingSession _session;

        public FirmwareCommandTarget(PestProtection pests, CurrentArbiter arbiter, ChargingSession session)
        {
            _pests = pests;
            _arbiter = arbiter;
            _session = session;
        }

        /// <summary>
        /// The platform's claim in the current arbiter (docs/mqtt.md): below the safety and
        /// curtailment ceilings and the owner's manual limit, above schedules and the default.
        /// 0 clears it. The session applies the arbiter's result at its next run, within the
        /// pilot's own rules (reductions at once, increases at most every 5 s).
        /// </summary>
        public bool SetCurrentLimit(long nowMicroseconds, int milliamps, out string refusal)
        {
            refusal = null;
            if (milliamps == 0)
            {
                _arbiter.ClearClaim(ClaimSlot.Platform);
            }
            else
            {
                _arbiter.SetClaim(ClaimSlot.Platform, milliamps, PlatformReason);
            }

            return true;
        }

        /// <summary>Withdraws the offer, keeping the session open; pausing a paused charger is accepted.</summary>
        public bool Pause(long nowMicroseconds, out string refusal)
        {
            refusal = null;
            _session.Pause();
            return true;
        }

        /// <summary>Undoes <see cref="Pause"/>; resuming a running charger is accepted.</summary>
        public bool Resume(long nowMicroseconds, out string refusal)
        {
            refusal = null;
            _session.Resume();
            return true;
        }

        /// <summary>
        /// The PEST latch decides: it refuses unless latched, the supply has been back in range
        /// long enough, and nothing else still stands in the way (docs/faults.md, reset rules).
        /// </summary>
        public bool ResetTrip(long nowMicroseconds, out string refusal)
        {
            return _pests.TryReset(nowMicroseconds, ResetSource, out refusal);
        }
    }
}
