using ResilienceAnalyzers.Tests.Verifiers;
using Verify = ResilienceAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>;

namespace ResilienceAnalyzers.Tests.Retry;

/// <summary>RES005: a retry that goes round on every exception; and the retries that choose what they go round on.</summary>
public sealed class EveryExceptionTests
{
    private const string Usings = """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    /// <summary>RES005 on, positives and negatives alike; the other retry rules as marked.</summary>
    private static Task Verify005(string source, TestLibraries libraries = TestLibraries.All)
    {
        var test = new Verify.Test { TestCode = source, TestLibraries = libraries, VerifiesEveryExceptionRule = true };
        return test.RunAsync(System.Threading.CancellationToken.None);
    }

    [Fact]
    public Task Loops_GotosAndRecursion_ThatGoRoundOnAnyException_AreReportedOnTheCatch()
        => Verify005(Usings + """
            class C
            {
                async Task<string> Typed(HttpClient client, string url)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        {|RES005:catch|} (Exception ex)
                        {
                            Console.WriteLine(ex.Message);
                            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(100, 200) * (attempt + 1)));
                        }
                    }

                    throw new TimeoutException();
                }

                async Task<string> Bare(HttpClient client, string url)
                {
                    var attempt = 0;
                    while (true)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        {|RES005:catch|}
                        {
                            if (++attempt >= 3)
                            {
                                throw;
                            }

                            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(100, 200) * attempt));
                        }
                    }
                }

                // The filter is the attempt limit: it decides how often, not on what.
                async Task<string> CountingFilter(HttpClient client, string url)
                {
                    for (var attempt = 1; ; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        {|RES005:catch|} (Exception) when (attempt < 3)
                        {
                            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(100, 200) * attempt));
                        }
                    }
                }

                // Letting cancellation through is no choice among failures.
                async Task<string> AllButCancellation(HttpClient client, string url, CancellationToken token)
                {
                    for (var attempt = 1; ; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url, token);
                        }
                        {|RES005:catch|} (Exception ex) when (ex is not OperationCanceledException && attempt < 3)
                        {
                            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(100, 200) * attempt), token);
                        }
                    }
                }

                async Task<string> RethrowsOnlyCancellation(HttpClient client, string url, CancellationToken token)
                {
                    for (var attempt = 1; attempt <= 3; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url, token);
                        }
                        {|RES005:catch|} (Exception ex)
                        {
                            if (ex is TaskCanceledException && token.IsCancellationRequested)
                            {
                                throw;
                            }

                            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(100, 200) * attempt), token);
                        }
                    }

                    throw new TimeoutException();
                }

                // Reading the exception only to choose the wait still goes round on every failure.
                async Task<string> ReadsTheExceptionOnlyForTheWait(HttpClient client, string url)
                {
                    for (var attempt = 1; attempt <= 3; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        {|RES005:catch|} (Exception ex)
                        {
                            if (ex.InnerException is System.IO.IOException)
                            {
                                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(500, 1000) * attempt));
                            }
                        }
                    }

                    throw new TimeoutException();
                }

                // A pattern on another local is no test of the exception.
                async Task<string> RemembersTheFirstFailure(HttpClient client, string url)
                {
                    Exception? first = null;
                    for (var attempt = 1; attempt <= 3; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        {|RES005:catch|} (Exception ex)
                        {
                            if (first is null)
                            {
                                first = ex;
                            }

                            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(100, 200) * attempt));
                        }
                    }

                    throw first!;
                }

                async Task<string> Goto(HttpClient client, string url)
                {
                    var attempt = 0;
                again:
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    {|RES005:catch|} (Exception)
                    {
                        if (++attempt < 3)
                        {
                            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(100, 200) * attempt));
                            goto again;
                        }

                        throw;
                    }
                }
            }
            """);

    [Fact]
    public Task Retries_ThatChooseTheirFailures_AreNotReported()
        => Verify005(Usings + """
            class C
            {
                static bool IsTransient(Exception ex) => ex is HttpRequestException or TimeoutException;

                async Task<string> SpecificType(HttpClient client, string url)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(100, 200) * (attempt + 1)));
                        }
                    }

                    throw new TimeoutException();
                }

                async Task<string> Filtered(HttpClient client, string url)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (Exception ex) when (IsTransient(ex))
                        {
                            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(100, 200) * (attempt + 1)));
                        }
                    }

                    throw new TimeoutException();
                }

                async Task<string> FilterReadsTheException(HttpClient client, string url)
                {
                    for (var attempt = 1; ; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (Exception ex) when (attempt < 3 && ex is not ArgumentException)
                        {
                            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(100, 200) * attempt));
                        }
                    }
                }

                // A verdict computed from the exception decides whether to give up.
                async Task<string> AsksAHelperForAVerdict(HttpClient client, string url)
                {
                    for (var attempt = 1; attempt <= 3; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (Exception exception)
                        {
                            var verdict = Classify(exception);
                            if (verdict.Rethrow)
                            {
                                throw;
                            }

                            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(100, 200) * attempt));
                        }
                    }

                    throw new TimeoutException();
                }

                static (bool Rethrow, bool Log) Classify(Exception exception) => (exception is not HttpRequestException, true);

                // A flag set where the exception is tested decides: only server errors and lost connections go round.
                async Task<string> FlagSetWhereTheExceptionIsTested(HttpClient client, string url)
                {
                    for (var attempt = 1; attempt <= 3; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (Exception ex)
                        {
                            var retry = false;
                            if (ex is HttpRequestException { StatusCode: not null } http)
                            {
                                var code = (int)http.StatusCode;
                                retry = code >= 500;
                            }
                            else if (ex is System.IO.IOException)
                            {
                                retry = true;
                            }

                            if (!retry)
                            {
                                throw;
                            }

                            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(100, 200) * attempt));
                        }
                    }

                    throw new TimeoutException();
                }

                async Task<string> GivesUpOnSomeFirst(HttpClient client, string url)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (ArgumentException)
                        {
                            throw;
                        }
                        catch (Exception)
                        {
                            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(100, 200) * (attempt + 1)));
                        }
                    }

                    throw new TimeoutException();
                }

                async Task<string> RethrowsWhatIsNotTransient(HttpClient client, string url)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (Exception ex)
                        {
                            if (!IsTransient(ex))
                            {
                                throw;
                            }

                            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(100, 200) * (attempt + 1)));
                        }
                    }

                    throw new TimeoutException();
                }

                // Not a retry: each round handles a new message, whatever the last one did.
                async Task Consume(HttpClient client, Func<Task<string>> next, CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        try
                        {
                            var url = await next();
                            await client.GetStringAsync(url);
                        }
                        catch (Exception ex)
                        {
                            Console.WriteLine(ex);
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task PollyV7_HandleException_WithoutAPredicate_IsReported()
        => Verify005("""
            using System;
            using System.Net.Http;
            using Polly;

            class C
            {
                object Everything() => Policy.{|RES005:Handle<Exception>|}()
                    .WaitAndRetryAsync(3, attempt => TimeSpan.FromMilliseconds(new Random().Next(100, 200) * attempt));

                object OrEverything() => Policy.Handle<HttpRequestException>().{|RES005:Or<Exception>|}()
                    .WaitAndRetryAsync(3, attempt => TimeSpan.FromMilliseconds(new Random().Next(100, 200) * attempt));

                object Predicate() => Policy.Handle<Exception>(ex => ex is HttpRequestException)
                    .WaitAndRetryAsync(3, attempt => TimeSpan.FromMilliseconds(new Random().Next(100, 200) * attempt));

                object Specific() => Policy.Handle<HttpRequestException>().Or<TimeoutException>()
                    .WaitAndRetryAsync(3, attempt => TimeSpan.FromMilliseconds(new Random().Next(100, 200) * attempt));

                // Not a retry: a circuit breaker counts every failure, and that is its job.
                object Breaker() => Policy.Handle<Exception>().CircuitBreakerAsync(5, TimeSpan.FromSeconds(30));
            }
            """);

    [Fact]
    public Task PollyV8_DefaultOrAlwaysTrueShouldHandle_IsReported_HttpDefaultsAndPredicatesAreNot()
        => Verify005("""
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;
            using Microsoft.Extensions.Http.Resilience;
            using Polly;
            using Polly.Retry;

            class C
            {
                object Default() => {|RES005:new RetryStrategyOptions|} { BackoffType = DelayBackoffType.Exponential, UseJitter = true };
                object Builder() => new RetryStrategyOptions { {|RES005:ShouldHandle = new PredicateBuilder().Handle<Exception>()|}, BackoffType = DelayBackoffType.Exponential, UseJitter = true };
                object True() => new RetryStrategyOptions { {|RES005:ShouldHandle = _ => PredicateResult.True()|}, BackoffType = DelayBackoffType.Exponential, UseJitter = true };
                object FromResult() => new RetryStrategyOptions { {|RES005:ShouldHandle = _ => ValueTask.FromResult(true)|}, BackoffType = DelayBackoffType.Exponential, UseJitter = true };

                object Later()
                {
                    var options = new RetryStrategyOptions { ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(), BackoffType = DelayBackoffType.Exponential, UseJitter = true };
                    {|RES005:options.ShouldHandle = new PredicateBuilder().Handle<Exception>()|};
                    return options;
                }

                object Specific() => new RetryStrategyOptions { ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(), BackoffType = DelayBackoffType.Exponential, UseJitter = true };
                object Predicate() => new RetryStrategyOptions { ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => ex is TimeoutException), BackoffType = DelayBackoffType.Exponential, UseJitter = true };
                object Http() => new HttpRetryStrategyOptions();
            }
            """);
}
