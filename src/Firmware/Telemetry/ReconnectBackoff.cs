using IndraSmartPro.Network;

namespace IndraSmartPro.Telemetry
{
    /// <summary>The link's reconnect delays (docs/mqtt.md "Connection").</summary>
    public static class ReconnectBackoff
    {
        /// <summary>
        /// The reconnect delay after <paramref name="failures"/> consecutive failures (≥ 1):
        /// ceiling = min(maximum, initial × 2^(failures−1)); delay uniformly in
        /// [ceiling/2, ceiling] ("equal jitter"), so a fleet spreads out but never retries in a tight loop.
        /// </summary>
        public static int Milliseconds(int failures, int initialMilliseconds, int maximumMilliseconds, IRandomSource random)
        {
            long ceiling = initialMilliseconds;
            for (int i = 1; i < failures && ceiling < maximumMilliseconds; i++)
            {
                ceiling *= 2;
            }

            if (ceiling > maximumMilliseconds)
            {
                ceiling = maximumMilliseconds;
            }

            int half = (int)(ceiling / 2);
            return half + random.Next((int)ceiling - half + 1);
        }
    }
}
