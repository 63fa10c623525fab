using ResilienceAnalyzers.CodeFixes.Retry;
using Fix = ResilienceAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer, ResilienceAnalyzers.CodeFixes.Retry.RetryCodeFixProvider>;

namespace ResilienceAnalyzers.Tests.Retry;

/// <summary>The RES004 fix: a cap where the delay grows, one and all at once (Fix All is checked by the verifier).</summary>
public sealed class BackoffCapFixTests
{
    private const string Cap = RetryCodeFixProvider.CapKey;

    [Fact]
    public Task LoopDelays_AreCappedInsideTheTimeSpan_OrAroundTheNumber()
        => Fix.VerifyCodeFixAsync(
            """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;

            class C
            {
                async Task<string> Seconds(HttpClient client, string url)
                {
                    for (var attempt = 0; attempt < 10; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay({|RES004:TimeSpan.FromSeconds(Math.Pow(2, attempt) * Random.Shared.NextDouble())|});
                        }
                    }

                    throw new TimeoutException();
                }

                async Task<string> Milliseconds(HttpClient client, string url)
                {
                    for (var attempt = 0; attempt < 10; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay({|RES004:Random.Shared.Next(100) + 1000 * (1 << attempt)|});
                        }
                    }

                    throw new TimeoutException();
                }
            }
            """,
            """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;

            class C
            {
                async Task<string> Seconds(HttpClient client, string url)
                {
                    for (var attempt = 0; attempt < 10; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(TimeSpan.FromSeconds(Math.Min(20, Math.Pow(2, attempt) * Random.Shared.NextDouble())));
                        }
                    }

                    throw new TimeoutException();
                }

                async Task<string> Milliseconds(HttpClient client, string url)
                {
                    for (var attempt = 0; attempt < 10; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(Math.Min(20000, Random.Shared.Next(100) + 1000 * (1 << attempt)));
                        }
                    }

                    throw new TimeoutException();
                }
            }
            """,
            equivalenceKey: Cap);

    [Fact]
    public Task DelayLocalMultipliedByTheLoop_IsCappedWhereItIsWritten()
        => Fix.VerifyCodeFixAsync(
            """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;

            class C
            {
                async Task Send(HttpClient client, string url)
                {
                    var delay = 250;
                    for (var attempt = 0; attempt < 10; attempt++)
                    {
                        try
                        {
                            await client.PostAsync(url, null);
                            return;
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay({|RES004:delay|} + Random.Shared.Next(100));
                            delay *= 2;
                        }
                    }
                }
            }
            """.Replace("{|RES004:delay|} + Random.Shared.Next(100)", "{|RES004:delay + Random.Shared.Next(100)|}", System.StringComparison.Ordinal),
            """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;

            class C
            {
                async Task Send(HttpClient client, string url)
                {
                    var delay = 250;
                    for (var attempt = 0; attempt < 10; attempt++)
                    {
                        try
                        {
                            await client.PostAsync(url, null);
                            return;
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(Math.Min(20000, delay + Random.Shared.Next(100)));
                            delay *= 2;
                        }
                    }
                }
            }
            """,
            equivalenceKey: Cap);

    [Fact]
    public Task DelayLocalPassedAsItIs_IsCappedWhereTheLoopWritesIt()
        => Fix.VerifyCodeFixAsync(
            """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;

            class C
            {
                async Task Send(HttpClient client, string url)
                {
                    var delay = TimeSpan.FromMilliseconds(250);
                    {|RES003:for|} (var attempt = 0; attempt < 10; attempt++)
                    {
                        try
                        {
                            await client.PostAsync(url, null);
                            return;
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay({|RES004:delay|});
                            delay *= 2;
                        }
                    }
                }
            }
            """,
            """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;

            class C
            {
                async Task Send(HttpClient client, string url)
                {
                    var delay = TimeSpan.FromMilliseconds(250);
                    {|RES003:for|} (var attempt = 0; attempt < 10; attempt++)
                    {
                        try
                        {
                            await client.PostAsync(url, null);
                            return;
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(delay);
                            delay = TimeSpan.FromMilliseconds(Math.Min(20000, (delay * 2).TotalMilliseconds));
                        }
                    }
                }
            }
            """,
            equivalenceKey: Cap);

    [Fact]
    public Task PollyV8_GetsMaxDelay_PollyV7_CapsItsLambda()
        => Fix.VerifyCodeFixAsync(
            """
            using System;
            using System.Net.Http;
            using Polly;
            using Polly.Retry;

            class C
            {
                object V8() => new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(),
                    MaxRetryAttempts = 10,
                    {|RES004:BackoffType = DelayBackoffType.Exponential|},
                    UseJitter = true,
                };

                object V7() => Policy.Handle<HttpRequestException>()
                    .{|RES003:{|RES004:WaitAndRetryAsync|}|}(10, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
            }
            """,
            """
            using System;
            using System.Net.Http;
            using Polly;
            using Polly.Retry;

            class C
            {
                object V8() => new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(),
                    MaxRetryAttempts = 10,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    MaxDelay = TimeSpan.FromMilliseconds(20000),
                };

                object V7() => Policy.Handle<HttpRequestException>()
                    .{|RES003:WaitAndRetryAsync|}(10, attempt => TimeSpan.FromSeconds(Math.Min(20, Math.Pow(2, attempt))));
            }
            """,
            equivalenceKey: Cap);
}
