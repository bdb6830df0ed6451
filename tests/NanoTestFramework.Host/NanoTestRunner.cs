using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text;
using nanoFramework.TestFramework;

namespace IndraSmartPro.NanoTestHost
{
    /// <summary>Outcome of one test case.</summary>
    public enum NanoTestOutcome
    {
        Passed,
        Failed,
        Skipped,
    }

    /// <summary>Which attribute made a method a test case; the launcher runs them in this order per class.</summary>
    public enum NanoTestKind
    {
        Setup,
        TestMethod,
        DataRow,
        Cleanup,
    }

    /// <summary>
    /// One test case as the nanoFramework test adapter names it: "Namespace.Class.Method.i", i being
    /// the index of the attribute among the method's test attributes ([TestMethod] is dropped when
    /// the method has [DataRow]s, so rows count from 0).
    /// </summary>
    public sealed class NanoTestCase
    {
        internal NanoTestCase(Type testClass, MethodInfo method, NanoTestKind kind, int index, object[] arguments, string problem)
        {
            TestClass = testClass;
            Method = method;
            Kind = kind;
            Index = index;
            Arguments = arguments;
            Problem = problem;
            Id = testClass.FullName + "." + method.Name + "." + index;
        }

        public Type TestClass { get; }

        public MethodInfo Method { get; }

        public NanoTestKind Kind { get; }

        public int Index { get; }

        /// <summary>The [DataRow]'s values (null for other kinds, as the launcher passes).</summary>
        public object[] Arguments { get; }

        /// <summary>Why this case cannot run as it would on nanoCLR (reported as its failure), or null.</summary>
        public string Problem { get; }

        /// <summary>The adapter's fully qualified name, e.g. "IndraSmartPro.UnitTests.SchedulerTests.Tick_Runs.0".</summary>
        public string Id { get; }

        public override string ToString() => Id;
    }

    /// <summary>The result of running one case.</summary>
    public sealed class NanoTestResult
    {
        internal NanoTestResult(NanoTestCase testCase, NanoTestOutcome outcome, string message, string output)
        {
            Case = testCase;
            Outcome = outcome;
            Message = message;
            Output = output;
        }

        public NanoTestCase Case { get; }

        public NanoTestOutcome Outcome { get; }

        /// <summary>The exception's message for a failure or skip, as the launcher prints it (plus, here, the exception type and stack).</summary>
        public string Message { get; }

        /// <summary>What the case wrote through OutputHelper.</summary>
        public string Output { get; }

        public override string ToString() => Case.Id + ": " + Outcome + (string.IsNullOrEmpty(Message) ? string.Empty : " (" + Message + ")");
    }

    /// <summary>
    /// Runs nanoFramework.TestFramework tests the way its launcher (nanoFramework.UnitTestLauncher,
    /// TestFramework 3.0.80) does on nanoCLR, so a test that passes here behaves the same there:
    /// <list type="bullet">
    /// <item>Test classes are the classes with [TestClass]; their PUBLIC methods (Type.GetMethods())
    /// are considered, in declaration order. A non-public test method never runs on the device; here it
    /// is reported as a failing case so it is not silently lost.</item>
    /// <item>Per class: every [Setup] case first; then every [TestMethod] case; then every [DataRow]
    /// case (method by method, row by row); then every [Cleanup] case. Setup and Cleanup are
    /// reported as tests of their own.</item>
    /// <item>A [Setup] that fails is reported failed and the class's tests still run (the launcher only
    /// stops on a skip). A [Setup] that skips (Assert.SkipTest) skips every other case of the class,
    /// Cleanup included.</item>
    /// <item>No instance is created: the launcher calls MethodInfo.Invoke(null, args), so constructors
    /// never run and instance state does not exist. A test class that declares instance fields fails
    /// every case here, with the field named (use static fields); instance methods are invoked on an
    /// uninitialised object.</item>
    /// <item>[DataRow] values are passed as they are, without conversion: each must be of the
    /// parameter's exact type (1 is an int, write 1L for a long), and the count must match.</item>
    /// <item>An exception fails the case with its message; SkipTestException skips it.</item>
    /// </list>
    /// </summary>
    public static class NanoTestRunner
    {
        private static readonly object s_gate = new object();
        private static readonly Dictionary<string, NanoTestResult> s_results = new Dictionary<string, NanoTestResult>(StringComparer.Ordinal);
        private static readonly HashSet<Type> s_classesRun = new HashSet<Type>();

