using ResilienceAnalyzers.Tests.Verifiers;

namespace ResilienceAnalyzers.Tests.Retry;

/// <summary>RES001-RES003 on <c>goto</c> retries and methods that call themselves from a catch.</summary>
public sealed class GotoAndRecursionRetryTests
{
    private const string Usings = """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private static Task Verify(string source, string? editorConfig = null)
        => CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>.VerifyAnalyzerAsync(Usings + source, Libraries.None, editorConfig);

    [Fact]
    public Task GotoBackToLabel_Unbounded_ReportsOnGotoKeyword()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client, string url)
                {
                retry:
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException)
                    {
                        {|RES001:{|RES002:goto|}|} retry;
                    }
                }
            }
            """);

    [Fact]
    public Task GotoWithCounterAndGrowingDelay_ReportsRes003Only()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client, string url)
                {
                    var attempt = 0;
                retry:
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException) when (attempt < 3)
                    {
                        attempt++;
                        await Task.Delay(100 * (1 << attempt));
                        {|RES003:goto|} retry;
                    }
                }
            }
            """);

    [Fact]
    public Task GotoForward_IsNotARetry()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client, string url)
                {
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException)
                    {
                        goto fail;
                    }

                fail:
                    return null;
                }
            }
            """);

    [Fact]
    public Task RecursionWithSameArguments_Unbounded()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client, string url)
                {
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(1000);
                        return await {|RES001:{|RES002:Get(client, url)|}|};
                    }
                }
            }
            """);

    [Fact]
    public Task RecursionWithAttemptArgumentAndGuard_IsBounded()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client, string url, int attempt = 0)
                {
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException) when (attempt < 3)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * 200 * Math.Pow(2, attempt)));
                        return await Get(client, url, attempt + 1);
                    }
                }
            }
            """);

    [Fact]
    public Task RecursionWithAttemptArgument_NoGuard_ReportsRes001()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client, string url, int attempt)
                {
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * 200 * Math.Pow(2, attempt)));
                        return await {|RES001:Get(client, url, attempt + 1)|};
                    }
                }
            }
            """);

    [Fact]
    public Task RecursionWithDifferentArguments_IsNotARetry()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client, string url)
                {
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException)
                    {
                        return await Get(client, "https://fallback.example.test/");
                    }
                }
            }
            """);

    [Fact]
    public Task RecursionOutsideCatch_IsNotARetry()
        => Verify("""
            class C
            {
                int Depth(HttpClient client, int n) => n == 0 ? 0 : Depth(client, n - 1);
            }
            """);
}
