using ResilienceAnalyzers.Tests.Verifiers;
using Verify = ResilienceAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>;

namespace ResilienceAnalyzers.Tests.Retry;

/// <summary>RES004: a growing delay with nothing capping it, across loops, Polly v7 and Polly v8; and what stays silent.</summary>
public sealed class BackoffCapTests
{
    private const string Usings = """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using Polly;
        using Polly.Retry;

        """;

    private static Task VerifyLoop(string source, string? editorConfig = null)
        => Verify.VerifyAnalyzerAsync(Usings + source, TestLibraries.All, editorConfig);

    [Fact]
    public Task LoopWithoutLimit_DoublingFromAnAttemptCounter_IsReported()
        => VerifyLoop("""
            class C
            {
                async Task<string> Get(HttpClient client, string url)
                {
                    var attempt = 0;
                    {|RES001:{|RES003:while|}|} (true)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            attempt++;
                            await Task.Delay({|RES004:TimeSpan.FromSeconds(Math.Pow(2, attempt))|});
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task LoopWithoutLimit_DelayLocalMultipliedEachRound_IsReported()
        => VerifyLoop("""
            class C
            {
                async Task Send(HttpClient client, string url)
                {
                    var delay = TimeSpan.FromMilliseconds(250);
                    {|RES001:{|RES003:while|}|} (true)
                    {
                        try
                        {
                            await client.PostAsync(url, null);
                            return;
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay({|RES004:delay|});
                            delay = delay * 2;
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task LoopWithoutLimit_LinearOrTickDoublingOrSynchronous_IsReported()
        => VerifyLoop("""
            class C
            {
                async Task<string> Linear(HttpClient client, string url)
                {
                    var attempt = 0;
                    {|RES001:{|RES003:while|}|} (true)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay({|RES004:1000 * ++attempt|});
                        }
                    }
                }

                async Task<string> Ticks(HttpClient client, string url)
                {
                    var delay = TimeSpan.FromMilliseconds(100);
                    {|RES001:{|RES003:while|}|} (true)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay({|RES004:delay|});
                            delay = TimeSpan.FromTicks(delay.Ticks * 2);
                        }
                    }
                }

                string Synchronous(HttpClient client, string url)
                {
                    var backoff = 50;
                    {|RES001:{|RES003:while|}|} (true)
                    {
                        try
                        {
                            return client.GetStringAsync(url).Result;
                        }
                        catch (AggregateException)
                        {
                            Thread.Sleep({|RES004:backoff|});
                            backoff *= 2;
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task BoundedLoop_ThatStillWaitsMinutesBeforeGivingUp_IsReportedWithTheLongestWait()
        => Verify.VerifyAnalyzerAsync(
            Usings + """
            class C
            {
                async Task<string> Get(HttpClient client, string url)
                {
                    for (var attempt = 0; ; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException) when (attempt < 8)
                        {
                            await Task.Delay({|#0:1000 * (1 << attempt)|});
                        }
                    }
                }
            }
            """,
            TestLibraries.All,
            null,
            Verify.Diagnostic("RES003").WithSpan(11, 9, 11, 12).WithArguments("This loop"),
            Verify.Diagnostic("RES004").WithLocation(0).WithArguments("This loop", "to 128 s before it gives up"));

    [Fact]
    public Task CappedOrSmallOrUnseenDelays_AreNotReported()
        => VerifyLoop("""
            class C
            {
                static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(30);

                // Capped with Math.Min: the background-recovery shape, silent for RES001 too.
                async Task Reconnect(HttpClient client, string url)
                {
                    var attempt = 0;
                    {|RES003:while|} (true)
                    {
                        try
                        {
                            await client.GetAsync(url);
                            return;
                        }
                        catch (HttpRequestException)
                        {
                            attempt++;
                            await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(30_000, 100 * Math.Pow(2, attempt))));
                        }
                    }
                }

                // Capped by an if after the doubling.
                async Task<string> CappedByAnIf(HttpClient client, string url)
                {
                    var delay = TimeSpan.FromSeconds(1);
                    for (var attempt = 0; attempt < 10; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100)));
                            delay *= 2;
                            if (delay > MaxDelay)
                            {
                                delay = MaxDelay;
                            }
                        }
                    }

                    throw new TimeoutException();
                }

                // Capped by a conditional.
                async Task<string> CappedByATernary(HttpClient client, string url)
                {
                    for (var attempt = 0; attempt < 10; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            var wait = attempt > 5 ? 32_000 : 1000 * (1 << attempt);
                            await Task.Delay(wait + Random.Shared.Next(100));
                        }
                    }

                    throw new TimeoutException();
                }

                // Five attempts from 1 s doubling: the longest wait is 16 s.
                async Task<string> Small(HttpClient client, string url)
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt) * Random.Shared.NextDouble()));
                        }
                    }

                    throw new TimeoutException();
                }

                // The base comes from the caller: how long it waits cannot be computed.
                async Task<string> FromTheCaller(HttpClient client, string url, TimeSpan baseDelay)
                {
                    for (var attempt = 0; attempt < 10; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(baseDelay * Math.Pow(2, attempt) * Random.Shared.NextDouble());
                        }
                    }

                    throw new TimeoutException();
                }
            }
            """);

    [Fact]
    public Task MaxDelaySeconds_SetsTheThreshold()
        => Verify.VerifyAnalyzerAsync(
            Usings + """
            class C
            {
                async Task<string> Get(HttpClient client, string url)
                {
                    for (var attempt = 0; attempt < 7; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay({|#0:TimeSpan.FromSeconds(Math.Pow(2, attempt) * Random.Shared.NextDouble())|});
                        }
                    }

                    throw new TimeoutException();
                }
            }
            """,
            TestLibraries.All,
            "RES004.max_delay_seconds = 30",
            Verify.Diagnostic("RES004").WithLocation(0).WithArguments("This loop", "to 64 s before it gives up"));

    [Fact]
    public Task PollyV8_ManyExponentialRetriesWithoutMaxDelay_AreReported_MaxDelayOrFewRetriesAreNot()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Threading.Tasks;
            using Microsoft.Extensions.Http.Resilience;
            using Polly;
            using Polly.Retry;

            class C
            {
                object Many() => new RetryStrategyOptions { MaxRetryAttempts = 8, {|#0:BackoffType = DelayBackoffType.Exponential|}, UseJitter = true, Delay = TimeSpan.FromSeconds(1) };
                object Linear() => new RetryStrategyOptions { MaxRetryAttempts = 10, {|#1:BackoffType = DelayBackoffType.Linear|}, UseJitter = true, Delay = TimeSpan.FromSeconds(10) };
                object HttpMany() => {|#2:new HttpRetryStrategyOptions|} { MaxRetryAttempts = 9 };
                object Generated() => new RetryStrategyOptions
                {
                    MaxRetryAttempts = 10,
                    {|#3:DelayGenerator = args => new ValueTask<TimeSpan?>(TimeSpan.FromSeconds(Math.Pow(2, args.AttemptNumber) * Random.Shared.NextDouble()))|},
                };

                object Capped() => new RetryStrategyOptions { MaxRetryAttempts = 8, BackoffType = DelayBackoffType.Exponential, UseJitter = true, MaxDelay = TimeSpan.FromSeconds(30) };
                object Few() => new RetryStrategyOptions { MaxRetryAttempts = 4, BackoffType = DelayBackoffType.Exponential, UseJitter = true };
                object HttpDefaults() => new HttpRetryStrategyOptions();
                object Constant() => new RetryStrategyOptions { {|RES002:BackoffType = DelayBackoffType.Constant|}, MaxRetryAttempts = 10 };
                object Configured(TimeSpan delay) => new RetryStrategyOptions { MaxRetryAttempts = 8, BackoffType = DelayBackoffType.Exponential, UseJitter = true, Delay = delay };
            }
            """,
            TestLibraries.All,
            null,
            Verify.Diagnostic("RES004").WithLocation(0).WithArguments("'RetryStrategyOptions'", "to 128 s before it gives up"),
            Verify.Diagnostic("RES004").WithLocation(1).WithArguments("'RetryStrategyOptions'", "to 100 s before it gives up"),
            Verify.Diagnostic("RES004").WithLocation(2).WithArguments("'HttpRetryStrategyOptions'", "to 512 s before it gives up"),
            Verify.Diagnostic("RES004").WithLocation(3).WithArguments("'RetryStrategyOptions'", "to 512 s before it gives up"));

    [Fact]
    public Task PollyV7_SleepDurationsThatKeepGrowing_AreReported_CappedOnesAreNot()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                object Many() => Policy.Handle<HttpRequestException>()
                    .{|RES003:{|#0:WaitAndRetryAsync|}|}(10, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));

                object Capped() => Policy.Handle<HttpRequestException>()
                    .{|RES003:WaitAndRetryAsync|}(10, attempt => TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, attempt))));

                object Few() => Policy.Handle<HttpRequestException>()
                    .{|RES003:WaitAndRetryAsync|}(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));

                object ContribMany() => Policy.Handle<HttpRequestException>()
                    .{|RES003:{|#1:WaitAndRetryAsync|}|}(Polly.Contrib.WaitAndRetry.Backoff.ExponentialBackoff(TimeSpan.FromSeconds(1), retryCount: 10));

                object ContribJitteredMany() => Policy.Handle<HttpRequestException>()
                    .{|#2:WaitAndRetryAsync|}(Polly.Contrib.WaitAndRetry.Backoff.DecorrelatedJitterBackoffV2(TimeSpan.FromSeconds(1), retryCount: 10));

                object ContribFew() => Policy.Handle<HttpRequestException>()
                    .WaitAndRetryAsync(Polly.Contrib.WaitAndRetry.Backoff.DecorrelatedJitterBackoffV2(TimeSpan.FromSeconds(1), retryCount: 5));

                object ContribCapped() => Policy.Handle<HttpRequestException>()
                    .WaitAndRetryAsync(Polly.Contrib.WaitAndRetry.Backoff.AwsDecorrelatedJitterBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5), retryCount: 10));
            }
            """,
            TestLibraries.All,
            null,
            Verify.Diagnostic("RES004").WithLocation(0).WithArguments("'WaitAndRetryAsync'", "to 17 min before it gives up"),
            Verify.Diagnostic("RES004").WithLocation(1).WithArguments("'WaitAndRetryAsync'", "to 512 s before it gives up"),
            Verify.Diagnostic("RES004").WithLocation(2).WithArguments("'WaitAndRetryAsync'", "to 512 s before it gives up"));
}
