using System;
using IndraSmartPro.Network;

namespace IndraSmartPro.Telemetry
{
    // The network thread's half of the link: connect with backoff, publish what the outbox holds
    // (up to MaxInFlight unacknowledged), shut down with "offline". Only this thread calls the transport.
    public sealed partial class MqttLink
    {
        /// <summary>
        /// Does the network work that is due: connect when disconnected and the backoff has
        /// passed, else publish what is waiting. Called only from the network thread. Returns
        /// how long to wait before the next call, in milliseconds (sooner if woken).
        /// </summary>
        public int Step()
        {
            long now = _clock.NowMicroseconds;
            if (_connected && ReadFlag(ref _publishFailed))
            {
                _publishFailures++;
                Dropped(now, LinkFailures.Lost);
            }
            else if (_connected && (ReadFlag(ref _lost) || !SafeIsConnected()))
            {
                Dropped(now, LinkFailures.Lost);
            }

            if (!_connected)
            {
                if (now < _nextAttemptMicroseconds)
                {
                    return MillisecondsUntil(now, _nextAttemptMicroseconds);
                }

                if (!TryConnect())
                {
                    _connectFailures++;
                    Failed(_clock.NowMicroseconds, false);
                    return MillisecondsUntil(_clock.NowMicroseconds, _nextAttemptMicroseconds);
                }
            }

            while (_connected && !ReadFlag(ref _stopRequested))
            {
                int published = PublishNext();
                if (published < 0)
                {
                    _publishFailures++;
                    Dropped(_clock.NowMicroseconds, LinkFailures.Lost);
                    return MillisecondsUntil(_clock.NowMicroseconds, _nextAttemptMicroseconds);
                }

                if (published == 0)
                {
                    break;
                }
            }

            return _options.IdleWaitMilliseconds;
        }

        /// <summary>
        /// The network thread's loop: <see cref="Step"/>, then wait until woken or the step's
        /// delay passes, until <see cref="Stop"/>. Then says "offline" and disconnects cleanly.
        /// </summary>
        public void Run()
        {
            IWorkerWake wake = _wake;
            if (wake == null)
            {
                throw new InvalidOperationException("set Wake before Run");
            }

            while (!ReadFlag(ref _stopRequested))
            {
                int wait;
                try
                {
                    wait = Step();
                }
                catch (Exception)
                {
                    // The network thread must outlive any fault of its own (a transport that
                    // throws is already handled in Step): drop the session and try again later.
                    _workerFaults++;
                    SafeDisconnect();
                    _connected = false;
                    WriteFlag(ref _isConnected, false);
                    Failed(_clock.NowMicroseconds, false);
                    wait = MillisecondsUntil(_clock.NowMicroseconds, _nextAttemptMicroseconds);
                }

                if (ReadFlag(ref _stopRequested))
                {
                    break;
                }

                wake.Wait(wait < 1 ? 1 : wait);
            }

            Shutdown();
        }

        /// <summary>Asks <see cref="Run"/> to finish; returns at once.</summary>
        public void Stop()
        {
            WriteFlag(ref _stopRequested, true);
            SignalWorker();
        }

        /// <summary>Publishes "offline" (retained) and closes the session; network thread only.</summary>
        public void Shutdown()
        {
            IWorkerWake wake = _wake;
            for (int i = 0; i < 20 && _connected && wake != null && _outbox.InFlight > 0 && !ReadFlag(ref _publishFailed); i++)
            {
                // Give the messages already sent up to 2 s to be acknowledged before "offline".
                wake.Wait(100);
            }

            if (_connected)
            {
                SafePublish(_topics.Availability, OfflinePayload, 1, true);
                SafeDisconnect();
                _connected = false;
                WriteFlag(ref _isConnected, false);
            }

            SetState(LinkStates.Stopped, null, false);
        }

