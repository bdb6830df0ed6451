using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace IndraSmartPro.PortableGate;

/// <summary>
/// The gate against the real nanoFramework packages NuGet serves here (today nanoFramework.CoreLibrary
/// only): the hand-kept API list cannot drift from the device's mscorlib, and every portable project
/// whose nanoFramework assemblies are all served compiles against them with /nostdlib.
/// </summary>
public class RealPackagesTests
{
    private readonly ITestOutputHelper _output;

    public RealPackagesTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public void DevicesMscorlib_IsRestoredAtThePinnedVersion()
    {
        Assert.True(File.Exists(RealMscorlib.Path),
            RealMscorlib.Path + " is missing: tests/PortableGate/PortableGate.csproj must PackageDownload nanoFramework.CoreLibrary " + RealMscorlib.PinnedVersion + " (the version src/Firmware.Core/packages.config pins)");
    }

    [Fact]
    public void ApiList_EveryMscorlibEntry_ExistsInTheDevicesMscorlib()
    {
        RealMscorlib.Surface real = RealMscorlib.ReadSurface(RealMscorlib.Path);
        var entries = RealMscorlib.CorlibEntries(Path.Combine(System.AppContext.BaseDirectory, "NanoFrameworkApi.txt"));
        var missing = entries.Where(e => !Exists(real, e)).ToList();

        Assert.True(entries.Count > 1000, "NanoFrameworkApi.txt lists only " + entries.Count + " corlib entries");
        Assert.True(missing.Count == 0,
            missing.Count + " entr(ies) of NanoFrameworkApi.txt's corlib group are not in nanoFramework.CoreLibrary " + RealMscorlib.PinnedVersion + "'s mscorlib.dll (fix or remove them):\n" + string.Join("\n", missing));
    }

    [Fact]
    public void PortableProjects_CompileWithNoStdLibAgainstTheDevicesMscorlib_WhereEverythingTheyUseIsServed()
    {
        var outcomes = DeviceCompile.CompileAll(NanoFrameworkApi.Default);
        foreach (var outcome in outcomes)
        {
            _output.WriteLine(outcome.ToString());
        }

        Assert.NotEmpty(outcomes);
        Assert.Contains(outcomes, o => o.Compiled);
        var failed = outcomes.Where(o => o.Errors.Count > 0).ToList();
        Assert.True(failed.Count == 0, string.Join("\n", failed.Select(o => o + ":\n  " + string.Join("\n  ", o.Errors.Take(30)))));
    }

    [Fact]
    public void NoStdLibCompile_CanFail_OnWhatTheDevicesMscorlibLacks()
    {
        // The compile is real: C# 9 over the device's mscorlib accepts what nanoFramework has and
        // rejects what it lacks (generic collections, Math in mscorlib, tuples).
        MetadataReference mscorlib = MetadataReference.CreateFromFile(RealMscorlib.Path);
        const string Portable = "namespace P { public sealed class Ok { private readonly int[] _a = new int[4]; public int Sum() { int s = 0; for (int i = 0; i < _a.Length; i++) { s += _a[i]; } return s; } public string Name() { return \"n\" + Sum().ToString(); } } }";
        const string NotPortable = "namespace P { public sealed class Bad { public int M() { var l = new System.Collections.Generic.List<int>(); return System.Math.Abs(-1) + l.Count; } } }";

        var (_, okErrors) = DeviceCompile.Compile("Ok", new[] { ("Ok.cs", Portable) }, new[] { mscorlib });
        var (_, badErrors) = DeviceCompile.Compile("Bad", new[] { ("Bad.cs", NotPortable) }, new[] { mscorlib });

        Assert.True(okErrors.Count == 0, string.Join("\n", okErrors));
        Assert.Contains(badErrors, e => e.Contains("List<", System.StringComparison.Ordinal) || e.Contains("Generic", System.StringComparison.Ordinal));
        Assert.Contains(badErrors, e => e.Contains("Math", System.StringComparison.Ordinal));
    }

    private static bool Exists(RealMscorlib.Surface real, string entry)
    {
        string body = entry.Substring(2);
        switch (entry[0])
        {
            case 'T':
                string[] parts = body.Split(' ');
                return real.Types.TryGetValue(parts[0], out string kind) && kind == parts[1];
            case 'M':
                // "new S()" of a struct or enum is C#'s implicit default constructor (initobj in IL):
                // the listing named it, metadata has no such method.
                int sep = body.IndexOf("::", System.StringComparison.Ordinal);
                bool implicitDefault = body.EndsWith("::.ctor()", System.StringComparison.Ordinal)
                    && real.Types.TryGetValue(body.Substring(0, sep), out string owner) && (owner == "struct" || owner == "enum");
                return implicitDefault || real.Methods.Contains(body);
            default:
                return real.Fields.Contains(body);
        }
    }
}
