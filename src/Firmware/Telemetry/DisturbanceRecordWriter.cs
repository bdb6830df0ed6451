using IndraSmartPro.Events;
using IndraSmartPro.Pests;

namespace IndraSmartPro.Telemetry
{
    /// <summary>
    /// Writes PEST disturbance records into event messages (docs/mqtt.md, "Events"). A trip event
    /// names the record that is being made ("recordSeq"); the record itself follows a second after
    /// the trip, complete, in a "notice" event with code "disturbance-record": per-cycle RMS of
    /// L-N, L-TTref and CPC-TTref (volts, 1 decimal) from about 1 s before to 1 s after the trip,
    /// with each cycle's end time in milliseconds relative to the trip. About 2.5 KB, so it goes
    /// out through the link's large-event slot. Allocates nothing.
    /// </summary>
    public sealed class DisturbanceRecordWriter : IEventDetailWriter
    {
        /// <inheritdoc/>
        public bool TryWrite(ChargerEvent e, JsonWriter writer)
        {
            DisturbanceRecord record = e.Detail as DisturbanceRecord;
            if (record == null)
            {
                return false;
            }

            if (e.Kind != ChargerEventKind.Notice)
            {
                writer.Property("recordSeq", record.Sequence);
                return true;
            }

            writer.Name("record");
            writer.BeginObject();
            writer.Property("seq", record.Sequence);
            writer.Property("cause", record.CauseCode);
            writer.Property("tripUptimeMs", record.TripMicroseconds / 1000);
            writer.Property("preTripCycles", record.PreTripCount);
            int count = record.Count;
            writer.Name("tMs");
            writer.BeginArray();
            for (int i = 0; i < count; i++)
            {
                writer.Number((record.GetEndMicroseconds(i) - record.TripMicroseconds) / 1000);
            }

            writer.EndArray();
            writer.Name("vLn");
            writer.BeginArray();
            for (int i = 0; i < count; i++)
            {
                writer.Fixed(record.GetLineNeutralMillivolts(i) / 100, 1);
            }

            writer.EndArray();
            writer.Name("vLtt");
            writer.BeginArray();
            for (int i = 0; i < count; i++)
            {
                writer.Fixed(record.GetLineTtRefMillivolts(i) / 100, 1);
            }

            writer.EndArray();
            writer.Name("vCpcTt");
            writer.BeginArray();
            for (int i = 0; i < count; i++)
            {
                writer.Fixed(record.GetCpcTtRefMillivolts(i) / 100, 1);
            }

            writer.EndArray();
            writer.EndObject();
            return true;
        }
    }
}
