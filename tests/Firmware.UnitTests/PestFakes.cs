using IndraSmartPro.Board;
using IndraSmartPro.Events;
using IndraSmartPro.Metering;
using IndraSmartPro.Persistence;
using IndraSmartPro.Pests;
using IndraSmartPro.Safety;

namespace IndraSmartPro.UnitTests
{
    /// <summary>The board's hardware as the PEST tests need it: relays with a weld sense, the RDC-DD module, the switches.</summary>
    internal sealed class PestFakeBoard : IRelayDrive, IWeldSense, IRcdMonitor, IOperatorInputs, IAnalogInputs
    {
        public bool Contactor;
        public bool Earth;
        public bool Welded;
        public bool LoadSideLiveOverride;
        public bool RcdFault;
        public bool RcdHealthy = true;
        public bool RcdStuckHigh;
        public bool RcdTest;
        public int RcdTestStarts;
        public bool ToggleModeB;
        public bool Button;

        public void SetContactor(bool closed)
        {
            Contactor = closed;
        }

        public void SetEarthRelay(bool closed)
        {
            Earth = closed;
        }

        public void OpenAll()
        {
            Contactor = false;
            Earth = false;
        }

        public bool ReadLoadSideLive()
        {
            return Contactor || Welded || LoadSideLiveOverride;
        }

        public bool ReadFault()
        {
            return RcdFault || RcdStuckHigh || (RcdTest && RcdHealthy);
        }

        public void SetTest(bool on)
        {
            if (on && !RcdTest)
            {
                RcdTestStarts++;
            }

            RcdTest = on;
        }

        public bool ReadPestToggleModeB()
        {
            return ToggleModeB;
        }

        public bool ReadButtonPressed()
        {
            return Button;
        }

        public int ReadPinMillivolts(AnalogChannel channel)
        {
            return FrontEnd.BiasPinMillivolts;
        }
    }

    internal sealed class PestFakePilot : IPilotSafety
    {
        public int FaultStates;

        public void EnterFaultState(long nowMicroseconds)
        {
            FaultStates++;
        }
    }

    /// <summary>Remembers the events (copies: the bus reuses its instance).</summary>
    internal sealed class PestEventLog : IChargerEventListener
    {
        public const int Capacity = 256;
        public readonly ChargerEventKind[] Kinds = new ChargerEventKind[Capacity];
        public readonly string[] Codes = new string[Capacity];
        public readonly string[] Texts = new string[Capacity];
        public readonly long[] Times = new long[Capacity];
        public readonly object[] Details = new object[Capacity];
        public int Count;

        public void OnEvent(ChargerEvent e)
        {
            if (Count == Capacity)
            {
                return;
            }

            Kinds[Count] = e.Kind;
            Codes[Count] = e.Code;
            Texts[Count] = e.Text;
            Times[Count] = e.TimeMicroseconds;
            Details[Count] = e.Detail;
            Count++;
        }

        /// <summary>How many events of the kind were published.</summary>
        public int CountOf(ChargerEventKind kind)
        {
            int n = 0;
            for (int i = 0; i < Count; i++)
            {
                if (Kinds[i] == kind)
                {
                    n++;
                }
            }

            return n;
        }

