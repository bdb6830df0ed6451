using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using IndraSmartPro.Network;
using IndraSmartPro.Simulator.Mqtt;
using IndraSmartPro.Telemetry;

namespace IndraSmartPro.MqttTests.Brokers;

/// <summary>One message as a subscriber saw it.</summary>
public sealed record Received(string Topic, string Payload, bool Retained = false);

/// <summary>
/// A subscriber for tests (an engineer's mosquitto_sub, in effect): the same MQTTnet transport,
/// collecting what arrives. Waits are bounded; nothing sleeps.
/// </summary>
public sealed class Observer : IMqttMessageSink, IDisposable
{
    private readonly object _gate = new object();
    private readonly List<Received> _messages = new List<Received>();
    private readonly MqttNetTransport _transport;

    private Observer(MqttNetTransport transport)
    {
        _transport = transport;
        _transport.Sink = this;
    }

    /// <summary>Default time a wait may take before the test fails.</summary>
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    /// <summary>The underlying transport (to publish commands).</summary>
    public MqttNetTransport Transport => _transport;

    /// <summary>Connects (clean: the client id is fresh) and subscribes to each filter at QoS 1.</summary>
    public static Observer Connect(MqttBrokerEndpoint endpoint, string userName, string password, params string[] filters)
    {
        var observer = new Observer(new MqttNetTransport(endpoint));
        string clientId = userName ?? ("observer-" + Guid.NewGuid().ToString("N").Substring(0, 8));
        if (!observer._transport.Connect(clientId, userName, password, null, null))
        {
            string error = observer._transport.LastError;
            observer.Dispose();
            throw new InvalidOperationException("observer could not connect: " + error);
        }

        foreach (string filter in filters)
        {
            if (!observer._transport.Subscribe(filter, 1))
            {
                observer.Dispose();
                throw new InvalidOperationException("observer could not subscribe to " + filter);
            }
        }

        return observer;
    }

    /// <summary>Everything received so far, in arrival order.</summary>
    public Received[] Messages
    {
        get
        {
            lock (_gate)
            {
                return _messages.ToArray();
            }
        }
    }

    /// <summary>Publishes a UTF-8 payload; true when the broker acknowledged (QoS 1).</summary>
    public bool Publish(string topic, string payload, bool retain = false) => _transport.Publish(topic, Encoding.UTF8.GetBytes(payload), 1, retain);

    /// <summary>Waits until a message matches, returns it; null after the time limit.</summary>
    public Received WaitFor(Func<Received, bool> match, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultWait);
        lock (_gate)
        {
            while (true)
            {
                foreach (var m in _messages)
                {
                    if (match(m))
                    {
                        return m;
                    }
                }

                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    return null;
                }

                Monitor.Wait(_gate, left);
            }
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> messages match; returns the matching ones so far.</summary>
    public Received[] WaitForCount(Func<Received, bool> match, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultWait);
        lock (_gate)
        {
            while (true)
            {
                var found = _messages.FindAll(m => match(m));
                var left = deadline - DateTime.UtcNow;
                if (found.Count >= count || left <= TimeSpan.Zero)
                {
                    return found.ToArray();
                }

                Monitor.Wait(_gate, left);
            }
        }
    }

    /// <inheritdoc/>
    public void OnMessage(string topic, byte[] payload, bool retained)
    {
        lock (_gate)
        {
            _messages.Add(new Received(topic, Encoding.UTF8.GetString(payload), retained));
            Monitor.PulseAll(_gate);
        }
    }

    /// <inheritdoc/>
    /// <summary>Acknowledgements of StartPublish are not used by the observer side.</summary>
    public void OnPublished(int token, bool acknowledged)
    {
    }

    public void OnConnectionLost()
    {
    }

    /// <summary>Disconnects.</summary>
    public void Dispose() => _transport.Dispose();
}
