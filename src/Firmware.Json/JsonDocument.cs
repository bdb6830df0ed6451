using System;

namespace IndraSmartPro.Json
{
    /// <summary>The kind of a parsed JSON value.</summary>
    public enum JsonKind
    {
        /// <summary>An object.</summary>
        Object = 0,
        /// <summary>An array.</summary>
        Array = 1,
        /// <summary>A string.</summary>
        String = 2,
        /// <summary>A number.</summary>
        Number = 3,
        /// <summary>true or false.</summary>
        Bool = 4,
        /// <summary>null.</summary>
        Null = 5,
    }

    /// <summary>
    /// A small strict JSON parser for command payloads (RFC 8259), reusable and bounded: at most
    /// a given number of values, nesting depth and decoded string characters, all sized in the
    /// constructor so parsing allocates nothing. Strict: rejects trailing data, duplicate member
    /// names, leading zeros, invalid UTF-8, unpaired surrogates, raw control characters in
    /// strings, and anything else RFC 8259 does not allow. Values are numbered in document order;
    /// value 0 is the root. Numbers are kept exactly as mantissa × 10^exponent, so a value is read
    /// in integer units without floating point (<see cref="TryGetScaled"/>).
    /// </summary>
    public sealed class JsonDocument
    {
        /// <summary>Error: no value at all.</summary>
        public const string ErrorEmpty = "empty";
        /// <summary>Error: input ended inside a value.</summary>
        public const string ErrorUnexpectedEnd = "unexpected-end";
        /// <summary>Error: a character that cannot start or continue a value here.</summary>
        public const string ErrorUnexpectedCharacter = "unexpected-character";
        /// <summary>Error: something follows the root value.</summary>
        public const string ErrorTrailingData = "trailing-data";
        /// <summary>Error: malformed number.</summary>
        public const string ErrorBadNumber = "bad-number";
        /// <summary>Error: unknown or malformed escape, or an unpaired surrogate.</summary>
        public const string ErrorBadEscape = "bad-escape";
        /// <summary>Error: raw control character inside a string.</summary>
        public const string ErrorControlCharacter = "control-character";
        /// <summary>Error: bytes that are not valid UTF-8.</summary>
        public const string ErrorInvalidUtf8 = "invalid-utf8";
        /// <summary>Error: a member name appears twice in one object.</summary>
        public const string ErrorDuplicateKey = "duplicate-key";
        /// <summary>Error: nested deeper than allowed.</summary>
        public const string ErrorTooDeep = "too-deep";
        /// <summary>Error: more values than allowed.</summary>
        public const string ErrorTooManyValues = "too-many-values";
        /// <summary>Error: decoded strings longer than allowed in total.</summary>
        public const string ErrorStringsTooLong = "strings-too-long";

        // Mantissas stay below 10^17 so one more digit still fits a long.
        private const long MantissaLimit = 100000000000000000L;

        private readonly int _maxValues;
        private readonly int _maxDepth;
        private readonly int[] _kind;
        private readonly int[] _parent;
        private readonly int[] _nameStart;
        private readonly int[] _nameLength;
        private readonly int[] _stringStart;
        private readonly int[] _stringLength;
        private readonly long[] _mantissa;
        private readonly int[] _exponent;
        private readonly bool[] _inexact;
        private readonly char[] _chars;

        private byte[] _input;
        private int _end;
        private int _position;
        private int _count;
        private int _charCount;
        private string _error;
        private int _errorOffset;

        /// <summary>Creates a parser with fixed bounds.</summary>
        /// <param name="maxValues">Most values (every object, array, member value, element) in one document.</param>
        /// <param name="maxDepth">Deepest nesting; 1 allows a flat object of scalars.</param>
        /// <param name="maxStringChars">Most decoded characters over all strings and names.</param>
        public JsonDocument(int maxValues, int maxDepth, int maxStringChars)
        {
            if (maxValues < 1 || maxDepth < 1 || maxStringChars < 1)
            {
                throw new ArgumentOutOfRangeException();
            }

            _maxValues = maxValues;
            _maxDepth = maxDepth;
            _kind = new int[maxValues];
            _parent = new int[maxValues];
            _nameStart = new int[maxValues];
            _nameLength = new int[maxValues];
            _stringStart = new int[maxValues];
            _stringLength = new int[maxValues];
            _mantissa = new long[maxValues];
            _exponent = new int[maxValues];
            _inexact = new bool[maxValues];
            _chars = new char[maxStringChars];
        }

