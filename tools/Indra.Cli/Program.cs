using System;
using System.CommandLine;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IndraSmartPro.Cli;

/// <summary>
/// <c>indra</c>: commissions a unit over its console (docs/commissioning.md). Exit codes: 0 done,
/// 1 the unit refused or a check failed (the message says why), 2 bad command line.
/// </summary>
public static class Program
{
    public static int Main(string[] args) => Run(args, Console.Out, Console.Error);

    /// <summary>Runs a command line, writing to the given streams (tests call this directly).</summary>
    public static int Run(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var tcp = new Option<string>("--tcp") { Description = "the unit's console over TCP, HOST:PORT (the simulator's 'console --tcp')", Recursive = true };
        var port = new Option<string>("--port") { Description = "the unit's USB serial console, e.g. /dev/ttyUSB0 or COM5", Recursive = true };
        var secret = new Option<string>("--secret") { Description = "the installer secret on the unit's label (or INDRA_SECRET)", Recursive = true };
        var root = new RootCommand("indra: commission an INDRA Smart PRO unit (docs/commissioning.md)");
        root.Options.Add(tcp);
        root.Options.Add(port);
        root.Options.Add(secret);

        UnitLink Open(ParseResult p)
        {
            string endpoint = p.GetValue(tcp);
            string serial = p.GetValue(port);
            if ((endpoint == null) == (serial == null))
            {
                throw new CliException("say where the unit is: --port SERIALPORT or --tcp HOST:PORT");
            }

            var link = endpoint != null ? UnitLink.OpenTcp(endpoint) : UnitLink.OpenSerial(serial);
            link.Secret = p.GetValue(secret) ?? Environment.GetEnvironmentVariable("INDRA_SECRET");
            return link;
        }

        void Add(Command command, Func<ParseResult, UnitLink, int> action)
        {
            command.SetAction(p =>
            {
                try
                {
                    using var link = Open(p);
                    return action(p, link);
                }
                catch (CliException e)
                {
                    stderr.WriteLine("indra: " + e.Message);
                    return 1;
                }
            });
            root.Subcommands.Add(command);
        }

        Add(new Command("identity", "serial, variant, part number, firmware, commissioning state"), (p, link) =>
        {
            var r = link.Request("identity");
            stdout.WriteLine("serial      " + r["serial"]);
            stdout.WriteLine("variant     " + r["variant"] + " (" + r["partNumber"] + ")");
            stdout.WriteLine("firmware    " + r["firmware"] + ", protocol " + r["protocol"]);
            stdout.WriteLine("state       " + r["state"] + (r["storedCommissioned"]?.GetValue<bool>() == true ? " (stored: commissioned)" : ""));
            stdout.WriteLine("secret set  " + r["installerSecretSet"]);
            return 0;
        });

        var config = new Command("config", "read or change the stored configuration");
        var outFile = new Option<FileInfo>("--out") { Description = "write the settings to this file (JSON) instead of the screen" };
        var get = new Command("get", "print the stored settings (secrets are never read back)") { outFile };
        get.SetAction(p => Guard(stderr, () =>
        {
            using var link = Open(p);
            var r = link.Request("read-config");
            string json = r["config"].ToJsonString(new JsonSerializerOptions { WriteIndented = true });
            FileInfo file = p.GetValue(outFile);
            if (file != null)
            {
                File.WriteAllText(file.FullName, json + "\n");
            }
            else
            {
                stdout.WriteLine(json);
            }

            stdout.WriteLine("secrets set: " + r["secretsSet"].ToJsonString() + ", CA bundle set: " + r["caSet"]);
            return 0;
        }));
        var file = new Argument<FileInfo>("file") { Description = "a JSON object of settings (names and ranges: docs/commissioning-protocol.md)" };
        var set = new Command("set", "validate and store settings from a file; reboot to apply") { file };
        set.SetAction(p => Guard(stderr, () =>
        {
            FileInfo f = p.GetValue(file);
            JsonObject settings;
            try
            {
                settings = JsonNode.Parse(File.ReadAllText(f.FullName)) as JsonObject;
            }
            catch (Exception e) when (e is IOException || e is JsonException)
            {
                throw new CliException("cannot read settings from " + f.Name + ": " + e.Message);
            }

            if (settings == null)
            {
                throw new CliException(f.Name + " is not a JSON object of settings");
            }

            using var link = Open(p);
            link.Request("set-config", new JsonObject { ["settings"] = settings });
            stdout.WriteLine("stored " + settings.Count + " setting(s); reboot the unit (indra reboot) to apply them");
            return 0;
        }));
        config.Subcommands.Add(get);
        config.Subcommands.Add(set);
        root.Subcommands.Add(config);

        Add(new Command("check", "run the hand-over checks and print the report (exit 1 if any failed)"), (p, link) =>
        {
            var r = link.Request("check");
            return PrintReport(stdout, r["report"].AsObject());
        });

        Add(new Command("report", "print the last stored check report"), (p, link) =>
        {
            var r = link.Request("read-report");
            return PrintReport(stdout, r["report"].AsObject());
        });

        var channel = new Option<string>("--channel") { Description = "line-neutral, line-ttref, cpc-ttref, ct-clamp or ev-current", Required = true };
        var reference = new Option<int>("--reference") { Description = "the reference meter's reading: millivolts (voltages) or milliamps (currents)", Required = true };
        Add(new Command("calibrate", "set a channel's gain so it reads the reference meter (factory, USB console)") { channel, reference }, (p, link) =>
        {
            var r = link.Request("calibrate", new JsonObject { ["channel"] = p.GetValue(channel), ["reference"] = p.GetValue(reference) });
            stdout.WriteLine(p.GetValue(channel) + ": measured " + r["measured"] + ", reference " + r["reference"] + ", gain now " + r["gainPartsPerMillion"] + " ppm (stored)");
            return 0;
        });

        var serialNumber = new Option<string>("--serial") { Description = "the unit's serial (its MQTT user name)", Required = true };
        var host = new Option<string>("--mqtt-host") { Description = "the broker's host name", Required = true };
        var mqttPort = new Option<int>("--mqtt-port") { Description = "the broker's TLS port", DefaultValueFactory = _ => 8883 };
        var ca = new Option<FileInfo>("--ca") { Description = "the broker's CA bundle (PEM)", Required = true };
        var credentialsOut = new Option<FileInfo>("--credentials-out") { Description = "also write the generated user, password and installer secret to this file (mode 600)" };
        Add(new Command("provision", "factory: set serial, broker, a new strong MQTT password and installer secret for this unit, and the CA bundle") { serialNumber, host, mqttPort, ca, credentialsOut }, (p, link) =>
        {
            string pem;
            try
            {
                pem = File.ReadAllText(p.GetValue(ca).FullName);
            }
            catch (IOException e)
            {
                throw new CliException("cannot read the CA bundle: " + e.Message);
            }

            var identity = link.Request("identity");
            string password = Credentials.NewPassword(24);
            string installerSecret = identity["installerSecretSet"]?.GetValue<bool>() == true ? null : Credentials.NewPassword(16);
            var settings = new JsonObject
            {
                ["serial"] = p.GetValue(serialNumber),
                ["mqttHost"] = p.GetValue(host),
                ["mqttPort"] = p.GetValue(mqttPort),
                ["mqttPassword"] = password,
            };
            if (installerSecret != null)
            {
                settings["installerSecret"] = installerSecret;
            }

            link.Request("set-config", new JsonObject { ["settings"] = settings });
            if (installerSecret != null)
            {
                link.Secret = installerSecret;
            }

            link.Request("set-ca", new JsonObject { ["pem"] = pem });
            string user = p.GetValue(serialNumber);
            stdout.WriteLine("provisioned " + user + " for " + p.GetValue(host) + ":" + p.GetValue(mqttPort));
            stdout.WriteLine("mqtt user        " + user);
            stdout.WriteLine("mqtt password    " + password + "   (add to the broker: deploy/mosquitto/add-account.sh)");
            stdout.WriteLine(installerSecret != null ? "installer secret " + installerSecret + "   (print on the unit's label)" : "installer secret unchanged");
            FileInfo outPath = p.GetValue(credentialsOut);
            if (outPath != null)
            {
                File.WriteAllText(outPath.FullName, "user=" + user + "\npassword=" + password + "\n" + (installerSecret != null ? "installer-secret=" + installerSecret + "\n" : ""));
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(outPath.FullName, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }

            stdout.WriteLine("reboot the unit (indra reboot) to apply");
            return 0;
        });

        Add(new Command("reboot", "restart the unit (applies stored settings)"), (p, link) =>
        {
            link.Request("reboot");
            stdout.WriteLine("rebooting");
            return 0;
        });

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                stderr.WriteLine("indra: " + error.Message);
            }

            return 2;
        }

