using System;
using IndraSmartPro.Board;

namespace IndraSmartPro.Scheduling
{
    /// <summary>
    /// Single-threaded cooperative scheduler. Tasks have a period and a CPU budget; the first task
    /// added has the highest priority. Each call to <see cref="RunNext"/> runs the one most
    /// important task that is due, so the protection task (added first) waits at most for the
    /// longest single run of another task: that bound is the documented worst-case delay
    /// (docs/architecture.md). Nothing here allocates after <see cref="Add"/>.
    /// </summary>
    public sealed class Scheduler
    {
        /// <summary>Upper bound on registered tasks; arrays are sized once.</summary>
        public const int MaxTasks = 16;

        private readonly IMicrosecondClock _clock;
        private readonly IPeriodicTask[] _tasks = new IPeriodicTask[MaxTasks];
        private readonly string[] _names = new string[MaxTasks];
        private readonly int[] _periodMicroseconds = new int[MaxTasks];
        private readonly int[] _budgetMicroseconds = new int[MaxTasks];
        private readonly long[] _nextDueMicroseconds = new long[MaxTasks];
        private readonly long[] _runs = new long[MaxTasks];
        private readonly int[] _overruns = new int[MaxTasks];
        private readonly int[] _missedPeriods = new int[MaxTasks];
        private readonly int[] _maxRunMicroseconds = new int[MaxTasks];
        private readonly int[] _maxLatenessMicroseconds = new int[MaxTasks];
        private readonly bool[] _woken = new bool[MaxTasks];
        private readonly long[] _gridDueMicroseconds = new long[MaxTasks];
        private readonly long[] _wakes = new long[MaxTasks];
        private int _count;
        private bool _started;

        /// <summary>Creates an empty scheduler on the given clock.</summary>
        public Scheduler(IMicrosecondClock clock)
        {
            _clock = clock;
        }

        /// <summary>Number of registered tasks.</summary>
        public int TaskCount => _count;

        /// <summary>
        /// Registers a task. Call before <see cref="Start"/>. Order is priority: add the
        /// protection task first.
        /// </summary>
        /// <param name="name">Short name for reports, e.g. "protection".</param>
        /// <param name="task">The work.</param>
        /// <param name="periodMicroseconds">Period, 100 µs to 60 s.</param>
        /// <param name="budgetMicroseconds">Allowed run time per period on the device; longer runs count as overruns.</param>
        /// <returns>The task's index for the statistics accessors.</returns>
        public int Add(string name, IPeriodicTask task, int periodMicroseconds, int budgetMicroseconds)
        {
            if (_started)
            {
                throw new InvalidOperationException("tasks must be added before Start");
            }

            if (task == null || name == null)
            {
                throw new ArgumentNullException();
            }

            if (_count == MaxTasks)
            {
                throw new InvalidOperationException("too many tasks");
            }

            if (periodMicroseconds < 100 || periodMicroseconds > 60000000 || budgetMicroseconds <= 0)
            {
                throw new ArgumentOutOfRangeException("periodMicroseconds");
            }

            int index = _count++;
            _tasks[index] = task;
            _names[index] = name;
            _periodMicroseconds[index] = periodMicroseconds;
            _budgetMicroseconds[index] = budgetMicroseconds;
            return index;
        }

        /// <summary>Makes every task due now. Call once, after boot has put the board in the safe state.</summary>
        public void Start()
        {
            long now = _clock.NowMicroseconds;
            for (int i = 0; i < _count; i++)
            {
                _nextDueMicroseconds[i] = now;
            }

            _started = true;
        }

        /// <summary>The earliest time any task is due, in clock microseconds.</summary>
        public long NextDueMicroseconds
        {
            get
            {
                long earliest = long.MaxValue;
                for (int i = 0; i < _count; i++)
                {
                    if (_nextDueMicroseconds[i] < earliest)
                    {
                        earliest = _nextDueMicroseconds[i];
                    }
                }

                return earliest;
            }
        }

