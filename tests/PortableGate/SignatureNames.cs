using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Reflection.Metadata;

namespace IndraSmartPro.PortableGate;

/// <summary>
/// Decodes signatures into the names NanoFrameworkApi.txt uses ("System.Int32[]", "Outer+Inner")
/// and records, while decoding, what the gate must look at: every type reference met, every
/// generic instantiation, multidimensional arrays and the `init` accessor's modreq.
/// </summary>
internal sealed class SignatureNames : ISignatureTypeProvider<string, object>
{
    private readonly MetadataReader _reader;

    public SignatureNames(MetadataReader reader)
    {
        _reader = reader;
    }

    public List<TypeReferenceHandle> TypeReferences { get; } = new();

    public List<string> GenericInstantiations { get; } = new();

    public List<string> MultidimensionalArrays { get; } = new();

    public bool HasInitModifier { get; private set; }

    public bool HasFunctionPointer { get; private set; }

    public void Clear()
    {
        TypeReferences.Clear();
        GenericInstantiations.Clear();
        MultidimensionalArrays.Clear();
        HasInitModifier = false;
        HasFunctionPointer = false;
    }

    public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
    {
        PrimitiveTypeCode.Boolean => "System.Boolean",
        PrimitiveTypeCode.Byte => "System.Byte",
        PrimitiveTypeCode.SByte => "System.SByte",
        PrimitiveTypeCode.Char => "System.Char",
        PrimitiveTypeCode.Int16 => "System.Int16",
        PrimitiveTypeCode.UInt16 => "System.UInt16",
        PrimitiveTypeCode.Int32 => "System.Int32",
        PrimitiveTypeCode.UInt32 => "System.UInt32",
        PrimitiveTypeCode.Int64 => "System.Int64",
        PrimitiveTypeCode.UInt64 => "System.UInt64",
        PrimitiveTypeCode.Single => "System.Single",
        PrimitiveTypeCode.Double => "System.Double",
        PrimitiveTypeCode.IntPtr => "System.IntPtr",
        PrimitiveTypeCode.UIntPtr => "System.UIntPtr",
        PrimitiveTypeCode.Object => "System.Object",
        PrimitiveTypeCode.String => "System.String",
        PrimitiveTypeCode.TypedReference => "System.TypedReference",
        PrimitiveTypeCode.Void => "System.Void",
        _ => typeCode.ToString(),
    };

    public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => MetadataNames.Of(reader, handle);

    public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
    {
        TypeReferences.Add(handle);
        return MetadataNames.Of(reader, handle);
    }

    public string GetTypeFromSpecification(MetadataReader reader, object genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
        reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

    public string GetSZArrayType(string elementType) => elementType + "[]";

    public string GetArrayType(string elementType, ArrayShape shape)
    {
        string name = elementType + "[" + new string(',', shape.Rank - 1) + "]";
        MultidimensionalArrays.Add(name);
        return name;
    }

    public string GetByReferenceType(string elementType) => elementType + "&";

    public string GetPointerType(string elementType) => elementType + "*";

    public string GetPinnedType(string elementType) => elementType;

    public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
    {
        string name = genericType + "<" + string.Join(",", typeArguments) + ">";
        GenericInstantiations.Add(name);
        return name;
    }

    public string GetGenericTypeParameter(object genericContext, int index) => "!" + index;

    public string GetGenericMethodParameter(object genericContext, int index) => "!!" + index;

    public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired)
    {
        if (modifier == "System.Runtime.CompilerServices.IsExternalInit")
        {
            HasInitModifier = true;
        }

        return unmodifiedType;
    }

    public string GetFunctionPointerType(MethodSignature<string> signature)
    {
        HasFunctionPointer = true;
        return "method " + signature.ReturnType + "(" + string.Join(",", signature.ParameterTypes) + ")";
    }

    public static string Parameters(MethodSignature<string> signature) => "(" + string.Join(",", signature.ParameterTypes) + ")";
}

/// <summary>Metadata type names in NanoFrameworkApi.txt's spelling.</summary>
internal static class MetadataNames
{
    public static string Of(MetadataReader reader, TypeDefinitionHandle handle)
    {
        TypeDefinition t = reader.GetTypeDefinition(handle);
        string name = reader.GetString(t.Name);
        TypeDefinitionHandle declaring = t.GetDeclaringType();
        if (!declaring.IsNil)
        {
            return Of(reader, declaring) + "+" + name;
        }

        string ns = reader.GetString(t.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    public static string Of(MetadataReader reader, TypeReferenceHandle handle)
    {
        TypeReference t = reader.GetTypeReference(handle);
        string name = reader.GetString(t.Name);
        if (t.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            return Of(reader, (TypeReferenceHandle)t.ResolutionScope) + "+" + name;
        }

        string ns = reader.GetString(t.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    /// <summary>The assembly a type reference points into; null for this module.</summary>
    public static string AssemblyOf(MetadataReader reader, TypeReferenceHandle handle)
    {
        TypeReference t = reader.GetTypeReference(handle);
        while (t.ResolutionScope.Kind == HandleKind.TypeReference)
        {
            t = reader.GetTypeReference((TypeReferenceHandle)t.ResolutionScope);
        }

        return t.ResolutionScope.Kind == HandleKind.AssemblyReference
            ? reader.GetString(reader.GetAssemblyReference((AssemblyReferenceHandle)t.ResolutionScope).Name)
            : null;
    }

    public static bool IsValueType(MetadataReader reader, TypeDefinitionHandle handle)
    {
        EntityHandle baseType = reader.GetTypeDefinition(handle).BaseType;
        if (baseType.IsNil || baseType.Kind != HandleKind.TypeReference)
        {
            return false;
        }

        string name = Of(reader, (TypeReferenceHandle)baseType);
        return name is "System.ValueType" or "System.Enum";
    }

    public static IEnumerable<string> Split(string parameterList) =>
        parameterList.Length <= 2 ? Enumerable.Empty<string>() : parameterList.Substring(1, parameterList.Length - 2).Split(',');
}
