using Microsoft.CodeAnalysis;

namespace ResilienceAnalyzers.Libraries.Azure;

/// <summary>
/// Azure SDK types, resolved once per compilation.
/// Sources: Azure.Core 1.x (<c>Azure.Core.AzureLocation</c>, since 1.22).
/// </summary>
public sealed class AzureTypes
{
    internal AzureTypes(Compilation compilation)
    {
        AzureLocation = compilation.GetTypeByMetadataName("Azure.Core.AzureLocation");
    }

    public INamedTypeSymbol? AzureLocation { get; }
}
