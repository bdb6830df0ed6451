using IndraSmartPro.Safety;

namespace IndraSmartPro.Commissioning
{
    /// <summary>
    /// Refuses both relays on a unit nobody has commissioned: its variant, ratings and PEST mode
    /// are unknown, so offering power could exceed a cable's rating or protect with the wrong mode.
    /// </summary>
    public sealed class NotCommissionedInterlock : IPowerInterlock
    {
        /// <summary>The blocking code, also the status state.</summary>
        public const string Code = "not-commissioned";

        /// <inheritdoc />
        public bool PermitsEarth => false;

        /// <inheritdoc />
        public bool PermitsContactor => false;

        /// <inheritdoc />
        public string BlockingCode => Code;
    }
}
