namespace IndraSmartPro.Features.Curtailment
{
    /// <summary>
    /// What the curtailment controller believes of the CT clamp. Every value but
    /// <see cref="NotFitted"/> and <see cref="Healthy"/> is a fault (EREC G100: fail-safe) with its
    /// own code (<see cref="CtHealths.FaultCode"/>, docs/faults.md): charging falls to the
    /// installer's fallback until the clamp is healthy again.
    /// </summary>
    public enum CtHealth
    {
        /// <summary>The installer says no clamp is fitted: no curtailment, no claim.</summary>
        NotFitted = 0,
        /// <summary>Readings arrive and agree with the EV's own current.</summary>
        Healthy = 1,
        /// <summary>The clamp reads (almost) nothing while the EV draws: unplugged or its cable broken.</summary>
        Disconnected = 2,
        /// <summary>The clamp reads at or above its full scale: the true import is unknown (and very high).</summary>
        Saturated = 3,
        /// <summary>The reading did not move when the EV's own current stepped: frozen.</summary>
        Stuck = 4,
        /// <summary>The import reads below the EV's own current while it draws, in an installation without generation.</summary>
        Implausible = 5,
        /// <summary>No metered cycle for more than 3 s.</summary>
        Stale = 6,
        /// <summary>The import moved against the EV's own current step: the clamp is fitted backwards.</summary>
        Reversed = 7,
    }

    /// <summary>Codes and facts for <see cref="CtHealth"/>.</summary>
    public static class CtHealths
    {
        /// <summary>Fault code: CT clamp disconnected.</summary>
        public const string CodeDisconnected = "ct-disconnected";

        /// <summary>Fault code: CT clamp saturated.</summary>
        public const string CodeSaturated = "ct-saturated";

        /// <summary>Fault code: CT clamp reading stuck.</summary>
        public const string CodeStuck = "ct-stuck";

        /// <summary>Fault code: CT clamp reading implausible.</summary>
        public const string CodeImplausible = "ct-implausible";

        /// <summary>Fault code: no CT reading for more than 3 s.</summary>
        public const string CodeStale = "ct-stale";

        /// <summary>Fault code: CT clamp fitted backwards.</summary>
        public const string CodeReversed = "ct-reversed";

        /// <summary>The fault code of a health value, or null for the two that are not faults.</summary>
        public static string FaultCode(CtHealth health)
        {
            switch (health)
            {
                case CtHealth.Disconnected:
                    return CodeDisconnected;
                case CtHealth.Saturated:
                    return CodeSaturated;
                case CtHealth.Stuck:
                    return CodeStuck;
                case CtHealth.Implausible:
                    return CodeImplausible;
                case CtHealth.Stale:
                    return CodeStale;
                case CtHealth.Reversed:
                    return CodeReversed;
                default:
                    return null;
            }
        }

        /// <summary>The status name of a health value: "not-fitted", "ok", or the fault code.</summary>
        public static string Name(CtHealth health)
        {
            switch (health)
            {
                case CtHealth.NotFitted:
                    return "not-fitted";
                case CtHealth.Healthy:
                    return "ok";
                default:
                    return FaultCode(health);
            }
        }

        /// <summary>A person-readable account of a fault, for the Fault event's text.</summary>
        public static string Text(CtHealth health)
        {
            switch (health)
            {
                case CtHealth.Disconnected:
                    return "CT clamp reads no current while the vehicle draws: check its plug and cable; charging on the fallback current";
                case CtHealth.Saturated:
                    return "CT clamp at full scale: import unknown; charging on the fallback current";
                case CtHealth.Stuck:
                    return "CT clamp reading did not follow the vehicle's current: charging on the fallback current";
                case CtHealth.Implausible:
                    return "CT clamp reads less than the vehicle alone draws: charging on the fallback current";
                case CtHealth.Stale:
                    return "no CT clamp reading for more than 3 s: charging on the fallback current";
                case CtHealth.Reversed:
                    return "CT clamp fitted backwards (its label must face the supply): charging on the fallback current";
                default:
                    return null;
            }
        }
    }
}
