namespace IndraSmartPro.Features.SmartCharging
{
    /// <summary>
    /// One weekly charging window in UK local time: from <see cref="StartMinute"/> to
    /// <see cref="EndMinute"/> on the days in <see cref="DaysMask"/>, at most
    /// <see cref="LimitMilliamps"/>. An end at or before the start runs past midnight into the
    /// next day (22:00–06:00 on Friday lasts until Saturday 06:00); the day is the day the window
    /// starts. Equal start and end make a 24-hour window.
    /// <para>
    /// Local time is read from UTC at every evaluation, so across the clock changes a window
    /// follows the wall clock: on the 23-hour day a window 01:30–02:30 opens at 02:00 BST (its
    /// first half-hour does not exist); on the 25-hour day the hour 01:00–02:00 happens twice and
    /// a window covering it is open both times.
    /// </para>
    /// </summary>
    public sealed class ChargingWindow
    {
        /// <summary>Minutes in a day.</summary>
        public const int MinutesPerDay = 1440;

        /// <summary>Every day of the week (bit 0 Monday .. bit 6 Sunday).</summary>
        public const int EveryDay = 0x7F;

        /// <summary>Monday to Friday.</summary>
        public const int Weekdays = 0x1F;

        /// <summary>Start, minutes after local midnight (0..1439).</summary>
        public int StartMinute;

        /// <summary>End, minutes after local midnight (0..1439); at or before the start = the next day.</summary>
        public int EndMinute;

        /// <summary>Days the window starts on: bit 0 = Monday .. bit 6 = Sunday.</summary>
        public int DaysMask;

        /// <summary>Highest current in the window, milliamps (0 in an avoid-window of the default hours).</summary>
        public int LimitMilliamps;

        /// <summary>Sets all fields.</summary>
        public void Set(int startMinute, int endMinute, int daysMask, int limitMilliamps)
        {
            StartMinute = startMinute;
            EndMinute = endMinute;
            DaysMask = daysMask;
            LimitMilliamps = limitMilliamps;
        }

        /// <summary>Copies another window's fields.</summary>
        public void CopyFrom(ChargingWindow other)
        {
            Set(other.StartMinute, other.EndMinute, other.DaysMask, other.LimitMilliamps);
        }

        /// <summary>
        /// True when local day <paramref name="dayOfWeek"/> (0 = Monday) at
        /// <paramref name="minuteOfDay"/> lies in the window.
        /// </summary>
        public bool Covers(int dayOfWeek, int minuteOfDay)
        {
            bool today = (DaysMask & (1 << dayOfWeek)) != 0;
            if (StartMinute < EndMinute)
            {
                return today && minuteOfDay >= StartMinute && minuteOfDay < EndMinute;
            }

            // Past midnight: tonight's part starts today, this morning's part started yesterday.
            int yesterday = dayOfWeek == 0 ? 6 : dayOfWeek - 1;
            bool startedYesterday = (DaysMask & (1 << yesterday)) != 0;
            return (today && minuteOfDay >= StartMinute) || (startedYesterday && minuteOfDay < EndMinute);
        }
    }
}
