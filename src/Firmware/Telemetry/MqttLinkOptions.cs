namespace IndraSmartPro.Telemetry
{
    /// <summary>
    /// Settings of an <see cref="MqttLink"/>: identity, credentials and the sizes of its queues.
    /// Credentials are per device and come from commissioning; there is no default password
    /// (Smart Charge Points Regulations 2021, Schedule 1; ETSI EN 303 645 provision 5.1-1).
    /// </summary>
    public sealed class MqttLinkOptions
    {
        /// <summary>MQTT client id; by default the serial (unique per device, so the broker keeps its session).</summary>
        public string ClientId;

        /// <summary>Per-device user name, or null for a broker without authentication (tests, the simulator's embedded broker).</summary>
        public string UserName;

        /// <summary>Per-device password, or null.</summary>
        public string Password;

        /// <summary>
        /// Safety and session events (trips, faults, resets, session start and stop, boot) kept
        /// while offline or while the link is slow; the oldest of them is dropped (and counted)
        /// only when this many wait. No other kind of message ever takes their place.
        /// </summary>
        public int OutboxCapacity = 16;

        /// <summary>Command results waiting; the oldest is dropped (and counted as a command left unanswered) when full.</summary>
        public int ResultCapacity = 8;

        /// <summary>Low-priority events (limit changes, notices) waiting; the oldest is dropped (and counted) when full.</summary>
        public int LowEventCapacity = 8;

        /// <summary>
        /// Answers given on the network thread without queuing the command (busy, retained)
        /// waiting; the oldest is dropped (and counted as unanswered) when full. This bounds what
        /// a command flood can cost: at most this many answers wait, sent after everything else but power.
        /// </summary>
        public int UnqueuedAnswerCapacity = 4;

        /// <summary>Largest event or result payload in bytes (a result with the longest id and command name fits).</summary>
        public int OutboxMessageBytes = 1024;

        /// <summary>Largest "large event" (a disturbance record) in bytes; one is kept at a time.</summary>
        public int LargeEventBytes = 4096;

        /// <summary>Largest status payload in bytes.</summary>
        public int StatusBytes = 1024;

        /// <summary>Largest power payload in bytes.</summary>
        public int PowerBytes = 768;

        /// <summary>
        /// QoS 1 messages sent and not yet acknowledged, at most. One per round trip would cap a
        /// 300 ms link at about 3 messages a second; 8 in flight carry about 26.
        /// </summary>
        public int MaxInFlight = 8;

        /// <summary>Received commands waiting for the scheduler; more are answered "busy".</summary>
        public int InboundCapacity = 4;

        /// <summary>First reconnect delay ceiling in milliseconds (doubles per failure).</summary>
        public int BackoffInitialMilliseconds = 1000;

        /// <summary>Cap on the reconnect delay in milliseconds.</summary>
        public int BackoffMaximumMilliseconds = 60000;

        /// <summary>
        /// After a session that was up drops, the first retry waits uniformly in [0, this]
        /// milliseconds, so a fleet that lost a restarted broker together does not return together.
        /// </summary>
        public int FirstRetrySpreadMilliseconds = 10000;

        /// <summary>How long the network worker waits when there is nothing to do, in milliseconds.</summary>
        public int IdleWaitMilliseconds = 1000;
    }
}
