using ResilienceAnalyzers.CodeFixes.Endpoints;
using ResilienceAnalyzers.Tests.Verifiers;
using Fix = ResilienceAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<ResilienceAnalyzers.Endpoints.EndpointAnalyzer, ResilienceAnalyzers.CodeFixes.Endpoints.PooledConnectionLifetimeCodeFixProvider>;

namespace ResilienceAnalyzers.Tests.Endpoints;

/// <summary>RES021 fixes, one diagnostic at a time and through Fix All (the verifier runs both).</summary>
public sealed class LongLivedHttpClientFixTests
{
    private static Task Verify(string source, string fixedSource)
        => Fix.VerifyCodeFixAsync(source, fixedSource, TestLibraries.HttpResilience, equivalenceKey: PooledConnectionLifetimeCodeFixProvider.PooledConnectionLifetimeKey);

    /// <summary>The diagnostics stay and no code action is offered.</summary>
    private static Task VerifyNoFix(string source) => Verify(source, source);

    [Fact]
    public Task NewHttpClient_GetsSocketsHandler_AndUsingSystem()
        => Verify(
            """
            using System.Net.Http;

            static class Api
            {
                private static readonly HttpClient Client = {|RES021:new HttpClient()|};
                private static readonly HttpClient Implicit = {|RES021:new()|};
            }
            """,
            """
            using System;
            using System.Net.Http;

            static class Api
            {
                private static readonly HttpClient Client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
                private static readonly HttpClient Implicit = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
            }
            """);

    [Fact]
    public Task ClientInitializer_IsKept()
        => Verify(
            """
            using System;
            using System.Net.Http;

            static class Api
            {
                // The one client of the process.
                public static HttpClient Client { get; } = {|RES021:new HttpClient
                {
                    BaseAddress = new Uri("https://api.example.com/"),
                    Timeout = TimeSpan.FromSeconds(30),
                }|};
            }
            """,
            """
            using System;
            using System.Net.Http;

            static class Api
            {
                // The one client of the process.
                public static HttpClient Client { get; } = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
                {
                    BaseAddress = new Uri("https://api.example.com/"),
                    Timeout = TimeSpan.FromSeconds(30),
                };
            }
            """);

    [Fact]
    public Task HttpClientHandler_BecomesSocketsHandler_CarryingSettings()
        => Verify(
            """
            using System.Net;
            using System.Net.Http;

            static class Api
            {
                private static readonly HttpClient Client = {|RES021:new HttpClient(new HttpClientHandler
                {
                    AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                    AllowAutoRedirect = false,
                    MaxConnectionsPerServer = 50,
                    UseCookies = false,
                }, disposeHandler: true)|};

                private static readonly HttpClient Short = {|RES021:new HttpClient(new HttpClientHandler { UseProxy = false })|};
            }
            """,
            """
            using System;
            using System.Net;
            using System.Net.Http;

            static class Api
            {
                private static readonly HttpClient Client = new HttpClient(new SocketsHttpHandler
                {
                    AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
                    AllowAutoRedirect = false,
                    MaxConnectionsPerServer = 50,
                    UseCookies = false,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                }, disposeHandler: true);

                private static readonly HttpClient Short = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
            }
            """);

    [Fact]
    public Task SocketsHandler_GetsTheLifetime()
        => Verify(
            """
            using System;
            using System.Net.Http;
            using System.Threading;

            sealed class Gateway
            {
                public static readonly Gateway Instance = new Gateway();

                private readonly HttpClient _bare = {|RES021:new HttpClient(new SocketsHttpHandler())|};
                private readonly HttpClient _infinite = {|RES021:new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan })|};
                private readonly HttpClient _settings = {|RES021:new HttpClient(new SocketsHttpHandler
                {
                    MaxConnectionsPerServer = 10
                })|};
            }
            """,
            """
            using System;
            using System.Net.Http;
            using System.Threading;

            sealed class Gateway
            {
                public static readonly Gateway Instance = new Gateway();

                private readonly HttpClient _bare = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
                private readonly HttpClient _infinite = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
                private readonly HttpClient _settings = new HttpClient(new SocketsHttpHandler
                {
                    MaxConnectionsPerServer = 10,
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2)
                });
            }
            """);

    [Fact]
    public Task SharedStaticHandler_GetsTheLifetime()
        => Verify(
            """
            using System.Net.Http;

            static class Api
            {
                private static readonly SocketsHttpHandler Handler = new SocketsHttpHandler();

                public static HttpClient Create() => {|RES021:new HttpClient(Handler, disposeHandler: false)|};
            }
            """,
            """
            using System;
            using System.Net.Http;

            static class Api
            {
                private static readonly SocketsHttpHandler Handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) };

                public static HttpClient Create() => new HttpClient(Handler, disposeHandler: false);
            }
            """);

    [Fact]
    public Task InfiniteFactoryLifetime_BecomesTwoMinutes()
        => Verify(
            """
            using System.Threading;
            using Microsoft.Extensions.DependencyInjection;

            static class Registration
            {
                public static void Add(IServiceCollection services)
                {
                    services.AddHttpClient("catalog").SetHandlerLifetime({|RES021:Timeout.InfiniteTimeSpan|});
                }
            }
            """,
            """
            using System;
            using System.Threading;
            using Microsoft.Extensions.DependencyInjection;

            static class Registration
            {
                public static void Add(IServiceCollection services)
                {
                    services.AddHttpClient("catalog").SetHandlerLifetime(TimeSpan.FromMinutes(2));
                }
            }
            """);

    [Fact]
    public Task SettingsWithoutCounterpart_GetNoFix()
        => VerifyNoFix(
            """
            using System.Net.Http;
            using System.Security.Authentication;

            static class Api
            {
                private static readonly HttpClient Callback = {|RES021:new HttpClient(new HttpClientHandler
                {
                    ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator,
                })|};

                private static readonly HttpClient Certificates = {|RES021:new HttpClient(new HttpClientHandler { ClientCertificateOptions = ClientCertificateOption.Manual })|};

                private static readonly HttpClient Protocols = {|RES021:new HttpClient(new HttpClientHandler { SslProtocols = SslProtocols.Tls12 })|};
            }
            """);

    [Fact]
    public Task HandlerLocalOfHttpClientHandler_GetsNoFix()
        => VerifyNoFix(
            """
            using System.Net.Http;

            static class Api
            {
                private static readonly HttpClient Client;

                static Api()
                {
                    var handler = new HttpClientHandler();
                    Client = {|RES021:new HttpClient(handler)|};
                }
            }
            """);
}