        /// <summary>
        /// Makes a task due now, once, without moving its period grid: after the extra run it is
        /// next due where it would have been. Priority is unchanged, so a woken low-priority task
        /// still runs only when nothing more important is due. Call on the scheduler's thread
        /// (e.g. from inside another task's run); allocation-free.
        /// </summary>
        /// <param name="index">The task's index from <see cref="Add"/>.</param>
        public void Wake(int index)
        {
            if (!_started || index < 0 || index >= _count)
            {
                return;
            }

            long now = _clock.NowMicroseconds;
            if (_nextDueMicroseconds[index] <= now)
            {
                return;
            }

            if (!_woken[index])
            {
                _woken[index] = true;
                _gridDueMicroseconds[index] = _nextDueMicroseconds[index];
            }

            _nextDueMicroseconds[index] = now;
            _wakes[index]++;
        }

        /// <summary>
        /// Runs the highest-priority task that is due, if any. Returns false when none was due.
        /// </summary>
        public bool RunNext()
        {
            long now = _clock.NowMicroseconds;
            for (int i = 0; i < _count; i++)
            {
                long due = _nextDueMicroseconds[i];
                if (due > now)
                {
                    continue;
                }

                int period = _periodMicroseconds[i];
                long lateness = now - due;
                if (lateness > _maxLatenessMicroseconds[i])
                {
                    _maxLatenessMicroseconds[i] = lateness > int.MaxValue ? int.MaxValue : (int)lateness;
                }

                // Keep the grid (no drift); a task more than a whole period late skips the periods it
                // missed rather than running back to back, and the skips are counted. A woken run
                // before the grid's next due time leaves that time as it was.
                long grid = due;
                if (_woken[i])
                {
                    _woken[i] = false;
                    grid = _gridDueMicroseconds[i];
                }

                long next;
                if (grid > now)
                {
                    next = grid;
                }
                else
                {
                    next = grid + period;
                    if (next <= now)
                    {
                        long missed = (now - grid) / period;
                        _missedPeriods[i] += (int)missed;
                        next = grid + ((missed + 1) * period);
                    }
                }

                _nextDueMicroseconds[i] = next;
                _tasks[i].Run(now);

                long elapsed = _clock.NowMicroseconds - now;
                if (elapsed > _maxRunMicroseconds[i])
                {
                    _maxRunMicroseconds[i] = elapsed > int.MaxValue ? int.MaxValue : (int)elapsed;
                }

                if (elapsed > _budgetMicroseconds[i])
                {
                    _overruns[i]++;
                }

                _runs[i]++;
                return true;
            }

            return false;
        }

        /// <summary>Runs due tasks, most important first, until none is due. Returns how many runs it made.</summary>
        public int RunDue()
        {
            int runs = 0;
            while (RunNext())
            {
                runs++;
            }

            return runs;
        }

        /// <summary>The task's name.</summary>
        public string GetName(int index) => _names[index];

        /// <summary>The task's period in microseconds.</summary>
        public int GetPeriodMicroseconds(int index) => _periodMicroseconds[index];

        /// <summary>The task's CPU budget in microseconds.</summary>
        public int GetBudgetMicroseconds(int index) => _budgetMicroseconds[index];

        /// <summary>How many times the task has run.</summary>
        public long GetRuns(int index) => _runs[index];

        /// <summary>How many times <see cref="Wake"/> made the task due early.</summary>
        public long GetWakes(int index) => _wakes[index];

        /// <summary>How many runs took longer than the budget.</summary>
        public int GetOverruns(int index) => _overruns[index];

        /// <summary>How many whole periods were skipped because the task started too late.</summary>
        public int GetMissedPeriods(int index) => _missedPeriods[index];

        /// <summary>The longest single run so far, in microseconds.</summary>
        public int GetMaxRunMicroseconds(int index) => _maxRunMicroseconds[index];

        /// <summary>The latest start after the due time so far, in microseconds.</summary>
        public int GetMaxLatenessMicroseconds(int index) => _maxLatenessMicroseconds[index];

        /// <summary>Total overruns over all tasks.</summary>
        public int TotalOverruns
        {
            get
            {
                int total = 0;
                for (int i = 0; i < _count; i++)
                {
                    total += _overruns[i];
                }

                return total;
            }
        }
    }
}
