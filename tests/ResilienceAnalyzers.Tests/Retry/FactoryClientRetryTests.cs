using System;
using System.Threading;
using Microsoft.CodeAnalysis.Testing;
using ResilienceAnalyzers.Tests.Verifiers;
using Verifier = ResilienceAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>;

namespace ResilienceAnalyzers.Tests.Retry;

/// <summary>
/// RES006 and RES007 through factory clients (RULES.md, RES006 nesting 3 and 4): a retry around a send through a client whose
/// registration retries, two retry handlers on one client, and POST/PATCH sent through a client whose handler resends them.
/// Judged when the compilation ends, across files.
/// </summary>
public sealed class FactoryClientRetryTests
{
    private const string Usings = """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Http.Resilience;
        using Polly;
        using Polly.Retry;
        using Polly.CircuitBreaker;

        """;

    internal static Task Verify(string[] sources, params DiagnosticResult[] expected)
    {
        var test = new Verifier.Test { TestLibraries = TestLibraries.HttpResilience | TestLibraries.Polly, VerifiesLayerRules = true };
        test.DisabledDiagnostics.AddRange(new[] { "RES001", "RES002", "RES003", "RES004" });
        foreach (var source in sources)
        {
            test.TestState.Sources.Add(Usings + source);
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    internal static Task Verify(string source, params DiagnosticResult[] expected) => Verify(new[] { source }, expected);

    /// <summary>A typed client whose method retries four times around its injected client's GET.</summary>
    private const string RetryingCatalogClient = """
        class CatalogClient
        {
            private readonly HttpClient _client;

            public CatalogClient(HttpClient client) => _client = client;

            public async Task<string> GetAsync()
            {
                for (var attempt = 0; attempt < 4; attempt++)
                {
                    try
                    {
                        return await _client.{|#0:GetStringAsync|}("items");
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(100 * (1 << attempt));
                    }
                }

                throw new InvalidOperationException();
            }
        }
        """;

    /// <summary>Another typed client, and a configure method out of sight, for the near-misses.</summary>
    internal const string NearMissHelpers = """

        class OtherClient
        {
            public OtherClient(HttpClient client) { }
        }

        static class Setup
        {
            public static void Options(HttpStandardResilienceOptions options) { }
        }
        """;

    internal static string Startup(string registration) => $$"""
        class Startup
        {
            void Configure(IServiceCollection services)
            {
                {{registration}}
            }
        }
        """;

    [Fact]
    public Task LoopAroundTypedClient_WithStandardHandler_IsReportedOnTheSend()
        => Verify(
            new[] { RetryingCatalogClient, Startup("services.AddHttpClient<CatalogClient>().AddStandardResilienceHandler();") },
            Verifier.Diagnostic("RES006").WithLocation(0).WithMessage(
                "Up to 16 calls: the retry loop on line 18 makes 4 attempts and 'GetStringAsync' through typed client 'CatalogClient' (its 'AddStandardResilienceHandler' in Test1.cs on line 14) makes up to 4 of its own; retry in one layer only"));

    [Theory]
    [InlineData("services.AddHttpClient<CatalogClient>().AddStandardResilienceHandler(o => o.Retry.MaxRetryAttempts = 2);")]
    [InlineData("services.AddHttpClient<CatalogClient>().AddResilienceHandler(\"p\", b => b.AddRetry(new HttpRetryStrategyOptions()));")]
    [InlineData("services.AddHttpClient<CatalogClient>().AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(3, n => TimeSpan.FromSeconds(n)));")]
    [InlineData("services.AddHttpClient<CatalogClient>().AddPolicyHandler(Policy<HttpResponseMessage>.Handle<HttpRequestException>().RetryAsync(2));")]
    [InlineData("services.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler()); services.AddHttpClient<CatalogClient>();")]
    public Task EveryRetryingRegistration_IsALayer(string registration)
        => Verify(new[] { RetryingCatalogClient.Replace("{|#0:", "{|RES006:", StringComparison.Ordinal), Startup(registration) });

    [Fact]
    public Task RetryCallingATypedClientMethod_IsReportedOnTheCall_AndANamedClientToo()
        => Verify(
            """
            class CatalogClient
            {
                private readonly HttpClient _client;
                public CatalogClient(HttpClient client) => _client = client;
                public Task<string> GetAsync() => _client.GetStringAsync("items");
            }

            class Orders
            {
                private readonly CatalogClient _catalog;
                private readonly IHttpClientFactory _factory;
                public Orders(CatalogClient catalog, IHttpClientFactory factory) { _catalog = catalog; _factory = factory; }

                public async Task<string> Run()
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try
                        {
                            var client = _factory.CreateClient("billing");
                            await client.{|RES006:GetStringAsync|}("invoices");
                            return await _catalog.{|RES006:GetAsync|}();
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(100 * (1 << attempt));
                        }
                    }

                    throw new InvalidOperationException();
                }
            }

            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient<CatalogClient>().AddStandardResilienceHandler();
                    services.AddHttpClient("billing").AddStandardResilienceHandler();
                }
            }
            """);

    [Fact]
    public Task PollyPipelineAroundAPrimaryConstructorClient_IsReported()
        => Verify(
            """
            class CatalogClient(HttpClient client)
            {
                public async Task<string> GetAsync()
                {
                    var pipeline = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).Build();
                    return await pipeline.ExecuteAsync(async ct => await client.{|RES006:GetStringAsync|}("items", ct));
                }
            }

            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient<CatalogClient>().AddStandardResilienceHandler();
                }
            }
            """);

    [Theory]
    [InlineData("services.AddHttpClient<CatalogClient>();")]
    [InlineData("services.AddHttpClient<CatalogClient>().AddStandardHedgingHandler();")]
    [InlineData("services.AddHttpClient<CatalogClient>().AddResilienceHandler(\"p\", b => b.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>()).AddTimeout(TimeSpan.FromSeconds(5)));")]
    [InlineData("services.AddHttpClient<OtherClient>().AddStandardResilienceHandler();")]
    [InlineData("services.AddHttpClient(\"catalog\").AddStandardResilienceHandler();")]
    [InlineData("services.AddHttpClient<CatalogClient>().AddStandardResilienceHandler(o => o.Retry.ShouldHandle = _ => ValueTask.FromResult(false));")]
    [InlineData("services.AddHttpClient<CatalogClient>().AddStandardResilienceHandler(o => o.Retry.DisableFor(HttpMethod.Get));")]
    [InlineData("services.AddHttpClient<CatalogClient>().AddStandardResilienceHandler(o => o.Retry.MaxRetryAttempts = Environment.ProcessorCount);")]
    [InlineData("services.AddHttpClient<CatalogClient>().AddStandardResilienceHandler(Setup.Options);")]
    [InlineData("services.AddHttpClient<CatalogClient>().AddPolicyHandler(r => r.Method == HttpMethod.Get ? Policy<HttpResponseMessage>.Handle<HttpRequestException>().RetryAsync(3) : Policy.NoOpAsync<HttpResponseMessage>());")]
    public Task NearMisses_AreNotReported(string registration)
        => Verify(new[]
        {
            RetryingCatalogClient.Replace("{|#0:GetStringAsync|}", "GetStringAsync", StringComparison.Ordinal),
            Startup(registration) + NearMissHelpers,
        });

    /// <summary>
    /// A handler that turns some methods' retries off still retries the others: a send whose method is in sight and not
    /// among them is a layer. A send whose method cannot be seen, or one the handler does not retry, is not.
    /// </summary>
    [Theory]
    [InlineData("o => o.Retry.DisableForUnsafeHttpMethods()", "GetStringAsync(\"items\")", true)]
    [InlineData("o => o.Retry.DisableFor(HttpMethod.Post, HttpMethod.Patch)", "GetStringAsync(\"items\")", true)]
    [InlineData("o => o.Retry.DisableForUnsafeHttpMethods()", "SendAsync(new HttpRequestMessage(HttpMethod.Get, \"items\")).Result.Content.ReadAsStringAsync()", true)]
    [InlineData("o => o.Retry.DisableFor(HttpMethod.Get)", "GetStringAsync(\"items\")", false)]
    [InlineData("o => o.Retry.DisableForUnsafeHttpMethods()", "DeleteAsync(\"items\").Result.Content.ReadAsStringAsync()", false)]
    [InlineData("o => o.Retry.DisableFor(HttpMethod.Post)", "SendAsync(Request()).Result.Content.ReadAsStringAsync()", false)]
    public Task HandlerThatDisablesSomeMethods_StillRetriesTheSendsItDoesNotDisable(string configure, string send, bool reported)
    {
        var call = send.Substring(0, send.IndexOf('(', StringComparison.Ordinal));
        var client = RetryingCatalogClient
            .Replace("{|#0:GetStringAsync|}(\"items\")", (reported ? "{|RES006:" + call + "|}" : call) + send.Substring(call.Length), StringComparison.Ordinal)
            .Replace("public async Task<string> GetAsync()", "static HttpRequestMessage Request() => new HttpRequestMessage();\n\n    public async Task<string> GetAsync()", StringComparison.Ordinal);
        return Verify(new[] { client, Startup("services.AddHttpClient<CatalogClient>().AddStandardResilienceHandler(" + configure + ");") });
    }

    [Fact]
    public Task ATypedClientNobodyRetriesAround_IsNotReported_NorAClientItCreatesItself()
        => Verify(
            """
            class CatalogClient
            {
                private readonly HttpClient _client;
                private readonly HttpClient _own = new HttpClient();
                public CatalogClient(HttpClient client) => _client = client;
                public Task<string> GetAsync() => _client.GetStringAsync("items");

                public async Task<string> OwnAsync()
                {
                    for (var attempt = 0; attempt < 4; attempt++)
                    {
                        try
                        {
                            return await _own.GetStringAsync("items");
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(100 * (1 << attempt));
                        }
                    }

                    throw new InvalidOperationException();
                }
            }

            class Startup
            {
                void Configure(IServiceCollection services) => services.AddHttpClient<CatalogClient>().AddStandardResilienceHandler();
            }
            """);

    [Fact]
    public Task TwoRetryHandlers_OnOneClient_AreReportedOnTheSecond()
        => Verify(
            """
            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    var catalog = services.AddHttpClient("catalog");
                    catalog.AddStandardResilienceHandler();
                    catalog.{|#0:AddPolicyHandler(Policy<HttpResponseMessage>.Handle<HttpRequestException>().RetryAsync(2))|};
                }
            }
            """,
            Verifier.Diagnostic("RES006").WithLocation(0).WithMessage(
                "Up to 12 calls: the 'AddStandardResilienceHandler' on line 15 of client 'catalog' makes 4 attempts and this 'AddPolicyHandler' makes up to 3 of its own; retry in one layer only"));

    [Fact]
    public Task ARetryHandlerFromTheDefaults_AndOneOnTheClient_AreReportedOnTheClients()
        => Verify(
            new[]
            {
                """
                class Startup
                {
                    void Configure(IServiceCollection services)
                    {
                        services.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler());
                        services.AddHttpClient("catalog").{|#0:AddResilienceHandler("retry", p => p.AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 2 }))|};
                        services.AddHttpClient("orders").AddResilienceHandler("breaker", p => p.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>()));
                    }
                }
                """,
            },
            Verifier.Diagnostic("RES006").WithLocation(0).WithMessage(
                "Up to 12 calls: the 'AddStandardResilienceHandler' on line 14 of client 'catalog' makes 4 attempts and this 'AddResilienceHandler' makes up to 3 of its own; retry in one layer only"));

    [Fact]
    public Task TwoRetryHandlers_OnABuilderACallerHandsIn_AreReportedOnTheSecond_AsOnABuilderField()
        => Verify(
            """
            static class InventoryRegistration
            {
                public static void AddInventoryResilience(IHttpClientBuilder inventory)
                {
                    inventory.AddStandardResilienceHandler();
                    inventory.{|#0:AddResilienceHandler("extra", p => p.AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 2 }))|};
                }
            }

            class ShippingSetup
            {
                private readonly IHttpClientBuilder _shipping;
                public ShippingSetup(IHttpClientBuilder shipping) => _shipping = shipping;

                public void Apply()
                {
                    _shipping.AddStandardResilienceHandler();
                    this._shipping.{|#1:AddStandardResilienceHandler()|};
                }
            }
            """,
            Verifier.Diagnostic("RES006").WithLocation(0).WithMessage(
                "Up to 12 calls: the 'AddStandardResilienceHandler' on line 14 of the client builder 'inventory' makes 4 attempts and this 'AddResilienceHandler' makes up to 3 of its own; retry in one layer only"),
            Verifier.Diagnostic("RES006").WithLocation(1).WithMessage(
                "Up to 16 calls: the 'AddStandardResilienceHandler' on line 26 of the client builder '_shipping' makes 4 attempts and this 'AddStandardResilienceHandler' makes up to 4 of its own; retry in one layer only"));

    [Fact]
    public Task ABuilderLocalReassignedToAnotherClient_CountsItsHandlersForThatClient()
        => Verify(Startup("""
            var builder = services.AddHttpClient("search");
                    builder.AddStandardResilienceHandler();
                    builder = services.AddHttpClient("reports");
                    builder.AddStandardResilienceHandler();
            """));

    [Fact]
    public Task OneRetryHandler_PerClient_IsNotReported()
        => Verify(Startup("""
            services.AddHttpClient("catalog").AddStandardResilienceHandler();
                    services.AddHttpClient("orders").AddPolicyHandler(Policy<HttpResponseMessage>.Handle<HttpRequestException>().RetryAsync(2));
                    services.AddHttpClient("billing").AddStandardHedgingHandler();
            """));

    [Fact]
    public Task BrokenCode_IsSilent()
    {
        var test = new Verifier.Test { TestLibraries = TestLibraries.HttpResilience | TestLibraries.Polly, VerifiesLayerRules = true };
        test.TestState.Sources.Add(Usings + """
            class CatalogClient
            {
                private readonly HttpClient _client;
                public CatalogClient(HttpClient client) => _client = client;
                public Task<HttpResponseMessage> GetAsync() => _client.PostAsync("items", {|CS0103:content|});
            }

            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient<{|CS0246:Missing|}>().AddStandardResilienceHandler();
                    services.AddHttpClient("x").{|CS1061:AddNothing|}().AddStandardResilienceHandler();
                    services.AddHttpClient(name).AddStandardResilienceHandler();
                }
            }
            """.Replace("AddHttpClient(name)", "AddHttpClient({|CS0103:name|})", StringComparison.Ordinal));
        test.CompilerDiagnostics = CompilerDiagnostics.Errors;
        return test.RunAsync(CancellationToken.None);
    }
}
