using IndraSmartPro.Persistence;

namespace IndraSmartPro.Features.SmartCharging
{
    /// <summary>
    /// What smart charging keeps across a power cut: the platform limit and pause, both
    /// schedules, the default-hours choice, the randomised delay's maximum and a running Boost
    /// with what remains. One record under <see cref="StoreKey"/>, written on every change (rare:
    /// commands) and every minute while Boost runs. Layout (little-endian): version, length,
    /// fields, CRC-32 (IEEE) of everything before it; a record that fails any check is ignored
    /// and the factory settings apply.
    /// </summary>
    public sealed class SmartChargingRecord
    {
        /// <summary>Store key.</summary>
        public const string StoreKey = "smart";

        /// <summary>Record format version.</summary>
        public const int Version = 1;

        // 2 (version, flags) + 2 (length) + 4 platform + 2 delay + 4 boost s + 4 boost Wh
        // + 3 schedules × (1 count + 4 target + 8 windows × 9) + 4 CRC.
        private const int ScheduleBytes = 1 + 4 + (ChargingSchedule.MaxWindows * 9);
        private const int HeaderBytes = 18;

        /// <summary>Bytes of a stored record.</summary>
        public const int Length = HeaderBytes + (3 * ScheduleBytes) + 4;

        private const int FlagPaused = 1;
        private const int FlagDefaultHoursChosen = 2;
        private const int FlagBoost = 4;
        private const int FlagDefaultSchedule = 8;
        private const int FlagSessionSchedule = 16;

        private readonly byte[] _buffer = new byte[Length + 8];

        /// <summary>The platform's limit, milliamps; 0 = none.</summary>
        public int PlatformMilliamps;

        /// <summary>Paused by the platform.</summary>
        public bool Paused;

        /// <summary>The owner has chosen the default hours (accepted, changed or removed them).</summary>
        public bool DefaultHoursChosen;

        /// <summary>The default hours to avoid (reg. 10); empty = removed.</summary>
        public readonly ChargingSchedule DefaultHours = new ChargingSchedule();

        /// <summary>True when a default schedule (TxDefaultProfile) is set.</summary>
        public bool DefaultSchedulePresent;

        /// <summary>The default schedule.</summary>
        public readonly ChargingSchedule DefaultSchedule = new ChargingSchedule();

        /// <summary>True when a session schedule (TxProfile) is set.</summary>
        public bool SessionSchedulePresent;

        /// <summary>The session schedule.</summary>
        public readonly ChargingSchedule SessionSchedule = new ChargingSchedule();

        /// <summary>The randomised delay's maximum, seconds (reg. 11 default 600).</summary>
        public int RandomDelayMaxSeconds = RandomisedDelay.DefaultMaxSeconds;

        /// <summary>A Boost was running when stored.</summary>
        public bool BoostActive;

        /// <summary>Seconds of Boost left when stored; 0 = untimed.</summary>
        public int BoostRemainingSeconds;

        /// <summary>Watt-hours of Boost left when stored; 0 = no energy limit.</summary>
        public int BoostRemainingWattHours;

        /// <summary>Factory settings: nothing set, default hours as reg. 10 pre-sets them, 600 s delay.</summary>
        public void SetFactory()
        {
            PlatformMilliamps = 0;
            Paused = false;
            DefaultHoursChosen = false;
            ChargingSchedule.SetFactoryDefaultHours(DefaultHours);
            DefaultSchedulePresent = false;
            DefaultSchedule.Clear();
            SessionSchedulePresent = false;
            SessionSchedule.Clear();
            RandomDelayMaxSeconds = RandomisedDelay.DefaultMaxSeconds;
            BoostActive = false;
            BoostRemainingSeconds = 0;
            BoostRemainingWattHours = 0;
        }

