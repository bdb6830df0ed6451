namespace IndraSmartPro.Board
{
    /// <summary>
    /// The board's random number source. On the ESP32 the hardware generator (esp_random, fed by
    /// RF noise while the radio runs); in the simulator a seeded generator, so runs repeat. Used
    /// where chargers must not act together: the randomised delay (Smart Charge Points
    /// Regulations 2021, reg. 11) spreads a fleet's starts after a schedule or a power cut.
    /// </summary>
    public interface IHardwareRandom
    {
        /// <summary>32 random bits, every value equally likely.</summary>
        uint NextRandom32();
    }
}
