using System;
using IndraSmartPro.Json;

namespace IndraSmartPro.Telemetry
{
    /// <summary>
    /// Validates remote commands and carries out the valid ones on an <see cref="ICommandTarget"/>,
    /// writing exactly one result per message (docs/mqtt.md, "Commands"). Runs on the scheduler
    /// thread. Every check happens before anything is executed, so a rejected message changes
    /// nothing. Reuses one parser and allocates nothing per message.
    /// </summary>
    public sealed class CommandProcessor
    {
        /// <summary>Largest accepted payload in bytes; longer ones are rejected unread.</summary>
        public const int MaxPayloadBytes = 512;

        /// <summary>Longest accepted command id, in characters.</summary>
        public const int MaxIdLength = 64;

        /// <summary>Command: set or clear the current limit. Members: id, amps (0 or min..max, ≤ 3 decimals).</summary>
        public const string SetCurrentLimitCommand = "set-current-limit";
        /// <summary>Command: pause charging. Members: id.</summary>
        public const string PauseCommand = "pause";
        /// <summary>Command: resume charging. Members: id.</summary>
        public const string ResumeCommand = "resume";
        /// <summary>Command: reset a latched PEST trip. Members: id.</summary>
        public const string ResetTripCommand = "reset-trip";
        /// <summary>Command: publish the status now. Members: id.</summary>
        public const string RefreshStatusCommand = "refresh-status";

        /// <summary>Command: select the solar mode. Members: id, mode ("fast", "eco", "eco-plus"). Needs <see cref="SolarModeTarget"/>.</summary>
        public const string SetSolarModeCommand = "set-solar-mode";

        /// <summary>Member of set-solar-mode: the mode's name.</summary>
        public const string ModeMember = "mode";

        /// <summary>Member of set-current-limit: the limit in amps.</summary>
        public const string AmpsMember = "amps";
        /// <summary>Member of every command: the caller's id, echoed in the result.</summary>
        public const string IdMember = "id";

        /// <summary>Reason: not one of this device's command topics.</summary>
        public const string ReasonWrongTopic = "wrong-topic";
        /// <summary>Reason: payload longer than <see cref="MaxPayloadBytes"/>.</summary>
        public const string ReasonOversized = "oversized";
        /// <summary>Reason: not valid JSON (detail: the parser's error).</summary>
        public const string ReasonInvalidJson = "invalid-json";
        /// <summary>Reason: valid JSON but not an object.</summary>
        public const string ReasonNotObject = "not-object";
        /// <summary>Reason: no "id".</summary>
        public const string ReasonMissingId = "missing-id";
        /// <summary>Reason: "id" not a string of 1..64 printable characters.</summary>
        public const string ReasonBadId = "bad-id";
        /// <summary>Reason: no such command.</summary>
        public const string ReasonUnknownCommand = "unknown-command";
        /// <summary>Reason: a member the command does not take (detail: its name).</summary>
        public const string ReasonUnknownField = "unknown-field";
        /// <summary>Reason: a required member is absent (detail: its name).</summary>
        public const string ReasonMissingField = "missing-field";
        /// <summary>Reason: a member has the wrong JSON type (detail: its name).</summary>
        public const string ReasonWrongType = "wrong-type";
        /// <summary>Reason: a number outside its range or precision (detail: its name).</summary>
        public const string ReasonOutOfRange = "out-of-range";
        /// <summary>Reason: valid, but the charger refused (detail: why, from the charger).</summary>
        public const string ReasonRefused = "refused";
        /// <summary>Reason: too many commands waiting; try again.</summary>
        public const string ReasonBusy = "busy";

        // Echoed characters of a topic; with the 64-character id a result stays under 1 KB even
        // when every character needs a 6-byte \u escape.
        private const int MaxTopicEcho = 64;

        // Echoed characters of an unknown member's name.
        private const int MaxNameEcho = 32;

        private readonly MqttTopics _topics;
        private readonly ICommandTarget _target;
        private readonly int _minimumMilliamps;
        private readonly int _maximumMilliamps;
        private readonly JsonDocument _document = NewDocument();
        private bool _refreshRequested;
        private int _accepted;
        private int _rejected;

