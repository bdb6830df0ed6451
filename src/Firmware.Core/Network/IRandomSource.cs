namespace IndraSmartPro.Network
{
    /// <summary>Random numbers for reconnect jitter; injected so tests are repeatable.</summary>
    public interface IRandomSource
    {
        /// <summary>A number in [0, <paramref name="maxExclusive"/>); 0 when maxExclusive ≤ 1.</summary>
        int Next(int maxExclusive);
    }

    /// <summary>
    /// xorshift64* (Vigna 2016): small, fast, good enough to spread reconnects of a fleet. Seed it
    /// per device (e.g. from the serial and a hardware random number) so chargers that lost the
    /// broker together do not retry together.
    /// </summary>
    public sealed class XorShiftRandom : IRandomSource
    {
        private ulong _state;

        /// <summary>Creates a generator; a zero seed is replaced by a fixed non-zero one.</summary>
        public XorShiftRandom(ulong seed)
        {
            _state = seed == 0 ? 0x9E3779B97F4A7C15UL : seed;
        }

        /// <summary>Mixes a string (e.g. the serial) into a seed (FNV-1a, 64 bit).</summary>
        public static ulong SeedFrom(string text, ulong salt)
        {
            ulong hash = 14695981039346656037UL ^ salt;
            for (int i = 0; i < text.Length; i++)
            {
                hash ^= text[i];
                hash *= 1099511628211UL;
            }

            return hash;
        }

        /// <inheritdoc/>
        public int Next(int maxExclusive)
        {
            if (maxExclusive <= 1)
            {
                return 0;
            }

            _state ^= _state >> 12;
            _state ^= _state << 25;
            _state ^= _state >> 27;
            ulong value = _state * 2685821657736338717UL;
            return (int)((value >> 33) % (ulong)maxExclusive);
        }
    }
}
