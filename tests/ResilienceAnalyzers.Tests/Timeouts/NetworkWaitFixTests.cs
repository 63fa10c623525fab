using ResilienceAnalyzers.CodeFixes.Timeouts;
using ResilienceAnalyzers.Tests.Verifiers;
using Fix = ResilienceAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<ResilienceAnalyzers.Timeouts.TimeoutAnalyzer, ResilienceAnalyzers.CodeFixes.Timeouts.NetworkWaitCodeFixProvider>;

namespace ResilienceAnalyzers.Tests.Timeouts;

/// <summary>The RES012 fix: the method's token passed to the wait, in place of None/default or as a new argument; one at a time and Fix All.</summary>
public sealed class NetworkWaitFixTests
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.Net;
        using System.Net.Sockets;
        using System.Net.WebSockets;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private static Task Verify(string source, string fixedSource)
        => Fix.VerifyCodeFixAsync(Usings + source, Usings + fixedSource, TestLibraries.None, editorConfig: null, NetworkWaitCodeFixProvider.PassTokenKey);

    [Fact]
    public Task PassesTheTokenInScope_ToEveryWaitOfTheMethod()
        => Verify(
            """
            class Probe
            {
                async Task<int> AskAsync(string host, Uri uri, byte[] buffer, CancellationToken cancellationToken)
                {
                    using var client = new TcpClient();
                    await client.{|RES012:ConnectAsync|}(host, 7000);
                    var stream = client.GetStream();
                    await stream.{|RES012:WriteAsync|}(buffer, 0, 4);
                    var read = await stream.{|RES012:ReadAsync|}(buffer.AsMemory());
                    using var socket = new ClientWebSocket();
                    await socket.{|RES012:ConnectAsync|}(uri, CancellationToken.None);
                    var result = await socket.{|RES012:ReceiveAsync|}(new ArraySegment<byte>(buffer), default);
                    return read + result.Count;
                }
            }
            """,
            """
            class Probe
            {
                async Task<int> AskAsync(string host, Uri uri, byte[] buffer, CancellationToken cancellationToken)
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(host, 7000, cancellationToken);
                    var stream = client.GetStream();
                    await stream.WriteAsync(buffer, 0, 4, cancellationToken);
                    var read = await stream.ReadAsync(buffer.AsMemory(), cancellationToken);
                    using var socket = new ClientWebSocket();
                    await socket.ConnectAsync(uri, cancellationToken);
                    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), cancellationToken);
                    return read + result.Count;
                }
            }
            """);

    // A default argument skipped before the token: positional would land elsewhere, so the token goes by name.
    [Fact]
    public Task PassesTheTokenByName_WhenAnArgumentBeforeItIsLeftToItsDefault()
        => Verify(
            """
            class Probe
            {
                async Task<int> AskAsync(EndPoint endpoint, byte[] buffer, CancellationToken token)
                {
                    using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    await socket.ConnectAsync(endpoint, token);
                    return await socket.{|RES012:ReceiveAsync|}(buffer.AsMemory(), cancellationToken: default);
                }
            }
            """,
            """
            class Probe
            {
                async Task<int> AskAsync(EndPoint endpoint, byte[] buffer, CancellationToken token)
                {
                    using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    await socket.ConnectAsync(endpoint, token);
                    return await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken: token);
                }
            }
            """);

    // No token in scope, or no overload that takes one: which deadline to give is the author's decision.
    [Fact]
    public Task OffersNothing_WithoutATokenInScope_OrAnOverloadTakingOne()
        => Verify(
            """
            class Probe
            {
                async Task<int> AskAsync(string host, byte[] buffer)
                {
                    using var client = new TcpClient();
                    await client.{|RES012:ConnectAsync|}(host, 7000);
                    return await client.GetStream().{|RES012:ReadAsync|}(buffer, 0, buffer.Length);
                }

                int Ask(EndPoint endpoint, byte[] buffer, CancellationToken cancellationToken)
                {
                    using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    socket.{|RES012:Connect|}(endpoint);
                    return socket.{|RES012:Receive|}(buffer);
                }
            }
            """,
            """
            class Probe
            {
                async Task<int> AskAsync(string host, byte[] buffer)
                {
                    using var client = new TcpClient();
                    await client.{|RES012:ConnectAsync|}(host, 7000);
                    return await client.GetStream().{|RES012:ReadAsync|}(buffer, 0, buffer.Length);
                }

                int Ask(EndPoint endpoint, byte[] buffer, CancellationToken cancellationToken)
                {
                    using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    socket.{|RES012:Connect|}(endpoint);
                    return socket.{|RES012:Receive|}(buffer);
                }
            }
            """);
}
