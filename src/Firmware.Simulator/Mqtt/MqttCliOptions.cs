using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace IndraSmartPro.Simulator.Mqtt;

/// <summary>
/// The live mode's MQTT options (docs/simulator.md). Without <c>--broker</c> the simulator starts
/// its embedded broker on loopback; with it, it connects to that broker; <c>--no-mqtt</c> turns
/// MQTT off. Bad values throw <see cref="UsageException"/> (exit 2).
/// </summary>
public sealed class MqttCliOptions
{
    /// <summary>Most virtual chargers one simulator process runs.</summary>
    public const int MaxDevices = 1000;

    /// <summary>Usage lines for the options.</summary>
    public const string Usage =
        "       MQTT: [--no-mqtt] [--broker HOST:PORT [--user U --password P | --accounts FILE] [--tls [--ca FILE] [--cert FILE --key FILE]]]\n" +
        "             [--mqtt-port N] [--serial S] [--devices N] [--status-interval S] [--power-interval S]";

    /// <summary>MQTT off.</summary>
    public bool Disabled { get; private set; }

    /// <summary>External broker host, or null for the embedded broker.</summary>
    public string BrokerHost { get; private set; }

    /// <summary>External broker port.</summary>
    public int BrokerPort { get; private set; }

    /// <summary>Port for the embedded broker, or null for 1883 when free, else a free one.</summary>
    public int? EmbeddedPort { get; private set; }

    /// <summary>User name (single device), or null.</summary>
    public string UserName { get; private set; }

    /// <summary>Password (single device), or null.</summary>
    public string Password { get; private set; }

    /// <summary>Per-device credentials: user name (= serial) → password, from --accounts.</summary>
    public IReadOnlyDictionary<string, string> Accounts { get; private set; }

    /// <summary>Use TLS.</summary>
    public bool Tls { get; private set; }

    /// <summary>CA certificate (PEM) that signed the broker's certificate.</summary>
    public string CaFile { get; private set; }

    /// <summary>Client certificate (PEM), when the broker requires one.</summary>
    public string CertFile { get; private set; }

    /// <summary>Client key (PEM).</summary>
    public string KeyFile { get; private set; }

    /// <summary>Serial of the (first) virtual charger; null keeps the firmware's default.</summary>
    public string Serial { get; private set; }

    /// <summary>Number of virtual chargers, 1..<see cref="MaxDevices"/>.</summary>
    public int Devices { get; private set; } = 1;

    /// <summary>Status interval in seconds, or null for the firmware default.</summary>
    public int? StatusIntervalSeconds { get; private set; }

    /// <summary>Power message interval in seconds, or null for the firmware default.</summary>
    public int? PowerIntervalSeconds { get; private set; }

    /// <summary>
    /// Consumes the MQTT option at <paramref name="index"/> (and its value, advancing the index);
    /// false when it is not an MQTT option.
    /// </summary>
    public bool TryParse(string[] args, ref int index)
    {
        switch (args[index])
        {
            case "--no-mqtt":
                Disabled = true;
                return true;
            case "--broker":
                try
                {
                    (BrokerHost, BrokerPort) = MqttBrokerEndpoint.ParseHostPort(Value(args, ++index, "--broker"), false);
                }
                catch (FormatException e)
                {
                    throw new UsageException("--broker: " + e.Message);
                }

                return true;
            case "--mqtt-port":
                EmbeddedPort = Integer(args, ++index, "--mqtt-port", 1, 65535);
                return true;
            case "--user":
                UserName = Value(args, ++index, "--user");
                return true;
            case "--password":
                Password = Value(args, ++index, "--password");
                return true;
            case "--accounts":
                Accounts = ReadAccounts(Value(args, ++index, "--accounts"));
                return true;
            case "--tls":
                Tls = true;
                return true;
            case "--ca":
                CaFile = ExistingFile(args, ++index, "--ca");
                return true;
            case "--cert":
                CertFile = ExistingFile(args, ++index, "--cert");
                return true;
            case "--key":
                KeyFile = ExistingFile(args, ++index, "--key");
                return true;
            case "--serial":
                Serial = Value(args, ++index, "--serial");
                if (!Telemetry.MqttTopics.IsValidSerial(Serial))
                {
                    throw new UsageException("--serial must be 1..32 characters of A-Z a-z 0-9 - _");
                }

                return true;
            case "--devices":
                Devices = Integer(args, ++index, "--devices", 1, MaxDevices);
                return true;
            case "--status-interval":
                StatusIntervalSeconds = Integer(args, ++index, "--status-interval", 1, 3600);
                return true;
            case "--power-interval":
                PowerIntervalSeconds = Integer(args, ++index, "--power-interval", 1, 60);
                return true;
            default:
                return false;
        }
    }