        /// <summary>Index of the first event of the kind with the code, or −1.</summary>
        public int IndexOf(ChargerEventKind kind, string code)
        {
            for (int i = 0; i < Count; i++)
            {
                if (Kinds[i] == kind && Codes[i] == code)
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>Index of the first event of the kind, or −1.</summary>
        public int IndexOf(ChargerEventKind kind)
        {
            for (int i = 0; i < Count; i++)
            {
                if (Kinds[i] == kind)
                {
                    return i;
                }
            }

            return -1;
        }
    }

    /// <summary>
    /// A fake stream of mains cycles: 20 ms cycles of given RMS values, fed to the rules or to the
    /// whole protection, with the clock advanced per cycle and the "pests" task run every millisecond.
    /// </summary>
    internal sealed class PestRig
    {
        public const int CycleMicroseconds = 20000;
        public readonly PestFakeBoard Board = new PestFakeBoard();
        public readonly PestFakePilot Pilot = new PestFakePilot();
        public readonly EventBus Events = new EventBus();
        public readonly PestEventLog Log = new PestEventLog();
        public readonly IStore Store;
        public readonly RelaySupervisor Relays;
        public readonly PestProtection Protection;
        public readonly MainsCycle Cycle = new MainsCycle();
        public long NowMicroseconds;

        public PestRig(PestMode mode)
            : this(mode, new MemoryStore())
        {
        }

        public PestRig(PestMode mode, IStore store)
        {
            Store = store;
            Board.ToggleModeB = mode == PestMode.B;
            Events.Subscribe(Log);
            Relays = new RelaySupervisor(Board, Events, Pilot);
            Protection = new PestProtection(Board, Board, Board, Relays, Events, store, new MainsMeter(Board), mode == PestMode.AWithElectrode);
            Protection.Boot(0);
            SetSupply(230000, 230000, 2000);
        }

        public int LineNeutralMillivolts;
        public int LineTtRefMillivolts;
        public int CpcTtRefMillivolts;
        public bool LineLocked = true;

        public void SetSupply(int lineNeutralMillivolts, int lineTtRefMillivolts, int cpcTtRefMillivolts)
        {
            LineNeutralMillivolts = lineNeutralMillivolts;
            LineTtRefMillivolts = lineTtRefMillivolts;
            CpcTtRefMillivolts = cpcTtRefMillivolts;
        }

        /// <summary>Runs whole cycles: the task every millisecond, then the cycle's evaluation at its end.</summary>
        public void RunCycles(int cycles)
        {
            for (int c = 0; c < cycles; c++)
            {
                for (int ms = 0; ms < CycleMicroseconds / 1000; ms++)
                {
                    NowMicroseconds += 1000;
                    Protection.Run(NowMicroseconds);
                    Relays.Enforce(NowMicroseconds);
                }

                MainsCycle cycle = Cycle;
                cycle.EndMicroseconds = NowMicroseconds;
                cycle.PeriodMicroseconds = CycleMicroseconds;
                cycle.LineLocked = LineLocked;
                cycle.FrequencyMillihertz = LineLocked ? 50000 : 0;
                cycle.LineNeutralMillivolts = LineNeutralMillivolts;
                cycle.LineTtRefMillivolts = LineTtRefMillivolts;
                cycle.CpcTtRefMillivolts = CpcTtRefMillivolts;
                cycle.SampleCount = 20;
                Protection.OnMainsCycle(cycle);
                Relays.Enforce(NowMicroseconds);
            }
        }

        /// <summary>
        /// Moves the clock forward as if healthy cycles had flowed all along (for day-long jumps):
        /// delivers one cycle ending at the new time before any task run sees it.
        /// </summary>
        public void JumpTo(long nowMicroseconds)
        {
            NowMicroseconds = nowMicroseconds;
            MainsCycle cycle = Cycle;
            cycle.EndMicroseconds = NowMicroseconds;
            cycle.PeriodMicroseconds = CycleMicroseconds;
            cycle.LineLocked = LineLocked;
            cycle.LineNeutralMillivolts = LineNeutralMillivolts;
            cycle.LineTtRefMillivolts = LineTtRefMillivolts;
            cycle.CpcTtRefMillivolts = CpcTtRefMillivolts;
            Protection.OnMainsCycle(cycle);
        }

        /// <summary>Runs only the "pests" task for a time, every millisecond, with no mains cycle (a stalled meter).</summary>
        public void RunTaskOnly(long microseconds)
        {
            for (long t = 0; t < microseconds; t += 1000)
            {
                NowMicroseconds += 1000;
                Protection.Run(NowMicroseconds);
            }
        }

        /// <summary>Runs for a time, in whole cycles (rounded up).</summary>
        public void RunMicroseconds(long microseconds)
        {
            RunCycles((int)((microseconds + CycleMicroseconds - 1) / CycleMicroseconds));
        }

        /// <summary>Runs until the contactor may close, closes earth and contactor as a session would. False if never permitted within 10 s.</summary>
        public bool StartCharging()
        {
            for (int i = 0; i < 500; i++)
            {
                if (Relays.TryCloseEarth(NowMicroseconds) && Relays.TryCloseContactor(NowMicroseconds))
                {
                    return true;
                }

                RunCycles(1);
            }

            return false;
        }

        /// <summary>A stand-alone cycle for the rule tests.</summary>
        public static MainsCycle MakeCycle(int lineNeutralMillivolts, int lineTtRefMillivolts, int cpcTtRefMillivolts)
        {
            var cycle = new MainsCycle();
            cycle.PeriodMicroseconds = CycleMicroseconds;
            cycle.LineLocked = true;
            cycle.FrequencyMillihertz = 50000;
            cycle.LineNeutralMillivolts = lineNeutralMillivolts;
            cycle.LineTtRefMillivolts = lineTtRefMillivolts;
            cycle.CpcTtRefMillivolts = cpcTtRefMillivolts;
            cycle.SampleCount = 20;
            return cycle;
        }

        /// <summary>
        /// Feeds <paramref name="cycles"/> identical cycles to the rules; returns the cause of the
        /// first trip and the cycle number (1-based) it happened on, or None and 0.
        /// </summary>
        public static int Feed(PestMonitor monitor, MainsCycle cycle, int cycles, out int tripCycle)
        {
            for (int i = 1; i <= cycles; i++)
            {
                cycle.EndMicroseconds += cycle.PeriodMicroseconds;
                int cause = monitor.Evaluate(cycle);
                if (cause != TripCauses.None)
                {
                    tripCycle = i;
                    return cause;
                }
            }

            tripCycle = 0;
            return TripCauses.None;
        }
    }
}
