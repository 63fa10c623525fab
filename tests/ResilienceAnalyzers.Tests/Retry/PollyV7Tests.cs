using ResilienceAnalyzers.Tests.Verifiers;
using Verify = ResilienceAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>;

namespace ResilienceAnalyzers.Tests.Retry;

/// <summary>RES001-RES003 on Polly v7 policies (package <c>Polly</c>): reported on the method name.</summary>
public sealed class PollyV7Tests
{
    [Fact]
    public Task RetryForever_ReportsRes001AndRes002OnTheName()
        => Verify.VerifyAnalyzerAsync("""
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy P() => Policy.Handle<HttpRequestException>().{|RES001:{|RES002:RetryForever|}|}();
            }
            """);

    [Fact]
    public Task RetryForeverAsync_WithOnRetry_ReportsRes001AndRes002()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                IAsyncPolicy P() => Policy.Handle<HttpRequestException>().{|RES001:{|RES002:RetryForeverAsync|}|}(ex => Console.WriteLine(ex));
            }
            """);

    [Fact]
    public Task Message_NamesTheMethod()
        => Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy P() => Policy.Handle<HttpRequestException>().WaitAndRetryForever(a => TimeSpan.FromMilliseconds(Random.Shared.Next(100, 1000) * a));
            }
            """,
            Verify.Diagnostic("RES001").WithSpan(7, 62, 7, 81).WithArguments("'WaitAndRetryForever'", "with no effective attempt limit"),
            Verify.Diagnostic("RES004").WithSpan(7, 62, 7, 81).WithArguments("'WaitAndRetryForever'", "without limit"));

    // One retry waits once: there is no sequence of delays to grow. Two equal delays are a constant backoff.
    [Fact]
    public Task SingleRetryWithOneDelay_IsNotRes002_TwoEqualDelaysAre()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                IAsyncPolicy Once() => Policy.Handle<HttpRequestException>().WaitAndRetryAsync(new[] { TimeSpan.FromSeconds(10) });
                IAsyncPolicy Twice() => Policy.Handle<HttpRequestException>().{|RES002:WaitAndRetryAsync|}(new[] { TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10) });
                IAsyncPolicy OnceNow() => Policy.Handle<HttpRequestException>().{|RES002:RetryAsync|}(1);
            }
            """);

    [Fact]
    public Task Message_SaysHowFarALimitGoesAboveTheMaximum()
        => Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy P() => Policy.Handle<HttpRequestException>().WaitAndRetry(25, a => TimeSpan.FromMilliseconds(Random.Shared.Next(100, 1000) * a));
            }
            """,
            Verify.Diagnostic("RES001").WithSpan(7, 62, 7, 74).WithArguments("'WaitAndRetry'", "up to 25 times, more than RES001.max_attempts (10)"));

    [Fact]
    public Task WaitAndRetryForever_GrowingWithoutJitter_ReportsRes001AndRes003()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy P() => Policy.Handle<HttpRequestException>()
                    .{|RES001:{|RES003:{|RES004:WaitAndRetryForever|}|}|}(attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
            }
            """);

    [Fact]
    public Task WaitAndRetryForeverAsync_ConstantDelay_ReportsRes001AndRes002()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                IAsyncPolicy P() => Policy.Handle<HttpRequestException>()
                    .{|RES001:{|RES002:WaitAndRetryForeverAsync|}|}(_ => TimeSpan.FromSeconds(2));
            }
            """);

    [Fact]
    public Task RetryWithoutArguments_RetriesOnceImmediately_ReportsRes002Only()
        => Verify.VerifyAnalyzerAsync("""
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy P() => Policy.Handle<HttpRequestException>().{|RES002:Retry|}();
                IAsyncPolicy Q() => Policy.Handle<HttpRequestException>().{|RES002:RetryAsync|}(3);
            }
            """);

    [Fact]
    public Task CountAboveTheLimit_ReportsRes001()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy A() => Policy.Handle<HttpRequestException>().{|RES001:{|RES002:Retry|}|}(int.MaxValue);
                ISyncPolicy B() => Policy.Handle<HttpRequestException>().{|RES001:{|RES002:Retry|}|}(11);
                ISyncPolicy C1() => Policy.Handle<HttpRequestException>().{|RES002:Retry|}(10);
                ISyncPolicy D() => Policy.Handle<HttpRequestException>()
                    .{|RES001:WaitAndRetry|}(50, a => TimeSpan.FromMilliseconds(Random.Shared.Next(100, 100 * a)));
            }
            """);

    [Fact]
    public Task CountLimit_ComesFromEditorConfig()
        => Verify.VerifyAnalyzerAsync(
            """
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy A() => Policy.Handle<HttpRequestException>().{|RES002:Retry|}(15);
                ISyncPolicy B() => Policy.Handle<HttpRequestException>().{|RES001:{|RES002:Retry|}|}(25);
            }
            """,
            TestLibraries.All,
            "RES001.max_attempts = 20");

    [Fact]
    public Task CountFromAParameter_IsNotJudged_ButTheMissingDelayIs()
        => Verify.VerifyAnalyzerAsync("""
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy P(int retries) => Policy.Handle<HttpRequestException>().{|RES002:Retry|}(retries);
            }
            """);

    [Fact]
    public Task ConstantSleepDuration_ReportsRes002()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy P() => Policy.Handle<HttpRequestException>().{|RES002:WaitAndRetry|}(3, _ => TimeSpan.FromSeconds(2));
                IAsyncPolicy Q() => Policy.Handle<HttpRequestException>().{|RES002:WaitAndRetryAsync|}(3, attempt => TimeSpan.FromSeconds(2));
            }
            """);

    [Fact]
    public Task GrowingSleepDuration_ReportsRes003()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy A() => Policy.Handle<HttpRequestException>().{|RES003:WaitAndRetry|}(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                ISyncPolicy B() => Policy.Handle<HttpRequestException>().{|RES003:WaitAndRetry|}(3, attempt => TimeSpan.FromMilliseconds(100 << attempt));
                ISyncPolicy L() => Policy.Handle<HttpRequestException>().{|RES003:WaitAndRetry|}(3, (attempt, context) => TimeSpan.FromSeconds(attempt));
                IAsyncPolicy D() => Policy.Handle<HttpRequestException>().{|RES003:WaitAndRetryAsync|}(
                    3,
                    attempt =>
                    {
                        var seconds = Math.Pow(2, attempt);
                        return TimeSpan.FromSeconds(seconds);
                    });
            }
            """);

    [Fact]
    public Task JitterWithoutGrowth_IsStillNoBackoff_ReportsRes002()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy P() => Policy.Handle<HttpRequestException>().{|RES002:WaitAndRetry|}(3, _ => TimeSpan.FromMilliseconds(Random.Shared.Next(100, 1000)));
            }
            """);

    [Fact]
    public Task JitteredSleepDuration_IsClean()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy A() => Policy.Handle<HttpRequestException>()
                    .WaitAndRetry(3, attempt => TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(20000, 200 * Math.Pow(2, attempt))));
                IAsyncPolicy B() => Policy.Handle<HttpRequestException>()
                    .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)) + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 1000)));
            }
            """);

    [Fact]
    public Task FakeJitter_IsNoJitter_ReportsRes003()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                static readonly Random Random = new();

                ISyncPolicy P() => Policy.Handle<HttpRequestException>().{|RES003:WaitAndRetry|}(3, attempt =>
                {
                    var ms = 100 * attempt;
                    return TimeSpan.FromMilliseconds(ms + Random.Next(ms, ms + 1));
                });
            }
            """);

    [Fact]
    public Task SleepDurationFromSomethingInvisible_IsSilent_FromAHelperInTheSameFile_IsJudged()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Net.Http;
            using Polly;

            interface IBackoff { TimeSpan Next(int attempt); }

            class C
            {
                static TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(attempt);

                readonly Func<int, TimeSpan> _provider = Backoff;
                readonly IBackoff _backoff = null;

                ISyncPolicy A() => Policy.Handle<HttpRequestException>().{|RES003:WaitAndRetry|}(3, attempt => Backoff(attempt));
                ISyncPolicy F() => Policy.Handle<HttpRequestException>().WaitAndRetry(3, attempt => _backoff.Next(attempt));
                ISyncPolicy B() => Policy.Handle<HttpRequestException>().WaitAndRetry(3, Backoff);
                ISyncPolicy D() => Policy.Handle<HttpRequestException>().WaitAndRetry(3, _provider);
                ISyncPolicy E(TimeSpan delay) => Policy.Handle<HttpRequestException>().WaitAndRetry(3, _ => delay);
            }
            """);

    [Fact]
    public Task ResultPolicies_AreJudgedLikeExceptionPolicies()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                IAsyncPolicy<HttpResponseMessage> A() => Policy<HttpResponseMessage>
                    .Handle<HttpRequestException>()
                    .OrResult(r => !r.IsSuccessStatusCode)
                    .{|RES002:WaitAndRetryAsync|}(3, _ => TimeSpan.FromSeconds(1));

                ISyncPolicy<HttpResponseMessage> B() => Policy
                    .HandleResult<HttpResponseMessage>(r => !r.IsSuccessStatusCode)
                    .{|RES001:{|RES002:RetryForever|}|}();

                IAsyncPolicy<HttpResponseMessage> D() => Policy<HttpResponseMessage>
                    .Handle<HttpRequestException>()
                    .{|RES001:{|RES003:{|RES004:WaitAndRetryForeverAsync|}|}|}(attempt => TimeSpan.FromSeconds(attempt * 2), (outcome, delay) => { });
            }
            """);

    [Fact]
    public Task DelayTables_EqualOrIncreasing()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Collections.Generic;
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy Equal() => Policy.Handle<HttpRequestException>()
                    .{|RES002:WaitAndRetry|}(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1) });

                ISyncPolicy Increasing() => Policy.Handle<HttpRequestException>()
                    .{|RES003:WaitAndRetry|}(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4) });

                IAsyncPolicy List() => Policy.Handle<HttpRequestException>()
                    .{|RES003:WaitAndRetryAsync|}(new List<TimeSpan> { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5) });

                ISyncPolicy Collection() => Policy.Handle<HttpRequestException>()
                    .{|RES002:WaitAndRetry|}([TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)]);

                ISyncPolicy Local()
                {
                    var delays = new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2) };
                    return Policy.Handle<HttpRequestException>().{|RES003:WaitAndRetry|}(delays);
                }

                ISyncPolicy Long() => Policy.Handle<HttpRequestException>()
                    .{|RES001:{|RES002:WaitAndRetry|}|}(new[]
                    {
                        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1),
                        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1),
                        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1),
                    });
            }
            """);

    [Fact]
    public Task DelayTables_ThatCannotBeSeen_AreSilent()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Collections.Generic;
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy Parameter(IEnumerable<TimeSpan> delays) => Policy.Handle<HttpRequestException>().WaitAndRetry(delays);

                ISyncPolicy FromConfig(TimeSpan first) => Policy.Handle<HttpRequestException>().WaitAndRetry(new[] { first, first * 2 });

                ISyncPolicy Reassigned(bool slow)
                {
                    var delays = new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1) };
                    if (slow)
                    {
                        delays = new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5) };
                    }

                    return Policy.Handle<HttpRequestException>().WaitAndRetry(delays);
                }

                ISyncPolicy Grown()
                {
                    var delays = new List<TimeSpan> { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1) };
                    delays.Add(TimeSpan.FromSeconds(10));
                    return Policy.Handle<HttpRequestException>().WaitAndRetry(delays);
                }

                ISyncPolicy Overwritten()
                {
                    var delays = new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1) };
                    delays[1] = TimeSpan.FromSeconds(5);
                    return Policy.Handle<HttpRequestException>().WaitAndRetry(delays);
                }
            }
            """);

    [Fact]
    public Task ContribBackoffHelpers()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Net.Http;
            using Polly;
            using Polly.Contrib.WaitAndRetry;

            class C
            {
                ISyncPolicy Constant() => Policy.Handle<HttpRequestException>()
                    .{|RES002:WaitAndRetry|}(Backoff.ConstantBackoff(TimeSpan.FromSeconds(1), 5));

                ISyncPolicy Linear() => Policy.Handle<HttpRequestException>()
                    .{|RES003:WaitAndRetry|}(Backoff.LinearBackoff(TimeSpan.FromMilliseconds(100), 5));

                IAsyncPolicy Exponential() => Policy.Handle<HttpRequestException>()
                    .{|RES003:WaitAndRetryAsync|}(Backoff.ExponentialBackoff(TimeSpan.FromMilliseconds(100), retryCount: 5));

                IAsyncPolicy TooMany() => Policy.Handle<HttpRequestException>()
                    .{|RES001:{|RES003:{|RES004:WaitAndRetryAsync|}|}|}(Backoff.ExponentialBackoff(TimeSpan.FromMilliseconds(100), 50));

                ISyncPolicy Jittered() => Policy.Handle<HttpRequestException>()
                    .WaitAndRetry(Backoff.DecorrelatedJitterBackoffV2(TimeSpan.FromSeconds(1), 5));

                ISyncPolicy Aws() => Policy.Handle<HttpRequestException>()
                    .WaitAndRetry(Backoff.AwsDecorrelatedJitterBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10), 5));

                ISyncPolicy FromLocal()
                {
                    var delays = Backoff.ExponentialBackoff(TimeSpan.FromMilliseconds(100), 5);
                    return Policy.Handle<HttpRequestException>().{|RES003:WaitAndRetry|}(delays);
                }

                ISyncPolicy JitteredLocal()
                {
                    var delays = Backoff.DecorrelatedJitterBackoffV2(TimeSpan.FromSeconds(1), 5);
                    return Policy.Handle<HttpRequestException>().WaitAndRetry(delays);
                }
            }
            """);

    [Fact]
    public Task SameNamesOnOtherTypes_AreNotPolicies()
        => Verify.VerifyAnalyzerAsync("""
            using System;

            class Builder
            {
                public Builder RetryForever() => this;
                public Builder WaitAndRetry(int count, Func<int, TimeSpan> delay) => this;
            }

            class C
            {
                Builder P(Builder b) => b.RetryForever().WaitAndRetry(3, _ => TimeSpan.FromSeconds(1));
            }
            """);

    [Fact]
    public Task PollyNotReferenced_OnlyHandWrittenLoopsReport()
        => Verify.VerifyAnalyzerAsync(
            """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;

            static class Policy
            {
                public static Policy2 Handle<T>() => new();
            }

            class Policy2
            {
                public Policy2 RetryForever() => this;
            }

            class C
            {
                object P() => Policy.Handle<Exception>().RetryForever();

                async Task<string> Get(HttpClient client, string url)
                {
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                        }
                    }
                }
            }
            """,
            TestLibraries.None,
            editorConfig: null);

    [Fact]
    public Task HalfTypedCode_DoesNotThrow()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                ISyncPolicy P() => Policy.Handle<HttpRequestException>().{|CS1501:WaitAndRetry|}();
                ISyncPolicy Q() => Policy.Handle<HttpRequestException>().WaitAndRetryForever({|CS1503:"x"|});
                ISyncPolicy R() => Policy.Handle<HttpRequestException>().Retry({|CS0103:count|});
            }
            """);

    [Fact]
    public Task TransientHttpErrorPolicy_IsAPollyV7Policy()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using Microsoft.Extensions.DependencyInjection;
            using Polly;

            class C
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient("api")
                        .AddTransientHttpErrorPolicy(p => p.{|RES001:{|RES002:WaitAndRetryForeverAsync|}|}(_ => TimeSpan.FromSeconds(1)));
                }

                IAsyncPolicy<System.Net.Http.HttpResponseMessage> P() => Polly.Extensions.Http.HttpPolicyExtensions
                    .HandleTransientHttpError()
                    .{|RES003:WaitAndRetryAsync|}(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
            }
            """);
}
