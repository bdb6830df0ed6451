using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Xunit;

namespace IndraSmartPro.PortableGate;

/// <summary>
/// The host stand-in of nanoFramework.TestFramework (tests/NanoTestFramework.Host) offers exactly
/// the non-obsolete public API of the real 3.0.80 package, signature for signature: anything more
/// would let a host-green test fail to build for nanoCLR, anything less would reject valid tests.
/// </summary>
public class TestFrameworkApiTests
{
    /// <summary>Members the real package keeps only as [Obsolete] aliases (Assert.Obsolete.cs): left out on purpose.</summary>
    private static readonly HashSet<string> s_obsolete = new()
    {
        "nanoFramework.TestFramework.Assert::Empty", "nanoFramework.TestFramework.Assert::NotEmpty",
        "nanoFramework.TestFramework.Assert::Equal", "nanoFramework.TestFramework.Assert::NotEqual",
        "nanoFramework.TestFramework.Assert::True", "nanoFramework.TestFramework.Assert::False",
        "nanoFramework.TestFramework.Assert::Null", "nanoFramework.TestFramework.Assert::NotNull",
        "nanoFramework.TestFramework.Assert::Same", "nanoFramework.TestFramework.Assert::NotSame",
        "nanoFramework.TestFramework.Assert::Throws", "nanoFramework.TestFramework.Assert::IsType",
        "nanoFramework.TestFramework.Assert::IsNotType",
    };

    private static readonly string[] s_frameworkNamespaces = { "nanoFramework.TestFramework", "TestFrameworkShared" };

    private static Dictionary<string, List<string>> HostApi()
    {
        string path = Path.Combine(Repo.Root, "artifacts", "host", "bin", "NanoTestFramework.Host", Repo.Pivot, "nanoFramework.TestFramework.Host.dll");
        Assert.True(File.Exists(path), path + " was not built");
        using var pe = new PEReader(File.OpenRead(path));
        MetadataReader r = pe.GetMetadataReader();
        var names = new SignatureNames(r);
        var api = new Dictionary<string, List<string>>();
        foreach (TypeDefinitionHandle th in r.TypeDefinitions)
        {
            TypeDefinition t = r.GetTypeDefinition(th);
            if ((t.Attributes & TypeAttributes.VisibilityMask) != TypeAttributes.Public || !s_frameworkNamespaces.Contains(r.GetString(t.Namespace)))
            {
                continue;
            }

            var members = new List<string>();
            foreach (MethodDefinitionHandle mh in t.GetMethods())
            {
                MethodDefinition m = r.GetMethodDefinition(mh);
                MethodAttributes access = m.Attributes & MethodAttributes.MemberAccessMask;
                if (access is MethodAttributes.Public or MethodAttributes.Family or MethodAttributes.FamORAssem && r.GetString(m.Name) != ".cctor")
                {
                    members.Add(r.GetString(m.Name) + SignatureNames.Parameters(m.DecodeSignature(names, null)));
                }
            }

            api[MetadataNames.Of(r, th)] = members;
        }

        return api;
    }

    [Fact]
    public void HostTestFramework_EveryPublicMember_ExistsInTheRealPackage()
    {
        var extra = new List<string>();
        foreach (var (type, members) in HostApi())
        {
            NanoType real = NanoFrameworkApi.Default.Find(type);
            if (real == null || real.Group != "tf")
            {
                extra.Add(type + " (type)");
                continue;
            }

            extra.AddRange(members.Where(m => !real.Methods.Contains(m)).Select(m => type + "::" + m));
        }

        Assert.True(extra.Count == 0, "not in nanoFramework.TestFramework 3.0.80:\n" + string.Join("\n", extra));
    }

    [Fact]
    public void HostTestFramework_EveryNonObsoleteMemberOfTheRealPackage_IsOffered()
    {
        Dictionary<string, List<string>> host = HostApi();
        var missing = new List<string>();
        foreach (NanoType real in NanoFrameworkApi.Default.Types.Where(t => t.Group == "tf"))
        {
            if (!host.TryGetValue(real.Name, out List<string> members))
            {
                missing.Add(real.Name + " (type)");
                continue;
            }

            missing.AddRange(real.Methods
                .Where(m => !s_obsolete.Contains(real.Name + "::" + m.Substring(0, m.IndexOf('('))))
                .Where(m => !members.Contains(m))
                .Select(m => real.Name + "::" + m));
        }

        Assert.True(missing.Count == 0, "missing from tests/NanoTestFramework.Host:\n" + string.Join("\n", missing));
    }
}
