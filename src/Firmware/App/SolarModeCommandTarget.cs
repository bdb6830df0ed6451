using IndraSmartPro.Features.Curtailment;
using IndraSmartPro.Telemetry;

namespace IndraSmartPro.Firmware
{
    /// <summary>Carries out set-solar-mode on the curtailment controller (docs/mqtt.md, "Commands").</summary>
    internal sealed class SolarModeCommandTarget : ISolarModeTarget
    {
        /// <summary>Refusal: no CT clamp is fitted, so there is no surplus to follow.</summary>
        public const string RefusalNoCt = "ct-not-fitted";

        private readonly CurtailmentController _curtailment;

        public SolarModeCommandTarget(CurtailmentController curtailment)
        {
            _curtailment = curtailment;
        }

        /// <summary>Sets the mode; eco modes need the clamp (fast is always accepted).</summary>
        public bool SetSolarMode(long nowMicroseconds, SolarMode mode, out string refusal)
        {
            refusal = null;
            if (mode != SolarMode.Fast && !_curtailment.Settings.CtFitted)
            {
                refusal = RefusalNoCt;
                return false;
            }

            _curtailment.SetMode(mode);
            return true;
        }
    }
}
