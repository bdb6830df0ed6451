namespace IndraSmartPro.Persistence
{
    /// <summary>
    /// A reader's place in a <see cref="RecordRing"/>: the sequence number of the next record to
    /// read, and where it was last found. One per reader (e.g. one per MQTT page request in
    /// progress), made once and reused: reading allocates nothing.
    /// </summary>
    public sealed class RecordRingCursor
    {
        /// <summary>Sequence number of the next record <see cref="RecordRing.TryReadNext"/> returns.</summary>
        public int Sequence { get; internal set; }

        /// <summary>Segment slot the next record is expected in, or -1 when it must be looked up.</summary>
        internal int Slot = -1;

        /// <summary>Byte offset of the next record in that segment.</summary>
        internal int Offset;
    }
}
