using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>
/// The device build (classic nanoFramework .nfproj, built only on Windows by the CI job) cannot be
/// built here, so these checks keep it buildable from Linux: nanoFramework projects do not glob,
/// so every .cs must be listed; every reference must resolve to a package restored from the
/// folder's packages.config; every project must be in its solution. Each failure names the file
/// and the project so the fix is obvious.
/// </summary>
public class DeviceProjectTests
{
    private static readonly XNamespace Msb = "http://schemas.microsoft.com/developer/msbuild/2003";

    /// <summary>The nanoFramework project system's project type (Visual Studio extension).</summary>
    private const string NanoProjectTypeGuid = "11A8DD76-328B-46DF-9F39-F559912D0360";

    /// <summary>The device projects the device build requires (tests/Firmware.UnitTests/NFUnitTest.nfproj is checked when present).</summary>
    public static readonly string[] RequiredDeviceProjects =
    {
        "src/Firmware.Core/Firmware.Core.nfproj",
        "src/Firmware.Metering/Firmware.Metering.nfproj",
        "src/Firmware.Pests/Firmware.Pests.nfproj",
        "src/Firmware.ControlPilot/Firmware.ControlPilot.nfproj",
        "src/Firmware/Firmware.nfproj",
        "src/Firmware.Esp32/Firmware.Esp32.nfproj",
    };

    /// <summary>The device executable: Program.cs and the ESP32 binding, the only device-only code.</summary>
    public const string DeviceExecutable = "src/Firmware.Esp32/Firmware.Esp32.nfproj";

    /// <summary>The executable's folder: nothing outside it may compile its files.</summary>
    public const string DeviceExecutableFolder = "src/Firmware.Esp32";

    /// <summary>Package versions pinned for the device build (docs/device.md); every packages.config that names one must use this version.</summary>
    private static readonly (string Id, string Version)[] PinnedPackages =
    {
        ("nanoFramework.CoreLibrary", "1.17.11"),
        ("nanoFramework.Hardware.Esp32", "1.6.42"),
        ("nanoFramework.System.Device.Adc", "1.1.24"),
        ("nanoFramework.System.Device.Gpio", "1.1.62"),
        ("nanoFramework.System.Device.Pwm", "1.1.23"),
        ("nanoFramework.M2Mqtt", "5.1.220"),
        ("nanoFramework.TestFramework", "3.0.80"),
    };

    public static IEnumerable<object[]> DeviceProjects() =>
        FindFiles(RepoRoot(), "*.nfproj").Select(p => new object[] { Rel(p) });

    [Fact]
    public void DeviceSolution_RequiredProjects_ExistOnDisk()
    {
        string root = RepoRoot();
        var missing = RequiredDeviceProjects.Where(p => !File.Exists(Path.Combine(root, p))).ToList();
        Assert.True(missing.Count == 0, "missing device project(s): " + string.Join(", ", missing));
    }

    public static IEnumerable<object[]> DeviceProjectFolders() =>
        FindFiles(RepoRoot(), "*.nfproj").Select(p => Rel(Path.GetDirectoryName(p)!)).Distinct().Select(d => new object[] { d });

