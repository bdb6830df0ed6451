using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace IndraSmartPro.PortableGate;

/// <summary>The gate's rules; docs/testing.md explains each.</summary>
public static class Rules
{
    /// <summary>A type or method of ours declares generic parameters.</summary>
    public const string GenericParameter = "GenericParameter";

    /// <summary>A generic type or method is instantiated (List&lt;T&gt;, Func&lt;&gt;, Span&lt;T&gt;, Nullable&lt;T&gt;, LINQ...).</summary>
    public const string GenericInstantiation = "GenericInstantiation";

    /// <summary>A framework type nanoFramework 1.17 does not have.</summary>
    public const string FrameworkType = "FrameworkType";

    /// <summary>A framework member (method, overload, field) nanoFramework 1.17 does not have.</summary>
    public const string FrameworkMember = "FrameworkMember";

    /// <summary>An API nanoFramework has but the firmware must not use (wall clock, sleeping, timers, enum reflection).</summary>
    public const string BannedApi = "BannedApi";

    /// <summary>async/await: an async state machine.</summary>
    public const string AsyncStateMachine = "AsyncStateMachine";

    /// <summary>A multidimensional (rectangular) array.</summary>
    public const string MultidimensionalArray = "MultidimensionalArray";

    /// <summary>A record type.</summary>
    public const string Record = "Record";

    /// <summary>A tuple (ValueTuple or Tuple).</summary>
    public const string Tuple = "Tuple";

    /// <summary>An `init` accessor.</summary>
    public const string InitAccessor = "InitAccessor";

    /// <summary>A custom numeric format string ("0.0", "#", "00") in ToString(string) or a composite format.</summary>
    public const string CustomNumericFormat = "CustomNumericFormat";

    /// <summary>A type pattern on a value type (`o is int x`), i.e. isinst on a boxed value.</summary>
    public const string BoxedValuePattern = "BoxedValuePattern";

    /// <summary>A nanoFramework.TestFramework API the real 3.0.80 package does not have.</summary>
    public const string TestFrameworkApi = "TestFrameworkApi";

    public static readonly string[] All =
    {
        GenericParameter, GenericInstantiation, FrameworkType, FrameworkMember, BannedApi, AsyncStateMachine,
        MultidimensionalArray, Record, Tuple, InitAccessor, CustomNumericFormat, BoxedValuePattern, TestFrameworkApi,
    };
}

/// <summary>One finding: where, which rule, and what was found.</summary>
public sealed record Violation(string Assembly, string Type, string Member, string Rule, string Detail)
{
    public override string ToString() =>
        Assembly + ": " + Type + (string.IsNullOrEmpty(Member) ? string.Empty : "::" + Member) + ": [" + Rule + "] " + Detail;
}

/// <summary>
/// Reads a built assembly's metadata and IL (System.Reflection.Metadata, nothing is loaded or run)
/// and reports every use of something nanoFramework 1.17 cannot run. Each finding names the type
/// and member whose signature, attributes or body uses it, so the report points at the code.
/// </summary>
public sealed class PortableCodeChecker
{
    /// <summary>The test framework's assembly on the host; its API is held to the real package's.</summary>
    public const string TestFrameworkHostAssembly = "nanoFramework.TestFramework.Host";

    /// <summary>
    /// Attributes the compiler adds on its own when the core library has them and leaves out when
    /// it does not (so they never stop a nanoFramework build): ignored where they are applied.
    /// </summary>
    private static readonly HashSet<string> s_optionalCompilerAttributes = new(StringComparer.Ordinal)
    {
        "System.Runtime.CompilerServices.CompilerGeneratedAttribute",
        "System.Runtime.CompilerServices.CompilationRelaxationsAttribute",
        "System.Runtime.CompilerServices.RuntimeCompatibilityAttribute",
        "System.Runtime.CompilerServices.NullableAttribute",
        "System.Runtime.CompilerServices.NullableContextAttribute",
        "System.Runtime.CompilerServices.IsReadOnlyAttribute",
        "System.Runtime.CompilerServices.RefSafetyRulesAttribute",
        "System.Runtime.CompilerServices.ScopedRefAttribute",
        "System.Runtime.CompilerServices.IteratorStateMachineAttribute",
        "System.Runtime.CompilerServices.PreserveBaseOverridesAttribute",
        "System.Diagnostics.DebuggerBrowsableAttribute",
        "System.Diagnostics.DebuggerHiddenAttribute",
        "System.Diagnostics.DebuggerNonUserCodeAttribute",
        "System.Diagnostics.DebuggerStepThroughAttribute",
        "System.Diagnostics.DebuggableAttribute",
        "System.Runtime.Versioning.TargetFrameworkAttribute",
        "System.Reflection.AssemblyMetadataAttribute",
    };

