using IndraSmartPro.ControlPilot;
using IndraSmartPro.Features.SmartCharging;
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
        public const string PlatformReason = SmartCharging.ReasonPlatform;

        /// <summary>Who a remote reset is recorded as (the TripReset event's Text).</summary>
        public const string ResetSource = "mqtt";

        private readonly PestProtection _pests;
        private readonly SmartCharging _smart;
        private readonly ChargingSession _session;

        public FirmwareCommandTarget(PestProtection pests, SmartCharging smart, ChargingSession session)
        {
            _pests = pests;
            _smart = smart;
            _session = session;
        }

        /// <summary>
        /// The platform's claim in the current arbiter (docs/mqtt.md): below the safety and
        /// curtailment ceilings and the owner's manual limit, above schedules and the default.
        /// 0 clears it. The session applies the arbiter's result at its next run, within the
        /// pilot's own rules (reductions at once, increases at most every 5 s). Smart charging
        /// holds the claim: it is stored (power cut) and a change waits the randomised delay
        /// while a vehicle is plugged in (Smart Charge Points Regulations 2021, reg. 11).
        /// </summary>
        public bool SetCurrentLimit(long nowMicroseconds, int milliamps, out string refusal)
        {
            return _smart.SetPlatformLimit(nowMicroseconds, milliamps, out refusal);
        }

        /// <summary>Withdraws the offer, keeping the session open; pausing a paused charger is accepted. Stored (power cut).</summary>
        public bool Pause(long nowMicroseconds, out string refusal)
        {
            if (!_smart.SetPausedStored(nowMicroseconds, true, out refusal))
            {
                return false;
            }

            _session.Pause();
            return true;
        }

        /// <summary>Undoes <see cref="Pause"/>; resuming a running charger is accepted. Stored (power cut).</summary>
        public bool Resume(long nowMicroseconds, out string refusal)
        {
            if (!_smart.SetPausedStored(nowMicroseconds, false, out refusal))
            {
                return false;
            }

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
