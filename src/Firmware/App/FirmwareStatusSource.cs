using IndraSmartPro.Metering;
using IndraSmartPro.Pests;
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
        private readonly FirmwareCommandTarget _target;
        private readonly PestProtection _pests;

        public FirmwareStatusSource(MainsMeter meter, RelaySupervisor relays, PestProtection pests, FirmwareCommandTarget target)
        {
            _meter = meter;
            _relays = relays;
            _pests = pests;
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
            status.PestMode = ModeCode(_pests.Mode);

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

        /// <summary>The status's code for a PEST mode (docs/mqtt.md).</summary>
        public static string ModeCode(PestMode mode)
        {
            switch (mode)
            {
                case PestMode.AWithElectrode:
                    return "A-electrode";
                case PestMode.AWithoutElectrode:
                    return "A-no-electrode";
                default:
                    return "B";
            }
        }
    }
}
