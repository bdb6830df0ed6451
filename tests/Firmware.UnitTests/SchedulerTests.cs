using IndraSmartPro.Board;
using IndraSmartPro.Scheduling;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    [TestClass]
    public class SchedulerTests
    {
        private sealed class FakeClock : IMicrosecondClock
        {
            public long NowMicroseconds { get; set; }
        }

        private sealed class CountingTask : IPeriodicTask
        {
            private readonly FakeClock _clock;

            public CountingTask(FakeClock clock, int costMicroseconds)
            {
                _clock = clock;
                CostMicroseconds = costMicroseconds;
            }

            public int CostMicroseconds;
            public int Runs;
            public long LastRunMicroseconds = -1;

            public void Run(long nowMicroseconds)
            {
                Runs++;
                LastRunMicroseconds = nowMicroseconds;
                _clock.NowMicroseconds += CostMicroseconds;
            }
        }

        [TestMethod]
        public void Scheduler_TaskDueAtStart_RunsOnceThenWaitsOnePeriod()
        {
            var clock = new FakeClock();
            var scheduler = new Scheduler(clock);
            var task = new CountingTask(clock, 0);
            scheduler.Add("t", task, 1000, 100);
            scheduler.Start();

            Assert.AreEqual(1, scheduler.RunDue());
            Assert.AreEqual(0, scheduler.RunDue());
            Assert.AreEqual(1000L, scheduler.NextDueMicroseconds);
            clock.NowMicroseconds = 999;
            Assert.AreEqual(0, scheduler.RunDue());
            clock.NowMicroseconds = 1000;
            Assert.AreEqual(1, scheduler.RunDue());
            Assert.AreEqual(2, task.Runs);
        }

        [TestMethod]
        public void Scheduler_TwoTasksDue_RunsFirstAddedFirst()
        {
            var clock = new FakeClock();
            var scheduler = new Scheduler(clock);
            var high = new CountingTask(clock, 10);
            var low = new CountingTask(clock, 10);
            scheduler.Add("high", high, 1000, 100);
            scheduler.Add("low", low, 1000, 100);
            scheduler.Start();

            Assert.IsTrue(scheduler.RunNext());
            Assert.AreEqual(1, high.Runs);
            Assert.AreEqual(0, low.Runs);
        }

        [TestMethod]
        public void Scheduler_RunLongerThanBudget_CountsOverrun()
        {
            var clock = new FakeClock();
            var scheduler = new Scheduler(clock);
            var task = new CountingTask(clock, 150);
            int index = scheduler.Add("slow", task, 1000, 100);
            scheduler.Start();

            scheduler.RunDue();
            Assert.AreEqual(1, scheduler.GetOverruns(index));
            Assert.AreEqual(150, scheduler.GetMaxRunMicroseconds(index));
            Assert.AreEqual(1, scheduler.TotalOverruns);
        }

        [TestMethod]
        public void Scheduler_RunWithinBudget_CountsNoOverrun()
        {
            var clock = new FakeClock();
            var scheduler = new Scheduler(clock);
            var task = new CountingTask(clock, 100);
            int index = scheduler.Add("ok", task, 1000, 100);
            scheduler.Start();

            scheduler.RunDue();
            Assert.AreEqual(0, scheduler.GetOverruns(index));
        }

        [TestMethod]
        public void Scheduler_StartedThreePeriodsLate_SkipsMissedPeriodsAndCountsThem()
        {
            var clock = new FakeClock();
            var scheduler = new Scheduler(clock);
            var task = new CountingTask(clock, 0);
            int index = scheduler.Add("t", task, 1000, 100);
            scheduler.Start();
            scheduler.RunDue();

            clock.NowMicroseconds = 3500;
            Assert.AreEqual(1, scheduler.RunDue());
            Assert.AreEqual(2, scheduler.GetMissedPeriods(index));
            Assert.AreEqual(4000L, scheduler.NextDueMicroseconds);
            Assert.AreEqual(2500, scheduler.GetMaxLatenessMicroseconds(index));
        }

        [TestMethod]
        public void Scheduler_WokenBetweenPeriods_RunsOnceNowThenKeepsItsGrid()
        {
            var clock = new FakeClock();
            var scheduler = new Scheduler(clock);
            var task = new CountingTask(clock, 0);
            int index = scheduler.Add("t", task, 50000, 100);
            scheduler.Start();
            scheduler.RunDue();

            clock.NowMicroseconds = 12000;
            scheduler.Wake(index);
            scheduler.Wake(index);
            Assert.AreEqual(12000L, scheduler.NextDueMicroseconds);
            Assert.AreEqual(1, scheduler.RunDue());
            Assert.AreEqual(12000L, task.LastRunMicroseconds);

            // The period grid is untouched: next due at 50 ms, as without the wake.
            Assert.AreEqual(50000L, scheduler.NextDueMicroseconds);
            Assert.AreEqual(1L, scheduler.GetWakes(index));
            Assert.AreEqual(0, scheduler.GetMissedPeriods(index));
        }

        [TestMethod]
        public void Scheduler_LowPriorityTaskWoken_HigherPriorityDueTaskStillRunsFirst()
        {
            var clock = new FakeClock();
            var scheduler = new Scheduler(clock);
            var protection = new CountingTask(clock, 0);
            var telemetry = new CountingTask(clock, 0);
            scheduler.Add("protection", protection, 1000, 100);
            int low = scheduler.Add("telemetry", telemetry, 50000, 100);
            scheduler.Start();
            scheduler.RunDue();

            clock.NowMicroseconds = 1000;
            scheduler.Wake(low);
            Assert.IsTrue(scheduler.RunNext());
            Assert.AreEqual(2, protection.Runs);
            Assert.AreEqual(1, telemetry.Runs);
            Assert.IsTrue(scheduler.RunNext());
            Assert.AreEqual(2, telemetry.Runs);
        }

        [TestMethod]
        [DataRow(99)]
        [DataRow(60000001)]
        public void Scheduler_PeriodOutOfRange_Throws(int periodMicroseconds)
        {
            var scheduler = new Scheduler(new FakeClock());
            Assert.ThrowsException(typeof(System.ArgumentOutOfRangeException), () => scheduler.Add("t", new CountingTask(new FakeClock(), 0), periodMicroseconds, 10));
        }
    }
}
