namespace IndraSmartPro.Metering
{
    /// <summary>Integer arithmetic the metering hot path needs without floating point.</summary>
    public static class IntegerMath
    {
        /// <summary>One in Q16 fixed point (a fraction f is stored as f × 65 536).</summary>
        public const int OneQ16 = 65536;

        /// <summary>Floor of the square root of a non-negative 64-bit value (0 for zero and negatives).</summary>
        public static long SquareRoot(long value)
        {
            if (value <= 0)
            {
                return 0;
            }

            // Digit-by-digit (bitwise) method: at most 32 iterations, exact, no division, which
            // matters on the interpreted ESP32 where a 64-bit divide is a helper call.
            long result = 0;
            long bit = 1L << 62;
            while (bit > value)
            {
                bit >>= 2;
            }

            while (bit != 0)
            {
                if (value >= result + bit)
                {
                    value -= result + bit;
                    result = (result >> 1) + bit;
                }
                else
                {
                    result >>= 1;
                }

                bit >>= 2;
            }

            return result;
        }

        /// <summary>
        /// Floor of the square root of a non-negative value by Newton's method from
        /// <paramref name="estimate"/> (any positive guess; the previous result is a good one).
        /// Same result as <see cref="SquareRoot(long)"/>, usually in two or three divisions.
        /// </summary>
        /// <remarks>
        /// One step r' = ⌊(r + ⌊v/r⌋)/2⌋ from any r &gt; 0 lands on or above ⌊√v⌋ (AM-GM), and from
        /// there every step decreases until it would not: the first r with r' ≥ r is ⌊√v⌋.
        /// </remarks>
        public static long SquareRoot(long value, long estimate)
        {
            if (value <= 0)
            {
                return 0;
            }

            if (estimate <= 0)
            {
                return SquareRoot(value);
            }

            // Start at or above the root; ⌊v/r⌋ ≤ v keeps r + v/r from overflowing for v < 2^62.
            long root = (estimate + (value / estimate)) >> 1;
            if (root <= 0)
            {
                root = 1;
            }

            while (true)
            {
                long next = (root + (value / root)) >> 1;
                if (next >= root)
                {
                    return root;
                }

                root = next;
            }
        }

        /// <summary>
        /// Where a straight line through (0, <paramref name="before"/>) and (1, <paramref name="after"/>)
        /// crosses zero, as a Q16 fraction of the step (0..65 536). Requires before &lt; 0 &lt;= after;
        /// returns 65 536 when the inputs do not bracket a rising crossing.
        /// </summary>
        /// <remarks>
        /// before + f·(after − before) = 0  gives  f = −before / (after − before). Rounded to nearest:
        /// f·65 536 = (−before·65 536 + (after − before)/2) / (after − before). The numerator fits
        /// a long for any int inputs.
        /// </remarks>
        public static int RisingZeroCrossingQ16(int before, int after)
        {
            if (before >= 0 || after < 0)
            {
                return OneQ16;
            }

            long rise = (long)after - before;
            return (int)((((long)-before * OneQ16) + (rise / 2)) / rise);
        }

        /// <summary>
        /// The value a straight line from <paramref name="from"/> to <paramref name="to"/> has at the
        /// Q16 fraction <paramref name="fractionQ16"/> (0..65 536) of the step, rounded toward minus infinity.
        /// </summary>
        public static int InterpolateQ16(int from, int to, int fractionQ16)
        {
            return from + (int)(((long)to - from) * fractionQ16 >> 16);
        }

        /// <summary>
        /// Rounds <paramref name="numerator"/> / <paramref name="denominator"/> to nearest (halves away
        /// from zero). <paramref name="denominator"/> must be positive.
        /// </summary>
        public static long DivideRounded(long numerator, long denominator)
        {
            return numerator >= 0
                ? (numerator + (denominator / 2)) / denominator
                : -((-numerator + (denominator / 2)) / denominator);
        }
    }
}
