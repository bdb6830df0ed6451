using System;
using System.IO;
using IndraSmartPro.Simulator.Commissioning;
using Xunit;

namespace IndraSmartPro.Cli.Tests;

public sealed class IndraToolTests : IDisposable
{
    private readonly ConsoleServer _unit = ConsoleServer.Start(0);
    private readonly string _dir = Directory.CreateTempSubdirectory("indra-cli-").FullName;

    public IndraToolTests() => _unit.RunInBackground();

    public void Dispose()
    {
        _unit.Dispose();
        Directory.Delete(_dir, true);
    }

    private (int Code, string Out, string Err) Indra(params string[] args)
    {
        var all = new string[args.Length + 2];
        all[0] = "--tcp";
        all[1] = "127.0.0.1:" + _unit.Port;
        Array.Copy(args, 0, all, 2, args.Length);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = Program.Run(all, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private string File(string name, string text)
    {
        string path = Path.Combine(_dir, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    private static string Value(string output, string key)
    {
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith(key, StringComparison.Ordinal))
            {
                return line.Substring(key.Length).Trim().Split(' ')[0];
            }
        }

        throw new InvalidOperationException(key + " not in: " + output);
    }

    [Fact]
    public void Installer_procedure_from_factory_to_hand_over()
    {
        var identity = Indra("identity");
        Assert.Equal(0, identity.Code);
        Assert.Contains("not-commissioned", identity.Out);

        string ca = File("ca.pem", "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n");
        var provision = Indra("provision", "--serial", "SP424242", "--mqtt-host", "broker.example", "--ca", ca);
        Assert.True(provision.Code == 0, provision.Err);
        string secret = Value(provision.Out, "installer secret");
        string password = Value(provision.Out, "mqtt password");
        Assert.Equal(16, secret.Length);
        Assert.Equal(24, password.Length);

        // Two units never share credentials.
        Assert.NotEqual(password, Credentials.NewPassword(24));

        // Without the label's secret nothing but identity works.
        var refused = Indra("config", "get");
        Assert.Equal(1, refused.Code);
        Assert.Contains("secret-required", refused.Err);

        var bad = Indra("--secret", secret, "config", "set", File("bad.json", "{\"supplyRatingMilliamps\": 200000}"));
        Assert.Equal(1, bad.Code);
        Assert.Contains("supplyRatingMilliamps: 200000 is out of range; allowed 40000..100000 mA", bad.Err);

        var factoryOnly = Indra("--secret", secret, "config", "set", File("site0.json", "{\"bogus\": 1}"));
        Assert.Contains("bogus: no such setting", factoryOnly.Err);

        string site = File("site.json", "{\"pestMode\":\"A\",\"electrodeFitted\":true,\"supplyRatingMilliamps\":80000,\"ctFitted\":true,\"ctFallbackMilliamps\":6000,\"network\":\"ethernet\",\"dhcp\":true,\"commissioned\":true}");
        var set = Indra("--secret", secret, "config", "set", site);
        Assert.True(set.Code == 0, set.Err);

        var get = Indra("--secret", secret, "config", "get", "--out", Path.Combine(_dir, "read.json"));
        Assert.Equal(0, get.Code);
        string read = System.IO.File.ReadAllText(Path.Combine(_dir, "read.json"));
        Assert.Contains("\"supplyRatingMilliamps\": 80000", read);
        Assert.DoesNotContain(password, read);
        Assert.Contains("mqttPassword", get.Out);

        Assert.Equal(0, Indra("--secret", secret, "reboot").Code);
        WaitFor(() => Indra("identity").Out.Contains("state       commissioned"));

        // Boot supply check and the RDC-DD self-test take a few seconds of real time.
        WaitFor(() => Indra("--secret", secret, "check").Code == 0);
        var check = Indra("--secret", secret, "check");
        Assert.Contains("ALL PASSED", check.Out);
        Assert.Contains("PASS  electrode", check.Out);

        var report = Indra("--secret", secret, "report");
        Assert.Equal(0, report.Code);
        Assert.Contains("ALL PASSED", report.Out);
    }

    [Fact]
    public void A_failed_check_names_the_fix()
    {
        string ca = File("ca.pem", "-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n");
        var provision = Indra("provision", "--serial", "SP000777", "--mqtt-host", "broker.example", "--ca", ca);
        string secret = Value(provision.Out, "installer secret");

        // The site is set for mode B but the toggle is still in its factory position A.
        Indra("--secret", secret, "config", "set", File("site.json", "{\"pestMode\":\"B\",\"electrodeFitted\":false,\"commissioned\":true}"));
        Indra("--secret", secret, "reboot");
        WaitFor(() => Indra("identity").Out.Contains("state       commissioned"));
        var check = Indra("--secret", secret, "check");
        Assert.Equal(1, check.Code);
        Assert.Contains("FAIL  pest-toggle", check.Out);
        Assert.Contains("fix: Flick the PEST toggle to the configured mode (B)", check.Out);
    }

    [Fact]
    public void Bad_command_lines_exit_2_and_no_unit_exits_1()
    {
        var stderr = new StringWriter();
        Assert.Equal(2, Program.Run(new[] { "calibrate", "--channel" }, new StringWriter(), stderr));
        Assert.Equal(1, Program.Run(new[] { "identity" }, new StringWriter(), stderr));
        Assert.Contains("--port SERIALPORT or --tcp HOST:PORT", stderr.ToString());
    }

    private static void WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met within 30 s");
            System.Threading.Thread.Sleep(200);
        }
    }
}
