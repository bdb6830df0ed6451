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
        /// <summary>Refusal while the module a command needs is not part of this build.</summary>
        public const string RefusalNotAvailable = "not-available";

        /// <summary>Who a remote reset is recorded as (the TripReset event's Text).</summary>
        public const string ResetSource = "mqtt";

        private readonly PestProtection _pests;
        private bool _paused;

        public FirmwareCommandTarget(PestProtection pests)
        {
            _pests = pests;
        }

        /// <summary>True while paused by command.</summary>
        public bool Paused => _paused;

        public bool SetCurrentLimit(long nowMicroseconds, int milliamps, out string refusal)
        {
            refusal = RefusalNotAvailable;
            return false;
        }

        public bool Pause(long nowMicroseconds, out string refusal)
        {
            refusal = RefusalNotAvailable;
            return false;
        }

        public bool Resume(long nowMicroseconds, out string refusal)
        {
            refusal = RefusalNotAvailable;
            return false;
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
