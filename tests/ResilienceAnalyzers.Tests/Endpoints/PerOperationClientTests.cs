using ResilienceAnalyzers.Tests.Verifiers;
using Analyzer = ResilienceAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<ResilienceAnalyzers.Endpoints.EndpointAnalyzer>;

namespace ResilienceAnalyzers.Tests.Endpoints;

/// <summary>RES022: clients meant to live long, created for one operation and dropped after it.</summary>
public sealed class PerOperationClientTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private const TestLibraries Libraries = TestLibraries.Aws | TestLibraries.Cosmos | TestLibraries.Redis | TestLibraries.Grpc;

    private static Task Verify(string source, string? editorConfig = null)
        => Analyzer.VerifyAnalyzerAsync(Usings + source, Libraries, editorConfig);

    [Fact]
    public Task AnHttpClientPerCall_IsReported_InlineOrThroughALocal()
        => Verify("""
            class Prices
            {
                async Task<string> GetAsync(string url)
                {
                    using var client = {|RES022:new HttpClient()|};
                    client.Timeout = TimeSpan.FromSeconds(10);
                    return await client.GetStringAsync(url);
                }

                Task<string> Once(string url) => {|RES022:new HttpClient()|}.GetStringAsync(url);

                async Task<string> Old(string url)
                {
                    using (var client = {|RES022:new HttpClient(new HttpClientHandler { UseCookies = false })|})
                    {
                        return await client.GetStringAsync(url);
                    }
                }
            }
            """);

    [Fact]
    public Task CloudRedisAndGrpcClientsPerCall_AreReported()
        => Verify("""
            using Amazon.DynamoDBv2;
            using Microsoft.Azure.Cosmos;
            using StackExchange.Redis;
            using Grpc.Net.Client;

            class Store
            {
                async Task<int> CountAsync(string table)
                {
                    using var dynamo = {|RES022:new AmazonDynamoDBClient()|};
                    var described = await dynamo.DescribeTableAsync(table);
                    return (int)(described.Table.ItemCount ?? 0);
                }

                async Task<string?> CachedAsync(string key)
                {
                    using var redis = await {|RES022:ConnectionMultiplexer.ConnectAsync("cache:6379")|}.ConfigureAwait(false);
                    return await redis.GetDatabase().StringGetAsync(key);
                }

                string Target(string address)
                {
                    using var channel = {|RES022:GrpcChannel.ForAddress(address)|};
                    return channel.Target;
                }

                async Task ReadAsync(string connection)
                {
                    using var cosmos = {|RES022:new CosmosClient(connection)|};
                    await cosmos.ReadAccountAsync();
                }
            }
            """);

    // A part of the client that leaves the method (a Redis database, a Cosmos container) keeps the client in use.
    [Fact]
    public Task AClientWhosePartLeavesTheMethod_IsNotReported()
        => Verify("""
            using Microsoft.Azure.Cosmos;
            using StackExchange.Redis;

            class Connections
            {
                private Container? _orders;

                async Task<IDatabase> OpenAsync(string endpoint)
                {
                    var muxer = await ConnectionMultiplexer.ConnectAsync(endpoint);
                    return muxer.GetDatabase();
                }

                void Bind(string connection)
                {
                    var cosmos = new CosmosClient(connection);
                    var container = cosmos.GetContainer("shop", "orders");
                    _orders = container;
                }

                async Task<string> LengthAsync(string connection)
                {
                    using var cosmos = {|RES022:new CosmosClient(connection)|};
                    var container = cosmos.GetContainer("shop", "orders");
                    return container.Id + (await cosmos.ReadAccountAsync()).Id;
                }
            }
            """);

    // A channel over a client or handler made elsewhere sends over its connections, as a shared handler does.
    [Fact]
    public Task AChannelOverASharedHttpClient_IsNotReported()
        => Verify("""
            using Grpc.Net.Client;

            class Runner
            {
                private readonly HttpClient _http;
                private readonly HttpMessageHandler _handler;

                public Runner(HttpClient http, HttpMessageHandler handler) => (_http, _handler) = (http, handler);

                string OverClient(string address)
                {
                    using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpClient = _http, DisposeHttpClient = false });
                    return channel.Target;
                }

                string OverHandler(string address)
                {
                    using var channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = _handler });
                    return channel.Target;
                }

                string OverClientThroughALocal(string address)
                {
                    var options = new GrpcChannelOptions { HttpClient = this._http, DisposeHttpClient = false };
                    using var channel = GrpcChannel.ForAddress(address, options);
                    return channel.Target;
                }

                string OverItsOwn(string address)
                {
                    using var channel = {|RES022:GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler() })|};
                    return channel.Target;
                }

                string OverItsOwnThroughALocal(string address)
                {
                    var options = new GrpcChannelOptions { HttpHandler = new SocketsHttpHandler() };
                    using var channel = {|RES022:GrpcChannel.ForAddress(address, options)|};
                    return channel.Target;
                }
            }
            """);

    // Whatever escapes may be the one long-lived instance; RES021 judges what is kept for the process.
    [Fact]
    public Task AClientThatEscapes_IsNotReported()
        => Verify("""
            class Factory
            {
                private HttpClient? _kept;
                private static readonly List<HttpClient> Pool = new();

                HttpClient Create() => new HttpClient();

                HttpClient CreateConfigured()
                {
                    var client = new HttpClient();
                    client.Timeout = TimeSpan.FromSeconds(5);
                    return client;
                }

                void Keep() => _kept = new HttpClient();

                void Register()
                {
                    var client = new HttpClient();
                    Pool.Add(client);
                }

                Task<string> HandedOn(string url) => Send(new HttpClient(), url);

                Task<string> Send(HttpClient client, string url) => client.GetStringAsync(url);
            }
            """);

    // RULES.md: not per operation: constructors, initializers, Main, factories, Lazy and singleton lambdas.
    [Fact]
    public Task CreationsThatRunOnce_AreNotReported()
        => Verify("""
            class Service
            {
                private readonly HttpClient _client;
                private static readonly Lazy<HttpClient> Shared = new(() => {|RES021:new HttpClient()|});
                private readonly HttpClient _field = new HttpClient();

                public Service()
                {
                    var client = new HttpClient();
                    _client = client;
                }

                static async Task Main(string[] args)
                {
                    using var client = new HttpClient();
                    Console.WriteLine(await client.GetStringAsync(args[0]));
                }

                void ConfigureServices()
                {
                    using var probe = new HttpClient();
                    probe.Timeout = TimeSpan.FromSeconds(1);
                }

                Func<HttpClient> Factory() => () => new HttpClient();
            }
            """);

    // A console program's or an example's steps run as it starts: how often cannot be told from the method.
    [Fact]
    public Task HelpersOfTheEntryPointsType_AreNotPerOperation()
        => Verify("""
            class Program
            {
                static async Task Main(string[] args) => await DownloadAsync(args[0]);

                static async Task<string> DownloadAsync(string url)
                {
                    var client = new HttpClient();
                    return await client.GetStringAsync(url);
                }
            }
            """);

    // A helper of the entry point's type that the type calls from a loop (a request loop in Main, a lambda inside it)
    // runs once per round: per operation. The same helper called once, outside any loop, is a step of the start.
    [Fact]
    public Task HelpersOfTheEntryPointsType_CalledFromALoop_ArePerOperation()
        => Verify("""
            class Program
            {
                static async Task Main(string[] args)
                {
                    Console.WriteLine(await VersionAsync(args[0]));
                    while (true)
                    {
                        var line = Console.ReadLine();
                        await Task.Run(async () => Console.WriteLine(await StarsAsync(line!)));
                    }
                }

                static async Task<string> StarsAsync(string repository)
                {
                    var client = {|RES022:new HttpClient()|};
                    return await client.GetStringAsync("https://api.example.com/repos/" + repository);
                }

                static async Task<string> VersionAsync(string url)
                {
                    var client = new HttpClient();
                    return await client.GetStringAsync(url);
                }
            }
            """);

    // Who calls a helper is read from every call the compilation makes (the index of uses), not from the entry point's
    // type alone: another type calling it from a loop makes it per operation; a call in a loop of another method that only
    // shares the helper's name does not.
    [Fact]
    public Task HelpersOfTheEntryPointsType_CalledFromALoopOfAnotherType_ArePerOperation_NameAlikesAreNot()
        => Verify("""
            class Program
            {
                static async Task Main(string[] args) => await new Poller().RunAsync(args[0]);

                internal static async Task<string> FetchAsync(string url)
                {
                    var client = {|RES022:new HttpClient()|};
                    return await client.GetStringAsync(url);
                }

                internal static async Task<string> Send(string url)
                {
                    var client = new HttpClient();
                    return await client.GetStringAsync(url);
                }
            }

            class Poller
            {
                private readonly Queue<string> _queue = new();

                public async Task RunAsync(string url)
                {
                    Console.WriteLine(await Program.Send(url));
                    for (var round = 0; round < 10; round++)
                    {
                        Console.WriteLine(await Program.FetchAsync(url));
                        Send(url);
                    }
                }

                void Send(string url) => _queue.Enqueue(url);
            }
            """);

    // A host or service-collection builder's extension method runs as the application is configured (StartupCode).
    [Fact]
    public Task AStartupBuildersExtensionMethod_IsNotPerOperation()
        => Analyzer.VerifyAnalyzerAsync(Usings + """
            using Microsoft.Extensions.DependencyInjection;

            static class CatalogRegistration
            {
                public static IServiceCollection AddCatalog(this IServiceCollection services, string probeUrl)
                {
                    using var probe = new HttpClient();
                    probe.GetStringAsync(probeUrl).GetAwaiter().GetResult();
                    return services;
                }

                public static string Describe(this string url)
                {
                    using var client = {|RES022:new HttpClient()|};
                    return client.GetStringAsync(url).GetAwaiter().GetResult();
                }
            }
            """, Libraries | TestLibraries.HttpResilience, editorConfig: null);

    // RULES.md: "a client created once before a batch loop and reused by it".
    [Fact]
    public Task AClientReusedByABatchLoop_IsNotReported_OneMadeInTheLoop_Is()
        => Verify("""
            class Batch
            {
                async Task PullAllAsync(IEnumerable<string> urls)
                {
                    using var client = new HttpClient();
                    foreach (var url in urls)
                    {
                        await client.GetStringAsync(url);
                    }
                }

                async Task PullEachAsync(IEnumerable<string> urls)
                {
                    foreach (var url in urls)
                    {
                        using var client = {|RES022:new HttpClient()|};
                        await client.GetStringAsync(url);
                    }
                }
            }
            """);

    // Main runs once, but a loop in it makes one client per item: per operation all the same.
    [Fact]
    public Task AClientMadeInALoopOfMain_IsReported()
        => Verify("""
            class Program
            {
                static async Task Main(string[] args)
                {
                    using var once = new HttpClient();
                    foreach (var url in args)
                    {
                        using var client = {|RES022:new HttpClient()|};
                        Console.WriteLine(await client.GetStringAsync(url) + await once.GetStringAsync(url));
                    }
                }

                static async Task ProbeAsync(string[] hosts)
                {
                    for (var i = 0; i < hosts.Length; i++)
                    {
                        var client = {|RES022:new HttpClient()|};
                        await client.GetStringAsync(hosts[i]);
                    }
                }
            }
            """);

    // A Minimal API handler runs once per request; other lambdas (factories, registrations) are not judged.
    [Fact]
    public Task AClientMadeInAMinimalApiHandler_IsReported()
        => Analyzer.VerifyAnalyzerAsync(
            Usings + """
            namespace Microsoft.AspNetCore.Builder
            {
                public interface IEndpointRouteBuilder { }

                public static class EndpointRouteBuilderExtensions
                {
                    public static object MapGet(this IEndpointRouteBuilder endpoints, string pattern, Delegate handler) => handler;
                    public static object MapPost(this IEndpointRouteBuilder endpoints, string pattern, Delegate handler) => handler;
                }
            }

            namespace App
            {
                using Microsoft.AspNetCore.Builder;

                class Endpoints
                {
                    static void Map(Microsoft.AspNetCore.Builder.IEndpointRouteBuilder app)
                    {
                        app.MapGet("/price", async (string sku) =>
                        {
                            using var client = {|RES022:new HttpClient()|};
                            return await client.GetStringAsync("https://prices.example/" + sku);
                        });

                        app.MapPost("/warm", async () =>
                        {
                            var client = new HttpClient();
                            Func<Task<string>> later = () => client.GetStringAsync("https://prices.example/warm");
                            return await later();
                        });

                        Func<HttpClient> factory = () => new HttpClient();
                    }
                }
            
            }
            """,
            TestLibraries.None,
            editorConfig: null);

    [Fact]
    public Task AHostedServicesStart_IsNotPerOperation()
        => Analyzer.VerifyAnalyzerAsync(
            Usings + """
            namespace Microsoft.Extensions.Hosting
            {
                public interface IHostedService
                {
                    Task StartAsync(CancellationToken cancellationToken);
                    Task StopAsync(CancellationToken cancellationToken);
                }
            }

            class Warmup : Microsoft.Extensions.Hosting.IHostedService
            {
                public async Task StartAsync(CancellationToken cancellationToken)
                {
                    using var client = new HttpClient();
                    await client.GetStringAsync("https://example.com/", cancellationToken);
                }

                public async Task StopAsync(CancellationToken cancellationToken)
                {
                    using var client = {|RES022:new HttpClient()|};
                    await client.GetStringAsync("https://example.com/bye", cancellationToken);
                }
            }
            """,
            TestLibraries.None,
            editorConfig: null);

    // A client is process-lived (RES021) or per operation (RES022), never both.
    [Fact]
    public Task RES021AndRES022_NeverReportTheSameClient()
        => Verify("""
            class Clients
            {
                private static readonly HttpClient Shared = {|RES021:new HttpClient()|};

                async Task<string> Each(string url)
                {
                    using var client = {|RES022:new HttpClient()|};
                    return await client.GetStringAsync(url) + await Shared.GetStringAsync(url);
                }
            }
            """);

    [Fact]
    public Task OnlyServiceLevelAzureClients_AreReported()
    {
        var test = new Analyzer.Test
        {
            TestLibraries = TestLibraries.None,
            TestCode = Usings + """
                using Azure.Messaging.ServiceBus;

                class Publisher
                {
                    async Task SendAsync(string connection, string message)
                    {
                        await using var client = {|RES022:new ServiceBusClient(connection)|};
                        await client.SendAsync(message);
                    }

                    async Task ViewAsync(string connection)
                    {
                        var view = new ServiceBusReceiverView(connection);
                        await view.SendAsync("x");
                    }
                }
                """,
        };
        TestSetup.AddStandInLibrary(test.TestState, """
            namespace Azure.Messaging.ServiceBus
            {
                public class ServiceBusClient : System.IAsyncDisposable
                {
                    public ServiceBusClient(string connection) { }
                    public System.Threading.Tasks.Task SendAsync(string message) => System.Threading.Tasks.Task.CompletedTask;
                    public System.Threading.Tasks.ValueTask DisposeAsync() => default;
                }

                public class ServiceBusReceiverView
                {
                    public ServiceBusReceiverView(string connection) { }
                    public System.Threading.Tasks.Task SendAsync(string message) => System.Threading.Tasks.Task.CompletedTask;
                }
            }
            """, "Azure.Messaging.ServiceBus");
        return test.RunAsync();
    }

    [Fact]
    public Task TestProjects_AreSkipped()
        => Analyzer.VerifyAnalyzerAsync(
            Usings + """
            namespace Xunit { public sealed class FactAttribute : Attribute { } }

            class PricesTests
            {
                async Task<string> GetAsync(string url)
                {
                    using var client = new HttpClient();
                    return await client.GetStringAsync(url);
                }
            }
            """,
            TestLibraries.None,
            editorConfig: null);

    private const string PollyUsings = """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.RateLimiting;
        using System.Threading.Tasks;
        using Polly;
        using Polly.CircuitBreaker;
        using Polly.RateLimiting;
        using Polly.Retry;

        """;

    private static Task VerifyPolly(string source)
        => Analyzer.VerifyAnalyzerAsync(PollyUsings + source, TestLibraries.Polly | TestLibraries.HttpResilience, editorConfig: null);

    // RULES.md: "ResiliencePipelineBuilder.Build() of a pipeline with a circuit breaker or rate limiter".
    [Fact]
    public Task APipelineWithABreakerOrLimiterBuiltPerCall_IsReported()
        => VerifyPolly("""
            class Orders
            {
                private readonly HttpClient _http = new();

                async Task<string> GetAsync(string url, CancellationToken token)
                {
                    var pipeline = new ResiliencePipelineBuilder()
                        .AddRetry(new RetryStrategyOptions())
                        .AddCircuitBreaker(new CircuitBreakerStrategyOptions())
                        .{|RES022:Build|}();
                    return await pipeline.ExecuteAsync(async ct => await _http.GetStringAsync(url, ct), token);
                }

                Task<HttpResponseMessage> SendAsync(string url, CancellationToken token)
                    => new ResiliencePipelineBuilder<HttpResponseMessage>()
                        .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>())
                        .{|RES022:Build|}()
                        .ExecuteAsync(async ct => await _http.GetAsync(url, ct), token).AsTask();

                async Task LimitedAsync(string url, CancellationToken token)
                {
                    var builder = new ResiliencePipelineBuilder();
                    builder.AddTimeout(TimeSpan.FromSeconds(5));
                    builder.AddConcurrencyLimiter(10);
                    var pipeline = builder.{|RES022:Build|}();
                    await pipeline.ExecuteAsync(async ct => await _http.GetStringAsync(url, ct), token);
                }

                async Task RateAsync(string url, CancellationToken token)
                {
                    var pipeline = new ResiliencePipelineBuilder()
                        .AddRateLimiter(new RateLimiterStrategyOptions())
                        .{|RES022:Build|}();
                    await pipeline.ExecuteAsync(async ct => await _http.GetStringAsync(url, ct), token);
                }
            }
            """);

    // RULES.md: "v7 CircuitBreaker*", and the bulkhead and rate-limit policies, which keep state too.
    [Fact]
    public Task AV7BreakerBulkheadOrRateLimitPolicyBuiltPerCall_IsReported()
        => VerifyPolly("""
            class Legacy
            {
                private readonly HttpClient _http = new();

                async Task<string> GetAsync(string url)
                {
                    var breaker = Policy.Handle<HttpRequestException>().{|RES022:CircuitBreakerAsync|}(2, TimeSpan.FromSeconds(30));
                    return await breaker.ExecuteAsync(() => _http.GetStringAsync(url));
                }

                string Get(string url)
                    => Policy.Handle<HttpRequestException>().{|RES022:AdvancedCircuitBreaker|}(0.5, TimeSpan.FromSeconds(10), 20, TimeSpan.FromSeconds(30))
                        .Execute(() => _http.GetStringAsync(url).GetAwaiter().GetResult());

                async Task BulkAsync(string url)
                {
                    var bulkhead = Policy.{|RES022:BulkheadAsync|}(4);
                    await bulkhead.ExecuteAsync(() => _http.GetStringAsync(url));
                }

                async Task RateAsync(string url)
                {
                    var limit = Policy.{|RES022:RateLimitAsync|}(10, TimeSpan.FromSeconds(1));
                    await limit.ExecuteAsync(() => _http.GetStringAsync(url));
                }
            }
            """);

    // RULES.md: "A pipeline with only retry/timeout has no state"; stored, returned or registered pipelines escape.
    [Fact]
    public Task StatelessEscapingOrSharedPipelines_AreNotReported()
        => VerifyPolly("""
            class Pipelines
            {
                private static readonly RateLimiter SharedLimiter = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 10 });
                private readonly HttpClient _http = new();
                private ResiliencePipeline? _kept;
                private readonly ResiliencePipeline _field = new ResiliencePipelineBuilder().AddCircuitBreaker(new CircuitBreakerStrategyOptions()).Build();
                private readonly ResiliencePipelineBuilder _sharedBuilder = new();

                async Task RetryOnlyAsync(string url, CancellationToken token)
                {
                    var pipeline = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).AddTimeout(TimeSpan.FromSeconds(5)).Build();
                    await pipeline.ExecuteAsync(async ct => await _http.GetStringAsync(url, ct), token);
                }

                ResiliencePipeline Create() => new ResiliencePipelineBuilder().AddCircuitBreaker(new CircuitBreakerStrategyOptions()).Build();

                void Keep() => _kept = new ResiliencePipelineBuilder().AddCircuitBreaker(new CircuitBreakerStrategyOptions()).Build();

                async Task SharedLimiterAsync(string url, CancellationToken token)
                {
                    var pipeline = new ResiliencePipelineBuilder().AddRateLimiter(SharedLimiter).Build();
                    await pipeline.ExecuteAsync(async ct => await _http.GetStringAsync(url, ct), token);
                }

                async Task UnseenBuilderAsync(string url, CancellationToken token)
                {
                    var pipeline = _sharedBuilder.AddCircuitBreaker(new CircuitBreakerStrategyOptions()).Build();
                    await pipeline.ExecuteAsync(async ct => await _http.GetStringAsync(url, ct), token);
                }

                async Task V7RetryAsync(string url)
                {
                    var retry = Policy.Handle<HttpRequestException>().WaitAndRetryAsync(3, n => TimeSpan.FromSeconds(n));
                    await retry.ExecuteAsync(() => _http.GetStringAsync(url));
                }

                Func<ResiliencePipeline> Factory() => () => new ResiliencePipelineBuilder().AddCircuitBreaker(new CircuitBreakerStrategyOptions()).Build();

                public Pipelines()
                {
                    var pipeline = new ResiliencePipelineBuilder().AddCircuitBreaker(new CircuitBreakerStrategyOptions()).Build();
                    _kept = pipeline;
                }
            }
            """);

    // RULES.md: "a client created once before a batch loop and reused by it": a breaker shared by a batch is shared.
    [Fact]
    public Task ABreakerReusedByABatchLoop_IsNotReported_OneBuiltInTheLoop_Is()
        => VerifyPolly("""
            class Batch
            {
                private readonly HttpClient _http = new();

                async Task PullAllAsync(string[] urls)
                {
                    var breaker = Policy.Handle<HttpRequestException>().CircuitBreakerAsync(2, TimeSpan.FromSeconds(30));
                    foreach (var url in urls)
                    {
                        await breaker.ExecuteAsync(() => _http.GetStringAsync(url));
                    }
                }

                async Task PullEachAsync(string[] urls)
                {
                    foreach (var url in urls)
                    {
                        var breaker = Policy.Handle<HttpRequestException>().{|RES022:CircuitBreakerAsync|}(2, TimeSpan.FromSeconds(30));
                        await breaker.ExecuteAsync(() => _http.GetStringAsync(url));
                    }
                }
            }
            """);

    // Gate on references: without Polly nothing of it is looked at, and a type named like it is not it.
    [Fact]
    public Task LookalikesWithoutPolly_AreNotReported()
        => Analyzer.VerifyAnalyzerAsync(
            Usings + """
            class ResiliencePipelineBuilder
            {
                public ResiliencePipelineBuilder AddCircuitBreaker(object options) => this;
                public object Build() => new object();
            }

            class Use
            {
                string Run() => new ResiliencePipelineBuilder().AddCircuitBreaker(new object()).Build().ToString()!;
            }
            """,
            TestLibraries.None,
            editorConfig: null);
}
