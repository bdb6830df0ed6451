using System;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using IndraSmartPro.Network;
using IndraSmartPro.Telemetry;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;

namespace IndraSmartPro.Board.Esp32
{
    /// <summary>
    /// <see cref="IMqttTransport"/> on nanoFramework.M2Mqtt 5.1: MQTT 3.1.1 over TLS 1.2 to port
    /// 8883, the broker checked against the deployment's CA certificate, per-device user name and
    /// password, a retained QoS 1 last will, clean session off (docs/mqtt.md, docs/deploy.md).
    /// Every call blocks (DNS, TCP, TLS, waiting for the broker's acknowledgement) and is made only
    /// by <see cref="MqttLink"/>'s network thread. A new <see cref="MqttClient"/> is made for each
    /// connection, so nothing of a dead one (its threads, its queue) carries over.
    /// </summary>
    public sealed class M2MqttTransport : IMqttTransport
    {
        /// <summary>MQTT over TLS (IANA).</summary>
        public const int TlsPort = 8883;

        /// <summary>Keep-alive sent to the broker, seconds: a dead link is noticed within 1.5× this.</summary>
        public const ushort KeepAliveSeconds = 30;

        /// <summary>How long a QoS 1 publish or a subscribe waits for the broker, milliseconds.</summary>
        public const int AcknowledgeTimeoutMilliseconds = 10000;

        private readonly string _host;
        private readonly int _port;
        private readonly X509Certificate _caCertificate;
        private readonly object _gate = new object();
        private readonly AutoResetEvent _acknowledged = new AutoResetEvent(false);
        private MqttClient _client;
        private ushort _awaitedMessageId;

        // StartPublish: message id → the link's token, for the messages in flight. An
        // acknowledgement can arrive before Publish returns the id; it then waits in _early.
        private const int MaxTracked = 32;
        private readonly ushort[] _trackedId = new ushort[MaxTracked];
        private readonly int[] _trackedToken = new int[MaxTracked];
        private readonly bool[] _trackedActive = new bool[MaxTracked];
        private readonly ushort[] _earlyId = new ushort[MaxTracked];
        private readonly bool[] _earlyOk = new bool[MaxTracked];
        private readonly bool[] _earlyActive = new bool[MaxTracked];
        private bool _awaitedOk;
        private bool _awaiting;

        /// <summary>Creates the transport; nothing connects until <see cref="Connect"/>.</summary>
        /// <param name="host">Broker host name or address.</param>
        /// <param name="port">Broker TLS port, normally <see cref="TlsPort"/>.</param>
        /// <param name="caCertificatePem">The deployment CA certificate (PEM) that signed the broker's certificate.</param>
        public M2MqttTransport(string host, int port, byte[] caCertificatePem)
        {
            if (host == null || host.Length == 0 || caCertificatePem == null || caCertificatePem.Length == 0)
            {
                // No CA, no connection: the device never talks to a broker it cannot authenticate.
                throw new ArgumentException("host and CA certificate are required");
            }

            _host = host;
            _port = port;
            _caCertificate = new X509Certificate(caCertificatePem);
        }

        /// <inheritdoc/>
        public bool IsConnected
        {
            get
            {
                MqttClient client = _client;
                return client != null && client.IsConnected;
            }
        }

        /// <inheritdoc/>
        public IMqttMessageSink Sink { get; set; }

        /// <inheritdoc/>
        public string LastFailure { get; private set; }

