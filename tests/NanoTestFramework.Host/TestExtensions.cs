using System;

namespace nanoFramework.TestFramework
{
    /// <summary>The extension methods of nanoFramework.TestFramework 3.0.80.</summary>
    public static class TestExtensions
    {
        /// <summary>
        /// True if both arrays have the same length and, index by index, elements of the same type
        /// and value (false if either is null), as the real framework compares them.
        /// </summary>
        public static bool SequenceEqual(this Array a, Array b)
        {
            if (a == null || b == null || a.Length != b.Length)
            {
                return false;
            }

            for (int i = 0; i < a.Length; i++)
            {
                object left = a.GetValue(i);
                object right = b.GetValue(i);
                if (left == null || right == null)
                {
                    // The real implementation calls GetType() on each element: a null element throws there.
                    throw new NullReferenceException("SequenceEqual: element " + i + " is null");
                }

                if (left.GetType() != right.GetType())
                {
                    return false;
                }

                bool same = left switch
                {
                    // Numeric and char/bool elements compare by value with ==, so NaN never equals NaN.
                    double d => d == (double)right,
                    float f => f == (float)right,
                    int or uint or byte or sbyte or short or ushort or long or ulong or char or bool => left.Equals(right),

                    // Anything else compares by reference, as `obja != objb` on objects does.
                    _ => ReferenceEquals(left, right),
                };
                if (!same)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
