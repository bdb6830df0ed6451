using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text;

namespace nanoFramework.TestFramework
{
    /// <summary>Outcome of one test case.</summary>
    public enum NanoTestOutcome
    {
        Passed,
        Failed,
        Skipped,
    }

    /// <summary>One test case: a [TestMethod], or one [DataRow] of it.</summary>
    public sealed class NanoTestCase
    {
        internal NanoTestCase(Type testClass, MethodInfo method, object[] arguments, int rowIndex)
        {
            TestClass = testClass;
            Method = method;
            Arguments = arguments;
            RowIndex = rowIndex;
            Id = testClass.FullName + "." + method.Name + (rowIndex < 0 ? string.Empty : "(" + FormatArguments(arguments) + ")");
        }

        public Type TestClass { get; }

        public MethodInfo Method { get; }

        public object[] Arguments { get; }

        public int RowIndex { get; }

        public string Id { get; }

        public override string ToString() => Id;

        private static string FormatArguments(object[] arguments) =>
            string.Join(", ", arguments.Select(a => a is string s ? "\"" + s + "\"" : Convert.ToString(a, System.Globalization.CultureInfo.InvariantCulture)));
    }

    /// <summary>The result of running one case.</summary>
    public sealed class NanoTestResult
    {
        public NanoTestCase Case { get; init; }

        public NanoTestOutcome Outcome { get; init; }

        public string Message { get; init; }

        public string Output { get; init; }
    }

    /// <summary>
    /// Discovers and runs nanoFramework.TestFramework tests the way the nanoFramework launcher
    /// does: per [TestClass], one instance (none for static classes); every [Setup] method first,
    /// then each [TestMethod] (each [DataRow] as its own test) in declaration order, then every
    /// [Cleanup] method. A failing [Setup] fails every test of the class.
    /// </summary>
    public static class NanoTestRunner
    {
        private static readonly object s_gate = new object();
        private static readonly Dictionary<string, NanoTestResult> s_results = new Dictionary<string, NanoTestResult>();
        private static readonly HashSet<Type> s_classesRun = new HashSet<Type>();

        /// <summary>Every test case in the assembly, in declaration order.</summary>
        public static IReadOnlyList<NanoTestCase> Discover(Assembly assembly)
        {
            var cases = new List<NanoTestCase>();
            foreach (Type type in assembly.GetTypes().Where(t => t.GetCustomAttribute<TestClassAttribute>() != null).OrderBy(t => t.FullName, StringComparer.Ordinal))
            {
                cases.AddRange(DiscoverClass(type));
            }

            return cases;
        }

        private static IEnumerable<NanoTestCase> DiscoverClass(Type type)
        {
            foreach (MethodInfo method in TestMethods(type))
            {
                var rows = method.GetCustomAttributes<DataRowAttribute>().ToArray();
                if (rows.Length == 0)
                {
                    yield return new NanoTestCase(type, method, Array.Empty<object>(), -1);
                    continue;
                }

                for (int i = 0; i < rows.Length; i++)
                {
                    yield return new NanoTestCase(type, method, rows[i].MethodParameters ?? new object[] { null }, i);
                }
            }
        }

        private static IEnumerable<MethodInfo> TestMethods(Type type) =>
            type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => m.GetCustomAttribute<TestMethodAttribute>() != null)
                .OrderBy(m => m.MetadataToken);

        /// <summary>The result of the case with this id, running its whole class the first time it is asked.</summary>
        public static NanoTestResult Result(Assembly assembly, string id)
        {
            lock (s_gate)
            {
                if (!s_results.TryGetValue(id, out NanoTestResult result))
                {
                    NanoTestCase testCase = Discover(assembly).FirstOrDefault(c => c.Id == id)
                        ?? throw new ArgumentException("no test case " + id);
                    RunClass(testCase.TestClass);
                    result = s_results[id];
                }

                return result;
            }
        }

