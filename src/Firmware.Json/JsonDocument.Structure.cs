namespace IndraSmartPro.Json
{
    // The parser's structure: values, objects, arrays and literals, with the limits on count and depth.
    public sealed partial class JsonDocument
    {
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
    }
}
