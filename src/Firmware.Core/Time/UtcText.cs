namespace IndraSmartPro.Time
{
    /// <summary>
    /// Writes UTC as ISO 8601 text ("2026-03-29T01:00:00Z", 20 characters) into a caller's buffer,
    /// without allocating (no custom format strings on nanoFramework).
    /// </summary>
    public static class UtcText
    {
        /// <summary>Characters written by <see cref="Write"/>.</summary>
        public const int Length = 20;

        /// <summary>Writes <paramref name="utcSeconds"/> at <paramref name="offset"/>; returns <see cref="Length"/>.</summary>
        public static int Write(long utcSeconds, char[] buffer, int offset)
        {
            long days = UkLocalTime.FloorDiv(utcSeconds, UkLocalTime.SecondsPerDay);
            int secondOfDay = (int)(utcSeconds - (days * UkLocalTime.SecondsPerDay));
            int year;
            int month;
            int day;
            UkLocalTime.CivilFromDays(days, out year, out month, out day);
            Digits(buffer, offset, year, 4);
            buffer[offset + 4] = '-';
            Digits(buffer, offset + 5, month, 2);
            buffer[offset + 7] = '-';
            Digits(buffer, offset + 8, day, 2);
            buffer[offset + 10] = 'T';
            Digits(buffer, offset + 11, secondOfDay / 3600, 2);
            buffer[offset + 13] = ':';
            Digits(buffer, offset + 14, (secondOfDay / 60) % 60, 2);
            buffer[offset + 16] = ':';
            Digits(buffer, offset + 17, secondOfDay % 60, 2);
            buffer[offset + 19] = 'Z';
            return Length;
        }

        private static void Digits(char[] buffer, int at, int value, int count)
        {
            for (int i = count - 1; i >= 0; i--)
            {
                buffer[at + i] = (char)('0' + (value % 10));
                value /= 10;
            }
        }
    }
}
