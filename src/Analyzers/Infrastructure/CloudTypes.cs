using Microsoft.CodeAnalysis;

namespace ResilienceAnalyzers.Infrastructure;

/// <summary>
/// Cloud SDK types that name a region, resolved once per compilation.
/// Sources: AWSSDK.Core 4.x (<c>Amazon.RegionEndpoint</c>, <c>Amazon.Runtime.AmazonServiceClient</c>, the same in 3.7),
/// Azure.Core 1.x (<c>Azure.Core.AzureLocation</c>, since 1.22).
/// </summary>
public sealed class CloudTypes
{
    internal CloudTypes(Compilation compilation)
    {
        RegionEndpoint = compilation.GetTypeByMetadataName("Amazon.RegionEndpoint");
        AmazonServiceClient = compilation.GetTypeByMetadataName("Amazon.Runtime.AmazonServiceClient");
        AzureLocation = compilation.GetTypeByMetadataName("Azure.Core.AzureLocation");
    }

    public INamedTypeSymbol? RegionEndpoint { get; }

    public INamedTypeSymbol? AmazonServiceClient { get; }

    public INamedTypeSymbol? AzureLocation { get; }

    /// <summary>A type whose values are regions: <c>RegionEndpoint</c> or <c>AzureLocation</c> (or its nullable).</summary>
    public bool IsRegionType(ITypeSymbol? type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        return type is not null
               && (SymbolEqualityComparer.Default.Equals(type, RegionEndpoint) || SymbolEqualityComparer.Default.Equals(type, AzureLocation));
    }

    /// <summary>An AWS service client (<c>AmazonDynamoDBClient</c>, <c>AmazonS3Client</c>...).</summary>
    public bool IsAwsServiceClient(ITypeSymbol? type) => TypeFacts.IsOrDerivesFrom(type, AmazonServiceClient);
}
