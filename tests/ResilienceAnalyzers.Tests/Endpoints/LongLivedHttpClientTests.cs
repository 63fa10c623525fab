using ResilienceAnalyzers.Tests.Verifiers;
using Analyzer = ResilienceAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<ResilienceAnalyzers.Endpoints.EndpointAnalyzer>;

namespace ResilienceAnalyzers.Tests.Endpoints;

/// <summary>RES021: process-lived clients and handlers without a finite connection lifetime, and what stays silent.</summary>
public sealed class LongLivedHttpClientTests
{
    private static Task Verify(string source, string? editorConfig = null)
        => Analyzer.VerifyAnalyzerAsync(source, TestLibraries.HttpResilience, editorConfig);

    [Fact]
    public Task StaticField_NewHttpClient()
        => Verify("""
            using System.Net.Http;

            static class Api
            {
                private static readonly HttpClient Client = {|RES021:new HttpClient()|};
                private static readonly HttpClient Implicit = {|RES021:new()|};
            }
            """);

    [Fact]
    public Task StaticProperty_WithHttpClientHandler()
        => Verify("""
            using System;
            using System.Net;
            using System.Net.Http;

            static class Api
            {
                public static HttpClient Client { get; } = {|RES021:new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.All })
                {
                    BaseAddress = new Uri("https://api.example.com/"),
                }|};
            }
            """);

    // A base address on this machine resolves no name: there is no DNS answer to keep. A named host does.
    [Fact]
    public Task StaticClientWithALoopbackBaseAddress_HasNoDnsToRefresh()
        => Verify("""
            using System;
            using System.Net.Http;

            static class SampleClient
            {
                private const string Api = "https://localhost:5005/";
                private static readonly HttpClient Local = new HttpClient { BaseAddress = new Uri(Api) };
                private static readonly HttpClient Loopback = new HttpClient { BaseAddress = new Uri("http://127.0.0.1:8080/") };
                private static readonly HttpClient Remote = {|RES021:new HttpClient { BaseAddress = new Uri("https://api.example.com/") }|};
            }
            """);

    [Fact]
    public Task StaticConstructorAssignment_AndLazyInitialization()
        => Verify("""
            using System.Net.Http;

            class Api
            {
                private static readonly HttpClient Client;
                private static HttpClient _lazy;

                static Api()
                {
                    Client = {|RES021:new HttpClient()|};
                }

                static HttpClient Get() => _lazy ??= {|RES021:new HttpClient()|};
            }
            """);

    [Fact]
    public Task LazyStaticClient()
        => Verify("""
            using System;
            using System.Net.Http;

            static class Api
            {
                private static readonly Lazy<HttpClient> Client = new(() => {|RES021:new HttpClient()|});
            }
            """);

    [Fact]
    public Task SocketsHttpHandlerWithoutLifetime_OrInfinite()
        => Verify("""
            using System;
            using System.Net.Http;
            using System.Threading;

            static class Api
            {
                private static readonly HttpClient NoLifetime = {|RES021:new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 20 })|};
                private static readonly HttpClient Infinite = {|RES021:new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Timeout.InfiniteTimeSpan })|};
                private static readonly HttpClient Max = {|RES021:new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.MaxValue }, disposeHandler: false)|};
            }
            """);

    [Fact]
    public Task InstanceFieldOfSingleton()
        => Verify("""
            using System.Net.Http;

            sealed class WeatherClient
            {
                public static WeatherClient Instance { get; } = new WeatherClient();

                private readonly HttpClient _http = {|RES021:new HttpClient()|};
                private readonly HttpClient _other;

                private WeatherClient()
                {
                    _other = {|RES021:new HttpClient(new HttpClientHandler())|};
                }
            }
            """);

    [Fact]
    public Task InstanceFieldOfHostedService()
        => Verify("""
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.Hosting;

            sealed class Poller : BackgroundService
            {
                private readonly HttpClient _http = {|RES021:new HttpClient()|};

                protected override async Task ExecuteAsync(CancellationToken stoppingToken)
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        await _http.GetStringAsync("https://status.example.com/", stoppingToken);
                        await Task.Delay(60000, stoppingToken);
                    }
                }
            }
            """);

