using System;
using IndraSmartPro.Json;

namespace IndraSmartPro.Telemetry
{
    /// <summary>
    /// The device's broker settings, written once at commissioning into the store (docs/mqtt.md,
    /// "Commissioning"): record "mqtt" holds a JSON object with host, port, user and password;
    /// record "mqtt-ca" holds the deployment CA certificate (PEM). Without a valid record the
    /// firmware runs without MQTT (charging does not need it). There is no default: a missing
    /// or weak password is refused (Smart Charge Points Regulations 2021, Schedule 1; ETSI EN 303 645 5.1-1).
    /// </summary>
    public sealed class MqttCommissioning
    {
        /// <summary>Store key of the settings record.</summary>
        public const string SettingsKey = "mqtt";

        /// <summary>Store key of the CA certificate record.</summary>
        public const string CaCertificateKey = "mqtt-ca";

        /// <summary>Largest settings record, bytes.</summary>
        public const int MaxSettingsBytes = 512;

        /// <summary>Largest CA certificate record, bytes.</summary>
        public const int MaxCaCertificateBytes = 4096;

        /// <summary>Shortest password accepted, characters.</summary>
        public const int MinPasswordLength = 16;

        /// <summary>Problem: no "mqtt" record.</summary>
        public const string ProblemNotCommissioned = "not-commissioned";
        /// <summary>Problem: the record is not a JSON object of the expected members.</summary>
        public const string ProblemInvalidRecord = "invalid-record";
        /// <summary>Problem: the password is missing, short, or the serial.</summary>
        public const string ProblemWeakPassword = "weak-password";
        /// <summary>Problem: no CA certificate record.</summary>
        public const string ProblemNoCaCertificate = "no-ca-certificate";

        /// <summary>Broker host name or address.</summary>
        public string Host;

        /// <summary>Broker TLS port (8883 unless the record says otherwise).</summary>
        public int Port = 8883;

        /// <summary>Per-device user name.</summary>
        public string UserName;

        /// <summary>Per-device password.</summary>
        public string Password;

        /// <summary>The CA certificate, PEM bytes.</summary>
        public byte[] CaCertificatePem;

        /// <summary>
        /// Reads the commissioning records. Returns false with <paramref name="problem"/> set when
        /// they are missing or unusable. Allocates; call once at start-up.
        /// </summary>
        public static bool TryLoad(Persistence.IStore store, string serial, out MqttCommissioning settings, out string problem)
        {
            settings = null;
            byte[] buffer = new byte[MaxSettingsBytes];
            int length;
            if (!store.TryRead(SettingsKey, buffer, out length))
            {
                problem = ProblemNotCommissioned;
                return false;
            }

            MqttCommissioning parsed;
            if (!TryParse(buffer, length, serial, out parsed, out problem))
            {
                return false;
            }

            byte[] ca = new byte[MaxCaCertificateBytes];
            int caLength;
            if (!store.TryRead(CaCertificateKey, ca, out caLength) || caLength == 0)
            {
                problem = ProblemNoCaCertificate;
                return false;
            }

            parsed.CaCertificatePem = new byte[caLength];
            Array.Copy(ca, parsed.CaCertificatePem, caLength);
            settings = parsed;
            problem = null;
            return true;
        }

        /// <summary>Parses a settings record: {"host":"...","port":8883,"user":"...","password":"..."} (port optional, nothing else).</summary>
        public static bool TryParse(byte[] record, int length, string serial, out MqttCommissioning settings, out string problem)
        {
            settings = null;
            problem = ProblemInvalidRecord;
            var doc = new JsonDocument(8, 1, MaxSettingsBytes);
            if (!doc.Parse(record, length) || doc.GetKind(0) != JsonKind.Object)
            {
                return false;
            }

            int host = doc.Find(0, "host");
            int port = doc.Find(0, "port");
            int user = doc.Find(0, "user");
            int password = doc.Find(0, "password");
            int known = (host >= 0 ? 1 : 0) + (port >= 0 ? 1 : 0) + (user >= 0 ? 1 : 0) + (password >= 0 ? 1 : 0);
            if (doc.GetChildCount(0) != known || host < 0 || user < 0
                || doc.GetKind(host) != JsonKind.String || doc.GetStringLength(host) == 0
                || doc.GetKind(user) != JsonKind.String || doc.GetStringLength(user) == 0)
            {
                return false;
            }

            var result = new MqttCommissioning();
            if (port >= 0)
            {
                int value;
                if (!doc.TryGetInt32(port, out value) || value < 1 || value > 65535)
                {
                    return false;
                }

                result.Port = value;
            }

            if (password < 0 || doc.GetKind(password) != JsonKind.String || doc.GetStringLength(password) < MinPasswordLength
                || doc.StringEquals(password, serial))
            {
                problem = ProblemWeakPassword;
                return false;
            }

            result.Host = doc.GetString(host);
            result.UserName = doc.GetString(user);
            result.Password = doc.GetString(password);
            settings = result;
            problem = null;
            return true;
        }

        /// <summary>Link options with these credentials and the default queue sizes.</summary>
        public MqttLinkOptions ToLinkOptions()
        {
            var options = new MqttLinkOptions();
            options.UserName = UserName;
            options.Password = Password;
            return options;
        }
    }
}
