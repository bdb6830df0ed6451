using System;
using System.Runtime.CompilerServices;
using TestFrameworkShared;

namespace nanoFramework.TestFramework
{
    /// <summary>
    /// The assertions of nanoFramework.TestFramework 3.0.80, with the same signatures and the same
    /// pass/fail behaviour, so the files of tests/Firmware.UnitTests compile and judge alike on
    /// nanoCLR and on .NET. Only non-obsolete API of the real package is here (no Assert.Fail,
    /// no Equal/True/Null...): what compiles here compiles on the device. tests/PortableGate checks
    /// NFUnitTest's uses of this assembly against the real package's API list.
    /// </summary>
    public sealed partial class Assert
    {
        private const string ObjectAsString = "(object)";
        private const string NullAsString = "(null)";

        /// <summary>Fails if both references are the same object.</summary>
        public static void AreNotSame(object notExpected, object actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (!ReferenceEquals(notExpected, actual))
            {
                return;
            }

            HandleFail("Assert.AreNotSame", ReplaceNulls(message));
        }

        /// <summary>Fails unless both references are the same object.</summary>
        public static void AreSame(object expected, object actual, [CallerArgumentExpression(nameof(actual))] string message = "")
        {
            if (ReferenceEquals(expected, actual))
            {
                return;
            }

            if (expected is ValueType || actual is ValueType)
            {
                HandleFail("Assert.AreSame", "Do not pass value types to AreSame(). Values converted to Object will never be the same. Consider using AreEqual(). " + ReplaceNulls(message));
            }

            HandleFail("Assert.AreSame", ReplaceNulls(message));
        }

        /// <summary>Fails unless <paramref name="value"/> contains <paramref name="expected"/> (ordinal).</summary>
        public static void Contains(string expected, string value, [CallerArgumentExpression(nameof(value))] string message = "")
        {
            EnsureParameterIsNotNull(expected, "Assert.Contains", nameof(expected));
            EnsureParameterIsNotNull(value, "Assert.Contains", nameof(value));
            if (value.Contains(expected, StringComparison.Ordinal))
            {
                return;
            }

            HandleFail("Assert.Contains", "'" + value + "' does not contain '" + expected + "'. " + ReplaceNulls(message));
        }

        /// <summary>Fails if <paramref name="value"/> contains <paramref name="notExpected"/> (ordinal).</summary>
        public static void DoesNotContains(string notExpected, string value, [CallerArgumentExpression(nameof(value))] string message = "")
        {
            EnsureParameterIsNotNull(notExpected, "Assert.DoesNotContains", nameof(notExpected));
            EnsureParameterIsNotNull(value, "Assert.DoesNotContains", nameof(value));
            if (!value.Contains(notExpected, StringComparison.Ordinal))
            {
                return;
            }

            HandleFail("Assert.DoesNotContains", "'" + value + "' should not contain '" + notExpected + "'. " + ReplaceNulls(message));
        }

        /// <summary>Fails unless <paramref name="value"/> ends with <paramref name="expected"/> (ordinal).</summary>
        public static void EndsWith(string expected, string value, [CallerArgumentExpression(nameof(value))] string message = "")
        {
            EnsureParameterIsNotNull(expected, "Assert.EndsWith", nameof(expected));
            EnsureParameterIsNotNull(value, "Assert.EndsWith", nameof(value));
            if (value.EndsWith(expected, StringComparison.Ordinal))
            {
                return;
            }

            HandleFail("Assert.EndsWith", "'" + value + "' does not end with '" + expected + "'. " + ReplaceNulls(message));
        }

        /// <summary>Fails unless <paramref name="value"/> starts with <paramref name="expected"/> (ordinal).</summary>
        public static void StartsWith(string expected, string value, [CallerArgumentExpression(nameof(value))] string message = "")
        {
            EnsureParameterIsNotNull(expected, "Assert.StartsWith", nameof(expected));
            EnsureParameterIsNotNull(value, "Assert.StartsWith", nameof(value));
            if (value.StartsWith(expected, StringComparison.Ordinal))
            {
                return;
            }

            HandleFail("Assert.StartsWith", "'" + value + "' does not start with '" + expected + "'. " + ReplaceNulls(message));
        }

