using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace IndraSmartPro.HostTests;

/// <summary>
/// The repo speaks only of itself: a reader of a clone sees neither the team's notes outside the
/// repo nor its issue tracker. Code and docs therefore cite docs/domain.md (by section) or the
/// standard itself, never a file or machine path outside the repo and never an issue number. This
/// test reads every tracked (or new, not ignored) text file and fails with one line per finding
/// (file:line: what: text).
/// </summary>
public class RepoSelfContainedTests
{
    // The patterns are assembled from pieces so that this file's own source never matches them.
    private static readonly (string What, Regex Pattern)[] Forbidden =
    {
        ("a notes file outside the repo (cite docs/domain.md or the standard)",
            new Regex(@"\b(?:DOMAIN|STYLE)" + Regex.Escape(".") + "md\\b")),
        ("a path outside the repo",
            new Regex(Regex.Escape("..") + "/" + "shared\\b|(?<![A-Za-z0-9.])/" + "work" + "/")),
        ("an issue number (say what is meant instead)",
            new Regex("\\b[Ii]" + "ssues? #?[0-9]+\\b|(?<![&A-Za-z0-9_/])#" + "[0-9]+\\b")),
    };

    /// <summary>Folders never scanned when git is not available (build output, restored packages).</summary>
    private static readonly string[] SkippedFolders = { ".git", "artifacts", "bin", "obj", "packages", "node_modules" };

    [Fact]
    public void TrackedFiles_ReferNeitherToFilesOutsideTheRepoNorToIssueNumbers()
    {
        string root = DeviceProjectTests.RepoRoot();
        var findings = new List<string>();
        int scanned = 0;
        foreach (string relative in TrackedFiles(root))
        {
            string path = Path.Combine(root, relative);
            if (!File.Exists(path) || IsBinary(path))
            {
                continue;
            }

            scanned++;
            string[] lines = File.ReadAllLines(path, Encoding.UTF8);
            for (int i = 0; i < lines.Length; i++)
            {
                foreach (var (what, pattern) in Forbidden)
                {
                    Match match = pattern.Match(lines[i]);
                    if (match.Success)
                    {
                        findings.Add($"{relative.Replace('\\', '/')}:{i + 1}: {what}: \"{match.Value}\" in: {lines[i].Trim()}");
                    }
                }
            }
        }

        Assert.True(scanned > 50, "too few files scanned (" + scanned + "): is this the repository root? " + root);
        Assert.True(findings.Count == 0,
            findings.Count + " reference(s) a reader of the repo cannot follow:" + Environment.NewLine +
            string.Join(Environment.NewLine, findings));
    }

    [Theory]
    [InlineData("see DOMAIN" + ".md, \"PESTs\"")]
    [InlineData("STYLE" + ".md (hot paths)")]
    [InlineData("the seed in ../" + "shared/seed")]
    [InlineData("read /" + "work/shared/data")]
    [InlineData("as issue" + " 3 asks")]
    [InlineData("Issue #" + "12, item 5")]
    [InlineData("fixed in #" + "42")]
    public void Pattern_FlagsAForbiddenReference(string line)
    {
        Assert.Contains(Forbidden, f => f.Pattern.IsMatch(line));
    }

    [Theory]
    [InlineData("docs/domain.md, \"Control pilot\"")]
    [InlineData("BS 7671 722.411.4.1 (iii)")]
    [InlineData("mosquitto_sub -t 'indra/#' -v")]
    [InlineData("&#160; and colour #ff0000")]
    [InlineData("tests/Firmware.HostTests/networking/ and src/Firmware/")]
    public void Pattern_LeavesOrdinaryTextAlone(string line)
    {
        Assert.DoesNotContain(Forbidden, f => f.Pattern.IsMatch(line));
    }

    /// <summary>The files git tracks or would add (not ignored); without git (an exported tree), every file outside build output.</summary>
    private static IEnumerable<string> TrackedFiles(string root)
    {
        try
        {
            var start = new ProcessStartInfo("git", "ls-files -z --cached --others --exclude-standard")
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var git = Process.Start(start)!;
            string output = git.StandardOutput.ReadToEnd();
            git.StandardError.ReadToEnd();
            git.WaitForExit();
            if (git.ExitCode == 0 && output.Length > 0)
            {
                return output.Split('\0', StringSplitOptions.RemoveEmptyEntries);
            }
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // git is not installed: fall back to walking the tree.
        }

        return Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f))
            .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(part => SkippedFolders.Contains(part)));
    }

    /// <summary>A file with a NUL byte in its first 8 KB is binary (git's own rule of thumb).</summary>
    private static bool IsBinary(string path)
    {
        using var stream = File.OpenRead(path);
        var buffer = new byte[8192];
        int read = stream.Read(buffer, 0, buffer.Length);
        return Array.IndexOf(buffer, (byte)0, 0, read) >= 0;
    }
}