    /// <summary>Members nanoFramework has but the firmware must not call, with the reason.</summary>
    private static readonly Dictionary<string, string> s_bannedMembers = new(StringComparer.Ordinal)
    {
        ["System.DateTime::get_Now"] = "wall-clock time: take time from the injected IMicrosecondClock",
        ["System.DateTime::get_UtcNow"] = "wall-clock time: take time from the injected IMicrosecondClock",
        ["System.DateTime::get_Today"] = "wall-clock time: take time from the injected IMicrosecondClock",
        ["System.Threading.Thread::Sleep"] = "blocks the cooperative scheduler: use a scheduler task and the clock",
        ["System.Enum::GetValues"] = "enum reflection: not on nanoFramework; list the values in an array",
        ["System.Enum::GetNames"] = "enum reflection: not on nanoFramework; list the names in an array",
        ["System.Enum::GetName"] = "enum reflection: not on nanoFramework",
        ["System.Enum::Parse"] = "enum reflection: not on nanoFramework",
        ["System.Enum::IsDefined"] = "enum reflection: not on nanoFramework",
    };

    /// <summary>Types nanoFramework has but the firmware must not use.</summary>
    private static readonly Dictionary<string, string> s_bannedTypes = new(StringComparer.Ordinal)
    {
        ["System.Threading.Timer"] = "a second thread of control: register a scheduler task",
        ["System.Threading.TimerCallback"] = "a second thread of control: register a scheduler task",
    };

    /// <summary>
    /// Members the compiler calls only when the core library has them, falling back to ones
    /// nanoFramework has: `lock` uses Monitor.Enter(object, ref bool) or else Monitor.Enter(object).
    /// </summary>
    private static readonly HashSet<string> s_loweredMembers = new(StringComparer.Ordinal)
    {
        "System.Threading.Monitor::Enter(System.Object,System.Boolean&)",
    };

    /// <summary>C# implicit numeric conversions (ECMA-334 10.2.3): from each type, what it widens to.</summary>
    private static readonly Dictionary<string, string[]> s_wideningConversions = new(StringComparer.Ordinal)
    {
        ["System.SByte"] = new[] { "System.Int16", "System.Int32", "System.Int64", "System.Single", "System.Double", "System.Decimal" },
        ["System.Byte"] = new[] { "System.Int16", "System.UInt16", "System.Int32", "System.UInt32", "System.Int64", "System.UInt64", "System.Single", "System.Double", "System.Decimal" },
        ["System.Int16"] = new[] { "System.Int32", "System.Int64", "System.Single", "System.Double", "System.Decimal" },
        ["System.UInt16"] = new[] { "System.Int32", "System.UInt32", "System.Int64", "System.UInt64", "System.Single", "System.Double", "System.Decimal" },
        ["System.Int32"] = new[] { "System.Int64", "System.Single", "System.Double", "System.Decimal" },
        ["System.UInt32"] = new[] { "System.Int64", "System.UInt64", "System.Single", "System.Double", "System.Decimal" },
        ["System.Int64"] = new[] { "System.Single", "System.Double", "System.Decimal" },
        ["System.UInt64"] = new[] { "System.Single", "System.Double", "System.Decimal" },
        ["System.Char"] = new[] { "System.UInt16", "System.Int32", "System.UInt32", "System.Int64", "System.UInt64", "System.Single", "System.Double", "System.Decimal" },
        ["System.Single"] = new[] { "System.Double" },
    };

    /// <summary>Types whose every overload must exist exactly: the device compiler would otherwise pick a different overload or fail.</summary>
    private static readonly HashSet<string> s_exactOverloadTypes = new(StringComparer.Ordinal)
    {
        "System.Math",
    };

    private static readonly HashSet<string> s_numericTypes = new(StringComparer.Ordinal)
    {
        "System.Byte", "System.SByte", "System.Int16", "System.UInt16", "System.Int32", "System.UInt32",
        "System.Int64", "System.UInt64", "System.Single", "System.Double", "System.Decimal",
    };

    // nanoFramework's standard numeric formats: one letter, optionally a precision (Number.cs).
    private static readonly Regex s_standardNumericFormat = new("^[A-Za-z][0-9]{0,2}$", RegexOptions.CultureInvariant);

