using System.Text;
using IndraSmartPro.Features.Curtailment;
using IndraSmartPro.Json;
using IndraSmartPro.Telemetry;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    /// <summary>The set-solar-mode command (docs/mqtt.md): validated before anything is done; one result per message.</summary>
    [TestClass]
    public class SolarModeCommandTests
    {
        private sealed class ModeTarget : ISolarModeTarget
        {
            public int Calls;
            public SolarMode Mode = SolarMode.Fast;
            public string Refusal;

            public bool SetSolarMode(long nowMicroseconds, SolarMode mode, out string refusal)
            {
                Calls++;
                refusal = Refusal;
                if (Refusal != null)
                {
                    return false;
                }

                Mode = mode;
                return true;
            }
        }

        private static string Send(CommandProcessor processor, string payload, out bool accepted)
        {
            var message = new InboundMessage(CommandProcessor.MaxPayloadBytes);
            var result = new JsonWriter(1280);
            message.Set("indra/SP1/cmd/set-solar-mode", Encoding.UTF8.GetBytes(payload));
            accepted = processor.Process(1000, message, result);
            var doc = new JsonDocument(16, 2, 1024);
            Assert.IsTrue(doc.Parse(result.Buffer, result.Length));
            int reason = doc.Find(0, "reason");
            return reason < 0 ? null : doc.GetString(reason);
        }

        private static CommandProcessor Create(ModeTarget target)
        {
            var processor = new CommandProcessor(new MqttTopics("SP1"), new CommandProcessorTests.RecordingTarget(), 6000, 32000);
            processor.SolarModeTarget = target;
            return processor;
        }

        [TestMethod]
        [DataRow("fast", 0)]
        [DataRow("eco", 1)]
        [DataRow("eco-plus", 2)]
        public void SetSolarMode_EachMode_AcceptedAndApplied(string name, int mode)
        {
            var target = new ModeTarget();
            target.Mode = SolarMode.EcoPlus;
            bool accepted;
            Assert.IsNull(Send(Create(target), "{\"id\":\"m1\",\"mode\":\"" + name + "\"}", out accepted));
            Assert.IsTrue(accepted);
            Assert.AreEqual(mode, (int)target.Mode);
        }

        [TestMethod]
        [DataRow("{\"id\":\"m1\",\"mode\":\"turbo\"}", "out-of-range")]
        [DataRow("{\"id\":\"m1\",\"mode\":1}", "wrong-type")]
        [DataRow("{\"id\":\"m1\"}", "missing-field")]
        [DataRow("{\"id\":\"m1\",\"mode\":\"eco\",\"x\":1}", "unknown-field")]
        public void SetSolarMode_BadInput_RejectedAndNothingChanges(string payload, string reason)
        {
            var target = new ModeTarget();
            bool accepted;
            Assert.AreEqual(reason, Send(Create(target), payload, out accepted));
            Assert.IsFalse(accepted);
            Assert.AreEqual(0, target.Calls);
        }

        [TestMethod]
        public void SetSolarMode_TargetRefuses_RejectedWithItsReason()
        {
            var target = new ModeTarget();
            target.Refusal = "ct-not-fitted";
            bool accepted;
            Assert.AreEqual("refused", Send(Create(target), "{\"id\":\"m1\",\"mode\":\"eco\"}", out accepted));
            Assert.IsFalse(accepted);
        }

        [TestMethod]
        public void SetSolarMode_NoTarget_UnknownCommand()
        {
            var processor = new CommandProcessor(new MqttTopics("SP1"), new CommandProcessorTests.RecordingTarget(), 6000, 32000);
            bool accepted;
            Assert.AreEqual("unknown-command", Send(processor, "{\"id\":\"m1\",\"mode\":\"eco\"}", out accepted));
        }
    }
}
