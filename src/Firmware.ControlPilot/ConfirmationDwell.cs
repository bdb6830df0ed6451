namespace IndraSmartPro.ControlPilot
{
    /// <summary>
    /// The confirmation dwell every classification of an analogue level shares (pilot states,
    /// proximity bands): a new class is accepted only after it was read in a given number of
    /// consecutive windows; any other reading in between starts the count again.
    /// </summary>
    public sealed class ConfirmationDwell
    {
        private readonly int _windows;
        private int _candidate = -1;
        private int _count;

        /// <summary>Builds a dwell of <paramref name="windows"/> consecutive windows.</summary>
        public ConfirmationDwell(int windows)
        {
            _windows = windows;
        }

        /// <summary>
        /// Takes one window's class. <paramref name="unchanged"/>: it equals the accepted class (the
        /// count starts again). Returns true when <paramref name="raw"/> is confirmed as the new class.
        /// </summary>
        public bool Confirms(int raw, bool unchanged)
        {
            if (unchanged)
            {
                Reset();
                return false;
            }

            if (raw == _candidate)
            {
                _count++;
            }
            else
            {
                _candidate = raw;
                _count = 1;
            }

            if (_count < _windows)
            {
                return false;
            }

            Reset();
            return true;
        }

        /// <summary>Forgets the candidate.</summary>
        public void Reset()
        {
            _candidate = -1;
            _count = 0;
        }
    }
}
