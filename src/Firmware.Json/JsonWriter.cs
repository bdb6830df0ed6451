using System;

namespace IndraSmartPro.Json
{
    /// <summary>
    /// Writes compact UTF-8 JSON into one buffer made in the constructor, so building a status or
    /// an event allocates nothing. Commas are placed automatically. When a value would not fit,
    /// the writer stops writing and sets <see cref="Overflowed"/>; the caller then discards the
    /// output (or writes a shorter form), so a truncated document is never sent.
    /// </summary>
    public sealed class JsonWriter
    {
        private const string HexDigits = "0123456789abcdef";

        private readonly byte[] _buffer;
        private int _length;
        private bool _overflowed;
        private bool _needComma;

        /// <summary>Creates a writer with a fixed capacity in bytes.</summary>
        public JsonWriter(int capacityBytes)
        {
            if (capacityBytes < 16)
            {
                throw new ArgumentOutOfRangeException("capacityBytes");
            }

            _buffer = new byte[capacityBytes];
        }

        /// <summary>The output; valid bytes are [0, <see cref="Length"/>).</summary>
        public byte[] Buffer => _buffer;

        /// <summary>Number of bytes written.</summary>
        public int Length => _length;

        /// <summary>Capacity in bytes.</summary>
        public int Capacity => _buffer.Length;

        /// <summary>True when something did not fit; the output is then incomplete.</summary>
        public bool Overflowed => _overflowed;

        /// <summary>Empties the writer for the next document.</summary>
        public void Reset()
        {
            _length = 0;
            _overflowed = false;
            _needComma = false;
        }

        /// <summary>Starts an object (as a value).</summary>
        public void BeginObject()
        {
            BeforeValue();
            Raw('{');
            _needComma = false;
        }

        /// <summary>Ends the current object.</summary>
        public void EndObject()
        {
            Raw('}');
            _needComma = true;
        }

        /// <summary>Starts an array (as a value).</summary>
        public void BeginArray()
        {
            BeforeValue();
            Raw('[');
            _needComma = false;
        }

        /// <summary>Ends the current array.</summary>
        public void EndArray()
        {
            Raw(']');
            _needComma = true;
        }

        /// <summary>Writes a member name; the next call writes its value.</summary>
        public void Name(string name)
        {
            if (_needComma)
            {
                Raw(',');
            }

            WriteQuoted(name, 0, name.Length);
            Raw(':');
            _needComma = false;
        }

        /// <summary>Writes a string value, or null.</summary>
        public void String(string value)
        {
            if (value == null)
            {
                Null();
                return;
            }

            BeforeValue();
            WriteQuoted(value, 0, value.Length);
            _needComma = true;
        }

        /// <summary>
        /// Writes at most <paramref name="maxChars"/> characters of <paramref name="value"/> from
        /// <paramref name="start"/> as a string value (null writes null).
        /// </summary>
        public void StringPart(string value, int start, int maxChars)
        {
            if (value == null)
            {
                Null();
                return;
            }

            BeforeValue();
            int available = value.Length - start;
            if (available < 0)
            {
                available = 0;
                start = value.Length;
            }

            WriteQuoted(value, start, available < maxChars ? available : maxChars);
            _needComma = true;
        }

        /// <summary>Writes a string value from characters.</summary>
        public void String(char[] chars, int start, int length)
        {
            BeforeValue();
            Raw('"');
            for (int i = 0; i < length; i++)
            {
                WriteChar(chars, start + i, start + length);
                if (i + 1 < length && IsHighSurrogate(chars[start + i]) && IsLowSurrogate(chars[start + i + 1]))
                {
                    i++;
                }
            }

            Raw('"');
            _needComma = true;
        }

        /// <summary>Writes an integer value.</summary>
        public void Number(long value)
        {
            BeforeValue();
            WriteInteger(value);
            _needComma = true;
        }

        /// <summary>
        /// Writes a fixed-point value: <paramref name="scaled"/> / 10^<paramref name="decimals"/>
        /// with exactly that many decimals, e.g. (230125, 3) → 230.125. Integer arithmetic only.
        /// </summary>
        public void Fixed(long scaled, int decimals)
        {
            BeforeValue();
            if (decimals <= 0)
            {
                WriteInteger(scaled);
                _needComma = true;
                return;
            }

            long divisor = 1;
            for (int i = 0; i < decimals; i++)
            {
                divisor *= 10;
            }

            // Work with the magnitude as a negative number so long.MinValue does not overflow.
            bool negative = scaled < 0;
            long negativeMagnitude = negative ? scaled : -scaled;
            long whole = negativeMagnitude / divisor;
            long fraction = -(negativeMagnitude - (whole * divisor));
            if (negative)
            {
                Raw('-');
            }

            WriteNegativeAsPositive(whole);
            Raw('.');
            long place = divisor / 10;
            while (place > 0)
            {
                Raw((char)('0' + (int)(fraction / place)));
                fraction %= place;
                place /= 10;
            }

            _needComma = true;
        }

        /// <summary>Writes true or false.</summary>
        public void Bool(bool value)
        {
            BeforeValue();
            RawAscii(value ? "true" : "false");
            _needComma = true;
        }

        /// <summary>Writes null.</summary>
        public void Null()
        {
            BeforeValue();
            RawAscii("null");
            _needComma = true;
        }

        /// <summary>Writes "name":"value" (null value writes null).</summary>
        public void Property(string name, string value)
        {
            Name(name);
            String(value);
        }

        /// <summary>Writes "name":value.</summary>
        public void Property(string name, long value)
        {
            Name(name);
            Number(value);
        }

        /// <summary>Writes "name":true|false.</summary>
        public void PropertyBool(string name, bool value)
        {
            Name(name);
            Bool(value);
        }

