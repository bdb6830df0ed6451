using IndraSmartPro.Board;
using IndraSmartPro.Events;

namespace IndraSmartPro.ControlPilot
{
    /// <summary>
    /// The one owner of the pilot output inside the firmware: drives <see cref="IPilotOutput"/>,
    /// remembers what it shows, counts mode changes for the sampler and publishes
    /// <see cref="ChargerEventKind.Pwm"/> on every change.
    /// </summary>
    public sealed class PilotGenerator
    {
        private readonly IPilotOutput _output;
        private readonly EventBus _events;
        private int _dutyPermille = PilotDuty.SteadyNegativePermille;
        private int _epoch;

        /// <summary>Creates the generator. The board boots at steady −12 V, which is what it assumes.</summary>
        public PilotGenerator(IPilotOutput output, EventBus events)
        {
            _output = output;
            _events = events;
        }

        /// <summary>What the output shows: 1..999 permille PWM, 1000 steady +12 V, 0 steady −12 V.</summary>
        public int DutyPermille => _dutyPermille;

        /// <summary>True while PWM runs (current offered).</summary>
        public bool PwmRunning => _dutyPermille > PilotDuty.SteadyNegativePermille && _dutyPermille < PilotDuty.SteadyPositivePermille;

        /// <summary>True while the output holds −12 V (state F).</summary>
        public bool HoldingNegative => _dutyPermille == PilotDuty.SteadyNegativePermille;

        /// <summary>Incremented whenever the output changes mode (steady +12 V, steady −12 V, PWM); duty changes within PWM do not count.</summary>
        public int Epoch => _epoch;

        /// <summary>Steady +12 V: no current offered.</summary>
        public void HoldPositive(long nowMicroseconds)
        {
            if (_dutyPermille == PilotDuty.SteadyPositivePermille)
            {
                return;
            }

            _output.HoldPositive();
            Changed(nowMicroseconds, PilotDuty.SteadyPositivePermille);
        }

        /// <summary>Steady −12 V: state F.</summary>
        public void HoldNegative(long nowMicroseconds)
        {
            if (_dutyPermille == PilotDuty.SteadyNegativePermille)
            {
                // Re-assert the output anyway: the trip path must not depend on remembered state.
                _output.HoldNegative();
                return;
            }

            _output.HoldNegative();
            Changed(nowMicroseconds, PilotDuty.SteadyNegativePermille);
        }

        /// <summary>PWM with the given duty, 100..960 permille (IEC 61851-1 Table A.8; 5 % is never used).</summary>
        public void SetDutyPermille(long nowMicroseconds, int dutyPermille)
        {
            if (dutyPermille < PilotDuty.MinimumPermille || dutyPermille > PilotDuty.MaximumPermille)
            {
                throw new System.ArgumentOutOfRangeException("dutyPermille");
            }

            if (_dutyPermille == dutyPermille)
            {
                return;
            }

            _output.SetDutyPermille(dutyPermille);
            Changed(nowMicroseconds, dutyPermille);
        }

        private void Changed(long nowMicroseconds, int dutyPermille)
        {
            bool wasPwm = PwmRunning;
            _dutyPermille = dutyPermille;
            if (!wasPwm || !PwmRunning)
            {
                _epoch++;
            }

            _events.Publish(ChargerEventKind.Pwm, nowMicroseconds, dutyPermille, false, null);
        }
    }
}
