namespace IndraSmartPro.Network
{
    /// <summary>
    /// The one small interface both MQTT clients sit behind: nanoFramework.M2Mqtt on the device,
    /// MQTTnet on the host. Every method may block (DNS, TCP, TLS) and is called only from the
    /// network worker thread, never from the scheduler: the protection and pilot tasks never wait
    /// for the network. Received messages are handed to <see cref="IMqttMessageSink"/> on the
    /// client's own thread; the sink queues them for the scheduler.
    /// </summary>
    public interface IMqttTransport
    {
        /// <summary>True while the session with the broker is up.</summary>
        bool IsConnected { get; }

        /// <summary>Where received messages go; set before <see cref="Connect"/>.</summary>
        IMqttMessageSink Sink { get; set; }

        /// <summary>
        /// Opens the session (clean session off, so QoS 1 subscriptions survive a reconnect) with
        /// the given credentials and a retained last-will message. Returns false on failure.
        /// </summary>
        bool Connect(string clientId, string userName, string password, string willTopic, byte[] willPayload);

        /// <summary>Subscribes to a topic filter at QoS 0 or 1. Returns false on failure.</summary>
        bool Subscribe(string topicFilter, int qos);

        /// <summary>Publishes; for QoS 1 returns true once the broker acknowledged. False on failure.</summary>
        bool Publish(string topic, byte[] payload, int qos, bool retain);

        /// <summary>
        /// Starts a QoS 1 publish and returns without waiting for the broker, so several can be in
        /// flight on a slow link (MQTT 3.1.1 section 4.6 keeps them in order). The outcome is
        /// reported once, on any thread, by <see cref="IMqttMessageSink.OnPublished"/> with
        /// <paramref name="token"/>: acknowledged, or failed (no PUBACK in time, session down).
        /// Returns false when it could not even be started.
        /// </summary>
        bool StartPublish(string topic, byte[] payload, bool retain, int token);

        /// <summary>Closes the session cleanly (no last will). Never throws.</summary>
        void Disconnect();

        /// <summary>
        /// Why the last <see cref="Connect"/> failed, as one of the <see cref="LinkFailures"/> codes;
        /// null after a successful connect. Read by the network thread after Connect returned false.
        /// </summary>
        string LastFailure { get; }
    }

    /// <summary>Receives messages from the transport.</summary>
    public interface IMqttMessageSink
    {
        /// <summary>
        /// Called on the client's thread for each message received. <paramref name="retained"/> is
        /// the PUBLISH packet's RETAIN flag as the broker sent it: set when the message is a stored
        /// retained one delivered because of a new subscription (MQTT 3.1.1 section 3.3.1.3).
        /// </summary>
        void OnMessage(string topic, byte[] payload, bool retained);

        /// <summary>Called when the connection dropped without <see cref="IMqttTransport.Disconnect"/>.</summary>
        void OnConnectionLost();

        /// <summary>The outcome of <see cref="IMqttTransport.StartPublish"/>: <paramref name="acknowledged"/> false when it failed.</summary>
        void OnPublished(int token, bool acknowledged);
    }
}