        return parsed.Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
    }

    private static int Guard(TextWriter stderr, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (CliException e)
        {
            stderr.WriteLine("indra: " + e.Message);
            return 1;
        }
    }

    private static int PrintReport(TextWriter stdout, JsonObject report)
    {
        bool passed = report["passed"]?.GetValue<bool>() == true;
        stdout.WriteLine("hand-over checks for " + report["serial"] + ": " + (passed ? "ALL PASSED" : "FAILED"));
        foreach (var entry in report["checks"].AsArray())
        {
            string result = (string)entry["result"];
            stdout.WriteLine("  " + (result == "pass" ? "PASS" : result == "fail" ? "FAIL" : "skip") + "  " + ((string)entry["name"]).PadRight(15) + entry["measured"]);
            if (result == "fail")
            {
                stdout.WriteLine("        fix: " + entry["fix"]);
            }
        }

        return passed ? 0 : 1;
    }
}

/// <summary>Per-device credentials: random, from the operating system's CSPRNG, never a shared default (Smart Charge Points Regulations 2021, Schedule 1).</summary>
public static class Credentials
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    /// <summary>A password of <paramref name="length"/> characters from a 57-symbol alphabet without look-alikes (24 characters: about 140 bits).</summary>
    public static string NewPassword(int length)
    {
        var builder = new StringBuilder(length);
        for (int i = 0; i < length; i++)
        {
            builder.Append(Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]);
        }

        return builder.ToString();
    }
}
