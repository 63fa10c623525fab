using Microsoft.CodeAnalysis.Testing;
using ResilienceAnalyzers.CodeFixes.Retry;
using ResilienceAnalyzers.Tests.Verifiers;
using Fix = ResilienceAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer, ResilienceAnalyzers.CodeFixes.Retry.RetryCodeFixProvider>;

namespace ResilienceAnalyzers.Tests.Retry;

/// <summary>The Polly fixes: v7 bounded overloads and jittered sleep durations, v8 settings. Fix All is checked by the verifier.</summary>
public sealed class PollyFixTests
{
    private const string BoundPolicy = RetryCodeFixProvider.BoundKey;
    private const string Res002Backoff = RetryCodeFixProvider.JitteredBackoffKey;
    private const string Res003Backoff = RetryCodeFixProvider.AddJitterKey;

    /// <summary>For sources that mix rules: Fix All runs once per equivalence key, so up to one iteration per rule.</summary>
    private static Task VerifyMixedAsync(string source, string fixedSource, int rules, TestLibraries libraries = TestLibraries.All)
        => new Fix.Test
        {
            TestCode = source,
            FixedCode = fixedSource,
            TestLibraries = libraries,
            NumberOfFixAllIterations = -rules,
        }.RunAsync();

    [Fact]
    public Task V8_UnboundedAttempts_BecomeTheConfiguredCount()
        => Fix.VerifyCodeFixAsync(
            """
            using Polly;
            using Polly.Retry;

            class C
            {
                object A() => new RetryStrategyOptions { {|RES001:MaxRetryAttempts = int.MaxValue|}, BackoffType = DelayBackoffType.Exponential, UseJitter = true };

                object B()
                {
                    var options = new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, UseJitter = true };
                    {|RES001:options.MaxRetryAttempts = 50|}; // too many
                    return options;
                }
            }
            """,
            """
            using Polly;
            using Polly.Retry;

            class C
            {
                object A() => new RetryStrategyOptions { MaxRetryAttempts = 3, BackoffType = DelayBackoffType.Exponential, UseJitter = true };

                object B()
                {
                    var options = new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, UseJitter = true };
                    options.MaxRetryAttempts = 3; // too many
                    return options;
                }
            }
            """);

    [Fact]
    public Task V8_AttemptCount_ComesFromEditorConfig()
        => Fix.VerifyCodeFixAsync(
            """
            using Polly;
            using Polly.Retry;

            class C
            {
                object A() => new RetryStrategyOptions { {|RES001:MaxRetryAttempts = 50|}, BackoffType = DelayBackoffType.Exponential, UseJitter = true };
            }
            """,
            """
            using Polly;
            using Polly.Retry;

            class C
            {
                object A() => new RetryStrategyOptions { MaxRetryAttempts = 5, BackoffType = DelayBackoffType.Exponential, UseJitter = true };
            }
            """,
            editorConfig: "resilience_analyzers.max_attempts = 5");

    [Fact]
    public Task V8_DefaultAttemptsAboveAStricterLimit_AreWrittenOut()
        => Fix.VerifyCodeFixAsync(
            """
            using Microsoft.Extensions.Http.Resilience;

            class C
            {
                object A() => {|RES001:new HttpRetryStrategyOptions()|};
            }
            """,
            """
            using Microsoft.Extensions.Http.Resilience;

            class C
            {
                object A() => new HttpRetryStrategyOptions { MaxRetryAttempts = 2 };
            }
            """,
            editorConfig: "RES001.max_attempts = 2");

    [Fact]
    public Task V8_Defaults_GetExponentialBackoffWithJitter()
        => Fix.VerifyCodeFixAsync(
            """
            using Polly;
            using Polly.Retry;

            class C
            {
                ResiliencePipeline A() => new ResiliencePipelineBuilder().AddRetry({|RES002:new RetryStrategyOptions()|}).Build();

                object B() => {|RES002:new RetryStrategyOptions|} { MaxRetryAttempts = 2 };

                object D()
                {
                    RetryStrategyOptions options = {|RES002:new()|};
                    return options;
                }
            }
            """,
            """
            using Polly;
            using Polly.Retry;

            class C
            {
                ResiliencePipeline A() => new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, UseJitter = true }).Build();

                object B() => new RetryStrategyOptions { MaxRetryAttempts = 2, BackoffType = DelayBackoffType.Exponential, UseJitter = true };

                object D()
                {
                    RetryStrategyOptions options = new()
                    {
                        BackoffType = DelayBackoffType.Exponential,
                        UseJitter = true
                    };
                    return options;
                }
            }
            """);

