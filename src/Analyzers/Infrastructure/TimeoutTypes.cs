using Microsoft.CodeAnalysis;

namespace ResilienceAnalyzers.Infrastructure;

/// <summary>
/// The types the timeout family needs, resolved once per compilation.
/// Sources: .NET <c>System.Threading.Timeout</c>, <c>System.Net.Http</c>; Polly.Core 8.x
/// (<c>Polly.Timeout.TimeoutStrategyOptions</c>); Grpc.Core.Api 2.x (<c>ClientBase</c>, <c>CallOptions</c>).
/// </summary>
public sealed class TimeoutTypes
{
    public TimeoutTypes(Compilation compilation)
    {
        Timeout = compilation.GetTypeByMetadataName("System.Threading.Timeout");
        TimeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
        DateTime = compilation.GetTypeByMetadataName("System.DateTime");
        HttpClient = compilation.GetTypeByMetadataName("System.Net.Http.HttpClient");
        TimeoutStrategyOptions = compilation.GetTypeByMetadataName("Polly.Timeout.TimeoutStrategyOptions");
        GrpcClientBase = compilation.GetTypeByMetadataName("Grpc.Core.ClientBase");
        GrpcCallOptions = compilation.GetTypeByMetadataName("Grpc.Core.CallOptions");
        GrpcLiteClientBase = compilation.GetTypeByMetadataName("Grpc.Core.LiteClientBase");
    }

    public INamedTypeSymbol? Timeout { get; }

    public INamedTypeSymbol? TimeSpan { get; }

    public INamedTypeSymbol? DateTime { get; }

    public INamedTypeSymbol? HttpClient { get; }

    /// <summary>Polly v8's timeout options, base of Microsoft.Extensions.Http.Resilience's <c>HttpTimeoutStrategyOptions</c>.</summary>
    public INamedTypeSymbol? TimeoutStrategyOptions { get; }

    /// <summary>Base of every generated gRPC client; null when Grpc.Core.Api is not referenced.</summary>
    public INamedTypeSymbol? GrpcClientBase { get; }

    public INamedTypeSymbol? GrpcCallOptions { get; }

    /// <summary>Base of clients generated with the <c>lite_client</c> option.</summary>
    public INamedTypeSymbol? GrpcLiteClientBase { get; }

    /// <summary>A generated gRPC client: derives from <c>ClientBase</c> or <c>LiteClientBase</c>.</summary>
    public bool IsGrpcClient(ITypeSymbol? type) => DerivesFrom(type, GrpcClientBase) || DerivesFrom(type, GrpcLiteClientBase);

    /// <summary>Grpc.Core.Api is referenced: RES011 has something to look at.</summary>
    public bool HasGrpc => GrpcClientBase is not null && GrpcCallOptions is not null;

    public static bool DerivesFrom(ITypeSymbol? type, INamedTypeSymbol? baseType)
    {
        if (baseType is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, baseType))
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
}