    [Fact]
    public Task SingletonRegistration()
        => Verify("""
            using System.Net.Http;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.DependencyInjection.Extensions;

            static class Registration
            {
                public static void Add(IServiceCollection services)
                {
                    services.AddSingleton({|RES021:new HttpClient()|});
                    services.AddSingleton(_ => {|RES021:new HttpClient(new HttpClientHandler())|});
                    services.TryAddSingleton({|RES021:new HttpClient()|});
                    services.AddScoped(_ => new HttpClient());
                }
            }
            """);

    [Fact]
    public Task BlazorWebAssembly_IsSkipped()
        => Verify("""
            using System.Net.Http;

            static class Api
            {
                public static readonly HttpClient Client = new HttpClient();
            }

            namespace Microsoft.AspNetCore.Components.WebAssembly.Hosting
            {
                public sealed class WebAssemblyHostBuilder { }
            }
            """);

    [Fact]
    public Task SharedStaticHandler_UsedPerRequest()
        => Verify("""
            using System.Net.Http;
            using System.Threading.Tasks;

            static class Api
            {
                private static readonly HttpClientHandler Handler = new HttpClientHandler();
                private static readonly SocketsHttpHandler Sockets = new SocketsHttpHandler();

                public static async Task<string> Get(string url)
                {
                    using var client = {|RES021:new HttpClient(Handler, disposeHandler: false)|};
                    return await client.GetStringAsync(url);
                }

                public static HttpClient Other() => {|RES021:new HttpClient(Sockets, false)|};
            }
            """);

    [Fact]
    public Task DelegatingHandlerChain_IsJudgedByItsPrimaryHandler()
        => Verify("""
            using System;
            using System.Net.Http;

            class Logging : DelegatingHandler
            {
                public Logging() { }
                public Logging(HttpMessageHandler inner) : base(inner) { }
            }

            static class Api
            {
                private static readonly HttpClient Bad = {|RES021:new HttpClient(new Logging { InnerHandler = new HttpClientHandler() })|};
                private static readonly HttpClient Good = new HttpClient(new Logging(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }));
                private static readonly HttpClient Unknown = new HttpClient(new Logging());
            }
            """);

    [Fact]
    public Task HandlerLocal_InStaticConstructor()
        => Verify("""
            using System;
            using System.Net.Http;

            static class Api
            {
                private static readonly HttpClient Good;
                private static readonly HttpClient Bad;

                static Api()
                {
                    var handler = new SocketsHttpHandler();
                    handler.PooledConnectionLifetime = TimeSpan.FromMinutes(5);
                    Good = new HttpClient(handler);

                    var plain = new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.All };
                    Bad = {|RES021:new HttpClient(plain)|};
                }
            }
            """);

    [Fact]
    public Task SetHandlerLifetimeInfinite()
        => Verify("""
            using System;
            using System.Threading;
            using Microsoft.Extensions.DependencyInjection;

            static class Registration
            {
                public static void Add(IServiceCollection services)
                {
                    services.AddHttpClient("catalog").SetHandlerLifetime({|RES021:Timeout.InfiniteTimeSpan|});
                    services.AddHttpClient("orders")
                        .ConfigurePrimaryHttpMessageHandler(() => new System.Net.Http.HttpClientHandler())
                        .SetHandlerLifetime({|RES021:Timeout.InfiniteTimeSpan|});
                    services.Configure<Microsoft.Extensions.Http.HttpClientFactoryOptions>("x", o => o.HandlerLifetime = {|RES021:Timeout.InfiniteTimeSpan|});
                }
            }
            """);

