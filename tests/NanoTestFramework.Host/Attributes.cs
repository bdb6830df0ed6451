using System;

namespace nanoFramework.TestFramework
{
    /// <summary>Marks a class whose [TestMethod]s are tests.</summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
    public class TestClassAttribute : Attribute
    {
    }

    /// <summary>Marks a test method.</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class TestMethodAttribute : Attribute
    {
    }

    /// <summary>Runs once, before every test method of its class.</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class SetupAttribute : Attribute
    {
    }

    /// <summary>Runs once, after every test method of its class.</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class CleanupAttribute : Attribute
    {
    }

    /// <summary>One set of arguments for a test method; each row is its own test.</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public class DataRowAttribute : Attribute
    {
        public DataRowAttribute(params object[] methodParameters)
        {
            MethodParameters = methodParameters;
        }

        public object[] MethodParameters { get; }
    }

    /// <summary>Thrown by <see cref="Assert.SkipTest"/>.</summary>
    public class SkipTestException : Exception
    {
        public SkipTestException(string message)
            : base(message)
        {
        }
    }

    /// <summary>Test output.</summary>
    public static class OutputHelper
    {
        [ThreadStatic]
        private static System.Text.StringBuilder s_output;

        internal static System.Text.StringBuilder Capture
        {
            get => s_output;
            set => s_output = value;
        }

        public static void WriteLine(string message)
        {
            if (s_output != null)
            {
                s_output.AppendLine(message);
            }
        }

        public static void Write(string message)
        {
            if (s_output != null)
            {
                s_output.Append(message);
            }
        }
    }
}
