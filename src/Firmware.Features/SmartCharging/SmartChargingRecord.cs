using IndraSmartPro.Persistence;

namespace IndraSmartPro.Features.SmartCharging
{
    /// <summary>
    /// What smart charging keeps across a power cut: the platform limit and pause, both
    /// schedules, the default-hours choice, the randomised delay's maximum and a running Boost
    /// with what remains. One record under <see cref="StoreKey"/>, written on every change (rare:
    /// commands) and every minute while Boost runs. A <see cref="RecordCodec"/> frame of kind
    /// <see cref="RecordKinds.SmartCharging"/>, version 1; payload (little-endian):
    /// <code>
    /// offset size field
    ///  0     1    flags: 1 paused, 2 default hours chosen, 4 Boost running, 8 default schedule, 16 session schedule
    ///  1     4    platform limit, mA (0 = none)
    ///  5     2    randomised delay maximum, s
    ///  7     4    Boost seconds left (0 = untimed)
    ///  11    4    Boost Wh left (0 = no energy limit)
    ///  15    4    UTC start of the open session, s (0 = unknown), for its history record after a power cut
    ///  19    3 ×  schedules: default hours, default schedule, session schedule; each
    ///             1 count, 4 energy target Wh, 8 windows × (2 start min, 2 end min, 1 days, 4 mA)
    /// </code>
    /// A record that fails any check is ignored and the factory settings apply.
    /// </summary>
    public sealed class SmartChargingRecord
    {
        /// <summary>Store key.</summary>
        public const string StoreKey = "smart";

        /// <summary>Payload layout version.</summary>
        public const int Version = 1;

        private const int ScheduleBytes = 1 + 4 + (ChargingSchedule.MaxWindows * 9);
        private const int FixedBytes = 19;

        /// <summary>Payload bytes.</summary>
        public const int PayloadLength = FixedBytes + (3 * ScheduleBytes);

        /// <summary>Bytes of a stored record.</summary>
        public const int Length = RecordCodec.OverheadBytes + PayloadLength;

        private const int FlagPaused = 1;
        private const int FlagDefaultHoursChosen = 2;
        private const int FlagBoost = 4;
        private const int FlagDefaultSchedule = 8;
        private const int FlagSessionSchedule = 16;

        private readonly byte[] _buffer = new byte[Length];

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

        /// <summary>UTC start of the open session, seconds; 0 = unknown or none.</summary>
        public uint OpenSessionStartUtcSeconds;

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
            OpenSessionStartUtcSeconds = 0;
        }

        /// <summary>Writes the record; false if the store threw.</summary>
        public bool Save(IStore store)
        {
            byte[] b = _buffer;
            int flags = (Paused ? FlagPaused : 0) | (DefaultHoursChosen ? FlagDefaultHoursChosen : 0) | (BoostActive ? FlagBoost : 0)
                | (DefaultSchedulePresent ? FlagDefaultSchedule : 0) | (SessionSchedulePresent ? FlagSessionSchedule : 0);
            const int p = RecordCodec.HeaderBytes;
            RecordCodec.WriteHeader(b, 0, RecordKinds.SmartCharging, Version);
            b[p] = (byte)flags;
            LittleEndian.WriteInt32(b, p + 1, PlatformMilliamps);
            LittleEndian.WriteUInt16(b, p + 5, RandomDelayMaxSeconds);
            LittleEndian.WriteInt32(b, p + 7, BoostRemainingSeconds);
            LittleEndian.WriteInt32(b, p + 11, BoostRemainingWattHours);
            LittleEndian.WriteUInt32(b, p + 15, OpenSessionStartUtcSeconds);
            int at = p + FixedBytes;
            at = PutSchedule(b, at, DefaultHours);
            at = PutSchedule(b, at, DefaultSchedule);
            PutSchedule(b, at, SessionSchedule);
            int length = RecordCodec.Seal(b, 0, PayloadLength);
            try
            {
                store.Write(StoreKey, b, length);
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
            if (!store.TryRead(StoreKey, b, out length) || !RecordCodec.IsRecord(b, length, RecordKinds.SmartCharging, Version, PayloadLength))
            {
                return false;
            }

            const int p = RecordCodec.HeaderBytes;
            int flags = b[p];
            Paused = (flags & FlagPaused) != 0;
            DefaultHoursChosen = (flags & FlagDefaultHoursChosen) != 0;
            BoostActive = (flags & FlagBoost) != 0;
            DefaultSchedulePresent = (flags & FlagDefaultSchedule) != 0;
            SessionSchedulePresent = (flags & FlagSessionSchedule) != 0;
            PlatformMilliamps = LittleEndian.ReadInt32(b, p + 1);
            RandomDelayMaxSeconds = LittleEndian.ReadUInt16(b, p + 5);
            BoostRemainingSeconds = LittleEndian.ReadInt32(b, p + 7);
            BoostRemainingWattHours = LittleEndian.ReadInt32(b, p + 11);
            OpenSessionStartUtcSeconds = LittleEndian.ReadUInt32(b, p + 15);
            int at = p + FixedBytes;
            at = GetSchedule(b, at, DefaultHours);
            at = GetSchedule(b, at, DefaultSchedule);
            GetSchedule(b, at, SessionSchedule);
            return true;
        }

        private static int PutSchedule(byte[] b, int at, ChargingSchedule s)
        {
            b[at] = (byte)s.Count;
            LittleEndian.WriteInt32(b, at + 1, s.EnergyTargetWattHours);
            int p = at + 5;
            for (int i = 0; i < ChargingSchedule.MaxWindows; i++)
            {
                bool used = i < s.Count;
                ChargingWindow w = s.Window(i);
                LittleEndian.WriteUInt16(b, p, used ? w.StartMinute : 0);
                LittleEndian.WriteUInt16(b, p + 2, used ? w.EndMinute : 0);
                b[p + 4] = (byte)(used ? w.DaysMask : 0);
                LittleEndian.WriteInt32(b, p + 5, used ? w.LimitMilliamps : 0);
                p += 9;
            }

            return at + ScheduleBytes;
        }

        private static int GetSchedule(byte[] b, int at, ChargingSchedule s)
        {
            s.Clear();
            int count = b[at];
            s.EnergyTargetWattHours = LittleEndian.ReadInt32(b, at + 1);
            int p = at + 5;
            for (int i = 0; i < count && i < ChargingSchedule.MaxWindows; i++)
            {
                s.Add(LittleEndian.ReadUInt16(b, p), LittleEndian.ReadUInt16(b, p + 2), b[p + 4], LittleEndian.ReadInt32(b, p + 5));
                p += 9;
            }

            return at + ScheduleBytes;
        }
    }
}
