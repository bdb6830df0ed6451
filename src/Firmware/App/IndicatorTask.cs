using IndraSmartPro.Board;
using IndraSmartPro.ControlPilot;
using IndraSmartPro.Pests;
using IndraSmartPro.Safety;
using IndraSmartPro.Scheduling;

namespace IndraSmartPro.Firmware
{
    /// <summary>
    /// Drives the status LEDs from what the charger is doing, ten times a second. It only reads the
    /// modules' state; it decides nothing. A latched protective trip shows before everything else,
    /// because it is the one state that needs a person (a long press, or an engineer).
    /// </summary>
    public sealed class IndicatorTask : IPeriodicTask
    {
        /// <summary>Period: 100 ms is quick enough for a person and costs one call per run.</summary>
        public const int PeriodMicroseconds = 100000;

        /// <summary>Budget on the device: a few property reads and one GPIO update.</summary>
        public const int BudgetMicroseconds = 100;

        private readonly IIndicators _indicators;
        private readonly PestProtection _pests;
        private readonly ChargingSession _session;
        private readonly RelaySupervisor _relays;

        /// <summary>False on an uncommissioned unit: it shows <see cref="IndicatorState.NotCommissioned"/> unless a trip is latched.</summary>
        public bool Commissioned = true;

        /// <summary>Reads the given modules; shows on the given LEDs.</summary>
        public IndicatorTask(IIndicators indicators, PestProtection pests, ChargingSession session, RelaySupervisor relays)
        {
            _indicators = indicators;
            _pests = pests;
            _session = session;
            _relays = relays;
        }

        /// <inheritdoc />
        public void Run(long nowMicroseconds)
        {
            IndicatorState state = Choose(_pests.Latched, _session.State, _session.Paused, _relays.BlockingCode);
            _indicators.Show(!Commissioned && state != IndicatorState.Fault ? IndicatorState.NotCommissioned : state);
        }

        /// <summary>The LED state for the charger's state; the order of the checks is the priority.</summary>
        public static IndicatorState Choose(bool tripLatched, SessionState session, bool paused, string blockingCode)
        {
            if (tripLatched || session == SessionState.Fault)
            {
                return IndicatorState.Fault;
            }

            switch (session)
            {
                case SessionState.Charging:
                    return IndicatorState.Charging;
                case SessionState.Connected:
                case SessionState.Offering:
                case SessionState.Stopping:
                    return paused ? IndicatorState.Paused : IndicatorState.Connected;
                default:
                    // No vehicle: still "starting" until the boot supply check has passed.
                    return blockingCode == PestProtection.BootCheckCode ? IndicatorState.Starting : IndicatorState.Idle;
            }
        }
    }
}
