using IndraSmartPro.Json;

namespace IndraSmartPro.Telemetry
{
    /// <summary>
    /// More commands for <see cref="CommandProcessor"/> from a capability (smart charging), kept
    /// out of the processor. The processor has already checked the topic, size, JSON, object and
    /// id; the extension checks its own members with the same strictness and reasons
    /// (docs/mqtt.md, "Commands"), then carries the command out or changes nothing.
    /// </summary>
    public interface ICommandExtension
    {
        /// <summary>True when the topic's tail from <paramref name="nameStart"/> names one of this extension's commands.</summary>
        bool Handles(string topic, int nameStart);

        /// <summary>
        /// Validates and carries out the command in <paramref name="doc"/> (root value 0). On
        /// rejection returns false with a <see cref="CommandProcessor"/> reason and either a
        /// <paramref name="detail"/> or the index of the offending member in
        /// <paramref name="detailMember"/> (its name is echoed; -1 when none).
        /// </summary>
        bool Execute(long nowMicroseconds, string topic, int nameStart, JsonDocument doc, out string reason, out string detail, out int detailMember);

        /// <summary>
        /// After an accepted <see cref="Execute"/>: writes the command's own result members (e.g. a
        /// page of history) into the open result object, after "accepted". Nothing for most commands.
        /// </summary>
        void WriteResult(JsonWriter result);
    }
}
