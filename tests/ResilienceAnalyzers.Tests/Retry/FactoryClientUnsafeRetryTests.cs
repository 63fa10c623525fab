using System;
using System.Threading;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.CodeFixes;
using ResilienceAnalyzers.Tests.Verifiers;
using Fix = ResilienceAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer, ResilienceAnalyzers.CodeFixes.Retry.UnsafeMethodRetryFixProvider>;
using Verifier = ResilienceAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>;

namespace ResilienceAnalyzers.Tests.Retry;

/// <summary>
/// RES007 through factory clients: a POST or PATCH a typed or named client sends, resent by a retry or hedging handler of
/// its registration; reported on the handler registration, with the fix for the standard handler.
/// </summary>
public sealed class FactoryClientUnsafeRetryTests
{
    private const string OrdersClient = """
        class OrdersClient
        {
            private readonly HttpClient _http;
            public OrdersClient(HttpClient http) => _http = http;
            public Task<HttpResponseMessage> PlaceAsync(HttpContent order) => _http.PostAsync("orders", order);
        }
        """;

    private static string Startup(string registration) => FactoryClientRetryTests.Startup(registration);

    [Fact]
    public Task StandardHandler_OnATypedClientThatPosts_IsReportedOnTheRegistration()
        => FactoryClientRetryTests.Verify(
            new[] { OrdersClient, Startup("services.AddHttpClient<OrdersClient>().{|#0:AddStandardResilienceHandler()|};") },
            Verifier.Diagnostic("RES007").WithLocation(0).WithMessage(
                "'PostAsync' in 'OrdersClient.PlaceAsync' sends a POST request that this 'AddStandardResilienceHandler' of typed client 'OrdersClient' sends again after a failure; a request that reached the server may be applied twice"));

    [Theory]
    [InlineData("services.AddHttpClient<OrdersClient>().{|RES007:AddStandardHedgingHandler()|};")]
    [InlineData("services.AddHttpClient<OrdersClient>().{|RES007:AddResilienceHandler(\"p\", b => b.AddRetry(new HttpRetryStrategyOptions()))|};")]
    [InlineData("services.AddHttpClient<OrdersClient>().{|RES007:AddPolicyHandler(Policy<HttpResponseMessage>.Handle<HttpRequestException>().RetryAsync(2))|};")]
    [InlineData("services.ConfigureHttpClientDefaults(b => b.{|RES007:AddStandardResilienceHandler(o => o.Retry.MaxRetryAttempts = 2)|}); services.AddHttpClient<OrdersClient>();")]
    public Task EveryHandlerThatResends_IsReported(string registration)
        => FactoryClientRetryTests.Verify(new[] { OrdersClient, Startup(registration) });

    [Fact]
    public Task ANamedClientThatPatches_IsReported()
        => FactoryClientRetryTests.Verify(
            """
            class Sync
            {
                private readonly IHttpClientFactory _factory;
                public Sync(IHttpClientFactory factory) => _factory = factory;

                public Task<HttpResponseMessage> Push(HttpContent body)
                {
                    var client = _factory.CreateClient("sync");
                    return client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, "items") { Content = body });
                }
            }

            class Startup
            {
                void Configure(IServiceCollection services) => services.AddHttpClient("sync").{|RES007:AddStandardResilienceHandler()|};
            }
            """);

    [Theory]
    [InlineData("services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler(o => o.Retry.DisableForUnsafeHttpMethods());")]
    [InlineData("services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler(o => o.Retry.DisableFor(HttpMethod.Post, HttpMethod.Patch));")]
    [InlineData("services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler().Configure(o => o.Retry.DisableForUnsafeHttpMethods());")]
    [InlineData("services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler(o => o.Retry.ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.RequestMessage?.Method == HttpMethod.Get));")]
    [InlineData("services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler(o => o.Retry.ShouldHandle = _ => ValueTask.FromResult(false));")]
    [InlineData("services.AddHttpClient<OrdersClient>().AddPolicyHandler(r => r.Method == HttpMethod.Get ? Policy<HttpResponseMessage>.Handle<HttpRequestException>().RetryAsync(3) : Policy.NoOpAsync<HttpResponseMessage>());")]
    [InlineData("services.AddHttpClient<OrdersClient>().AddResilienceHandler(\"p\", b => b.AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>()));")]
    [InlineData("services.AddHttpClient<OrdersClient>(); services.AddHttpClient<OtherClient>().AddStandardResilienceHandler();")]
    [InlineData("services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler(Setup.Options);")]
    public Task NearMisses_AreNotReported(string registration)
        => FactoryClientRetryTests.Verify(new[]
        {
            OrdersClient,
            Startup(registration) + FactoryClientRetryTests.NearMissHelpers,
        });

    [Fact]
    public Task APipelineBuiltByALocalFunction_IsReadLikeALambda()
        => FactoryClientRetryTests.Verify(new[]
        {
            OrdersClient,
            """
            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient<OrdersClient>().{|RES007:AddResilienceHandler("orders", Retrying)|};
                    services.AddHttpClient("audit").AddResilienceHandler("audit", RetryingSafely);

                    void Retrying(ResiliencePipelineBuilder<HttpResponseMessage> pipeline) => pipeline.AddRetry(new HttpRetryStrategyOptions());

                    void RetryingSafely(ResiliencePipelineBuilder<HttpResponseMessage> pipeline)
                    {
                        var retry = new HttpRetryStrategyOptions();
                        retry.DisableForUnsafeHttpMethods();
                        pipeline.AddRetry(retry);
                    }
                }

                Task Audit(IHttpClientFactory factory) => factory.CreateClient("audit").PostAsync("entries", null);
            }
            """,
        });

