using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace IndraSmartPro.PortableGate;

/// <summary>
/// Compiles portable projects as the device build does: the files their .nfproj lists, C# 9,
/// /nostdlib, against the real nanoFramework assemblies instead of .NET's. Only mscorlib is served
/// here (<see cref="RealMscorlib"/>). A file that needs an assembly that is not served (its only
/// errors are "not found" for a type NanoFrameworkApi.txt places in such an assembly, or for a type
/// left out upstream for that reason) is left out with the reason; every other error fails.
/// </summary>
public static class DeviceCompile
{
    private static readonly XNamespace Msb = "http://schemas.microsoft.com/developer/msbuild/2003";

    /// <summary>NanoFrameworkApi.txt group → the nanoFramework assembly holding it.</summary>
    public static readonly Dictionary<string, string> GroupAssemblies = new(StringComparer.Ordinal)
    {
        ["corlib"] = "mscorlib",
        ["math"] = "System.Math",
        ["coll"] = "nanoFramework.System.Collections",
        ["text"] = "nanoFramework.System.Text",
        ["tf"] = "nanoFramework.TestFramework",
    };

    /// <summary>What happened to one project: how many of its files compiled, which were left out and why, and any real errors.</summary>
    public sealed record Outcome(string Project, int Files, IReadOnlyList<string> Left, IReadOnlyList<string> Because, IReadOnlyList<string> Errors)
    {
        public bool Compiled => Left.Count < Files;

        public override string ToString() =>
            (!Compiled
                ? Project + ": not compiled: every file needs " + string.Join(", ", Because)
                : Project + ": " + (Files - Left.Count) + " of " + Files + " files compiled against the device's mscorlib"
                    + (Left.Count == 0 ? "" : "; left out " + string.Join(", ", Left) + " (needs " + string.Join(", ", Because) + ")"))
            + (Errors.Count == 0 ? "" : "; " + Errors.Count + " error(s)");
    }

    /// <summary>Every portable project with a device twin, in dependency order, compiled as far as the served assemblies allow.</summary>
    public static List<Outcome> CompileAll(NanoFrameworkApi api)
    {
        var projects = Repo.PortableProjects
            .Select(p => Directory.GetFiles(Path.GetDirectoryName(p.ProjectPath)!, "*.nfproj").SingleOrDefault())
            .Where(p => p != null)
            .ToList();

        // Simple names of what is not served ("TestClass" for [TestClass] too).
        var unserved = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (NanoType type in api.Types)
        {
            if (!GroupAssemblies.TryGetValue(type.Group, out string assembly) || RealMscorlib.ServedAssemblies.Contains(assembly))
            {
                continue;
            }

            // Its namespace too, for the using directive ("Text" of System.Text, "nanoFramework").
            string[] segments = type.Name.Split('+')[0].Split('.');
            foreach (string segment in segments.Take(segments.Length - 1).Where(n => n != "System"))
            {
                unserved[segment] = assembly + " (not served)";
            }

            string simple = type.Name.Substring(type.Name.LastIndexOfAny(new[] { '.', '+' }) + 1).Split('`')[0];
            unserved[simple] = assembly + " (not served)";
            if (simple.EndsWith("Attribute", StringComparison.Ordinal))
            {
                unserved[simple.Substring(0, simple.Length - "Attribute".Length)] = assembly + " (not served)";
            }
        }

        MetadataReference mscorlib = MetadataReference.CreateFromFile(RealMscorlib.Path);
        var outcomes = new List<Outcome>();
        var compiled = new Dictionary<string, MetadataReference>(StringComparer.Ordinal);
        var leftTypes = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        var pending = projects.ToList();
        while (pending.Count > 0)
        {
            // Next: a project whose referenced projects are all decided.
            string next = pending.FirstOrDefault(p => ProjectReferences(p).All(r => leftTypes.ContainsKey(r) || !projects.Any(q => Name(q) == r)));
            if (next == null)
            {
                throw new InvalidOperationException("a cycle among " + string.Join(", ", pending.Select(Name)));
            }

            pending.Remove(next);
            outcomes.Add(CompileProject(next, compiled, leftTypes, unserved, mscorlib));
        }

        return outcomes;
    }

    /// <summary>Compiles sources as the device build would (C# 9, /nostdlib) against the given references; the errors.</summary>
    public static (MetadataReference Reference, List<string> Errors) Compile(string assemblyName, IEnumerable<(string Path, string Text)> sources, IEnumerable<MetadataReference> references)
    {
        var (reference, diagnostics) = CompileDiagnostics(assemblyName, sources.ToList(), references);
        return (reference, diagnostics.Select(d => d.ToString()).ToList());
    }

