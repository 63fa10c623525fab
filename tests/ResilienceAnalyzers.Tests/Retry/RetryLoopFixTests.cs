using ResilienceAnalyzers.CodeFixes.Retry;
using ResilienceAnalyzers.Tests.Verifiers;
using Fix = ResilienceAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer, ResilienceAnalyzers.CodeFixes.Retry.RetryCodeFixProvider>;

namespace ResilienceAnalyzers.Tests.Retry;

/// <summary>The loop fixes: one diagnostic at a time and through Fix All (the verifier runs both).</summary>
public sealed class RetryLoopFixTests
{
    private const string UnboundedLoop = """
        using System.Net.Http;
        using System.Threading.Tasks;

        class C
        {
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
        """;

    [Fact]
    public Task Res001_AddsCounterAndRethrow()
        => Fix.VerifyCodeFixAsync(
            UnboundedLoop,
            """
            using System.Net.Http;
            using System.Threading.Tasks;

            class C
            {
                async Task<string> Get(HttpClient client, string url)
                {
                    var attempt = 0;
                    {|RES002:while|} (true)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            if (++attempt >= 3)
                                throw;
                        }
                    }
                }
            }
            """,
            TestLibraries.None,
            equivalenceKey: RetryCodeFixProvider.BoundKey);

    // The repository's own brace preference is followed.
    [Fact]
    public Task Res001_FollowsThePreferenceForBraces()
        => Fix.VerifyCodeFixAsync(
            UnboundedLoop,
            """
            using System.Net.Http;
            using System.Threading.Tasks;

            class C
            {
                async Task<string> Get(HttpClient client, string url)
                {
                    var attempt = 0;
                    {|RES002:while|} (true)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            if (++attempt >= 3)
                            {
                                throw;
                            }
                        }
                    }
                }
            }
            """,
            TestLibraries.None,
            editorConfig: "csharp_prefer_braces = true:warning",
            equivalenceKey: RetryCodeFixProvider.BoundKey);

    // An existing counter is compared where it stands when the catch runs: 3 attempts in total, whichever way it counts.
    [Fact]
    public Task Res001_ExistingCounter_MakesMaxAttemptsInTotal()
        => Fix.VerifyCodeFixAsync(
            """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;

            class C
            {
                async Task<string> ForIncrementor(HttpClient client, string url)
                {
                    {|RES001:{|RES002:for|}|} (var attempt = 0; ; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            Console.WriteLine(attempt);
                        }
                    }
                }

                async Task<string> SteppedBeforeTheCall(HttpClient client, string url)
                {
                    var tries = 0;
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        tries++;
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            Console.WriteLine(tries);
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
                async Task<string> ForIncrementor(HttpClient client, string url)
                {
                    {|RES002:for|} (var attempt = 0; ; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            if (attempt >= 2)
                                throw;
                            Console.WriteLine(attempt);
                        }
                    }
                }

                async Task<string> SteppedBeforeTheCall(HttpClient client, string url)
                {
                    var tries = 0;
                    {|RES002:while|} (true)
                    {
                        tries++;
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            if (tries >= 3)
                                throw;
                            Console.WriteLine(tries);
                        }
                    }
                }
            }
            """,
            TestLibraries.None,
            equivalenceKey: RetryCodeFixProvider.BoundKey);

    [Fact]
    public Task Res002_OnUnboundedAsyncLoop_AddsBoundAndJitteredDelayWithToken()
        => Fix.VerifyCodeFixAsync(
            """
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task<string> Get(HttpClient client, string url, CancellationToken cancellationToken)
                {
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        try
                        {
                            return await client.GetStringAsync(url, cancellationToken);
                        }
                        catch (HttpRequestException)
                        {
                        }
                    }
                }
            }
            """,
            """
            using System;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task<string> Get(HttpClient client, string url, CancellationToken cancellationToken)
                {
                    var attempt = 0;
                    while (true)
                    {
                        try
                        {
                            return await client.GetStringAsync(url, cancellationToken);
                        }
                        catch (HttpRequestException)
                        {
                            if (++attempt >= 3)
                                throw;
                            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(20000, 200 * Math.Pow(2, attempt))), cancellationToken);
                        }
                    }
                }
            }
            """,
            TestLibraries.None,
            equivalenceKey: RetryCodeFixProvider.JitteredBackoffKey);
}
