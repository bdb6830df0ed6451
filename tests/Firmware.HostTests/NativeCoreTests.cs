using System;
using System.Diagnostics;
using System.IO;
using Xunit;
using Xunit.Abstractions;

namespace IndraSmartPro.HostTests;

/// <summary>
/// The native metering core's own unit tests (GoogleTest, src/Firmware.Metering.Native/tests) run
/// by the test command: CMake builds the core and the tests with the machine's compiler into
/// artifacts/native (the simulator's build already configured it), and ctest runs them. A failing
/// C test, or a machine without cmake, a compiler or GoogleTest, fails this test with the output.
/// </summary>
public class NativeCoreTests
{
    private readonly ITestOutputHelper _output;

    public NativeCoreTests(ITestOutputHelper output)
    {
        _output = output;
    }

    [Fact]
    public void NativeMeteringCore_GoogleTestSuite_BuildsAndPasses()
    {
        string root = RepoRoot();
        string source = Path.Combine(root, "src", "Firmware.Metering.Native");
        string build = Path.Combine(root, "artifacts", "native");
        Run("cmake", $"-S \"{source}\" -B \"{build}\" -DCMAKE_BUILD_TYPE=Release", root);
        Run("cmake", $"--build \"{build}\" --config Release -j 2", root);
        string output = Run("ctest", $"--test-dir \"{build}\" -C Release --output-on-failure", root);
        Assert.Contains("100% tests passed", output);
        Assert.DoesNotContain("googletest_missing", output);
    }

    private string Run(string file, string arguments, string directory)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + file);
        var stderr = process.StandardError.ReadToEndAsync();
        string stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        string all = stdout + stderr.Result;
        _output.WriteLine("$ " + file + " " + arguments);
        _output.WriteLine(all);
        Assert.True(process.ExitCode == 0, file + " " + arguments + " exited " + process.ExitCode + ":\n" + all);
        return all;
    }

    private static string RepoRoot()
    {
        string dir = AppContext.BaseDirectory;
        while (dir != null && !File.Exists(Path.Combine(dir, "IndraSmartPro.Host.slnx")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }
}