        /// <summary>Why the last <see cref="Parse"/> failed (one of the Error constants), or null.</summary>
        public string Error => _error;

        /// <summary>Byte offset where the last <see cref="Parse"/> failed.</summary>
        public int ErrorOffset => _errorOffset;

        /// <summary>Number of values in the document after a successful parse.</summary>
        public int ValueCount => _count;

        /// <summary>Decoded characters of strings and names; see <see cref="GetStringStart"/>.</summary>
        public char[] Chars => _chars;

        /// <summary>Parses <paramref name="length"/> bytes of UTF-8. Returns false with <see cref="Error"/> set on any violation.</summary>
        public bool Parse(byte[] utf8, int length)
        {
            _input = utf8;
            _end = length;
            _position = 0;
            _count = 0;
            _charCount = 0;
            _error = null;
            _errorOffset = 0;
            if (utf8 == null || length <= 0 || length > utf8.Length)
            {
                return Fail(ErrorEmpty);
            }

            SkipWhitespace();
            if (_position == _end)
            {
                return Fail(ErrorEmpty);
            }

            if (!ParseValue(-1, -1, 0, 1))
            {
                _count = 0;
                return false;
            }

            SkipWhitespace();
            if (_position != _end)
            {
                _count = 0;
                return Fail(ErrorTrailingData);
            }

            return true;
        }

        /// <summary>The kind of a value.</summary>
        public JsonKind GetKind(int value) => (JsonKind)_kind[value];

        /// <summary>The containing object or array of a value; -1 for the root.</summary>
        public int GetParent(int value) => _parent[value];

        /// <summary>True when the value is a member of an object (it has a name).</summary>
        public bool HasName(int value) => _nameLength[value] >= 0;

        /// <summary>Start of the member name in <see cref="Chars"/>.</summary>
        public int GetNameStart(int value) => _nameStart[value];

        /// <summary>Length of the member name in characters.</summary>
        public int GetNameLength(int value) => _nameLength[value];

        /// <summary>Start of a string value in <see cref="Chars"/>.</summary>
        public int GetStringStart(int value) => _stringStart[value];

        /// <summary>Length of a string value in characters.</summary>
        public int GetStringLength(int value) => _stringLength[value];

        /// <summary>The boolean of a Bool value.</summary>
        public bool GetBool(int value) => _mantissa[value] != 0;