        private bool TryConnect()
        {
            WriteFlag(ref _lost, false);
            WriteFlag(ref _publishFailed, false);
            _outbox.ResendUnacknowledged();
            SetState(LinkStates.Connecting, null, false);
            string clientId = _options.ClientId != null ? _options.ClientId : _topics.Serial;
            try
            {
                if (!_transport.Connect(clientId, _options.UserName, _options.Password, _topics.Availability, OfflinePayload))
                {
                    string reason = _transport.LastFailure;
                    SetState(LinkStates.Waiting, reason != null ? reason : LinkFailures.Other, true);
                    return false;
                }

                if (!_transport.Subscribe(_topics.CommandFilter, 1) || !_transport.Publish(_topics.Availability, OnlinePayload, 1, true))
                {
                    SafeDisconnect();
                    SetState(LinkStates.Waiting, LinkFailures.Timeout, true);
                    return false;
                }
            }
            catch (Exception)
            {
                // A transport that throws is a failed attempt like any other; the worker lives on.
                SafeDisconnect();
                SetState(LinkStates.Waiting, LinkFailures.Other, true);
                return false;
            }

            _connected = true;
            WriteFlag(ref _isConnected, true);
            SetState(LinkStates.Connected, null, false);
            _failures = 0;
            _connects++;

            // The broker may have lost the retained status (or it is stale): send the latest again.
            _outbox.ResendLatest();
            return true;
        }

        private void Dropped(long now, string reason)
        {
            SafeDisconnect();
            _outbox.ResendUnacknowledged();
            _connected = false;
            WriteFlag(ref _isConnected, false);
            SetState(LinkStates.Waiting, reason, true);
            Failed(now, true);
        }

        private void Failed(long now, bool sessionLost)
        {
            _failures++;
            if (sessionLost && _failures == 1)
            {
                // A session that was up dropped: likely the broker restarted and every charger of
                // the fleet lost it at the same instant. Spread the first retry over the whole
                // window ("full jitter") so they do not all come back in the same second.
                _lastBackoffMilliseconds = _random.Next(_options.FirstRetrySpreadMilliseconds + 1);
            }
            else
            {
                _lastBackoffMilliseconds = ReconnectBackoff.Milliseconds(_failures, _options.BackoffInitialMilliseconds, _options.BackoffMaximumMilliseconds, _random);
            }

            _nextAttemptMicroseconds = now + (_lastBackoffMilliseconds * 1000L);
        }

        // Starts the next waiting message. 1 = started one, 0 = nothing waiting or the window of
        // messages in flight is full (an acknowledgement wakes the worker), -1 = failed.
        private int PublishNext()
        {
            OutgoingMessage m = _outgoing;
            if (!_outbox.TakeNext(m))
            {
                return 0;
            }

            string topic;
            bool retain = false;
            switch (m.Kind)
            {
                case MqttOutbox.Status:
                    topic = _topics.Status;
                    retain = true;
                    break;
                case MqttOutbox.Power:
                    topic = _topics.Power;
                    break;
                case MqttOutbox.Result:
                case MqttOutbox.Unqueued:
                    topic = _topics.Result;
                    break;
                default:
                    topic = _topics.Event;
                    break;
            }

            byte[] payload = m.Payload;
            m.Payload = null;
            if (m.Kind == MqttOutbox.Power)
            {
                // QoS 0: done once written.
                if (!SafePublish(topic, payload, 0, false))
                {
                    return -1;
                }

                _outbox.Acknowledged(m.Token);
                return 1;
            }

            try
            {
                return _transport.StartPublish(topic, payload, retain, m.Token) ? 1 : -1;
            }
            catch (Exception)
            {
                return -1;
            }
        }

        private bool SafeIsConnected()
        {
            try
            {
                return _transport.IsConnected;
            }
            catch (Exception)
            {
                return false;
            }
        }

        private bool SafePublish(string topic, byte[] payload, int qos, bool retain)
        {
            try
            {
                return _transport.Publish(topic, payload, qos, retain);
            }
            catch (Exception)
            {
                return false;
            }
        }

        private void SafeDisconnect()
        {
            try
            {
                _transport.Disconnect();
            }
            catch (Exception)
            {
                // Disconnect is documented never to throw; a transport that does is already down.
            }
        }

        private static int MillisecondsUntil(long now, long then)
        {
            long ms = (then - now + 999) / 1000;
            if (ms < 1)
            {
                return 1;
            }

            return ms > int.MaxValue ? int.MaxValue : (int)ms;
        }
    }
}