        /// <summary>Every test case in the assembly: classes in declaration order, each class's cases in the order they run.</summary>
        public static IReadOnlyList<NanoTestCase> Discover(Assembly assembly) =>
            TestClasses(assembly).SelectMany(DiscoverClass).ToList();

        /// <summary>The [TestClass] classes of the assembly, in declaration order.</summary>
        public static IReadOnlyList<Type> TestClasses(Assembly assembly) =>
            assembly.GetTypes()
                .Where(t => t.IsClass && t.GetCustomAttributes(true).Any(a => a is TestClassAttribute))
                .OrderBy(t => t.MetadataToken)
                .ToList();

        /// <summary>The cases of one class, in the order the launcher runs them.</summary>
        public static IReadOnlyList<NanoTestCase> DiscoverClass(Type type)
        {
            var cases = new List<NanoTestCase>();
            string classProblem = ClassProblem(type);
            foreach (NanoTestKind kind in new[] { NanoTestKind.Setup, NanoTestKind.TestMethod, NanoTestKind.DataRow, NanoTestKind.Cleanup })
            {
                foreach (MethodInfo method in CandidateMethods(type))
                {
                    object[] attributes = TestAttributes(method);
                    for (int i = 0; i < attributes.Length; i++)
                    {
                        if (KindOf(attributes[i]) != kind)
                        {
                            continue;
                        }

                        object[] arguments = attributes[i] is DataRowAttribute row ? row.MethodParameters : null;
                        string problem = classProblem ?? MethodProblem(method, kind, arguments);
                        cases.Add(new NanoTestCase(type, method, kind, i, arguments, problem));
                    }
                }
            }

            return cases;
        }

        /// <summary>The result of the case with this id, running its whole class the first time one of its cases is asked for.</summary>
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

        /// <summary>Runs every case of one class once, with the launcher's semantics, and returns the results in run order.</summary>
        public static IReadOnlyList<NanoTestResult> RunClass(Type type)
        {
            lock (s_gate)
            {
                IReadOnlyList<NanoTestCase> cases = DiscoverClass(type);
                if (!s_classesRun.Add(type))
                {
                    return cases.Select(c => s_results[c.Id]).ToList();
                }

                var results = new List<NanoTestResult>();
                object instance = type.IsAbstract ? null : RuntimeHelpers.GetUninitializedObject(type);
                string setupSkipped = null;
                foreach (NanoTestCase testCase in cases)
                {
                    NanoTestResult r = setupSkipped != null
                        ? new NanoTestResult(testCase, NanoTestOutcome.Skipped, setupSkipped, string.Empty)
                        : Invoke(testCase, instance);
                    if (testCase.Kind == NanoTestKind.Setup && r.Outcome == NanoTestOutcome.Skipped && setupSkipped == null)
                    {
                        setupSkipped = "Setup method '" + testCase.Method.Name + "' has been skipped: " + r.Message;
                    }

                    s_results[testCase.Id] = r;
                    results.Add(r);
                }

                return results;
            }
        }

        private static IEnumerable<MethodInfo> CandidateMethods(Type type) =>
            type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.FlattenHierarchy)
                .Where(m => TestAttributes(m).Length > 0)
                .OrderBy(m => m.DeclaringType == type ? 0 : 1)
                .ThenBy(m => m.MetadataToken);

        /// <summary>The method's test attributes as the launcher sees them: [TestMethod] dropped when [DataRow]s exist.</summary>
        private static object[] TestAttributes(MethodInfo method)
        {
            object[] all = method.GetCustomAttributes(true).Where(a => KindOf(a) != null).ToArray();
            bool hasRows = all.Any(a => a is DataRowAttribute);
            return hasRows ? all.Where(a => a is not TestMethodAttribute).ToArray() : all;
        }

