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

        private bool _paused;

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

        public bool ResetTrip(long nowMicroseconds, out string refusal)
        {
            refusal = RefusalNotAvailable;
            return false;
        }
    }
}