    private static Outcome CompileProject(string nfproj, Dictionary<string, MetadataReference> compiled,
        Dictionary<string, Dictionary<string, string>> leftTypes, Dictionary<string, string> unserved, MetadataReference mscorlib)
    {
        string name = Name(nfproj);
        var references = ProjectReferences(nfproj).Where(leftTypes.ContainsKey).ToList();
        var sources = Sources(nfproj);
        var blocked = new Dictionary<string, string>(unserved, StringComparer.Ordinal);
        foreach (string r in references)
        {
            foreach (var (type, why) in leftTypes[r])
            {
                blocked[type] = why;
            }
        }

        var left = new List<string>();
        var because = new SortedSet<string>(StringComparer.Ordinal);
        var typesLeft = new Dictionary<string, string>(StringComparer.Ordinal);
        leftTypes[name] = typesLeft;
        var notCompiled = references.Where(r => !compiled.ContainsKey(r)).ToList();
        if (notCompiled.Count > 0)
        {
            because.Add("not compiled: " + string.Join(", ", notCompiled));
            return new Outcome(name, sources.Count, sources.Select(s => s.Path).ToList(), because.ToList(), Array.Empty<string>());
        }

        var refs = references.Select(r => compiled[r]).Append(mscorlib).ToList();
        var errors = new List<string>();
        while (left.Count < sources.Count)
        {
            var kept = sources.Where(s => !left.Contains(s.Path)).ToList();
            var (reference, diagnostics) = CompileDiagnostics(name, kept, refs);
            if (diagnostics.Count == 0)
            {
                compiled[name] = reference;
                break;
            }

            // Forgive only "not found" errors naming something not served (or left out upstream):
            // leave their files out and try again. Anything else is a real error.
            var real = new List<string>();
            var files = new HashSet<string>(StringComparer.Ordinal);
            foreach (Diagnostic d in diagnostics)
            {
                string missing = NotFoundName(d);
                if (missing != null && blocked.TryGetValue(missing, out string why))
                {
                    because.Add(why);
                    files.Add(d.Location.SourceTree?.FilePath ?? "");
                }
                else
                {
                    real.Add(d.ToString());
                }
            }

            if (real.Count > 0)
            {
                errors = real;
                break;
            }

            foreach (var source in kept.Where(s => files.Contains(s.Path)))
            {
                left.Add(source.Path);
                foreach (string type in DeclaredTypes(source.Text))
                {
                    typesLeft[type] = string.Join(", ", because) + ", through " + Path.GetFileName(source.Path);
                    blocked[type] = typesLeft[type];
                }
            }
        }

        return new Outcome(name, sources.Count, left, because.ToList(), errors);
    }

    private static (MetadataReference, List<Diagnostic>) CompileDiagnostics(string assemblyName, List<(string Path, string Text)> sources, IEnumerable<MetadataReference> references)
    {
        var options = new CSharpParseOptions(LanguageVersion.CSharp9);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, options, s.Path)).ToList();
        var compilation = CSharpCompilation.Create(assemblyName, trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Disable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        return (compilation.ToMetadataReference(), errors);
    }

    /// <summary>The name a "type or namespace / name not found" error is about, else null.</summary>
    private static string NotFoundName(Diagnostic d)
    {
        if (d.Id is not ("CS0246" or "CS0103" or "CS0234"))
        {
            return null;
        }

        Match m = Regex.Match(d.GetMessage(), "'([A-Za-z_][A-Za-z0-9_]*)'");
        return m.Success ? m.Groups[1].Value : null;
    }

    private static IEnumerable<string> DeclaredTypes(string text)
    {
        SyntaxNode root = CSharpSyntaxTree.ParseText(text, new CSharpParseOptions(LanguageVersion.CSharp9)).GetRoot();
        return root.DescendantNodes().OfType<BaseTypeDeclarationSyntax>().Select(t => t.Identifier.Text)
            .Concat(root.DescendantNodes().OfType<DelegateDeclarationSyntax>().Select(t => t.Identifier.Text))
            .ToList();
    }

    private static List<(string Path, string Text)> Sources(string nfproj)
    {
        string dir = Path.GetDirectoryName(nfproj)!;
        return XDocument.Load(nfproj).Descendants(Msb + "Compile")
            .Select(c => Path.GetFullPath(Path.Combine(dir, ((string)c.Attribute("Include")).Replace('\\', Path.DirectorySeparatorChar))))
            .Select(f => (Path.GetRelativePath(Repo.Root, f).Replace('\\', '/'), File.ReadAllText(f)))
            .ToList();
    }

    /// <summary>A project is named by its folder (tests/Firmware.UnitTests holds NFUnitTest.nfproj).</summary>
    private static string Name(string nfproj) => Path.GetFileName(Path.GetDirectoryName(nfproj)!);

    private static List<string> ProjectReferences(string nfproj)
    {
        string dir = Path.GetDirectoryName(nfproj)!;
        return XDocument.Load(nfproj).Descendants(Msb + "ProjectReference")
            .Select(r => Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(Path.Combine(dir, ((string)r.Attribute("Include")).Replace('\\', Path.DirectorySeparatorChar))))!))
            .ToList();
    }
}
