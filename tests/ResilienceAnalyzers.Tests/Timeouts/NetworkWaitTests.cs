using ResilienceAnalyzers.Tests.Verifiers;

namespace ResilienceAnalyzers.Tests.Timeouts;

/// <summary>RES012: socket-level waits on objects the method owns, with no token that can end them and no timeout set.</summary>
public sealed class NetworkWaitTests
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.IO.Pipes;
        using System.Net;
        using System.Net.Http;
        using System.Net.Security;
        using System.Net.Sockets;
        using System.Net.WebSockets;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private static Task Verify(string source, string? editorConfig = null)
        => CSharpAnalyzerVerifier<ResilienceAnalyzers.Timeouts.TimeoutAnalyzer>.VerifyAnalyzerAsync(Usings + source, TestLibraries.None, editorConfig);

    [Fact]
    public Task AClientConnectedAndReadHere_WithNoToken_IsReported()
        => Verify("""
            class Probe
            {
                async Task<int> AskAsync(string host, byte[] buffer)
                {
                    using var client = new TcpClient();
                    await client.{|RES012:ConnectAsync|}(host, 7000);
                    var stream = client.GetStream();
                    await stream.{|RES012:WriteAsync|}(buffer, 0, 4);
                    return await stream.{|RES012:ReadAsync|}(buffer, 0, buffer.Length).ConfigureAwait(false);
                }
            }
            """);

    [Fact]
    public Task SynchronousSocketCalls_WithNoTimeoutSet_AreReported()
        => Verify("""
            class Probe
            {
                int Ask(EndPoint endpoint, byte[] buffer)
                {
                    using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    socket.{|RES012:Connect|}(endpoint);
                    socket.{|RES012:Send|}(buffer);
                    return socket.{|RES012:Receive|}(buffer);
                }
            }
            """);

    [Fact]
    public Task AWebSocket_WithNoneOrDefaultTokens_IsReported()
        => Verify("""
            class Feed
            {
                async Task<WebSocketReceiveResult> FirstAsync(Uri uri, ArraySegment<byte> segment)
                {
                    using var socket = new ClientWebSocket();
                    await socket.{|RES012:ConnectAsync|}(uri, CancellationToken.None);
                    return await socket.{|RES012:ReceiveAsync|}(segment, default);
                }
            }
            """);

    [Fact]
    public Task AReaderOverANetworkStream_IsReported_AReaderOverAFile_IsNot()
        => Verify("""
            class Lines
            {
                string? FromPeer(TcpClient unused, string host)
                {
                    using var client = new TcpClient(host, 25);
                    using var reader = new StreamReader(client.GetStream());
                    return reader.{|RES012:ReadLine|}();
                }

                string? FromFile(string path)
                {
                    using var reader = new StreamReader(path);
                    using var other = new StreamReader(File.OpenRead(path));
                    return reader.ReadLine() + other.ReadLine();
                }
            }
            """);

    [Fact]
    public Task AnAcceptedConnection_StartsWithNoTimeout()
        => Verify("""
            class Server
            {
                async Task<int> ServeOneAsync(TcpListener listener, byte[] buffer)
                {
                    using var accepted = await listener.AcceptTcpClientAsync();
                    var stream = accepted.GetStream();
                    return await stream.{|RES012:ReadAsync|}(buffer.AsMemory());
                }

                int ServeOne(EndPoint endpoint, byte[] buffer)
                {
                    using var listening = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    listening.Bind(endpoint);
                    listening.Listen(1);
                    using var connection = listening.{|RES012:Accept|}();
                    return connection.{|RES012:Receive|}(buffer);
                }
            }
            """);

    [Fact]
    public Task APipeConnect_WithoutATimeout_IsReported_WithOne_IsNot()
        => Verify("""
            class Pipes
            {
                void Open()
                {
                    using var pipe = new NamedPipeClientStream(".", "jobs");
                    pipe.{|RES012:Connect|}();
                    using var bounded = new NamedPipeClientStream(".", "jobs");
                    bounded.Connect(5000);
                }
            }
            """);

    // "Not flagged: a token that is not None/default (its caller may bound it)", and one with a deadline of its own.
    [Fact]
    public Task ATokenThatCanEnd_IsNotReported()
        => Verify("""
            class Probe
            {
                async Task<int> AskAsync(string host, byte[] buffer, CancellationToken cancellationToken)
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(host, 7000, cancellationToken);
                    var stream = client.GetStream();
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    return await stream.ReadAsync(buffer, 0, buffer.Length, timeout.Token);
                }
            }
            """);

    [Fact]
    public Task ATimeoutSetOnAnyObjectOfTheChain_IsInForce_ZeroIsNot()
        => Verify("""
            class Probe
            {
                int Bounded(string host, byte[] buffer)
                {
                    using var client = new TcpClient(host, 25);
                    client.ReceiveTimeout = 5000;
                    return client.GetStream().Read(buffer, 0, buffer.Length);
                }

                int OnTheStream(string host, byte[] buffer)
                {
                    using var client = new TcpClient(host, 25);
                    using var stream = client.GetStream();
                    stream.ReadTimeout = 5000;
                    return stream.Read(buffer, 0, buffer.Length);
                }

                int OnTheSocket(string host, byte[] buffer)
                {
                    using var client = new TcpClient(host, 25);
                    client.Client.ReceiveTimeout = 5000;
                    using var stream = client.GetStream();
                    return stream.Read(buffer, 0, buffer.Length);
                }

                int Zero(EndPoint endpoint, byte[] buffer)
                {
                    using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    {|RES010:socket.ReceiveTimeout = 0|};
                    socket.{|RES012:Connect|}(endpoint);
                    return socket.{|RES012:Receive|}(buffer);
                }
            }
            """);

    // A task not awaited as it is may be bounded where it goes (.WaitAsync, Task.WhenAny with a delay).
    [Fact]
    public Task ATaskBoundedWhereItIsAwaited_IsNotReported()
        => Verify("""
            class Probe
            {
                async Task<int> AskAsync(string host, byte[] buffer)
                {
                    using var client = new TcpClient(host, 25);
                    var stream = client.GetStream();
                    var first = await stream.ReadAsync(buffer.AsMemory()).AsTask().WaitAsync(TimeSpan.FromSeconds(5));
                    var read = stream.ReadAsync(buffer, 0, buffer.Length);
                    if (await Task.WhenAny(read, Task.Delay(1000)) != read)
                    {
                        return -1;
                    }

                    return first + await read;
                }
            }
            """);

    // Whoever holds the object may close it to end the wait, or set its timeout where it is configured.
    [Fact]
    public Task AnObjectSomethingElseCanReach_IsNotReported()
        => Verify("""
            class Connection
            {
                private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp);

                int FromField(byte[] buffer) => _socket.Receive(buffer);

                Task<int> FromParameter(NetworkStream stream, byte[] buffer) => stream.ReadAsync(buffer, 0, buffer.Length);

                async Task<int> ClosedByATimer(string host, byte[] buffer)
                {
                    using var client = new TcpClient(host, 25);
                    using var watchdog = new Timer(_ => client.Close(), null, 5000, Timeout.Infinite);
                    return await client.GetStream().ReadAsync(buffer, 0, buffer.Length);
                }

                async Task<int> HandedOn(string host, byte[] buffer)
                {
                    var client = new TcpClient(host, 25);
                    Track(client);
                    return await client.GetStream().ReadAsync(buffer, 0, buffer.Length);
                }

                async Task<int> Copied(string host, byte[] buffer)
                {
                    var client = new TcpClient(host, 25);
                    var kept = client;
                    return await client.GetStream().ReadAsync(buffer, 0, buffer.Length);
                }

                void Track(TcpClient client) { }
            }
            """);

    // RULES.md: "a server's accept loop" is not flagged; neither are HTTP calls, files or the console.
    [Fact]
    public Task AcceptLoops_Http_FilesAndConsole_AreNotReported()
        => Verify("""
            class Server
            {
                void Listen(EndPoint endpoint)
                {
                    using var listening = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    listening.Bind(endpoint);
                    listening.Listen(100);
                    while (true)
                    {
                        var connection = listening.Accept();
                        connection.Dispose();
                    }
                }

                async Task<string> Others(string path, byte[] buffer)
                {
                    using var http = new HttpClient();
                    var page = await http.GetStringAsync("https://example.com/");
                    using var file = File.OpenRead(path);
                    await file.ReadAsync(buffer, 0, buffer.Length);
                    return page + Console.ReadLine();
                }
            }
            """);

    // A UDP socket's Connect only records the peer (used to learn the local address), and its Send waits for no answer;
    // a receive still waits for a datagram that may never come.
    [Fact]
    public Task ADatagramSocketsConnectAndSend_AreNotWaits_ItsReceiveIs()
        => Verify("""
            class Addresses
            {
                EndPoint? Local(byte[] buffer)
                {
                    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, 0);
                    socket.Connect("8.8.8.8", 65530);
                    socket.Send(buffer);
                    return socket.LocalEndPoint;
                }

                int Query(EndPoint server, byte[] buffer)
                {
                    using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                    socket.SendTo(buffer, server);
                    return socket.{|RES012:Receive|}(buffer);
                }
            }
            """);

    [Fact]
    public Task TheEventArgsPattern_IsNotAWait()
        => Verify("""
            class Probe
            {
                bool Start(EndPoint endpoint, SocketAsyncEventArgs args)
                {
                    var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    return socket.ReceiveAsync(args);
                }
            }
            """);

    [Fact]
    public Task TestProjects_AreSkipped_UnlessAsked()
        => Task.WhenAll(
            VerifyInTestProject(reported: false, editorConfig: null),
            VerifyInTestProject(reported: true, editorConfig: "[*.cs]\nresilience_analyzers.analyze_test_code = true\n"));

    private static Task VerifyInTestProject(bool reported, string? editorConfig)
    {
        var call = reported ? "{|RES012:Receive|}" : "Receive";
        var test = new CSharpAnalyzerVerifier<ResilienceAnalyzers.Timeouts.TimeoutAnalyzer>.Test
        {
            TestLibraries = TestLibraries.None,
            TestCode = Usings + "namespace Xunit { public sealed class FactAttribute : Attribute { } }\n" + $$"""
                class ProbeTests
                {
                    int Ask(EndPoint endpoint, byte[] buffer)
                    {
                        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                        socket.{{(reported ? "{|RES012:Connect|}" : "Connect")}}(endpoint);
                        return socket.{{call}}(buffer);
                    }
                }
                """,
        };
        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", editorConfig));
        }

        return test.RunAsync();
    }

    [Fact]
    public Task TheMessage_SaysWhatIsMissing()
        => CSharpAnalyzerVerifier<ResilienceAnalyzers.Timeouts.TimeoutAnalyzer>.VerifyAnalyzerAsync(
            Usings + """
            class Probe
            {
                async Task<int> AskAsync(EndPoint endpoint, byte[] buffer)
                {
                    using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    socket.Connect(endpoint);
                    return await socket.ReceiveAsync(buffer, SocketFlags.None, CancellationToken.None);
                }
            }
            """,
            TestLibraries.None,
            editorConfig: null,
            CSharpAnalyzerVerifier<ResilienceAnalyzers.Timeouts.TimeoutAnalyzer>.Diagnostic("RES012").WithSpan(16, 16, 16, 23)
                .WithArguments("Connect", "socket", "no timeout set on 'socket'"),
            CSharpAnalyzerVerifier<ResilienceAnalyzers.Timeouts.TimeoutAnalyzer>.Diagnostic("RES012").WithSpan(17, 29, 17, 41)
                .WithArguments("ReceiveAsync", "socket", "a cancellation token that never cancels"));
}
