namespace IndraSmartPro.Json
{
    // The parser's strings: escapes, surrogate pairs and strict UTF-8, decoded into the character table.
    public sealed partial class JsonDocument
    {
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
    }
}
