using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace IndraSmartPro.PortableGate;

/// <summary>
/// Proves the gate can fail: run over tests/PortableGate.Violations (one deliberate violation per
/// rule), it reports every rule on its sample type, and nothing on the clean sample.
/// </summary>
public class GateSelfTests
{
    private const string Ns = "IndraSmartPro.PortableGate.Violations.";

    private static readonly IReadOnlyList<Violation> s_violations = CheckViolationsAssembly();

    public static IEnumerable<object[]> EveryRule => Rules.All.Select(r => new object[] { r });

    private static IReadOnlyList<Violation> CheckViolationsAssembly()
    {
        string path = Path.Combine(Repo.Root, "artifacts", "host", "bin", "PortableGate.Violations", Repo.Pivot, "PortableGate.Violations.dll");
        var checker = new PortableCodeChecker(NanoFrameworkApi.Default, new[] { "PortableGate.Violations" }, new string[0], new[] { path });
        return checker.Check(path);
    }

    [Theory]
    [InlineData(Rules.GenericParameter, "GenericParameterSample`1", null, "type declares 1 generic parameter")]
    [InlineData(Rules.GenericParameter, "GenericParameterSample`1", "Identity", "method declares 1 generic parameter")]
    [InlineData(Rules.GenericInstantiation, "GenericInstantiationSample", "_values", "System.Collections.Generic.List`1<System.Int32>")]
    [InlineData(Rules.FrameworkType, "FrameworkTypeSample", "Measure", "System.Diagnostics.Stopwatch")]
    [InlineData(Rules.FrameworkType, "VolatileSample", "_stop", "volatile field")]
    [InlineData(Rules.FrameworkMember, "FrameworkMemberSample", "Round", "System.Math::Round(System.Double,System.Int32)")]
    [InlineData(Rules.FrameworkMember, "FrameworkMemberSample", "HasComma", "System.String::Contains(System.Char)")]
    [InlineData(Rules.BannedApi, "BannedApiSample", "Now", "System.DateTime::get_UtcNow")]
    [InlineData(Rules.BannedApi, "BannedApiSample", "Now", "System.Threading.Thread::Sleep")]
    [InlineData(Rules.AsyncStateMachine, "AsyncStateMachineSample", "Later", "AsyncStateMachineAttribute")]
    [InlineData(Rules.MultidimensionalArray, "MultidimensionalArraySample", "_grid", "System.Int32[,]")]
    [InlineData(Rules.Record, "RecordSample", "EqualityContract", "record type")]
    [InlineData(Rules.Tuple, "TupleSample", "Split", "System.ValueTuple`2")]
    [InlineData(Rules.InitAccessor, "InitAccessorSample", "set_Value", "IsExternalInit")]
    [InlineData(Rules.CustomNumericFormat, "CustomNumericFormatSample", "Show", "System.Double.ToString(\"0.0\")")]
    [InlineData(Rules.CustomNumericFormat, "CustomNumericFormatSample", "Show", "{…:00}")]
    [InlineData(Rules.BoxedValuePattern, "BoxedValuePatternSample", "Unbox", "boxed System.Int32")]
    [InlineData(Rules.TestFrameworkApi, "TestFrameworkApiSample", "Count", "IndraSmartPro.NanoTestHost.NanoTestRunner")]
    public void Gate_ViolatingSample_ReportsItsRuleAtTheMember(string rule, string sampleType, string member, string detail)
    {
        string type = Ns + sampleType;

        bool reported = s_violations.Any(v => v.Rule == rule && v.Type == type && v.Member == member && v.Detail.Contains(detail, System.StringComparison.Ordinal));

        Assert.True(reported, "no " + rule + " on " + type + "::" + member + " with \"" + detail + "\"; the gate found:\n" + string.Join("\n", s_violations));
    }

    [Theory]
    [MemberData(nameof(EveryRule))]
    public void Gate_EveryRule_HasAViolatingSample(string rule)
    {
        Assert.Contains(s_violations, v => v.Rule == rule);
    }

    [Fact]
    public void Gate_CleanSample_ReportsNothing()
    {
        string type = Ns + "CleanSample";

        Violation[] onClean = s_violations.Where(v => v.Type == type || v.Type.StartsWith(type + "+", System.StringComparison.Ordinal)).ToArray();

        Assert.True(onClean.Length == 0, string.Join("\n", onClean.Select(v => v.ToString())));
    }

    [Fact]
    public void Gate_Violation_NamesAssemblyTypeMemberAndRule()
    {
        Violation v = s_violations.First(x => x.Rule == Rules.BannedApi && x.Type == Ns + "BannedApiSample");

        Assert.Equal("PortableGate.Violations", v.Assembly);
        Assert.Equal("Now", v.Member);
        Assert.Contains("[BannedApi]", v.ToString());
    }

    [Theory]
    [InlineData("{0:0.0}", "0.0")]
    [InlineData("{0,5:F1} and {1}", "F1")]
    [InlineData("{{0:00}} {1:#}", "#")]
    public void FormatSpecifiers_CompositeFormat_FindsEachItemsFormat(string composite, string expectedLast)
    {
        Assert.Equal(expectedLast, PortableCodeChecker.FormatSpecifiersOf(composite).Last());
    }
}