    private static readonly OpCode[] s_oneByte = new OpCode[256];
    private static readonly OpCode[] s_twoByte = new OpCode[256];

    private readonly NanoFrameworkApi _api;
    private readonly HashSet<string> _ourAssemblies;
    private readonly HashSet<string> _excludedTypes;
    private readonly Dictionary<string, bool> _ourValueTypes = new(StringComparer.Ordinal);

    static PortableCodeChecker()
    {
        foreach (FieldInfo f in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var op = (OpCode)f.GetValue(null);
            ushort v = (ushort)op.Value;
            if (op.Size == 1)
            {
                s_oneByte[v] = op;
            }
            else
            {
                s_twoByte[v & 0xff] = op;
            }
        }
    }

    /// <param name="api">What nanoFramework offers.</param>
    /// <param name="ourAssemblies">Assembly names of the portable set: references into them are fine (they are checked themselves).</param>
    /// <param name="excludedTypes">Full names of host-only types compiled into a portable assembly (and their nested types).</param>
    /// <param name="valueTypeSources">Paths of our assemblies whose value types may be the target of a type pattern.</param>
    public PortableCodeChecker(NanoFrameworkApi api, IEnumerable<string> ourAssemblies, IEnumerable<string> excludedTypes, IEnumerable<string> valueTypeSources)
    {
        _api = api;
        _ourAssemblies = new HashSet<string>(ourAssemblies, StringComparer.Ordinal);
        _excludedTypes = new HashSet<string>(excludedTypes, StringComparer.Ordinal);
        foreach (string path in valueTypeSources)
        {
            using var pe = new PEReader(File.OpenRead(path));
            MetadataReader r = pe.GetMetadataReader();
            foreach (TypeDefinitionHandle h in r.TypeDefinitions)
            {
                _ourValueTypes[MetadataNames.Of(r, h)] = MetadataNames.IsValueType(r, h);
            }
        }
    }

    /// <summary>
    /// Whether a nanoFramework overload ("Name(T1,T2[])") accepts the arguments the host overload was
    /// called with: same count (or a params array taking the rest), each implicitly convertible.
    /// </summary>
    internal bool OverloadAccepts(string overload, string hostParameters)
    {
        string[] theirs = MetadataNames.Split(overload.Substring(overload.IndexOf('('))).ToArray();
        string[] ours = MetadataNames.Split(hostParameters).ToArray();
        if (theirs.Length == ours.Length && theirs.Zip(ours).All(p => Converts(p.Second, p.First)))
        {
            return true;
        }

        // Expanded params array: the fixed parameters, then each remaining argument to the element type.
        if (theirs.Length == 0 || !theirs[^1].EndsWith("[]", StringComparison.Ordinal) || ours.Length < theirs.Length - 1)
        {
            return false;
        }

        string element = theirs[^1].Substring(0, theirs[^1].Length - 2);
        return theirs.Take(theirs.Length - 1).Zip(ours).All(p => Converts(p.Second, p.First))
            && ours.Skip(theirs.Length - 1).All(o => Converts(o, element));
    }

    /// <summary>Whether a value of host type <paramref name="from"/> converts implicitly to nanoFramework parameter type <paramref name="to"/>.</summary>
    private bool Converts(string from, string to)
    {
        if (from == to || to == "System.Object")
        {
            return true;
        }

        if (from.EndsWith("&", StringComparison.Ordinal) || to.EndsWith("&", StringComparison.Ordinal))
        {
            return false;
        }

        if (s_wideningConversions.TryGetValue(from, out string[] widens))
        {
            return widens.Contains(to);
        }

        if (from.EndsWith("[]", StringComparison.Ordinal))
        {
            return to is "System.Array" or "System.Collections.IList" or "System.Collections.ICollection" or "System.Collections.IEnumerable" or "System.ICloneable";
        }

        NanoType nano = _api.Find(from);
        if (nano == null)
        {
            // One of our own types (or one the gate reports anyway): its bases are not known here.
            return !_api.Find(to)?.IsValueType ?? true;
        }

        return _api.SelfAndAncestors(nano).Any(t => t.Name == to);
    }

    /// <summary>The format strings of a composite format's items ("{0,5:F1}" gives "F1").</summary>
    public static IEnumerable<string> FormatSpecifiersOf(string composite) => Scan.FormatSpecifiers(composite);

