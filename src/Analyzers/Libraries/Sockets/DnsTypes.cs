using Microsoft.CodeAnalysis;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Libraries.Sockets;

/// <summary>
/// Name resolution and the address types its answers become (RES023), resolved once per compilation.
/// Sources: .NET 8-10 reference packs (<c>Dns</c> in System.Net.NameResolution, <c>IPAddress</c>/<c>IPEndPoint</c> in
/// System.Net.Primitives, <c>ServicePointManager</c> in System.Net.ServicePoint); .NET Framework 4.x places them in
/// System.dll, which the fallback lookup finds.
/// </summary>
/// <remarks>
/// <c>ServicePointManager.DnsRefreshTimeout</c> defaults to 120 000 ms; -1 caches every answer for ever
/// (docs.microsoft.com, "ServicePointManager.DnsRefreshTimeout"). On .NET Core and later only <c>HttpWebRequest</c> and
/// the other legacy stacks still read it.
/// </remarks>
public sealed class DnsTypes
{
    internal DnsTypes(Compilation compilation)
    {
        var lookup = LibraryTypeLookup.For(compilation);
        Dns = lookup.FindFramework("System.Net.Dns", "System.Net.NameResolution");
        // .NET 10's reference assemblies declare it in System.Net.Requests (System.Net.ServicePoint forwards it there); older
        // ones in System.Net.ServicePoint. Named both ways, it is never looked for in every reference.
        ServicePointManager = lookup.FindFramework("System.Net.ServicePointManager", "System.Net.Requests", "System.Net.ServicePoint");
        IPAddress = lookup.FindFramework("System.Net.IPAddress", "System.Net.Primitives");
        EndPoint = lookup.FindFramework("System.Net.EndPoint", "System.Net.Primitives");
    }

    public INamedTypeSymbol? Dns { get; }

    public INamedTypeSymbol? ServicePointManager { get; }

    public INamedTypeSymbol? IPAddress { get; }

    /// <summary>The base of <c>IPEndPoint</c> and <c>DnsEndPoint</c>.</summary>
    public INamedTypeSymbol? EndPoint { get; }
}
