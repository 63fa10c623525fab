using System.Threading;
using ResilienceAnalyzers.Tests.Verifiers;
using Analyzer = ResilienceAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<ResilienceAnalyzers.Endpoints.EndpointAnalyzer>;

namespace ResilienceAnalyzers.Tests.Endpoints;

/// <summary>RES023: a DNS answer kept for the life of the process.</summary>
public sealed class KeptDnsAnswerTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Net;
        using System.Net.Http;
        using System.Net.Sockets;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private static Task Verify(string source, string? editorConfig = null)
        => Analyzer.VerifyAnalyzerAsync(Usings + source, TestLibraries.None, editorConfig);

    [Fact]
    public Task AnAnswerInAStaticMember_IsReported()
        => Verify("""
            static class Gateway
            {
                private static readonly IPAddress[] Addresses = {|RES023:Dns.GetHostAddresses("db.example.com")|};
                public static IPEndPoint Endpoint { get; } = new IPEndPoint({|RES023:Dns.GetHostEntry("api.example.com")|}.AddressList[0], 443);
                private static readonly IPAddress Primary;
                private static readonly Lazy<IPAddress> Cache = new(() => {|RES023:Dns.GetHostAddresses("cache.example.com")|}.First(a => a.AddressFamily == AddressFamily.InterNetwork));

                static Gateway()
                {
                    var entry = {|RES023:Dns.GetHostEntry("primary.example.com")|};
                    var address = entry.AddressList.FirstOrDefault();
                    Primary = address!;
                }
            }
            """);

    [Fact]
    public Task AnAnswerInASingletonsField_IsReported_AsyncToo()
        => Verify("""
            sealed class Telemetry
            {
                public static Telemetry Instance { get; } = new Telemetry("collector.example.com");

                private readonly IPEndPoint _collector;
                private IPAddress? _fallback;

                private Telemetry(string host)
                {
                    _collector = new IPEndPoint({|RES023:Dns.GetHostAddresses(host)|}[0], 4317);
                }

                public async Task WarmAsync(string host)
                {
                    if (_fallback == null)
                    {
                        _fallback = (await {|RES023:Dns.GetHostAddressesAsync(host)|}.ConfigureAwait(false))[0];
                    }
                }
            }
            """);

    [Fact]
    public Task DnsRefreshTimeoutMinusOne_IsReported()
        => Verify("""
            static class Setup
            {
                static void Apply()
                {
                    {|RES023:ServicePointManager.DnsRefreshTimeout = -1|};
                    {|RES023:ServicePointManager.DnsRefreshTimeout = Timeout.Infinite|};
                    ServicePointManager.DnsRefreshTimeout = 60_000;
                    ServicePointManager.DnsRefreshTimeout = 1;
                }
            }
            """);

    // The write is judged by the constant it writes, however it is spelled: a named constant is still -1.
    [Fact]
    public Task DnsRefreshTimeoutFromANamedConstant_IsReported()
        => Verify("""
            static class Setup
            {
                const int KeepForever = -1;

                static void Apply(int configured)
                {
                    const int never = -1;
                    {|RES023:ServicePointManager.DnsRefreshTimeout = never|};
                    {|RES023:ServicePointManager.DnsRefreshTimeout = (KeepForever)|};
                    ServicePointManager.DnsRefreshTimeout = configured;
                    ServicePointManager.DnsRefreshTimeout = -KeepForever;
                }
            }
            """);

    // RULES.md: "resolved once before a reconnect loop and reused on every reconnect".
    [Fact]
    public Task AnAnswerReusedByAReconnectLoop_IsReported()
        => Verify("""
            sealed class Feed
            {
                async Task RunAsync(string host, CancellationToken token)
                {
                    var addresses = await {|RES023:Dns.GetHostAddressesAsync(host, token)|};
                    var endpoint = new IPEndPoint(addresses[0], 9000);
                    while (!token.IsCancellationRequested)
                    {
                        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                        try
                        {
                            await socket.ConnectAsync(endpoint, token);
                            await ReadAllAsync(socket, token);
                        }
                        catch (SocketException)
                        {
                            await Task.Delay(1000, token);
                        }
                    }
                }

                void Run(string host)
                {
                    var entry = {|RES023:Dns.GetHostEntry(host)|};
                    for (;;)
                    {
                        var client = new TcpClient();
                        try
                        {
                            client.Connect(entry.AddressList, 9000);
                            return;
                        }
                        catch (SocketException)
                        {
                            Thread.Sleep(1000);
                        }
                    }
                }

                Task ReadAllAsync(Socket socket, CancellationToken token) => Task.CompletedTask;
            }
            """);

    [Fact]
    public Task AConnectCallbackOnAnAnswerResolvedOutsideIt_IsReported()
        => Verify("""
            sealed class Transport
            {
                HttpClient Create(string host)
                {
                    var addresses = {|RES023:Dns.GetHostAddresses(host)|};
                    var handler = new SocketsHttpHandler
                    {
                        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                        ConnectCallback = async (context, token) =>
                        {
                            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, token);
                            return new NetworkStream(socket, ownsSocket: true);
                        },
                    };
                    return new HttpClient(handler);
                }

                HttpClient Fresh()
                {
                    var handler = new SocketsHttpHandler
                    {
                        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                        ConnectCallback = async (context, token) =>
                        {
                            var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, token);
                            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, token);
                            return new NetworkStream(socket, ownsSocket: true);
                        },
                    };
                    return new HttpClient(handler);
                }
            }
            """);

    // RULES.md: "Not flagged: per-call resolution, IP literals, loopback."
    [Fact]
    public Task PerCallResolution_IsNotReported()
        => Verify("""
            sealed class Client
            {
                private IPAddress[]? _last;

                async Task SendAsync(string host, byte[] payload, CancellationToken token)
                {
                    var addresses = await Dns.GetHostAddressesAsync(host, token);
                    using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    await socket.ConnectAsync(addresses, 443, token);
                    await socket.SendAsync(payload, SocketFlags.None, token);
                }

                void Remember(string host) => _last = Dns.GetHostAddresses(host);

                async Task ReconnectAsync(string host, CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        var addresses = await Dns.GetHostAddressesAsync(host, token);
                        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                        try
                        {
                            await socket.ConnectAsync(addresses, 443, token);
                        }
                        catch (SocketException)
                        {
                            await Task.Delay(1000, token);
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task IpLiteralsLoopbackAndThisMachine_AreNotReported()
        => Verify("""
            static class Local
            {
                private static readonly IPAddress Literal = IPAddress.Parse("10.0.0.1");
                private static readonly IPAddress Loopback = IPAddress.Loopback;
                private static readonly IPAddress[] Localhost = Dns.GetHostAddresses("localhost");
                private static readonly IPAddress[] Numeric = Dns.GetHostAddresses("192.168.1.10");
                private static readonly IPAddress[] Empty = Dns.GetHostAddresses(string.Empty);
                private static readonly IPHostEntry Own = Dns.GetHostEntry(Dns.GetHostName());
                private static readonly IPAddress[] Machine = Dns.GetHostAddresses(Environment.MachineName);
                private static readonly string HostName = Dns.GetHostName();
                private static readonly IPHostEntry Reverse = Dns.GetHostEntry(IPAddress.Parse("10.0.0.1"));
                private static readonly IPAddress[] Mine;

                static Local()
                {
                    var name = Dns.GetHostName();
                    Mine = Dns.GetHostAddresses(name);
                }
            }
            """);

    // A member written again after its first value is refreshed: a cache with an expiry, a reset on failure.
    [Fact]
    public Task AnAnswerThatIsRefreshed_IsNotReported()
        => Verify("""
            sealed class Resolver
            {
                private static IPAddress[]? _addresses;
                private static DateTime _expires;
                private static IPAddress[]? _reset;

                public static IPAddress[] Get(string host)
                {
                    if (_addresses == null || DateTime.UtcNow > _expires)
                    {
                        _addresses = Dns.GetHostAddresses(host);
                        _expires = DateTime.UtcNow.AddMinutes(1);
                    }

                    return _addresses;
                }

                public static IPAddress[] Once(string host)
                {
                    if (_reset == null)
                    {
                        _reset = Dns.GetHostAddresses(host);
                    }

                    return _reset;
                }

                public static void OnFailure() => _reset = null;
            }
            """);

    // Every write of the member counts, wherever it is: a constructor's local function or lambda may run again after
    // construction, and a part of the type in another file writes it as surely as this one.
    [Fact]
    public Task AWriteThatMayRunAgain_InAFunctionOrAnotherPart_IsNotWrittenOnce()
    {
        var test = new Analyzer.Test { TestLibraries = TestLibraries.None };
        test.TestState.Sources.Add(Usings + """
            sealed partial class Directory
            {
                public static Directory Instance { get; } = new Directory("dir.example.com");

                private readonly IPAddress[] _kept;
                private IPAddress[] _refreshed;
                private IPAddress[] _reloaded;

                private Directory(string host)
                {
                    _kept = {|RES023:Dns.GetHostAddresses(host)|};
                    _refreshed = Dns.GetHostAddresses(host);
                    _reloaded = Dns.GetHostAddresses(host);
                    Refresh = () => Reload();

                    void Reload() => _refreshed = Dns.GetHostAddresses(host);
                }

                public Action Refresh { get; }
            }
            """);
        test.TestState.Sources.Add("""
            partial class Directory
            {
                public void OnFailure(string host) => _reloaded = System.Net.Dns.GetHostAddresses(host);
            }
            """);
        return test.RunAsync(CancellationToken.None);
    }

    // What cannot be followed is not reported: another type may write a public member, a helper may refresh, an
    // instance field of an ordinary object lives as long as its object.
    [Fact]
    public Task WhatCannotBeSeen_IsNotReported()
        => Verify("""
            public static class Shared
            {
                public static IPAddress[]? Addresses = Dns.GetHostAddresses("db.example.com");
                private static readonly List<IPAddress> Known = new();

                static Shared()
                {
                    Known.AddRange(Dns.GetHostAddresses("db.example.com"));
                    Keep(Dns.GetHostAddresses("other.example.com"));
                }

                static void Keep(IPAddress[] addresses) { }
            }

            sealed class Connection
            {
                private readonly IPEndPoint _endpoint;

                public Connection(string host) => _endpoint = new IPEndPoint(Dns.GetHostAddresses(host)[0], 80);

                static IPAddress[] Lookup(string host) => Dns.GetHostAddresses(host);
            }

            static class Instance
            {
                private static IPAddress[]? _set;

                static void Set(string host) => _set = Dns.GetHostAddresses(host);
            }
            """);

    // A loop that does not go round after the connect fails, or that connects to each answer once, is no reconnect loop.
    [Fact]
    public Task LoopsThatAreNotReconnects_AreNotReported()
        => Verify("""
            sealed class Probe
            {
                void TryEach(string host)
                {
                    var addresses = Dns.GetHostAddresses(host);
                    foreach (var address in addresses)
                    {
                        using var client = new TcpClient();
                        client.Connect(address, 80);
                    }
                }

                // Each answer tried once in turn, the next one on failure: failover over the answers, not a reconnect.
                void NextOnFailure(string host)
                {
                    var addresses = Dns.GetHostAddresses(host);
                    for (var i = 0; i < addresses.Length; i++)
                    {
                        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                        try
                        {
                            socket.Connect(addresses[i], 25);
                            return;
                        }
                        catch (SocketException)
                        {
                            socket.Dispose();
                        }
                    }
                }

                void Until(string host)
                {
                    var entry = Dns.GetHostEntry(host);
                    while (true)
                    {
                        using var client = new TcpClient();
                        try
                        {
                            client.Connect(entry.AddressList, 80);
                        }
                        catch (SocketException)
                        {
                            throw;
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task TestProjects_AreSkipped_UnlessAsked()
        => Analyzer.VerifyAnalyzerAsync(
            Usings + """
            namespace Xunit { public sealed class FactAttribute : Attribute { } }

            static class Fixture
            {
                private static readonly IPAddress[] Addresses = {|RES023:Dns.GetHostAddresses("db.example.com")|};
            }
            """,
            TestLibraries.None,
            editorConfig: "resilience_analyzers.analyze_test_code = true");

    [Fact]
    public Task TestProjects_AreSkipped()
        => Analyzer.VerifyAnalyzerAsync(
            Usings + """
            namespace Xunit { public sealed class FactAttribute : Attribute { } }

            static class Fixture
            {
                private static readonly IPAddress[] Addresses = Dns.GetHostAddresses("db.example.com");
            }
            """,
            TestLibraries.None,
            editorConfig: null);
}
