using System.Text;
using IndraSmartPro.Json;
using IndraSmartPro.Telemetry;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    [TestClass]
    public class JsonDocumentTests
    {
        private static JsonDocument NewDocument() => new JsonDocument(16, 3, 128);

        private static bool Parse(JsonDocument doc, string json)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(json);
            return doc.Parse(bytes, bytes.Length);
        }

        [TestMethod]
        public void JsonDocument_FlatObject_ReadsEveryKind()
        {
            var doc = NewDocument();
            Assert.IsTrue(Parse(doc, " {\"id\":\"a1\", \"amps\" : 16.5,\"on\":true,\"off\":false,\"n\":null,\"list\":[1,\"x\"],\"o\":{}}\r\n"), doc.Error);
            Assert.AreEqual((int)JsonKind.Object, (int)doc.GetKind(0));
            Assert.AreEqual(7, doc.GetChildCount(0));
            Assert.IsTrue(doc.StringEquals(doc.Find(0, "id"), "a1"));
            Assert.AreEqual("a1", doc.GetString(doc.Find(0, "id")));
            long milliamps;
            Assert.IsTrue(doc.TryGetScaled(doc.Find(0, "amps"), 3, out milliamps));
            Assert.AreEqual(16500L, milliamps);
            Assert.IsTrue(doc.GetBool(doc.Find(0, "on")));
            Assert.IsFalse(doc.GetBool(doc.Find(0, "off")));
            Assert.AreEqual((int)JsonKind.Null, (int)doc.GetKind(doc.Find(0, "n")));
            int list = doc.Find(0, "list");
            Assert.AreEqual((int)JsonKind.Array, (int)doc.GetKind(list));
            Assert.AreEqual(2, doc.GetChildCount(list));
            Assert.AreEqual((int)JsonKind.Object, (int)doc.GetKind(doc.Find(0, "o")));
            Assert.AreEqual(-1, doc.Find(0, "missing"));
        }

        [TestMethod]
        [DataRow("", JsonDocument.ErrorEmpty)]
        [DataRow("   ", JsonDocument.ErrorEmpty)]
        [DataRow("{\"a\":1} x", JsonDocument.ErrorTrailingData)]
        [DataRow("{\"a\":1}{}", JsonDocument.ErrorTrailingData)]
        [DataRow("{\"a\":1,\"a\":2}", JsonDocument.ErrorDuplicateKey)]
        [DataRow("{\"a\":1,}", JsonDocument.ErrorUnexpectedCharacter)]
        [DataRow("{a:1}", JsonDocument.ErrorUnexpectedCharacter)]
        [DataRow("{'a':1}", JsonDocument.ErrorUnexpectedCharacter)]
        [DataRow("[1,]", JsonDocument.ErrorUnexpectedCharacter)]
        [DataRow("{\"a\" 1}", JsonDocument.ErrorUnexpectedCharacter)]
        [DataRow("{\"a\":1", JsonDocument.ErrorUnexpectedEnd)]
        [DataRow("{\"a\":\"b", JsonDocument.ErrorUnexpectedEnd)]
        [DataRow("01", JsonDocument.ErrorBadNumber)]
        [DataRow("-", JsonDocument.ErrorBadNumber)]
        [DataRow("1.", JsonDocument.ErrorBadNumber)]
        [DataRow("1e", JsonDocument.ErrorBadNumber)]
        [DataRow("+1", JsonDocument.ErrorUnexpectedCharacter)]
        [DataRow(".5", JsonDocument.ErrorUnexpectedCharacter)]
        [DataRow("NaN", JsonDocument.ErrorUnexpectedCharacter)]
        [DataRow("tru", JsonDocument.ErrorUnexpectedEnd)]
        [DataRow("nul1", JsonDocument.ErrorUnexpectedCharacter)]
        [DataRow("\"a\\x\"", JsonDocument.ErrorBadEscape)]
        [DataRow("\"\\u12G4\"", JsonDocument.ErrorBadEscape)]
        [DataRow("\"\\uD800\"", JsonDocument.ErrorBadEscape)]
        [DataRow("\"\\uDC00\"", JsonDocument.ErrorBadEscape)]
        [DataRow("\"a\tb\"", JsonDocument.ErrorControlCharacter)]
        [DataRow("[[[[1]]]]", JsonDocument.ErrorTooDeep)]
        [DataRow("{\"a\":{\"b\":{\"c\":{}}}}", JsonDocument.ErrorTooDeep)]
        [DataRow("[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16]", JsonDocument.ErrorTooManyValues)]
        public void JsonDocument_Invalid_RejectedWithReason(string json, string error)
        {
            var doc = NewDocument();
            Assert.IsFalse(Parse(doc, json));
            Assert.AreEqual(error, doc.Error);
            Assert.AreEqual(0, doc.ValueCount);
        }

        [TestMethod]
        public void JsonDocument_InvalidUtf8_Rejected()
        {
            var doc = NewDocument();
            byte[][] cases = new byte[][]
            {
                new byte[] { (byte)'"', 0xC0, 0x80, (byte)'"' },             // overlong NUL
                new byte[] { (byte)'"', 0xED, 0xA0, 0x80, (byte)'"' },       // encoded surrogate
                new byte[] { (byte)'"', 0xF4, 0x90, 0x80, 0x80, (byte)'"' }, // above U+10FFFF
                new byte[] { (byte)'"', 0x80, (byte)'"' },                   // lone continuation
                new byte[] { (byte)'"', 0xE2, 0x82, (byte)'"' },             // truncated
                new byte[] { 0xEF, 0xBB, 0xBF, (byte)'1' },                  // byte order mark
            };
            for (int i = 0; i < cases.Length; i++)
            {
                Assert.IsFalse(doc.Parse(cases[i], cases[i].Length), "case " + i);
                string expected = i == cases.Length - 1 ? JsonDocument.ErrorUnexpectedCharacter : JsonDocument.ErrorInvalidUtf8;
                Assert.AreEqual(expected, doc.Error, "case " + i);
            }
        }

        [TestMethod]
        public void JsonDocument_Utf8AndEscapes_Decoded()
        {
            var doc = NewDocument();
            byte[] bytes = new byte[] { (byte)'"', 0xC3, 0xA9, (byte)'\\', (byte)'u', (byte)'0', (byte)'0', (byte)'4', (byte)'1', 0xF0, 0x9F, 0x98, 0x80, (byte)'\\', (byte)'n', (byte)'"' };
            Assert.IsTrue(doc.Parse(bytes, bytes.Length), doc.Error);
            Assert.IsTrue(doc.StringEquals(0, "\u00e9A\uD83D\uDE00\n"));
        }

        [TestMethod]
        public void JsonDocument_StringsLongerThanBuffer_Rejected()
        {
            var doc = new JsonDocument(4, 1, 4);
            Assert.IsFalse(Parse(doc, "\"abcde\""));
            Assert.AreEqual(JsonDocument.ErrorStringsTooLong, doc.Error);
        }

        [TestMethod]
        [DataRow("16", 3, 16000L)]
        [DataRow("16.5", 3, 16500L)]
        [DataRow("1.65e1", 3, 16500L)]
        [DataRow("1650E-2", 3, 16500L)]
        [DataRow("-0", 3, 0L)]
        [DataRow("0.000", 0, 0L)]
        [DataRow("-32.125", 3, -32125L)]
        [DataRow("123456789012345678900", 0, 0L)]
        public void JsonDocument_Number_ReadExactly(string json, int decimals, long expected)
        {
            var doc = NewDocument();
            Assert.IsTrue(Parse(doc, json), doc.Error);
            long value;
            bool ok = doc.TryGetScaled(0, decimals, out value);
            if (json == "123456789012345678900")
            {
                Assert.IsFalse(ok, "does not fit a long");
                return;
            }

            Assert.IsTrue(ok);
            Assert.AreEqual(expected, value);
        }

        [TestMethod]
        [DataRow("16.0001")]
        [DataRow("1e400")]
        [DataRow("12345678901234567891")]
        [DataRow("0.1e-3")]
        public void JsonDocument_NumberTooPreciseOrLarge_NotReadable(string json)
        {
            var doc = NewDocument();
            Assert.IsTrue(Parse(doc, json), doc.Error);
            long value;
            Assert.IsFalse(doc.TryGetScaled(0, 3, out value));
        }

        [TestMethod]
        public void JsonDocument_HugeExponentOfZero_ReadsZero()
        {
            var doc = NewDocument();
            Assert.IsTrue(Parse(doc, "0e999999999"), doc.Error);
            long value;
            Assert.IsTrue(doc.TryGetScaled(0, 3, out value));
            Assert.AreEqual(0L, value);
        }

        [TestMethod]
        public void JsonDocument_Reused_ForgetsPreviousDocument()
        {
            var doc = NewDocument();
            Assert.IsTrue(Parse(doc, "{\"a\":\"x\",\"b\":2}"));
            Assert.IsTrue(Parse(doc, "{\"c\":3}"));
            Assert.AreEqual(-1, doc.Find(0, "a"));
            Assert.AreEqual(2, doc.ValueCount);
            int value;
            Assert.IsTrue(doc.TryGetInt32(doc.Find(0, "c"), out value));
            Assert.AreEqual(3, value);
        }
    }
}
