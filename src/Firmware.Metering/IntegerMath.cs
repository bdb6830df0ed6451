namespace IndraSmartPro.Metering
{
    /// <summary>Integer arithmetic the hot path needs without floating point.</summary>
    public static class IntegerMath
    {
        /// <summary>Floor of the square root of a non-negative 64-bit value (0 for negatives).</summary>
        public static long SquareRoot(long value)
        {
            if (value <= 0)
            {
                return 0;
            }

            // Bitwise method: at most 32 iterations, exact, no division.
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
    }
}
