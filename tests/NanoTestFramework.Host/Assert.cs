using System;

namespace nanoFramework.TestFramework
{
    /// <summary>Thrown when an assertion fails.</summary>
    public class AssertFailedException : Exception
    {
        public AssertFailedException(string message)
            : base(message)
        {
        }
    }

    /// <summary>The subset of nanoFramework.TestFramework's Assert that this repo's tests use.</summary>
    public static class Assert
    {
        public static void AreEqual(int expected, int actual, string message = "") => Check(expected == actual, expected, actual, message);

        public static void AreEqual(long expected, long actual, string message = "") => Check(expected == actual, expected, actual, message);

        public static void AreEqual(bool expected, bool actual, string message = "") => Check(expected == actual, expected, actual, message);

        public static void AreEqual(string expected, string actual, string message = "") => Check(string.Equals(expected, actual, StringComparison.Ordinal), expected, actual, message);

        public static void AreEqual(double expected, double actual, string message = "") => Check(expected.Equals(actual), expected, actual, message);

        public static void AreEqual(object expected, object actual, string message = "") => Check(Equals(expected, actual), expected, actual, message);

        public static void AreNotEqual(int notExpected, int actual, string message = "")
        {
            if (notExpected == actual)
            {
                Fail("AreNotEqual failed: both are " + actual + ". " + message);
            }
        }

        public static void AreNotEqual(object notExpected, object actual, string message = "")
        {
            if (Equals(notExpected, actual))
            {
                Fail("AreNotEqual failed: both are " + Show(actual) + ". " + message);
            }
        }

        public static void AreSame(object expected, object actual, string message = "")
        {
            if (!ReferenceEquals(expected, actual))
            {
                Fail("AreSame failed. " + message);
            }
        }

        public static void AreNotSame(object notExpected, object actual, string message = "")
        {
            if (ReferenceEquals(notExpected, actual))
            {
                Fail("AreNotSame failed. " + message);
            }
        }

        public static void IsTrue(bool condition, string message = "")
        {
            if (!condition)
            {
                Fail("IsTrue failed. " + message);
            }
        }

        public static void IsFalse(bool condition, string message = "")
        {
            if (condition)
            {
                Fail("IsFalse failed. " + message);
            }
        }

        public static void IsNull(object value, string message = "")
        {
            if (value != null)
            {
                Fail("IsNull failed: got " + Show(value) + ". " + message);
            }
        }

        public static void IsNotNull(object value, string message = "")
        {
            if (value == null)
            {
                Fail("IsNotNull failed. " + message);
            }
        }

        public static void IsInstanceOfType(object value, Type expectedType, string message = "")
        {
            if (value == null || !expectedType.IsInstanceOfType(value))
            {
                Fail("IsInstanceOfType failed: expected " + expectedType.FullName + ". " + message);
            }
        }

        public static void ThrowsException(Type exceptionType, Action action, string message = "")
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                if (e.GetType() != exceptionType)
                {
                    Fail("ThrowsException failed: expected " + exceptionType.FullName + ", got " + e.GetType().FullName + ". " + message);
                }

                return;
            }

            Fail("ThrowsException failed: expected " + exceptionType.FullName + ", nothing was thrown. " + message);
        }

        public static void Fail(string message = "") => throw new AssertFailedException(message);

        public static void SkipTest(string message = "") => throw new SkipTestException(message);

        private static void Check(bool ok, object expected, object actual, string message)
        {
            if (!ok)
            {
                Fail("AreEqual failed. Expected: " + Show(expected) + ", actual: " + Show(actual) + ". " + message);
            }
        }

        private static string Show(object value) => value == null ? "(null)" : "<" + value + ">";
    }
}