    /// <summary>Checks combinations once every option is read.</summary>
    public void Validate()
    {
        bool external = BrokerHost != null;
        if (!external && (UserName != null || Password != null || Accounts != null || Tls || CaFile != null || CertFile != null))
        {
            throw new UsageException("--user, --password, --accounts, --tls, --ca and --cert need --broker (the embedded broker is plain and anonymous)");
        }

        if (external && EmbeddedPort != null)
        {
            throw new UsageException("--mqtt-port is the embedded broker's port; it cannot go with --broker");
        }

        if ((CaFile != null || CertFile != null) && !Tls)
        {
            throw new UsageException("--ca and --cert need --tls");
        }

        if ((CertFile == null) != (KeyFile == null))
        {
            throw new UsageException("--cert and --key go together");
        }

        if ((UserName == null) != (Password == null))
        {
            throw new UsageException("--user and --password go together");
        }

        if (Accounts != null && UserName != null)
        {
            throw new UsageException("use either --user/--password or --accounts");
        }

        if (Disabled && (external || EmbeddedPort != null))
        {
            throw new UsageException("--no-mqtt cannot go with --broker or --mqtt-port");
        }

        if (external && BrokerPort == 0)
        {
            BrokerPort = Tls ? 8883 : 1883;
        }
    }

    /// <summary>Serial of device <paramref name="index"/> (0-based): the base serial, then base-002, base-003...</summary>
    public string SerialOf(int index, string defaultSerial)
    {
        string baseSerial = Serial ?? defaultSerial;
        if (Devices == 1)
        {
            return baseSerial;
        }

        string suffix = "-" + (index + 1).ToString(Devices >= 1000 ? "D4" : "D3", CultureInfo.InvariantCulture);
        if (baseSerial.Length + suffix.Length > Telemetry.MqttTopics.MaxSerialLength)
        {
            baseSerial = baseSerial.Substring(0, Telemetry.MqttTopics.MaxSerialLength - suffix.Length);
        }

        return baseSerial + suffix;
    }

    /// <summary>Credentials for a device: --accounts by serial, else --user/--password (null for none).</summary>
    public (string User, string Password) CredentialsOf(string serial)
    {
        if (Accounts != null)
        {
            if (!Accounts.TryGetValue(serial, out string password))
            {
                throw new UsageException("--accounts has no line for " + serial);
            }

            return (serial, password);
        }

        return (UserName, Password);
    }

    /// <summary>The client endpoint for an external broker.</summary>
    public MqttBrokerEndpoint ExternalEndpoint() => new MqttBrokerEndpoint
    {
        Host = BrokerHost,
        Port = BrokerPort,
        UseTls = Tls,
        CaFile = CaFile,
        ClientCertificateFile = CertFile,
        ClientKeyFile = KeyFile,
    };

    private static Dictionary<string, string> ReadAccounts(string file)
    {
        if (!File.Exists(file))
        {
            throw new UsageException("--accounts: no file " + file);
        }

        // One "user password" per line, as deploy/mosquitto/add-account.sh prints them.
        var accounts = new Dictionary<string, string>(StringComparer.Ordinal);
        int number = 0;
        foreach (string raw in File.ReadAllLines(file))
        {
            number++;
            string line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2)
            {
                throw new UsageException("--accounts line " + number + ": expected 'user password'");
            }

            accounts[parts[0]] = parts[1];
        }

        return accounts;
    }

    private static string Value(string[] args, int index, string option)
    {
        if (index >= args.Length)
        {
            throw new UsageException(option + " needs a value");
        }

        return args[index];
    }

    private static string ExistingFile(string[] args, int index, string option)
    {
        string file = Value(args, index, option);
        if (!File.Exists(file))
        {
            throw new UsageException(option + ": no file " + file);
        }

        return file;
    }

    private static int Integer(string[] args, int index, string option, int min, int max)
    {
        string text = Value(args, index, option);
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value < min || value > max)
        {
            throw new UsageException(option + " needs a whole number " + min + ".." + max);
        }

        return value;
    }
}
