using IndraSmartPro.Metering;
using IndraSmartPro.Safety;
using IndraSmartPro.Scheduling;

namespace IndraSmartPro.Firmware
{
    /// <summary>
    /// The highest-priority task, every millisecond: sample the mains channels (which runs the
    /// per-cycle protection listeners when a cycle completes), then let the relay supervisor open
    /// whatever an interlock no longer permits, in the same run.
    /// </summary>
    internal sealed class ProtectionTask : IPeriodicTask
    {
        private readonly MainsMeter _meter;
        private readonly RelaySupervisor _relays;

        public ProtectionTask(MainsMeter meter, RelaySupervisor relays)
        {
            _meter = meter;
            _relays = relays;
        }

        public void Run(long nowMicroseconds)
        {
            _meter.Sample(nowMicroseconds);
            _relays.Enforce(nowMicroseconds);
        }
    }
}
