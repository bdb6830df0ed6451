namespace IndraSmartPro.Board
{
    /// <summary>
    /// The board's native mains sampler: the ADC samples the five mains channels continuously
    /// (DMA, 20 kHz each), and native code (the portable C core in src/Firmware.Metering.Native)
    /// filters, decimates and accumulates them, closing one record of sums per mains cycle. The
    /// managed meter reads the records and does only the per-cycle arithmetic (docs/metering.md).
    /// On the ESP32 it is a nanoFramework interop component; in the simulator the virtual board
    /// feeds the same C core by P/Invoke.
    /// </summary>
    /// <remarks>
    /// Safety contract: a sampler that stops (DMA stall, driver error) returns no records; the
    /// protection treats 200 ms without a cycle as blind and opens the relays. It never invents
    /// a record it did not measure.
    /// </remarks>
    public interface IMainsSampler
    {
        /// <summary>
        /// Moves the oldest completed cycle's sums into <paramref name="sums"/> and returns true,
        /// or returns false at once when none is waiting. Never blocks; allocates nothing.
        /// Records are at most a few milliseconds old when the protection task polls every 1 ms.
        /// </summary>
        bool TryReadCycle(MainsCycleSums sums);
    }
}