        private static NanoTestKind? KindOf(object attribute) => attribute switch
        {
            SetupAttribute => NanoTestKind.Setup,
            TestMethodAttribute => NanoTestKind.TestMethod,
            DataRowAttribute => NanoTestKind.DataRow,
            CleanupAttribute => NanoTestKind.Cleanup,
            _ => null,
        };

        private static string ClassProblem(Type type)
        {
            FieldInfo[] instanceFields = type.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly);
            if (instanceFields.Length == 0)
            {
                return null;
            }

            return "test class " + type.Name + " has instance field(s) " + string.Join(", ", instanceFields.Select(f => f.Name))
                + ": nanoFramework's launcher creates no instance (MethodInfo.Invoke(null, ...)), so they never exist on the device; make them static";
        }

        private static string MethodProblem(MethodInfo method, NanoTestKind kind, object[] arguments)
        {
            if (!method.IsPublic)
            {
                return method.Name + " is not public: nanoFramework's launcher only runs public methods (Type.GetMethods())";
            }

            ParameterInfo[] parameters = method.GetParameters();
            if (kind != NanoTestKind.DataRow)
            {
                return parameters.Length == 0 ? null : method.Name + " takes parameters but has no [DataRow]: the launcher would invoke it with none";
            }

            arguments ??= new object[] { null };
            if (parameters.Length != arguments.Length)
            {
                return "[DataRow] has " + arguments.Length + " value(s), " + method.Name + " takes " + parameters.Length;
            }

            for (int i = 0; i < arguments.Length; i++)
            {
                object a = arguments[i];
                Type target = parameters[i].ParameterType;
                if (a == null)
                {
                    if (target.IsValueType)
                    {
                        return "[DataRow] value " + i + " of " + method.Name + " is null, parameter " + parameters[i].Name + " is " + target.Name;
                    }

                    continue;
                }

                // nanoCLR's reflection passes the boxed value unconverted: an int row for a long
                // parameter does not work there even though C# converts it in a normal call.
                bool fits = target.IsValueType ? a.GetType() == target : target.IsInstanceOfType(a);
                if (!fits)
                {
                    return "[DataRow] value " + i + " of " + method.Name + " is " + a.GetType().Name + ", parameter " + parameters[i].Name + " is " + target.Name + " (write the literal with its exact type, e.g. 1L, 1u, 1.0, (byte)1)";
                }
            }

            return null;
        }

        private static NanoTestResult Invoke(NanoTestCase testCase, object instance)
        {
            if (testCase.Problem != null)
            {
                return new NanoTestResult(testCase, NanoTestOutcome.Failed, testCase.Problem, string.Empty);
            }

            var output = new StringBuilder();
            OutputHelper.Capture = output;
            try
            {
                testCase.Method.Invoke(testCase.Method.IsStatic ? null : instance, testCase.Kind == NanoTestKind.DataRow ? testCase.Arguments ?? new object[] { null } : null);
                return new NanoTestResult(testCase, NanoTestOutcome.Passed, null, output.ToString());
            }
            catch (TargetInvocationException e) when (e.InnerException is SkipTestException skip)
            {
                return new NanoTestResult(testCase, NanoTestOutcome.Skipped, skip.Message, output.ToString());
            }
            catch (TargetInvocationException e) when (e.InnerException != null)
            {
                Exception inner = e.InnerException;
                return new NanoTestResult(testCase, NanoTestOutcome.Failed, inner.Message + "\n(" + inner.GetType().FullName + ")\n" + inner.StackTrace, output.ToString());
            }
            catch (TargetException e)
            {
                // An instance method of an abstract class: there is nothing to call it on.
                return new NanoTestResult(testCase, NanoTestOutcome.Failed, e.Message, output.ToString());
            }
            finally
            {
                OutputHelper.Capture = null;
            }
        }
    }
}
