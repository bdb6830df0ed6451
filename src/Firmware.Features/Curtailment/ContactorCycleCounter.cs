using IndraSmartPro.Events;

namespace IndraSmartPro.Features.Curtailment
{
    /// <summary>
    /// Counts contactor closings since start-up from the Contactor events: the relay's wear, and
    /// evidence that curtailment does not cycle it (peers' users report relays cycling below 6 A).
    /// Not persisted: it restarts at boot.
    /// </summary>
    public sealed class ContactorCycleCounter : IChargerEventListener
    {
        private int _cycles;
        private bool _closed;

        /// <summary>Closings of the contactor since start-up.</summary>
        public int Cycles => _cycles;

        /// <inheritdoc />
        public void OnEvent(ChargerEvent e)
        {
            if (e.Kind != ChargerEventKind.Contactor)
            {
                return;
            }

            if (e.Flag && !_closed)
            {
                _cycles++;
            }

            _closed = e.Flag;
        }
    }
}
