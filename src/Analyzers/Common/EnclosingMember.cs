using System.Threading;
using Microsoft.CodeAnalysis;

namespace ResilienceAnalyzers.Common;

/// <summary>
/// The member whose code holds a position, as an operation callback's containing symbol: a method, accessor or constructor
/// (or the field or property of an initializer), never a lambda or local function inside it.
/// </summary>
internal static class EnclosingMember
{
    public static ISymbol? At(SemanticModel model, int position, CancellationToken cancellationToken = default)
        => Outside(model.GetEnclosingSymbol(position, cancellationToken));

    /// <summary><paramref name="symbol"/>, or the member around it when it is a lambda or local function.</summary>
    public static ISymbol? Outside(ISymbol? symbol)
    {
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        return symbol;
    }
}