        /// <summary>Creates the processor.</summary>
        /// <param name="topics">This device's topics.</param>
        /// <param name="target">What valid commands act on.</param>
        /// <param name="minimumMilliamps">Lowest settable limit: 6000 (IEC 61851-1: 6 A is the lowest PWM current).</param>
        /// <param name="maximumMilliamps">Highest settable limit: the unit rating (32000, installation guide).</param>
        public CommandProcessor(MqttTopics topics, ICommandTarget target, int minimumMilliamps, int maximumMilliamps)
        {
            if (topics == null || target == null)
            {
                throw new ArgumentNullException();
            }

            if (minimumMilliamps <= 0 || maximumMilliamps < minimumMilliamps)
            {
                throw new ArgumentOutOfRangeException("minimumMilliamps");
            }

            _topics = topics;
            _target = target;
            _minimumMilliamps = minimumMilliamps;
            _maximumMilliamps = maximumMilliamps;
        }

        /// <summary>What set-solar-mode acts on; null: the command is unknown.</summary>
        public ISolarModeTarget SolarModeTarget { get; set; }

        /// <summary>More commands (smart charging); null = none. Set before the first message.</summary>
        public ICommandExtension Extension { get; set; }

        /// <summary>True after an accepted refresh-status until <see cref="ClearRefreshRequest"/>.</summary>
        public bool RefreshRequested => _refreshRequested;

        /// <summary>Commands accepted so far.</summary>
        public int AcceptedCount => _accepted;

        /// <summary>Messages rejected so far.</summary>
        public int RejectedCount => _rejected;

        /// <summary>Marks the requested status refresh as done.</summary>
        public void ClearRefreshRequest() => _refreshRequested = false;

        /// <summary>
        /// Handles one received message and writes its result document into <paramref name="result"/>
        /// (which is reset first). Returns true when the command was accepted and carried out.
        /// Never throws on any input.
        /// </summary>
        public bool Process(long nowMicroseconds, InboundMessage message, JsonWriter result)
        {
            result.Reset();
            string topic = message.Topic;
            int nameStart = _topics.GetCommandNameStart(topic);
            if (nameStart < 0)
            {
                return Reject(result, topic, -1, -1, ReasonWrongTopic, null, -1);
            }

            if (message.Oversized || message.ReceivedLength > MaxPayloadBytes)
            {
                return Reject(result, topic, nameStart, -1, ReasonOversized, null, -1);
            }

            JsonDocument doc = _document;
            if (!doc.Parse(message.Payload, message.Length))
            {
                return Reject(result, topic, nameStart, -1, ReasonInvalidJson, doc.Error, -1);
            }

            if (doc.GetKind(0) != JsonKind.Object)
            {
                return Reject(result, topic, nameStart, -1, ReasonNotObject, null, -1);
            }

            int id = doc.Find(0, IdMember);
            if (id < 0)
            {
                return Reject(result, topic, nameStart, -1, ReasonMissingId, null, -1);
            }

            if (!IsValidId(doc, id))
            {
                return Reject(result, topic, nameStart, -1, ReasonBadId, null, -1);
            }

            if (MqttTopics.TailEquals(topic, nameStart, SetCurrentLimitCommand))
            {
                return SetCurrentLimit(nowMicroseconds, result, topic, nameStart, id);
            }

            if (SolarModeTarget != null && MqttTopics.TailEquals(topic, nameStart, SetSolarModeCommand))
            {
                return SetSolarMode(nowMicroseconds, result, topic, nameStart, id);
            }

            bool pause = MqttTopics.TailEquals(topic, nameStart, PauseCommand);
            bool resume = MqttTopics.TailEquals(topic, nameStart, ResumeCommand);
            bool reset = MqttTopics.TailEquals(topic, nameStart, ResetTripCommand);
            bool refresh = MqttTopics.TailEquals(topic, nameStart, RefreshStatusCommand);
            if (!pause && !resume && !reset && !refresh && Extension != null && Extension.Handles(topic, nameStart))
            {
                string reason;
                string detail;
                int member;
                return Extension.Execute(nowMicroseconds, topic, nameStart, doc, out reason, out detail, out member)
                    ? Accept(result, topic, nameStart, id, Extension)
                    : Reject(result, topic, nameStart, id, reason, detail, member);
            }

            if (!pause && !resume && !reset && !refresh)
            {
                return Reject(result, topic, nameStart, id, ReasonUnknownCommand, null, -1);
            }

            int unknown = FindUnknownMember(doc, null);
            if (unknown >= 0)
            {
                return Reject(result, topic, nameStart, id, ReasonUnknownField, null, unknown);
            }

            string refusal = null;
            bool done;
            if (pause)
            {
                done = _target.Pause(nowMicroseconds, out refusal);
            }
            else if (resume)
            {
                done = _target.Resume(nowMicroseconds, out refusal);
            }
            else if (reset)
            {
                done = _target.ResetTrip(nowMicroseconds, out refusal);
            }
            else
            {
                _refreshRequested = true;
                done = true;
            }

            return done ? Accept(result, topic, nameStart, id) : Reject(result, topic, nameStart, id, ReasonRefused, refusal, -1);
        }

