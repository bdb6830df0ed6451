using System.Text;
using IndraSmartPro.Persistence;
using IndraSmartPro.Telemetry;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    [TestClass]
    public class MqttCommissioningTests
    {
        private static bool Parse(string json, out MqttCommissioning settings, out string problem)
        {
            byte[] b = Encoding.UTF8.GetBytes(json);
            return MqttCommissioning.TryParse(b, b.Length, "SP1", out settings, out problem);
        }

        [TestMethod]
        public void MqttCommissioning_CompleteRecord_Parsed()
        {
            MqttCommissioning s;
            string problem;
            Assert.IsTrue(Parse("{\"host\":\"mqtt.example.net\",\"port\":8884,\"user\":\"dev-SP1\",\"password\":\"k3J9x-Qm2vT8wLp4\"}", out s, out problem));
            Assert.AreEqual("mqtt.example.net", s.Host);
            Assert.AreEqual(8884, s.Port);
            Assert.AreEqual("dev-SP1", s.ToLinkOptions().UserName);
            Assert.AreEqual("k3J9x-Qm2vT8wLp4", s.ToLinkOptions().Password);
        }

        [TestMethod]
        public void MqttCommissioning_NoPort_Defaults8883()
        {
            MqttCommissioning s;
            string problem;
            Assert.IsTrue(Parse("{\"host\":\"h\",\"user\":\"u\",\"password\":\"0123456789abcdef\"}", out s, out problem));
            Assert.AreEqual(8883, s.Port);
        }

        [TestMethod]
        [DataRow("{\"host\":\"h\",\"user\":\"u\"}")]
        [DataRow("{\"host\":\"h\",\"user\":\"u\",\"password\":\"\"}")]
        [DataRow("{\"host\":\"h\",\"user\":\"u\",\"password\":\"short\"}")]
        [DataRow("{\"host\":\"h\",\"user\":\"u\",\"password\":12345678901234567}")]
        public void MqttCommissioning_MissingOrWeakPassword_Refused(string json)
        {
            MqttCommissioning s;
            string problem;
            Assert.IsFalse(Parse(json, out s, out problem));
            Assert.AreEqual(MqttCommissioning.ProblemWeakPassword, problem);
            Assert.IsNull(s);
        }

        [TestMethod]
        [DataRow("")]
        [DataRow("[]")]
        [DataRow("{\"user\":\"u\",\"password\":\"0123456789abcdef\"}")]
        [DataRow("{\"host\":\"\",\"user\":\"u\",\"password\":\"0123456789abcdef\"}")]
        [DataRow("{\"host\":\"h\",\"password\":\"0123456789abcdef\"}")]
        [DataRow("{\"host\":\"h\",\"user\":\"u\",\"password\":\"0123456789abcdef\",\"tls\":false}")]
        [DataRow("{\"host\":\"h\",\"port\":0,\"user\":\"u\",\"password\":\"0123456789abcdef\"}")]
        [DataRow("{\"host\":\"h\",\"port\":70000,\"user\":\"u\",\"password\":\"0123456789abcdef\"}")]
        public void MqttCommissioning_InvalidRecord_Refused(string json)
        {
            MqttCommissioning s;
            string problem;
            Assert.IsFalse(Parse(json, out s, out problem));
            Assert.AreEqual(MqttCommissioning.ProblemInvalidRecord, problem);
        }

        [TestMethod]
        public void MqttCommissioning_FromStore_NeedsBothRecords()
        {
            var store = new MemoryStore();
            MqttCommissioning s;
            string problem;
            Assert.IsFalse(MqttCommissioning.TryLoad(store, "SP1", out s, out problem));
            Assert.AreEqual(MqttCommissioning.ProblemNotCommissioned, problem);

            byte[] record = Encoding.UTF8.GetBytes("{\"host\":\"h\",\"user\":\"u\",\"password\":\"0123456789abcdef\"}");
            store.Write(MqttCommissioning.SettingsKey, record, record.Length);
            Assert.IsFalse(MqttCommissioning.TryLoad(store, "SP1", out s, out problem));
            Assert.AreEqual(MqttCommissioning.ProblemNoCaCertificate, problem);

            byte[] ca = Encoding.UTF8.GetBytes("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n");
            store.Write(MqttCommissioning.CaCertificateKey, ca, ca.Length);
            Assert.IsTrue(MqttCommissioning.TryLoad(store, "SP1", out s, out problem));
            Assert.AreEqual(ca.Length, s.CaCertificatePem.Length);
        }
    }
}
