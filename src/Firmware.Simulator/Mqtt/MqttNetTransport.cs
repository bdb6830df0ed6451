using System;
using System.Buffers;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using IndraSmartPro.Network;
using IndraSmartPro.Telemetry;
using MQTTnet;
using MQTTnet.Protocol;

namespace IndraSmartPro.Simulator.Mqtt;

/// <summary>
/// <see cref="IMqttTransport"/> on MQTTnet 5 for the host (simulator, tests, bench): the twin of
/// the device's nanoFramework.M2Mqtt transport. MQTTnet is asynchronous; the interface is
/// blocking because on the device the network worker thread is the only caller. Here too only
/// that thread calls, so each method waits for its task with a time limit
/// (<see cref="MqttBrokerEndpoint.ConnectTimeout"/>, <see cref="MqttBrokerEndpoint.OperationTimeout"/>):
/// there is no synchronisation context to deadlock on, and a broker that never answers costs
/// the worker at most the limit, never the scheduler.
/// <para>
/// Each <see cref="Connect"/> uses a fresh MQTTnet client, so callbacks of an abandoned session
/// can never be mistaken for the current one. MQTT 3.1.1 (what mosquitto and M2Mqtt speak),
/// clean session off, last will retained at QoS 1.
/// </para>
/// </summary>
public sealed class MqttNetTransport : IMqttTransport, IDisposable
{
    private readonly MqttBrokerEndpoint _endpoint;
    private readonly MqttClientFactory _factory = new MqttClientFactory();
    private readonly object _gate = new object();
    private readonly X509Certificate2Collection _trustedRoots;
    private readonly X509Certificate2Collection _clientCertificates;
    private IMqttClient _client;
    private IMqttMessageSink _sink;
    private bool _disposed;

