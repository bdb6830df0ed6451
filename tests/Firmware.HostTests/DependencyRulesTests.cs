using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>
/// The dependency rules of docs/architecture.md ("Dependency rules"), enforced on every project file:
/// each project references only what its row of the table allows, and no portable project
/// (PortableCode=true, or its .nfproj twin) reaches the board's APIs, the device executable or the
/// simulator, whatever the table says. A failure names the project file and the reference.
/// </summary>
public class DependencyRulesTests
{
    private static readonly XNamespace Msb = "http://schemas.microsoft.com/developer/msbuild/2003";

    /// <summary>nanoFramework assemblies a portable project may use on the device.</summary>
    public static readonly string[] PortableAssemblies =
    {
        "mscorlib", "System.Math", "nanoFramework.System.Collections", "nanoFramework.System.Text",
    };

    /// <summary>Also allowed in the portable unit tests (they run on nanoCLR).</summary>
    public static readonly string[] UnitTestAssemblies = { "nanoFramework.TestFramework", "nanoFramework.UnitTestLauncher" };

    /// <summary>Host packages the portable unit tests may use: their test runner only.</summary>
    public static readonly string[] UnitTestPackages = { "Microsoft.NET.Test.Sdk", "xunit", "xunit.runner.visualstudio" };

    /// <summary>Never in a portable project, table or not: the board's APIs, the executable, the host simulator.</summary>
    public static readonly string[] NeverPortable =
    {
        "System.Device.", "nanoFramework.Hardware.", "nanoFramework.Runtime.", "System.IO.FileSystem", "System.IO.Streams",
        "System.Net", "nanoFramework.M2Mqtt", "Firmware.Esp32", "Firmware.Simulator",
    };

    private const string UnitTestsProject = "Firmware.UnitTests";

    /// <summary>One project's references, read from its project file.</summary>
    public sealed record ProjectRefs(string File, string Name, bool Portable, List<string> Projects, List<string> Assemblies, List<string> Packages);

