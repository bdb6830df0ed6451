using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace IndraSmartPro.PortableGate;

/// <summary>
/// The device's own mscorlib: lib/mscorlib.dll of the nanoFramework.CoreLibrary package every
/// packages.config pins, fetched by this project's restore (PackageDownload in PortableGate.csproj)
/// into the NuGet package folder. nanoFramework's other packages (System.Math, System.Collections,
/// System.Text, TestFramework) are not served by the registry this project can reach; what needs
/// them cannot be compiled against real assemblies here (see <see cref="DeviceCompile"/>).
/// </summary>
public static class RealMscorlib
{
    public const string PackageId = "nanoFramework.CoreLibrary";

    /// <summary>The assemblies a nanoFramework project may reference that NuGet serves here, by assembly name.</summary>
    public static readonly string[] ServedAssemblies = { "mscorlib" };

    /// <summary>The CoreLibrary version pinned by src/Firmware.Core/packages.config.</summary>
    public static string PinnedVersion { get; } =
        XDocument.Load(System.IO.Path.Combine(Repo.Root, "src", "Firmware.Core", "packages.config")).Descendants("package")
            .Single(p => (string)p.Attribute("id") == PackageId).Attribute("version")!.Value;

    /// <summary>Path of the package's lib/mscorlib.dll in the NuGet package folder of this build.</summary>
    public static string Path
    {
        get
        {
            string root = typeof(RealMscorlib).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "NuGetPackageRoot").Value;
            return System.IO.Path.Combine(root, PackageId.ToLowerInvariant(), PinnedVersion, "lib", "mscorlib.dll");
        }
    }

    /// <summary>Public and protected types, methods and fields, in NanoFrameworkApi.txt's spelling.</summary>
    public static Surface ReadSurface(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        MetadataReader reader = pe.GetMetadataReader();
        var surface = new Surface();
        foreach (TypeDefinitionHandle handle in reader.TypeDefinitions)
        {
            TypeDefinition type = reader.GetTypeDefinition(handle);
            if (!IsVisible(reader, type))
            {
                continue;
            }

            string name = MetadataNames.Of(reader, handle);
            surface.Types[name] = KindOf(reader, type, name) + (type.GetGenericParameters().Count > 0 ? "-generic" : "");
            string[] typeParameters = type.GetGenericParameters().Select(g => reader.GetString(reader.GetGenericParameter(g).Name)).ToArray();
            foreach (MethodDefinitionHandle mh in type.GetMethods())
            {
                MethodDefinition method = reader.GetMethodDefinition(mh);
                if (!IsVisible(method.Attributes & MethodAttributes.MemberAccessMask))
                {
                    continue;
                }

                string[] methodParameters = method.GetGenericParameters().Select(g => reader.GetString(reader.GetGenericParameter(g).Name)).ToArray();
                MethodSignature<string> signature = method.DecodeSignature(new NamedSignatures(reader), new GenericNames(typeParameters, methodParameters));
                string entry = name + "::" + reader.GetString(method.Name) + "(" + string.Join(",", signature.ParameterTypes) + ")";
                surface.Methods.Add(entry + (methodParameters.Length > 0 ? " generic" : ""));
            }

            foreach (FieldDefinitionHandle fh in type.GetFields())
            {
                FieldDefinition field = reader.GetFieldDefinition(fh);
                FieldAttributes access = field.Attributes & FieldAttributes.FieldAccessMask;
                if (access is FieldAttributes.Public or FieldAttributes.Family or FieldAttributes.FamORAssem)
                {
                    surface.Fields.Add(name + "::" + reader.GetString(field.Name));
                }
            }
        }

        return surface;
    }

    public sealed class Surface
    {
        /// <summary>Type name → kind ("class", "struct-generic", ...).</summary>
        public Dictionary<string, string> Types { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Methods { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Fields { get; } = new(StringComparer.Ordinal);
    }

    private static bool IsVisible(MethodAttributes access) =>
        access is MethodAttributes.Public or MethodAttributes.Family or MethodAttributes.FamORAssem;

    private static bool IsVisible(MetadataReader reader, TypeDefinition type)
    {
        TypeAttributes visibility = type.Attributes & TypeAttributes.VisibilityMask;
        if (visibility == TypeAttributes.Public)
        {
            return true;
        }

        if (visibility is TypeAttributes.NestedPublic or TypeAttributes.NestedFamily or TypeAttributes.NestedFamORAssem)
        {
            return IsVisible(reader, reader.GetTypeDefinition(type.GetDeclaringType()));
        }

        return false;
    }

    private static string KindOf(MetadataReader reader, TypeDefinition type, string ownName)
    {
        if ((type.Attributes & TypeAttributes.Interface) != 0)
        {
            return "interface";
        }

        string baseName = type.BaseType.IsNil ? null : type.BaseType.Kind switch
        {
            HandleKind.TypeDefinition => MetadataNames.Of(reader, (TypeDefinitionHandle)type.BaseType),
            HandleKind.TypeReference => MetadataNames.Of(reader, (TypeReferenceHandle)type.BaseType),
            _ => null,
        };
        return baseName switch
        {
            "System.Enum" => "enum",
            "System.ValueType" => ownName == "System.Enum" ? "class" : "struct",
            "System.MulticastDelegate" => "delegate",
            _ => "class",
        };
    }

    /// <summary>Generic parameter names of the type and the method being decoded.</summary>
    private sealed record GenericNames(string[] Type, string[] Method);

    /// <summary>Signature names as in NanoFrameworkApi.txt, generic parameters by name ("!T").</summary>
    private sealed class NamedSignatures : ISignatureTypeProvider<string, GenericNames>
    {
        private readonly SignatureNames _names;

        public NamedSignatures(MetadataReader reader) => _names = new SignatureNames(reader);

        public string GetArrayType(string elementType, ArrayShape shape) => _names.GetArrayType(elementType, shape);

        public string GetByReferenceType(string elementType) => _names.GetByReferenceType(elementType);

        public string GetFunctionPointerType(MethodSignature<string> signature) => _names.GetFunctionPointerType(signature);

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => _names.GetGenericInstantiation(genericType, typeArguments);

        public string GetGenericMethodParameter(GenericNames genericContext, int index) => "!!" + genericContext.Method[index];

        public string GetGenericTypeParameter(GenericNames genericContext, int index) => "!" + genericContext.Type[index];

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetPinnedType(string elementType) => elementType;

        public string GetPointerType(string elementType) => _names.GetPointerType(elementType);

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => _names.GetPrimitiveType(typeCode);

        public string GetSZArrayType(string elementType) => _names.GetSZArrayType(elementType);

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => MetadataNames.Of(reader, handle);

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind) => MetadataNames.Of(reader, handle);

        public string GetTypeFromSpecification(MetadataReader reader, GenericNames genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);
    }

    /// <summary>The "@group corlib" entries of NanoFrameworkApi.txt, as written (T, M and F lines).</summary>
    public static List<string> CorlibEntries(string apiListPath)
    {
        var entries = new List<string>();
        string group = null;
        foreach (string raw in File.ReadLines(apiListPath))
        {
            string line = raw.Trim();
            if (line.StartsWith("@group ", StringComparison.Ordinal))
            {
                group = line.Substring(7).Trim();
            }
            else if (group == "corlib" && Regex.IsMatch(line, "^[TMF] "))
            {
                entries.Add(line);
            }
        }

        return entries;
    }
}