    /// <summary>Every violation in the assembly at this path.</summary>
    public IReadOnlyList<Violation> Check(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        return new Scan(this, pe).Run();
    }

    /// <summary>The state of one assembly's scan.</summary>
    private sealed class Scan
    {
        private readonly PortableCodeChecker _gate;
        private readonly PEReader _pe;
        private readonly MetadataReader _r;
        private readonly SignatureNames _names;
        private readonly string _assembly;
        private readonly List<Violation> _found = new();
        private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
        private string _type;
        private string _member;

        public Scan(PortableCodeChecker gate, PEReader pe)
        {
            _gate = gate;
            _pe = pe;
            _r = pe.GetMetadataReader();
            _names = new SignatureNames(_r);
            _assembly = _r.GetString(_r.GetAssemblyDefinition().Name);
        }

        public List<Violation> Run()
        {
            _type = "<assembly>";
            _member = null;
            CheckAttributes(_r.GetAssemblyDefinition().GetCustomAttributes());
            CheckAttributes(_r.GetModuleDefinition().GetCustomAttributes());

            foreach (TypeDefinitionHandle th in _r.TypeDefinitions)
            {
                if (IsExcluded(th))
                {
                    continue;
                }

                CheckType(th);
            }

            return _found;
        }

        private bool IsExcluded(TypeDefinitionHandle th)
        {
            for (TypeDefinitionHandle t = th; !t.IsNil; t = _r.GetTypeDefinition(t).GetDeclaringType())
            {
                if (_gate._excludedTypes.Contains(MetadataNames.Of(_r, t)))
                {
                    return true;
                }
            }

            return false;
        }

        private void Report(string rule, string detail)
        {
            var v = new Violation(_assembly, _type, _member, rule, detail);
            if (_seen.Add(v.ToString()))
            {
                _found.Add(v);
            }
        }

        private void CheckType(TypeDefinitionHandle th)
        {
            TypeDefinition t = _r.GetTypeDefinition(th);
            _type = MetadataNames.Of(_r, th);
            _member = null;

            if (t.GetGenericParameters().Count > 0)
            {
                Report(Rules.GenericParameter, "type declares " + t.GetGenericParameters().Count + " generic parameter(s)");
            }

            if (!t.BaseType.IsNil)
            {
                CheckTypeHandle(t.BaseType);
            }

            foreach (InterfaceImplementationHandle ih in t.GetInterfaceImplementations())
            {
                InterfaceImplementation impl = _r.GetInterfaceImplementation(ih);
                CheckTypeHandle(impl.Interface);
                CheckAttributes(impl.GetCustomAttributes());
            }

            CheckAttributes(t.GetCustomAttributes());

            foreach (FieldDefinitionHandle fh in t.GetFields())
            {
                FieldDefinition f = _r.GetFieldDefinition(fh);
                _member = _r.GetString(f.Name);
                Decoded(() => f.DecodeSignature(_names, null));
                CheckAttributes(f.GetCustomAttributes());
            }

            foreach (PropertyDefinitionHandle ph in t.GetProperties())
            {
                PropertyDefinition p = _r.GetPropertyDefinition(ph);
                _member = _r.GetString(p.Name);
                if (_member == "EqualityContract")
                {
                    Report(Rules.Record, "record type (EqualityContract property)");
                }

                Decoded(() => p.DecodeSignature(_names, null).ReturnType);
                CheckAttributes(p.GetCustomAttributes());
            }

            foreach (EventDefinitionHandle eh in t.GetEvents())
            {
                EventDefinition e = _r.GetEventDefinition(eh);
                _member = _r.GetString(e.Name);
                CheckTypeHandle(e.Type);
                CheckAttributes(e.GetCustomAttributes());
            }

            foreach (MethodDefinitionHandle mh in t.GetMethods())
            {
                CheckMethod(mh);
            }

            foreach (MethodImplementationHandle mih in t.GetMethodImplementations())
            {
                MethodImplementation mi = _r.GetMethodImplementation(mih);
                _member = null;
                CheckMethodHandle(mi.MethodDeclaration, call: false);
            }
        }

