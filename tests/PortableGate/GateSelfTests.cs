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
    [InlineData(Rules.GenericParameter, "GenericParameterSample`1")]
    [InlineData(Rules.GenericInstantiation, "GenericInstantiationSample")]
    [InlineData(Rules.FrameworkType, "FrameworkTypeSample")]
    [InlineData(Rules.FrameworkMember, "FrameworkMemberSample")]
    [InlineData(Rules.BannedApi, "BannedApiSample")]
    [InlineData(Rules.AsyncStateMachine, "AsyncStateMachineSample")]
    [InlineData(Rules.MultidimensionalArray, "MultidimensionalArraySample")]
    [InlineData(Rules.Record, "RecordSample")]
    [InlineData(Rules.Tuple, "TupleSample")]
    [InlineData(Rules.InitAccessor, "InitAccessorSample")]
    [InlineData(Rules.CustomNumericFormat, "CustomNumericFormatSample")]
    [InlineData(Rules.BoxedValuePattern, "BoxedValuePatternSample")]
    [InlineData(Rules.TestFrameworkApi, "TestFrameworkApiSample")]
    public void Gate_ViolatingSample_ReportsItsRule(string rule, string sampleType)
    {
        string type = Ns + sampleType;

        bool reported = s_violations.Any(v => v.Rule == rule && (v.Type == type || v.Type.StartsWith(type + "+", System.StringComparison.Ordinal)));

        Assert.True(reported, "no " + rule + " on " + type + "; the gate found:\n" + string.Join("\n", s_violations));
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
