using System.Text;
using IndraSmartPro.Events;
using IndraSmartPro.Json;
using IndraSmartPro.Telemetry;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    [TestClass]
    public class TelemetryTaskTests
    {
        private const long Second = 1000000;

        private sealed class FakeSource : IStatusSource
        {
            public int PowerMilliwatts;
            public int LineNeutralMillivolts = 230000;
            public bool Paused;
            public int Fills;

            public void Fill(long nowMicroseconds, ChargerStatus status)
            {
                Fills++;
                status.PowerMilliwatts = PowerMilliwatts;
                status.LineNeutralMillivolts = LineNeutralMillivolts;
                status.Paused = Paused;
                status.PestMode = "A-electrode";
            }
        }

        /// <summary>A large detail of Size numbers, written a few per call; "changes" on demand.</summary>
        private sealed class RecordDetail : IEventDetailWriter
        {
            public int Size;
            public int Calls;
            public bool ChangeUnderneath;
            private int _written;
            private bool _aborted;

            public bool Aborted => _aborted;

            public bool IsLarge(ChargerEventKind kind, object detail) => kind == ChargerEventKind.Notice;

            public void WriteInline(ChargerEventKind kind, object detail, JsonWriter writer) => writer.Property("recordSeq", 7);

            public void Begin(object detail)
            {
                _written = -1;
                _aborted = false;
            }

            public bool Continue(JsonWriter writer, int maxValues)
            {
                Calls++;
                if (ChangeUnderneath)
                {
                    _aborted = true;
                    return true;
                }

                if (_written < 0)
                {
                    writer.Name("record");
                    writer.BeginArray();
                    _written = 0;
                }

                for (int i = 0; i < maxValues && _written < Size; i++)
                {
                    writer.Number(230000 + _written++);
                }

                if (_written < Size)
                {
                    return false;
                }

                writer.EndArray();
                return true;
            }
        }

        private sealed class Fixture
        {
            public readonly MqttLinkTests.FakeClock Clock = new MqttLinkTests.FakeClock();
            public readonly MqttLinkTests.FakeTransport Transport = new MqttLinkTests.FakeTransport();
            public readonly MqttLinkOptions LinkOptions = new MqttLinkOptions();
            public readonly TelemetryOptions Options = new TelemetryOptions();
            public readonly FakeSource Source = new FakeSource();
            public readonly CommandProcessorTests.RecordingTarget Target = new CommandProcessorTests.RecordingTarget();
            public readonly EventBus Bus = new EventBus();
            public readonly MqttLink Link;
            public readonly TelemetryTask Task;
            public readonly JsonDocument Doc = new JsonDocument(512, 4, 4096);

            public Fixture()
            {
                var topics = new MqttTopics("SP1");
                Link = new MqttLink(Transport, Clock, new MqttLinkTests.FixedRandom(), topics, LinkOptions);
                Task = new TelemetryTask(Link, LinkOptions, new CommandProcessor(topics, Target, 6000, 32000), Source, Options, "9.9.9");
                Bus.Subscribe(Task);
            }

            public void RunAt(long now)
            {
                Clock.NowMicroseconds = now;
                Task.Run(now);
                Link.Step();
            }

            /// <summary>Two runs: one writes the events, the next the status (one kind of JSON per run).</summary>
            public void RunTwiceAt(long now)
            {
                RunAt(now);
                RunAt(now + 1);
            }

            public int Parse(string topic, int nth)
            {
                int seen = 0;
                for (int i = 0; i < Transport.Messages.Count; i++)
                {
                    MqttLinkTests.Published p = Transport.Get(i);
                    if (p.Topic == topic && seen++ == nth)
                    {
                        byte[] b = Encoding.UTF8.GetBytes(p.Payload);
                        Assert.IsTrue(Doc.Parse(b, b.Length), Doc.Error + ": " + p.Payload);
                        return 0;
                    }
                }

                Assert.IsTrue(false, "no message " + nth + " on " + topic);
                return -1;
            }

            public string Str(string member) => Doc.GetString(Doc.Find(0, member));

            public long Num(string member, int decimals)
            {
                long v;
                Assert.IsTrue(Doc.TryGetScaled(Doc.Find(0, member), decimals, out v), member);
                return v;
            }
        }

        [TestMethod]
        public void TelemetryTask_FirstRun_PublishesFullStatusRetained()
        {
            var f = new Fixture();
            f.Source.PowerMilliwatts = 3671400;
            f.RunAt(5 * Second);
            Assert.AreEqual(1, f.Transport.Count("indra/SP1/status"));
            f.Parse("indra/SP1/status", 0);
            Assert.AreEqual(1L, f.Num("v", 0));
            Assert.AreEqual("SP1", f.Str("serial"));
            Assert.AreEqual("9.9.9", f.Str("fw"));
            Assert.AreEqual(5L, f.Num("uptimeS", 0));
            Assert.AreEqual("idle", f.Str("state"));
            Assert.AreEqual("unknown", f.Str("pilot"));
            Assert.AreEqual(3671L, f.Num("powerW", 0));
            Assert.AreEqual(230000L, f.Num("vLn", 3));
            Assert.AreEqual("A-electrode", f.Str("pestMode"));
            Assert.AreEqual(0, f.Doc.GetChildCount(f.Doc.Find(0, "trips")));
            Assert.AreEqual(0L, f.Num("eventsDropped", 0));
            string[] members = new string[] { "contactor", "paused", "offeredA", "limitReason", "currentA", "sessionWh", "lifetimeWh", "vLtt", "vCpcTt", "faults" };
            for (int i = 0; i < members.Length; i++)
            {
                Assert.IsTrue(f.Doc.Find(0, members[i]) > 0, members[i]);
            }
        }

        [TestMethod]
        public void TelemetryTask_NothingDiscreteChanges_RepublishesOnlyAtInterval()
        {
            var f = new Fixture();
            f.Options.StatusIntervalSeconds = 60;
            f.RunAt(0);

            // The first status was written before the link connected; the link's new state
            // ("connected") publishes it once more.
            f.RunAt(Second / 20);
            Assert.AreEqual(2, f.Transport.Count("indra/SP1/status"), "republished once the link state changed");
            for (long t = 2 * Second / 20; t < 60 * Second; t += Second / 20)
            {
                f.Source.LineNeutralMillivolts = 229000 + (int)(t % 2000);
                f.RunAt(t);
            }

            f.RunAt(60 * Second);
            Assert.AreEqual(2, f.Transport.Count("indra/SP1/status"), "measured values alone do not publish");
            f.RunAt(60 * Second + (Second / 20));
            Assert.AreEqual(3, f.Transport.Count("indra/SP1/status"), "60 s after the last");
        }

        [TestMethod]
        public void TelemetryTask_PilotAndContactorEvents_PublishStatusOnChange()
        {
            var f = new Fixture();
            f.RunAt(0);
            f.Bus.Publish(ChargerEventKind.PilotState, 1000, 0, false, "B");
            f.RunAt(Second / 20);
            Assert.AreEqual(2, f.Transport.Count("indra/SP1/status"));
            f.Parse("indra/SP1/status", 1);
            Assert.AreEqual("B", f.Str("pilot"));
            Assert.AreEqual("connected", f.Str("state"));

            f.Bus.Publish(ChargerEventKind.Limit, 2000, 16000, false, "platform");
            f.RunTwiceAt(2 * Second / 20);
            f.Parse("indra/SP1/status", 2);
            Assert.AreEqual(16000L, f.Num("offeredA", 3));
            Assert.AreEqual("platform", f.Str("limitReason"));

            f.Source.Paused = true;
            f.RunAt(3 * Second / 20);
            f.Parse("indra/SP1/status", 3);
            Assert.AreEqual("paused", f.Str("state"));
        }

        [TestMethod]
        public void TelemetryTask_TripAndReset_ListedInStatusAndPublishedAsEvents()
        {
            var f = new Fixture();
            f.RunAt(0);
            f.Bus.Publish(ChargerEventKind.Trip, 1500000, 0, 0, true, "ln-out-of-range", null, null);
            f.RunTwiceAt(Second / 20);
            f.Parse("indra/SP1/status", 1);
            Assert.AreEqual("tripped", f.Str("state"));
            int trips = f.Doc.Find(0, "trips");
            Assert.AreEqual(1, f.Doc.GetChildCount(trips));
            Assert.IsTrue(f.Doc.StringEquals(trips + 1, "ln-out-of-range"));

            f.Parse("indra/SP1/event", 0);
            Assert.AreEqual("trip", f.Str("type"));
            Assert.AreEqual("ln-out-of-range", f.Str("code"));
            Assert.AreEqual(1500L, f.Num("uptimeMs", 0));
            Assert.AreEqual(0L, f.Num("seq", 0));

            f.Bus.Publish(ChargerEventKind.TripReset, 3000000, 0, 0, false, "ln-out-of-range", "mqtt", null);
            f.RunTwiceAt(2 * Second / 20);
            f.Parse("indra/SP1/status", 2);
            Assert.AreEqual("idle", f.Str("state"));
            f.Parse("indra/SP1/event", 1);
            Assert.AreEqual("trip-reset", f.Str("type"));
            Assert.AreEqual("mqtt", f.Str("by"));
            Assert.AreEqual(1L, f.Num("seq", 0));
        }

        [TestMethod]
        public void TelemetryTask_StatusOnlyKinds_NotPublishedAsEvents()
        {
            var f = new Fixture();
            f.Bus.Publish(ChargerEventKind.PilotState, 0, 0, false, "A");
            f.Bus.Publish(ChargerEventKind.Pwm, 0, 1000, false, null);
            f.Bus.Publish(ChargerEventKind.Contactor, 0, 0, false, "boot");
            f.Bus.Publish(ChargerEventKind.EarthRelay, 0, 0, false, null);
            f.RunAt(0);
            Assert.AreEqual(0, f.Transport.Count("indra/SP1/event"));
            Assert.AreEqual(0L, f.Task.EventSequence);
        }

        [TestMethod]
        public void TelemetryTask_EveryPublishedKind_HasItsMembers()
        {
            var f = new Fixture();
            f.Bus.Publish(ChargerEventKind.Boot, 0, 0, 0, false, "9.9.9", null, null);
            f.Bus.Publish(ChargerEventKind.Fault, 0, 0, true, "relay-weld");
            f.Bus.Publish(ChargerEventKind.FaultCleared, 0, 0, false, "relay-weld");
            f.Bus.Publish(ChargerEventKind.SessionStarted, 0, 7, false, null);
            f.Bus.Publish(ChargerEventKind.SessionStopped, 0, 5123, false, "ev-unplugged");
            f.Bus.Publish(ChargerEventKind.Limit, 0, 6500, false, "curtailment");
            f.Bus.Publish(ChargerEventKind.Notice, 0, 0, 0, false, "pest-mode-changed", "toggle moved", null);
            f.RunAt(0);
            f.RunAt(Second / 20); // a bounded number of events per run
            f.Parse("indra/SP1/event", 0);
            Assert.AreEqual("boot", f.Str("type"));
            Assert.AreEqual("9.9.9", f.Str("fw"));
            f.Parse("indra/SP1/event", 1);
            Assert.AreEqual("fault", f.Str("type"));
            Assert.IsTrue(f.Doc.GetBool(f.Doc.Find(0, "latched")));
            f.Parse("indra/SP1/event", 2);
            Assert.AreEqual("fault-cleared", f.Str("type"));
            f.Parse("indra/SP1/event", 3);
            Assert.AreEqual(7L, f.Num("session", 0));
            f.Parse("indra/SP1/event", 4);
            Assert.AreEqual(5123L, f.Num("energyWh", 0));
            Assert.AreEqual("ev-unplugged", f.Str("reason"));
            f.Parse("indra/SP1/event", 5);
            Assert.AreEqual(6500L, f.Num("offeredA", 3));
            Assert.AreEqual("curtailment", f.Str("reason"));
            f.Parse("indra/SP1/event", 6);
            Assert.AreEqual("toggle moved", f.Str("text"));
            Assert.AreEqual(6L, f.Num("seq", 0));
        }

        [TestMethod]
        public void TelemetryTask_EventWithLargeDetail_WrittenOverSeveralRunsIntoLargeEventSlot()
        {
            var f = new Fixture();
            var detail = new RecordDetail();
            detail.Size = 300; // about 2 KB: more than an outbox slot, less than the large slot
            f.Task.DetailWriter = detail;
            f.Bus.Publish(ChargerEventKind.Trip, 0, 0, 0, true, "cpc-tt-over-70v", null, new object());
            f.Bus.Publish(ChargerEventKind.Notice, 0, 0, 0, false, "disturbance-record", null, new object());
            f.RunAt(0);
            Assert.AreEqual(1, f.Transport.Count("indra/SP1/event"), "the trip at once, the record not yet");
            f.Parse("indra/SP1/event", 0);
            Assert.AreEqual(7L, f.Num("recordSeq", 0));
            for (int i = 1; i < 10; i++)
            {
                f.RunAt(i * Second / 20);
            }

            Assert.AreEqual(2, f.Transport.Count("indra/SP1/event"));
            Assert.IsTrue(detail.Calls >= 300 / TelemetryTask.LargeValuesPerRun, "written a bounded amount per run");
            f.Parse("indra/SP1/event", 1);
            Assert.AreEqual("disturbance-record", f.Str("code"));
            Assert.AreEqual(1L, f.Num("seq", 0));
            Assert.AreEqual(300, f.Doc.GetChildCount(f.Doc.Find(0, "record")));
        }

        [TestMethod]
        public void TelemetryTask_LargeDetailChangesWhileWritten_DroppedAndCounted()
        {
            var f = new Fixture();
            var detail = new RecordDetail();
            detail.Size = 300;
            detail.ChangeUnderneath = true;
            f.Task.DetailWriter = detail;
            f.Bus.Publish(ChargerEventKind.Notice, 0, 0, 0, false, "disturbance-record", null, new object());
            f.RunAt(0);
            f.RunAt(Second / 20);
            Assert.AreEqual(0, f.Transport.Count("indra/SP1/event"));
            Assert.AreEqual(1, f.Task.EventsNotQueued);
        }

        [TestMethod]
        public void TelemetryTask_MoreEventsThanTheRawRingBetweenRuns_OldestDroppedAndCountedInStatus()
        {
            var f = new Fixture();
            for (int i = 0; i < TelemetryTask.RawCapacity + 3; i++)
            {
                f.Bus.Publish(ChargerEventKind.SessionStarted, i, i, false, null);
            }

            for (int i = 0; i < 10; i++)
            {
                f.RunAt(i * Second / 20);
            }

            Assert.AreEqual(TelemetryTask.RawCapacity, f.Transport.Count("indra/SP1/event"));
            f.Parse("indra/SP1/event", 0);
            Assert.AreEqual(3L, f.Num("seq", 0));
            Assert.AreEqual(3, f.Task.EventsNotQueued);
            f.Link.OnMessage("indra/SP1/cmd/refresh-status", Encoding.UTF8.GetBytes("{\"id\":\"s\"}"));
            f.RunAt(Second);
            f.Parse("indra/SP1/status", f.Transport.Count("indra/SP1/status") - 1);
            Assert.AreEqual(3L, f.Num("eventsDropped", 0));
        }

        [TestMethod]
        public void TelemetryTask_EventsDroppedOffline_NoticeCarriesSeqAndUptimeOncePerSecond()
        {
            var f = new Fixture();
            f.LinkOptions.OutboxCapacity = 2;
            var link = new MqttLink(f.Transport, f.Clock, new MqttLinkTests.FixedRandom(), new MqttTopics("SP1"), f.LinkOptions);
            var task = new TelemetryTask(link, f.LinkOptions, new CommandProcessor(new MqttTopics("SP1"), f.Target, 6000, 32000), f.Source, f.Options, "9.9.9");
            f.Bus.Subscribe(task);
            f.Transport.RefuseConnect = true;
            for (int i = 0; i < 4; i++)
            {
                f.Bus.Publish(ChargerEventKind.Trip, i * 1000, 0, false, "pen-l-n");
            }

            long now = 0;
            for (int i = 0; i < 4; i++, now += Second / 20)
            {
                f.Clock.NowMicroseconds = now;
                task.Run(now);
                link.Step();
            }

            Assert.AreEqual(2, link.EventsDropped);
            Assert.IsTrue(link.Outbox.NoticePending, "written while offline, waiting to be sent");
            f.Transport.RefuseConnect = false;
            f.Clock.NowMicroseconds = link.NextAttemptMicroseconds;
            link.Step();

            // The two newest trips survive, then the notice: its seq follows theirs.
            Assert.AreEqual(3, f.Transport.Count("indra/SP1/event"));
            f.Parse("indra/SP1/event", 2);
            Assert.AreEqual("events-dropped", f.Str("type"));
            Assert.AreEqual(4L, f.Num("seq", 0));
            Assert.IsTrue(f.Num("uptimeMs", 0) >= 0);
            Assert.AreEqual(2L, f.Num("count", 0));
            Assert.AreEqual(2L, f.Num("total", 0));
            Assert.AreEqual(0L, f.Num("unanswered", 0));
        }

        [TestMethod]
        public void TelemetryTask_EventAndStatusChangeTogether_WrittenInSuccessiveRuns()
        {
            var f = new Fixture();
            f.RunAt(0);
            int before = f.Task.MaxBytesPerRun;
            f.Bus.Publish(ChargerEventKind.Trip, 1000, 0, 0, true, "ln-out-of-range", null, null);
            f.RunAt(Second / 20);
            Assert.AreEqual(1, f.Transport.Count("indra/SP1/event"));
            Assert.AreEqual(1, f.Transport.Count("indra/SP1/status"), "the status waits for the next run");
            f.RunAt(2 * Second / 20);
            Assert.AreEqual(2, f.Transport.Count("indra/SP1/status"));
            Assert.IsTrue(f.Task.MaxBytesPerRun >= before && f.Task.MaxBytesPerRun < 1024, "bytes per run " + f.Task.MaxBytesPerRun);
        }

        [TestMethod]
        public void TelemetryTask_KindNewerThanTheContract_PublishedAsOther()
        {
            var f = new Fixture();
            f.Bus.Publish((ChargerEventKind)99, 0, 42, 0, false, "self-test", "ok", null);
            f.RunAt(0);
            f.Parse("indra/SP1/event", 0);
            Assert.AreEqual("other", f.Str("type"));
            Assert.AreEqual(99L, f.Num("kind", 0));
            Assert.AreEqual(42L, f.Num("value", 0));
            Assert.AreEqual("self-test", f.Str("code"));
        }

        [TestMethod]
        public void TelemetryTask_EventsPublishedInsideOtherTasks_WrittenOnlyInRun()
        {
            var f = new Fixture();
            f.Bus.Publish(ChargerEventKind.Trip, 0, 0, 0, true, "ln-out-of-range", null, null);
            Assert.AreEqual(0, f.Link.OutboxCount, "OnEvent only copies");
            f.Task.Run(0);
            Assert.AreEqual(1, f.Link.OutboxCount);
        }

        [TestMethod]
        public void TelemetryTask_Power_SampledEverySecondPublishedAtInterval()
        {
            var f = new Fixture();
            f.Options.PowerIntervalSeconds = 5;
            for (long t = 0; t <= 5 * Second; t += Second / 20)
            {
                f.Source.PowerMilliwatts = (int)(t / Second) * 1000000;
                f.RunAt(t);
            }

            Assert.AreEqual(1, f.Transport.Count("indra/SP1/power"));
            f.Parse("indra/SP1/power", 0);
            Assert.AreEqual(5L, f.Num("intervalS", 0));
            int samples = f.Doc.Find(0, "samplesW");
            Assert.AreEqual(5, f.Doc.GetChildCount(samples));
            for (int i = 0; i < 5; i++)
            {
                long w;
                Assert.IsTrue(f.Doc.TryGetScaled(samples + 1 + i, 0, out w));
                Assert.AreEqual((i + 1) * 1000L, w);
            }
        }

        [TestMethod]
        public void TelemetryTask_CommandReceived_ExecutedOnRunAndAnswered()
        {
            var f = new Fixture();
            f.RunAt(0);
            f.Link.OnMessage("indra/SP1/cmd/set-current-limit", Encoding.UTF8.GetBytes("{\"id\":\"c1\",\"amps\":10}"));
            Assert.AreEqual(-1, f.Target.LimitMilliamps, "nothing happens on the network thread");
            f.RunAt(Second / 20);
            Assert.AreEqual(10000, f.Target.LimitMilliamps);
            f.Parse("indra/SP1/result", 0);
            Assert.AreEqual("c1", f.Str("id"));
            Assert.IsTrue(f.Doc.GetBool(f.Doc.Find(0, "accepted")));
        }

        [TestMethod]
        public void TelemetryTask_RefreshCommand_RepublishesStatus()
        {
            var f = new Fixture();
            f.RunAt(0);
            f.Link.OnMessage("indra/SP1/cmd/refresh-status", Encoding.UTF8.GetBytes("{\"id\":\"r\"}"));
            f.RunAt(Second / 20);
            Assert.AreEqual(2, f.Transport.Count("indra/SP1/status"));
        }

        [TestMethod]
        public void ChargerStatus_DeriveState_FollowsPriority()
        {
            var s = new ChargerStatus();
            s.Pilot = "C";
            s.Contactor = true;
            s.DeriveState();
            Assert.AreEqual("charging", s.State);
            s.State = null;
            ChargerStatus.AddCode(s.Faults, ref s.FaultCount, "relay-weld");
            s.DeriveState();
            Assert.AreEqual("fault", s.State);
            s.State = null;
            ChargerStatus.AddCode(s.Trips, ref s.TripCount, "ln");
            s.DeriveState();
            Assert.AreEqual("tripped", s.State);
            s.State = null;
            s.Pilot = "F";
            s.TripCount = 0;
            s.FaultCount = 0;
            s.DeriveState();
            Assert.AreEqual("fault", s.State);
        }

        [TestMethod]
        public void ChargerStatus_CodeLists_AddOnceRemoveKeepsOrder()
        {
            var s = new ChargerStatus();
            Assert.IsTrue(ChargerStatus.AddCode(s.Trips, ref s.TripCount, "a"));
            Assert.IsFalse(ChargerStatus.AddCode(s.Trips, ref s.TripCount, "a"));
            ChargerStatus.AddCode(s.Trips, ref s.TripCount, "b");
            ChargerStatus.AddCode(s.Trips, ref s.TripCount, "c");
            Assert.IsTrue(ChargerStatus.RemoveCode(s.Trips, ref s.TripCount, "a"));
            Assert.AreEqual(2, s.TripCount);
            Assert.AreEqual("b", s.Trips[0]);
            Assert.AreEqual("c", s.Trips[1]);
            Assert.IsFalse(ChargerStatus.RemoveCode(s.Trips, ref s.TripCount, "x"));
        }
    }
}
