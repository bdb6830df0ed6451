using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace IndraSmartPro.PortableGate;

/// <summary>
/// The gate itself: every portable assembly built by this run holds to what nanoFramework 1.17
/// runs, and every portable project compiles as C# 9 without packages.
/// </summary>
public class PortableCodeTests
{
    /// <summary>The portable projects the firmware is made of (docs/testing.md, "The portable-code gate"): none may drop out of the gate.</summary>
    public static readonly string[] RequiredPortableProjects =
    {
        "Firmware.Core", "Firmware.Metering", "Firmware.Pests", "Firmware.ControlPilot", "Firmware.Json", "Firmware", "Firmware.UnitTests",
    };

    /// <summary>Packages the host build of the unit tests needs to report to dotnet test (XunitBridge.cs, host-only).</summary>
    private static readonly string[] s_hostTestPackages = { "Microsoft.NET.Test.Sdk", "xunit", "xunit.runner.visualstudio" };

    public static IEnumerable<object[]> Projects => Repo.PortableProjects.Select(p => new object[] { p.ProjectName });

    [Fact]
    public void PortableProjects_IncludeEveryFirmwareLibraryAndTheUnitTests()
    {
        string[] found = Repo.PortableProjects.Select(p => p.ProjectName).ToArray();
        Assert.Empty(RequiredPortableProjects.Except(found));
    }

    [Fact]
    public void Gate_ReferencesEveryPortableProject_SoThisRunBuildsWhatItChecks()
    {
        string gateProject = Path.Combine(Repo.Root, "tests", "PortableGate", "PortableGate.csproj");
        string[] referenced = System.Xml.Linq.XDocument.Load(gateProject).Descendants("ProjectReference")
            .Select(r => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(gateProject), (string)r.Attribute("Include"))))
            .ToArray();

        string[] missing = Repo.PortableProjects.Where(p => !referenced.Contains(Path.GetFullPath(p.ProjectPath))).Select(p => p.ProjectName).ToArray();

        Assert.True(missing.Length == 0, "add <ProjectReference ... ReferenceOutputAssembly=\"false\" /> to tests/PortableGate/PortableGate.csproj for: " + string.Join(", ", missing));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void PortableAssembly_UsesOnlyWhatNanoFrameworkRuns(string project)
    {
        PortableProject p = Repo.Project(project);
        Assert.True(File.Exists(p.BuiltAssembly), p.BuiltAssembly + " was not built: the gate's ProjectReferences must cover " + project);

        IReadOnlyList<Violation> violations = Repo.PortableChecker().Check(p.BuiltAssembly);

        Assert.True(violations.Count == 0, violations.Count + " portable-code violation(s) in " + project + " (see docs/testing.md):\n" + string.Join("\n", violations));
    }

    [Theory]
    [MemberData(nameof(Projects))]
    public void PortableProject_CompilesAsCSharp9WithoutPackages(string project)
    {
        PortableProject p = Repo.Project(project);

        var (properties, packages) = Repo.Evaluate(p.ProjectPath, "LangVersion", "PortableCode");

        Assert.Equal("true", properties["PortableCode"]);
        Assert.Equal("9.0", properties["LangVersion"]);
        string[] allowed = p.ProjectName == "Firmware.UnitTests" ? s_hostTestPackages : System.Array.Empty<string>();
        Assert.Empty(packages.Except(allowed));
    }
}