        /// <summary>The member of <paramref name="objectValue"/> named <paramref name="name"/>, or -1.</summary>
        public int Find(int objectValue, string name)
        {
            for (int i = objectValue + 1; i < _count; i++)
            {
                if (_parent[i] == objectValue && NameEquals(i, name))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>Number of direct members or elements of an object or array.</summary>
        public int GetChildCount(int container)
        {
            int n = 0;
            for (int i = container + 1; i < _count; i++)
            {
                if (_parent[i] == container)
                {
                    n++;
                }
            }

            return n;
        }

        /// <summary>True when the member's name is exactly <paramref name="name"/>.</summary>
        public bool NameEquals(int value, string name)
        {
            return _nameLength[value] >= 0 && CharsEqual(_nameStart[value], _nameLength[value], name);
        }

        /// <summary>True when a String value is exactly <paramref name="text"/>.</summary>
        public bool StringEquals(int value, string text)
        {
            return _kind[value] == (int)JsonKind.String && CharsEqual(_stringStart[value], _stringLength[value], text);
        }

        /// <summary>A String value as a new string (allocates; for use off hot paths).</summary>
        public string GetString(int value)
        {
            return new string(_chars, _stringStart[value], _stringLength[value]);
        }

        /// <summary>
        /// Reads a Number value in units of 10^-<paramref name="decimals"/>, exactly: 16.5 with 3
        /// decimals is 16500. False when the value has more decimals than that, or does not fit a long.
        /// </summary>
        public bool TryGetScaled(int value, int decimals, out long scaled)
        {
            scaled = 0;
            if (_kind[value] != (int)JsonKind.Number || _inexact[value])
            {
                return false;
            }

            long mantissa = _mantissa[value];
            if (mantissa == 0)
            {
                return true;
            }

            int exponent = _exponent[value] + decimals;
            if (exponent > 18)
            {
                return false;
            }

            while (exponent > 0)
            {
                if (mantissa > long.MaxValue / 10 || mantissa < long.MinValue / 10)
                {
                    return false;
                }

                mantissa *= 10;
                exponent--;
            }

            while (exponent < 0)
            {
                if (mantissa % 10 != 0)
                {
                    return false;
                }

                mantissa /= 10;
                exponent++;
            }

            scaled = mantissa;
            return true;
        }

        /// <summary>Reads a Number value that is a whole number within int's range.</summary>
        public bool TryGetInt32(int value, out int result)
        {
            result = 0;
            long scaled;
            if (!TryGetScaled(value, 0, out scaled) || scaled > int.MaxValue || scaled < int.MinValue)
            {
                return false;
            }

            result = (int)scaled;
            return true;
        }

        private bool CharsEqual(int start, int length, string text)
        {
            if (text == null || text.Length != length)
            {
                return false;
            }

            for (int i = 0; i < length; i++)
            {
                char c = text[i];
                if (c >= 0xD800 && c <= 0xDBFF && i + 1 < length)
                {
                    // nanoCLR's string indexer repeats the high half of a surrogate pair.
                    char[] pair = text.ToCharArray(i, 2);
                    if (_chars[start + i] != pair[0] || _chars[start + i + 1] != pair[1])
                    {
                        return false;
                    }

                    i++;
                    continue;
                }

                if (_chars[start + i] != c)
                {
                    return false;
                }
            }

            return true;
        }

        private bool Fail(string error)
        {
            if (_error == null)
            {
                _error = error;
                _errorOffset = _position;
            }

            return false;
        }

        private void SkipWhitespace()
        {
            while (_position < _end)
            {
                byte b = _input[_position];
                if (b == ' ' || b == '\t' || b == '\n' || b == '\r')
                {
                    _position++;
                }
                else
                {
                    return;
                }
            }
        }

        private int NewValue(JsonKind kind, int parent, int nameStart, int nameLength)
        {
            if (_count == _maxValues)
            {
                return -1;
            }

            int index = _count++;
            _kind[index] = (int)kind;
            _parent[index] = parent;
            _nameStart[index] = nameStart;
            _nameLength[index] = nameLength;
            _stringStart[index] = 0;
            _stringLength[index] = 0;
            _mantissa[index] = 0;
            _exponent[index] = 0;
            _inexact[index] = false;
            return index;
        }

        // Parses one value at _position (whitespace already skipped). depth counts containers.
        private bool ParseValue(int parent, int nameStart, int nameLength, int depth)
        {
            if (_position >= _end)
            {
                return Fail(ErrorUnexpectedEnd);
            }

            byte b = _input[_position];
            switch (b)
            {
                case (byte)'{':
                    return ParseObject(parent, nameStart, nameLength, depth);
                case (byte)'[':
                    return ParseArray(parent, nameStart, nameLength, depth);
                case (byte)'"':
                    {
                        int index = NewValue(JsonKind.String, parent, nameStart, nameLength);
                        if (index < 0)
                        {
                            return Fail(ErrorTooManyValues);
                        }

                        int start;
                        int length;
                        if (!ParseString(out start, out length))
                        {
                            return false;
                        }

                        _stringStart[index] = start;
                        _stringLength[index] = length;
                        return true;
                    }

                case (byte)'t':
                    return ParseLiteral("true", JsonKind.Bool, 1, parent, nameStart, nameLength);
                case (byte)'f':
                    return ParseLiteral("false", JsonKind.Bool, 0, parent, nameStart, nameLength);
                case (byte)'n':
                    return ParseLiteral("null", JsonKind.Null, 0, parent, nameStart, nameLength);
            }

            if (b == '-' || (b >= '0' && b <= '9'))
            {
                return ParseNumber(parent, nameStart, nameLength);
            }

            return Fail(ErrorUnexpectedCharacter);
        }

        private bool ParseLiteral(string literal, JsonKind kind, long flag, int parent, int nameStart, int nameLength)
        {
            for (int i = 0; i < literal.Length; i++)
            {
                if (_position >= _end)
                {
                    return Fail(ErrorUnexpectedEnd);
                }

                if (_input[_position] != literal[i])
                {
                    return Fail(ErrorUnexpectedCharacter);
                }

                _position++;
            }

            int index = NewValue(kind, parent, nameStart, nameLength);
            if (index < 0)
            {
                return Fail(ErrorTooManyValues);
            }

            _mantissa[index] = flag;
            return true;
        }

        private bool ParseObject(int parent, int nameStart, int nameLength, int depth)
        {
            if (depth > _maxDepth)
            {
                return Fail(ErrorTooDeep);
            }

            int index = NewValue(JsonKind.Object, parent, nameStart, nameLength);
            if (index < 0)
            {
                return Fail(ErrorTooManyValues);
            }

            _position++;
            SkipWhitespace();
            if (_position < _end && _input[_position] == '}')
            {
                _position++;
                return true;
            }

            while (true)
            {
                if (_position >= _end)
                {
                    return Fail(ErrorUnexpectedEnd);
                }

                if (_input[_position] != '"')
                {
                    return Fail(ErrorUnexpectedCharacter);
                }

                int memberNameStart;
                int memberNameLength;
                int nameOffset = _position;
                if (!ParseString(out memberNameStart, out memberNameLength))
                {
                    return false;
                }

                for (int i = index + 1; i < _count; i++)
                {
                    if (_parent[i] == index && _nameLength[i] == memberNameLength && SameChars(_nameStart[i], memberNameStart, memberNameLength))
                    {
                        _position = nameOffset;
                        return Fail(ErrorDuplicateKey);
                    }
                }

                SkipWhitespace();
                if (_position >= _end)
                {
                    return Fail(ErrorUnexpectedEnd);
                }

                if (_input[_position] != ':')
                {
                    return Fail(ErrorUnexpectedCharacter);
                }

                _position++;
                SkipWhitespace();
                if (!ParseValue(index, memberNameStart, memberNameLength, depth + 1))
                {
                    return false;
                }

                bool closed;
                if (!AfterMember((byte)'}', out closed))
                {
                    return false;
                }

                if (closed)
                {
                    return true;
                }
            }
        }

        private bool ParseArray(int parent, int nameStart, int nameLength, int depth)
        {
            if (depth > _maxDepth)
            {
                return Fail(ErrorTooDeep);
            }

            int index = NewValue(JsonKind.Array, parent, nameStart, nameLength);
            if (index < 0)
            {
                return Fail(ErrorTooManyValues);
            }

            _position++;
            SkipWhitespace();
            if (_position < _end && _input[_position] == ']')
            {
                _position++;
                return true;
            }

            while (true)
            {
                if (!ParseValue(index, 0, -1, depth + 1))
                {
                    return false;
                }

                bool closed;
                if (!AfterMember((byte)']', out closed))
                {
                    return false;
                }

                if (closed)
                {
                    return true;
                }
            }
        }

        /// <summary>
        /// After a member or element: the closing bracket (<paramref name="closed"/> true) or a comma
        /// followed by the next one. False, with the error set, on anything else.
        /// </summary>
        private bool AfterMember(byte close, out bool closed)
        {
            closed = false;
            SkipWhitespace();
            if (_position >= _end)
            {
                return Fail(ErrorUnexpectedEnd);
            }

            byte b = _input[_position];
            _position++;
            if (b == close)
            {
                closed = true;
                return true;
            }

            if (b != ',')
            {
                _position--;
                return Fail(ErrorUnexpectedCharacter);
            }

            SkipWhitespace();
            return true;
        }

        private bool SameChars(int a, int b, int length)
        {
            for (int i = 0; i < length; i++)
            {
                if (_chars[a + i] != _chars[b + i])
                {
                    return false;
                }
            }

            return true;
        }

        private bool AppendChar(int c)
        {
            if (_charCount == _chars.Length)
            {
                return Fail(ErrorStringsTooLong);
            }

            _chars[_charCount++] = (char)c;
            return true;
        }

        // Parses a string at _position (on the opening quote), decoding it into _chars.
        private bool ParseString(out int start, out int length)
        {
            start = _charCount;
            length = 0;
            _position++;
            while (true)
            {
                if (_position >= _end)
                {
                    return Fail(ErrorUnexpectedEnd);
                }

                int b = _input[_position];
                if (b == '"')
                {
                    _position++;
                    length = _charCount - start;
                    return true;
                }

                if (b < 0x20)
                {
                    return Fail(ErrorControlCharacter);
                }

                if (b == '\\')
                {
                    if (!ParseEscape())
                    {
                        return false;
                    }

                    continue;
                }

                if (b < 0x80)
                {
                    _position++;
                    if (!AppendChar(b))
                    {
                        return false;
                    }

                    continue;
                }

                if (!ParseUtf8Sequence())
                {
                    return false;
                }
            }
        }

        private bool ParseEscape()
        {
            _position++;
            if (_position >= _end)
            {
                return Fail(ErrorUnexpectedEnd);
            }

            byte e = _input[_position];
            _position++;
            switch (e)
            {
                case (byte)'"':
                    return AppendChar('"');
                case (byte)'\\':
                    return AppendChar('\\');
                case (byte)'/':
                    return AppendChar('/');
                case (byte)'b':
                    return AppendChar('\b');
                case (byte)'f':
                    return AppendChar('\f');
                case (byte)'n':
                    return AppendChar('\n');
                case (byte)'r':
                    return AppendChar('\r');
                case (byte)'t':
                    return AppendChar('\t');
                case (byte)'u':
                    break;
                default:
                    _position--;
                    return Fail(ErrorBadEscape);
            }

            int unit;
            if (!ReadHex4(out unit))
            {
                return false;
            }

            if (unit >= 0xDC00 && unit <= 0xDFFF)
            {
                return Fail(ErrorBadEscape);
            }

            if (unit >= 0xD800 && unit <= 0xDBFF)
            {
                // A high surrogate must be followed at once by an escaped low surrogate.
                if (_position + 1 >= _end || _input[_position] != '\\' || _input[_position + 1] != 'u')
                {
                    return Fail(ErrorBadEscape);
                }

                _position += 2;
                int low;
                if (!ReadHex4(out low))
                {
                    return false;
                }

                if (low < 0xDC00 || low > 0xDFFF)
                {
                    return Fail(ErrorBadEscape);
                }

                return AppendChar(unit) && AppendChar(low);
            }

            return AppendChar(unit);
        }

        private bool ReadHex4(out int unit)
        {
            unit = 0;
            for (int i = 0; i < 4; i++)
            {
                if (_position >= _end)
                {
                    return Fail(ErrorUnexpectedEnd);
                }

                int h = _input[_position];
                int digit;
                if (h >= '0' && h <= '9')
                {
                    digit = h - '0';
                }
                else if (h >= 'a' && h <= 'f')
                {
                    digit = h - 'a' + 10;
                }
                else if (h >= 'A' && h <= 'F')
                {
                    digit = h - 'A' + 10;
                }
                else
                {
                    return Fail(ErrorBadEscape);
                }

                unit = (unit << 4) | digit;
                _position++;
            }

            return true;
        }

        // Decodes one multi-byte UTF-8 sequence (RFC 3629: no overlong forms, no surrogates, ≤ U+10FFFF).
        private bool ParseUtf8Sequence()
        {
            int b0 = _input[_position];
            int count;
            int codePoint;
            int minimum;
            if (b0 >= 0xC2 && b0 <= 0xDF)
            {
                count = 1;
                codePoint = b0 & 0x1F;
                minimum = 0x80;
            }
            else if (b0 >= 0xE0 && b0 <= 0xEF)
            {
                count = 2;
                codePoint = b0 & 0x0F;
                minimum = 0x800;
            }
            else if (b0 >= 0xF0 && b0 <= 0xF4)
            {
                count = 3;
                codePoint = b0 & 0x07;
                minimum = 0x10000;
            }
            else
            {
                return Fail(ErrorInvalidUtf8);
            }

            if (_position + count >= _end)
            {
                return Fail(ErrorInvalidUtf8);
            }

            for (int i = 1; i <= count; i++)
            {
                int b = _input[_position + i];
                if ((b & 0xC0) != 0x80)
                {
                    return Fail(ErrorInvalidUtf8);
                }

                codePoint = (codePoint << 6) | (b & 0x3F);
            }

            if (codePoint < minimum || codePoint > 0x10FFFF || (codePoint >= 0xD800 && codePoint <= 0xDFFF))
            {
                return Fail(ErrorInvalidUtf8);
            }

            _position += count + 1;
            if (codePoint < 0x10000)
            {
                return AppendChar(codePoint);
            }

            codePoint -= 0x10000;
            return AppendChar(0xD800 + (codePoint >> 10)) && AppendChar(0xDC00 + (codePoint & 0x3FF));
        }

        private bool ParseNumber(int parent, int nameStart, int nameLength)
        {
            int index = NewValue(JsonKind.Number, parent, nameStart, nameLength);
            if (index < 0)
            {
                return Fail(ErrorTooManyValues);
            }

            bool negative = false;
            if (_input[_position] == '-')
            {
                negative = true;
                _position++;
            }

            if (_position >= _end)
            {
                return Fail(ErrorBadNumber);
            }

            long mantissa = 0;
            int exponent = 0;
            bool inexact = false;
            byte b = _input[_position];
            if (b == '0')
            {
                _position++;
                if (_position < _end && _input[_position] >= '0' && _input[_position] <= '9')
                {
                    return Fail(ErrorBadNumber);
                }
            }
            else if (b >= '1' && b <= '9')
            {
                while (_position < _end && _input[_position] >= '0' && _input[_position] <= '9')
                {
                    int digit = _input[_position] - '0';
                    if (mantissa < MantissaLimit)
                    {
                        mantissa = (mantissa * 10) + digit;
                    }
                    else
                    {
                        // Too many significant digits to keep: the value is only exact if the
                        // digits dropped are zeros, which shift the exponent instead.
                        exponent++;
                        if (digit != 0)
                        {
                            inexact = true;
                        }
                    }

                    _position++;
                }
            }
            else
            {
                return Fail(ErrorBadNumber);
            }

            if (_position < _end && _input[_position] == '.')
            {
                _position++;
                int fractionDigits = 0;
                while (_position < _end && _input[_position] >= '0' && _input[_position] <= '9')
                {
                    int digit = _input[_position] - '0';
                    if (mantissa < MantissaLimit)
                    {
                        mantissa = (mantissa * 10) + digit;
                        exponent--;
                    }
                    else if (digit != 0)
                    {
                        inexact = true;
                    }

                    fractionDigits++;
                    _position++;
                }

                if (fractionDigits == 0)
                {
                    return Fail(ErrorBadNumber);
                }
            }

            if (_position < _end && (_input[_position] == 'e' || _input[_position] == 'E'))
            {
                _position++;
                bool negativeExponent = false;
                if (_position < _end && (_input[_position] == '+' || _input[_position] == '-'))
                {
                    negativeExponent = _input[_position] == '-';
                    _position++;
                }

                int exponentDigits = 0;
                int written = 0;
                while (_position < _end && _input[_position] >= '0' && _input[_position] <= '9')
                {
                    if (written < 100000)
                    {
                        written = (written * 10) + (_input[_position] - '0');
                    }

                    exponentDigits++;
                    _position++;
                }

                if (exponentDigits == 0)
                {
                    return Fail(ErrorBadNumber);
                }

                if (written >= 100000)
                {
                    // Far beyond any long: readable only if the mantissa is zero.
                    inexact = mantissa != 0;
                    written = 0;
                }

                exponent += negativeExponent ? -written : written;
            }

            _mantissa[index] = negative ? -mantissa : mantissa;
            _exponent[index] = exponent;
            _inexact[index] = inexact;
            return true;
        }
    }
}
