using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>
/// docs/invariants.md promises that each safety rule names the test that checks it. These tests keep
/// that promise: every rule row names at least one test, and every test class or method it names
/// exists in the test sources (so a renamed or deleted test cannot leave a rule unchecked silently).
/// </summary>
public class InvariantsDocTests
{
    private static readonly string[] AssemblyNames = { "NFUnitTest", "Firmware.HostTests", "Firmware.MqttTests", "PortableGate" };

    private static readonly Lazy<(HashSet<string> Classes, HashSet<string> Methods)> s_tests = new(ScanTests);

    public static IEnumerable<object[]> Rules() => ReadRules().Select(r => new object[] { r.Id });

    [Theory]
    [MemberData(nameof(Rules))]
    public void Invariant_Row_NamesTestsThatExist(string id)
    {
        var rule = ReadRules().Single(r => r.Id == id);
        var (classes, methods) = s_tests.Value;
        var names = Regex.Matches(rule.TestCell, "`([^`]+)`").Select(m => m.Groups[1].Value.Trim()).ToList();
        var missing = new List<string>();
        int found = 0;
        foreach (string name in names)
        {
            if (AssemblyNames.Contains(name))
            {
                continue;
            }

            string[] parts = name.Split('.');
            string last = parts[^1];
            bool exists;
            if (name.StartsWith("...", StringComparison.Ordinal))
            {
                // An abbreviation of a method name in the same row: "..._Condition_Outcome".
                string suffix = name.TrimStart('.');
                exists = methods.Any(m => m.EndsWith(suffix, StringComparison.Ordinal));
            }
            else if (parts.Length >= 2 && methods.Contains(last))
            {
                exists = classes.Contains(parts[^2]);
            }
            else
            {
                exists = classes.Contains(last) || methods.Contains(last);
            }

            if (exists)
            {
                found++;
            }
            else
            {
                missing.Add(name);
            }
        }

        Assert.True(found > 0, id + " names no test in its test column: " + rule.TestCell);
        Assert.True(missing.Count == 0, id + " names tests that do not exist: " + string.Join(", ", missing));
    }

    [Fact]
    public void Invariants_Table_HasRules()
    {
        Assert.True(ReadRules().Count >= 20, "docs/invariants.md has too few rule rows to be the real table");
    }

    private static List<(string Id, string TestCell)> ReadRules()
    {
        string path = Path.Combine(DeviceProjectTests.RepoRoot(), "docs", "invariants.md");
        var rules = new List<(string, string)>();
        foreach (string line in File.ReadAllLines(path))
        {
            var m = Regex.Match(line, @"^\|\s*([A-Z]\d+)\s*\|");
            if (!m.Success)
            {
                continue;
            }

            string[] cells = line.Split('|');

            // | id | rule | source | test |: the test column is the last non-empty cell.
            string testCell = cells.Reverse().First(c => c.Trim().Length > 0);
            rules.Add((m.Groups[1].Value, testCell));
        }

        return rules;
    }

    private static (HashSet<string>, HashSet<string>) ScanTests()
    {
        var classes = new HashSet<string>(StringComparer.Ordinal);
        var methods = new HashSet<string>(StringComparer.Ordinal);
        string tests = Path.Combine(DeviceProjectTests.RepoRoot(), "tests");
        foreach (string file in Directory.EnumerateFiles(tests, "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains(Path.DirectorySeparatorChar + "obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            {
                continue;
            }

            string text = File.ReadAllText(file);
            foreach (Match m in Regex.Matches(text, @"\bclass\s+(\w+)"))
            {
                classes.Add(m.Groups[1].Value);
            }

            foreach (Match m in Regex.Matches(text, @"\bvoid\s+(\w+)\s*\("))
            {
                methods.Add(m.Groups[1].Value);
            }
        }

        return (classes, methods);
    }
}
