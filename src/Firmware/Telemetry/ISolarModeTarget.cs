using IndraSmartPro.Features.Curtailment;

namespace IndraSmartPro.Telemetry
{
    /// <summary>
    /// What the set-solar-mode command acts on (docs/mqtt.md, "Commands"). Optional: a
    /// <see cref="CommandProcessor"/> without one treats the command as unknown. Called on the
    /// scheduler thread after validation; never waits.
    /// </summary>
    public interface ISolarModeTarget
    {
        /// <summary>Selects the solar mode; returns false with a short refusal code if it cannot.</summary>
        bool SetSolarMode(long nowMicroseconds, SolarMode mode, out string refusal);
    }
}
