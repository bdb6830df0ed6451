using IndraSmartPro.Events;
using IndraSmartPro.Json;
using IndraSmartPro.Pests;

namespace IndraSmartPro.Telemetry
{
    /// <summary>
    /// Writes PEST disturbance records into event messages (docs/mqtt.md, "Events"). A trip event
    /// names the record that is being made ("recordSeq"); the record itself follows about a second
    /// after the trip, complete, in a "notice" event with code "disturbance-record": per-cycle RMS
    /// of L-N, L-TTref and CPC-TTref (volts, 1 decimal) from about 1 s before to 1 s after the
    /// trip, with each cycle's end time in milliseconds relative to the trip. About 2.5 KB, written
    /// a few values per telemetry run and sent through the link's large-event slot. Allocates nothing.
    /// </summary>
    public sealed class DisturbanceRecordWriter : IEventDetailWriter
    {
        // Phases: header, then the four arrays, then the closing brace.
        private const int PhaseHeader = 0;
        private const int PhaseTimes = 1;
        private const int PhaseLineNeutral = 2;
        private const int PhaseLineTtRef = 3;
        private const int PhaseCpcTtRef = 4;
        private const int PhaseClose = 5;
        private const int PhaseDone = 6;

        private DisturbanceRecord _record;
        private int _sequence;
        private int _phase = PhaseDone;
        private int _index;
        private bool _aborted;

        /// <inheritdoc/>
        public bool Aborted => _aborted;

        /// <inheritdoc/>
        public bool IsLarge(ChargerEventKind kind, object detail)
        {
            return kind == ChargerEventKind.Notice && detail is DisturbanceRecord;
        }

        /// <inheritdoc/>
        public void WriteInline(ChargerEventKind kind, object detail, JsonWriter writer)
        {
            DisturbanceRecord record = detail as DisturbanceRecord;
            if (record != null)
            {
                writer.Property("recordSeq", record.Sequence);
            }
        }

        /// <inheritdoc/>
        public void Begin(object detail)
        {
            _record = detail as DisturbanceRecord;
            _aborted = _record == null;
            _sequence = _record == null ? 0 : _record.Sequence;
            _phase = _record == null ? PhaseDone : PhaseHeader;
            _index = 0;
        }

        /// <inheritdoc/>
        public bool Continue(JsonWriter writer, int maxValues)
        {
            DisturbanceRecord record = _record;
            if (_phase == PhaseDone)
            {
                return true;
            }

            if (record.Sequence != _sequence || record.Recording)
            {
                // A new trip began a new record while this one was being written.
                _aborted = true;
                _phase = PhaseDone;
                return true;
            }

            int budget = maxValues;
            while (budget > 0 && _phase != PhaseDone)
            {
                switch (_phase)
                {
                    case PhaseHeader:
                        writer.Name("record");
                        writer.BeginObject();
                        writer.Property("seq", record.Sequence);
                        writer.Property("cause", record.CauseCode);
                        writer.Property("tripUptimeMs", record.TripMicroseconds / 1000);
                        writer.Property("preTripCycles", record.PreTripCount);
                        writer.Name("tMs");
                        writer.BeginArray();
                        budget -= 4;
                        _phase = PhaseTimes;
                        _index = 0;
                        break;
                    case PhaseClose:
                        writer.EndObject();
                        _phase = PhaseDone;
                        break;
                    default:
                        if (_index < record.Count)
                        {
                            WriteValue(writer, record, _phase, _index);
                            _index++;
                            budget--;
                        }
                        else
                        {
                            writer.EndArray();
                            _phase++;
                            _index = 0;
                            if (_phase == PhaseLineNeutral)
                            {
                                writer.Name("vLn");
                                writer.BeginArray();
                            }
                            else if (_phase == PhaseLineTtRef)
                            {
                                writer.Name("vLtt");
                                writer.BeginArray();
                            }
                            else if (_phase == PhaseCpcTtRef)
                            {
                                writer.Name("vCpcTt");
                                writer.BeginArray();
                            }
                        }

                        break;
                }
            }

            return _phase == PhaseDone;
        }

        private static void WriteValue(JsonWriter writer, DisturbanceRecord record, int phase, int i)
        {
            switch (phase)
            {
                case PhaseTimes:
                    writer.Number((record.GetEndMicroseconds(i) - record.TripMicroseconds) / 1000);
                    break;
                case PhaseLineNeutral:
                    writer.Fixed(record.GetLineNeutralMillivolts(i) / 100, 1);
                    break;
                case PhaseLineTtRef:
                    writer.Fixed(record.GetLineTtRefMillivolts(i) / 100, 1);
                    break;
                default:
                    writer.Fixed(record.GetCpcTtRefMillivolts(i) / 100, 1);
                    break;
            }
        }
    }
}
