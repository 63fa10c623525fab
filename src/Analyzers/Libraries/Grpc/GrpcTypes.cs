using Microsoft.CodeAnalysis;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Libraries.Grpc;

/// <summary>
/// gRPC client types, resolved once per compilation.
/// Sources: Grpc.Core.Api 2.x (<c>Grpc.Core.ClientBase</c>, <c>Grpc.Core.LiteClientBase</c>, <c>Grpc.Core.CallOptions</c>).
/// </summary>
public sealed class GrpcTypes
{
    internal GrpcTypes(Compilation compilation)
    {
        var lookup = LibraryTypeLookup.For(compilation);
        ClientBase = lookup.Find("Grpc.Core", "Grpc.Core.ClientBase");
        CallOptions = lookup.Find("Grpc.Core", "Grpc.Core.CallOptions");
        LiteClientBase = lookup.Find("Grpc.Core", "Grpc.Core.LiteClientBase");
    }

    /// <summary>Base of every generated gRPC client; null when Grpc.Core.Api is not referenced.</summary>
    public INamedTypeSymbol? ClientBase { get; }

    public INamedTypeSymbol? CallOptions { get; }

    /// <summary>Base of clients generated with the <c>lite_client</c> option.</summary>
    public INamedTypeSymbol? LiteClientBase { get; }

    /// <summary>Grpc.Core.Api is referenced: RES011 has something to look at.</summary>
    public bool IsReferenced => ClientBase is not null && CallOptions is not null;

    /// <summary>A generated gRPC client: derives from <c>ClientBase</c> or <c>LiteClientBase</c>.</summary>
    public bool IsClient(ITypeSymbol? type)
        => TypeFacts.DerivesFromDefinition(type, ClientBase) || TypeFacts.DerivesFromDefinition(type, LiteClientBase);
}
