namespace IndraSmartPro.ControlPilot
{
    /// <summary>The charging session machine's states (the second level, above the pilot classifier).</summary>
    public enum SessionState
    {
        /// <summary>No vehicle (pilot A). Pilot steady +12 V, relays open, socket unlocked when no current flows.</summary>
        Idle = 0,
        /// <summary>Vehicle connected, no current offered (waiting for permission, the plug check, the lock, a limit ≥ 6 A, or paused). Steady +12 V.</summary>
        Connected = 1,
        /// <summary>PWM offers current; the contactor is open until the vehicle asks (C) and the diode check passed.</summary>
        Offering = 2,
        /// <summary>PWM on, contactor closed, the vehicle in C.</summary>
        Charging = 3,
        /// <summary>PWM withdrawn with the contactor still closed: waiting for the vehicle to stop drawing and show B, at most 6 s.</summary>
        Stopping = 4,
        /// <summary>A fault: relays open, state F (−12 V) for at least 300 ms, then steady +12 V until the cause clears.</summary>
        Fault = 5,
    }

    /// <summary>One row of the session table: what is true in a state.</summary>
    public sealed class SessionStateRow
    {
        /// <summary>Creates a row.</summary>
        public SessionStateRow(SessionState state, string name, bool pwmOffered, bool contactorMayBeClosed)
        {
            State = state;
            Name = name;
            PwmOffered = pwmOffered;
            ContactorMayBeClosed = contactorMayBeClosed;
        }

        /// <summary>The state this row describes.</summary>
        public SessionState State { get; }

        /// <summary>Name used in status reports (constant).</summary>
        public string Name { get; }

        /// <summary>True when the pilot offers current (PWM) in this state.</summary>
        public bool PwmOffered { get; }

        /// <summary>True when the contactor may be closed in this state (Charging, and Stopping while the vehicle winds down).</summary>
        public bool ContactorMayBeClosed { get; }
    }

    /// <summary>The session table: one row per <see cref="SessionState"/>, indexed by the state's value.</summary>
    public static class SessionStates
    {
        /// <summary>Number of <see cref="SessionState"/> values.</summary>
        public const int Count = 6;

        /// <summary>The rows, in enum order (a unit test checks every value has its row).</summary>
        public static readonly SessionStateRow[] Rows =
        {
            new SessionStateRow(SessionState.Idle, "idle", false, false),
            new SessionStateRow(SessionState.Connected, "connected", false, false),
            new SessionStateRow(SessionState.Offering, "offering", true, false),
            new SessionStateRow(SessionState.Charging, "charging", true, true),
            new SessionStateRow(SessionState.Stopping, "stopping", false, true),
            new SessionStateRow(SessionState.Fault, "fault", false, false),
        };

        /// <summary>The row of a state.</summary>
        public static SessionStateRow Row(SessionState state)
        {
            return Rows[(int)state];
        }

        /// <summary>
        /// The table as run-time invariants: what in the outputs contradicts the state's row, or
        /// null when they agree. Checked after every step by the property tests. A state whose row
        /// offers PWM must run it; one that does not must not (steady +12 V or −12 V); the contactor
        /// may be closed only where its row allows it.
        /// </summary>
        /// <param name="state">The session state after the step.</param>
        /// <param name="dutyPermille">What the pilot output shows (1000 steady +12 V, 0 steady −12 V, else PWM).</param>
        /// <param name="contactorClosed">Whether the contactor is commanded closed.</param>
        public static string Violation(SessionState state, int dutyPermille, bool contactorClosed)
        {
            SessionStateRow row = Row(state);
            bool pwm = dutyPermille > PilotDuty.SteadyNegativePermille && dutyPermille < PilotDuty.SteadyPositivePermille;
            if (row.PwmOffered && !pwm)
            {
                return "PWM not running in a state that offers current";
            }

            if (!row.PwmOffered && pwm)
            {
                return "PWM running in a state that offers no current";
            }

            if (contactorClosed && !row.ContactorMayBeClosed)
            {
                return "contactor closed in a state that must have it open";
            }

            return null;
        }
    }
}
