namespace IndraSmartPro.Json
{
    // The parser's numbers: kept exactly as mantissa × 10^exponent (RFC 8259 section 6 grammar).
    public sealed partial class JsonDocument
    {
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