        /// <summary>Runs every case of one class with the launcher's semantics and returns the results in order.</summary>
        public static IReadOnlyList<NanoTestResult> RunClass(Type type)
        {
            lock (s_gate)
            {
                var results = new List<NanoTestResult>();
                if (!s_classesRun.Add(type))
                {
                    return DiscoverClass(type).Select(c => s_results[c.Id]).ToList();
                }

                object instance = type.IsAbstract && type.IsSealed ? null : Activator.CreateInstance(type, nonPublic: true);
                string setupFailure = null;
                foreach (MethodInfo setup in Marked<SetupAttribute>(type))
                {
                    NanoTestResult r = Invoke(null, setup, instance, Array.Empty<object>());
                    if (r.Outcome != NanoTestOutcome.Passed)
                    {
                        setupFailure = "[Setup] " + setup.Name + ": " + r.Message;
                        break;
                    }
                }

                foreach (NanoTestCase testCase in DiscoverClass(type))
                {
                    NanoTestResult r = setupFailure != null
                        ? new NanoTestResult { Case = testCase, Outcome = NanoTestOutcome.Failed, Message = setupFailure, Output = string.Empty }
                        : Invoke(testCase, testCase.Method, instance, testCase.Arguments);
                    s_results[testCase.Id] = r;
                    results.Add(r);
                }

                foreach (MethodInfo cleanup in Marked<CleanupAttribute>(type))
                {
                    Invoke(null, cleanup, instance, Array.Empty<object>());
                }

                if (instance is IDisposable disposable)
                {
                    disposable.Dispose();
                }

                return results;
            }
        }

        private static IEnumerable<MethodInfo> Marked<TAttribute>(Type type)
            where TAttribute : Attribute =>
            type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly)
                .Where(m => m.GetCustomAttribute<TAttribute>() != null)
                .OrderBy(m => m.MetadataToken);

        private static NanoTestResult Invoke(NanoTestCase testCase, MethodInfo method, object instance, object[] arguments)
        {
            var output = new StringBuilder();
            OutputHelper.Capture = output;
            try
            {
                object[] converted = ConvertArguments(method, arguments);
                method.Invoke(method.IsStatic ? null : instance, converted);
                return new NanoTestResult { Case = testCase, Outcome = NanoTestOutcome.Passed, Output = output.ToString() };
            }
            catch (TargetInvocationException e) when (e.InnerException is SkipTestException skip)
            {
                return new NanoTestResult { Case = testCase, Outcome = NanoTestOutcome.Skipped, Message = skip.Message, Output = output.ToString() };
            }
            catch (TargetInvocationException e)
            {
                return new NanoTestResult { Case = testCase, Outcome = NanoTestOutcome.Failed, Message = e.InnerException.GetType().Name + ": " + e.InnerException.Message + "\n" + e.InnerException.StackTrace, Output = output.ToString() };
            }
            catch (Exception e)
            {
                return new NanoTestResult { Case = testCase, Outcome = NanoTestOutcome.Failed, Message = e.GetType().Name + ": " + e.Message, Output = output.ToString() };
            }
            finally
            {
                OutputHelper.Capture = null;
            }
        }

        private static object[] ConvertArguments(MethodInfo method, object[] arguments)
        {
            ParameterInfo[] parameters = method.GetParameters();
            if (parameters.Length != arguments.Length)
            {
                throw new ArgumentException("[DataRow] has " + arguments.Length + " values, " + method.Name + " takes " + parameters.Length);
            }

            var converted = new object[arguments.Length];
            for (int i = 0; i < arguments.Length; i++)
            {
                object a = arguments[i];
                Type target = parameters[i].ParameterType;

                // Attribute arguments of a different numeric type must match exactly on nanoCLR too:
                // refuse silently-widened rows here so the device run does not fail where the host passes.
                if (a != null && a.GetType() != target && !target.IsAssignableFrom(a.GetType()))
                {
                    throw new ArgumentException("[DataRow] value " + i + " of " + method.Name + " is " + a.GetType().Name + ", parameter is " + target.Name);
                }

                converted[i] = a;
            }

            return converted;
        }
    }
}
