using IndraSmartPro.Metering;
using IndraSmartPro.Safety;
using IndraSmartPro.Telemetry;

namespace IndraSmartPro.Firmware
{
    /// <summary>
    /// Reads the status fields that do not come from events straight from the firmware's
    /// modules: the meter's last cycle, the relay supervisor, the commissioning settings, and
    /// the pause state of the command target. Allocates nothing.
    /// </summary>
    internal sealed class FirmwareStatusSource : IStatusSource
    {
        private readonly MainsMeter _meter;
        private readonly RelaySupervisor _relays;
        private readonly ChargerConfig _config;
        private readonly FirmwareCommandTarget _target;

        public FirmwareStatusSource(MainsMeter meter, RelaySupervisor relays, ChargerConfig config, FirmwareCommandTarget target)
        {
            _meter = meter;
            _relays = relays;
            _config = config;
            _target = target;
        }

        public void Fill(long nowMicroseconds, ChargerStatus status)
        {
            MainsCycle cycle = _meter.LastCycle;
            status.CurrentMilliamps = cycle.EvMilliamps;
            status.PowerMilliwatts = cycle.EvMilliwatts;
            status.LineNeutralMillivolts = cycle.LineNeutralMillivolts;
            status.LineTtRefMillivolts = cycle.LineTtRefMillivolts;
            status.CpcTtRefMillivolts = cycle.CpcTtRefMillivolts;

            // The supervisor is the authority on the contactor; the events only announce changes.
            status.Contactor = _relays.ContactorClosed;
            status.Paused = _target.Paused;
            status.PestMode = _config.ReferenceElectrodeFitted ? "A-electrode" : "A-no-electrode";
        }
    }
}
