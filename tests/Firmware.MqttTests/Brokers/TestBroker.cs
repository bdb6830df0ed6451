using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using IndraSmartPro.Simulator.Mqtt;

namespace IndraSmartPro.MqttTests.Brokers;

/// <summary>
/// A broker for one test, on loopback ports chosen free at start: a real mosquitto when the
/// binary is installed (.ci/run installs it), else the simulator's embedded MQTTnet broker.
/// <see cref="Name"/> says which ran; the tests print it and <see cref="Start"/> writes it on
/// stderr too.
/// <para>
/// Secured mode runs the deploy/mosquitto/mosquitto.conf and acl files themselves, with the
/// /etc/mosquitto/indra/ prefix and the ports rewritten to a temporary directory and free
/// loopback ports, certificates made by deploy/mosquitto/make-test-certs.sh and accounts added
/// by deploy/mosquitto/add-account.sh: what is tested is what is deployed.
/// </para>
/// </summary>
public sealed class TestBroker : IDisposable
{
    private const string DeployPrefix = "/etc/mosquitto/indra/";
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(10);

    private readonly string _mosquitto;
    private readonly string _configFile;
    private Process _process;
    private EmbeddedBroker _embedded;

    private TestBroker(string mosquitto, string directory, string configFile, int port, int tlsPort, IReadOnlyDictionary<string, string> passwords)
    {
        _mosquitto = mosquitto;
        Directory = directory;
        _configFile = configFile;
        Port = port;
        TlsPort = tlsPort;
        Passwords = passwords;
        CaFile = tlsPort > 0 ? Path.Combine(directory, "certs", "ca.crt") : null;
    }

    /// <summary>"mosquitto 2.0.11 (...)" or "embedded MQTTnet.Server (mosquitto not found)".</summary>
    public string Name { get; private set; }

    /// <summary>True when a real mosquitto runs.</summary>
    public bool IsMosquitto => _mosquitto != null;

    /// <summary>Plain loopback port.</summary>
    public int Port { get; }

    /// <summary>TLS port (secured mosquitto only), else 0.</summary>
    public int TlsPort { get; }

    /// <summary>The test CA (secured mosquitto only).</summary>
    public string CaFile { get; }

    /// <summary>The broker's working directory (config, certificates, password file, log).</summary>
    public string Directory { get; }

    /// <summary>Account passwords made for a secured broker, by user name.</summary>
    public IReadOnlyDictionary<string, string> Passwords { get; }

    /// <summary>
    /// Path of the mosquitto binary, or null when it is not installed (or when the environment
    /// variable INDRA_MQTT_TEST_BROKER=embedded asks for the fallback, to exercise it).
    /// </summary>
    public static string FindMosquitto()
    {
        if (Environment.GetEnvironmentVariable("INDRA_MQTT_TEST_BROKER") == "embedded")
        {
            return null;
        }

        return Locate() ?? InstallOnce();
    }

    private static readonly object s_installGate = new();
    private static bool s_installTried;

