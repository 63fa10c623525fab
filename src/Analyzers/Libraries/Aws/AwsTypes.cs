using Microsoft.CodeAnalysis;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Libraries.Aws;

/// <summary>
/// AWS SDK types, resolved once per compilation.
/// Sources: AWSSDK.Core 4.x (<c>Amazon.RegionEndpoint</c>, <c>Amazon.Runtime.AmazonServiceClient</c>, the same in 3.7).
/// </summary>
public sealed class AwsTypes
{
    internal AwsTypes(Compilation compilation)
    {
        var lookup = LibraryTypeLookup.For(compilation);
        RegionEndpoint = lookup.Find("AWSSDK.Core", "Amazon.RegionEndpoint");
        AmazonServiceClient = lookup.Find("AWSSDK.Core", "Amazon.Runtime.AmazonServiceClient");
    }

    public INamedTypeSymbol? RegionEndpoint { get; }

    public INamedTypeSymbol? AmazonServiceClient { get; }

    /// <summary>An AWS service client (<c>AmazonDynamoDBClient</c>, <c>AmazonS3Client</c>...).</summary>
    public bool IsServiceClient(ITypeSymbol? type) => TypeFacts.IsOrDerivesFrom(type, AmazonServiceClient);
}