    [Fact]
    public void EveryProject_ReferencesOnlyWhatTheArchitectureTableAllows()
    {
        var table = RulesTable();
        var problems = new List<string>();
        foreach (var project in AllProjects())
        {
            problems.AddRange(Violations(project, table));
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void RulesTable_NamesEveryProjectUnderSrc_AndNoPortableRowAllowsWhatIsNeverPortable()
    {
        var table = RulesTable();
        var problems = new List<string>();
        string src = Path.Combine(DeviceProjectTests.RepoRoot(), "src");
        foreach (string dir in Directory.GetDirectories(src).Where(d => Directory.EnumerateFiles(d, "*.*proj").Any(f => f.EndsWith(".csproj") || f.EndsWith(".nfproj"))))
        {
            string name = Path.GetFileName(dir);
            if (!table.ContainsKey(name))
            {
                problems.Add($"docs/architecture.md: the dependency rules table has no row for src/{name}: add one");
            }
        }

        foreach (var (name, row) in table)
        {
            if (row.Build == "portable")
            {
                foreach (string allowed in row.Allowed.Where(a => NeverPortable.Any(n => a.StartsWith(n, StringComparison.Ordinal))))
                {
                    problems.Add($"docs/architecture.md: portable {name} may not reference {allowed}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void Violations_APortableProjectReachingTheBoard_IsReportedByName()
    {
        // The check itself can fail: a portable library with every kind of forbidden reference.
        var table = RulesTable();
        var bad = new ProjectRefs("src/Firmware.Metering/Firmware.Metering.nfproj", "Firmware.Metering", true,
            new List<string> { "Firmware.Core", "Firmware.Simulator", "Firmware.Esp32", "Firmware.Pests" },
            new List<string> { "mscorlib", "System.Device.Gpio", "nanoFramework.Hardware.Esp32" },
            new List<string> { "MQTTnet" });

        var found = Violations(bad, table);

        foreach (string reference in new[] { "Firmware.Simulator", "Firmware.Esp32", "Firmware.Pests", "System.Device.Gpio", "nanoFramework.Hardware.Esp32", "MQTTnet" })
        {
            Assert.Contains(found, f => f.Contains(reference, StringComparison.Ordinal));
        }

        Assert.DoesNotContain(found, f => f.Contains(" Firmware.Core", StringComparison.Ordinal) || f.Contains("mscorlib", StringComparison.Ordinal));
    }

    [Fact]
    public void EveryFolderUnderSrc_HasAReadmeSayingWhatItIsWhatItMayUseAndWhatUsesIt()
    {
        string src = Path.Combine(DeviceProjectTests.RepoRoot(), "src");
        var problems = new List<string>();
        foreach (string dir in Directory.GetDirectories(src).OrderBy(d => d, StringComparer.Ordinal))
        {
            string readme = Path.Combine(dir, "README.md");
            string name = "src/" + Path.GetFileName(dir);
            if (!File.Exists(readme))
            {
                problems.Add($"{name} has no README.md: say what it is, what it may use (**May use**) and what uses it (**Used by**)");
                continue;
            }

            string text = File.ReadAllText(readme);
            foreach (string needed in new[] { "**May use**", "**Used by**" })
            {
                if (!text.Contains(needed, StringComparison.Ordinal))
                {
                    problems.Add($"{name}/README.md does not say {needed}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>What is wrong with one project's references (empty when it keeps the rules).</summary>
    public static List<string> Violations(ProjectRefs project, Dictionary<string, (string Build, HashSet<string> Allowed)> table)
    {
        var problems = new List<string>();
        bool isUnitTests = project.Name == UnitTestsProject;
        bool hasRow = table.TryGetValue(project.Name, out var row);

        foreach (string target in project.Projects)
        {
            if (target == "Firmware.Esp32")
            {
                problems.Add($"{project.File} references Firmware.Esp32: it is the device executable, nothing references it");
            }
            else if (hasRow && !row.Allowed.Contains(target))
            {
                problems.Add($"{project.File} references {target}, which docs/architecture.md (dependency rules) does not allow for {project.Name}");
            }
        }

        if (!project.Portable)
        {
            return problems;
        }

        foreach (string reference in project.Projects.Concat(project.Assemblies).Concat(project.Packages))
        {
            if (NeverPortable.Any(n => reference.StartsWith(n, StringComparison.Ordinal)) && reference != "Firmware.Esp32")
            {
                problems.Add($"{project.File} is portable but references {reference}: the board's APIs belong to src/Firmware.Esp32, the simulator to the host");
            }
        }

        foreach (string assembly in project.Assemblies)
        {
            bool allowed = PortableAssemblies.Contains(assembly) || (isUnitTests && UnitTestAssemblies.Contains(assembly));
            if (!allowed && !NeverPortable.Any(n => assembly.StartsWith(n, StringComparison.Ordinal)))
            {
                problems.Add($"{project.File} is portable but uses the assembly {assembly}: portable code may use only {string.Join(", ", PortableAssemblies)}");
            }
        }

        foreach (string package in project.Packages)
        {
            if (!(isUnitTests && UnitTestPackages.Contains(package)) && !NeverPortable.Any(n => package.StartsWith(n, StringComparison.Ordinal)))
            {
                problems.Add($"{project.File} is portable but references the NuGet package {package}: the device build could not have it");
            }
        }

        return problems;
    }

    /// <summary>The table of docs/architecture.md's "Dependency rules": project → (build, projects it may reference).</summary>
    public static Dictionary<string, (string Build, HashSet<string> Allowed)> RulesTable()
    {
        string doc = File.ReadAllText(Path.Combine(DeviceProjectTests.RepoRoot(), "docs", "architecture.md"));
        int start = doc.IndexOf("## Dependency rules", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/architecture.md has no \"## Dependency rules\" section");
        int end = doc.IndexOf("\n## ", start + 3, StringComparison.Ordinal);
        string section = end < 0 ? doc.Substring(start) : doc.Substring(start, end - start);
        var table = new Dictionary<string, (string, HashSet<string>)>(StringComparer.Ordinal);
        foreach (Match m in Regex.Matches(section, @"^\|\s*`([^`]+)`\s*\|\s*([^|]+?)\s*\|\s*([^|]*?)\s*\|\s*$", RegexOptions.Multiline))
        {
            var allowed = Regex.Matches(m.Groups[3].Value, "`([^`]+)`").Select(a => a.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
            table[m.Groups[1].Value] = (m.Groups[2].Value, allowed);
        }

        Assert.True(table.Count > 0, "docs/architecture.md: the dependency rules table has no rows");
        return table;
    }

    /// <summary>Every .csproj and .nfproj under src/ and tests/, with the references it declares.</summary>
    public static IEnumerable<ProjectRefs> AllProjects()
    {
        string root = DeviceProjectTests.RepoRoot();
        foreach (string top in new[] { "src", "tests" })
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(root, top), "*.*proj", SearchOption.AllDirectories)
                .Where(f => (f.EndsWith(".csproj", StringComparison.Ordinal) || f.EndsWith(".nfproj", StringComparison.Ordinal))
                    && !f.Contains("/bin/", StringComparison.Ordinal) && !f.Contains("/obj/", StringComparison.Ordinal))
                .OrderBy(f => f, StringComparer.Ordinal))
            {
                yield return Read(root, file);
            }
        }
    }

    private static ProjectRefs Read(string root, string file)
    {
        string dir = Path.GetDirectoryName(file)!;
        var doc = XDocument.Load(file);
        IEnumerable<XElement> All(string name) => doc.Descendants(Msb + name).Concat(doc.Descendants(name));
        string Include(XElement e) => ((string)e.Attribute("Include") ?? "").Trim();

        // A project is named by its folder (NFUnitTest.nfproj is the device twin of Firmware.UnitTests).
        string name = Path.GetFileName(dir);
        bool portable = file.EndsWith(".nfproj", StringComparison.Ordinal)
            ? name != "Firmware.Esp32"
            : doc.Descendants("PortableCode").Any(e => e.Value.Trim() == "true");
        var projects = All("ProjectReference")
            .Select(e => Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(Path.Combine(dir, Include(e).Replace('\\', '/'))))!))
            .ToList();
        var assemblies = All("Reference").Select(Include).Select(i => i.Split(',')[0]).ToList();
        var packages = All("PackageReference").Select(Include).ToList();
        return new ProjectRefs(Path.GetRelativePath(root, file).Replace('\\', '/'), name, portable, projects, assemblies, packages);
    }
}
