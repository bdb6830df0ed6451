using System.Collections.Generic;
using System.Linq;
using IndraSmartPro.NanoTestHost;
using Xunit;
using Xunit.Abstractions;

namespace IndraSmartPro.UnitTests.Host
{
    /// <summary>
    /// Reports each nanoFramework test case of this assembly ([Setup], each [TestMethod], each
    /// [DataRow], [Cleanup]) as its own xunit test, named as the nanoFramework test adapter names it
    /// ("Namespace.Class.Method.i"), run with the launcher's semantics (see NanoTestRunner).
    /// Host-only: linked into the host test project, not listed in NFUnitTest.nfproj, and excluded
    /// from the portable-code gate by name.
    /// xunit 2 cannot skip a test at run time, so a skipped case passes here with "skipped: reason"
    /// in its output.
    /// </summary>
    public class NanoFrameworkTests
    {
        private readonly ITestOutputHelper _output;

        public NanoFrameworkTests(ITestOutputHelper output)
        {
            _output = output;
        }

        public static IEnumerable<object[]> Cases =>
            NanoTestRunner.Discover(typeof(NanoFrameworkTests).Assembly).Select(c => new object[] { c.Id });

        [Theory]
        [MemberData(nameof(Cases))]
        public void Run(string test)
        {
            NanoTestResult result = NanoTestRunner.Result(typeof(NanoFrameworkTests).Assembly, test);
            if (!string.IsNullOrEmpty(result.Output))
            {
                _output.WriteLine(result.Output);
            }

            if (result.Outcome == NanoTestOutcome.Skipped)
            {
                _output.WriteLine("skipped: " + result.Message);
                return;
            }

            Xunit.Assert.True(result.Outcome == NanoTestOutcome.Passed, result.Message);
        }
    }
}