        /// <summary>Fails if the condition is true.</summary>
        public static void IsFalse(bool condition, [CallerArgumentExpression(nameof(condition))] string message = "")
        {
            if (condition)
            {
                HandleFail("Assert.IsFalse", message);
            }
        }

        /// <summary>Fails if the condition is false.</summary>
        public static void IsTrue(bool condition, [CallerArgumentExpression(nameof(condition))] string message = "")
        {
            if (!condition)
            {
                HandleFail("Assert.IsTrue", message);
            }
        }

        /// <summary>Fails unless the value's type is exactly <paramref name="expected"/> (a derived type fails, as in the real framework).</summary>
        public static void IsInstanceOfType(object value, Type expected, [CallerArgumentExpression(nameof(value))] string message = "")
        {
            EnsureParameterIsNotNull(expected, "Assert.IsInstanceOfType", nameof(expected));
            if (value is not null && expected == value.GetType())
            {
                return;
            }

            Type actual = value?.GetType();
            HandleFail("Assert.IsInstanceOfType", "Expected type:<" + expected + ">. Actual type:<" + ReplaceNulls(actual) + ">. " + ReplaceNulls(message));
        }

        /// <summary>Fails if the value's type is exactly <paramref name="notExpected"/>.</summary>
        public static void IsNotInstanceOfType(object value, Type notExpected, [CallerArgumentExpression(nameof(value))] string message = "")
        {
            EnsureParameterIsNotNull(notExpected, "Assert.IsNotInstanceOfType", nameof(notExpected));
            if (value is null || notExpected != value.GetType())
            {
                return;
            }

            HandleFail("Assert.IsNotInstanceOfType", "Wrong type:<" + notExpected + ">. Actual type:<" + value.GetType() + ">. " + ReplaceNulls(message));
        }

        /// <summary>Fails if the value is null.</summary>
        public static void IsNotNull(object value, [CallerArgumentExpression(nameof(value))] string message = "")
        {
            if (value is not null)
            {
                return;
            }

            HandleFail("Assert.IsNotNull", message);
        }

        /// <summary>Fails unless the value is null.</summary>
        public static void IsNull(object value, [CallerArgumentExpression(nameof(value))] string message = "")
        {
            if (value is null)
            {
                return;
            }

            HandleFail("Assert.IsNull", message);
        }

        /// <summary>Ends the test as skipped (SkipTestException). In a [Setup], the rest of the class is not run.</summary>
        public static void SkipTest(string message = null) => throw new SkipTestException(message);

        /// <summary>Fails unless the action throws an exception of exactly this type (a derived type fails, as in the real framework).</summary>
        public static void ThrowsException(Type exception, Action action, [CallerArgumentExpression(nameof(action))] string message = "")
        {
            EnsureParameterIsNotNull(action, "Assert.ThrowsException", nameof(action));
            EnsureParameterIsNotNull(exception, "Assert.ThrowsException", nameof(exception));
            try
            {
                action.Invoke();
            }
            catch (Exception ex)
            {
                if (exception == ex.GetType())
                {
                    return;
                }

                HandleFail("Assert.ThrowsException", "Threw exception " + ex.GetType().Name + ", but exception " + exception.Name + " was expected. " + ReplaceNulls(message) + "\r\nException Message: " + ex.Message);
            }

            HandleFail("Assert.ThrowsException", "No exception thrown. " + exception.Name + " exception was expected. " + ReplaceNulls(message));
        }

        internal static void EnsureParameterIsNotNull(object value, string assertion, string parameter)
        {
            if (value is not null)
            {
                return;
            }

            HandleFail(assertion, "The parameter '" + parameter + "' is invalid. The value cannot be null.");
        }

        internal static void HandleFail(string assertion, string message)
        {
            string safeMessage = string.IsNullOrEmpty(message) ? string.Empty : ReplaceNulls(message);
            throw new AssertFailedException(assertion + " failed. " + safeMessage);
        }

        internal static string ReplaceNulls(object input)
        {
            if (input == null)
            {
                return NullAsString;
            }

            string text = null;
            try
            {
                text = input.ToString();
            }
            catch (NotImplementedException)
            {
                // As the real framework: an object that cannot describe itself is shown as (object).
            }

            return (text ?? ObjectAsString).Replace("\0", "\\0", StringComparison.Ordinal);
        }
    }
}
