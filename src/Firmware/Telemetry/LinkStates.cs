namespace IndraSmartPro.Telemetry
{
    /// <summary>What the MQTT link is doing, as shown in the status ("link") and on the console (docs/mqtt.md).</summary>
    public static class LinkStates
    {
        /// <summary>Link state: the worker has not run yet.</summary>
        public const string Starting = "starting";
        /// <summary>Link state: a connect attempt is under way.</summary>
        public const string Connecting = "connecting";
        /// <summary>Link state: the session is up.</summary>
        public const string Connected = "connected";
        /// <summary>Link state: the last attempt failed (or the session dropped); waiting for the backoff before the next.</summary>
        public const string Waiting = "waiting";
        /// <summary>Link state: stopped (shut down).</summary>
        public const string Stopped = "stopped";
    }
}
