using Microsoft.CodeAnalysis;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Libraries.Azure;

/// <summary>
/// Azure SDK types, resolved once per compilation.
/// Sources: Azure.Core 1.x (<c>Azure.Core.AzureLocation</c>, since 1.22).
/// </summary>
public sealed class AzureTypes
{
    internal AzureTypes(Compilation compilation)
    {
        var lookup = LibraryTypeLookup.For(compilation);
        AzureLocation = lookup.Find("Azure.Core", "Azure.Core.AzureLocation");
    }

    public INamedTypeSymbol? AzureLocation { get; }
}
