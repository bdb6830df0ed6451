namespace IndraSmartPro.Safety
{
    /// <summary>
    /// Something that can forbid power: PEST protection, the weld monitor, the RDC-DD monitor.
    /// The relay supervisor asks every interlock before closing and every tick while closed;
    /// a withdrawn permission opens the relays in that same tick.
    /// </summary>
    public interface IPowerInterlock
    {
        /// <summary>False while the CPC/earth relay must stay open (and therefore the contactor too).</summary>
        bool PermitsEarth { get; }

        /// <summary>False while the contactor must stay open.</summary>
        bool PermitsContactor { get; }

        /// <summary>Why power is refused (a fault or trip code), or null when permitted.</summary>
        string BlockingCode { get; }
    }
}
