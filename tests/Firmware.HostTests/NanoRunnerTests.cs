using System;
using System.Collections.Generic;
using System.Linq;
using IndraSmartPro.NanoTestHost;
using nanoFramework.TestFramework;
using Xunit;
using NanoAssert = nanoFramework.TestFramework.Assert;
using XAssert = Xunit.Assert;

namespace IndraSmartPro.HostTests
{
    /// <summary>
    /// The host runner reproduces nanoFramework.UnitTestLauncher (TestFramework 3.0.80): these
    /// pin its order, naming, per-row results, failure and skip handling on small sample classes.
    /// </summary>
    public class NanoRunnerTests
    {
        private static Dictionary<string, NanoTestResult> ById(Type sample) =>
            NanoTestRunner.RunClass(sample).ToDictionary(r => r.Case.Id, r => r);

        [Fact]
        public void RunClass_MixedDeclarationOrder_RunsSetupThenTestsThenRowsThenCleanup()
        {
            IReadOnlyList<NanoTestResult> results = NanoTestRunner.RunClass(typeof(OrderSample));

            XAssert.Equal(
                new[] { "Setup", "TestB", "TestA", "Rows(1)", "Rows(2)", "Cleanup" },
                OrderSample.Log.ToArray());
            XAssert.Equal(
                new[] { "Prepare.0", "TestB.0", "TestA.0", "Rows.0", "Rows.1", "Finish.0" },
                results.Select(r => r.Case.Id.Substring(typeof(OrderSample).FullName.Length + 1)).ToArray());
            XAssert.All(results, r => XAssert.Equal(NanoTestOutcome.Passed, r.Outcome));
        }

        [Fact]
        public void RunClass_DataRows_EachRowIsItsOwnResult()
        {
            var results = ById(typeof(RowSample));
            string name = typeof(RowSample).FullName + ".IsEven.";

            XAssert.Equal(NanoTestOutcome.Passed, results[name + "0"].Outcome);
            XAssert.Equal(NanoTestOutcome.Failed, results[name + "1"].Outcome);
            XAssert.Equal(NanoTestOutcome.Passed, results[name + "2"].Outcome);
            XAssert.Contains("Assert.IsTrue failed", results[name + "1"].Message);
        }

        [Fact]
        public void RunClass_TestMethodWithDataRows_RunsOnlyTheRows()
        {
            var results = ById(typeof(RowSample));

            XAssert.DoesNotContain(results.Keys, k => k.Contains(".IsEven.3", StringComparison.Ordinal));
            XAssert.Equal(3, results.Keys.Count(k => k.Contains(".IsEven.", StringComparison.Ordinal)));
        }

        [Fact]
        public void RunClass_FailingAssert_ReportsFailureWithTheAssertMessage()
        {
            var results = ById(typeof(FailureSample));
            NanoTestResult failed = results[typeof(FailureSample).FullName + ".WrongSum.0"];

            XAssert.Equal(NanoTestOutcome.Failed, failed.Outcome);
            XAssert.Contains("Assert.AreEqual failed. Expected:<5>. Actual:<4>.", failed.Message);
            XAssert.Equal(NanoTestOutcome.Passed, results[typeof(FailureSample).FullName + ".RightSum.0"].Outcome);
        }

        [Fact]
        public void RunClass_ExceptionInTest_FailsOnlyThatTest()
        {
            var results = ById(typeof(FailureSample));

            XAssert.Equal(NanoTestOutcome.Failed, results[typeof(FailureSample).FullName + ".Throws.0"].Outcome);
            XAssert.Contains("boom", results[typeof(FailureSample).FullName + ".Throws.0"].Message);
        }

        [Fact]
        public void RunClass_SkipTest_ReportsSkipped()
        {
            var results = ById(typeof(FailureSample));

            NanoTestResult skipped = results[typeof(FailureSample).FullName + ".NotOnThisBoard.0"];
            XAssert.Equal(NanoTestOutcome.Skipped, skipped.Outcome);
            XAssert.Equal("no relay fitted", skipped.Message);
        }

        [Fact]
        public void RunClass_SetupSkips_SkipsEveryOtherCaseWithoutRunningIt()
        {
            IReadOnlyList<NanoTestResult> results = NanoTestRunner.RunClass(typeof(SkippedSetupSample));

            XAssert.All(results, r => XAssert.Equal(NanoTestOutcome.Skipped, r.Outcome));
            XAssert.Equal(3, results.Count);
            XAssert.Empty(SkippedSetupSample.Log);
        }

        [Fact]
        public void RunClass_SetupFails_ReportsSetupFailedAndStillRunsTheTests()
        {
            var results = ById(typeof(FailingSetupSample));

            XAssert.Equal(NanoTestOutcome.Failed, results[typeof(FailingSetupSample).FullName + ".Prepare.0"].Outcome);
            XAssert.Equal(NanoTestOutcome.Passed, results[typeof(FailingSetupSample).FullName + ".StillRuns.0"].Outcome);
            XAssert.Equal(new[] { "StillRuns", "Cleanup" }, FailingSetupSample.Log.ToArray());
        }