    // Every spelling of an infinite lifetime is judged at the write: a -1 inside FromMilliseconds, TimeSpan.MaxValue,
    // an object initializer. A lifetime read from configuration is not known to be infinite.
    [Fact]
    public Task InfiniteHandlerLifetimeSpellings()
        => Verify("""
            using System;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Http;

            static class Registration
            {
                public static void Add(IServiceCollection services, TimeSpan configured)
                {
                    services.AddHttpClient("a").SetHandlerLifetime({|RES021:TimeSpan.FromMilliseconds(-1)|});
                    services.AddHttpClient("b").SetHandlerLifetime({|RES021:TimeSpan.MaxValue|});
                    services.AddHttpClient("c").SetHandlerLifetime(configured);
                    services.AddHttpClient("d").SetHandlerLifetime(TimeSpan.FromMilliseconds(1));
                    var options = new HttpClientFactoryOptions { HandlerLifetime = {|RES021:TimeSpan.FromMilliseconds(-1)|} };
                }
            }
            """);

    [Fact]
    public Task FactoryClients_AreSilent()
        => Verify("""
            using System;
            using System.Net.Http;
            using System.Threading;
            using Microsoft.Extensions.DependencyInjection;

            static class Registration
            {
                public static void Add(IServiceCollection services)
                {
                    services.AddHttpClient("catalog").SetHandlerLifetime(TimeSpan.FromMinutes(5));
                    services.AddHttpClient("pinned")
                        .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
                        .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
                    services.AddHttpClient("primary").ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler());
                }
            }

            class Catalog
            {
                private static HttpClient _shared;
                private readonly HttpClient _injected;
                private readonly HttpClient _fromFactory;

                public Catalog(HttpClient injected, IHttpClientFactory factory)
                {
                    _injected = injected;
                    _fromFactory = factory.CreateClient("catalog");
                    _shared = factory.CreateClient();
                }
            }
            """);

    [Fact]
    public Task FiniteLifetimes_AreSilent()
        => Verify("""
            using System;
            using System.Net.Http;

            class Api
            {
                private static readonly HttpClient Inline = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
                private static readonly SocketsHttpHandler Shared = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) };
                private static readonly SocketsHttpHandler Later = new SocketsHttpHandler();
                private static readonly HttpClient Configured = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = Settings.Lifetime });

                static Api()
                {
                    Later.PooledConnectionLifetime = TimeSpan.FromMinutes(3);
                }

                HttpClient A() => new HttpClient(Shared, false);
                HttpClient B() => new HttpClient(Later, false);
            }

            static class Settings
            {
                public static TimeSpan Lifetime { get; set; }
            }
            """);

    [Fact]
    public Task LocalAndPerInstanceClients_AreSilent()
        => Verify("""
            using System.Net.Http;
            using System.Threading.Tasks;

            class Service
            {
                private readonly HttpClient _client = new HttpClient();
                private readonly HttpMessageHandler _handler = new HttpClientHandler();

                public async Task<string> Get(string url)
                {
                    // RES022's, not RES021's: made for one call and dropped.
                    using var client = {|RES022:new HttpClient()|};
                    using var other = new HttpClient(_handler, false);
                    return await client.GetStringAsync(url);
                }

                public static HttpClient Create() => new HttpClient();
                public static HttpClient PerCall => new HttpClient();
            }
            """);

    [Fact]
    public Task HandlerFromParameterOrFactoryMethod_IsSilent()
        => Verify("""
            using System.Net.Http;

            static class Api
            {
                private static readonly HttpClient FromMethod = new HttpClient(CreateHandler());

                private static HttpMessageHandler CreateHandler() => new SocketsHttpHandler();

                public static HttpClient Wrap(HttpMessageHandler handler) => new HttpClient(handler);
            }
            """);

    [Fact]
    public Task TestProjects_AreSkippedByDefault()
        => Verify("""
            using System.Net.Http;

            static class Fixture
            {
                public static readonly HttpClient Client = new HttpClient();
            }

            namespace NUnit.Framework
            {
                public sealed class TestAttribute : System.Attribute { }
            }
            """);

    [Fact]
    public Task NoFactoryLibrary_StillSeesStaticClients()
        => Analyzer.VerifyAnalyzerAsync(
            """
            using System.Net.Http;

            static class Api
            {
                public static readonly HttpClient Client = {|RES021:new HttpClient()|};
            }
            """,
            TestLibraries.None,
            editorConfig: null);
}
