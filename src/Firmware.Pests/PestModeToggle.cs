using IndraSmartPro.Board;
using IndraSmartPro.Events;

namespace IndraSmartPro.Pests
{
    /// <summary>
    /// The installer's PEST mode toggle (mode A or B). Read once at boot to fix the mode in force;
    /// afterwards watched (debounced, <see cref="PestLimits.ToggleDebounceMicroseconds"/>): a
    /// position that disagrees with the mode in force is a re-commissioning that takes effect at
    /// the next boot, and until then power is refused (<see cref="PestProtection.ModeChangedCode"/>).
    /// </summary>
    public sealed class PestModeToggle
    {
        private readonly IOperatorInputs _inputs;
        private readonly EventBus _events;
        private bool _bootModeB;
        private bool _raw;
        private long _rawSinceMicroseconds;
        private bool _changed;

        /// <summary>Creates the watch on the operator inputs.</summary>
        public PestModeToggle(IOperatorInputs inputs, EventBus events)
        {
            _inputs = inputs;
            _events = events;
        }

        /// <summary>True while the toggle reads a different mode from the one in force.</summary>
        public bool Changed => _changed;

        /// <summary>Reads the toggle and fixes it as the mode in force; returns true for mode B.</summary>
        public bool ReadAtBoot()
        {
            _bootModeB = _inputs.ReadPestToggleModeB();
            _raw = _bootModeB;
            _changed = false;
            return _bootModeB;
        }

        /// <summary>Reads the toggle; publishes Fault / FaultCleared when a debounced disagreement starts or ends.</summary>
        public void Watch(long nowMicroseconds)
        {
            bool raw = _inputs.ReadPestToggleModeB();
            if (raw != _raw)
            {
                _raw = raw;
                _rawSinceMicroseconds = nowMicroseconds;
            }

            bool changed = _raw != _bootModeB;
            if (changed != _changed && nowMicroseconds - _rawSinceMicroseconds >= PestLimits.ToggleDebounceMicroseconds)
            {
                // A mode change is a re-commissioning: it takes effect at the next boot (with its own
                // supply check); until then power is refused, and the withdrawn permission opens the
                // relays in the protection task's next run.
                _changed = changed;
                if (changed)
                {
                    _events.Publish(ChargerEventKind.Fault, nowMicroseconds, 0, 0, false, PestProtection.ModeChangedCode, null, null);
                }
                else
                {
                    _events.Publish(ChargerEventKind.FaultCleared, nowMicroseconds, 0, false, PestProtection.ModeChangedCode);
                }
            }
        }
    }
}