        private void CheckMethod(MethodDefinitionHandle mh)
        {
            MethodDefinition m = _r.GetMethodDefinition(mh);
            _member = _r.GetString(m.Name);
            if (_member == "<Clone>$")
            {
                Report(Rules.Record, "record type (<Clone>$ method)");
            }

            if (m.GetGenericParameters().Count > 0)
            {
                Report(Rules.GenericParameter, "method declares " + m.GetGenericParameters().Count + " generic parameter(s)");
            }

            Decoded(() => SignatureNames.Parameters(m.DecodeSignature(_names, null)));
            CheckAttributes(m.GetCustomAttributes());
            foreach (ParameterHandle ph in m.GetParameters())
            {
                CheckAttributes(_r.GetParameter(ph).GetCustomAttributes());
            }

            if (m.RelativeVirtualAddress == 0)
            {
                return;
            }

            MethodBodyBlock body = _pe.GetMethodBody(m.RelativeVirtualAddress);
            if (!body.LocalSignature.IsNil)
            {
                StandaloneSignature locals = _r.GetStandaloneSignature(body.LocalSignature);
                Decoded(() => string.Join(",", locals.DecodeLocalSignature(_names, null)));
            }

            foreach (ExceptionRegion region in body.ExceptionRegions)
            {
                if (region.Kind == ExceptionRegionKind.Catch)
                {
                    CheckTypeHandle(region.CatchType);
                }
            }

            ScanIl(body.GetILReader());
        }

        private void ScanIl(BlobReader il)
        {
            string lastString = null;
            var pendingStrings = new List<string>();
            while (il.RemainingBytes > 0)
            {
                byte first = il.ReadByte();
                OpCode op = first == 0xFE ? s_twoByte[il.ReadByte()] : s_oneByte[first];
                switch (op.OperandType)
                {
                    case OperandType.InlineNone:
                        break;
                    case OperandType.ShortInlineBrTarget:
                    case OperandType.ShortInlineI:
                    case OperandType.ShortInlineVar:
                        il.Offset += 1;
                        break;
                    case OperandType.InlineVar:
                        il.Offset += 2;
                        break;
                    case OperandType.InlineI:
                    case OperandType.InlineBrTarget:
                    case OperandType.ShortInlineR:
                        il.Offset += 4;
                        break;
                    case OperandType.InlineI8:
                    case OperandType.InlineR:
                        il.Offset += 8;
                        break;
                    case OperandType.InlineSwitch:
                        int n = il.ReadInt32();
                        il.Offset += 4 * n;
                        break;
                    case OperandType.InlineString:
                        lastString = _r.GetUserString(MetadataTokens.UserStringHandle(il.ReadInt32() & 0xFFFFFF));
                        pendingStrings.Add(lastString);
                        break;
                    case OperandType.InlineSig:
                        var sig = (StandaloneSignatureHandle)MetadataTokens.EntityHandle(il.ReadInt32());
                        Decoded(() => SignatureNames.Parameters(_r.GetStandaloneSignature(sig).DecodeMethodSignature(_names, null)));
                        break;
                    case OperandType.InlineMethod:
                        EntityHandle method = MetadataTokens.EntityHandle(il.ReadInt32());
                        CheckMethodHandle(method, call: true);
                        CheckFormatUse(method, lastString, pendingStrings);
                        lastString = null;
                        break;
                    case OperandType.InlineType:
                        EntityHandle type = MetadataTokens.EntityHandle(il.ReadInt32());
                        CheckTypeHandle(type);
                        if (op == OpCodes.Isinst && IsValueType(type))
                        {
                            Report(Rules.BoxedValuePattern, "type pattern / `is` on a boxed " + NameOf(type) + ": compare before boxing or use a class");
                        }

                        break;
                    case OperandType.InlineField:
                    case OperandType.InlineTok:
                        EntityHandle token = MetadataTokens.EntityHandle(il.ReadInt32());
                        if (token.Kind is HandleKind.TypeReference or HandleKind.TypeSpecification or HandleKind.TypeDefinition)
                        {
                            CheckTypeHandle(token);
                        }
                        else
                        {
                            CheckMethodHandle(token, call: false);
                        }

                        break;
                    default:
                        throw new InvalidOperationException("unknown IL operand type " + op.OperandType);
                }
            }
        }

        /// <summary>Decodes a signature and reports what the decoding met.</summary>
        private void Decoded(Func<string> decode)
        {
            _names.Clear();
            decode();
            var refs = _names.TypeReferences.ToArray();
            var generics = _names.GenericInstantiations.ToArray();
            var multi = _names.MultidimensionalArrays.ToArray();
            bool init = _names.HasInitModifier;
            bool fnptr = _names.HasFunctionPointer;
            foreach (string g in generics)
            {
                ReportGeneric(g);
            }

            foreach (string a in multi)
            {
                Report(Rules.MultidimensionalArray, a + ": use a one-dimensional array and index arithmetic");
            }

            if (init)
            {
                Report(Rules.InitAccessor, "`init` accessor (modreq IsExternalInit): use a constructor parameter or a set accessor");
            }

            if (fnptr)
            {
                Report(Rules.FrameworkType, "function pointer");
            }

            foreach (TypeReferenceHandle h in refs)
            {
                CheckTypeReference(h);
            }
        }

