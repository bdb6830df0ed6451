using IndraSmartPro.Events;
using IndraSmartPro.Json;

namespace IndraSmartPro.Telemetry
{
    /// <summary>
    /// Writes the structured detail of an event (<see cref="ChargerEvent.Detail"/>) into its
    /// message, for detail types the telemetry does not know itself (a PEST disturbance record).
    /// Called by the telemetry task, never inside the event bus: a large detail is written a few
    /// values per run, so no single run of the low-priority task holds up the protection task
    /// for long (the scheduler is cooperative). Allocates nothing.
    /// </summary>
    public interface IEventDetailWriter
    {
        /// <summary>True when the event's detail is written as a large event of its own, incrementally (<see cref="Begin"/>).</summary>
        bool IsLarge(ChargerEventKind kind, object detail);

        /// <summary>Writes small members for a detail that is not large (e.g. a reference to a record). Writes nothing for detail it does not know.</summary>
        void WriteInline(ChargerEventKind kind, object detail, JsonWriter writer);

        /// <summary>Starts writing a large detail; members follow in <see cref="Continue"/>.</summary>
        void Begin(object detail);

        /// <summary>
        /// Writes at most <paramref name="maxValues"/> more values. Returns true when the detail is
        /// complete. Sets <see cref="Aborted"/> (and returns true) if the detail changed underneath.
        /// </summary>
        bool Continue(JsonWriter writer, int maxValues);

        /// <summary>True when the last large detail could not be finished because it changed while being written.</summary>
        bool Aborted { get; }
    }
}
