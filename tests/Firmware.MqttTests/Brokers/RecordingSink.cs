using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using IndraSmartPro.Network;
using IndraSmartPro.Telemetry;

namespace IndraSmartPro.MqttTests.Brokers;

/// <summary>An <see cref="IMqttMessageSink"/> that records what the transport delivers.</summary>
public sealed class RecordingSink : IMqttMessageSink
{
    private readonly object _gate = new object();
    private readonly Queue<Received> _messages = new Queue<Received>();
    private int _lost;

    /// <summary>How often the transport reported a lost session.</summary>
    public int LostCount
    {
        get
        {
            lock (_gate)
            {
                return _lost;
            }
        }
    }

    public void OnMessage(string topic, byte[] payload, bool retained)
    {
        lock (_gate)
        {
            _messages.Enqueue(new Received(topic, Encoding.UTF8.GetString(payload), retained));
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Acknowledgements of StartPublish are not used by the observer side.</summary>
    public void OnPublished(int token, bool acknowledged)
    {
    }

    public void OnConnectionLost()
    {
        lock (_gate)
        {
            _lost++;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The next message, or null after <paramref name="timeout"/>.</summary>
    public Received WaitForMessage(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (_messages.Count == 0)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    return null;
                }

                Monitor.Wait(_gate, left);
            }

            return _messages.Dequeue();
        }
    }

    /// <summary>True once a lost session was reported, false after <paramref name="timeout"/>.</summary>
    public bool WaitForLost(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (_lost == 0)
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    return false;
                }

                Monitor.Wait(_gate, left);
            }

            return true;
        }
    }
}
