namespace IndraSmartPro.ControlPilot
{
    /// <summary>
    /// Second half of the pilot's first level: turns each sampling window's high and low levels
    /// into a debounced <see cref="PilotState"/> and a debounced diode check.
    /// <para>
    /// Bands (high level, millivolts) are the midpoints between the nominal levels of
    /// IEC 61851-1 Annex A / SAE J1772 (A 12 V, B 9 V, C 6 V, D 3 V, E 0 V, F −12 V; docs/domain.md, "Control pilot"):
    /// A/B 10.5 V, B/C 7.5 V, C/D 4.5 V, D/E 1.5 V, E/F −6 V. Each boundary is moved
    /// <see cref="HysteresisMillivolts"/> away from the present state, so a level near a boundary
    /// does not chatter; the J1772 bands (A 11.40–12.60, B 8.36–9.56, C 5.48–6.49, D 2.62–3.25 V)
    /// all lie outside every boundary ± hysteresis.
    /// </para>
    /// <para>
    /// A new state is accepted only after <see cref="DebounceWindows"/> consecutive windows agree
    /// (debounce before a transition, as Zephyr's USB-C stack does).
    /// </para>
    /// </summary>
    public sealed class PilotClassifier
    {
        /// <summary>Boundary A/B, millivolts (midpoint of 12 V and 9 V).</summary>
        public const int BoundaryABMillivolts = 10500;

        /// <summary>Boundary B/C, millivolts (midpoint of 9 V and 6 V).</summary>
        public const int BoundaryBCMillivolts = 7500;

        /// <summary>Boundary C/D, millivolts (midpoint of 6 V and 3 V).</summary>
        public const int BoundaryCDMillivolts = 4500;

        /// <summary>Boundary D/E, millivolts (midpoint of 3 V and 0 V).</summary>
        public const int BoundaryDEMillivolts = 1500;

        /// <summary>Boundary E/F, millivolts (midpoint of 0 V and −12 V).</summary>
        public const int BoundaryEFMillivolts = -6000;

        /// <summary>How far a boundary moves away from the present state, millivolts.</summary>
        public const int HysteresisMillivolts = 400;

        /// <summary>
        /// The negative level with the EV's diode in place is −12 V (the diode blocks; J1772
        /// −11.4..−12.6 V). A shorted diode lets the EV's load pull it to about −8.8 V (B) or
        /// −5.3 V (C): anything above −10.5 V, the midpoint, is a diode fault.
        /// </summary>
        public const int DiodeLowLevelMaxMillivolts = -10500;

        /// <summary>Consecutive windows that must agree before a state or a diode fault is accepted.</summary>
        public const int DebounceWindows = 2;

        private static readonly int[] Boundaries =
        {
            BoundaryABMillivolts, BoundaryBCMillivolts, BoundaryCDMillivolts, BoundaryDEMillivolts, BoundaryEFMillivolts,
        };

        private PilotState _state = PilotState.F;
        private bool _known;
        private readonly ConfirmationDwell _dwell = new ConfirmationDwell(DebounceWindows);
        private int _diodeBadWindows;
        private bool _diodeVerified;
        private int _windowsSinceOutputChange;

        /// <summary>The debounced state. F until the first state is accepted (the board boots at −12 V).</summary>
        public PilotState State => _state;

        /// <summary>True once a state has been accepted.</summary>
        public bool Known => _known;

        /// <summary>
        /// True when at least <see cref="DebounceWindows"/> windows have completed since the pilot
        /// output last changed mode, so <see cref="State"/> describes the line under the present output.
        /// </summary>
        public bool Fresh => _windowsSinceOutputChange >= DebounceWindows;

        /// <summary>True after <see cref="DebounceWindows"/> consecutive PWM windows with a vehicle present showed the negative level too high.</summary>
        public bool DiodeFault => _diodeBadWindows >= DebounceWindows;

        /// <summary>True when the last PWM window since <see cref="ResetDiodeCheck"/> showed a healthy negative level.</summary>
        public bool DiodeVerified => _diodeVerified;

        /// <summary>
        /// Classifies one high level against the present debounced state, with hysteresis.
        /// </summary>
        public PilotState Classify(int highMillivolts)
        {
            // Before any state is accepted, an edge level falls on the higher-voltage side (A over B,
            // B over C, C over D): the side that asks for less, so a first reading cannot close.
            int present = _known ? (int)_state : (int)PilotState.A;
            for (int i = 0; i < Boundaries.Length; i++)
            {
                // Boundary i separates state i (above) from state i + 1 (below).
                int threshold = present <= i ? Boundaries[i] - HysteresisMillivolts : Boundaries[i] + HysteresisMillivolts;
                if (highMillivolts >= threshold)
                {
                    return (PilotState)i;
                }
            }

            return PilotState.F;
        }

        /// <summary>Tells the classifier the pilot output changed mode; <see cref="Fresh"/> is false until new windows arrive.</summary>
        public void OutputChanged()
        {
            _windowsSinceOutputChange = 0;
        }

        /// <summary>Forgets the diode verification (call when PWM starts, before relying on <see cref="DiodeVerified"/>).</summary>
        public void ResetDiodeCheck()
        {
            _diodeVerified = false;
            _diodeBadWindows = 0;
        }

        /// <summary>
        /// Takes one window. <paramref name="lowValid"/> is true when PWM ran for the whole window,
        /// so the low level is the negative half. Returns true when the debounced state changed.
        /// </summary>
        public bool Update(int highMillivolts, int lowMillivolts, bool lowValid)
        {
            if (_windowsSinceOutputChange < int.MaxValue)
            {
                _windowsSinceOutputChange++;
            }

            PilotState raw = Classify(highMillivolts);
            if (lowValid && PilotStates.VehiclePresent(raw))
            {
                if (lowMillivolts > DiodeLowLevelMaxMillivolts)
                {
                    _diodeBadWindows++;
                    _diodeVerified = false;
                }
                else
                {
                    _diodeBadWindows = 0;
                    _diodeVerified = true;
                }
            }

            if (!_dwell.Confirms((int)raw, _known && raw == _state))
            {
                return false;
            }

            _state = raw;
            _known = true;
            return true;
        }
    }
}