        /// <inheritdoc/>
        public bool Connect(string clientId, string userName, string password, string willTopic, byte[] willPayload)
        {
            Close();
            Monitor.Enter(_gate);
            try
            {
                for (int i = 0; i < MaxTracked; i++)
                {
                    _trackedActive[i] = false;
                    _earlyActive[i] = false;
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            MqttClient client = null;
            try
            {
                client = new MqttClient(_host, _port, true, _caCertificate, null, MqttSslProtocols.TLSv1_2);
                client.ProtocolVersion = MqttProtocolVersion.Version_3_1_1;
                client.Settings.ValidateServerCertificate = true;
                client.MqttMsgPublishReceived += OnPublishReceived;
                client.MqttMsgPublished += OnPublished;
                client.MqttMsgSubscribed += OnSubscribed;
                client.ConnectionClosed += OnConnectionClosed;

                string will = Encoding.UTF8.GetString(willPayload, 0, willPayload.Length);

                // Retained QoS 1 will; clean session off, so the broker keeps the cmd/# subscription
                // and queued QoS 1 commands across a reconnect.
                MqttReasonCode code = client.Connect(clientId, userName, password, true, MqttQoSLevel.AtLeastOnce, true, willTopic, will, false, KeepAliveSeconds);
                if (code != MqttReasonCode.Success)
                {
                    // CONNACK return code: 3.1.1 uses 4 (bad user name or password) and 5 (not
                    // authorised); MQTT 5 reason codes 0x86 and 0x87 mean the same.
                    int raw = (int)code;
                    LastFailure = raw == 4 || raw == 5 || raw == 0x86 || raw == 0x87 ? LinkFailures.NotAuthorised : LinkFailures.Rejected;
                    Dispose(client);
                    return false;
                }

                LastFailure = null;
                _client = client;
                return true;
            }
            catch (Exception e)
            {
                // DNS, socket, TLS or protocol failure: a failed attempt; the link backs off.
                LastFailure = Classify(e);
                Dispose(client);
                return false;
            }
        }

        /// <inheritdoc/>
        public bool Subscribe(string topicFilter, int qos)
        {
            MqttClient client = _client;
            if (client == null)
            {
                return false;
            }

            try
            {
                BeginAwait();
                ushort id = client.Subscribe(new string[] { topicFilter }, new MqttQoSLevel[] { Qos(qos) });
                return EndAwait(id);
            }
            catch (Exception)
            {
                return false;
            }
        }

        /// <inheritdoc/>
        public bool Publish(string topic, byte[] payload, int qos, bool retain)
        {
            MqttClient client = _client;
            if (client == null || !client.IsConnected)
            {
                return false;
            }

            try
            {
                if (qos == 0)
                {
                    client.Publish(topic, payload, null, null, MqttQoSLevel.AtMostOnce, retain);
                    return true;
                }

                BeginAwait();
                ushort id = client.Publish(topic, payload, null, null, MqttQoSLevel.AtLeastOnce, retain);
                return EndAwait(id);
            }
            catch (Exception)
            {
                return false;
            }
        }

        /// <inheritdoc/>
        public bool StartPublish(string topic, byte[] payload, bool retain, int token)
        {
            MqttClient client = _client;
            if (client == null || !client.IsConnected)
            {
                return false;
            }

            ushort id;
            try
            {
                // M2Mqtt queues the message, sends it and retries it until the PUBACK, then raises
                // MqttMsgPublished (IsPublished false when its retries ran out).
                id = client.Publish(topic, payload, null, null, MqttQoSLevel.AtLeastOnce, retain);
            }
            catch (Exception)
            {
                return false;
            }

            bool early = false;
            bool earlyOk = false;
            Monitor.Enter(_gate);
            try
            {
                for (int i = 0; i < MaxTracked; i++)
                {
                    if (_earlyActive[i] && _earlyId[i] == id)
                    {
                        _earlyActive[i] = false;
                        early = true;
                        earlyOk = _earlyOk[i];
                        break;
                    }
                }

                if (!early)
                {
                    int free = -1;
                    for (int i = 0; i < MaxTracked && free < 0; i++)
                    {
                        if (!_trackedActive[i])
                        {
                            free = i;
                        }
                    }

                    if (free < 0)
                    {
                        // More in flight than tracked: the link's window is smaller, so this is a fault.
                        return false;
                    }

                    _trackedActive[free] = true;
                    _trackedId[free] = id;
                    _trackedToken[free] = token;
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            if (early)
            {
                Report(token, earlyOk);
            }

            return true;
        }

        /// <inheritdoc/>
        public void Disconnect()
        {
            MqttClient client = _client;
            _client = null;
            if (client == null)
            {
                return;
            }

            try
            {
                if (client.IsConnected)
                {
                    client.Disconnect();
                }
            }
            catch (Exception)
            {
                // Already gone; closing below is all that is left to do.
            }

            Dispose(client);
        }

        private void Close()
        {
            MqttClient client = _client;
            _client = null;
            Dispose(client);
        }

        private void Dispose(MqttClient client)
        {
            if (client == null)
            {
                return;
            }

            client.MqttMsgPublishReceived -= OnPublishReceived;
            client.MqttMsgPublished -= OnPublished;
            client.MqttMsgSubscribed -= OnSubscribed;
            client.ConnectionClosed -= OnConnectionClosed;
            try
            {
                // Dispose closes the connection and stops the client's threads.
                client.Dispose();
            }
            catch (Exception)
            {
                // A client that fails to close is dropped all the same.
            }
        }

        // The LinkFailures code of a failed connect's exception: the socket error wherever it is
        // in the chain (the ESP32 resolver fails with HostNotFound; mbedTLS failures surface as
        // a SocketException naming SSL), anything else is "other".
        private static string Classify(Exception e)
        {
            for (Exception x = e; x != null; x = x.InnerException)
            {
                System.Net.Sockets.SocketException socket = x as System.Net.Sockets.SocketException;
                if (socket == null)
                {
                    continue;
                }

                if (socket.ErrorCode == (int)System.Net.Sockets.SocketError.HostNotFound || socket.ErrorCode == (int)System.Net.Sockets.SocketError.NoData)
                {
                    return LinkFailures.Dns;
                }

                if (socket.ErrorCode == (int)System.Net.Sockets.SocketError.TimedOut)
                {
                    return LinkFailures.Timeout;
                }

                string message = socket.Message;
                return message != null && (message.IndexOf("SSL") >= 0 || message.IndexOf("TLS") >= 0) ? LinkFailures.Tls : LinkFailures.Refused;
            }

            return LinkFailures.Other;
        }

        private static MqttQoSLevel Qos(int qos) => qos == 0 ? MqttQoSLevel.AtMostOnce : MqttQoSLevel.AtLeastOnce;

        // The link publishes one message at a time, so one awaited acknowledgement suffices. The
        // acknowledgement can arrive before Publish returns its id, so the id is matched after.
        private void BeginAwait()
        {
            Monitor.Enter(_gate);
            try
            {
                _awaiting = true;
                _awaitedMessageId = 0;
                _awaitedOk = false;
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            _acknowledged.Reset();
        }

        private bool EndAwait(ushort messageId)
        {
            int waited = 0;
            while (waited < AcknowledgeTimeoutMilliseconds)
            {
                Monitor.Enter(_gate);
                try
                {
                    if (_awaitedMessageId == messageId && _awaitedOk)
                    {
                        _awaiting = false;
                        return true;
                    }
                }
                finally
                {
                    Monitor.Exit(_gate);
                }

                _acknowledged.WaitOne(100, false);
                waited += 100;
                if (!IsConnected)
                {
                    break;
                }
            }

            Monitor.Enter(_gate);
            try
            {
                _awaiting = false;
                return _awaitedMessageId == messageId && _awaitedOk;
            }
            finally
            {
                Monitor.Exit(_gate);
            }
        }

        private void Acknowledge(ushort messageId, bool ok)
        {
            Monitor.Enter(_gate);
            try
            {
                if (_awaiting)
                {
                    _awaitedMessageId = messageId;
                    _awaitedOk = ok;
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            _acknowledged.Set();
        }

        private void OnPublished(object sender, MqttMsgPublishedEventArgs e)
        {
            Acknowledge(e.MessageId, e.IsPublished);
            int token = 0;
            bool tracked = false;
            Monitor.Enter(_gate);
            try
            {
                for (int i = 0; i < MaxTracked; i++)
                {
                    if (_trackedActive[i] && _trackedId[i] == e.MessageId)
                    {
                        _trackedActive[i] = false;
                        token = _trackedToken[i];
                        tracked = true;
                        break;
                    }
                }

                if (!tracked && !_awaiting)
                {
                    // Before StartPublish learnt the id: keep it for StartPublish to find.
                    for (int i = 0; i < MaxTracked; i++)
                    {
                        if (!_earlyActive[i])
                        {
                            _earlyActive[i] = true;
                            _earlyId[i] = e.MessageId;
                            _earlyOk[i] = e.IsPublished;
                            break;
                        }
                    }
                }
            }
            finally
            {
                Monitor.Exit(_gate);
            }

            if (tracked)
            {
                Report(token, e.IsPublished);
            }
        }

        private void Report(int token, bool ok)
        {
            IMqttMessageSink sink = Sink;
            if (sink != null)
            {
                sink.OnPublished(token, ok);
            }
        }

        private void OnSubscribed(object sender, MqttMsgSubscribedEventArgs e) => Acknowledge(e.MessageId, true);

        private void OnPublishReceived(object sender, MqttMsgPublishEventArgs e)
        {
            IMqttMessageSink sink = Sink;
            if (sink != null)
            {
                sink.OnMessage(e.Topic, e.Message, e.Retain);
            }
        }

        private void OnConnectionClosed(object sender, EventArgs e)
        {
            IMqttMessageSink sink = Sink;
            if (sink != null)
            {
                sink.OnConnectionLost();
            }
        }
    }
}
