using IndraSmartPro.Board;
using IndraSmartPro.Features.SmartCharging;
using IndraSmartPro.Persistence;
using IndraSmartPro.Time;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    /// <summary>A settable UTC source: null time = SNTP has not answered.</summary>
    internal sealed class FakeUtcSource : IUtcSource
    {
        public bool Known;
        public long UtcAtZeroMilliseconds;
        public PilotFakeBoard Clock;

        public void Set(long utcSeconds, long nowMicroseconds)
        {
            Known = true;
            UtcAtZeroMilliseconds = (utcSeconds * 1000) - (nowMicroseconds / 1000);
        }

        public bool TryReadUtcMilliseconds(out long utcMilliseconds)
        {
            utcMilliseconds = Known ? UtcAtZeroMilliseconds + (Clock.NowMicroseconds / 1000) : 0;
            return Known;
        }
    }

    /// <summary>
    /// UK local time computed in the firmware (The Summer Time Order 2002: BST from 01:00 UTC on
    /// the last Sunday of March to 01:00 UTC on the last Sunday of October), the wall clock's
    /// "not synchronised" state and its last known time, and schedule windows across midnight and
    /// the clock changes.
    /// </summary>
    [TestClass]
    public class WallClockTests
    {
        private static long Utc(int year, int month, int day, int hour, int minute)
        {
            return (UkLocalTime.DaysFromCivil(year, month, day) * 86400) + (hour * 3600) + (minute * 60);
        }

        // Published UK clock-change dates (last Sundays of March and October).
        [TestMethod]
        [DataRow(2024, 31, 27)]
        [DataRow(2025, 30, 26)]
        [DataRow(2026, 29, 25)]
        [DataRow(2027, 28, 31)]
        [DataRow(2028, 26, 29)]
        public void UkLocalTime_ChangeDates_AreTheLastSundays(int year, int marchDay, int octoberDay)
        {
            Assert.AreEqual(Utc(year, 3, marchDay, 1, 0), UkLocalTime.SummerStartUtcSeconds(year));
            Assert.AreEqual(Utc(year, 10, octoberDay, 1, 0), UkLocalTime.SummerEndUtcSeconds(year));
        }

        [TestMethod]
        [DataRow(2026, 3, 29, 0, 59, 0)]
        [DataRow(2026, 3, 29, 1, 0, 3600)]
        [DataRow(2026, 7, 1, 12, 0, 3600)]
        [DataRow(2026, 10, 25, 0, 59, 3600)]
        [DataRow(2026, 10, 25, 1, 0, 0)]
        [DataRow(2026, 12, 31, 23, 59, 0)]
        [DataRow(2027, 1, 1, 0, 0, 0)]
        public void UkLocalTime_Offset_FollowsTheChangesAtOneUtc(int year, int month, int day, int hour, int minute, int offsetSeconds)
        {
            Assert.AreEqual(offsetSeconds, UkLocalTime.OffsetSeconds(Utc(year, month, day, hour, minute)));
        }

        [TestMethod]
        public void UkLocalTime_MarchChangeDay_Has23Hours()
        {
            // Local midnight of 29 March 2026 is 00:00 UTC (GMT); of 30 March it is 23:00 UTC (BST).
            long start = Utc(2026, 3, 29, 0, 0);
            long end = Utc(2026, 3, 29, 23, 0);
            Assert.AreEqual(UkLocalTime.DaysFromCivil(2026, 3, 29) * 86400, UkLocalTime.ToLocalSeconds(start));
            Assert.AreEqual(UkLocalTime.DaysFromCivil(2026, 3, 30) * 86400, UkLocalTime.ToLocalSeconds(end));
            Assert.AreEqual(23 * 3600, (int)(end - start));
        }

        [TestMethod]
        public void UkLocalTime_OctoberChangeDay_Has25Hours()
        {
            // Local midnight of 25 October 2026 is 23:00 UTC the day before (BST); of 26 October 00:00 UTC (GMT).
            long start = Utc(2026, 10, 24, 23, 0);
            long end = Utc(2026, 10, 26, 0, 0);
            Assert.AreEqual(UkLocalTime.DaysFromCivil(2026, 10, 25) * 86400, UkLocalTime.ToLocalSeconds(start));
            Assert.AreEqual(UkLocalTime.DaysFromCivil(2026, 10, 26) * 86400, UkLocalTime.ToLocalSeconds(end));
            Assert.AreEqual(25 * 3600, (int)(end - start));
        }

        [TestMethod]
        [DataRow(1970, 1, 1, 3)]
        [DataRow(2000, 2, 29, 1)]
        [DataRow(2026, 11, 29, 6)]
        [DataRow(2026, 3, 30, 0)]
        public void UkLocalTime_DayOfWeek_IsoMondayZero(int year, int month, int day, int expected)
        {
            Assert.AreEqual(expected, UkLocalTime.DayOfWeek(UkLocalTime.DaysFromCivil(year, month, day)));
            int y;
            int m;
            int d;
            UkLocalTime.CivilFromDays(UkLocalTime.DaysFromCivil(year, month, day), out y, out m, out d);
            Assert.AreEqual(year, y);
            Assert.AreEqual(month, m);
            Assert.AreEqual(day, d);
        }

        [TestMethod]
        public void UtcText_Writes_Iso8601()
        {
            var chars = new char[UtcText.Length];
            UtcText.Write(Utc(2026, 3, 29, 1, 0) + 7, chars, 0);
            Assert.AreEqual("2026-03-29T01:00:07Z", new string(chars));
        }

        [TestMethod]
        public void WallClock_BeforeSource_NotSynchronised_ThenFollowsMonotonicClock()
        {
            var clock = new PilotFakeBoard();
            var source = new FakeUtcSource { Clock = clock };
            var wall = new WallClock(source, new MemoryStore());
            long utc;
            wall.Update(0);
            Assert.IsFalse(wall.Synchronised);
            Assert.IsFalse(wall.TryGetUtcSeconds(0, out utc));

            clock.NowMicroseconds = 5000000;
            source.Set(Utc(2026, 6, 1, 12, 0), clock.NowMicroseconds);
            wall.Update(clock.NowMicroseconds);
            Assert.IsTrue(wall.Synchronised);
            Assert.IsTrue(wall.TryGetUtcSeconds(65000000, out utc));
            Assert.AreEqual(Utc(2026, 6, 1, 12, 1), utc);
        }

        [TestMethod]
        public void WallClock_UnsetRtc_IsNotSynchronised()
        {
            var clock = new PilotFakeBoard();
            var source = new FakeUtcSource { Clock = clock };
            source.Set(946684800, 0); // 2000-01-01: an RTC that was never set
            var wall = new WallClock(source, null);
            wall.Update(0);
            Assert.IsFalse(wall.Synchronised);
        }

        [TestMethod]
        public void WallClock_Reboot_KeepsLastKnownTime_ButIsNotSynchronised()
        {
            var store = new MemoryStore();
            var clock = new PilotFakeBoard();
            var source = new FakeUtcSource { Clock = clock };
            source.Set(Utc(2026, 6, 1, 12, 0), 0);
            new WallClock(source, store).Update(0);

            var after = new WallClock(new FakeUtcSource { Clock = clock }, store);
            after.Update(0);
            Assert.IsFalse(after.Synchronised);
            Assert.AreEqual(Utc(2026, 6, 1, 12, 0), after.LastKnownUtcSeconds);
        }

        // A window from 22:00 to 06:00 starting on Fridays, and one from 01:30 to 02:30 on Sundays
        // (the hour the March change removes) and one from 01:00 to 02:00 on Sundays (the hour the
        // October change repeats). Times are UTC; 2026-03-27 is a Friday.
        [TestMethod]
        [DataRow(2026, 3, 27, 21, 59, false)] // Fri 21:59 GMT
        [DataRow(2026, 3, 27, 22, 0, true)]   // Fri 22:00
        [DataRow(2026, 3, 28, 5, 59, true)]   // Sat 05:59, past midnight
        [DataRow(2026, 3, 28, 6, 0, false)]   // Sat 06:00
        [DataRow(2026, 3, 26, 23, 0, false)]  // Thu 23:00: not a Friday
        [DataRow(2026, 3, 28, 23, 0, false)]  // Sat 23:00
        [DataRow(2026, 6, 5, 21, 0, true)]    // Fri 22:00 BST = 21:00 UTC
        [DataRow(2026, 6, 6, 4, 59, true)]    // Sat 05:59 BST
        [DataRow(2026, 6, 6, 5, 0, false)]    // Sat 06:00 BST
        public void ChargingSchedule_OvernightWindow_CrossesMidnightInLocalTime(int year, int month, int day, int hour, int minute, bool inside)
        {
            var schedule = new ChargingSchedule();
            schedule.Add(22 * 60, 6 * 60, 1 << 4, 16000);
            int limit;
            Assert.AreEqual(inside, schedule.TryGetLimit(UkLocalTime.ToLocalSeconds(Utc(year, month, day, hour, minute)), out limit));
        }

        [TestMethod]
        [DataRow(0, 59, false)] // 00:59 GMT
        [DataRow(1, 0, true)]   // 02:00 BST: 01:30-02:00 local never happened, the rest of the window runs
        [DataRow(1, 29, true)]  // 02:29 BST
        [DataRow(1, 30, false)] // 02:30 BST
        public void ChargingSchedule_MarchChange_WindowInTheMissingHour_RunsWhatExists(int hour, int minute, bool inside)
        {
            var schedule = new ChargingSchedule();
            schedule.Add(90, 150, 1 << 6, 16000);
            int limit;
            Assert.AreEqual(inside, schedule.TryGetLimit(UkLocalTime.ToLocalSeconds(Utc(2026, 3, 29, hour, minute)), out limit));
        }

        [TestMethod]
        [DataRow(24, 23, 59, false)] // 00:59 BST
        [DataRow(25, 0, 0, true)]    // 01:00 BST, the first time
        [DataRow(25, 0, 59, true)]   // 01:59 BST
        [DataRow(25, 1, 0, true)]    // 01:00 GMT, the second time
        [DataRow(25, 1, 59, true)]   // 01:59 GMT
        [DataRow(25, 2, 0, false)]   // 02:00 GMT
        public void ChargingSchedule_OctoberChange_RepeatedHour_IsInsideBothTimes(int day, int hour, int minute, bool inside)
        {
            var schedule = new ChargingSchedule();
            schedule.Add(60, 120, 1 << 6, 16000);
            int limit;
            Assert.AreEqual(inside, schedule.TryGetLimit(UkLocalTime.ToLocalSeconds(Utc(2026, 10, day, hour, minute)), out limit));
        }

        // Reg. 10: not to charge 08:00-11:00 and 16:00-22:00 local time on weekdays. 2026-06-01 is a Monday (BST).
        [TestMethod]
        [DataRow(2026, 6, 1, 6, 59, false)]  // Mon 07:59 BST
        [DataRow(2026, 6, 1, 7, 0, true)]    // Mon 08:00 BST
        [DataRow(2026, 6, 1, 9, 59, true)]   // Mon 10:59 BST
        [DataRow(2026, 6, 1, 10, 0, false)]  // Mon 11:00 BST
        [DataRow(2026, 6, 5, 20, 59, true)]  // Fri 21:59 BST
        [DataRow(2026, 6, 5, 21, 0, false)]  // Fri 22:00 BST
        [DataRow(2026, 6, 6, 8, 0, false)]   // Sat 09:00 BST
        [DataRow(2026, 12, 7, 16, 0, true)]  // Mon 16:00 GMT
        [DataRow(2026, 12, 7, 15, 59, false)] // Mon 15:59 GMT
        public void DefaultHours_Factory_AvoidsPeakOnWeekdays(int year, int month, int day, int hour, int minute, bool avoided)
        {
            var hours = new ChargingSchedule();
            ChargingSchedule.SetFactoryDefaultHours(hours);
            int limit;
            Assert.AreEqual(avoided, hours.TryGetLimit(UkLocalTime.ToLocalSeconds(Utc(year, month, day, hour, minute)), out limit));
        }
    }
}
