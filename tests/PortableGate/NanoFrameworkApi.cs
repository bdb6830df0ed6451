using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace IndraSmartPro.PortableGate;

/// <summary>One public type of the nanoFramework API list (NanoFrameworkApi.txt).</summary>
public sealed class NanoType
{
    public NanoType(string group, string name, string kind, bool generic, string baseType, IReadOnlyList<string> interfaces)
    {
        Group = group;
        Name = name;
        Kind = kind;
        IsGeneric = generic;
        BaseType = baseType;
        Interfaces = interfaces;
    }

    /// <summary>corlib, math, coll, text or tf.</summary>
    public string Group { get; }

    public string Name { get; }

    /// <summary>class, struct, enum, interface or delegate.</summary>
    public string Kind { get; }

    public bool IsGeneric { get; }

    public string BaseType { get; }

    public IReadOnlyList<string> Interfaces { get; }

    public bool IsValueType => Kind is "struct" or "enum";

    /// <summary>Method signatures "Name(T1,T2)" declared on this type.</summary>
    public List<string> Methods { get; } = new();

    /// <summary>Field names declared on this type.</summary>
    public HashSet<string> Fields { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// What nanoFramework 1.17 (mscorlib 1.17.11 + System.Math + System.Collections + System.Text) and
/// nanoFramework.TestFramework 3.0 offer, read from the committed name list NanoFrameworkApi.txt.
/// </summary>
public sealed class NanoFrameworkApi
{
    private readonly Dictionary<string, NanoType> _types = new(StringComparer.Ordinal);

    private NanoFrameworkApi()
    {
    }

    /// <summary>The list shipped next to the gate's assembly.</summary>
    public static NanoFrameworkApi Default { get; } = Load(Path.Combine(AppContext.BaseDirectory, "NanoFrameworkApi.txt"));

    public static NanoFrameworkApi Load(string path)
    {
        var api = new NanoFrameworkApi();
        string group = null;
        foreach (string raw in File.ReadLines(path))
        {
            string line = raw.Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("@group ", StringComparison.Ordinal))
            {
                group = line.Substring("@group ".Length).Trim();
                continue;
            }

            if (line[0] == '#')
            {
                continue;
            }

            if (line.StartsWith("T ", StringComparison.Ordinal))
            {
                // T <name> <kind> [: <base>] [, <iface>]*
                string[] parts = line.Substring(2).Split(' ', StringSplitOptions.RemoveEmptyEntries);
                string name = parts[0];
                string kind = parts[1];
                bool generic = kind.EndsWith("-generic", StringComparison.Ordinal);
                kind = generic ? kind.Substring(0, kind.Length - "-generic".Length) : kind;
                string baseType = null;
                var interfaces = new List<string>();
                for (int i = 2; i + 1 < parts.Length; i += 2)
                {
                    if (parts[i] == ":")
                    {
                        baseType = parts[i + 1];
                    }
                    else if (parts[i] == ",")
                    {
                        interfaces.Add(parts[i + 1]);
                    }
                }

                api._types[name] = new NanoType(group, name, kind, generic, baseType, interfaces);
                continue;
            }

            // M <type>::<sig>[ generic]  or  F <type>::<field>
            int sep = line.IndexOf("::", StringComparison.Ordinal);
            string typeName = line.Substring(2, sep - 2);
            string member = line.Substring(sep + 2);
            if (!api._types.TryGetValue(typeName, out NanoType type))
            {
                throw new InvalidDataException("member before its type: " + line);
            }

            if (line[0] == 'M')
            {
                type.Methods.Add(member);
            }
            else
            {
                type.Fields.Add(member);
            }
        }

        return api;
    }

    public NanoType Find(string typeName) => _types.TryGetValue(typeName, out NanoType t) ? t : null;

    public IEnumerable<NanoType> Types => _types.Values;

    /// <summary>The type and its base types and interfaces, nearest first.</summary>
    public IEnumerable<NanoType> SelfAndAncestors(NanoType type)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<NanoType>();
        queue.Enqueue(type);
        while (queue.Count > 0)
        {
            NanoType t = queue.Dequeue();
            if (t == null || !seen.Add(t.Name))
            {
                continue;
            }

            yield return t;
            queue.Enqueue(t.BaseType == null ? null : Find(t.BaseType));
            foreach (string i in t.Interfaces)
            {
                queue.Enqueue(Find(i));
            }
        }
    }

    /// <summary>Every overload "Name(T1,T2)" of a method name on the type or its ancestors.</summary>
    public IEnumerable<string> Overloads(NanoType type, string methodName) =>
        SelfAndAncestors(type).SelectMany(t => t.Methods).Where(m => m.StartsWith(methodName + "(", StringComparison.Ordinal));

    public bool HasField(NanoType type, string field) => SelfAndAncestors(type).Any(t => t.Fields.Contains(field));
}
