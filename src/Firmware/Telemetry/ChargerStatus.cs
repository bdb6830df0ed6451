namespace IndraSmartPro.Telemetry
{
    /// <summary>
    /// What the retained status message says (docs/mqtt.md, "Status"). One instance is filled in
    /// place every telemetry run; strings are constant codes, so filling and comparing allocate
    /// nothing. "Discrete" fields are the ones whose change triggers a publication; measured
    /// values only ride along (they change every cycle).
    /// </summary>
    public sealed class ChargerStatus
    {
        /// <summary>Most trip or fault codes listed at once.</summary>
        public const int MaxCodes = 8;

        /// <summary>State: no EV.</summary>
        public const string StateIdle = "idle";
        /// <summary>State: EV present, not charging.</summary>
        public const string StateConnected = "connected";
        /// <summary>State: contactor closed.</summary>
        public const string StateCharging = "charging";
        /// <summary>State: paused by command.</summary>
        public const string StatePaused = "paused";
        /// <summary>State: a protective trip is latched.</summary>
        public const string StateTripped = "tripped";
        /// <summary>State: nobody has commissioned the unit; it never closes a relay (docs/commissioning.md).</summary>
        public const string StateNotCommissioned = "not-commissioned";
        /// <summary>State: a fault is active (or the pilot says E/F).</summary>
        public const string StateFault = "fault";

        /// <summary>Pilot state before the first reading.</summary>
        public const string PilotUnknown = "unknown";

        /// <summary>Charging state; when left null, <see cref="DeriveState"/> sets it.</summary>
        public string State;

        /// <summary>IEC 61851-1 pilot state "A".."F", or "unknown".</summary>
        public string Pilot = PilotUnknown;

        /// <summary>Main contactor closed.</summary>
        public bool Contactor;

        /// <summary>Paused by command.</summary>
        public bool Paused;

        /// <summary>Current offered on the pilot, milliamps; 0 when none.</summary>
        public int OfferedMilliamps;

        /// <summary>Which claim sets the offer, e.g. "platform"; null when unknown.</summary>
        public string LimitReason;

        /// <summary>PEST mode code: "A-electrode", "A-no-electrode" or "B"; null when unknown.</summary>
        public string PestMode;

        /// <summary>Latched trip codes, [0, <see cref="TripCount"/>).</summary>
        public readonly string[] Trips = new string[MaxCodes];

        /// <summary>Number of latched trips listed.</summary>
        public int TripCount;

        /// <summary>Active fault codes, [0, <see cref="FaultCount"/>).</summary>
        public readonly string[] Faults = new string[MaxCodes];

        /// <summary>Number of active faults listed.</summary>
        public int FaultCount;

        /// <summary>Measured RMS current to the EV, milliamps.</summary>
        public int CurrentMilliamps;

        /// <summary>Measured real power to the EV, milliwatts.</summary>
        public int PowerMilliwatts;

        /// <summary>Energy of the current (or last) session, watt-hours.</summary>
        public long SessionWattHours;

        /// <summary>Energy since manufacture, watt-hours.</summary>
        public long LifetimeWattHours;

        /// <summary>L-N RMS, millivolts.</summary>
        public int LineNeutralMillivolts;

        /// <summary>L-TTref RMS, millivolts.</summary>
        public int LineTtRefMillivolts;

        /// <summary>CPC-TTref RMS, millivolts.</summary>
        public int CpcTtRefMillivolts;

        /// <summary>Signed import through the CT clamp (house + EV), milliamps: + import, − export. Rides along.</summary>
        public int ImportMilliamps;

        /// <summary>The EV's allowance from curtailment (its claim), milliamps; 0 paused; −1 none (no clamp). Rides along.</summary>
        public int EvAllowanceMilliamps = -1;

        /// <summary>Contactor closings since start-up. Rides along.</summary>
        public int ContactorCycles;

        /// <summary>Curtailment state: "off", "following", "paused", "fallback"; null when unknown. Discrete.</summary>
        public string Curtailment;

        /// <summary>CT clamp health: "not-fitted", "ok" or a ct-… fault code; null when unknown. Discrete.</summary>
        public string CtHealth;

        /// <summary>Solar mode: "fast", "eco", "eco-plus"; null when unknown. Discrete.</summary>
        public string SolarMode;

        /// <summary>Adds a code to a list unless present or full. Returns true if the list changed.</summary>
        public static bool AddCode(string[] codes, ref int count, string code)
        {
            if (code == null || IndexOf(codes, count, code) >= 0 || count == codes.Length)
            {
                return false;
            }

            codes[count++] = code;
            return true;
        }

        /// <summary>Removes a code from a list, keeping order. Returns true if it was there.</summary>
        public static bool RemoveCode(string[] codes, ref int count, string code)
        {
            int index = IndexOf(codes, count, code);
            if (index < 0)
            {
                return false;
            }

            for (int i = index; i < count - 1; i++)
            {
                codes[i] = codes[i + 1];
            }

            count--;
            codes[count] = null;
            return true;
        }

        /// <summary>Sets <see cref="State"/> from the other fields when the source left it null.</summary>
        public void DeriveState()
        {
            if (State != null)
            {
                return;
            }

            if (TripCount > 0)
            {
                State = StateTripped;
            }
            else if (FaultCount > 0 || Pilot == "E" || Pilot == "F")
            {
                State = StateFault;
            }
            else if (Contactor)
            {
                State = StateCharging;
            }
            else if (Paused)
            {
                State = StatePaused;
            }
            else if (Pilot == "B" || Pilot == "C" || Pilot == "D")
            {
                State = StateConnected;
            }
            else
            {
                State = StateIdle;
            }
        }

        /// <summary>UTC seconds since 1970 when the clock is synchronised; 0 = not synchronised.</summary>
        public long UtcSeconds;

        /// <summary>True while Boost runs.</summary>
        public bool Boost;

        /// <summary>Seconds of Boost left; 0 when untimed or not running.</summary>
        public int BoostRemainingSeconds;

        /// <summary>Watt-hours of Boost left; 0 when not energy-limited or not running.</summary>
        public int BoostRemainingWattHours;

        /// <summary>Seconds left of a running randomised delay; 0 when none runs.</summary>
        public int RandomDelaySeconds;

        /// <summary>The schedule in force: "session", "default" or null.</summary>
        public string Schedule;

        /// <summary>The default charging hours: "factory" (not yet chosen), "owner" (chosen) or "off" (removed).</summary>
        public string DefaultHours;

        /// <summary>True when any discrete field differs from <paramref name="other"/>.</summary>
        public bool DiscreteDiffers(ChargerStatus other)
        {
            if (!Same(State, other.State) || !Same(Pilot, other.Pilot) || Contactor != other.Contactor || Paused != other.Paused
                || OfferedMilliamps != other.OfferedMilliamps || !Same(LimitReason, other.LimitReason) || !Same(PestMode, other.PestMode)
                || TripCount != other.TripCount || FaultCount != other.FaultCount
                || !Same(Curtailment, other.Curtailment) || !Same(CtHealth, other.CtHealth) || !Same(SolarMode, other.SolarMode)
                || Boost != other.Boost || (RandomDelaySeconds > 0) != (other.RandomDelaySeconds > 0) || !Same(Schedule, other.Schedule) || !Same(DefaultHours, other.DefaultHours))
            {
                return true;
            }

            for (int i = 0; i < TripCount; i++)
            {
                if (!Same(Trips[i], other.Trips[i]))
                {
                    return true;
                }
            }

            for (int i = 0; i < FaultCount; i++)
            {
                if (!Same(Faults[i], other.Faults[i]))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Copies the discrete fields of <paramref name="other"/> into this one.</summary>
        public void CopyDiscreteFrom(ChargerStatus other)
        {
            State = other.State;
            Pilot = other.Pilot;
            Contactor = other.Contactor;
            Paused = other.Paused;
            OfferedMilliamps = other.OfferedMilliamps;
            LimitReason = other.LimitReason;
            PestMode = other.PestMode;
            TripCount = other.TripCount;
            FaultCount = other.FaultCount;
            Curtailment = other.Curtailment;
            CtHealth = other.CtHealth;
            SolarMode = other.SolarMode;
            Boost = other.Boost;
            RandomDelaySeconds = other.RandomDelaySeconds;
            Schedule = other.Schedule;
            DefaultHours = other.DefaultHours;
            for (int i = 0; i < MaxCodes; i++)
            {
                Trips[i] = other.Trips[i];
                Faults[i] = other.Faults[i];
            }
        }

        private static int IndexOf(string[] codes, int count, string code)
        {
            for (int i = 0; i < count; i++)
            {
                if (Same(codes[i], code))
                {
                    return i;
                }
            }

            return -1;
        }

        // Ordinal equality without allocation; the same constant is usually the same reference.
        private static bool Same(string a, string b)
        {
            if ((object)a == (object)b)
            {
                return true;
            }

            if (a == null || b == null || a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                if (a[i] != b[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
