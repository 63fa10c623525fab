using Microsoft.CodeAnalysis;

namespace ResilienceAnalyzers.Common;

/// <summary>Small questions about types that several recognisers ask.</summary>
internal static class TypeFacts
{
    /// <summary>True when <paramref name="type"/> is <paramref name="expected"/> or derives from it.</summary>
    public static bool IsOrDerivesFrom(ITypeSymbol? type, INamedTypeSymbol? expected)
    {
        if (expected is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, expected))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="type"/> or one of its base types is <paramref name="definition"/>, generic or not.</summary>
    public static bool DerivesFromDefinition(ITypeSymbol? type, INamedTypeSymbol? definition)
    {
        if (definition is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, definition))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><paramref name="type"/> itself, or the T of a <c>Nullable&lt;T&gt;</c>.</summary>
    public static ITypeSymbol? UnwrapNullable(ITypeSymbol? type)
        => type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T, TypeArguments.Length: 1 } nullable
            ? nullable.TypeArguments[0]
            : type;

    /// <summary>An array, or a type that implements <c>IEnumerable</c> other than <c>string</c>.</summary>
    public static bool IsCollection(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol)
        {
            return true;
        }

        // Told without listing interfaces (the public symbol builds that list on every ask): enums, delegates, pointers, and
        // the special types from object to string (the primitives, string itself).
        if (type.TypeKind is TypeKind.Enum or TypeKind.Delegate or TypeKind.Pointer or TypeKind.FunctionPointer
            || type.SpecialType is >= SpecialType.System_Object and <= SpecialType.System_String)
        {
            return false;
        }

        foreach (var @interface in type.AllInterfaces)
        {
            if (@interface.SpecialType is SpecialType.System_Collections_IEnumerable)
            {
                return type.SpecialType != SpecialType.System_String;
            }
        }

        return false;
    }
}
