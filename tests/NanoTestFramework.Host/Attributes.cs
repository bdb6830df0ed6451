using System;

namespace nanoFramework.TestFramework
{
    /// <summary>Marks a class whose public [TestMethod]s, [Setup]s and [Cleanup]s the launcher runs.</summary>
    [AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
    public class TestClassAttribute : Attribute
    {
        /// <summary>As in nanoFramework.TestFramework: returns the attribute it is given (an extension point for derived attributes).</summary>
        public virtual TestMethodAttribute GetTestMethodAttribute(TestMethodAttribute testMethodAttribute) => testMethodAttribute;
    }

    /// <summary>Marks a test method; ignored when the method also has [DataRow]s (each row is then a test).</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class TestMethodAttribute : Attribute
    {
    }

    /// <summary>Runs before the class's test methods; reported as a test of its own. If it skips (Assert.SkipTest), nothing else of the class runs.</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class SetupAttribute : Attribute
    {
    }

    /// <summary>Runs after the class's test methods; reported as a test of its own.</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
    public class CleanupAttribute : Attribute
    {
    }

    /// <summary>One set of arguments for a test method; each row is its own test.</summary>
    [AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
    public class DataRowAttribute : Attribute
    {
        /// <summary>Initializes a new instance with the arguments passed to the method, unconverted.</summary>
        public DataRowAttribute(params object[] methodParameters)
        {
            MethodParameters = methodParameters;
        }

        /// <summary>The arguments passed to the method.</summary>
        public object[] MethodParameters { get; }
    }
}
