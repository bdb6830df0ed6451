using IndraSmartPro.Board;
using IndraSmartPro.ControlPilot;
using IndraSmartPro.Events;
using IndraSmartPro.Metering;
using IndraSmartPro.Persistence;
using IndraSmartPro.Safety;

namespace IndraSmartPro.UnitTests
{
    /// <summary>
    /// The pilot line, relays and socket lock as the session tests need them: a vehicle in a
    /// chosen state, seen through the ±12 V generator at the present clock time, exactly as the
    /// front end scales it (pin mV = 1650 + pilot mV × 1000 / 8667).
    /// </summary>
    internal sealed class PilotFakeBoard : IAnalogInputs, IPilotOutput, IRelayDrive, IWeldSense, ISocketLock
    {
        public long NowMicroseconds;
        public PilotState Vehicle = PilotState.A;
        public bool DiodeShorted;
        public int DutyPermille;
        public bool Contactor;
        public bool Earth;
        public bool LockDrive;
        public bool LockWorks = true;
        public int ProximityOhms = -1;
        public int ProximityReads;
        public int DrawMilliamps;
        public bool ContactorOpenedWhileDrawing;

        /// <summary>Added to the vehicle's high level (an in-between level, or noise the test drives).</summary>
        public int HighOffsetMillivolts;

        public int ReadPinMillivolts(AnalogChannel channel)
        {
            if (channel == AnalogChannel.ProximityPilot)
            {
                ProximityReads++;
                if (ProximityOhms < 0)
                {
                    return 3300;
                }

                return (int)(3300L * ProximityOhms / (ProximityOhms + FrontEnd.ProximityPullUpOhms));
            }

            if (channel != AnalogChannel.PilotFeedback)
            {
                return FrontEnd.BiasPinMillivolts;
            }

            return FrontEnd.BiasPinMillivolts + (PilotMillivolts() * 1000 / FrontEnd.PilotMicrovoltsPerPinMillivolt);
        }

        public int PilotMillivolts()
        {
            bool high = DutyPermille >= 1000 || (DutyPermille > 0 && (NowMicroseconds % 1000) < DutyPermille);
            int loaded = HighMillivolts() + (Vehicle == PilotState.A ? 0 : HighOffsetMillivolts);
            if (Vehicle == PilotState.E)
            {
                return 0;
            }

            if (high)
            {
                return loaded;
            }

            return DiodeShorted && Vehicle != PilotState.A ? -loaded : -12000;
        }

        private int HighMillivolts()
        {
            switch (Vehicle)
            {
                case PilotState.B:
                    return 8980;
                case PilotState.C:
                    return 5990;
                case PilotState.D:
                    return 2930;
                case PilotState.E:
                    return 0;
                default:
                    return 12000;
            }
        }

        public void SetDutyPermille(int dutyPermille)
        {
            DutyPermille = dutyPermille;
        }

        public void HoldPositive()
        {
            DutyPermille = 1000;
        }

        public void HoldNegative()
        {
            DutyPermille = 0;
        }

        public void SetContactor(bool closed)
        {
            if (!closed && Contactor && DrawMilliamps > 0)
            {
                ContactorOpenedWhileDrawing = true;
            }

            Contactor = closed;
        }

        public void SetEarthRelay(bool closed)
        {
            Earth = closed;
        }

        public void OpenAll()
        {
            SetContactor(false);
            Earth = false;
        }

        public bool ReadLoadSideLive()
        {
            return Contactor;
        }

        public void SetLockDrive(bool locked)
        {
            LockDrive = locked;
        }

        public bool ReadLocked()
        {
            return LockDrive && LockWorks;
        }
    }

    /// <summary>An interlock the test opens and closes.</summary>
    internal sealed class PilotFakeInterlock : IPowerInterlock
    {
        public bool Earth = true;
        public bool Contactor = true;
        public string Code = "test-blocked";

        public bool PermitsEarth => Earth;

        public bool PermitsContactor => Contactor;

        public string BlockingCode => Earth && Contactor ? null : Code;
    }

    /// <summary>Copies the events the session tests look at (the bus reuses its event).</summary>
    internal sealed class PilotEventLog : IChargerEventListener
    {
        public const int Capacity = 512;
        public readonly ChargerEventKind[] Kinds = new ChargerEventKind[Capacity];
        public readonly long[] Times = new long[Capacity];
        public readonly int[] Values = new int[Capacity];
        public readonly bool[] Flags = new bool[Capacity];
        public readonly string[] Codes = new string[Capacity];
        public readonly string[] Texts = new string[Capacity];
        public int Count;

        public void OnEvent(ChargerEvent e)
        {
            if (Count == Capacity)
            {
                return;
            }

            Texts[Count] = e.Text;
            Kinds[Count] = e.Kind;
            Times[Count] = e.TimeMicroseconds;
            Values[Count] = e.Value;
            Flags[Count] = e.Flag;
            Codes[Count] = e.Code;
            Count++;
        }