        /// <summary>Writes the record; false if the store threw.</summary>
        public bool Save(IStore store)
        {
            byte[] b = _buffer;
            int flags = (Paused ? FlagPaused : 0) | (DefaultHoursChosen ? FlagDefaultHoursChosen : 0) | (BoostActive ? FlagBoost : 0)
                | (DefaultSchedulePresent ? FlagDefaultSchedule : 0) | (SessionSchedulePresent ? FlagSessionSchedule : 0);
            b[0] = Version;
            b[1] = (byte)flags;
            Put16(b, 2, Length);
            Put32(b, 4, PlatformMilliamps);
            Put16(b, 8, RandomDelayMaxSeconds);
            Put32(b, 10, BoostRemainingSeconds);
            Put32(b, 14, BoostRemainingWattHours);
            int at = HeaderBytes;
            at = PutSchedule(b, at, DefaultHours);
            at = PutSchedule(b, at, DefaultSchedule);
            at = PutSchedule(b, at, SessionSchedule);
            Put32(b, at, (int)Crc32(b, at));
            try
            {
                store.Write(StoreKey, b, Length);
                return true;
            }
            catch (System.Exception)
            {
                return false;
            }
        }

        /// <summary>Reads the record; false (and nothing changed) when absent or damaged.</summary>
        public bool Load(IStore store)
        {
            byte[] b = _buffer;
            int length;
            if (!store.TryRead(StoreKey, b, out length) || length != Length || b[0] != Version || Get16(b, 2) != Length
                || (uint)Get32(b, Length - 4) != Crc32(b, Length - 4))
            {
                return false;
            }

            int flags = b[1];
            Paused = (flags & FlagPaused) != 0;
            DefaultHoursChosen = (flags & FlagDefaultHoursChosen) != 0;
            BoostActive = (flags & FlagBoost) != 0;
            DefaultSchedulePresent = (flags & FlagDefaultSchedule) != 0;
            SessionSchedulePresent = (flags & FlagSessionSchedule) != 0;
            PlatformMilliamps = Get32(b, 4);
            RandomDelayMaxSeconds = Get16(b, 8);
            BoostRemainingSeconds = Get32(b, 10);
            BoostRemainingWattHours = Get32(b, 14);
            int at = HeaderBytes;
            at = GetSchedule(b, at, DefaultHours);
            at = GetSchedule(b, at, DefaultSchedule);
            GetSchedule(b, at, SessionSchedule);
            return true;
        }

        private static int PutSchedule(byte[] b, int at, ChargingSchedule s)
        {
            b[at] = (byte)s.Count;
            Put32(b, at + 1, s.EnergyTargetWattHours);
            int p = at + 5;
            for (int i = 0; i < ChargingSchedule.MaxWindows; i++)
            {
                bool used = i < s.Count;
                ChargingWindow w = s.Window(i);
                Put16(b, p, used ? w.StartMinute : 0);
                Put16(b, p + 2, used ? w.EndMinute : 0);
                b[p + 4] = (byte)(used ? w.DaysMask : 0);
                Put32(b, p + 5, used ? w.LimitMilliamps : 0);
                p += 9;
            }

            return at + ScheduleBytes;
        }

        private static int GetSchedule(byte[] b, int at, ChargingSchedule s)
        {
            s.Clear();
            int count = b[at];
            s.EnergyTargetWattHours = Get32(b, at + 1);
            int p = at + 5;
            for (int i = 0; i < count && i < ChargingSchedule.MaxWindows; i++)
            {
                s.Add(Get16(b, p), Get16(b, p + 2), b[p + 4], Get32(b, p + 5));
                p += 9;
            }

            return at + ScheduleBytes;
        }

        private static void Put16(byte[] b, int at, int v)
        {
            b[at] = (byte)v;
            b[at + 1] = (byte)(v >> 8);
        }

        private static void Put32(byte[] b, int at, int v)
        {
            b[at] = (byte)v;
            b[at + 1] = (byte)(v >> 8);
            b[at + 2] = (byte)(v >> 16);
            b[at + 3] = (byte)(v >> 24);
        }

        private static int Get16(byte[] b, int at) => b[at] | (b[at + 1] << 8);

        private static int Get32(byte[] b, int at) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);

        // CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), bitwise: the record is small and rarely written.
        private static uint Crc32(byte[] b, int length)
        {
            uint crc = 0xFFFFFFFF;
            for (int i = 0; i < length; i++)
            {
                crc ^= b[i];
                for (int k = 0; k < 8; k++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
                }
            }

            return ~crc;
        }
    }
}
