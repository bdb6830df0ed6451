namespace IndraSmartPro.Time
{
    /// <summary>
    /// UK civil time from UTC, computed in the firmware (no time-zone database on the device):
    /// GMT (UTC+0) in winter, BST (UTC+1) from 01:00 UTC on the last Sunday of March to 01:00 UTC
    /// on the last Sunday of October (The Summer Time Order 2002, aligned with EU Directive
    /// 2000/84/EC). So the local day of the March change has 23 hours (01:00 local jumps to
    /// 02:00) and that of the October change 25 (02:00 BST falls back to 01:00 GMT).
    /// Integer arithmetic only; calendar conversions are Howard Hinnant's days-from-civil
    /// algorithms (proleptic Gregorian, exact for every year the firmware will see).
    /// </summary>
    public static class UkLocalTime
    {
        /// <summary>Seconds in a day of 24 hours.</summary>
        public const int SecondsPerDay = 86400;

        /// <summary>BST is UTC + 3600 s.</summary>
        public const int SummerOffsetSeconds = 3600;

        /// <summary>The changes happen at 01:00 UTC (The Summer Time Order 2002).</summary>
        public const int ChangeSecondOfDayUtc = 3600;

        /// <summary>Days since 1970-01-01 of a Gregorian date (month 1..12, day 1..31).</summary>
        public static long DaysFromCivil(int year, int month, int day)
        {
            long y = month <= 2 ? year - 1 : year;
            long era = (y >= 0 ? y : y - 399) / 400;
            long yearOfEra = y - (era * 400);
            long dayOfYear = ((153 * (month > 2 ? month - 3 : month + 9)) + 2) / 5 + day - 1;
            long dayOfEra = (yearOfEra * 365) + (yearOfEra / 4) - (yearOfEra / 100) + dayOfYear;
            return (era * 146097) + dayOfEra - 719468;
        }

        /// <summary>The Gregorian date of a day number (days since 1970-01-01).</summary>
        public static void CivilFromDays(long days, out int year, out int month, out int day)
        {
            long z = days + 719468;
            long era = (z >= 0 ? z : z - 146096) / 146097;
            long dayOfEra = z - (era * 146097);
            long yearOfEra = (dayOfEra - (dayOfEra / 1460) + (dayOfEra / 36524) - (dayOfEra / 146096)) / 365;
            long dayOfYear = dayOfEra - ((365 * yearOfEra) + (yearOfEra / 4) - (yearOfEra / 100));
            long mp = ((5 * dayOfYear) + 2) / 153;
            day = (int)(dayOfYear - (((153 * mp) + 2) / 5) + 1);
            month = (int)(mp < 10 ? mp + 3 : mp - 9);
            year = (int)(yearOfEra + (era * 400) + (month <= 2 ? 1 : 0));
        }

        /// <summary>Day of the week of a day number: 0 = Monday .. 6 = Sunday (ISO 8601 order; 1970-01-01 was a Thursday).</summary>
        public static int DayOfWeek(long days)
        {
            long d = (days + 3) % 7;
            return (int)(d < 0 ? d + 7 : d);
        }

        /// <summary>Day number (days since 1970-01-01) of the last Sunday of a month.</summary>
        public static long LastSunday(int year, int month)
        {
            int lastDay = month == 3 || month == 10 ? 31 : DaysInMonth(year, month);
            long last = DaysFromCivil(year, month, lastDay);

            // Monday = 0 .. Sunday = 6: step back (dow + 1) % 7 days to the Sunday.
            return last - ((DayOfWeek(last) + 1) % 7);
        }

        /// <summary>UTC seconds at which BST starts in <paramref name="year"/> (last Sunday of March, 01:00 UTC).</summary>
        public static long SummerStartUtcSeconds(int year)
        {
            return (LastSunday(year, 3) * SecondsPerDay) + ChangeSecondOfDayUtc;
        }

        /// <summary>UTC seconds at which BST ends in <paramref name="year"/> (last Sunday of October, 01:00 UTC).</summary>
        public static long SummerEndUtcSeconds(int year)
        {
            return (LastSunday(year, 10) * SecondsPerDay) + ChangeSecondOfDayUtc;
        }

        /// <summary>The UK offset from UTC at an instant: 3600 s during BST, else 0.</summary>
        public static int OffsetSeconds(long utcSeconds)
        {
            int year;
            int month;
            int day;
            CivilFromDays(FloorDiv(utcSeconds, SecondsPerDay), out year, out month, out day);
            if (month < 3 || month > 10)
            {
                return 0;
            }

            return utcSeconds >= SummerStartUtcSeconds(year) && utcSeconds < SummerEndUtcSeconds(year) ? SummerOffsetSeconds : 0;
        }

        /// <summary>UK local time as seconds since 1970-01-01T00:00 local (UTC plus the offset in force).</summary>
        public static long ToLocalSeconds(long utcSeconds)
        {
            return utcSeconds + OffsetSeconds(utcSeconds);
        }

        /// <summary>Floor division (the day of a negative second count is the day before).</summary>
        public static long FloorDiv(long value, long divisor)
        {
            long q = value / divisor;
            return (value % divisor) < 0 ? q - 1 : q;
        }

        /// <summary>Days in a month of a year (Gregorian leap years).</summary>
        public static int DaysInMonth(int year, int month)
        {
            if (month == 2)
            {
                bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
                return leap ? 29 : 28;
            }

            return month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
        }
    }
}
