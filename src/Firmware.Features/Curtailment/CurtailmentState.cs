namespace IndraSmartPro.Features.Curtailment
{
    /// <summary>What the curtailment controller is doing with its claim.</summary>
    public enum CurtailmentState
    {
        /// <summary>No CT clamp fitted: no claim.</summary>
        Off = 0,
        /// <summary>Claiming the allowance (or the solar target): charging continues.</summary>
        Following = 1,
        /// <summary>The allowance (or surplus) was under 6 A: the offer is withdrawn and held off for at least the minimum pause.</summary>
        Paused = 2,
        /// <summary>The CT clamp is faulty: charging on the installer's fallback current (or paused).</summary>
        Fallback = 3,
    }

    /// <summary>Names of <see cref="CurtailmentState"/> in the status.</summary>
    public static class CurtailmentStates
    {
        /// <summary>The status name: "off", "following", "paused" or "fallback".</summary>
        public static string Name(CurtailmentState state)
        {
            switch (state)
            {
                case CurtailmentState.Following:
                    return "following";
                case CurtailmentState.Paused:
                    return "paused";
                case CurtailmentState.Fallback:
                    return "fallback";
                default:
                    return "off";
            }
        }
    }
}