        private void ReportGeneric(string instantiation)
        {
            if (instantiation.StartsWith("System.ValueTuple`", StringComparison.Ordinal) || instantiation.StartsWith("System.Tuple`", StringComparison.Ordinal))
            {
                Report(Rules.Tuple, instantiation + ": return a small class or use out parameters");
            }

            Report(Rules.GenericInstantiation, instantiation);
        }

        private void CheckTypeHandle(EntityHandle handle)
        {
            switch (handle.Kind)
            {
                case HandleKind.TypeReference:
                    CheckTypeReference((TypeReferenceHandle)handle);
                    break;
                case HandleKind.TypeSpecification:
                    TypeSpecification spec = _r.GetTypeSpecification((TypeSpecificationHandle)handle);
                    Decoded(() => spec.DecodeSignature(_names, null));
                    break;
            }
        }

        private string NameOf(EntityHandle type) => type.Kind switch
        {
            HandleKind.TypeReference => MetadataNames.Of(_r, (TypeReferenceHandle)type),
            HandleKind.TypeDefinition => MetadataNames.Of(_r, (TypeDefinitionHandle)type),
            HandleKind.TypeSpecification => _r.GetTypeSpecification((TypeSpecificationHandle)type).DecodeSignature(new SignatureNames(_r), null),
            _ => type.Kind.ToString(),
        };

        private bool IsValueType(EntityHandle type)
        {
            switch (type.Kind)
            {
                case HandleKind.TypeDefinition:
                    return MetadataNames.IsValueType(_r, (TypeDefinitionHandle)type);
                case HandleKind.TypeReference:
                    string name = MetadataNames.Of(_r, (TypeReferenceHandle)type);
                    if (_gate._ourValueTypes.TryGetValue(name, out bool ours))
                    {
                        return ours;
                    }

                    NanoType nano = _gate._api.Find(name);
                    return nano != null ? nano.IsValueType : name.StartsWith("System.Nullable`", StringComparison.Ordinal);
                case HandleKind.TypeSpecification:
                    return NameOf(type).StartsWith("System.Nullable`", StringComparison.Ordinal);
                default:
                    return false;
            }
        }

        /// <summary>Classifies a reference to a type outside this assembly; returns its API entry when it is a framework type we may use.</summary>
        private NanoType CheckTypeReference(TypeReferenceHandle handle)
        {
            string name = MetadataNames.Of(_r, handle);
            string assembly = MetadataNames.AssemblyOf(_r, handle);
            if (assembly == null || _gate._ourAssemblies.Contains(assembly))
            {
                return null;
            }

            NanoType nano = _gate._api.Find(name);
            if (assembly == TestFrameworkHostAssembly)
            {
                if (nano == null || nano.Group != "tf")
                {
                    Report(Rules.TestFrameworkApi, name + " is not in nanoFramework.TestFramework 3.0.80");
                }

                return nano;
            }

            if (name.StartsWith("System.ValueTuple", StringComparison.Ordinal) || name.StartsWith("System.Tuple", StringComparison.Ordinal))
            {
                Report(Rules.Tuple, name + ": return a small class or use out parameters");
                return null;
            }

            if (name is "System.Runtime.CompilerServices.IAsyncStateMachine" or "System.Runtime.CompilerServices.AsyncStateMachineAttribute"
                || name.StartsWith("System.Runtime.CompilerServices.Async", StringComparison.Ordinal)
                || name.StartsWith("System.Threading.Tasks.", StringComparison.Ordinal))
            {
                Report(Rules.AsyncStateMachine, name + ": no async/await; make it a scheduler task with explicit state");
                return null;
            }

            if (name == "System.Runtime.CompilerServices.IsExternalInit")
            {
                Report(Rules.InitAccessor, "`init` accessor (IsExternalInit): use a constructor parameter or a set accessor");
                return null;
            }

            if (name == "System.Runtime.CompilerServices.IsVolatile")
            {
                // nanoFramework's mscorlib does not build IsVolatile.cs, so `volatile` does not compile there.
                Report(Rules.FrameworkType, "volatile field (modreq IsVolatile, not in nanoFramework 1.17): use Monitor or Interlocked");
                return null;
            }

            if (s_bannedTypes.TryGetValue(name, out string why))
            {
                Report(Rules.BannedApi, name + ": " + why);
                return nano;
            }

            if (nano == null || nano.Group == "tf")
            {
                Report(Rules.FrameworkType, name + " (from " + assembly + ") is not in nanoFramework 1.17 mscorlib/System.Math/System.Collections/System.Text");
                return null;
            }

            if (nano.IsGeneric)
            {
                // Generic delegates exist in 1.17 but are banned with all generics; the instantiation is reported too.
                Report(Rules.GenericInstantiation, name);
                return null;
            }

            return nano;
        }

