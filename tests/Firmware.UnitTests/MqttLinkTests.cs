using System;
using System.Collections;
using System.Text;
using IndraSmartPro.Board;
using IndraSmartPro.Network;
using IndraSmartPro.Telemetry;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    [TestClass]
    public class MqttLinkTests
    {
        internal sealed class FakeClock : IMicrosecondClock
        {
            public long NowMicroseconds { get; set; }
        }

        /// <summary>Always the largest jitter (or the smallest) so backoff bounds can be pinned.</summary>
        internal sealed class FixedRandom : IRandomSource
        {
            public bool Maximum;

            public int Next(int maxExclusive) => maxExclusive <= 1 ? 0 : (Maximum ? maxExclusive - 1 : 0);
        }

        internal sealed class Published
        {
            public string Topic;
            public string Payload;
            public int Qos;
            public bool Retain;
        }

        /// <summary>An in-memory broker connection: records calls, fails on demand.</summary>
        internal sealed class FakeTransport : IMqttTransport
        {
            public bool Connected;
            public bool RefuseConnect;
            public int FailPublishAfter = -1;
            public int ConnectCalls;
            public string LastClientId;
            public string LastUserName;
            public string LastPassword;
            public string WillTopic;
            public string WillPayload;
            public readonly ArrayList Subscriptions = new ArrayList();

            /// <summary>When set, the first event publish enqueues these on this link (the firmware racing the network thread).</summary>
            public MqttLink RaceLink;
            public string[] RaceEvents;
            public readonly ArrayList Messages = new ArrayList();

            public bool IsConnected => Connected;

            public IMqttMessageSink Sink { get; set; }

            public string LastFailure { get; set; }

            public bool Connect(string clientId, string userName, string password, string willTopic, byte[] willPayload)
            {
                ConnectCalls++;
                LastClientId = clientId;
                LastUserName = userName;
                LastPassword = password;
                WillTopic = willTopic;
                WillPayload = Encoding.UTF8.GetString(willPayload, 0, willPayload.Length);
                Connected = !RefuseConnect;
                return Connected;
            }

            public bool Subscribe(string topicFilter, int qos)
            {
                Subscriptions.Add(topicFilter);
                return Connected;
            }

            public bool Publish(string topic, byte[] payload, int qos, bool retain)
            {
                if (!Connected)
                {
                    return false;
                }

                if (FailPublishAfter == 0)
                {
                    Connected = false;
                    return false;
                }

                if (FailPublishAfter > 0)
                {
                    FailPublishAfter--;
                }

                if (RaceLink != null && topic.EndsWith("/event"))
                {
                    MqttLink link = RaceLink;
                    RaceLink = null;
                    for (int i = 0; i < RaceEvents.Length; i++)
                    {
                        byte[] b = Encoding.UTF8.GetBytes(RaceEvents[i]);
                        link.EnqueueEvent(b, b.Length);
                    }
                }

                var p = new Published();
                p.Topic = topic;
                p.Payload = Encoding.UTF8.GetString(payload, 0, payload.Length);
                p.Qos = qos;
                p.Retain = retain;
                Messages.Add(p);
                return true;
            }

            public void Disconnect()
            {
                Connected = false;
            }

            /// <summary>Acknowledged at once (a broker on zero latency); the link's window logic is the same.</summary>
            public bool StartPublish(string topic, byte[] payload, bool retain, int token)
            {
                if (!Publish(topic, payload, 1, retain))
                {
                    return false;
                }

                if (DeferAcks)
                {
                    PendingTokens.Add(token);
                }
                else
                {
                    Sink.OnPublished(token, true);
                }

                return true;
            }

            /// <summary>When set, StartPublish only records the token; the test acknowledges (a slow link).</summary>
            public bool DeferAcks;
            public readonly ArrayList PendingTokens = new ArrayList();

            public void Ack(int index, bool ok)
            {
                int token = (int)PendingTokens[index];
                PendingTokens.RemoveAt(index);
                Sink.OnPublished(token, ok);
            }

            public Published Get(int index) => (Published)Messages[index];

            public int Count(string topic)
            {
                int n = 0;
                for (int i = 0; i < Messages.Count; i++)
                {
                    if (Get(i).Topic == topic)
                    {
                        n++;
                    }
                }

                return n;
            }
        }

        private sealed class Fixture
        {
            public readonly FakeClock Clock = new FakeClock();
            public readonly FixedRandom Random = new FixedRandom();
            public readonly FakeTransport Transport = new FakeTransport();
            public readonly MqttTopics Topics = new MqttTopics("SP1");
            public readonly MqttLinkOptions Options = new MqttLinkOptions();
            public MqttLink Link;

            public Fixture(int outboxCapacity)
            {
                Options.OutboxCapacity = outboxCapacity;
                Options.UserName = "dev-SP1";
                Options.Password = "per-device-secret";
                Link = new MqttLink(Transport, Clock, Random, Topics, Options);
            }

            public void Event(string text)
            {
                byte[] b = Encoding.UTF8.GetBytes(text);
                Assert.IsTrue(Link.EnqueueEvent(b, b.Length));
            }

            public void Status(string text)
            {
                byte[] b = Encoding.UTF8.GetBytes(text);
                Assert.IsTrue(Link.SetStatus(b, b.Length));
            }
        }

        [TestMethod]
        public void MqttLink_Connect_SubscribesCommandsAndPublishesOnlineRetained()
        {
            var f = new Fixture(4);
            f.Link.Step();
            Assert.IsTrue(f.Link.IsConnected);
            Assert.AreEqual("SP1", f.Transport.LastClientId);
            Assert.AreEqual("dev-SP1", f.Transport.LastUserName);
            Assert.AreEqual("per-device-secret", f.Transport.LastPassword);
            Assert.AreEqual("indra/SP1/availability", f.Transport.WillTopic);
            Assert.AreEqual("offline", f.Transport.WillPayload);
            Assert.AreEqual(1, f.Transport.Subscriptions.Count);
            Assert.AreEqual("indra/SP1/cmd/#", (string)f.Transport.Subscriptions[0]);
            Published online = f.Transport.Get(0);
            Assert.AreEqual("indra/SP1/availability", online.Topic);
            Assert.AreEqual("online", online.Payload);
            Assert.IsTrue(online.Retain);
            Assert.AreEqual(1, online.Qos);
        }

        [TestMethod]
        public void MqttLink_StatusSetTwiceBeforeStep_PublishesOnlyLatestRetained()
        {
            var f = new Fixture(4);
            f.Status("{\"n\":1}");
            f.Status("{\"n\":2}");
            f.Link.Step();
            Assert.AreEqual(1, f.Transport.Count("indra/SP1/status"));
            Published status = f.Transport.Get(f.Transport.Messages.Count - 1);
            Assert.AreEqual("{\"n\":2}", status.Payload);
            Assert.IsTrue(status.Retain);
            f.Link.Step();
            Assert.AreEqual(1, f.Transport.Count("indra/SP1/status"));
        }

        [TestMethod]
        public void MqttLink_EventsQueuedOffline_SentInOrderAfterConnectAtQos1()
        {
            var f = new Fixture(8);
            f.Transport.RefuseConnect = true;
            f.Link.Step();
            Assert.IsFalse(f.Link.IsConnected);
            f.Event("e1");
            f.Event("e2");
            f.Event("e3");
            f.Transport.RefuseConnect = false;
            f.Clock.NowMicroseconds = f.Link.NextAttemptMicroseconds;
            f.Link.Step();
            Assert.IsTrue(f.Link.IsConnected);
            Assert.AreEqual(3, f.Transport.Count("indra/SP1/event"));
            Assert.AreEqual("e1", f.Transport.Get(1).Payload);
            Assert.AreEqual("e2", f.Transport.Get(2).Payload);
            Assert.AreEqual("e3", f.Transport.Get(3).Payload);
            Assert.AreEqual(1, f.Transport.Get(1).Qos);
            Assert.IsFalse(f.Transport.Get(1).Retain);
            Assert.AreEqual(0, f.Link.OutboxCount);
        }

        [TestMethod]
        public void MqttLink_RingOverflowOffline_DropsOldestKeepsOrderAndCountsForTheNotice()
        {
            var f = new Fixture(3);
            f.Transport.RefuseConnect = true;
            f.Link.Step();
            for (int i = 1; i <= 5; i++)
            {
                f.Event("e" + i);
            }

            Assert.AreEqual(2, f.Link.EventsDropped);
            Assert.AreEqual(3, f.Link.OutboxCount);
            f.Transport.RefuseConnect = false;
            f.Clock.NowMicroseconds = f.Link.NextAttemptMicroseconds;
            f.Link.Step();

            // online, then e3..e5 in order; the telemetry task writes the notice (with seq).
            Assert.AreEqual(4, f.Transport.Messages.Count);
            Assert.AreEqual("e3", f.Transport.Get(1).Payload);
            Assert.AreEqual("e4", f.Transport.Get(2).Payload);
            Assert.AreEqual("e5", f.Transport.Get(3).Payload);
            int events, eventsTotal, unanswered, unansweredTotal;
            Assert.IsTrue(f.Link.Outbox.TakeUnreported(out events, out eventsTotal, out unanswered, out unansweredTotal));
            Assert.AreEqual(2, events);
            Assert.AreEqual(2, eventsTotal);
            Assert.AreEqual(0, unanswered);
            Assert.IsFalse(f.Link.Outbox.TakeUnreported(out events, out eventsTotal, out unanswered, out unansweredTotal), "reported once");
        }

        [TestMethod]
        public void MqttLink_ResultsFlood_NeverPushesOutATripEvent()
        {
            var f = new Fixture(2);
            f.Transport.RefuseConnect = true;
            f.Link.Step();
            f.Event("trip");
            byte[] r = Encoding.UTF8.GetBytes("r");
            for (int i = 0; i < 50; i++)
            {
                f.Link.EnqueueResult(r, r.Length);
                byte[] low = Encoding.UTF8.GetBytes("limit" + i);
                f.Link.EnqueueLowEvent(low, low.Length);
                f.Link.OnMessage("indra/SP1/cmd/pause", Encoding.UTF8.GetBytes("{\"id\":\"b" + i + "\"}"));
            }

            Assert.AreEqual(0, f.Link.EventsDropped - (50 - f.Options.LowEventCapacity), "only low-priority events dropped");
            f.Transport.RefuseConnect = false;
            f.Clock.NowMicroseconds = f.Link.NextAttemptMicroseconds;
            f.Link.Step();
            Assert.AreEqual("trip", f.Transport.Get(1).Payload, "the trip event goes first");
            Assert.AreEqual(f.Options.ResultCapacity + f.Options.UnqueuedAnswerCapacity, f.Transport.Count("indra/SP1/result"));
            Assert.AreEqual(1 + f.Options.LowEventCapacity, f.Transport.Count("indra/SP1/event"));
        }

        [TestMethod]
        public void MqttLink_EventPushedOutWhileInFlight_NotCountedAsDroppedAndOrderKept()
        {
            var f = new Fixture(2);
            f.Link.Step();
            f.Event("e1");
            f.Transport.RaceLink = f.Link;
            f.Transport.RaceEvents = new string[] { "e2", "e3" };
            f.Link.Step();
            Assert.AreEqual(0, f.Link.EventsDropped, "e1 arrived even though the full ring pushed it out");
            Assert.AreEqual(3, f.Transport.Count("indra/SP1/event"));
            Assert.AreEqual("e1", f.Transport.Get(1).Payload);
            Assert.AreEqual("e2", f.Transport.Get(2).Payload);
            Assert.AreEqual("e3", f.Transport.Get(3).Payload);
        }

        [TestMethod]
        public void MqttLink_PublishFails_KeepsEventAndResendsAfterReconnect()
        {
            var f = new Fixture(4);
            f.Link.Step();
            f.Transport.FailPublishAfter = 1;
            f.Event("a");
            f.Event("b");
            f.Link.Step();
            Assert.IsFalse(f.Link.IsConnected);
            Assert.AreEqual(1, f.Link.PublishFailures);
            Assert.AreEqual(1, f.Link.OutboxCount);
            f.Transport.FailPublishAfter = -1;
            f.Clock.NowMicroseconds = f.Link.NextAttemptMicroseconds;
            f.Link.Step();
            Assert.IsTrue(f.Link.IsConnected);
            Assert.AreEqual(2, f.Link.Connects);
            Assert.AreEqual(2, f.Transport.Subscriptions.Count, "resubscribed cmd/# on reconnect");
            Assert.AreEqual(2, f.Transport.Count("indra/SP1/event"));
            Assert.AreEqual("b", f.Transport.Get(f.Transport.Messages.Count - 1).Payload);
        }

        [TestMethod]
        public void MqttLink_ConnectionLost_ReconnectsAfterBackoffAndRepublishesStatus()
        {
            var f = new Fixture(4);
            f.Options.FirstRetrySpreadMilliseconds = 3000;
            f.Random.Maximum = true;
            f.Status("{\"s\":1}");
            f.Link.Step();
            Assert.AreEqual(1, f.Transport.Count("indra/SP1/status"));
            f.Transport.Connected = false;
            f.Link.OnConnectionLost();
            int wait = f.Link.Step();
            Assert.IsFalse(f.Link.IsConnected);
            Assert.AreEqual(3000, wait, "first retry after a lost session anywhere in [0, spread]");
            Assert.AreEqual(LinkStates.Waiting, f.Link.State);
            Assert.AreEqual(LinkFailures.Lost, f.Link.LastFailure);
            Assert.AreEqual(1, f.Transport.ConnectCalls);

            f.Clock.NowMicroseconds = f.Link.NextAttemptMicroseconds - 1;
            f.Link.Step();
            Assert.AreEqual(1, f.Transport.ConnectCalls, "no attempt before the backoff ends");

            f.Clock.NowMicroseconds = f.Link.NextAttemptMicroseconds;
            f.Link.Step();
            Assert.IsTrue(f.Link.IsConnected);
            Assert.AreEqual(2, f.Transport.Count("indra/SP1/status"), "status re-sent after reconnect");
            Assert.AreEqual(2, f.Transport.Count("indra/SP1/availability"));
        }

        [TestMethod]
        public void MqttLink_RepeatedConnectFailures_BackoffDoublesToCap()
        {
            var f = new Fixture(4);
            f.Options.BackoffInitialMilliseconds = 1000;
            f.Options.BackoffMaximumMilliseconds = 8000;
            f.Random.Maximum = true;
            f.Transport.RefuseConnect = true;
            int[] expected = new int[] { 1000, 2000, 4000, 8000, 8000, 8000 };
            for (int i = 0; i < expected.Length; i++)
            {
                f.Clock.NowMicroseconds = f.Link.NextAttemptMicroseconds;
                f.Link.Step();
                Assert.AreEqual(expected[i], f.Link.LastBackoffMilliseconds, "failure " + (i + 1));
                Assert.AreEqual(i + 1, f.Link.ConnectFailures);
            }

            f.Transport.RefuseConnect = false;
            f.Clock.NowMicroseconds = f.Link.NextAttemptMicroseconds;
            f.Link.Step();
            Assert.IsTrue(f.Link.IsConnected);

            // After success the backoff starts again from the beginning: a lost session's first
            // retry is spread over [0, FirstRetrySpreadMilliseconds], then it doubles from the initial.
            f.Options.FirstRetrySpreadMilliseconds = 5000;
            f.Transport.Connected = false;
            f.Link.Step();
            Assert.AreEqual(5000, f.Link.LastBackoffMilliseconds);
            f.Transport.RefuseConnect = true;
            f.Clock.NowMicroseconds = f.Link.NextAttemptMicroseconds;
            f.Link.Step();
            Assert.AreEqual(2000, f.Link.LastBackoffMilliseconds, "second failure in a row");
        }

        [TestMethod]
        [DataRow(1, 500, 1000)]
        [DataRow(2, 1000, 2000)]
        [DataRow(6, 16000, 32000)]
        [DataRow(7, 30000, 60000)]
        [DataRow(40, 30000, 60000)]
        public void MqttLink_Backoff_StaysWithinEqualJitterBounds(int failures, int lowest, int highest)
        {
            var random = new XorShiftRandom(12345);
            int seenMin = int.MaxValue;
            int seenMax = int.MinValue;
            for (int i = 0; i < 2000; i++)
            {
                int delay = ReconnectBackoff.Milliseconds(failures, 1000, 60000, random);
                Assert.IsTrue(delay >= lowest && delay <= highest, "delay " + delay);
                if (delay < seenMin)
                {
                    seenMin = delay;
                }

                if (delay > seenMax)
                {
                    seenMax = delay;
                }
            }

            // Jitter really spreads: the draws cover most of the band.
            Assert.IsTrue(seenMax - seenMin > (highest - lowest) * 8 / 10, "spread " + seenMin + ".." + seenMax);
        }

        [TestMethod]
        public void MqttLink_InboundMessages_QueuedForSchedulerInOrder()
        {
            var f = new Fixture(4);
            f.Link.OnMessage("indra/SP1/cmd/pause", Encoding.UTF8.GetBytes("{\"id\":\"1\"}"));
            f.Link.OnMessage("indra/SP1/cmd/resume", Encoding.UTF8.GetBytes("{\"id\":\"2\"}"));
            var m = new InboundMessage(CommandProcessor.MaxPayloadBytes);
            Assert.IsTrue(f.Link.TryTakeCommand(m));
            Assert.AreEqual("indra/SP1/cmd/pause", m.Topic);
            Assert.AreEqual("{\"id\":\"1\"}", Encoding.UTF8.GetString(m.Payload, 0, m.Length));
            Assert.IsTrue(f.Link.TryTakeCommand(m));
            Assert.AreEqual("indra/SP1/cmd/resume", m.Topic);
            Assert.IsFalse(f.Link.TryTakeCommand(m));
        }

        [TestMethod]
        public void MqttLink_InboundQueueFull_AnswersBusyOnResultTopic()
        {
            var f = new Fixture(8);
            f.Options.InboundCapacity = 2;
            f.Link = new MqttLink(f.Transport, f.Clock, f.Random, f.Topics, f.Options);
            for (int i = 0; i < 3; i++)
            {
                f.Link.OnMessage("indra/SP1/cmd/pause", Encoding.UTF8.GetBytes("{\"id\":\"x\"}"));
            }

            Assert.AreEqual(1, f.Link.BusyCount);
            f.Link.Step();
            Assert.AreEqual(1, f.Transport.Count("indra/SP1/result"));
            Assert.IsTrue(f.Transport.Get(1).Payload.IndexOf("\"reason\":\"busy\"") > 0);
            Assert.IsTrue(f.Transport.Get(1).Payload.IndexOf("\"id\":\"x\"") > 0, "the busy answer names the command it refused");
        }

        [TestMethod]
        public void MqttLink_OversizedInbound_NotCopiedButQueued()
        {
            var f = new Fixture(4);
            f.Link.OnMessage("indra/SP1/cmd/pause", new byte[CommandProcessor.MaxPayloadBytes + 1]);
            var m = new InboundMessage(CommandProcessor.MaxPayloadBytes);
            Assert.IsTrue(f.Link.TryTakeCommand(m));
            Assert.IsTrue(m.Oversized);
            Assert.AreEqual(0, m.Length);
        }

        [TestMethod]
        public void MqttLink_SlowLink_SeveralInFlightAcksOutOfOrderQueueEmptiesInOrder()
        {
            var f = new Fixture(16);
            f.Options.MaxInFlight = 3;
            f.Link = new MqttLink(f.Transport, f.Clock, f.Random, f.Topics, f.Options);
            f.Link.Step();
            f.Transport.DeferAcks = true;
            for (int i = 1; i <= 5; i++)
            {
                f.Event("e" + i);
            }

            f.Link.Step();
            Assert.AreEqual(3, f.Transport.PendingTokens.Count, "three in flight, not one per round trip");
            Assert.AreEqual(3, f.Link.Outbox.InFlight);
            Assert.AreEqual("e3", f.Transport.Get(3).Payload);

            // The second is acknowledged first: nothing leaves until the first is acknowledged too.
            f.Transport.Ack(1, true);
            Assert.AreEqual(5, f.Link.OutboxCount);
            f.Transport.Ack(0, true);
            Assert.AreEqual(3, f.Link.OutboxCount, "e1 and e2 delivered");
            f.Link.Step();
            Assert.AreEqual("e4", f.Transport.Get(4).Payload);
            Assert.AreEqual("e5", f.Transport.Get(5).Payload);
            Assert.AreEqual(3, f.Link.Outbox.InFlight);
        }

        [TestMethod]
        public void MqttLink_PublishFailsWithSeveralInFlight_AllUnacknowledgedSentAgainInOrder()
        {
            var f = new Fixture(16);
            f.Options.MaxInFlight = 4;
            f.Random.Maximum = true;
            f.Link = new MqttLink(f.Transport, f.Clock, f.Random, f.Topics, f.Options);
            f.Link.Step();
            f.Transport.DeferAcks = true;
            f.Event("e1");
            f.Event("e2");
            f.Event("e3");
            f.Link.Step();
            f.Transport.Ack(0, true);
            f.Transport.Ack(0, false);
            f.Link.Step();
            Assert.IsFalse(f.Link.IsConnected, "a failed publish ends the session");
            Assert.AreEqual(1, f.Link.PublishFailures);
            Assert.AreEqual(2, f.Link.OutboxCount);
            f.Transport.DeferAcks = false;
            f.Transport.PendingTokens.Clear();
            int before = f.Transport.Messages.Count;
            f.Clock.NowMicroseconds = f.Link.NextAttemptMicroseconds;
            f.Link.Step();
            Assert.IsTrue(f.Link.IsConnected);
            Assert.AreEqual("e2", f.Transport.Get(before + 1).Payload, "after online: e2 again, then e3");
            Assert.AreEqual("e3", f.Transport.Get(before + 2).Payload);
            Assert.AreEqual(0, f.Link.OutboxCount);
        }

        [TestMethod]
        public void MqttLink_SafetyEventsBeforeResultsBeforeLowEvents_EachInOrder()
        {
            var f = new Fixture(4);
            f.Event("e1");
            byte[] r = Encoding.UTF8.GetBytes("r1");
            f.Link.EnqueueResult(r, r.Length);
            byte[] low = Encoding.UTF8.GetBytes("l1");
            f.Link.EnqueueLowEvent(low, low.Length);
            f.Event("e2");
            f.Link.Step();
            Assert.AreEqual("e1", f.Transport.Get(1).Payload);
            Assert.AreEqual("e2", f.Transport.Get(2).Payload);
            Assert.AreEqual("indra/SP1/result", f.Transport.Get(3).Topic);
            Assert.AreEqual(1, f.Transport.Get(3).Qos);
            Assert.AreEqual("l1", f.Transport.Get(4).Payload);
            Assert.AreEqual("indra/SP1/event", f.Transport.Get(4).Topic);
        }

        [TestMethod]
        public void MqttLink_RetainedCommand_NeverQueuedAnsweredRetainedWithId()
        {
            var f = new Fixture(4);
            f.Link.OnMessage("indra/SP1/cmd/pause", Encoding.UTF8.GetBytes("{\"id\":\"old\"}"), true);
            var m = new InboundMessage(CommandProcessor.MaxPayloadBytes);
            Assert.IsFalse(f.Link.TryTakeCommand(m), "a retained command is never carried out");
            Assert.AreEqual(1, f.Link.RetainedRefused);
            f.Link.Step();
            Assert.AreEqual(1, f.Transport.Count("indra/SP1/result"));
            string answer = f.Transport.Get(1).Payload;
            Assert.IsTrue(answer.IndexOf("\"id\":\"old\"") > 0, answer);
            Assert.IsTrue(answer.IndexOf("\"reason\":\"retained\"") > 0, answer);
        }

        [TestMethod]
        public void MqttLink_ConnectRefused_StateWaitingWithTheTransportsReason()
        {
            var f = new Fixture(4);
            Assert.AreEqual(LinkStates.Starting, f.Link.State);
            f.Transport.RefuseConnect = true;
            f.Transport.LastFailure = LinkFailures.NotAuthorised;
            int changes = f.Link.StateChanges;
            f.Link.Step();
            Assert.AreEqual(LinkStates.Waiting, f.Link.State);
            Assert.AreEqual(LinkFailures.NotAuthorised, f.Link.LastFailure);
            Assert.IsTrue(f.Link.StateChanges > changes);
            f.Transport.RefuseConnect = false;
            f.Transport.LastFailure = null;
            f.Clock.NowMicroseconds = f.Link.NextAttemptMicroseconds;
            f.Link.Step();
            Assert.AreEqual(LinkStates.Connected, f.Link.State);
            Assert.AreEqual(LinkFailures.NotAuthorised, f.Link.LastFailure, "the last failure stays visible after a success");
        }

        [TestMethod]
        public void MqttLink_PowerReading_PublishedNotRetained()
        {
            var f = new Fixture(4);
            byte[] p = Encoding.UTF8.GetBytes("{\"w\":7000}");
            Assert.IsTrue(f.Link.SetPower(p, p.Length));
            f.Link.Step();
            Published power = f.Transport.Get(1);
            Assert.AreEqual("indra/SP1/power", power.Topic);
            Assert.IsFalse(power.Retain);
        }

        [TestMethod]
        public void MqttLink_PayloadLargerThanSlot_Refused()
        {
            var f = new Fixture(4);
            byte[] big = new byte[f.Options.OutboxMessageBytes + 1];
            Assert.IsFalse(f.Link.EnqueueEvent(big, big.Length));
            Assert.AreEqual(0, f.Link.OutboxCount);
        }

        [TestMethod]
        public void MqttLink_Shutdown_PublishesOfflineThenDisconnects()
        {
            var f = new Fixture(4);
            f.Link.Step();
            f.Link.Shutdown();
            Published last = f.Transport.Get(f.Transport.Messages.Count - 1);
            Assert.AreEqual("indra/SP1/availability", last.Topic);
            Assert.AreEqual("offline", last.Payload);
            Assert.IsTrue(last.Retain);
            Assert.IsFalse(f.Transport.Connected);
            Assert.IsFalse(f.Link.IsConnected);
        }

        [TestMethod]
        public void MqttLink_TransportThrows_CountsFailureAndRetriesLater()
        {
            var clock = new FakeClock();
            var link = new MqttLink(new ThrowingTransport(), clock, new FixedRandom(), new MqttTopics("SP1"), new MqttLinkOptions());
            link.Step();
            Assert.IsFalse(link.IsConnected);
            Assert.AreEqual(1, link.ConnectFailures);
            Assert.IsTrue(link.NextAttemptMicroseconds > clock.NowMicroseconds);
        }

        private sealed class ThrowingTransport : IMqttTransport
        {
            public bool IsConnected => throw new InvalidOperationException();

            public IMqttMessageSink Sink { get; set; }

            public string LastFailure { get; set; }

            public bool Connect(string clientId, string userName, string password, string willTopic, byte[] willPayload) => throw new InvalidOperationException("dns");

            public bool Subscribe(string topicFilter, int qos) => throw new InvalidOperationException();

            public bool Publish(string topic, byte[] payload, int qos, bool retain) => throw new InvalidOperationException();

            public bool StartPublish(string topic, byte[] payload, bool retain, int token) => throw new InvalidOperationException();

            public void Disconnect() => throw new InvalidOperationException();
        }
    }
}