        /// <summary>Reason: the message was retained by the broker; a retained command is never carried out (it would be again at every reconnect).</summary>
        public const string ReasonRetained = "retained";

        /// <summary>
        /// Writes the result for a message answered without being queued (<see cref="ReasonBusy"/>:
        /// the inbound queue was full; <see cref="ReasonRetained"/>). Used by the network side with
        /// its own <paramref name="document"/> (made by <see cref="NewDocument"/>): echoes the
        /// message's id when it has a valid one, so the platform knows which command to send again,
        /// else "id": null. Allocates nothing.
        /// </summary>
        public static void WriteUnqueued(MqttTopics topics, string topic, byte[] payload, JsonDocument document, string reason, JsonWriter result)
        {
            result.Reset();
            int nameStart = topics.GetCommandNameStart(topic);
            int id = -1;
            if (payload != null && payload.Length <= MaxPayloadBytes && document.Parse(payload, payload.Length)
                && document.GetKind(0) == JsonKind.Object)
            {
                id = document.Find(0, IdMember);
                if (id >= 0 && !IsValidId(document, id))
                {
                    id = -1;
                }
            }

            WriteHeader(result, topic, nameStart, document, id);
            result.PropertyBool("accepted", false);
            result.Property("reason", reason);
            result.EndObject();
        }

        /// <summary>A parser with the limits commands are read with (for <see cref="WriteUnqueued"/>).</summary>
        // Depth 3 and 64 values: an object of arrays of objects, for the smart-charging commands' windows.
        public static JsonDocument NewDocument() => new JsonDocument(64, 3, MaxPayloadBytes);

        private bool SetCurrentLimit(long nowMicroseconds, JsonWriter result, string topic, int nameStart, int id)
        {
            JsonDocument doc = _document;
            int unknown = FindUnknownMember(doc, AmpsMember);
            if (unknown >= 0)
            {
                return Reject(result, topic, nameStart, id, ReasonUnknownField, null, unknown);
            }

            int amps = doc.Find(0, AmpsMember);
            if (amps < 0)
            {
                return Reject(result, topic, nameStart, id, ReasonMissingField, AmpsMember, -1);
            }

            if (doc.GetKind(amps) != JsonKind.Number)
            {
                return Reject(result, topic, nameStart, id, ReasonWrongType, AmpsMember, -1);
            }

            long milliamps;
            if (!doc.TryGetScaled(amps, 3, out milliamps)
                || (milliamps != 0 && (milliamps < _minimumMilliamps || milliamps > _maximumMilliamps)))
            {
                return Reject(result, topic, nameStart, id, ReasonOutOfRange, AmpsMember, -1);
            }

            string refusal;
            if (!_target.SetCurrentLimit(nowMicroseconds, (int)milliamps, out refusal))
            {
                return Reject(result, topic, nameStart, id, ReasonRefused, refusal, -1);
            }

            return Accept(result, topic, nameStart, id);
        }

