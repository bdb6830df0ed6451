namespace IndraSmartPro.Events
{
    /// <summary>
    /// One event. The bus reuses a single instance, so listeners must copy what they keep and
    /// must not hold the reference after <see cref="IChargerEventListener.OnEvent"/> returns.
    /// Code and Text are constant strings in steady state, so publishing allocates nothing.
    /// </summary>
    public sealed class ChargerEvent
    {
        /// <summary>What happened.</summary>
        public ChargerEventKind Kind;

        /// <summary>When, in clock microseconds since boot.</summary>
        public long TimeMicroseconds;

        /// <summary>The main number, with its unit given by <see cref="Kind"/>.</summary>
        public int Value;

        /// <summary>A second number where the kind needs one.</summary>
        public int Value2;

        /// <summary>A yes/no, where the kind needs one.</summary>
        public bool Flag;

        /// <summary>A short machine-readable code, e.g. a trip cause "ln-out-of-range".</summary>
        public string Code;

        /// <summary>Optional human-readable detail.</summary>
        public string Text;

        /// <summary>Optional structured detail (e.g. a disturbance record); listeners must not modify it.</summary>
        public object Detail;
    }
}
