using Microsoft.CodeAnalysis.Testing;
using ResilienceAnalyzers.Tests.Verifiers;

namespace ResilienceAnalyzers.Tests.Timeouts;

/// <summary>RES013: timeouts and retries whose values, all visible, defeat each other.</summary>
public sealed class TimeoutRetryConflictTests
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
        using Polly.Timeout;

        """;

    private static DiagnosticResult Conflict(int location, string arithmetic, string consequence)
        => CSharpAnalyzerVerifier<ResilienceAnalyzers.Timeouts.TimeoutAnalyzer>.Diagnostic("RES013").WithLocation(location).WithArguments(arithmetic, consequence);

    private static Task Verify(string source, params DiagnosticResult[] expected)
        => CSharpAnalyzerVerifier<ResilienceAnalyzers.Timeouts.TimeoutAnalyzer>.VerifyAnalyzerAsync(
            Usings + source, TestLibraries.HttpResilience | TestLibraries.Polly, editorConfig: null, expected);

    private static Task VerifyFiles(string[] sources, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerVerifier<ResilienceAnalyzers.Timeouts.TimeoutAnalyzer>.Test { TestLibraries = TestLibraries.HttpResilience | TestLibraries.Polly };
        foreach (var source in sources)
        {
            test.TestState.Sources.Add(Usings + source);
        }

        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(System.Threading.CancellationToken.None);
    }

    private const string ClientCut = "the client cancels the request after 10 s, before the handler's retries can finish";

    [Fact]
    public Task Client_Timeout_Shorter_Than_Standard_Handler_In_One_Chain()
        => Verify("""
            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient("catalog", c => {|#0:c.Timeout = TimeSpan.FromSeconds(10)|}).AddStandardResilienceHandler();
                    services.AddHttpClient("orders").ConfigureHttpClient(c => {|#1:c.Timeout = TimeSpan.FromSeconds(10)|}).AddStandardResilienceHandler();
                }
            }
            """,
            Conflict(0, "HttpClient.Timeout (10 s) is shorter than the 30 s TotalRequestTimeout of the standard resilience handler on client 'catalog'", ClientCut),
            Conflict(1, "HttpClient.Timeout (10 s) is shorter than the 30 s TotalRequestTimeout of the standard resilience handler on client 'orders'", ClientCut));

    [Fact]
    public Task Client_Timeout_Across_Statements_On_A_Builder_Local_And_In_Defaults()
        => Verify("""
            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    var builder = services.AddHttpClient("catalog");
                    builder.ConfigureHttpClient(c => {|#0:c.Timeout = TimeSpan.FromSeconds(10)|});
                    builder.AddStandardResilienceHandler();
                    services.ConfigureHttpClientDefaults(b =>
                    {
                        b.ConfigureHttpClient(c => {|#1:c.Timeout = TimeSpan.FromSeconds(10)|});
                        b.AddStandardResilienceHandler();
                    });
                }
            }
            """,
            Conflict(0, "HttpClient.Timeout (10 s) is shorter than the 30 s TotalRequestTimeout of the standard resilience handler on client 'catalog'", ClientCut),
            Conflict(1, "HttpClient.Timeout (10 s) is shorter than the 30 s TotalRequestTimeout of the standard resilience handler on every client (ConfigureHttpClientDefaults)", ClientCut));

    [Fact]
    public Task Typed_Client_Constructor_Timeout_In_Another_File()
        => VerifyFiles(
            new[]
            {
                """
                class CatalogClient
                {
                    private readonly HttpClient _client;
                    public CatalogClient(HttpClient client)
                    {
                        _client = client;
                        {|#0:_client.Timeout = TimeSpan.FromSeconds(10)|};
                    }
                }
                """,
                """
                class Startup
                {
                    void Configure(IServiceCollection services)
                        => services.AddHttpClient<CatalogClient>().AddStandardResilienceHandler(o => o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(20));
                }
                """,
            },
            Conflict(0, "HttpClient.Timeout (10 s) is shorter than the 20 s TotalRequestTimeout of the standard resilience handler on typed client 'CatalogClient'", ClientCut));

    [Fact]
    public Task Default_Client_Timeout_Shorter_Than_A_Long_Total_Timeout()
        => Verify("""
            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient("reports").AddStandardResilienceHandler(o =>
                    {
                        {|#0:o.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(3)|};
                        o.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(1);
                    });
                }
            }
            """,
            Conflict(0, "HttpClient.Timeout (100 s, its default) is shorter than the 180 s TotalRequestTimeout of the standard resilience handler on client 'reports'",
                "the client cancels the request after 100 s, before the handler's retries can finish"));

    [Fact]
    public Task Attempt_Timeout_Not_Shorter_Than_Total()
        => Verify("""
            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient("catalog").AddStandardResilienceHandler(o =>
                    {
                        {|#0:o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(30)|};
                        o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(60);
                    });
                    services.AddHttpClient("orders").AddStandardResilienceHandler().Configure(o =>
                    {
                        {|#1:o.TotalRequestTimeout = new HttpTimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(5) }|};
                    });
                }
            }
            """,
            Conflict(0, "the attempt timeout (AttemptTimeout) of 30 s is not shorter than the 30 s timeout (TotalRequestTimeout) around the retry", "one attempt can use the whole budget, so no retry can happen"),
            Conflict(1, "the attempt timeout (AttemptTimeout) of 10 s is not shorter than the 5 s timeout (TotalRequestTimeout) around the retry",
                "one attempt can use the whole budget, so no retry can happen; the options validator throws at start-up"));

    [Fact]
    public Task Sampling_Duration_Under_Twice_The_Attempt_Timeout()
        => Verify("""
            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient("catalog").AddStandardResilienceHandler(o => {|#0:o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(15)|});
                    services.AddHttpClient("orders").AddStandardResilienceHandler(o => {|#1:o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(20)|});
                    services.AddHttpClient("hedged").AddStandardHedgingHandler().Configure(o => {|#2:o.Endpoint.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(12)|});
                }
            }
            """,
            Conflict(0, "CircuitBreaker.SamplingDuration (15 s) is under twice the AttemptTimeout (2 × 10 s = 20 s)", "the options validator throws at start-up"),
            Conflict(1, "CircuitBreaker.SamplingDuration (30 s) is under twice the AttemptTimeout (2 × 20 s = 40 s)", "the options validator throws at start-up"),
            Conflict(2, "Endpoint.CircuitBreaker.SamplingDuration (12 s) is under twice the Endpoint.Timeout (2 × 10 s = 20 s)", "the options validator throws at start-up"));

    [Fact]
    public Task Pipeline_Timeout_Outside_Retry_Shorter_Than_The_Delays()
        => Verify("""
            class Pipelines
            {
                ResiliencePipeline Exponential() => new ResiliencePipelineBuilder()
                    .{|#0:AddTimeout(TimeSpan.FromSeconds(10))|}
                    .AddRetry(new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential })
                    .Build();

                ResiliencePipeline Linear() => new ResiliencePipelineBuilder()
                    .{|#1:AddTimeout(TimeSpan.FromSeconds(5))|}
                    .AddRetry(new RetryStrategyOptions { BackoffType = DelayBackoffType.Linear, Delay = TimeSpan.FromSeconds(1), MaxRetryAttempts = 5 })
                    .Build();

                ResiliencePipeline Constant()
                {
                    var builder = new ResiliencePipelineBuilder();
                    builder.{|#2:AddTimeout(new TimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(3) })|};
                    builder.AddRetry(new RetryStrategyOptions());
                    return builder.Build();
                }

                ResiliencePipeline Capped() => new ResiliencePipelineBuilder()
                    .{|#3:AddTimeout(TimeSpan.FromSeconds(10))|}
                    .AddRetry(new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, MaxRetryAttempts = 6, MaxDelay = TimeSpan.FromSeconds(3), UseJitter = true })
                    .Build();
            }
            """,
            Conflict(0, "the retry's 4th attempt would start after 14 s of delays alone (2 s + 4 s + 8 s), past the 10 s timeout (AddTimeout) around it", "the 3rd attempt is the last that can start"),
            Conflict(1, "the retry's 4th attempt would start after 6 s of delays alone (1 s + 2 s + 3 s), past the 5 s timeout (AddTimeout) around it", "the 3rd attempt is the last that can start"),
            Conflict(2, "the retry's 3rd attempt would start after 4 s of delays alone (2 s + 2 s), past the 3 s timeout (AddTimeout) around it", "the 2nd attempt is the last that can start"),
            Conflict(3, "the retry's 5th attempt would start after 11 s of delays alone (2 s + 3 s + 3 s + 3 s, medians without jitter), past the 10 s timeout (AddTimeout) around it", "the 4th attempt is the last that can start"));

    [Fact]
    public Task Resilience_Handler_Attempt_Timeout_Longer_Than_Outer_Total()
        => Verify("""
            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient("catalog").AddResilienceHandler("custom", b => b
                        .AddTimeout(TimeSpan.FromSeconds(10))
                        .AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 2, Delay = TimeSpan.FromMilliseconds(200) })
                        .{|#0:AddTimeout(TimeSpan.FromSeconds(15))|});
                }
            }
            """,
            Conflict(0, "the attempt timeout (AddTimeout) of 15 s is not shorter than the 10 s timeout (AddTimeout) around the retry", "one attempt can use the whole budget, so no retry can happen"));

    [Fact]
    public Task Consistent_Values_Defaults_And_Hedging_Defaults_Are_Not_Reported()
        => Verify("""
            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient("catalog").AddStandardResilienceHandler();
                    services.AddHttpClient("hedged").AddStandardHedgingHandler();
                    services.AddHttpClient("long", c => c.Timeout = TimeSpan.FromSeconds(60)).AddStandardResilienceHandler();
                    services.AddHttpClient("tuned").AddStandardResilienceHandler(o =>
                    {
                        o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(5);
                        o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(20);
                        o.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
                        o.Retry.MaxRetryAttempts = 2;
                    });
                    new ResiliencePipelineBuilder()
                        .AddTimeout(TimeSpan.FromSeconds(30))
                        .AddRetry(new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential })
                        .AddTimeout(TimeSpan.FromSeconds(5))
                        .Build();
                }
            }
            """);

    [Fact]
    public Task Timeout_Inside_The_Retry_Is_Per_Attempt_And_Not_Reported()
        => Verify("""
            class Pipelines
            {
                ResiliencePipeline Build() => new ResiliencePipelineBuilder()
                    .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 10, Delay = TimeSpan.FromSeconds(5) })
                    .AddTimeout(TimeSpan.FromSeconds(1))
                    .Build();
            }
            """);

    [Fact]
    public Task Values_That_Cannot_Be_Computed_Are_Not_Reported()
        => Verify("""
            class Startup
            {
                static TimeSpan FromConfig() => TimeSpan.FromSeconds(1);

                void Configure(IServiceCollection services, Microsoft.Extensions.Configuration.IConfigurationSection section, TimeSpan timeout, bool slow)
                {
                    services.AddHttpClient("a", c => c.Timeout = timeout).AddStandardResilienceHandler();
                    services.AddHttpClient("b").AddStandardResilienceHandler(section);
                    services.AddHttpClient("c").AddStandardResilienceHandler(o => o.AttemptTimeout.Timeout = FromConfig() * 40);
                    services.AddHttpClient("d").AddStandardResilienceHandler(o =>
                    {
                        if (slow)
                        {
                            o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(40);
                        }
                    });
                    new ResiliencePipelineBuilder()
                        .AddTimeout(TimeSpan.FromSeconds(1))
                        .AddRetry(new RetryStrategyOptions { DelayGenerator = _ => new ValueTask<TimeSpan?>(TimeSpan.FromSeconds(5)) })
                        .Build();
                    new ResiliencePipelineBuilder()
                        .AddTimeout(timeout)
                        .AddRetry(new RetryStrategyOptions())
                        .Build();
                }
            }
            """);

    [Fact]
    public Task Infinite_Client_Timeout_With_A_Handler_Is_Not_Reported()
        => Verify("""
            class Startup
            {
                void Configure(IServiceCollection services)
                    => services.AddHttpClient("catalog", c => c.Timeout = Timeout.InfiniteTimeSpan).AddStandardResilienceHandler();
            }
            """);

    [Fact]
    public Task Default_Client_Timeout_Is_Not_Trusted_When_Some_Timeout_Is_Set_Where_No_Client_Is_Named()
        => Verify("""
            class Startup
            {
                void Configure(IServiceCollection services)
                    => services.AddHttpClient("reports").AddStandardResilienceHandler(o =>
                    {
                        o.TotalRequestTimeout.Timeout = TimeSpan.FromMinutes(3);
                        o.CircuitBreaker.SamplingDuration = TimeSpan.FromMinutes(1);
                    });

                void Use(IHttpClientFactory factory)
                {
                    var client = factory.CreateClient("reports");
                    client.Timeout = TimeSpan.FromMinutes(5);
                }
            }
            """);

    [Fact]
    public Task Typed_Client_Constructor_That_Raises_The_Timeout_Wins_Over_The_Chain()
        => Verify("""
            class CatalogClient
            {
                public CatalogClient(HttpClient client) => client.Timeout = TimeSpan.FromSeconds(60);
            }

            class Startup
            {
                void Configure(IServiceCollection services)
                    => services.AddHttpClient<CatalogClient>(c => c.Timeout = TimeSpan.FromSeconds(10)).AddStandardResilienceHandler();
            }
            """);

    [Fact]
    public Task Broken_Code_Does_Not_Crash()
        => CSharpAnalyzerVerifier<ResilienceAnalyzers.Timeouts.TimeoutAnalyzer>.VerifyAnalyzerAsync(
            Usings + """
            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient("x", c => c.Timeout = {|CS1525:)|}.AddStandardResilienceHandler(o => o.AttemptTimeout.Timeout = {|CS1525:)|};
                    new ResiliencePipelineBuilder().{|CS1501:AddTimeout|}().AddRetry(new RetryStrategyOptions { MaxRetryAttempts = {|CS1525:}|});
                }
            }
            """,
            TestLibraries.HttpResilience | TestLibraries.Polly,
            editorConfig: null);
}