        /// <summary>Time of the first event of the kind at or after <paramref name="from"/> with the code (null: any), or −1.</summary>
        public long First(ChargerEventKind kind, long from, string code)
        {
            for (int i = 0; i < Count; i++)
            {
                if (Kinds[i] == kind && Times[i] >= from && (code == null || code == Codes[i]))
                {
                    return Times[i];
                }
            }

            return -1;
        }

        public int CountOf(ChargerEventKind kind, string code)
        {
            int n = 0;
            for (int i = 0; i < Count; i++)
            {
                if (Kinds[i] == kind && (code == null || code == Codes[i]))
                {
                    n++;
                }
            }

            return n;
        }
    }

    /// <summary>
    /// A session wired as ChargerFirmware wires it, on the fake board, driven the way the
    /// scheduler drives it: one Run every 1037 µs, a mains cycle every 20 ms into the energy meter,
    /// the energy task every second.
    /// The simulated vehicle draws 16 A while the contactor is closed and it shows C.
    /// </summary>
    internal sealed class PilotHarness
    {
        public readonly PilotFakeBoard Board = new PilotFakeBoard();
        public readonly EventBus Events = new EventBus();
        public readonly PilotEventLog Log = new PilotEventLog();
        public readonly PilotFakeInterlock Interlock = new PilotFakeInterlock();
        public readonly MemoryStore Store;
        public readonly PilotLink Link;
        public readonly RelaySupervisor Relays;
        public readonly CurrentArbiter Arbiter;
        public readonly EnergyMeter Energy;
        public readonly ChargingSession Session;
        public bool VehicleDrawsWhenCharging = true;
        private readonly MainsCycle _cycle = new MainsCycle();
        private long _nextRun;
        private long _nextCycle;
        private long _nextEnergy = EnergyMeter.TaskPeriodMicroseconds;

        public PilotHarness(bool socket, int cableMilliamps)
            : this(socket, cableMilliamps, new MemoryStore())
        {
        }

        /// <summary>A harness on an existing store: what the firmware sees after a reboot or power cut.</summary>
        public PilotHarness(bool socket, int cableMilliamps, MemoryStore store)
        {
            Store = store;
            Events.Subscribe(Log);
            Link = new PilotLink(Board, Board, Events);
            Relays = new RelaySupervisor(Board, Events, Link);
            Relays.AddInterlock(Interlock);
            Arbiter = new CurrentArbiter(Events, 32000, socket ? 0 : cableMilliamps, 60000);
            if (socket)
            {
                Arbiter.SetCableRating(0, CurrentArbiter.ReasonPlugRating);
            }

            Energy = new EnergyMeter(Store, Relays);
            Session = new ChargingSession(Link, Board, Board, Relays, Events, Arbiter, Energy, socket, SocketLock.DefaultTimeoutMicroseconds);
            Board.DutyPermille = 0;
        }

        public long Now => Board.NowMicroseconds;

        /// <summary>Runs for <paramref name="microseconds"/> of simulated time.</summary>
        public void Run(long microseconds)
        {
            long end = Board.NowMicroseconds + microseconds;
            while (true)
            {
                long next = _nextRun < _nextCycle ? _nextRun : _nextCycle;
                next = next < _nextEnergy ? next : _nextEnergy;
                if (next > end)
                {
                    Board.NowMicroseconds = end;
                    return;
                }

                Board.NowMicroseconds = next;
                if (next == _nextCycle)
                {
                    UpdateDraw();
                    _cycle.EvMilliamps = Board.DrawMilliamps;
                    _cycle.EvMilliwatts = Board.DrawMilliamps * 230;
                    _cycle.PeriodMicroseconds = 20000;
                    Energy.OnMainsCycle(_cycle);
                    _nextCycle += 20000;
                }

                if (next == _nextEnergy)
                {
                    Energy.Run(next);
                    _nextEnergy += EnergyMeter.TaskPeriodMicroseconds;
                }

                if (next == _nextRun)
                {
                    Session.Run(next);
                    UpdateDraw();
                    _nextRun += PilotSampler.SamplePeriodMicroseconds;
                }
            }
        }

        /// <summary>Runs until the predicate-free condition "contactor is <paramref name="closed"/>" holds or the time is up. Returns the time it held, or −1.</summary>
        public long RunUntilContactor(bool closed, long maxMicroseconds)
        {
            long end = Board.NowMicroseconds + maxMicroseconds;
            while (Board.NowMicroseconds < end)
            {
                Run(1000);
                if (Board.Contactor == closed)
                {
                    return Board.NowMicroseconds;
                }
            }

            return -1;
        }

        /// <summary>Connects a vehicle that asks to charge and runs until it charges (fails the test otherwise).</summary>
        public void StartCharging()
        {
            Board.Vehicle = PilotState.B;
            Run(300000);
            Board.Vehicle = PilotState.C;
            if (RunUntilContactor(true, 3000000) < 0)
            {
                throw new System.Exception("did not start charging");
            }
        }

        private void UpdateDraw()
        {
            bool drawing = VehicleDrawsWhenCharging && Board.Contactor && (Board.Vehicle == PilotState.C || Board.Vehicle == PilotState.D);
            Board.DrawMilliamps = drawing ? 16000 : 0;
        }
    }
}