    /// <summary>
    /// The README's test command must work on a fresh Linux machine with only the .NET SDK, like
    /// .ci/run does: when mosquitto is missing and the tests run as root where apt-get exists, install
    /// it (with openssl, for the TLS tests) once per run. INDRA_MQTT_NO_INSTALL=1 turns this off.
    /// </summary>
    private static string InstallOnce()
    {
        lock (s_installGate)
        {
            if (s_installTried)
            {
                return Locate();
            }

            s_installTried = true;
            if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("INDRA_MQTT_NO_INSTALL") == "1"
                || Environment.UserName != "root" || !File.Exists("/usr/bin/apt-get"))
            {
                return null;
            }

            Console.Error.WriteLine("[mqtt tests] mosquitto not found: installing it with apt-get (INDRA_MQTT_NO_INSTALL=1 to skip)");
            Run("/usr/bin/apt-get", "update -qq");
            Run("/usr/bin/apt-get", "install -y -qq mosquitto openssl");
            string found = Locate();
            Console.Error.WriteLine(found != null ? "[mqtt tests] installed " + found : "[mqtt tests] mosquitto could not be installed");
            return found;
        }
    }

    private static void Run(string file, string arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(file, arguments) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        using var process = System.Diagnostics.Process.Start(start);
        process.StandardOutput.ReadToEndAsync();
        process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(300_000))
        {
            process.Kill(entireProcessTree: true);
        }
    }

    private static string Locate()
    {
        var dirs = new List<string>((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries));
        dirs.AddRange(new[] { "/usr/sbin", "/usr/local/sbin", "/usr/bin", "/opt/homebrew/sbin" });
        foreach (string dir in dirs)
        {
            string candidate = Path.Combine(dir, "mosquitto");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The repository root (where IndraSmartPro.Host.slnx is).</summary>
    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IndraSmartPro.Host.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    /// <summary>
    /// Starts an anonymous plain broker on a free loopback port: mosquitto if installed, else the
    /// embedded MQTTnet broker.
    /// </summary>
    public static TestBroker StartPlain() => WithPortRetry(StartPlainOnce);

    /// <summary>
    /// As <see cref="StartSecured(string[])"/>; with <paramref name="requireClientCertificate"/>
    /// the TLS listener also demands a client certificate signed by the test CA (the option
    /// docs/deploy.md describes), in addition to the password.
    /// </summary>
    public static TestBroker StartSecured(bool requireClientCertificate, params string[] userNames) => WithPortRetry(() => StartSecuredOnce(requireClientCertificate, userNames));

    // A port found free can be taken by another process before mosquitto binds it (test
    // assemblies run in parallel): start again on fresh ports, a bounded number of times.
    private static TestBroker WithPortRetry(Func<TestBroker> start)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return start();
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.StartsWith("mosquitto exited", StringComparison.Ordinal))
            {
                Console.Error.WriteLine("[mqtt tests] mosquitto did not start (" + e.Message.Split('\n')[0] + "); trying other ports");
            }
        }
    }

    private static TestBroker StartPlainOnce()
    {
        string mosquitto = FindMosquitto();
        string dir = NewDirectory();
        int port = EmbeddedBroker.FreeLoopbackPort();
        if (mosquitto == null)
        {
            var fallback = new TestBroker(null, dir, null, port, 0, new Dictionary<string, string>());
            fallback.Launch();
            return fallback;
        }

        string config = Path.Combine(dir, "mosquitto.conf");
        File.WriteAllText(config,
            "per_listener_settings false\n" +
            "allow_anonymous true\n" +
            "persistence false\n" +
            RunAsLine() +
            "log_dest file " + Path.Combine(dir, "mosquitto.log") + "\n" +
            "log_type all\n" +
            "listener " + port + " 127.0.0.1\n");
        return Launched(new TestBroker(mosquitto, dir, config, port, 0, new Dictionary<string, string>()));
    }

    /// <summary>
    /// Starts mosquitto with the deploy/ configuration, ACL and TLS (see the class summary),
    /// with one account per user name given. Throws when mosquitto is not installed: ACLs and
    /// TLS are mosquitto's, the embedded broker cannot stand in for them.
    /// </summary>
    public static TestBroker StartSecured(params string[] userNames) => StartSecured(false, userNames);

    private static TestBroker StartSecuredOnce(bool requireClientCertificate, string[] userNames)
    {
        string mosquitto = FindMosquitto()
            ?? throw new InvalidOperationException("the ACL and TLS tests need mosquitto (apt-get install mosquitto; .ci/run installs it)");
        string root = RepoRoot();
        string deploy = Path.Combine(root, "deploy", "mosquitto");
        string dir = NewDirectory();
        int port = EmbeddedBroker.FreeLoopbackPort();
        int tlsPort = EmbeddedBroker.FreeLoopbackPort();
        while (tlsPort == port)
        {
            tlsPort = EmbeddedBroker.FreeLoopbackPort();
        }

        RunTool(Path.Combine(deploy, "make-test-certs.sh"), Path.Combine(dir, "certs"), "localhost", "127.0.0.1");
        var passwords = new Dictionary<string, string>();
        string passwd = Path.Combine(dir, "passwd");
        foreach (string user in userNames)
        {
            // add-account.sh prints "user password" once; that is how commissioning gets it.
            string[] line = RunTool(Path.Combine(deploy, "add-account.sh"), passwd, user).Trim().Split(' ');
            passwords[line[0]] = line[1];
        }

        File.Copy(Path.Combine(deploy, "acl"), Path.Combine(dir, "acl"));
        var config = new StringBuilder();
        foreach (string raw in File.ReadAllLines(Path.Combine(deploy, "mosquitto.conf")))
        {
            string line = raw.Replace(DeployPrefix, dir + "/", StringComparison.Ordinal);
            if (line.StartsWith("listener 8883", StringComparison.Ordinal))
            {
                line = "listener " + tlsPort + " 127.0.0.1" + (requireClientCertificate ? "\nrequire_certificate true" : string.Empty);
            }
            else if (line.StartsWith("listener 1883", StringComparison.Ordinal))
            {
                line = "listener " + port + " 127.0.0.1";
            }
            else if (line.StartsWith("persistence true", StringComparison.Ordinal))
            {
                // The deployed file leaves the location to Debian's main configuration.
                line += "\npersistence_location " + dir + "/";
            }
            else if (line.StartsWith("log_dest", StringComparison.Ordinal))
            {
                line = "log_dest file " + Path.Combine(dir, "mosquitto.log") + "\n" + RunAsLine().TrimEnd('\n');
            }

            config.Append(line).Append('\n');
        }

        string configFile = Path.Combine(dir, "mosquitto.conf");
        File.WriteAllText(configFile, config.ToString());
        return Launched(new TestBroker(mosquitto, dir, configFile, port, tlsPort, passwords));
    }

    /// <summary>A client endpoint for this broker: plain, or TLS with the test CA (or without it, to show that fails).</summary>
    public MqttBrokerEndpoint Endpoint(bool tls = false, bool trustTestCa = true, bool clientCertificate = false) => new MqttBrokerEndpoint
    {
        ClientCertificateFile = clientCertificate ? Path.Combine(Directory, "certs", "client.crt") : null,
        ClientKeyFile = clientCertificate ? Path.Combine(Directory, "certs", "client.key") : null,
        Host = tls ? "localhost" : "127.0.0.1",
        Port = tls ? TlsPort : Port,
        UseTls = tls,
        CaFile = tls && trustTestCa ? CaFile : null,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        OperationTimeout = TimeSpan.FromSeconds(5),
        KeepAlive = TimeSpan.FromSeconds(5),
    };

    /// <summary>Stops the broker (the process is killed, as in a crash or a network cut).</summary>
    public void Stop()
    {
        if (_process != null)
        {
            try
            {
                _process.Kill();
                _process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            _process.Dispose();
            _process = null;
        }

        _embedded?.Dispose();
        _embedded = null;
    }

    /// <summary>Starts the broker again on the same ports with the same configuration.</summary>
    public void Restart()
    {
        Stop();
        Launch();
    }

    /// <summary>The broker's log (mosquitto only), for failure messages.</summary>
    public string Log()
    {
        string file = Path.Combine(Directory, "mosquitto.log");
        return File.Exists(file) ? File.ReadAllText(file) : string.Empty;
    }

    /// <summary>Stops the broker and removes its directory.</summary>
    public void Dispose()
    {
        Stop();
        try
        {
            System.IO.Directory.Delete(Directory, true);
        }
        catch (IOException)
        {
            // A leftover temp directory is harmless.
        }
    }

    private static TestBroker Launched(TestBroker broker)
    {
        try
        {
            broker.Launch();
            return broker;
        }
        catch
        {
            broker.Dispose();
            throw;
        }
    }

    private void Launch()
    {
        if (_mosquitto == null)
        {
            _embedded = EmbeddedBroker.Start(Port);
            Name = "embedded MQTTnet.Server (mosquitto not found)";
        }
        else
        {
            var start = new ProcessStartInfo(_mosquitto)
            {
                ArgumentList = { "-c", _configFile },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            _process = Process.Start(start) ?? throw new InvalidOperationException("mosquitto did not start");
            _process.OutputDataReceived += (_, _) => { };
            _process.ErrorDataReceived += (_, _) => { };
            _process.BeginOutputReadLine();
            _process.BeginErrorReadLine();
            WaitUntilListening(Port);
            if (TlsPort > 0)
            {
                WaitUntilListening(TlsPort);
            }

            Name = "mosquitto " + Version(_mosquitto) + (TlsPort > 0 ? " (deploy/mosquitto config, TLS, ACL)" : " (plain, anonymous)");
        }

        Console.Error.WriteLine("[mqtt tests] broker: " + Name + " on 127.0.0.1:" + Port + (TlsPort > 0 ? " and TLS :" + TlsPort : string.Empty));
    }

    private void WaitUntilListening(int port)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < ReadyTimeout)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("mosquitto exited (" + _process.ExitCode + "): " + Log());
            }

            try
            {
                using var probe = new TcpClient();
                probe.Connect("127.0.0.1", port);
                return;
            }
            catch (SocketException)
            {
                // Not listening yet: a process start takes a few milliseconds.
                Thread.Sleep(20);
            }
        }

        throw new TimeoutException("mosquitto did not listen on " + port + ": " + Log());
    }

    private static string Version(string mosquitto)
    {
        // "mosquitto version 2.0.11" is the first line of -h (which exits 3).
        var start = new ProcessStartInfo(mosquitto, "-h") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start);
        string text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit(5000);
        foreach (string line in text.Split('\n'))
        {
            int at = line.IndexOf("version ", StringComparison.Ordinal);
            if (at >= 0)
            {
                return line.Substring(at + 8).Trim();
            }
        }

        return "(version unknown)";
    }

    private static string RunAsLine()
    {
        // Started as root, mosquitto switches to the user "mosquitto", which cannot read a
        // root-owned temporary directory; keep the user that runs the tests.
        return "user " + Environment.UserName + "\n";
    }

    private static string RunTool(string script, params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot run " + script);
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(30000) || process.ExitCode != 0)
        {
            throw new InvalidOperationException(script + " failed: " + error);
        }

        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
    }

    private static string NewDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "indra-mqtt-" + Guid.NewGuid().ToString("N").Substring(0, 12));
        System.IO.Directory.CreateDirectory(dir);
        return dir;
    }
}
