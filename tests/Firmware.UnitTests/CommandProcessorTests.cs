using System.Text;
using IndraSmartPro.Json;
using IndraSmartPro.Telemetry;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    [TestClass]
    public class CommandProcessorTests
    {
        private const string Root = "indra/SP1/cmd/";

        internal sealed class RecordingTarget : ICommandTarget
        {
            public int Calls;
            public int LimitMilliamps = -1;
            public bool Paused;
            public bool TripLatched = true;
            public bool VoltagesHealthy = true;
            public string Refusal;

            public bool SetCurrentLimit(long nowMicroseconds, int milliamps, out string refusal)
            {
                Calls++;
                refusal = Refusal;
                if (Refusal != null)
                {
                    return false;
                }

                LimitMilliamps = milliamps;
                return true;
            }

            public bool Pause(long nowMicroseconds, out string refusal)
            {
                Calls++;
                refusal = Refusal;
                if (Refusal != null)
                {
                    return false;
                }

                Paused = true;
                return true;
            }

            public bool Resume(long nowMicroseconds, out string refusal)
            {
                Calls++;
                refusal = Refusal;
                if (Refusal != null)
                {
                    return false;
                }

                Paused = false;
                return true;
            }

            public bool ResetTrip(long nowMicroseconds, out string refusal)
            {
                Calls++;
                if (!VoltagesHealthy)
                {
                    refusal = "voltages-unhealthy";
                    return false;
                }

                refusal = null;
                TripLatched = false;
                return true;
            }
        }

        private sealed class Fixture
        {
            public readonly RecordingTarget Target = new RecordingTarget();
            public readonly CommandProcessor Processor;
            public readonly JsonWriter Result = new JsonWriter(1280);
            public readonly InboundMessage Message = new InboundMessage(CommandProcessor.MaxPayloadBytes);
            public readonly JsonDocument ResultDoc = new JsonDocument(16, 2, 1024);

            public Fixture()
            {
                Processor = new CommandProcessor(new MqttTopics("SP1"), Target, 6000, 32000);
            }

            public bool Send(string topic, string payload)
            {
                Message.Set(topic, payload == null ? null : Encoding.UTF8.GetBytes(payload));
                bool accepted = Processor.Process(1000, Message, Result);
                Assert.IsFalse(Result.Overflowed);
                Assert.IsTrue(ResultDoc.Parse(Result.Buffer, Result.Length), "result is JSON: " + ResultDoc.Error);
                int acceptedMember = ResultDoc.Find(0, "accepted");
                Assert.AreEqual(accepted, ResultDoc.GetBool(acceptedMember));
                return accepted;
            }

            public string Reason()
            {
                int reason = ResultDoc.Find(0, "reason");
                return reason < 0 ? null : ResultDoc.GetString(reason);
            }

            public string Detail()
            {
                int detail = ResultDoc.Find(0, "detail");
                return detail < 0 ? null : ResultDoc.GetString(detail);
            }

            public string Id()
            {
                int id = ResultDoc.Find(0, "id");
                return ResultDoc.GetKind(id) == JsonKind.Null ? null : ResultDoc.GetString(id);
            }
        }

        [TestMethod]
        public void CommandProcessor_SetCurrentLimitInRange_AcceptedAndApplied()
        {
            var f = new Fixture();
            Assert.IsTrue(f.Send(Root + "set-current-limit", "{\"id\":\"r1\",\"amps\":16.5}"));
            Assert.AreEqual(16500, f.Target.LimitMilliamps);
            Assert.AreEqual("r1", f.Id());
            Assert.IsNull(f.Reason());
            Assert.AreEqual("set-current-limit", f.ResultDoc.GetString(f.ResultDoc.Find(0, "cmd")));
        }

        [TestMethod]
        [DataRow("0", 0)]
        [DataRow("6", 6000)]
        [DataRow("32", 32000)]
        [DataRow("6.001", 6001)]
        public void CommandProcessor_LimitBoundaries_Accepted(string amps, int expectedMilliamps)
        {
            var f = new Fixture();
            Assert.IsTrue(f.Send(Root + "set-current-limit", "{\"amps\":" + amps + ",\"id\":\"x\"}"));
            Assert.AreEqual(expectedMilliamps, f.Target.LimitMilliamps);
        }

        [TestMethod]
        [DataRow("5.999")]
        [DataRow("32.001")]
        [DataRow("-6")]
        [DataRow("1")]
        [DataRow("16.0005")]
        [DataRow("1e30")]
        public void CommandProcessor_LimitOutOfRange_RejectedUnchanged(string amps)
        {
            var f = new Fixture();
            Assert.IsFalse(f.Send(Root + "set-current-limit", "{\"id\":\"x\",\"amps\":" + amps + "}"));
            Assert.AreEqual(CommandProcessor.ReasonOutOfRange, f.Reason());
            Assert.AreEqual("amps", f.Detail());
            Assert.AreEqual(0, f.Target.Calls);
            Assert.AreEqual("x", f.Id());
        }

        [TestMethod]
        [DataRow("\"16\"")]
        [DataRow("true")]
        [DataRow("null")]
        [DataRow("[16]")]
        [DataRow("{\"a\":16}")]
        public void CommandProcessor_LimitWrongType_Rejected(string amps)
        {
            var f = new Fixture();
            Assert.IsFalse(f.Send(Root + "set-current-limit", "{\"id\":\"x\",\"amps\":" + amps + "}"));
            Assert.AreEqual(CommandProcessor.ReasonWrongType, f.Reason());
            Assert.AreEqual(0, f.Target.Calls);
        }

        [TestMethod]
        public void CommandProcessor_LimitMissing_RejectedMissingField()
        {
            var f = new Fixture();
            Assert.IsFalse(f.Send(Root + "set-current-limit", "{\"id\":\"x\"}"));
            Assert.AreEqual(CommandProcessor.ReasonMissingField, f.Reason());
            Assert.AreEqual("amps", f.Detail());
            Assert.AreEqual(0, f.Target.Calls);
        }

        [TestMethod]
        [DataRow("set-current-limit", "{\"id\":\"x\",\"amps\":16,\"force\":true}", "force")]
        [DataRow("pause", "{\"id\":\"x\",\"amps\":16}", "amps")]
        [DataRow("resume", "{\"id\":\"x\",\"why\":null}", "why")]
        public void CommandProcessor_UnknownMember_RejectedUnknownField(string command, string payload, string member)
        {
            var f = new Fixture();
            Assert.IsFalse(f.Send(Root + command, payload));
            Assert.AreEqual(CommandProcessor.ReasonUnknownField, f.Reason());
            Assert.AreEqual(member, f.Detail());
            Assert.AreEqual(0, f.Target.Calls);
        }

        [TestMethod]
        [DataRow("indra/SP2/cmd/pause")]
        [DataRow("indra/SP1/cmd/")]
        [DataRow("indra/SP1/cmd/pause/now")]
        [DataRow("indra/SP1/cmd/+")]
        [DataRow("indra/SP1/status")]
        [DataRow("indra/SP1/cmdpause")]
        [DataRow("")]
        public void CommandProcessor_WrongTopic_Rejected(string topic)
        {
            var f = new Fixture();
            Assert.IsFalse(f.Send(topic, "{\"id\":\"x\"}"));
            Assert.AreEqual(CommandProcessor.ReasonWrongTopic, f.Reason());
            Assert.AreEqual(0, f.Target.Calls);
            Assert.IsNull(f.Id());
            Assert.AreEqual(topic, f.ResultDoc.GetString(f.ResultDoc.Find(0, "topic")));
        }

        [TestMethod]
        public void CommandProcessor_NullTopic_RejectedWrongTopic()
        {
            var f = new Fixture();
            Assert.IsFalse(f.Send(null, "{\"id\":\"x\"}"));
            Assert.AreEqual(CommandProcessor.ReasonWrongTopic, f.Reason());
        }

        [TestMethod]
        public void CommandProcessor_UnknownCommand_RejectedWithId()
        {
            var f = new Fixture();
            Assert.IsFalse(f.Send(Root + "boost", "{\"id\":\"b7\"}"));
            Assert.AreEqual(CommandProcessor.ReasonUnknownCommand, f.Reason());
            Assert.AreEqual("b7", f.Id());
            Assert.AreEqual(0, f.Target.Calls);
        }

        [TestMethod]
        public void CommandProcessor_Oversized_RejectedUnread()
        {
            var f = new Fixture();
            var sb = new StringBuilder("{\"id\":\"x\",\"pad\":\"");
            while (sb.Length < CommandProcessor.MaxPayloadBytes)
            {
                sb.Append('a');
            }

            sb.Append("\"}");
            Assert.IsFalse(f.Send(Root + "pause", sb.ToString()));
            Assert.AreEqual(CommandProcessor.ReasonOversized, f.Reason());
            Assert.IsNull(f.Id());
            Assert.IsFalse(f.Target.Paused);
        }

        [TestMethod]
        [DataRow("")]
        [DataRow("{")]
        [DataRow("{\"id\":\"x\"} trailing")]
        [DataRow("{\"id\":\"x\",\"id\":\"y\"}")]
        [DataRow("pause")]
        public void CommandProcessor_InvalidJson_Rejected(string payload)
        {
            var f = new Fixture();
            Assert.IsFalse(f.Send(Root + "pause", payload));
            Assert.AreEqual(CommandProcessor.ReasonInvalidJson, f.Reason());
            Assert.IsNotNull(f.Detail());
            Assert.IsFalse(f.Target.Paused);
        }

        [TestMethod]
        public void CommandProcessor_NullPayload_RejectedInvalidJson()
        {
            var f = new Fixture();
            Assert.IsFalse(f.Send(Root + "pause", null));
            Assert.AreEqual(CommandProcessor.ReasonInvalidJson, f.Reason());
        }

        [TestMethod]
        [DataRow("[]")]
        [DataRow("\"pause\"")]
        [DataRow("1")]
        [DataRow("null")]
        public void CommandProcessor_NotAnObject_Rejected(string payload)
        {
            var f = new Fixture();
            Assert.IsFalse(f.Send(Root + "pause", payload));
            Assert.AreEqual(CommandProcessor.ReasonNotObject, f.Reason());
            Assert.IsFalse(f.Target.Paused);
        }

        [TestMethod]
        public void CommandProcessor_NoId_RejectedMissingId()
        {
            var f = new Fixture();
            Assert.IsFalse(f.Send(Root + "pause", "{}"));
            Assert.AreEqual(CommandProcessor.ReasonMissingId, f.Reason());
            Assert.IsFalse(f.Target.Paused);
        }

        [TestMethod]
        [DataRow("1")]
        [DataRow("\"\"")]
        [DataRow("null")]
        [DataRow("\"a\\u0000b\"")]
        [DataRow("\"12345678901234567890123456789012345678901234567890123456789012345\"")]
        public void CommandProcessor_BadId_RejectedBadId(string id)
        {
            var f = new Fixture();
            Assert.IsFalse(f.Send(Root + "pause", "{\"id\":" + id + "}"));
            Assert.AreEqual(CommandProcessor.ReasonBadId, f.Reason());
            Assert.IsNull(f.Id());
            Assert.IsFalse(f.Target.Paused);
        }

        [TestMethod]
        public void CommandProcessor_PauseThenResume_BothAccepted()
        {
            var f = new Fixture();
            Assert.IsTrue(f.Send(Root + "pause", "{\"id\":\"p\"}"));
            Assert.IsTrue(f.Target.Paused);
            Assert.IsTrue(f.Send(Root + "resume", "{\"id\":\"r\"}"));
            Assert.IsFalse(f.Target.Paused);
            Assert.AreEqual(2, f.Processor.AcceptedCount);
        }

        [TestMethod]
        public void CommandProcessor_ResetTripWithUnhealthyVoltages_RefusedWithChargerReason()
        {
            var f = new Fixture();
            f.Target.VoltagesHealthy = false;
            Assert.IsFalse(f.Send(Root + "reset-trip", "{\"id\":\"t\"}"));
            Assert.AreEqual(CommandProcessor.ReasonRefused, f.Reason());
            Assert.AreEqual("voltages-unhealthy", f.Detail());
            Assert.IsTrue(f.Target.TripLatched);
        }

        [TestMethod]
        public void CommandProcessor_ResetTripWithHealthyVoltages_Accepted()
        {
            var f = new Fixture();
            Assert.IsTrue(f.Send(Root + "reset-trip", "{\"id\":\"t\"}"));
            Assert.IsFalse(f.Target.TripLatched);
        }

        [TestMethod]
        public void CommandProcessor_TargetRefusesLimit_RejectedRefused()
        {
            var f = new Fixture();
            f.Target.Refusal = "not-commissioned";
            Assert.IsFalse(f.Send(Root + "set-current-limit", "{\"id\":\"x\",\"amps\":10}"));
            Assert.AreEqual(CommandProcessor.ReasonRefused, f.Reason());
            Assert.AreEqual("not-commissioned", f.Detail());
            Assert.AreEqual(-1, f.Target.LimitMilliamps);
        }

        [TestMethod]
        public void CommandProcessor_RefreshStatus_SetsRefreshRequest()
        {
            var f = new Fixture();
            Assert.IsFalse(f.Processor.RefreshRequested);
            Assert.IsTrue(f.Send(Root + "refresh-status", "{\"id\":\"s\"}"));
            Assert.IsTrue(f.Processor.RefreshRequested);
            f.Processor.ClearRefreshRequest();
            Assert.IsFalse(f.Processor.RefreshRequested);
            Assert.AreEqual(0, f.Target.Calls);
        }

        [TestMethod]
        public void CommandProcessor_IdWithQuotesAndUnicode_EchoedExactly()
        {
            var f = new Fixture();
            Assert.IsTrue(f.Send(Root + "pause", "{\"id\":\"a\\\"b\\u00e9\\uD83D\\uDE00\"}"));
            Assert.AreEqual("a\"b\u00e9\uD83D\uDE00", f.Id());
        }

        [TestMethod]
        public void CommandProcessor_Busy_WritesRejectionWithCommandNameAndId()
        {
            var topics = new MqttTopics("SP1");
            var w = new JsonWriter(1280);
            CommandProcessor.WriteUnqueued(topics, Root + "pause", Encoding.UTF8.GetBytes("{\"id\":\"p-17\"}"), CommandProcessor.NewDocument(), CommandProcessor.ReasonBusy, w);
            var doc = new JsonDocument(16, 2, 512);
            Assert.IsTrue(doc.Parse(w.Buffer, w.Length));
            Assert.AreEqual(CommandProcessor.ReasonBusy, doc.GetString(doc.Find(0, "reason")));
            Assert.AreEqual("pause", doc.GetString(doc.Find(0, "cmd")));
            Assert.AreEqual("p-17", doc.GetString(doc.Find(0, "id")));
            Assert.IsFalse(doc.GetBool(doc.Find(0, "accepted")));
        }

        [TestMethod]
        [DataRow("not json")]
        [DataRow("{\"id\":7}")]
        [DataRow("[1]")]
        public void CommandProcessor_BusyWithoutValidId_IdIsNull(string payload)
        {
            var topics = new MqttTopics("SP1");
            var w = new JsonWriter(1280);
            CommandProcessor.WriteUnqueued(topics, Root + "pause", Encoding.UTF8.GetBytes(payload), CommandProcessor.NewDocument(), CommandProcessor.ReasonBusy, w);
            var doc = new JsonDocument(16, 2, 512);
            Assert.IsTrue(doc.Parse(w.Buffer, w.Length));
            Assert.AreEqual(JsonKind.Null, doc.GetKind(doc.Find(0, "id")));
            Assert.AreEqual(CommandProcessor.ReasonBusy, doc.GetString(doc.Find(0, "reason")));
        }

        [TestMethod]
        [DataRow("")]
        [DataRow("a/b")]
        [DataRow("a+")]
        [DataRow("#")]
        [DataRow("123456789012345678901234567890123")]
        public void MqttTopics_SerialThatIsNotOneLevel_Throws(string serial)
        {
            Assert.ThrowsException(typeof(System.ArgumentException), () => new MqttTopics(serial));
        }

        [TestMethod]
        public void MqttTopics_Serial_BuildsContractTopics()
        {
            var t = new MqttTopics("SP-12_a");
            Assert.AreEqual("indra/SP-12_a/availability", t.Availability);
            Assert.AreEqual("indra/SP-12_a/status", t.Status);
            Assert.AreEqual("indra/SP-12_a/power", t.Power);
            Assert.AreEqual("indra/SP-12_a/event", t.Event);
            Assert.AreEqual("indra/SP-12_a/result", t.Result);
            Assert.AreEqual("indra/SP-12_a/cmd/#", t.CommandFilter);
            Assert.AreEqual(-1, t.GetCommandNameStart(t.Result));
        }
    }
}
