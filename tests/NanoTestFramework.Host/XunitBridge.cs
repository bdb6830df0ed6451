using System.Collections.Generic;
using System.Linq;
using nanoFramework.TestFramework;
using Xunit;
using Xunit.Abstractions;

namespace IndraSmartPro.UnitTests.Host
{
    /// <summary>
    /// Reports each nanoFramework [TestMethod] and each [DataRow] of this assembly as its own
    /// xunit test, run with the nanoFramework launcher's semantics (see NanoTestRunner).
    /// Host-only: linked into the host test project, not listed in NFUnitTest.nfproj.
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