        private bool SetSolarMode(long nowMicroseconds, JsonWriter result, string topic, int nameStart, int id)
        {
            JsonDocument doc = _document;
            int unknown = FindUnknownMember(doc, ModeMember);
            if (unknown >= 0)
            {
                return Reject(result, topic, nameStart, id, ReasonUnknownField, null, unknown);
            }

            int mode = doc.Find(0, ModeMember);
            if (mode < 0)
            {
                return Reject(result, topic, nameStart, id, ReasonMissingField, ModeMember, -1);
            }

            if (doc.GetKind(mode) != JsonKind.String)
            {
                return Reject(result, topic, nameStart, id, ReasonWrongType, ModeMember, -1);
            }

            Features.Curtailment.SolarMode value;
            if (doc.StringEquals(mode, Features.Curtailment.SolarModes.FastName))
            {
                value = Features.Curtailment.SolarMode.Fast;
            }
            else if (doc.StringEquals(mode, Features.Curtailment.SolarModes.EcoName))
            {
                value = Features.Curtailment.SolarMode.Eco;
            }
            else if (doc.StringEquals(mode, Features.Curtailment.SolarModes.EcoPlusName))
            {
                value = Features.Curtailment.SolarMode.EcoPlus;
            }
            else
            {
                return Reject(result, topic, nameStart, id, ReasonOutOfRange, ModeMember, -1);
            }

            string refusal;
            if (!SolarModeTarget.SetSolarMode(nowMicroseconds, value, out refusal))
            {
                return Reject(result, topic, nameStart, id, ReasonRefused, refusal, -1);
            }

            return Accept(result, topic, nameStart, id);
        }

        // The first top-level member other than "id" and the allowed one, or -1.
        private static int FindUnknownMember(JsonDocument doc, string allowed)
        {
            for (int i = 1; i < doc.ValueCount; i++)
            {
                if (doc.GetParent(i) == 0 && !doc.NameEquals(i, IdMember) && (allowed == null || !doc.NameEquals(i, allowed)))
                {
                    return i;
                }
            }

            return -1;
        }

        private static bool IsValidId(JsonDocument doc, int id)
        {
            if (doc.GetKind(id) != JsonKind.String)
            {
                return false;
            }

            int length = doc.GetStringLength(id);
            if (length < 1 || length > MaxIdLength)
            {
                return false;
            }

            char[] chars = doc.Chars;
            int start = doc.GetStringStart(id);
            for (int i = 0; i < length; i++)
            {
                char c = chars[start + i];
                if (c < 0x20 || c == 0x7F)
                {
                    return false;
                }
            }

            return true;
        }

        private bool Accept(JsonWriter result, string topic, int nameStart, int id)
        {
            return Accept(result, topic, nameStart, id, null);
        }

        private bool Accept(JsonWriter result, string topic, int nameStart, int id, ICommandExtension extension)
        {
            _accepted++;
            WriteHeader(result, topic, nameStart, _document, id);
            result.PropertyBool("accepted", true);
            if (extension != null)
            {
                extension.WriteResult(result);
            }

            result.EndObject();
            return true;
        }

        private bool Reject(JsonWriter result, string topic, int nameStart, int id, string reason, string detail, int detailMember)
        {
            _rejected++;
            JsonDocument doc = _document;
            WriteHeader(result, topic, nameStart, doc, id);
            result.PropertyBool("accepted", false);
            result.Property("reason", reason);
            if (detailMember >= 0)
            {
                result.Name("detail");
                int length = doc.GetNameLength(detailMember);
                result.String(doc.Chars, doc.GetNameStart(detailMember), length < MaxNameEcho ? length : MaxNameEcho);
            }
            else if (detail != null)
            {
                result.Property("detail", detail);
            }

            result.EndObject();
            return false;
        }

        // {"v":1,"id":...,"cmd":... (and "topic" when the topic was wrong)
        private static void WriteHeader(JsonWriter result, string topic, int nameStart, JsonDocument doc, int id)
        {
            result.BeginObject();
            result.Property("v", MqttTopics.ContractVersion);
            result.Name("id");
            if (id >= 0)
            {
                result.String(doc.Chars, doc.GetStringStart(id), doc.GetStringLength(id));
            }
            else
            {
                result.Null();
            }

            result.Name("cmd");
            if (nameStart >= 0)
            {
                result.StringPart(topic, nameStart, MaxTopicEcho);
            }
            else
            {
                result.Null();
                result.Name("topic");
                result.StringPart(topic, 0, MaxTopicEcho);
            }
        }
    }
}
