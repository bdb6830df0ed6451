using IndraSmartPro.Events;

namespace IndraSmartPro.Telemetry
{
    /// <summary>
    /// Writes the structured detail of an event (<see cref="ChargerEvent.Detail"/>) as extra
    /// members of the event's JSON object, for detail types the telemetry does not know itself.
    /// Called on the scheduler thread inside the event bus; must be quick and allocate nothing.
    /// </summary>
    public interface IEventDetailWriter
    {
        /// <summary>Writes members for <paramref name="e"/>'s detail and returns true, or returns false (writing nothing) for detail it does not know.</summary>
        bool TryWrite(ChargerEvent e, JsonWriter writer);
    }
}