    [Fact]
    public Task V8_AddsTheUsingItNeeds_AndKeepsAMultiLineLayout()
        => Fix.VerifyCodeFixAsync(
            """
            using System;
            using Polly.Retry;

            class C
            {
                object A() => {|RES002:new RetryStrategyOptions|}
                {
                    MaxRetryAttempts = 4,
                    Delay = TimeSpan.FromSeconds(1)
                };

                object B() => {|RES002:new RetryStrategyOptions|}
                {
                    MaxRetryAttempts = 4,
                };
            }
            """,
            """
            using System;
            using Polly;
            using Polly.Retry;

            class C
            {
                object A() => new RetryStrategyOptions
                {
                    MaxRetryAttempts = 4,
                    Delay = TimeSpan.FromSeconds(1),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true
                };

                object B() => new RetryStrategyOptions
                {
                    MaxRetryAttempts = 4,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                };
            }
            """);

    [Fact]
    public Task V8_FaultyValues_AreReplaced()
        => Fix.VerifyCodeFixAsync(
            """
            using System;
            using Polly;
            using Polly.Retry;

            class C
            {
                object Constant() => new RetryStrategyOptions { {|RES002:BackoffType = DelayBackoffType.Constant|} };

                object Zero() => new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, UseJitter = true, {|RES002:Delay = TimeSpan.Zero|} };

                object Later()
                {
                    var options = new RetryStrategyOptions();
                    {|RES002:options.BackoffType = DelayBackoffType.Constant|};
                    return options;
                }
            }
            """,
            """
            using System;
            using Polly;
            using Polly.Retry;

            class C
            {
                object Constant() => new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, UseJitter = true };

                object Zero() => new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, UseJitter = true, Delay = TimeSpan.FromMilliseconds(200) };

                object Later()
                {
                    var options = new RetryStrategyOptions { UseJitter = true };
                    options.BackoffType = DelayBackoffType.Exponential;
                    return options;
                }
            }
            """,
            equivalenceKey: Res002Backoff);

    [Fact]
    public Task V8_MissingJitter_IsAdded()
        => Fix.VerifyCodeFixAsync(
            """
            using Microsoft.Extensions.Http.Resilience;
            using Polly;
            using Polly.Retry;

            class C
            {
                object A() => new RetryStrategyOptions { {|RES003:BackoffType = DelayBackoffType.Linear|} };
                object B() => new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, {|RES003:UseJitter = false|} };
                object D() => new HttpRetryStrategyOptions { {|RES003:UseJitter = false|} };
            }
            """,
            """
            using Microsoft.Extensions.Http.Resilience;
            using Polly;
            using Polly.Retry;

            class C
            {
                object A() => new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, UseJitter = true };
                object B() => new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, UseJitter = true };
                object D() => new HttpRetryStrategyOptions { UseJitter = true };
            }
            """);

    [Fact]
    public Task StandardHandler_ValuesAreReplaced()
        => VerifyMixedAsync(
            """
            using System;
            using Microsoft.Extensions.DependencyInjection;
            using Polly;

            class C
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient("a").AddStandardResilienceHandler(o =>
                    {
                        {|RES003:o.Retry.UseJitter = false|};
                        {|RES001:o.Retry.MaxRetryAttempts = int.MaxValue|};
                    });

                    services.AddHttpClient("b").AddStandardResilienceHandler(o => {|RES002:o.Retry.BackoffType = DelayBackoffType.Constant|});
                    services.AddHttpClient("c").AddStandardResilienceHandler(o => {|RES002:o.Retry.Delay = TimeSpan.Zero|});
                }
            }
            """,
            """
            using System;
            using Microsoft.Extensions.DependencyInjection;
            using Polly;

            class C
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient("a").AddStandardResilienceHandler(o =>
                    {
                        o.Retry.UseJitter = true;
                        o.Retry.MaxRetryAttempts = 3;
                    });

                    services.AddHttpClient("b").AddStandardResilienceHandler(o => o.Retry.BackoffType = DelayBackoffType.Exponential);
                    services.AddHttpClient("c").AddStandardResilienceHandler(o => o.Retry.Delay = TimeSpan.FromMilliseconds(200));
                }
            }
            """,
            rules: 3);

    [Fact]
    public Task V8_DelayGenerator_HasNoFix()
    {
        const string source = """
            using System;
            using System.Threading.Tasks;
            using Polly.Retry;

            class C
            {
                object A() => new RetryStrategyOptions
                {
                    {|RES002:DelayGenerator = _ => new ValueTask<TimeSpan?>(TimeSpan.FromSeconds(1))|},
                };
            }
            """;
        return Fix.VerifyCodeFixAsync(source, source);
    }

