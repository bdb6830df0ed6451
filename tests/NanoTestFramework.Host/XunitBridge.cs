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
        private const string RootNamespace = "IndraSmartPro.UnitTests.";

        /// <summary>Prefix of a class outside the root namespace, shown with its full name.</summary>
        private const string GlobalMarker = "global::";

        private readonly ITestOutputHelper _output;

        public NanoFrameworkTests(ITestOutputHelper output)
        {
            _output = output;
        }

        /// <summary>
        /// One row per case: class (without this assembly's root namespace), method, attribute index.
        /// Separate arguments, because xunit shows at most 50 characters of each.
        /// </summary>
        public static IEnumerable<object[]> Cases =>
            NanoTestRunner.Discover(typeof(NanoFrameworkTests).Assembly)
                .Select(c => new object[] { ShortClassName(c.TestClass.FullName), c.Method.Name, c.Index });

        [Theory]
        [MemberData(nameof(Cases))]
        public void Run(string testClass, string method, int index)
        {
            string fullClass = testClass.StartsWith(GlobalMarker, System.StringComparison.Ordinal)
                ? testClass.Substring(GlobalMarker.Length)
                : RootNamespace + testClass;
            NanoTestResult result = NanoTestRunner.Result(typeof(NanoFrameworkTests).Assembly, fullClass + "." + method + "." + index);
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

        private static string ShortClassName(string fullName) =>
            fullName.StartsWith(RootNamespace, System.StringComparison.Ordinal) ? fullName.Substring(RootNamespace.Length) : GlobalMarker + fullName;
    }
}
