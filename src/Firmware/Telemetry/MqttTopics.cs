using System;

namespace IndraSmartPro.Telemetry
{
    /// <summary>
    /// The topic names of the MQTT contract (docs/mqtt.md, contract version 1), built once from
    /// the device serial so publishing never concatenates strings.
    /// </summary>
    public sealed class MqttTopics
    {
        /// <summary>Version of the topic and payload contract; every payload carries it as "v".</summary>
        public const int ContractVersion = 1;

        /// <summary>First level of every topic.</summary>
        public const string RootPrefix = "indra/";

        /// <summary>Longest serial accepted, in characters.</summary>
        public const int MaxSerialLength = 32;

        /// <summary>Creates the topics for a device. The serial must be 1..32 of A-Z a-z 0-9 - _.</summary>
        public MqttTopics(string serial)
        {
            if (!IsValidSerial(serial))
            {
                // A '/', '+' or '#' in the serial would put the device outside its own root (and
                // outside its ACL), so it is refused at composition rather than escaped.
                throw new ArgumentException("serial must be 1..32 characters of A-Z a-z 0-9 - _");
            }

            Serial = serial;
            Root = RootPrefix + serial + "/";
            Availability = Root + "availability";
            Status = Root + "status";
            Power = Root + "power";
            Event = Root + "event";
            Result = Root + "result";
            CommandPrefix = Root + "cmd/";
            CommandFilter = Root + "cmd/#";
            CommissionRequest = Root + "commission/req";
            CommissionResponse = Root + "commission/res";
        }

        /// <summary>The device serial.</summary>
        public string Serial { get; }

        /// <summary>"indra/&lt;serial&gt;/".</summary>
        public string Root { get; }

        /// <summary>Retained "online"/"offline"; "offline" is the last will.</summary>
        public string Availability { get; }

        /// <summary>Retained status JSON.</summary>
        public string Status { get; }

        /// <summary>Power readings JSON.</summary>
        public string Power { get; }

        /// <summary>Events JSON, QoS 1.</summary>
        public string Event { get; }

        /// <summary>Command results JSON, QoS 1. Not under cmd/, so the device never receives its own results.</summary>
        public string Result { get; }

        /// <summary>"indra/&lt;serial&gt;/cmd/": commands are this followed by the command name.</summary>
        public string CommandPrefix { get; }

        /// <summary>The subscription filter for commands, "indra/&lt;serial&gt;/cmd/#".</summary>
        public string CommandFilter { get; }

        /// <summary>Commissioning protocol requests from the installer role (docs/commissioning-protocol.md, "Transports").</summary>
        public string CommissionRequest { get; }

        /// <summary>Commissioning protocol responses, QoS 1, not retained.</summary>
        public string CommissionResponse { get; }

        /// <summary>True when the serial is usable as a topic level.</summary>
        public static bool IsValidSerial(string serial)
        {
            if (serial == null || serial.Length == 0 || serial.Length > MaxSerialLength)
            {
                return false;
            }

            for (int i = 0; i < serial.Length; i++)
            {
                char c = serial[i];
                bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
                if (!ok)
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// Where the command name starts in <paramref name="topic"/> when it is one of this
        /// device's command topics ("indra/&lt;serial&gt;/cmd/&lt;name&gt;", name one level, not empty);
        /// otherwise -1. Allocates nothing.
        /// </summary>
        public int GetCommandNameStart(string topic)
        {
            string prefix = CommandPrefix;
            if (topic == null || topic.Length <= prefix.Length)
            {
                return -1;
            }

            for (int i = 0; i < prefix.Length; i++)
            {
                if (topic[i] != prefix[i])
                {
                    return -1;
                }
            }

            for (int i = prefix.Length; i < topic.Length; i++)
            {
                char c = topic[i];
                if (c == '/' || c == '+' || c == '#')
                {
                    return -1;
                }
            }

            return prefix.Length;
        }

        /// <summary>True when topic[start..] is exactly <paramref name="name"/>.</summary>
        public static bool TailEquals(string topic, int start, string name)
        {
            if (topic.Length - start != name.Length)
            {
                return false;
            }

            for (int i = 0; i < name.Length; i++)
            {
                if (topic[start + i] != name[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
