using IndraSmartPro.Metering;
using nanoFramework.TestFramework;

namespace IndraSmartPro.UnitTests
{
    [TestClass]
    public class MeteringMathTests
    {
        [TestMethod]
        [DataRow(0L, 0L)]
        [DataRow(1L, 1L)]
        [DataRow(2L, 1L)]
        [DataRow(3L, 1L)]
        [DataRow(4L, 2L)]
        [DataRow(15L, 3L)]
        [DataRow(16L, 4L)]
        [DataRow(999999L, 999L)]
        [DataRow(1000000L, 1000L)]
        [DataRow(500000000000L, 707106L)]
        [DataRow(9223372036854775807L, 3037000499L)]
        public void SquareRoot_KnownValues_ReturnsFloor(long value, long expected)
        {
            Assert.AreEqual(expected, IntegerMath.SquareRoot(value));
        }

        [TestMethod]
        public void SquareRoot_Negative_ReturnsZero()
        {
            Assert.AreEqual(0L, IntegerMath.SquareRoot(-5));
        }

        [TestMethod]
        public void SquareRoot_SpreadOfValues_IsFloorOfTrueRoot()
        {
            // r² ≤ v < (r + 1)² over values from 1 to 2^62 stepped geometrically (×3, +1).
            long value = 1;
            while (value < 4611686018427387904L)
            {
                long root = IntegerMath.SquareRoot(value);
                Assert.IsTrue(root * root <= value, "root too big for " + value.ToString());
                Assert.IsTrue((root + 1) * (root + 1) > value, "root too small for " + value.ToString());
                value = (value * 3) + 1;
            }
        }

        [TestMethod]
        [DataRow(1L)]
        [DataRow(1000L)]
        [DataRow(180000L)]
        [DataRow(3000000000L)]
        public void SquareRootFromEstimate_AnyEstimate_MatchesBitwiseMethod(long estimate)
        {
            long value = 0;
            while (value < 4611686018427387904L)
            {
                Assert.AreEqual(IntegerMath.SquareRoot(value), IntegerMath.SquareRoot(value, estimate), "value " + value.ToString());
                value = (value * 7) + 3;
            }
        }

        [TestMethod]
        public void SquareRootFromEstimate_NeighboursOfPerfectSquares_AreExact()
        {
            long root = 7;
            while (root < 3000000000L)
            {
                long square = root * root;
                Assert.AreEqual(root - 1, IntegerMath.SquareRoot(square - 1, root));
                Assert.AreEqual(root, IntegerMath.SquareRoot(square, root + 5));
                Assert.AreEqual(root, IntegerMath.SquareRoot(square + 1, root - 3));
                root = (root * 5) + 1;
            }
        }

        [TestMethod]
        [DataRow(-100, 100, 32768)]
        [DataRow(-1, 3, 16384)]
        [DataRow(-3, 1, 49152)]
        [DataRow(-5, 0, 65536)]
        [DataRow(-1, 2, 21845)]
        [DataRow(-844800, 844800, 32768)]
        public void RisingZeroCrossingQ16_BracketingPair_ReturnsRoundedFraction(int before, int after, int expectedQ16)
        {
            Assert.AreEqual(expectedQ16, IntegerMath.RisingZeroCrossingQ16(before, after));
        }

        [TestMethod]
        [DataRow(1, 5)]
        [DataRow(0, 5)]
        [DataRow(-2, -1)]
        public void RisingZeroCrossingQ16_NotARisingCrossing_ReturnsOne(int before, int after)
        {
            Assert.AreEqual(IntegerMath.OneQ16, IntegerMath.RisingZeroCrossingQ16(before, after));
        }

        [TestMethod]
        [DataRow(0, 100, 32768, 50)]
        [DataRow(-100, 100, 16384, -50)]
        [DataRow(10, 10, 40000, 10)]
        [DataRow(-256000, 256000, 65536, 256000)]
        [DataRow(300, -300, 0, 300)]
        public void InterpolateQ16_PointOnLine_ReturnsValue(int from, int to, int fractionQ16, int expected)
        {
            Assert.AreEqual(expected, IntegerMath.InterpolateQ16(from, to, fractionQ16));
        }

        [TestMethod]
        public void InterpolateQ16_AtInterpolatedCrossing_IsWithinOneOfZero()
        {
            int before = -12345;
            int after = 67890;
            int f = IntegerMath.RisingZeroCrossingQ16(before, after);
            int atCrossing = IntegerMath.InterpolateQ16(before, after, f);
            Assert.IsTrue(atCrossing >= -1 && atCrossing <= 1, "value at crossing " + atCrossing.ToString());
        }

        [TestMethod]
        [DataRow(5L, 2L, 3L)]
        [DataRow(-5L, 2L, -3L)]
        [DataRow(4L, 3L, 1L)]
        [DataRow(-4L, 3L, -1L)]
        [DataRow(0L, 7L, 0L)]
        public void DivideRounded_Values_RoundHalfAwayFromZero(long numerator, long denominator, long expected)
        {
            Assert.AreEqual(expected, IntegerMath.DivideRounded(numerator, denominator));
        }
    }
}
