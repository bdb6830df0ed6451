using System;

namespace IndraSmartPro.Json
{
    /// <summary>
    /// A small strict JSON parser for command payloads (RFC 8259), reusable and bounded: at most
    /// a given number of values, nesting depth and decoded string characters, all sized in the
    /// constructor so parsing allocates nothing. Strict: rejects trailing data, duplicate member
    /// names, leading zeros, invalid UTF-8, unpaired surrogates, raw control characters in
    /// strings, and anything else RFC 8259 does not allow. Values are numbered in document order;
    /// value 0 is the root. Numbers are kept exactly as mantissa × 10^exponent, so a value is read
    /// in integer units without floating point (<see cref="TryGetScaled"/>).
    /// </summary>
    public sealed partial class JsonDocument
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
    }
}
