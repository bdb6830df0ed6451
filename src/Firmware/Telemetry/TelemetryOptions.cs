namespace IndraSmartPro.Telemetry
{
    /// <summary>Rates of the telemetry task (docs/mqtt.md).</summary>
    public sealed class TelemetryOptions
    {
        /// <summary>
        /// Period of the telemetry task in microseconds: how often commands are taken and the
        /// status compared for changes. 50 ms keeps the change-to-publish delay small for the
        /// platform while the task costs little.
        /// </summary>
        public int TaskPeriodMicroseconds = 50000;

        /// <summary>CPU budget of one run on the device, microseconds.</summary>
        public int TaskBudgetMicroseconds = 5000;

        /// <summary>Status is republished at least this often, seconds (measured values stay fresh).</summary>
        public int StatusIntervalSeconds = 60;

        /// <summary>
        /// Power message interval, seconds (1..60). Power is sampled every second regardless
        /// (Smart Charge Points Regulations 2021, reg. 9); each message carries the samples since the last.
        /// </summary>
        public int PowerIntervalSeconds = 10;

        /// <summary>Most commands handled per run, so a burst cannot hold the scheduler.</summary>
        public int CommandsPerRun = 2;
    }
}