        [Fact]
        public void RunClass_InstanceField_FailsEveryCaseNamingTheField()
        {
            IReadOnlyList<NanoTestResult> results = NanoTestRunner.RunClass(typeof(InstanceStateSample));

            XAssert.All(results, r => XAssert.Equal(NanoTestOutcome.Failed, r.Outcome));
            XAssert.All(results, r => XAssert.Contains("_count", r.Message));
        }

        [Fact]
        public void RunClass_DataRowOfWrongNumericType_FailsThatRow()
        {
            var results = ById(typeof(RowTypeSample));
            string name = typeof(RowTypeSample).FullName + ".TakesLong.";

            XAssert.Equal(NanoTestOutcome.Failed, results[name + "0"].Outcome);
            XAssert.Contains("Int32", results[name + "0"].Message);
            XAssert.Equal(NanoTestOutcome.Passed, results[name + "1"].Outcome);
        }

        [Fact]
        public void RunClass_NonPublicTestMethod_IsReportedAsFailed()
        {
            var results = ById(typeof(RowTypeSample));

            NanoTestResult hidden = results[typeof(RowTypeSample).FullName + ".Hidden.0"];
            XAssert.Equal(NanoTestOutcome.Failed, hidden.Outcome);
            XAssert.Contains("not public", hidden.Message);
        }

        [Fact]
        public void RunClass_InstanceMethods_RunWithoutTheConstructor()
        {
            var results = ById(typeof(ConstructorSample));

            XAssert.Equal(NanoTestOutcome.Passed, results[typeof(ConstructorSample).FullName + ".ConstructorNeverRan.0"].Outcome);
        }

        [Fact]
        public void Discover_Assembly_FindsOnlyTestClassesAndNamesCasesLikeTheAdapter()
        {
            IReadOnlyList<NanoTestCase> cases = NanoTestRunner.Discover(typeof(NanoRunnerTests).Assembly);

            XAssert.Contains(cases, c => c.Id == typeof(RowSample).FullName + ".IsEven.2" && c.Kind == NanoTestKind.DataRow);
            XAssert.DoesNotContain(cases, c => c.TestClass == typeof(NotATestClass));
        }

        [TestClass]
        public class OrderSample
        {
            public static readonly List<string> Log = new();

            [TestMethod]
            public void TestB() => Log.Add("TestB");

            [Cleanup]
            public void Finish() => Log.Add("Cleanup");

            [DataRow(1)]
            [DataRow(2)]
            public void Rows(int value) => Log.Add("Rows(" + value + ")");

            [Setup]
            public void Prepare() => Log.Add("Setup");

            [TestMethod]
            public void TestA() => Log.Add("TestA");
        }

        [TestClass]
        public class RowSample
        {
            [TestMethod]
            [DataRow(2)]
            [DataRow(3)]
            [DataRow(4)]
            public void IsEven(int value) => NanoAssert.IsTrue(value % 2 == 0);
        }

        [TestClass]
        public static class FailureSample
        {
            [TestMethod]
            public static void WrongSum() => NanoAssert.AreEqual(5, 2 + 2);

            [TestMethod]
            public static void RightSum() => NanoAssert.AreEqual(4, 2 + 2);

            [TestMethod]
            public static void Throws() => throw new InvalidOperationException("boom");

            [TestMethod]
            public static void NotOnThisBoard() => NanoAssert.SkipTest("no relay fitted");
        }

        [TestClass]
        public class SkippedSetupSample
        {
            public static readonly List<string> Log = new();

            [Setup]
            public void Prepare() => NanoAssert.SkipTest("needs hardware");

            [TestMethod]
            public void Test() => Log.Add("Test");

            [Cleanup]
            public void Finish() => Log.Add("Cleanup");
        }

        [TestClass]
        public class FailingSetupSample
        {
            public static readonly List<string> Log = new();

            [Setup]
            public void Prepare() => throw new InvalidOperationException("setup broke");

            [TestMethod]
            public void StillRuns() => Log.Add("StillRuns");

            [Cleanup]
            public void Finish() => Log.Add("Cleanup");
        }

        [TestClass]
        public class InstanceStateSample
        {
            private int _count;

            [TestMethod]
            public void UsesInstanceState() => _count++;
        }

        [TestClass]
        public class RowTypeSample
        {
            [DataRow(1)]
            [DataRow(1L)]
            public void TakesLong(long value) => NanoAssert.AreEqual(1L, value);

            [TestMethod]
            internal void Hidden()
            {
            }
        }

        [TestClass]
        public class ConstructorSample
        {
            public static bool ConstructorRan;

            public ConstructorSample()
            {
                ConstructorRan = true;
            }

            [TestMethod]
            public void ConstructorNeverRan() => NanoAssert.IsFalse(ConstructorRan);
        }

        public class NotATestClass
        {
            [TestMethod]
            public void NotATest()
            {
            }
        }
    }
}
