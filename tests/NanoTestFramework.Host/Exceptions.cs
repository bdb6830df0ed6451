using System;

namespace nanoFramework.TestFramework
{
    /// <summary>Thrown by <see cref="Assert.SkipTest"/>: the launcher reports the test as skipped.</summary>
    public class SkipTestException : Exception
    {
        /// <summary>Initializes a new instance with a message and an optional inner exception.</summary>
        public SkipTestException(string message = null, Exception innerException = null)
            : base(message, innerException)
        {
        }
    }
}

// The real framework declares its assertion exception in this namespace (TestFrameworkShared).
namespace TestFrameworkShared
{
    /// <summary>Thrown when an assertion fails.</summary>
    public class AssertFailedException : Exception
    {
        /// <summary>Initializes a new instance with a message and the exception that caused it.</summary>
        public AssertFailedException(string msg, Exception ex)
            : base(msg, ex)
        {
        }

        /// <summary>Initializes a new instance with a message.</summary>
        public AssertFailedException(string msg)
            : base(msg)
        {
        }

        /// <summary>Initializes a new instance.</summary>
        public AssertFailedException()
        {
        }
    }
}
