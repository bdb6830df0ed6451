namespace IndraSmartPro.Persistence
{
    /// <summary>
    /// The kind byte of every stored record (<see cref="RecordCodec"/>), in one table so two
    /// features never reuse a number. A new kind of record takes the next free number here; a new
    /// layout of an existing kind keeps the number and raises its version.
    /// </summary>
    public static class RecordKinds
    {
        /// <summary>The protective latch (pest protection), keys "pest-latch" and "pest-latch-2".</summary>
        public const int Latch = 1;

        /// <summary>The meter's calibration, key "calibration".</summary>
        public const int Calibration = 2;

        /// <summary>The energy counters, key "energy".</summary>
        public const int Energy = 3;

        /// <summary>The unit's configuration, keys "config-a" and "config-b" (two slots, the newer intact one wins).</summary>
        public const int Config = 4;

        /// <summary>The last hand-over check report, key "check-report".</summary>
        public const int CheckReport = 5;

        /// <summary>Smart-charging settings (platform limit, pause, schedules, default hours, delay, Boost), key "smart".</summary>
        public const int SmartCharging = 6;

        /// <summary>The wall clock's last known UTC, key "clock".</summary>
        public const int WallClock = 7;

        /// <summary>A charging session in the "sessions" ring (Smart Charge Points Regulations 2021, reg. 9).</summary>
        public const int SessionHistory = 8;

        /// <summary>A half-hour's energy in the "energy-hh" ring (reg. 9).</summary>
        public const int HalfHourEnergy = 9;

        /// <summary>A test or tool record; never written by the firmware.</summary>
        public const int Test = 255;
    }
}
