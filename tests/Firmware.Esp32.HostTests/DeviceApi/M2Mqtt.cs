using System.Collections;
using System.Security.Cryptography.X509Certificates;

// Stand-ins of nanoFramework.M2Mqtt 5.1 (the members M2MqttTransport uses, same signatures). There
// is no broker here: every connection attempt is refused, as a broker that cannot be reached would.
namespace nanoFramework.M2Mqtt
{
    using System;
    using nanoFramework.M2Mqtt.Messages;

    public enum MqttSslProtocols
    {
        None,
        SSLv3,
        TLSv1_0,
        TLSv1_1,
        TLSv1_2,
    }

    public enum MqttProtocolVersion
    {
        Unknown = 0x00,
        Version_3_1 = 0x03,
        Version_3_1_1 = 0x04,
        Version_5 = 0x05,
    }

    public class MqttSettings
    {
        public bool ValidateServerCertificate { get; set; }
    }

    public class MqttClient : IDisposable
    {
        /// <summary>Brokers the stand-in was asked to reach, in order.</summary>
        public static readonly System.Collections.Generic.List<string> ConnectAttempts = new();

        private readonly string _host;

        public MqttClient(string brokerHostName, int brokerPort, bool secure, X509Certificate caCert, X509Certificate clientCert, MqttSslProtocols sslProtocol)
        {
            _host = brokerHostName + ":" + brokerPort;
        }

        public delegate void MqttMsgPublishEventHandler(object sender, MqttMsgPublishEventArgs e);

        public delegate void MqttMsgPublishedEventHandler(object sender, MqttMsgPublishedEventArgs e);

        public delegate void MqttMsgSubscribedEventHandler(object sender, MqttMsgSubscribedEventArgs e);

        public delegate void ConnectionClosedEventHandler(object sender, EventArgs e);

        public event MqttMsgPublishEventHandler MqttMsgPublishReceived;

        public event MqttMsgPublishedEventHandler MqttMsgPublished;

        public event MqttMsgSubscribedEventHandler MqttMsgSubscribed;

        public event ConnectionClosedEventHandler ConnectionClosed;

        public bool IsConnected { get; private set; }

        public MqttProtocolVersion ProtocolVersion { get; set; }

        public MqttSettings Settings { get; } = new MqttSettings();

        public MqttReasonCode Connect(string clientId, string username, string password, bool willRetain, MqttQoSLevel willQosLevel, bool willFlag, string willTopic, string willMessage, bool cleanSession, ushort keepAlivePeriod)
        {
            lock (ConnectAttempts)
            {
                ConnectAttempts.Add(_host);
            }

            // No broker on the host: the socket cannot be opened.
            throw new Exceptions.MqttCommunicationException();
        }

        public ushort Subscribe(string[] topics, MqttQoSLevel[] qosLevels) => throw new InvalidOperationException("not connected");

        public ushort Publish(string topic, byte[] message, string contentType, ArrayList userProperties, MqttQoSLevel qosLevel, bool retain) => throw new InvalidOperationException("not connected");

        public void Disconnect() => IsConnected = false;

        public void Dispose()
        {
            // Events are never raised without a broker; keep the compiler from warning about them.
            _ = MqttMsgPublishReceived;
            _ = MqttMsgPublished;
            _ = MqttMsgSubscribed;
            _ = ConnectionClosed;
        }
    }
}

namespace nanoFramework.M2Mqtt.Exceptions
{
    public class MqttCommunicationException : System.Exception
    {
    }
}

namespace nanoFramework.M2Mqtt.Messages
{
    using System;

    public enum MqttQoSLevel : byte
    {
        AtMostOnce = 0x00,
        AtLeastOnce = 0x01,
        ExactlyOnce = 0x02,
    }

    public enum MqttReasonCode : byte
    {
        Success = 0x00,
        UnspecifiedError = 0x80,
        NotAuthorized = 0x87,
    }

    public class MqttMsgPublishEventArgs : EventArgs
    {
        public string Topic { get; }

        public byte[] Message { get; }

        /// <summary>The PUBLISH packet's RETAIN flag (nanoFramework.M2Mqtt.Messages.MqttMsgPublishEventArgs.Retain).</summary>
        public bool Retain { get; }
    }

    public class MqttMsgPublishedEventArgs : EventArgs
    {
        public ushort MessageId { get; }

        public bool IsPublished { get; }
    }

    public class MqttMsgSubscribedEventArgs : EventArgs
    {
        public ushort MessageId { get; }
    }
}