        private void CheckAttributes(CustomAttributeHandleCollection attributes)
        {
            foreach (CustomAttributeHandle ah in attributes)
            {
                CustomAttribute a = _r.GetCustomAttribute(ah);
                if (a.Constructor.Kind == HandleKind.MemberReference)
                {
                    MemberReference ctor = _r.GetMemberReference((MemberReferenceHandle)a.Constructor);
                    if (ctor.Parent.Kind == HandleKind.TypeReference
                        && s_optionalCompilerAttributes.Contains(MetadataNames.Of(_r, (TypeReferenceHandle)ctor.Parent)))
                    {
                        continue;
                    }
                }

                CheckMethodHandle(a.Constructor, call: false);
            }
        }

        private void CheckMethodHandle(EntityHandle handle, bool call)
        {
            switch (handle.Kind)
            {
                case HandleKind.MethodSpecification:
                    MethodSpecification spec = _r.GetMethodSpecification((MethodSpecificationHandle)handle);
                    string target = MethodName(spec.Method);
                    if (target == "System.Array::Empty"
                        || (target == "System.Threading.Interlocked::CompareExchange" && _member != null
                            && (_member.StartsWith("add_", StringComparison.Ordinal) || _member.StartsWith("remove_", StringComparison.Ordinal))))
                    {
                        // Lowerings the compiler picks only when the core library offers them: an empty
                        // params array (Array.Empty<T>) and a field-like event's lock-free accessor
                        // (Interlocked.CompareExchange<T>). Against nanoFramework's mscorlib the same
                        // source compiles to `new T[0]` and plain Delegate.Combine/Remove.
                        return;
                    }

                    Report(Rules.GenericInstantiation, "generic method " + target + "<" + string.Join(",", spec.DecodeSignature(new SignatureNames(_r), null)) + ">");
                    CheckMethodHandle(spec.Method, call);
                    break;
                case HandleKind.MemberReference:
                    CheckMemberReference((MemberReferenceHandle)handle);
                    break;
                case HandleKind.TypeReference:
                case HandleKind.TypeSpecification:
                    CheckTypeHandle(handle);
                    break;
            }
        }

        private string MethodName(EntityHandle method)
        {
            if (method.Kind == HandleKind.MemberReference)
            {
                MemberReference m = _r.GetMemberReference((MemberReferenceHandle)method);
                return NameOf(m.Parent) + "::" + _r.GetString(m.Name);
            }

            if (method.Kind == HandleKind.MethodDefinition)
            {
                MethodDefinition m = _r.GetMethodDefinition((MethodDefinitionHandle)method);
                return MetadataNames.Of(_r, m.GetDeclaringType()) + "::" + _r.GetString(m.Name);
            }

            return method.Kind.ToString();
        }

