namespace IndraSmartPro.Events
{
    /// <summary>
    /// What happened. The simulator's JSON-lines output and the MQTT events are made from these;
    /// docs/simulator.md says how each maps to a JSON object. Append new kinds at the end.
    /// </summary>
    public enum ChargerEventKind
    {
        /// <summary>Firmware booted. Code: firmware version.</summary>
        Boot = 0,
        /// <summary>Pilot state changed. Code: "A".."F".</summary>
        PilotState = 1,
        /// <summary>Pilot output changed. Value: duty in permille; 1000 = steady +12 V, 0 = steady −12 V.</summary>
        Pwm = 2,
        /// <summary>Contactor commanded. Flag: closed.</summary>
        Contactor = 3,
        /// <summary>CPC/earth relay commanded. Flag: closed.</summary>
        EarthRelay = 4,
        /// <summary>Offered current limit changed. Value: milliamps; Code: reason.</summary>
        Limit = 5,
        /// <summary>Protective trip latched. Code: cause; Detail: the disturbance record, if any.</summary>
        Trip = 6,
        /// <summary>A latched trip was reset. Code: cause that was cleared; Text: who reset it.</summary>
        TripReset = 7,
        /// <summary>A fault was raised. Code: fault code; Flag: latched.</summary>
        Fault = 8,
        /// <summary>A fault cleared. Code: fault code.</summary>
        FaultCleared = 9,
        /// <summary>A charging session started. Value: session number.</summary>
        SessionStarted = 10,
        /// <summary>A charging session stopped. Value: session energy in watt-hours; Code: reason.</summary>
        SessionStopped = 11,
        /// <summary>Something the firmware wants a person to know that is not a fault. Code: what; Text: detail.</summary>
        Notice = 12,
        /// <summary>A curtailment action (cut, raise, pause, resume, fallback, restored). Value: the EV's new allowance claim in milliamps (0 = paused); Value2: signed import milliamps; Code: the action; Text: the claim's reason; Detail: the evidence record.</summary>
        Curtailment = 13,
    }
}
