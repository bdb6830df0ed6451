using IndraSmartPro.Board;
using IndraSmartPro.Safety;

namespace IndraSmartPro.Firmware
{
    /// <summary>
    /// The simplest pilot safe state: hold −12 V (state F). Used until the control pilot
    /// controller takes over <see cref="RelaySupervisor.PilotSafety"/>.
    /// </summary>
    internal sealed class HoldNegativePilotSafety : IPilotSafety
    {
        private readonly IPilotOutput _pilot;

        public HoldNegativePilotSafety(IPilotOutput pilot)
        {
            _pilot = pilot;
        }

        public void EnterFaultState(long nowMicroseconds)
        {
            _pilot.HoldNegative();
        }
    }
}