        private void CheckMemberReference(MemberReferenceHandle handle)
        {
            MemberReference m = _r.GetMemberReference(handle);
            string name = _r.GetString(m.Name);
            NanoType parent = null;
            string parentName;
            string parentAssembly = null;
            switch (m.Parent.Kind)
            {
                case HandleKind.TypeReference:
                    var tr = (TypeReferenceHandle)m.Parent;
                    parentName = MetadataNames.Of(_r, tr);
                    parentAssembly = MetadataNames.AssemblyOf(_r, tr);
                    parent = CheckTypeReference(tr);
                    break;
                case HandleKind.TypeSpecification:
                    CheckTypeHandle(m.Parent);
                    return;
                default:
                    return;
            }

            if (parentAssembly == null || _gate._ourAssemblies.Contains(parentAssembly))
            {
                return;
            }

            string full = parentName + "::" + name;
            if (s_bannedMembers.TryGetValue(full, out string why))
            {
                Report(Rules.BannedApi, full + ": " + why);
                return;
            }

            bool isTestFramework = parentAssembly == TestFrameworkHostAssembly;
            string rule = isTestFramework ? Rules.TestFrameworkApi : Rules.FrameworkMember;
            if (m.GetKind() == MemberReferenceKind.Field)
            {
                Decoded(() => m.DecodeFieldSignature(_names, null));
                if (parent != null && !_gate._api.HasField(parent, name))
                {
                    Report(rule, full + " (field) is not in " + (isTestFramework ? "nanoFramework.TestFramework 3.0.80" : "nanoFramework 1.17"));
                }

                return;
            }

            string parameters = null;
            Decoded(() => parameters = SignatureNames.Parameters(m.DecodeMethodSignature(_names, null)));
            if (parent == null)
            {
                return;
            }

            if (name is "op_Equality" or "op_Inequality" && parent.Kind == "class")
            {
                // Without the operator (System.Type on nanoFramework) the device compiler compares
                // the two references, which is what these operators do for runtime types.
                return;
            }

            string signature = name + parameters;
            if (s_loweredMembers.Contains(parentName + "::" + signature))
            {
                return;
            }

            List<string> overloads = _gate._api.Overloads(parent, name).ToList();
            if (overloads.Contains(signature))
            {
                return;
            }

            if (!isTestFramework && !s_exactOverloadTypes.Contains(parentName) && overloads.Any(o => _gate.OverloadAccepts(o, parameters)))
            {
                // The host compiler picked an overload nanoFramework lacks, but one exists there that
                // takes the same arguments (e.g. String.Format(string, object) vs
                // Format(string, params object[])): the device compiler binds to that one.
                return;
            }

            Report(rule, parentName + "::" + signature + " is not in " + (isTestFramework ? "nanoFramework.TestFramework 3.0.80" : "nanoFramework 1.17")
                + (overloads.Count == 0 ? string.Empty : " (it has " + string.Join(", ", overloads) + ")"));
        }

        /// <summary>Custom numeric formats: ldstr "0.0" before Int32.ToString(string), or "{0:0.0}" given to String.Format.</summary>
        private void CheckFormatUse(EntityHandle method, string lastString, List<string> pendingStrings)
        {
            if (method.Kind != HandleKind.MemberReference)
            {
                return;
            }

            MemberReference m = _r.GetMemberReference((MemberReferenceHandle)method);
            if (m.Parent.Kind != HandleKind.TypeReference)
            {
                return;
            }

            string parent = MetadataNames.Of(_r, (TypeReferenceHandle)m.Parent);
            string name = _r.GetString(m.Name);
            if (name == "ToString" && s_numericTypes.Contains(parent) && lastString != null)
            {
                MethodSignature<string> sig = m.DecodeMethodSignature(new SignatureNames(_r), null);
                if (sig.ParameterTypes.Length >= 1 && sig.ParameterTypes[0] == "System.String" && !s_standardNumericFormat.IsMatch(lastString))
                {
                    Report(Rules.CustomNumericFormat, parent + ".ToString(\"" + lastString + "\"): use a standard format (\"D3\", \"F1\") or integer formatting");
                }
            }

            if ((name == "Format" && parent == "System.String") || (name == "AppendFormat" && parent == "System.Text.StringBuilder"))
            {
                foreach (string s in pendingStrings)
                {
                    foreach (string spec in FormatSpecifiers(s))
                    {
                        if (!s_standardNumericFormat.IsMatch(spec))
                        {
                            Report(Rules.CustomNumericFormat, "format item {…:" + spec + "} in \"" + s + "\": use a standard format (\"D3\", \"F1\") or integer formatting");
                        }
                    }
                }

                pendingStrings.Clear();
            }
        }

        /// <summary>The format strings of a composite format's items ("{0,5:F1}" gives "F1").</summary>
        internal static IEnumerable<string> FormatSpecifiers(string composite)
        {
            for (int i = 0; i < composite.Length; i++)
            {
                if (composite[i] != '{')
                {
                    continue;
                }

                if (i + 1 < composite.Length && composite[i + 1] == '{')
                {
                    i++;
                    continue;
                }

                int close = composite.IndexOf('}', i);
                if (close < 0)
                {
                    yield break;
                }

                string item = composite.Substring(i + 1, close - i - 1);
                int colon = item.IndexOf(':');
                if (colon >= 0)
                {
                    yield return item.Substring(colon + 1);
                }

                i = close;
            }
        }
    }
}
