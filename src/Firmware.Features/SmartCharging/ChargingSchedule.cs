using IndraSmartPro.Time;

namespace IndraSmartPro.Features.SmartCharging
{
    /// <summary>
    /// A set of weekly charging windows with an optional energy target, as OCPP 1.6's recurring
    /// weekly charging profiles: outside every window the schedule allows no charging; inside, the
    /// first window that covers the moment gives the limit. Used for the platform's default
    /// schedule (TxDefaultProfile), the session schedule (TxProfile) and the default charging
    /// hours (reg. 10, as avoid-windows with a limit of 0). Fixed capacity, no allocation.
    /// </summary>
    public sealed class ChargingSchedule
    {
        /// <summary>Most windows in one schedule.</summary>
        public const int MaxWindows = 8;

        private readonly ChargingWindow[] _windows = new ChargingWindow[MaxWindows];
        private int _count;

        /// <summary>Creates an empty schedule.</summary>
        public ChargingSchedule()
        {
            for (int i = 0; i < MaxWindows; i++)
            {
                _windows[i] = new ChargingWindow();
            }
        }

        /// <summary>Windows in use.</summary>
        public int Count => _count;

        /// <summary>Energy after which the session stops charging under this schedule, watt-hours; 0 = none.</summary>
        public int EnergyTargetWattHours;

        /// <summary>The window at <paramref name="index"/> (0..Count-1).</summary>
        public ChargingWindow Window(int index) => _windows[index];

        /// <summary>Empties the schedule.</summary>
        public void Clear()
        {
            _count = 0;
            EnergyTargetWattHours = 0;
        }

        /// <summary>Adds a window; false when full.</summary>
        public bool Add(int startMinute, int endMinute, int daysMask, int limitMilliamps)
        {
            if (_count >= MaxWindows)
            {
                return false;
            }

            _windows[_count].Set(startMinute, endMinute, daysMask, limitMilliamps);
            _count++;
            return true;
        }

        /// <summary>Copies another schedule.</summary>
        public void CopyFrom(ChargingSchedule other)
        {
            _count = other._count;
            EnergyTargetWattHours = other.EnergyTargetWattHours;
            for (int i = 0; i < _count; i++)
            {
                _windows[i].CopyFrom(other._windows[i]);
            }
        }

        /// <summary>
        /// The limit at a local instant (seconds since 1970-01-01T00:00 UK local time, see
        /// <see cref="UkLocalTime.ToLocalSeconds"/>): true with the first covering window's limit,
        /// false when no window covers it.
        /// </summary>
        public bool TryGetLimit(long localSeconds, out int limitMilliamps)
        {
            long days = UkLocalTime.FloorDiv(localSeconds, UkLocalTime.SecondsPerDay);
            int minute = (int)((localSeconds - (days * UkLocalTime.SecondsPerDay)) / 60);
            int dayOfWeek = UkLocalTime.DayOfWeek(days);
            for (int i = 0; i < _count; i++)
            {
                if (_windows[i].Covers(dayOfWeek, minute))
                {
                    limitMilliamps = _windows[i].LimitMilliamps;
                    return true;
                }
            }

            limitMilliamps = 0;
            return false;
        }

        /// <summary>
        /// Fills <paramref name="schedule"/> with the factory default charging hours to avoid
        /// (Smart Charge Points Regulations 2021, reg. 10): 08:00–11:00 and 16:00–22:00 local time,
        /// Monday to Friday.
        /// </summary>
        public static void SetFactoryDefaultHours(ChargingSchedule schedule)
        {
            schedule.Clear();
            schedule.Add(8 * 60, 11 * 60, ChargingWindow.Weekdays, 0);
            schedule.Add(16 * 60, 22 * 60, ChargingWindow.Weekdays, 0);
        }

        /// <summary>True when both schedules have the same windows in the same order and the same target.</summary>
        public bool SameAs(ChargingSchedule other)
        {
            if (_count != other._count || EnergyTargetWattHours != other.EnergyTargetWattHours)
            {
                return false;
            }

            for (int i = 0; i < _count; i++)
            {
                ChargingWindow a = _windows[i];
                ChargingWindow b = other._windows[i];
                if (a.StartMinute != b.StartMinute || a.EndMinute != b.EndMinute || a.DaysMask != b.DaysMask || a.LimitMilliamps != b.LimitMilliamps)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
