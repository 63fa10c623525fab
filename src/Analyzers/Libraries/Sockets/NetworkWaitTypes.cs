using Microsoft.CodeAnalysis;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Libraries.Sockets;

/// <summary>
/// The types whose calls wait on a peer at socket level (RES012), resolved once per compilation.
/// Sources: .NET 8-10 reference packs (System.Net.Sockets, System.Net.Security, System.Net.WebSockets[.Client],
/// System.IO.Pipes); .NET Framework 4.x places the socket types in System.dll, which the fallback lookup finds.
/// </summary>
/// <remarks>
/// Defaults that decide the rule (docs.microsoft.com, "Socket.ReceiveTimeout" and "NetworkStream.ReadTimeout"): a socket's
/// <c>ReceiveTimeout</c>/<c>SendTimeout</c> are 0 (wait forever) and apply to the synchronous calls only; the
/// asynchronous calls are ended by their cancellation token or by closing the socket, nothing else.
/// </remarks>
public sealed class NetworkWaitTypes
{
    internal NetworkWaitTypes(Compilation compilation)
    {
        var lookup = LibraryTypeLookup.For(compilation);
        Socket = lookup.FindFramework("System.Net.Sockets.Socket", "System.Net.Sockets");
        NetworkStream = lookup.FindFramework("System.Net.Sockets.NetworkStream", "System.Net.Sockets");
        TcpClient = lookup.FindFramework("System.Net.Sockets.TcpClient", "System.Net.Sockets");
        TcpListener = lookup.FindFramework("System.Net.Sockets.TcpListener", "System.Net.Sockets");
        SslStream = lookup.FindFramework("System.Net.Security.SslStream", "System.Net.Security");
        WebSocket = lookup.FindFramework("System.Net.WebSockets.WebSocket", "System.Net.WebSockets");
        ClientWebSocket = lookup.FindFramework("System.Net.WebSockets.ClientWebSocket", "System.Net.WebSockets.Client");
        StreamReader = lookup.FindFramework("System.IO.StreamReader");
        NamedPipeClientStream = lookup.FindFramework("System.IO.Pipes.NamedPipeClientStream", "System.IO.Pipes");
    }

    public INamedTypeSymbol? Socket { get; }

    public INamedTypeSymbol? NetworkStream { get; }

    public INamedTypeSymbol? TcpClient { get; }

    public INamedTypeSymbol? TcpListener { get; }

    public INamedTypeSymbol? SslStream { get; }

    public INamedTypeSymbol? WebSocket { get; }

    public INamedTypeSymbol? ClientWebSocket { get; }

    public INamedTypeSymbol? StreamReader { get; }

    public INamedTypeSymbol? NamedPipeClientStream { get; }

    /// <summary>Sockets are there to be waited on: RES012 has something to look at.</summary>
    public bool IsReferenced => Socket is not null || WebSocket is not null || NamedPipeClientStream is not null;
}