    [Fact]
    public Task ARetryOfNoAttempts_ARequestCreatedAgainAsAGet_AndABuilderMovedToAnotherClient_AreNotReported()
        => FactoryClientRetryTests.Verify(
            """
            class LedgerClient
            {
                private readonly HttpClient _http;
                public LedgerClient(HttpClient http) => _http = http;

                public Task<HttpResponseMessage> Read()
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, "ledger/query");
                    request = new HttpRequestMessage(HttpMethod.Get, "ledger");
                    return _http.SendAsync(request);
                }
            }

            class PaymentsClient
            {
                private readonly HttpClient _http;
                public PaymentsClient(HttpClient http) => _http = http;
                public Task<HttpResponseMessage> Pay(HttpContent payment) => _http.PostAsync("payments", payment);
            }

            class StatusClient
            {
                private readonly HttpClient _http;
                public StatusClient(HttpClient http) => _http = http;
                public Task<string> Ping() => _http.GetStringAsync("status");
            }

            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient<LedgerClient>().AddStandardResilienceHandler();
                    services.AddHttpClient<PaymentsClient>().AddResilienceHandler("once", p => p.AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 0 }));

                    var builder = services.AddHttpClient<PaymentsClient>();
                    builder = services.AddHttpClient<StatusClient>();
                    builder.AddStandardResilienceHandler();
                }
            }
            """);

    [Fact]
    public Task PutDelete_AndAnIdempotencyKey_AreNotReported()
        => FactoryClientRetryTests.Verify(
            """
            class OrdersClient
            {
                private readonly HttpClient _http;
                public OrdersClient(HttpClient http) => _http = http;
                public Task<HttpResponseMessage> Put(HttpContent order) => _http.PutAsync("orders/1", order);
                public Task<HttpResponseMessage> Delete() => _http.DeleteAsync("orders/1");

                public Task<HttpResponseMessage> Place(HttpContent order)
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, "orders") { Content = order };
                    request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
                    return _http.SendAsync(request);
                }
            }

            class Startup
            {
                void Configure(IServiceCollection services) => services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler();
            }
            """);

    private const string FixUsings = """
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;

        """;

    private static Task VerifyFix(string source, string fixedSource)
    {
        var test = new Fix.Test
        {
            TestCode = FixUsings + OrdersClient + "\n" + source,
            FixedCode = FixUsings.TrimEnd() + "\nusing Microsoft.Extensions.Http.Resilience;\n\n" + OrdersClient + "\n" + fixedSource,
            TestLibraries = TestLibraries.HttpResilience,

            // Reported at compilation end (the sends and the registration are in different methods): the fix is offered
            // where such diagnostics show, in builds and full-solution analysis.
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
        };
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task Fix_AddsTheArgument_WhenTheHandlerHasNone_AndFixAllDoesEveryHandler()
        => VerifyFix(
            """
            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient<OrdersClient>().{|RES007:AddStandardResilienceHandler()|};
                    services.AddHttpClient("sync").{|RES007:AddStandardResilienceHandler(o => o.Retry.MaxRetryAttempts = 2)|};
                    services.AddHttpClient("audit").{|RES007:AddStandardResilienceHandler(options =>
                    {
                        options.Retry.MaxRetryAttempts = 5;
                    })|};
                }

                Task Push(IHttpClientFactory factory) => factory.CreateClient("sync").PostAsync("a", null);
                Task Audit(IHttpClientFactory factory) => factory.CreateClient("audit").PatchAsync("a", null);
            }
            """,
            """
            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler(o => o.Retry.DisableForUnsafeHttpMethods());
                    services.AddHttpClient("sync").AddStandardResilienceHandler(o =>
                    {
                        o.Retry.MaxRetryAttempts = 2;
                        o.Retry.DisableForUnsafeHttpMethods();
                    });
                    services.AddHttpClient("audit").AddStandardResilienceHandler(options =>
                    {
                        options.Retry.MaxRetryAttempts = 5;
                        options.Retry.DisableForUnsafeHttpMethods();
                    });
                }

                Task Push(IHttpClientFactory factory) => factory.CreateClient("sync").PostAsync("a", null);
                Task Audit(IHttpClientFactory factory) => factory.CreateClient("audit").PatchAsync("a", null);
            }
            """);

    [Fact]
    public Task NoFix_ForHandlersOtherThanTheStandardOne()
    {
        var source = FixUsings + "using Polly;\n" + OrdersClient + "\n" + Startup("services.AddHttpClient<OrdersClient>().{|RES007:AddPolicyHandler(Policy<HttpResponseMessage>.Handle<HttpRequestException>().RetryAsync(2))|};");
        var test = new Fix.Test { TestCode = source, FixedCode = source, TestLibraries = TestLibraries.HttpResilience | TestLibraries.Polly, CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck };
        test.DisabledDiagnostics.AddRange(new[] { "RES001", "RES002", "RES003", "RES004" });
        return test.RunAsync(CancellationToken.None);
    }
}