    [Fact]
    public Task V7_Forever_BecomesTheBoundedOverload()
        => Fix.VerifyCodeFixAsync(
            """
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy A() => Policy.Handle<HttpRequestException>()
                    .{|RES001:WaitAndRetryForever|}(attempt => TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100 * attempt)));

                IAsyncPolicy B() => Policy.Handle<HttpRequestException>()
                    .{|RES001:WaitAndRetryForeverAsync|}(
                        attempt => TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100 * attempt)),
                        (exception, delay) => Console.WriteLine(delay));
            }
            """,
            """
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy A() => Policy.Handle<HttpRequestException>()
                    .WaitAndRetry(3, attempt => TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100 * attempt)));

                IAsyncPolicy B() => Policy.Handle<HttpRequestException>()
                    .WaitAndRetryAsync(
                        3,
                        attempt => TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100 * attempt)),
                        (exception, delay) => Console.WriteLine(delay));
            }
            """);

    [Fact]
    public Task V7_InsideAConfigureLambda_IsRewrittenInPlace()
        => Fix.VerifyCodeFixAsync(
            """
            using System;
            using Microsoft.Extensions.DependencyInjection;
            using Polly;

            class C
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient("api")
                        .AddTransientHttpErrorPolicy(p => p.{|RES001:WaitAndRetryForeverAsync|}(attempt => TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100 * attempt))));
                }
            }
            """,
            """
            using System;
            using Microsoft.Extensions.DependencyInjection;
            using Polly;

            class C
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient("api")
                        .AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(3, attempt => TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100 * attempt))));
                }
            }
            """);

    [Fact]
    public Task V7_RetryForever_IsBounded_AndStillHasNoBackoff()
        => new Fix.Test
        {
            TestCode = """
                using System.Net.Http;
                using Polly;

                class C
                {
                    ISyncPolicy A() => Policy.Handle<HttpRequestException>().{|RES001:{|RES002:RetryForever|}|}();
                    ISyncPolicy B() => Policy.Handle<HttpRequestException>().{|RES001:{|RES002:Retry|}|}(100);
                }
                """,
            FixedState =
            {
                // The RES002 left behind is expected: this fix only bounds the policy.
                MarkupHandling = MarkupMode.Allow,
                Sources =
                {
                    """
                    using System.Net.Http;
                    using Polly;

                    class C
                    {
                        ISyncPolicy A() => Policy.Handle<HttpRequestException>().{|RES002:Retry|}(3);
                        ISyncPolicy B() => Policy.Handle<HttpRequestException>().{|RES002:Retry|}(3);
                    }
                    """,
                },
            },
            CodeActionEquivalenceKey = BoundPolicy,
        }.RunAsync();

    [Fact]
    public Task V7_NoBackoff_GetsAJitteredLambda_WithoutContrib()
        => VerifyMixedAsync(
            """
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy A() => Policy.Handle<HttpRequestException>().{|RES002:WaitAndRetry|}(3, _ => TimeSpan.FromSeconds(2));

                IAsyncPolicy B(int retries) => Policy.Handle<HttpRequestException>()
                    .{|RES003:WaitAndRetryAsync|}(retries, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)), onRetry: (exception, delay) => { });

                ISyncPolicy D() => Policy.Handle<HttpRequestException>().{|RES002:Retry|}(5);
            }
            """,
            """
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy A() => Policy.Handle<HttpRequestException>().WaitAndRetry(3, retryAttempt => TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(20000, 200 * Math.Pow(2, retryAttempt))));

                IAsyncPolicy B(int retries) => Policy.Handle<HttpRequestException>()
                    .WaitAndRetryAsync(retries, retryAttempt => TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(20000, 200 * Math.Pow(2, retryAttempt))), onRetry: (exception, delay) => { });

                ISyncPolicy D() => Policy.Handle<HttpRequestException>().WaitAndRetry(5, retryAttempt => TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(20000, 200 * Math.Pow(2, retryAttempt))));
            }
            """,
            rules: 2,
            TestLibraries.Polly);

