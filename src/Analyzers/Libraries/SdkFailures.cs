using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Libraries;

/// <summary>
/// One exception type an SDK client lets out once its own retries give up (RES006): named by metadata name, in the
/// SDK's assemblies (<see cref="Assembly"/>) or the framework's (null). <see cref="Subtypes"/>: the SDK throws types derived
/// from it too (a service's own <c>AmazonDynamoDBException</c>), so a catch of one of those catches it as well.
/// </summary>
internal readonly struct SdkFailureType
{
    public SdkFailureType(string? assembly, string metadataName, bool subtypes)
    {
        Assembly = assembly;
        MetadataName = metadataName;
        Subtypes = subtypes;
    }

    public string? Assembly { get; }

    public string MetadataName { get; }

    public bool Subtypes { get; }

    /// <summary>A type of the SDK's own, thrown with its subtypes.</summary>
    public static SdkFailureType Own(string assembly, string metadataName) => new(assembly, metadataName, subtypes: true);

    /// <summary>A framework type, thrown as itself: a subtype that is thrown too is listed on its own.</summary>
    public static SdkFailureType Framework(string metadataName, string? assembly = null) => new(assembly, metadataName, subtypes: false);
}

/// <summary>
/// RES006: what an SDK client lets out once its own retries give up, resolved once per compilation. An outer retry goes
/// round on such a failure only when one of its failure catches can catch one of these types: the caught type is one of
/// them or a base type of one (<c>Exception</c>, <c>SystemException</c>, a bare <c>catch</c>), or derives from one the SDK
/// throws with its subtypes. Otherwise the outer retry never re-sends what the client already retried, and the layers do
/// not multiply.
/// </summary>
internal sealed class SdkFailures
{
    private readonly ImmutableArray<(INamedTypeSymbol Type, bool Subtypes)> _types;

    private SdkFailures(ImmutableArray<(INamedTypeSymbol Type, bool Subtypes)> types) => _types = types;

    /// <summary>The resolved types, or null when one of them cannot be found (then what the client lets out is not known).</summary>
    public static SdkFailures? Resolve(LibraryTypeLookup lookup, IReadOnlyList<SdkFailureType> names)
    {
        var builder = ImmutableArray.CreateBuilder<(INamedTypeSymbol, bool)>(names.Count);
        foreach (var name in names)
        {
            var type = name.Assembly is not { } assembly ? lookup.FindFramework(name.MetadataName)
                : name.Subtypes ? lookup.Find(assembly, name.MetadataName)
                : lookup.FindFramework(name.MetadataName, assembly);
            if (type is null)
            {
                return null;
            }

            builder.Add((type, name.Subtypes));
        }

        return new SdkFailures(builder.MoveToImmutable());
    }

    /// <summary>A catch of <paramref name="caught"/> catches one of the types; a type that cannot be judged catches.</summary>
    public bool CaughtBy(ITypeSymbol? caught)
    {
        if (caught is not INamedTypeSymbol { TypeKind: TypeKind.Class } named)
        {
            return true;
        }

        foreach (var (type, subtypes) in _types)
        {
            if (TypeFacts.IsOrDerivesFrom(type, named) || subtypes && TypeFacts.IsOrDerivesFrom(named, type))
            {
                return true;
            }
        }

        return false;
    }
}
