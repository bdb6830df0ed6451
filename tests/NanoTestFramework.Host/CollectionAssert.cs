using System.Collections;

namespace nanoFramework.TestFramework
{
    /// <summary>The collection assertions of nanoFramework.TestFramework 3.0.80: element-wise object.Equals, in enumeration order.</summary>
    public sealed class CollectionAssert
    {
        /// <summary>Fails unless the collection has no elements.</summary>
        public static void Empty(ICollection collection, string message = "")
        {
            Assert.EnsureParameterIsNotNull(collection, "CollectionAssert.Empty", nameof(collection));
            if (collection.Count != 0)
            {
                Assert.HandleFail("CollectionAssert.Empty", message);
            }
        }

        /// <summary>Fails if the collection has no elements.</summary>
        public static void NotEmpty(ICollection collection, string message = "")
        {
            Assert.EnsureParameterIsNotNull(collection, "CollectionAssert.NotEmpty", nameof(collection));
            if (collection.Count == 0)
            {
                Assert.HandleFail("CollectionAssert.NotEmpty", message);
            }
        }

        /// <summary>Fails unless both collections have equal elements in the same order (or are the same reference).</summary>
        public static void AreEqual(ICollection expected, ICollection actual, string message = "")
        {
            string reason = string.Empty;
            if (!AreCollectionsEqual(expected, actual, ref reason))
            {
                Assert.HandleFail("CollectionAssert.AreEqual", message + " " + reason);
            }
        }

        /// <summary>Fails if both collections have equal elements in the same order (or are the same reference).</summary>
        public static void AreNotEqual(ICollection notExpected, ICollection actual, string message = "")
        {
            string reason = string.Empty;
            if (AreCollectionsEqual(notExpected, actual, ref reason))
            {
                Assert.HandleFail("CollectionAssert.AreNotEqual", message + " " + reason);
            }
        }

        private static bool AreCollectionsEqual(ICollection expected, ICollection actual, ref string reason)
        {
            if (ReferenceEquals(expected, actual))
            {
                reason = "Both collection references point to the same collection object.";
                return true;
            }

            if (expected == null || actual == null)
            {
                return false;
            }

            if (expected.Count != actual.Count)
            {
                reason = "Different number of elements.";
                return false;
            }

            IEnumerator left = expected.GetEnumerator();
            IEnumerator right = actual.GetEnumerator();
            int index = 0;
            while (left.MoveNext() && right.MoveNext())
            {
                if (!Equals(left.Current, right.Current))
                {
                    reason = "Element at index " + index + " do not match. Expected:<" + Assert.ReplaceNulls(left.Current) + ">. Actual:<" + Assert.ReplaceNulls(right.Current) + ">.";
                    return false;
                }

                index++;
            }

            reason = "Both collections contain the same elements.";
            return true;
        }
    }
}
