using IndraSmartPro.Board;

namespace IndraSmartPro.Pests
{
    /// <summary>
    /// The front button's long press that asks for a reset of a latched trip: debounced
    /// (<see cref="PestLimits.ButtonDebounceMicroseconds"/>), then held for
    /// <see cref="PestLimits.ResetPressMicroseconds"/>. Fires once per press; the button must be
    /// released before it can fire again. A press released before the long-press time counts
    /// as a short press (<see cref="ShortPressCount"/>: Boost). Allocation-free.
    /// </summary>
    public sealed class ResetButton : IButtonGestures
    {
        private bool _raw;
        private long _rawSinceMicroseconds;
        private bool _pressed;
        private long _pressedSinceMicroseconds;
        private bool _fired;
        private int _shortPresses;

        /// <summary>True while the debounced button is down.</summary>
        public bool Pressed => _pressed;

        /// <inheritdoc />
        public int ShortPressCount => _shortPresses;

        /// <summary>
        /// Feeds one reading of the button. Returns true once, at the moment the debounced press
        /// has lasted the long-press time.
        /// </summary>
        public bool Poll(long nowMicroseconds, bool rawPressed)
        {
            if (rawPressed != _raw)
            {
                _raw = rawPressed;
                _rawSinceMicroseconds = nowMicroseconds;
            }

            if (_raw != _pressed && nowMicroseconds - _rawSinceMicroseconds >= PestLimits.ButtonDebounceMicroseconds)
            {
                if (_pressed && !_fired)
                {
                    // Released before the long press fired: a short press.
                    _shortPresses++;
                }

                _pressed = _raw;
                _pressedSinceMicroseconds = _rawSinceMicroseconds;
                _fired = false;
            }

            if (_pressed && !_fired && nowMicroseconds - _pressedSinceMicroseconds >= PestLimits.ResetPressMicroseconds)
            {
                _fired = true;
                return true;
            }

            return false;
        }
    }
}