    [Fact]
    public Task V7_LambdaParameter_DoesNotShadowALocal()
        => Fix.VerifyCodeFixAsync(
            """
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy A()
                {
                    var retryAttempt = 0;
                    return Policy.Handle<HttpRequestException>().{|RES002:Retry|}(retryAttempt + 2);
                }
            }
            """,
            """
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy A()
                {
                    var retryAttempt = 0;
                    return Policy.Handle<HttpRequestException>().WaitAndRetry(retryAttempt + 2, retryAttempt1 => TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(20000, 200 * Math.Pow(2, retryAttempt1))));
                }
            }
            """,
            TestLibraries.Polly);

    [Fact]
    public Task V7_LambdaFix_AddsUsingSystem_AndReadsBackoffOptions()
        => Fix.VerifyCodeFixAsync(
            """
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy A() => Policy.Handle<HttpRequestException>().{|RES002:Retry|}();
            }
            """,
            """
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy A() => Policy.Handle<HttpRequestException>().WaitAndRetry(1, retryAttempt => TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(5000, 100 * Math.Pow(2, retryAttempt))));
            }
            """,
            TestLibraries.Polly,
            editorConfig: "resilience_analyzers.backoff_base_ms = 100\nresilience_analyzers.backoff_cap_ms = 5000");

    [Fact]
    public Task V7_NoBackoff_GetsDecorrelatedJitter_WithContrib()
        => VerifyMixedAsync(
            """
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy A() => Policy.Handle<HttpRequestException>().{|RES002:WaitAndRetry|}(3, _ => TimeSpan.FromSeconds(2));

                IAsyncPolicy<HttpResponseMessage> B() => Policy<HttpResponseMessage>
                    .Handle<HttpRequestException>()
                    .{|RES003:WaitAndRetryAsync|}(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2) }, (outcome, delay) => { });

                ISyncPolicy D() => Policy.Handle<HttpRequestException>().{|RES001:{|RES002:RetryForever|}|}();
            }
            """,
            """
            using System;
            using System.Net.Http;
            using Polly;
            using Polly.Contrib.WaitAndRetry;

            class C
            {
                ISyncPolicy A() => Policy.Handle<HttpRequestException>().WaitAndRetry(Backoff.DecorrelatedJitterBackoffV2(TimeSpan.FromMilliseconds(200), 3));

                IAsyncPolicy<HttpResponseMessage> B() => Policy<HttpResponseMessage>
                    .Handle<HttpRequestException>()
                    .WaitAndRetryAsync(Backoff.DecorrelatedJitterBackoffV2(TimeSpan.FromMilliseconds(200), 2), (outcome, delay) => { });

                ISyncPolicy D() => Policy.Handle<HttpRequestException>().WaitAndRetry(Backoff.DecorrelatedJitterBackoffV2(TimeSpan.FromMilliseconds(200), 3));
            }
            """,
            rules: 3,
            TestLibraries.Polly | TestLibraries.PollyContrib);

    [Fact]
    public Task V7_OnRetryOfADifferentShape_HasNoFix()
    {
        // RetryForever(Action<Exception>) has no bounded twin, and Retry's onRetry does not fit WaitAndRetry.
        const string source = """
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy A() => Policy.Handle<HttpRequestException>().{|RES001:{|RES002:RetryForever|}|}(ex => Console.WriteLine(ex));
                ISyncPolicy B() => Policy.Handle<HttpRequestException>().{|RES002:Retry|}(3, (ex, attempt) => Console.WriteLine(attempt));
            }
            """;
        return Fix.VerifyCodeFixAsync(source, source, TestLibraries.Polly);
    }

    [Fact]
    public Task V7_WithoutRandomShared_AndWithoutContrib_HasNoBackoffFix()
    {
        // Stands in for a framework before .NET 6: the compilation's System.Random has no Shared.
        const string source = """
            using System.Net.Http;
            using Polly;

            namespace System
            {
                public class Random
                {
                }
            }

            class C
            {
                ISyncPolicy A() => Policy.Handle<HttpRequestException>().{|RES002:Retry|}(3);
            }
            """;
        return Fix.VerifyCodeFixAsync(source, source, TestLibraries.Polly);
    }

    [Fact]
    public Task V7_CountInsideAContribHelper_HasNoBoundFix()
    {
        const string source = """
            using System;
            using System.Net.Http;
            using Polly;
            using Polly.Contrib.WaitAndRetry;

            class C
            {
                ISyncPolicy A() => Policy.Handle<HttpRequestException>()
                    .{|RES001:WaitAndRetry|}(Backoff.DecorrelatedJitterBackoffV2(TimeSpan.FromSeconds(1), 50));
            }
            """;
        return Fix.VerifyCodeFixAsync(source, source, TestLibraries.Polly | TestLibraries.PollyContrib);
    }
}