    /// <summary>Creates the transport; nothing connects until <see cref="Connect"/>.</summary>
    /// <exception cref="System.Security.Cryptography.CryptographicException">A certificate or key file cannot be read.</exception>
    public MqttNetTransport(MqttBrokerEndpoint endpoint)
    {
        _endpoint = endpoint ?? throw new ArgumentNullException(nameof(endpoint));
        if (endpoint.CaFile != null)
        {
            _trustedRoots = new X509Certificate2Collection();
            _trustedRoots.ImportFromPemFile(endpoint.CaFile);
        }

        if (endpoint.ClientCertificateFile != null)
        {
            // SslStream on Linux wants a certificate whose key is not ephemeral: round-trip through PKCS#12.
            using var pem = X509Certificate2.CreateFromPemFile(endpoint.ClientCertificateFile, endpoint.ClientKeyFile);
            _clientCertificates = new X509Certificate2Collection(X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null));
        }
    }

    /// <summary>Where this transport connects.</summary>
    public MqttBrokerEndpoint Endpoint => _endpoint;

    /// <summary>The last connect's failure in words (the library's message), null after a success.</summary>
    public string LastError { get; private set; }

    /// <inheritdoc/>
    public string LastFailure { get; private set; }

    /// <inheritdoc/>
    public bool IsConnected
    {
        get
        {
            IMqttClient client = Volatile.Read(ref _client);
            return client != null && client.IsConnected;
        }
    }

    /// <inheritdoc/>
    public IMqttMessageSink Sink
    {
        get => Volatile.Read(ref _sink);
        set => Volatile.Write(ref _sink, value);
    }

    /// <inheritdoc/>
    public bool Connect(string clientId, string userName, string password, string willTopic, byte[] willPayload)
    {
        Abandon();
        IMqttClient client = _factory.CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            if (ReferenceEquals(Volatile.Read(ref _client), client))
            {
                Sink?.OnMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), e.ApplicationMessage.Retain);
            }

            return Task.CompletedTask;
        };
        client.DisconnectedAsync += e =>
        {
            // Only a session that was up and is still the current one was "lost"; our own
            // Disconnect clears _client first, and a failed connect is reported by its return value.
            if (e.ClientWasConnected && ReferenceEquals(Volatile.Read(ref _client), client))
            {
                Sink?.OnConnectionLost();
            }

            return Task.CompletedTask;
        };

        var builder = _factory.CreateClientOptionsBuilder()
            .WithTcpServer(_endpoint.Host, _endpoint.Port)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithClientId(clientId)
            .WithCleanSession(false)
            .WithKeepAlivePeriod(_endpoint.KeepAlive)
            .WithTimeout(_endpoint.ConnectTimeout);
        if (userName != null)
        {
            builder.WithCredentials(userName, password);
        }

        if (willTopic != null)
        {
            builder.WithWillTopic(willTopic)
                .WithWillPayload(willPayload ?? Array.Empty<byte>())
                .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithWillRetain(true);
        }

        if (_endpoint.UseTls)
        {
            builder.WithTlsOptions(tls =>
            {
                tls.UseTls()
                    .WithTargetHost(_endpoint.TlsServerName ?? _endpoint.Host)
                    .WithCertificateValidationHandler(e => ValidateServerCertificate(e.Certificate, e.SslPolicyErrors));
                if (_clientCertificates != null)
                {
                    tls.WithClientCertificates(_clientCertificates);
                }
            });
        }

        lock (_gate)
        {
            if (_disposed)
            {
                client.Dispose();
                return false;
            }

            _client = client;
        }

        try
        {
            using var timeout = new CancellationTokenSource(_endpoint.ConnectTimeout);
            MqttClientConnectResult result = client.ConnectAsync(builder.Build(), timeout.Token).GetAwaiter().GetResult();
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                LastError = "refused: " + result.ResultCode;
                LastFailure = Classify(result.ResultCode);
                Abandon();
                return false;
            }

            LastError = null;
            LastFailure = null;
            return true;
        }
        catch (Exception e)
        {
            // DNS, TCP, TLS, a refused CONNACK or the time limit: all "could not connect".
            LastError = e.GetBaseException().Message;
            LastFailure = Classify(e);
            Abandon();
            return false;
        }
    }

    /// <inheritdoc/>
    public bool Subscribe(string topicFilter, int qos)
    {
        IMqttClient client = Volatile.Read(ref _client);
        if (client == null || !client.IsConnected)
        {
            return false;
        }

        try
        {
            var options = _factory.CreateSubscribeOptionsBuilder()
                .WithTopicFilter(topicFilter, ToQos(qos))
                .Build();
            using var timeout = new CancellationTokenSource(_endpoint.OperationTimeout);
            MqttClientSubscribeResult result = client.SubscribeAsync(options, timeout.Token).GetAwaiter().GetResult();
            foreach (var item in result.Items)
            {
                if (item.ResultCode != MqttClientSubscribeResultCode.GrantedQoS0
                    && item.ResultCode != MqttClientSubscribeResultCode.GrantedQoS1
                    && item.ResultCode != MqttClientSubscribeResultCode.GrantedQoS2)
                {
                    return false;
                }
            }

            return true;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public bool Publish(string topic, byte[] payload, int qos, bool retain)
    {
        IMqttClient client = Volatile.Read(ref _client);
        if (client == null || !client.IsConnected)
        {
            return false;
        }

        try
        {
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(payload ?? Array.Empty<byte>())
                .WithQualityOfServiceLevel(ToQos(qos))
                .WithRetainFlag(retain)
                .Build();
            using var timeout = new CancellationTokenSource(_endpoint.OperationTimeout);
            MqttClientPublishResult result = client.PublishAsync(message, timeout.Token).GetAwaiter().GetResult();

            // QoS 0 completes when written; QoS 1 when the PUBACK arrived.
            return result.IsSuccess;
        }
        catch (Exception)
        {
            return false;
        }
    }

    /// <inheritdoc/>
    public bool StartPublish(string topic, byte[] payload, bool retain, int token)
    {
        IMqttClient client = Volatile.Read(ref _client);
        if (client == null || !client.IsConnected)
        {
            return false;
        }

        CancellationTokenSource timeout = null;
        try
        {
            var message = new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(payload ?? Array.Empty<byte>())
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .WithRetainFlag(retain)
                .Build();
            timeout = new CancellationTokenSource(_endpoint.OperationTimeout);

            // Not awaited: MQTTnet numbers the packet and sends it in call order; the PUBACK
            // completes the task, whose outcome goes to the sink (the link), once.
            Task<MqttClientPublishResult> task = client.PublishAsync(message, timeout.Token);
            CancellationTokenSource owned = timeout;
            timeout = null;
            task.ContinueWith(
                t =>
                {
                    owned.Dispose();
                    bool ok = t.Status == TaskStatus.RanToCompletion && t.Result.IsSuccess;
                    // Only the current session reports: a failure of an abandoned one must not
                    // end the next (the link resends everything unacknowledged at reconnect anyway).
                    if (ReferenceEquals(Volatile.Read(ref _client), client))
                    {
                        Sink?.OnPublished(token, ok);
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
            return true;
        }
        catch (Exception)
        {
            timeout?.Dispose();
            return false;
        }
    }

    /// <inheritdoc/>
    public void Disconnect()
    {
        IMqttClient client;
        lock (_gate)
        {
            client = _client;
            _client = null;
        }

        if (client == null)
        {
            return;
        }

        try
        {
            if (client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(_endpoint.OperationTimeout);
                client.DisconnectAsync(new MqttClientDisconnectOptions(), timeout.Token).GetAwaiter().GetResult();
            }
        }
        catch (Exception)
        {
            // Documented never to throw: a session we could not close politely is closed anyway.
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>Disconnects (no last will) and refuses further connects.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        Disconnect();
    }

    private void Abandon()
    {
        IMqttClient client;
        lock (_gate)
        {
            client = _client;
            _client = null;
        }

        client?.Dispose();
    }

    private bool ValidateServerCertificate(X509Certificate certificate, SslPolicyErrors errors)
    {
        if (certificate == null || (errors & (SslPolicyErrors.RemoteCertificateNotAvailable | SslPolicyErrors.RemoteCertificateNameMismatch)) != 0)
        {
            return false;
        }

        if (_trustedRoots == null)
        {
            return errors == SslPolicyErrors.None;
        }

        // Trust exactly the given CA (not the system store): a deployment's broker certificate is
        // signed by its own CA, and a certificate from anyone else must not be accepted.
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_trustedRoots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        using var server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return chain.Build(server);
    }

    /// <summary>The <see cref="LinkFailures"/> code of a refused CONNACK.</summary>
    public static string Classify(MqttClientConnectResultCode code) => code switch
    {
        MqttClientConnectResultCode.BadUserNameOrPassword or MqttClientConnectResultCode.NotAuthorized => LinkFailures.NotAuthorised,
        _ => LinkFailures.Rejected,
    };

    /// <summary>The <see cref="LinkFailures"/> code of a failed connect's exception.</summary>
    public static string Classify(Exception e)
    {
        for (Exception x = e; x != null; x = x.InnerException)
        {
            switch (x)
            {
                case MQTTnet.Adapter.MqttConnectingFailedException refused:
                    // Its message names the CONNACK result code, e.g. "... (BadUserNameOrPassword)".
                    return refused.Message.Contains(nameof(MqttClientConnectResultCode.BadUserNameOrPassword), StringComparison.Ordinal)
                        || refused.Message.Contains(nameof(MqttClientConnectResultCode.NotAuthorized), StringComparison.Ordinal)
                        ? LinkFailures.NotAuthorised : LinkFailures.Rejected;
                case System.Security.Authentication.AuthenticationException:
                    return LinkFailures.Tls;
                case System.Net.Sockets.SocketException socket:
                    return socket.SocketErrorCode switch
                    {
                        System.Net.Sockets.SocketError.HostNotFound or System.Net.Sockets.SocketError.NoData or System.Net.Sockets.SocketError.TryAgain => LinkFailures.Dns,
                        System.Net.Sockets.SocketError.TimedOut => LinkFailures.Timeout,
                        _ => LinkFailures.Refused,
                    };
                case TimeoutException:
                case OperationCanceledException:
                case MQTTnet.Exceptions.MqttCommunicationTimedOutException:
                    return LinkFailures.Timeout;
            }
        }

        return LinkFailures.Other;
    }

    private static MqttQualityOfServiceLevel ToQos(int qos) => qos switch
    {
        0 => MqttQualityOfServiceLevel.AtMostOnce,
        1 => MqttQualityOfServiceLevel.AtLeastOnce,
        _ => throw new ArgumentOutOfRangeException(nameof(qos), "QoS 0 or 1"),
    };
}