        /// <summary>Writes "name":fixed-point value (see <see cref="Fixed"/>).</summary>
        public void PropertyFixed(string name, long scaled, int decimals)
        {
            Name(name);
            Fixed(scaled, decimals);
        }

        /// <summary>Copies the output into <paramref name="destination"/>; returns the length, or -1 if it does not fit.</summary>
        public int CopyTo(byte[] destination)
        {
            if (destination.Length < _length)
            {
                return -1;
            }

            Array.Copy(_buffer, destination, _length);
            return _length;
        }

        /// <summary>Writes <paramref name="length"/> bytes of already-valid JSON (one value, UTF-8) from <paramref name="offset"/> as the next value.</summary>
        public void RawValue(byte[] json, int offset, int length)
        {
            BeforeValue();
            for (int i = 0; i < length; i++)
            {
                RawByte(json[offset + i]);
            }

            _needComma = true;
        }

        private void BeforeValue()
        {
            if (_needComma)
            {
                Raw(',');
            }
        }

        private void WriteInteger(long value)
        {
            if (value < 0)
            {
                Raw('-');
                WriteNegativeAsPositive(value);
            }
            else
            {
                WriteNegativeAsPositive(-value);
            }
        }

        // Writes the digits of -negativeValue (negativeValue <= 0), most significant first.
        private void WriteNegativeAsPositive(long negativeValue)
        {
            if (negativeValue == 0)
            {
                Raw('0');
                return;
            }

            long place = -1;
            long rest = negativeValue;
            while (rest <= -10)
            {
                rest /= 10;
                place *= 10;
            }

            // place is now -(10^(digits-1)); each quotient is a digit 0..9.
            while (place != 0)
            {
                long digit = negativeValue / place;
                Raw((char)('0' + (int)digit));
                negativeValue -= digit * place;
                place /= 10;
            }
        }

        private void WriteQuoted(string value, int start, int length)
        {
            Raw('"');
            int end = start + length;
            byte[] buffer = _buffer;
            for (int i = start; i < end; i++)
            {
                char c = value[i];

                // Fast path for printable ASCII that needs no escape: one store, no call. On
                // nanoCLR (an interpreter) a call per byte is most of the cost of a status.
                if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && _length < buffer.Length)
                {
                    buffer[_length++] = (byte)c;
                    continue;
                }

                if (IsHighSurrogate(c) && i + 1 < end)
                {
                    // nanoCLR's string indexer never returns the low half of a pair (it repeats the
                    // high half), so the pair is read with ToCharArray; allocates only for non-BMP text.
                    char[] pair = value.ToCharArray(i, 2);
                    if (IsLowSurrogate(pair[1]))
                    {
                        WritePair(pair[0], pair[1]);
                        i++;
                    }
                    else
                    {
                        WriteSingle(c);
                    }
                }
                else
                {
                    WriteSingle(c);
                }
            }

            Raw('"');
        }

        private void WriteChar(char[] chars, int index, int end)
        {
            char c = chars[index];
            if (IsHighSurrogate(c) && index + 1 < end && IsLowSurrogate(chars[index + 1]))
            {
                WritePair(c, chars[index + 1]);
            }
            else
            {
                WriteSingle(c);
            }
        }

        private void WriteSingle(char c)
        {
            switch (c)
            {
                case '"':
                    Raw('\\');
                    Raw('"');
                    return;
                case '\\':
                    Raw('\\');
                    Raw('\\');
                    return;
                case '\n':
                    Raw('\\');
                    Raw('n');
                    return;
                case '\r':
                    Raw('\\');
                    Raw('r');
                    return;
                case '\t':
                    Raw('\\');
                    Raw('t');
                    return;
            }

            if (c < 0x20 || c == 0x7F || IsHighSurrogate(c) || IsLowSurrogate(c))
            {
                // Control characters and unpaired surrogates are escaped, so the output is
                // always valid UTF-8 and printable.
                Raw('\\');
                Raw('u');
                Raw(HexDigits[(c >> 12) & 0xF]);
                Raw(HexDigits[(c >> 8) & 0xF]);
                Raw(HexDigits[(c >> 4) & 0xF]);
                Raw(HexDigits[c & 0xF]);
            }
            else if (c < 0x80)
            {
                Raw(c);
            }
            else if (c < 0x800)
            {
                RawByte((byte)(0xC0 | (c >> 6)));
                RawByte((byte)(0x80 | (c & 0x3F)));
            }
            else
            {
                RawByte((byte)(0xE0 | (c >> 12)));
                RawByte((byte)(0x80 | ((c >> 6) & 0x3F)));
                RawByte((byte)(0x80 | (c & 0x3F)));
            }
        }

        private void WritePair(char high, char low)
        {
            int codePoint = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
            RawByte((byte)(0xF0 | (codePoint >> 18)));
            RawByte((byte)(0x80 | ((codePoint >> 12) & 0x3F)));
            RawByte((byte)(0x80 | ((codePoint >> 6) & 0x3F)));
            RawByte((byte)(0x80 | (codePoint & 0x3F)));
        }

        private static bool IsHighSurrogate(char c) => c >= 0xD800 && c <= 0xDBFF;

        private static bool IsLowSurrogate(char c) => c >= 0xDC00 && c <= 0xDFFF;

        private void RawAscii(string s)
        {
            for (int i = 0; i < s.Length; i++)
            {
                Raw(s[i]);
            }
        }

        private void Raw(char c) => RawByte((byte)c);

        private void RawByte(byte b)
        {
            if (_length >= _buffer.Length)
            {
                _overflowed = true;
                return;
            }

            _buffer[_length++] = b;
        }
    }
}