    [Theory]
    [MemberData(nameof(DeviceProjectFolders))]
    public void DeviceProjectFolder_EveryCsFile_IsListedByExactlyOneNfprojThere(string folder)
    {
        // Should a folder hold more than one project, together they must list every .cs below it,
        // each file exactly once.
        string root = RepoRoot();
        string dir = Path.Combine(root, folder);
        var projects = Directory.GetFiles(dir, "*.nfproj").OrderBy(p => p, StringComparer.Ordinal).ToList();
        var lists = projects.ToDictionary(p => p, p => new HashSet<string>(CompileItems(p), StringComparer.Ordinal));
        var problems = new List<string>();
        foreach (string file in FindFiles(dir, "*.cs"))
        {
            if (OwnedByNestedProjectFolder(dir, file))
            {
                continue;
            }

            string relToProject = Path.GetRelativePath(dir, file).Replace('/', '\\');
            var listing = projects.Where(p => lists[p].Contains(relToProject)).Select(Rel).ToList();
            if (listing.Count == 0)
            {
                string where = projects.Count == 1 ? Rel(projects[0]) : "one of " + string.Join(", ", projects.Select(Rel));
                problems.Add($"{Rel(file)} is not listed in {where}: add <Compile Include=\"{relToProject}\" /> to its Compile ItemGroup");
            }
            else if (listing.Count > 1)
            {
                problems.Add($"{Rel(file)} is listed by {string.Join(" and ", listing)}: one project must own it");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void EveryPortableHostProject_HasADeviceTwin()
    {
        // Portable code must run on the device too: a portable project without an .nfproj beside it
        // would be tested on the host and silently missing from the device build.
        string root = RepoRoot();
        var problems = new List<string>();
        foreach (string csproj in FindFiles(Path.Combine(root, "src"), "*.csproj").Concat(FindFiles(Path.Combine(root, "tests"), "*.csproj")))
        {
            if (File.ReadAllText(csproj).Contains("<PortableCode>true</PortableCode>", StringComparison.Ordinal)
                && Directory.GetFiles(Path.GetDirectoryName(csproj)!, "*.nfproj").Length == 0)
            {
                problems.Add($"{Rel(csproj)} is portable (PortableCode=true) but its folder has no .nfproj: add the device project and list it in IndraSmartPro.sln");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [MemberData(nameof(DeviceProjects))]
    public void DeviceProject_EveryListedCompileItem_ExistsWithThatExactPath(string nfproj)
    {
        string root = RepoRoot();
        string dir = Path.GetDirectoryName(Path.Combine(root, nfproj))!;
        var problems = new List<string>();
        foreach (string item in CompileItems(Path.Combine(root, nfproj)))
        {
            if (item.Contains('*') || item.Contains('?'))
            {
                problems.Add($"{nfproj} has wildcard <Compile Include=\"{item}\" />: list each file (nanoFramework projects do not glob)");
                continue;
            }

            // Exact case: Windows would forgive a wrong case, Linux (and the host build) would not.
            string full = Path.GetFullPath(Path.Combine(dir, item.Replace('\\', Path.DirectorySeparatorChar)));
            if (!FileExistsExactCase(full))
            {
                problems.Add($"{nfproj} lists <Compile Include=\"{item}\" /> but {Rel(full)} does not exist (deleted or renamed? remove or fix the entry)");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [MemberData(nameof(DeviceProjects))]
    public void DeviceProject_EveryHintPath_IsARestoredPackageOfItsPackagesConfig(string nfproj)
    {
        string root = RepoRoot();
        string project = Path.Combine(root, nfproj);
        string dir = Path.GetDirectoryName(project)!;
        string config = PackagesConfigOf(project);
        var problems = new List<string>();
        if (!File.Exists(config))
        {
            Assert.Fail($"{nfproj} has no packages.config next to it ({Rel(config)})");
        }

        var packages = PackagesConfig(config);
        // nuget restore IndraSmartPro.sln restores into <repo>/packages; hint paths are relative to the project.
        string expectedPrefix = Path.GetRelativePath(dir, Path.Combine(root, "packages")).Replace('/', '\\') + "\\";
        var hintPaths = XDocument.Load(project).Descendants(Msb + "HintPath").Select(h => h.Value.Trim()).ToList();
        foreach (string hint in hintPaths)
        {
            if (!hint.StartsWith(expectedPrefix, StringComparison.Ordinal))
            {
                problems.Add($"{nfproj}: HintPath \"{hint}\" does not start with \"{expectedPrefix}\" (the solution's packages folder seen from this project)");
                continue;
            }

            string[] parts = hint.Substring(expectedPrefix.Length).Split('\\');
            if (parts.Length < 3 || parts[1] != "lib")
            {
                problems.Add($"{nfproj}: HintPath \"{hint}\" is not of the form packages\\<id>.<version>\\lib\\<assembly>");
                continue;
            }

            string folder = parts[0];
            bool matched = packages.Any(p => string.Equals(p.Id + "." + p.Version, folder, StringComparison.OrdinalIgnoreCase));
            if (!matched)
            {
                problems.Add($"{nfproj}: HintPath \"{hint}\" needs package folder \"{folder}\", but {Rel(config)} has no <package id=... version=...> that restores it; add it or fix the version");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Theory]
    [MemberData(nameof(DeviceProjects))]
    public void DeviceProject_IsANanoFrameworkProjectWithResolvableProjectReferences(string nfproj)
    {
        string root = RepoRoot();
        string project = Path.Combine(root, nfproj);
        string dir = Path.GetDirectoryName(project)!;
        var doc = XDocument.Load(project);
        var problems = new List<string>();

        string guids = doc.Descendants(Msb + "ProjectTypeGuids").Select(e => e.Value).FirstOrDefault() ?? "";
        if (!guids.Contains(NanoProjectTypeGuid, StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"{nfproj}: <ProjectTypeGuids> lacks the nanoFramework project type {{{NanoProjectTypeGuid}}}");
        }

        var imports = doc.Descendants(Msb + "Import").Select(i => (string)i.Attribute("Project") ?? "").ToList();
        foreach (string needed in new[] { "NFProjectSystem.Default.props", "NFProjectSystem.props", "NFProjectSystem.CSharp.targets" })
        {
            if (!imports.Any(i => i.EndsWith(needed, StringComparison.Ordinal)))
            {
                problems.Add($"{nfproj}: missing <Import> of $(NanoFrameworkProjectSystemPath){needed}");
            }
        }

        if (string.IsNullOrEmpty(ProjectGuid(project)))
        {
            problems.Add($"{nfproj}: no <ProjectGuid>");
        }

        // Device-only sources live in the executable's own folder and nowhere else: a library
        // compiling them would drag ESP32 native code into whatever references it (the unit tests on nanoCLR).
        string outputType = doc.Descendants(Msb + "OutputType").Select(e => e.Value).FirstOrDefault() ?? "";
        bool isDeviceExecutable = nfproj == DeviceExecutable;
        if (outputType == "Exe" && !isDeviceExecutable)
        {
            problems.Add($"{nfproj} is an executable: the device has one, {DeviceExecutable}");
        }

        foreach (string item in CompileItems(project).Where(i => i.StartsWith("..", StringComparison.Ordinal)))
        {
            string target = Rel(Path.GetFullPath(Path.Combine(dir, item.Replace('\\', Path.DirectorySeparatorChar))));
            if (target.StartsWith(DeviceExecutableFolder + "/", StringComparison.Ordinal))
            {
                problems.Add($"{nfproj} compiles device-only {target}: it belongs to the executable ({DeviceExecutable}) alone");
            }
        }

        foreach (var reference in doc.Descendants(Msb + "ProjectReference"))
        {
            string include = (string)reference.Attribute("Include") ?? "";
            string target = Path.GetFullPath(Path.Combine(dir, include.Replace('\\', Path.DirectorySeparatorChar)));
            if (!include.EndsWith(".nfproj", StringComparison.Ordinal))
            {
                problems.Add($"{nfproj}: ProjectReference \"{include}\" is not a .nfproj (the device build can only reference nanoFramework projects)");
            }
            else if (!FileExistsExactCase(target))
            {
                problems.Add($"{nfproj}: ProjectReference \"{include}\" points at {Rel(target)}, which does not exist");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>Each device project with a portable host twin (the SDK-style project that compiles the same files).</summary>
    public static IEnumerable<object[]> PortableTwins()
    {
        foreach (string dir in FindFiles(RepoRoot(), "*.nfproj").Select(p => Path.GetDirectoryName(p)!).Distinct())
        {
            var nfprojs = Directory.GetFiles(dir, "*.nfproj");
            foreach (string csproj in Directory.GetFiles(dir, "*.csproj"))
            {
                if (!File.ReadAllText(csproj).Contains("<PortableCode>true</PortableCode>", StringComparison.Ordinal))
                {
                    continue;
                }

                string stem = Path.GetFileNameWithoutExtension(csproj);
                string twin = nfprojs.FirstOrDefault(n => Path.GetFileNameWithoutExtension(n) == stem)
                    ?? (nfprojs.Length == 1 ? nfprojs[0] : null);
                if (twin != null)
                {
                    yield return new object[] { Rel(twin), Rel(csproj) };
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(PortableTwins))]
    public void PortableDeviceProject_CompilesExactlyTheFilesOfItsHostTwin(string nfproj, string csproj)
    {
        // Directory.Build.targets: a portable host project compiles every .cs below its folder except
        // bin/, obj/ and $(PortableExclude). The device twin must list the same.
        string root = RepoRoot();
        string dir = Path.GetDirectoryName(Path.Combine(root, nfproj))!;
        var excludes = new List<string>();
        string portableExclude = XDocument.Load(Path.Combine(root, csproj)).Descendants("PortableExclude").Select(e => e.Value).FirstOrDefault();
        if (!string.IsNullOrWhiteSpace(portableExclude))
        {
            excludes.AddRange(portableExclude.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(e => e.Replace('/', '\\').Replace("**", "")));
        }

        bool Excluded(string rel) => excludes.Any(e => e.EndsWith('\\') ? rel.StartsWith(e, StringComparison.Ordinal) : rel == e);
        var host = FindFiles(dir, "*.cs").Select(f => Path.GetRelativePath(dir, f).Replace('/', '\\'))
            .Where(f => !Excluded(f)).ToHashSet(StringComparer.Ordinal);
        var device = CompileItems(Path.Combine(root, nfproj)).Where(i => !i.StartsWith("..", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (string file in host.Except(device).OrderBy(f => f, StringComparer.Ordinal))
        {
            problems.Add($"{csproj} (host) compiles {file} but {nfproj} does not list it: the device build would differ");
        }

        foreach (string file in device.Except(host).OrderBy(f => f, StringComparer.Ordinal))
        {
            problems.Add($"{nfproj} lists {file} but {csproj} (host) does not compile it: device-only files belong to the executable, or are excluded on purpose with PortableExclude");
        }

        // The device project must reference the device twins of the host project's references.
        string csDir = Path.GetDirectoryName(Path.Combine(root, csproj))!;
        var deviceRefs = XDocument.Load(Path.Combine(root, nfproj)).Descendants(Msb + "ProjectReference")
            .Select(r => Path.GetFullPath(Path.Combine(dir, ((string)r.Attribute("Include") ?? "").Replace('\\', Path.DirectorySeparatorChar))))
            .ToHashSet(StringComparer.Ordinal);
        foreach (var reference in XDocument.Load(Path.Combine(root, csproj)).Descendants("ProjectReference"))
        {
            string target = Path.GetFullPath(Path.Combine(csDir, ((string)reference.Attribute("Include") ?? "").Replace('\\', Path.DirectorySeparatorChar)));
            string deviceTwin = Path.ChangeExtension(target, ".nfproj");
            if (File.Exists(deviceTwin) && !deviceRefs.Contains(deviceTwin))
            {
                problems.Add($"{csproj} references {Rel(target)} but {nfproj} has no ProjectReference to {Rel(deviceTwin)}");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void PackagesConfigs_PinnedAndSharedPackages_HaveOneVersionAcrossTheDeviceBuild()
    {
        string root = RepoRoot();
        var problems = new List<string>();
        var seen = new Dictionary<string, (string Version, string Where)>(StringComparer.OrdinalIgnoreCase);
        foreach (string config in FindFiles(root, "packages.config").Concat(FindFiles(root, "packages.*.config")))
        {
            foreach (var (id, version) in PackagesConfig(config))
            {
                foreach (var pin in PinnedPackages.Where(p => string.Equals(p.Id, id, StringComparison.OrdinalIgnoreCase)))
                {
                    if (pin.Version != version)
                    {
                        problems.Add($"{Rel(config)}: {id} is {version}, but the device build pins {pin.Version}");
                    }
                }

                if (seen.TryGetValue(id, out var earlier) && earlier.Version != version)
                {
                    problems.Add($"{Rel(config)}: {id} {version} differs from {earlier.Where} ({earlier.Version}); one solution restores one version of each package");
                }
                else
                {
                    seen[id] = (version, Rel(config));
                }
            }
        }

        Assert.True(seen.ContainsKey("nanoFramework.CoreLibrary"), "no packages.config names nanoFramework.CoreLibrary");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void DeviceSolution_ListsEveryNfprojWithItsProjectGuid()
    {
        string root = RepoRoot();
        string sln = Path.Combine(root, "IndraSmartPro.sln");
        Assert.True(File.Exists(sln), "IndraSmartPro.sln (the device solution) is missing");
        var entries = SolutionProjects(File.ReadAllText(sln));
        var problems = new List<string>();
        foreach (string project in FindFiles(root, "*.nfproj"))
        {
            string rel = Rel(project).Replace('/', '\\');
            if (!entries.TryGetValue(rel, out string guid))
            {
                problems.Add($"IndraSmartPro.sln does not list {Rel(project)}: add a Project(\"{{{NanoProjectTypeGuid}}}\") entry and its configurations");
                continue;
            }

            string own = ProjectGuid(project);
            if (!string.Equals(own.Trim('{', '}'), guid.Trim('{', '}'), StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"IndraSmartPro.sln lists {Rel(project)} as {guid}, but its <ProjectGuid> is {own}: make them equal");
            }
        }

        foreach (string required in RequiredDeviceProjects.Append("tests/Firmware.UnitTests/NFUnitTest.nfproj"))
        {
            if (!entries.ContainsKey(required.Replace('/', '\\')))
            {
                problems.Add($"IndraSmartPro.sln does not list {required}");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void HostSolution_ListsEveryCsprojUnderSrcAndTests()
    {
        string root = RepoRoot();
        string slnx = Path.Combine(root, "IndraSmartPro.Host.slnx");
        var listed = XDocument.Load(slnx).Descendants("Project")
            .Select(p => ((string)p.Attribute("Path") ?? "").Replace('\\', '/'))
            .ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (string project in FindFiles(Path.Combine(root, "src"), "*.csproj").Concat(FindFiles(Path.Combine(root, "tests"), "*.csproj")))
        {
            if (!listed.Contains(Rel(project)))
            {
                problems.Add($"IndraSmartPro.Host.slnx does not list {Rel(project)}: add <Project Path=\"{Rel(project)}\" />");
            }
        }

        foreach (string path in listed)
        {
            if (!FileExistsExactCase(Path.Combine(root, path)))
            {
                problems.Add($"IndraSmartPro.Host.slnx lists {path}, which does not exist");
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void CiWorkflow_RunsTheHostTestsAndBuildsAndTestsTheDeviceSolution()
    {
        string root = RepoRoot();
        string path = Path.Combine(root, ".github", "workflows", "ci.yml");
        Assert.True(File.Exists(path), ".github/workflows/ci.yml is missing");
        string ci = File.ReadAllText(path);
        var problems = new List<string>();
        foreach (string needed in new[]
        {
            "runs-on: ubuntu-latest", "bash .ci/run",
            "runs-on: windows-latest", "nanoframework/nanobuild@", "nuget restore IndraSmartPro.sln", "msbuild IndraSmartPro.sln",
            "nanoclr", "vstest.console", "NFUnitTest.dll", "tests\\Firmware.UnitTests\\nano.runsettings",
        })
        {
            if (!ci.Contains(needed, StringComparison.Ordinal))
            {
                problems.Add($".github/workflows/ci.yml no longer contains \"{needed}\"");
            }
        }

        // The adapter path names the TestFramework package the unit tests restore.
        string testFramework = PinnedPackages.Single(p => p.Id == "nanoFramework.TestFramework").Version;
        if (!ci.Contains("packages\\nanoFramework.TestFramework." + testFramework + "\\lib\\net48", StringComparison.Ordinal))
        {
            problems.Add($".github/workflows/ci.yml: the test adapter path must be packages\\nanoFramework.TestFramework.{testFramework}\\lib\\net48");
        }

        Assert.True(File.Exists(Path.Combine(root, ".ci", "run")), ".ci/run (the Linux job's command) is missing");
        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    /// <summary>The repository root: the folder holding IndraSmartPro.Host.slnx above the test binaries.</summary>
    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IndraSmartPro.Host.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("IndraSmartPro.Host.slnx not found above " + AppContext.BaseDirectory);
    }

    private static string Rel(string path) => Path.GetRelativePath(RepoRoot(), path).Replace('\\', '/');

    /// <summary>Files matching the pattern below dir, skipping build outputs, restored packages and VCS folders.</summary>
    private static IEnumerable<string> FindFiles(string dir, string pattern)
    {
        if (!Directory.Exists(dir))
        {
            yield break;
        }

        foreach (string file in Directory.GetFiles(dir, pattern).OrderBy(f => f, StringComparer.Ordinal))
        {
            yield return file;
        }

        foreach (string sub in Directory.GetDirectories(dir).OrderBy(d => d, StringComparer.Ordinal))
        {
            string name = Path.GetFileName(sub);
            if (name is "bin" or "obj" or "artifacts" or "packages" or "TestResults" || name.StartsWith('.'))
            {
                continue;
            }

            foreach (string file in FindFiles(sub, pattern))
            {
                yield return file;
            }
        }
    }

    /// <summary>NuGet's rule: packages.&lt;project name&gt;.config if it exists, else packages.config.</summary>
    private static string PackagesConfigOf(string nfproj)
    {
        string dir = Path.GetDirectoryName(nfproj)!;
        string specific = Path.Combine(dir, "packages." + Path.GetFileNameWithoutExtension(nfproj) + ".config");
        return File.Exists(specific) ? specific : Path.Combine(dir, "packages.config");
    }

    /// <summary>True if a folder between dir and the file holds its own .nfproj (that project owns the file).</summary>
    private static bool OwnedByNestedProjectFolder(string dir, string file)
    {
        for (string d = Path.GetDirectoryName(file)!; d.Length > dir.Length; d = Path.GetDirectoryName(d)!)
        {
            if (Directory.GetFiles(d, "*.nfproj").Length > 0)
            {
                return true;
            }
        }

        return false;
    }

    private static List<string> CompileItems(string nfproj) =>
        XDocument.Load(nfproj).Descendants(Msb + "Compile")
            .Select(c => ((string)c.Attribute("Include") ?? "").Trim())
            .ToList();

    private static List<(string Id, string Version)> PackagesConfig(string path) =>
        XDocument.Load(path).Descendants("package")
            .Select(p => ((string)p.Attribute("id") ?? "", (string)p.Attribute("version") ?? ""))
            .ToList();

    private static string ProjectGuid(string nfproj) =>
        XDocument.Load(nfproj).Descendants(Msb + "ProjectGuid").Select(e => e.Value.Trim()).FirstOrDefault() ?? "";

    /// <summary>Project path (backslashes, as in the .sln) to its GUID, for every project entry of a .sln.</summary>
    private static Dictionary<string, string> SolutionProjects(string sln)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var entry = new Regex("^Project\\(\"\\{[^}]+\\}\"\\) = \"[^\"]*\", \"([^\"]+)\", \"(\\{[^}]+\\})\"", RegexOptions.Multiline);
        foreach (Match m in entry.Matches(sln))
        {
            result[m.Groups[1].Value] = m.Groups[2].Value;
        }

        return result;
    }

    /// <summary>File.Exists that also requires every path segment's case to match (as Linux does).</summary>
    private static bool FileExistsExactCase(string fullPath)
    {
        if (!File.Exists(fullPath))
        {
            return false;
        }

        // Walk up from the file, checking each name against its parent's real listing.
        string current = fullPath.TrimEnd(Path.DirectorySeparatorChar);
        string root = RepoRoot();
        while (current.Length > root.Length)
        {
            string parent = Path.GetDirectoryName(current);
            string name = Path.GetFileName(current);
            if (parent == null || !Directory.GetFileSystemEntries(parent).Select(Path.GetFileName).Contains(name, StringComparer.Ordinal))
            {
                return false;
            }

            current = parent;
        }

        return true;
    }
}
