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

    /// <summary>
    /// A <c>ShouldHandle</c> of the application's own whose only use of the request is its method compared with constants is
    /// read for POST and PATCH, with a response and without one (an exception: <c>Outcome.Result</c> is null). It is reported
    /// when it can be true for the method the client sends; every other term counts as unknown.
    /// </summary>
    [Theory]
    [InlineData("ValueTask.FromResult(args.Outcome.Result?.RequestMessage?.Method != HttpMethod.Get)")]
    [InlineData("ValueTask.FromResult(args.Outcome.Result?.RequestMessage?.Method == HttpMethod.Post)")]
    [InlineData("ValueTask.FromResult(args.Outcome.Result?.RequestMessage?.Method == HttpMethod.Get || true)")]
    [InlineData("ValueTask.FromResult(object.Equals(args.Outcome.Result?.RequestMessage?.Method, HttpMethod.Post) && args.Outcome.Result?.StatusCode >= System.Net.HttpStatusCode.InternalServerError)")]
    [InlineData("ValueTask.FromResult(args.Outcome.Result?.RequestMessage?.Method.Method is not \"GET\")")]
    [InlineData("new ValueTask<bool>(!(args.Outcome.Result?.RequestMessage?.Method == HttpMethod.Head))")]
    public Task APredicateThatStillLetsPostThrough_IsReported(string predicate)
        => FactoryClientRetryTests.Verify(new[]
        {
            OrdersClient,
            Startup("services.AddHttpClient<OrdersClient>().{|RES007:AddStandardResilienceHandler(o => o.Retry.ShouldHandle = args => " + predicate + ")|};"),
        });

    [Theory]
    [InlineData("ValueTask.FromResult(args.Outcome.Result?.RequestMessage?.Method == HttpMethod.Get)")]
    [InlineData("ValueTask.FromResult(HttpMethod.Get.Equals(args.Outcome.Result?.RequestMessage?.Method) || args.Outcome.Result?.RequestMessage?.Method == HttpMethod.Options)")]
    [InlineData("ValueTask.FromResult(args.Outcome.Result?.RequestMessage?.Method is { Method: \"GET\" or \"HEAD\" })")]
    [InlineData("ValueTask.FromResult(args.Outcome.Result?.RequestMessage?.Method.Method is \"GET\")")]
    [InlineData("ValueTask.FromResult(args.Outcome.Result?.StatusCode == System.Net.HttpStatusCode.ServiceUnavailable && args.Outcome.Result?.RequestMessage?.Method == HttpMethod.Get)")]
    [InlineData("ValueTask.FromResult(args.Outcome.Result!.RequestMessage!.Method != HttpMethod.Post)")]
    [InlineData("ValueTask.FromResult(!(args.Outcome.Result?.RequestMessage?.Method != HttpMethod.Get))")]
    public Task APredicateThatRetriesOnlySafeMethods_IsNotReported(string predicate)
        => FactoryClientRetryTests.Verify(new[]
        {
            OrdersClient,
            Startup("services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler(o => o.Retry.ShouldHandle = args => " + predicate + ");"),
        });

    /// <summary>
    /// A predicate read only in part stays silent: a helper of the application's own given the arguments may test the
    /// method out of sight; so may a request kept in a pattern variable. Certain or silent.
    /// </summary>
    [Theory]
    [InlineData("args => ValueTask.FromResult(args.Outcome.Result?.RequestMessage?.Method != HttpMethod.Get && Rules.Allows(args.Outcome))")]
    [InlineData("args => ValueTask.FromResult(args.Outcome.Result is { RequestMessage: { } sent } && sent.Method != HttpMethod.Get)")]
    [InlineData("args => ValueTask.FromResult(Rules.IsSafe(args.Outcome.Result?.RequestMessage?.Method) || args.Outcome.Result?.RequestMessage?.Method == HttpMethod.Get)")]
    [InlineData("Rules.Predicate")]
    public Task APredicateReadOnlyInPart_IsNotReported(string predicate)
        => FactoryClientRetryTests.Verify(new[]
        {
            OrdersClient,
            Startup("services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler(o => o.Retry.ShouldHandle = " + predicate + ");"),
            """
            static class Rules
            {
                public static bool Allows(Outcome<HttpResponseMessage> outcome) => outcome.Result?.RequestMessage?.Method != HttpMethod.Post;
                public static bool IsSafe(HttpMethod? method) => method == HttpMethod.Get;
                public static ValueTask<bool> Predicate(RetryPredicateArguments<HttpResponseMessage> args) => ValueTask.FromResult(false);
            }
            """,
        });

    [Fact]
    public Task HedgingAndPipelineRetries_AreReadAlike()
        => FactoryClientRetryTests.Verify(
            """
            class SyncClient
            {
                private readonly HttpClient _http;
                public SyncClient(HttpClient http) => _http = http;
                public Task<HttpResponseMessage> Push(HttpContent change) => _http.PatchAsync("items/1", change);
            }

            class ReportClient
            {
                private readonly HttpClient _http;
                public ReportClient(HttpClient http) => _http = http;
                public Task<HttpResponseMessage> Send(HttpContent report) => _http.PostAsync("reports", report);
            }

            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient<SyncClient>().{|RES007:AddStandardHedgingHandler()|}.Configure(o => o.Hedging.ShouldHandle = args =>
                        ValueTask.FromResult(args.Outcome.Result?.RequestMessage?.Method == HttpMethod.Get || args.Outcome.Result?.RequestMessage?.Method == HttpMethod.Patch));
                    services.AddHttpClient<ReportClient>().{|RES007:AddResilienceHandler("reports", pipeline => pipeline.AddRetry(new HttpRetryStrategyOptions
                    {
                        ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.RequestMessage?.Method == HttpMethod.Post),
                    }))|};
                    services.AddHttpClient("quiet").AddResilienceHandler("quiet", pipeline =>
                    {
                        var retry = new HttpRetryStrategyOptions();
                        retry.ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.RequestMessage?.Method == HttpMethod.Get);
                        pipeline.AddRetry(retry);
                    });
                }

                Task Quiet(IHttpClientFactory factory) => factory.CreateClient("quiet").PostAsync("entries", null);
            }
            """);

    /// <summary>
    /// A guard on the options of one <c>AddRetry</c> covers that retry only: a pipeline that also adds an unguarded retry still
    /// resends the POST. With the guard on every retry, nothing is resent.
    /// </summary>
    [Fact]
    public Task AGuardCoversItsOwnRetryOnly()
        => FactoryClientRetryTests.Verify(
            """
            class LedgerClient
            {
                private readonly HttpClient _http;
                public LedgerClient(HttpClient http) => _http = http;
                public Task<HttpResponseMessage> Book(HttpContent entry) => _http.PostAsync("entries", entry);
            }

            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient<LedgerClient>().{|RES007:AddResilienceHandler("mixed", pipeline =>
                    {
                        var guarded = new HttpRetryStrategyOptions { MaxRetryAttempts = 2 };
                        guarded.DisableForUnsafeHttpMethods();
                        pipeline.AddRetry(guarded);
                        pipeline.AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 1 });
                    })|};

                    services.AddHttpClient("ledger-safe").AddResilienceHandler("guarded", pipeline =>
                    {
                        var first = new HttpRetryStrategyOptions { MaxRetryAttempts = 2 };
                        first.DisableFor(HttpMethod.Post, HttpMethod.Patch);
                        pipeline.AddRetry(first);
                        pipeline.AddRetry(new HttpRetryStrategyOptions
                        {
                            MaxRetryAttempts = 1,
                            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.RequestMessage?.Method == HttpMethod.Get),
                        });
                    });
                }

                Task Book(IHttpClientFactory factory) => factory.CreateClient("ledger-safe").PostAsync("entries", null);
            }
            """);

    /// <summary>
    /// Retry options the pipeline callback captures are guarded where they are written, beside the registration: a guard
    /// there covers the retry that is given them, and only that one.
    /// </summary>
    [Fact]
    public Task OptionsCapturedByTheCallback_AreGuardedWhereTheyAreWritten()
        => FactoryClientRetryTests.Verify(
            """
            class InvoiceClient
            {
                private readonly HttpClient _http;
                public InvoiceClient(HttpClient http) => _http = http;
                public Task<HttpResponseMessage> Issue(HttpContent invoice) => _http.PostAsync("invoices", invoice);
            }

            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    var onlyReads = new HttpRetryStrategyOptions { MaxRetryAttempts = 2 };
                    onlyReads.DisableForUnsafeHttpMethods();
                    services.AddHttpClient<InvoiceClient>().AddResilienceHandler("invoices", pipeline => pipeline.AddRetry(onlyReads));

                    var everything = new HttpRetryStrategyOptions { MaxRetryAttempts = 2 };
                    services.AddHttpClient("archive").{|RES007:AddResilienceHandler("archive", pipeline => pipeline.AddRetry(onlyReads).AddRetry(everything))|};
                }

                Task Archive(IHttpClientFactory factory) => factory.CreateClient("archive").PostAsync("entries", null);
            }
            """);

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
