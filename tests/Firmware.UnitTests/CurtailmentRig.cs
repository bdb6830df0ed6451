using IndraSmartPro.ControlPilot;
using IndraSmartPro.Events;
using IndraSmartPro.Features.Curtailment;
using IndraSmartPro.Metering;

namespace IndraSmartPro.UnitTests
{
    /// <summary>Records curtailment, fault and limit events (copies: the bus reuses its instance).</summary>
    public sealed class CurtailmentLog : IChargerEventListener
    {
        public const int Capacity = 4096;
        public readonly ChargerEventKind[] Kinds = new ChargerEventKind[Capacity];
        public readonly long[] Times = new long[Capacity];
        public readonly int[] Values = new int[Capacity];
        public readonly int[] Values2 = new int[Capacity];
        public readonly string[] Codes = new string[Capacity];
        public int Count;

        public void OnEvent(ChargerEvent e)
        {
            if (e.Kind != ChargerEventKind.Curtailment && e.Kind != ChargerEventKind.Fault && e.Kind != ChargerEventKind.FaultCleared)
            {
                return;
            }

            if (Count == Capacity)
            {
                return;
            }

            Kinds[Count] = e.Kind;
            Times[Count] = e.TimeMicroseconds;
            Values[Count] = e.Value;
            Values2[Count] = e.Value2;
            Codes[Count] = e.Code;
            Count++;
        }

        /// <summary>Index of the first event of a kind with a code at or after a time, or −1.</summary>
        public int Find(ChargerEventKind kind, string code, long fromMicroseconds)
        {
            for (int i = 0; i < Count; i++)
            {
                if (Kinds[i] == kind && Times[i] >= fromMicroseconds && (code == null || code == Codes[i]))
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>Number of events of a kind with a code.</summary>
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
    /// The curtailment controller with a real arbiter, fed one 50 Hz cycle at a time from a simple
    /// plant: house load, solar generation and an EV that follows the arbiter's limit after a
    /// delay (IEC 61851-1 allows it 5 s) and draws nothing under 6 A. The task runs every 100 ms.
    /// Time is simulated: nothing sleeps.
    /// </summary>
    public sealed class CurtailmentRig
    {
        public const int CycleMicroseconds = 20000;

        public readonly CurrentArbiter Arbiter;
        public readonly CurtailmentController Controller;
        public readonly CurtailmentSettings Settings;
        public readonly CurtailmentLog Log = new CurtailmentLog();
        public readonly MainsCycle Cycle = new MainsCycle();
        public long Now;
        public int HouseMilliamps;
        public int SolarMilliamps;
        public int EvMaxMilliamps = 32000;
        public long EvDelayMicroseconds = 5000000;
        public bool EvConnected = true;
        public int EvMilliamps;

        /// <summary>The clamp: 1 normal, −1 reversed, 0 reads nothing.</summary>
        public int CtSign = 1;

        /// <summary>When ≥ 0, the clamp reads this (signed) whatever flows.</summary>
        public int CtStuckMilliamps = -1;

        public bool CyclesStopped;
        private readonly long[] _pendingDue = new long[64];
        private readonly int[] _pendingMilliamps = new int[64];
        private int _pendingHead;
        private int _pendingCount;
        private int _evTarget = -1;
        private long _nextTask;

        public CurtailmentRig(CurtailmentSettings settings)
        {
            var events = new EventBus();
            events.Subscribe(Log);
            Settings = settings;
            Arbiter = new CurrentArbiter(events, 32000, 32000, 100000);
            Controller = new CurtailmentController(Arbiter, events, settings);
        }

        public static CurtailmentSettings DefaultSettings()
        {
            var s = new CurtailmentSettings();
            s.SupplyRatingMilliamps = 60000;
            s.MarginMilliamps = 1000;
            return s;
        }

        /// <summary>What flows through the clamp: house + EV − solar, milliamps.</summary>
        public int ImportMilliamps => HouseMilliamps + EvMilliamps - SolarMilliamps;

        /// <summary>Runs simulated time forward by whole cycles.</summary>
        public void RunFor(long microseconds)
        {
            long end = Now + microseconds;
            while (Now < end)
            {
                Now += CycleMicroseconds;
                StepEv();
                if (!CyclesStopped)
                {
                    int reading = CtStuckMilliamps >= 0 ? CtStuckMilliamps : ImportMilliamps * CtSign;
                    Cycle.EndMicroseconds = Now;
                    Cycle.LineNeutralMillivolts = 230000;
                    Cycle.HouseMilliamps = reading < 0 ? -reading : reading;
                    Cycle.HouseMilliwatts = (int)((long)reading * 230);
                    Cycle.EvMilliamps = EvMilliamps;
                    Controller.OnMainsCycle(Cycle);
                }

                if (Now >= _nextTask)
                {
                    Controller.Run(Now);
                    _nextTask = Now + CurtailmentController.TaskPeriodMicroseconds;
                }
            }
        }

        public void RunSeconds(int seconds)
        {
            RunFor(seconds * 1000000L);
        }

        private void StepEv()
        {
            int offered = Arbiter.LimitMilliamps;
            int target = !EvConnected || offered < 6000 ? 0 : (offered < EvMaxMilliamps ? offered : EvMaxMilliamps);
            if (target != _evTarget && _pendingCount < _pendingDue.Length)
            {
                // Each change is followed its delay after it was made (IEC 61851-1: within 5 s of
                // the change), however many follow it meanwhile.
                _evTarget = target;
                int slot = (_pendingHead + _pendingCount) % _pendingDue.Length;
                _pendingDue[slot] = Now + EvDelayMicroseconds;
                _pendingMilliamps[slot] = target;
                _pendingCount++;
            }

            while (_pendingCount > 0 && _pendingDue[_pendingHead] <= Now)
            {
                EvMilliamps = _pendingMilliamps[_pendingHead];
                _pendingHead = (_pendingHead + 1) % _pendingDue.Length;
                _pendingCount--;
            }
        }
    }
}
