using System.Text;
using IndraSmartPro.Json;
using IndraSmartPro.Telemetry;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    [TestClass]
    public class JsonWriterTests
    {
        private static string Text(JsonWriter w) => Encoding.UTF8.GetString(w.Buffer, 0, w.Length);

        [TestMethod]
        public void JsonWriter_NestedObjectAndArray_PlacesCommas()
        {
            var w = new JsonWriter(256);
            w.BeginObject();
            w.Property("a", 1);
            w.Name("b");
            w.BeginArray();
            w.Number(1);
            w.Number(-2);
            w.BeginObject();
            w.EndObject();
            w.EndArray();
            w.PropertyBool("c", true);
            w.Name("d");
            w.Null();
            w.Property("e", "x");
            w.EndObject();
            Assert.AreEqual("{\"a\":1,\"b\":[1,-2,{}],\"c\":true,\"d\":null,\"e\":\"x\"}", Text(w));
            Assert.IsFalse(w.Overflowed);
        }

        [TestMethod]
        [DataRow(0L, "0")]
        [DataRow(7L, "7")]
        [DataRow(-7L, "-7")]
        [DataRow(1234567890123L, "1234567890123")]
        [DataRow(9223372036854775807L, "9223372036854775807")]
        [DataRow(-9223372036854775808L, "-9223372036854775808")]
        public void JsonWriter_Integer_WritesDecimalDigits(long value, string expected)
        {
            var w = new JsonWriter(64);
            w.Number(value);
            Assert.AreEqual(expected, Text(w));
        }

        [TestMethod]
        [DataRow(230125L, 3, "230.125")]
        [DataRow(5L, 3, "0.005")]
        [DataRow(-5L, 3, "-0.005")]
        [DataRow(-230100L, 3, "-230.100")]
        [DataRow(16000L, 3, "16.000")]
        [DataRow(42L, 0, "42")]
        [DataRow(-9223372036854775808L, 3, "-9223372036854775.808")]
        public void JsonWriter_Fixed_WritesExactDecimals(long scaled, int decimals, string expected)
        {
            var w = new JsonWriter(64);
            w.Fixed(scaled, decimals);
            Assert.AreEqual(expected, Text(w));
        }

        [TestMethod]
        public void JsonWriter_StringWithSpecials_EscapesThem()
        {
            var w = new JsonWriter(128);
            w.String("a\"b\\c\nd\te\u0001\u007f");
            Assert.AreEqual("\"a\\\"b\\\\c\\nd\\te\\u0001\\u007f\"", Text(w));
        }

        [TestMethod]
        public void JsonWriter_NonAscii_WritesUtf8AndEscapesLoneSurrogate()
        {
            var w = new JsonWriter(64);
            // A lone surrogate cannot live in a nanoFramework string (strings are UTF-8 there; the
            // literal becomes U+FFFD), so it goes through the char[] overload.
            char[] chars = new char[] { '\u00e9', '\u20ac', '\uD83D', '\uDE00', '\uD800' };
            w.String(chars, 0, chars.Length);
            byte[] expected = new byte[] { (byte)'"', 0xC3, 0xA9, 0xE2, 0x82, 0xAC, 0xF0, 0x9F, 0x98, 0x80, (byte)'\\', (byte)'u', (byte)'d', (byte)'8', (byte)'0', (byte)'0', (byte)'"' };
            Assert.AreEqual(expected.Length, w.Length);
            for (int i = 0; i < expected.Length; i++)
            {
                Assert.AreEqual((int)expected[i], (int)w.Buffer[i], "byte " + i);
            }
        }

        [TestMethod]
        public void JsonWriter_StringPart_WritesAtMostMaxChars()
        {
            var w = new JsonWriter(64);
            w.StringPart("indra/x/cmd/pause", 12, 3);
            Assert.AreEqual("\"pau\"", Text(w));
        }

        [TestMethod]
        public void JsonWriter_TooLong_SetsOverflowedAndStopsAtCapacity()
        {
            var w = new JsonWriter(16);
            w.BeginObject();
            w.Property("name", "a long value that does not fit");
            w.EndObject();
            Assert.IsTrue(w.Overflowed);
            Assert.AreEqual(16, w.Length);
            w.Reset();
            Assert.IsFalse(w.Overflowed);
            Assert.AreEqual(0, w.Length);
        }

        [TestMethod]
        public void JsonWriter_Output_ParsesBackWithJsonDocument()
        {
            var w = new JsonWriter(256);
            w.BeginObject();
            w.Property("s", "q\"\\/\u00e9\uD83D\uDE00\u0002");
            w.PropertyFixed("f", -1234, 2);
            w.EndObject();
            var doc = new JsonDocument(8, 2, 64);
            Assert.IsTrue(doc.Parse(w.Buffer, w.Length), doc.Error);
            Assert.IsTrue(doc.StringEquals(doc.Find(0, "s"), "q\"\\/\u00e9\uD83D\uDE00\u0002"));
            long value;
            Assert.IsTrue(doc.TryGetScaled(doc.Find(0, "f"), 2, out value));
            Assert.AreEqual(-1234L, value);
        }
    }
}
