using ResilienceAnalyzers.CodeFixes.Retry;
using ResilienceAnalyzers.Tests.Verifiers;
using Fix = ResilienceAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer, ResilienceAnalyzers.CodeFixes.Retry.RetryCodeFixProvider>;

namespace ResilienceAnalyzers.Tests.Retry;

/// <summary>Loop fixes across the shapes they meet: sync and async, existing counters, options, Fix All, and where no fix is offered.</summary>
public sealed class RetryLoopFixShapesTests
{
    [Fact]
    public Task Res003_ReplacesGrowingDelayWithJitteredOne_KeepsExistingCounter()
        => Fix.VerifyCodeFixAsync(
            """
            using System;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task<string> Get(HttpClient client, string url, CancellationToken token)
                {
                    for (var retry = 0; ; retry++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url, token);
                        }
                        catch (HttpRequestException) when (retry < 4)
                        {
                            await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, retry)), token);
                        }
                    }
                }
            }
            """.Replace("for (var retry", "{|RES003:for|} (var retry"),
            """
            using System;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task<string> Get(HttpClient client, string url, CancellationToken token)
                {
                    for (var retry = 0; ; retry++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url, token);
                        }
                        catch (HttpRequestException) when (retry < 4)
                        {
                            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(20000, 200 * Math.Pow(2, retry))), token);
                        }
                    }
                }
            }
            """,
            TestLibraries.None,
            equivalenceKey: RetryCodeFixProvider.AddJitterKey);

    [Fact]
    public Task Res002_SyncLoop_ConstantSleep_PassesNoToken_UsesOptions()
        => Fix.VerifyCodeFixAsync(
            """
            using System;
            using System.Net;
            using System.Net.Sockets;
            using System.Threading;

            class C
            {
                string Read(string path)
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        try
                        {
                            return Dns.GetHostEntry(path).HostName;
                        }
                        catch (SocketException)
                        {
                            Thread.Sleep(2000);
                        }
                    }

                    return null;
                }
            }
            """.Replace("for (var attempt", "{|RES002:for|} (var attempt"),
            """
            using System;
            using System.Net;
            using System.Net.Sockets;
            using System.Threading;

            class C
            {
                string Read(string path)
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        try
                        {
                            return Dns.GetHostEntry(path).HostName;
                        }
                        catch (SocketException)
                        {
                            Thread.Sleep(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(5000, 50 * Math.Pow(2, attempt))));
                        }
                    }

                    return null;
                }
            }
            """,
            TestLibraries.None,
            editorConfig: "resilience_analyzers.backoff_base_ms = 50\nresilience_analyzers.backoff_cap_ms = 5000",
            equivalenceKey: RetryCodeFixProvider.JitteredBackoffKey);

    [Fact]
    public Task Res002_SyncImmediateRetry_InBoundedLoopWithoutCounter_CountsWithoutThrowing()
        => Fix.VerifyCodeFixAsync(
            """
            using System;
            using System.Diagnostics;
            using System.Net;
            using System.Net.Sockets;

            class C
            {
                string Read(string path)
                {
                    var clock = Stopwatch.StartNew();
                    while (clock.ElapsedMilliseconds < 10000)
                    {
                        try
                        {
                            return Dns.GetHostEntry(path).HostName;
                        }
                        catch (SocketException)
                        {
                            continue;
                        }
                    }

                    return null;
                }
            }
            """.Replace("while (clock", "{|RES002:while|} (clock"),
            """
            using System;
            using System.Diagnostics;
            using System.Net;
            using System.Net.Sockets;
            using System.Threading;

            class C
            {
                string Read(string path)
                {
                    var clock = Stopwatch.StartNew();
                    var attempt = 0;
                    while (clock.ElapsedMilliseconds < 10000)
                    {
                        try
                        {
                            return Dns.GetHostEntry(path).HostName;
                        }
                        catch (SocketException)
                        {
                            attempt++;
                            Thread.Sleep(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(20000, 200 * Math.Pow(2, attempt))));
                            continue;
                        }
                    }

                    return null;
                }
            }
            """,
            TestLibraries.None,
            equivalenceKey: RetryCodeFixProvider.JitteredBackoffKey);

    [Fact]
    public Task Res001_MaxAttemptsOption_AndEmbeddedLoopGetsABlock()
        => Fix.VerifyCodeFixAsync(
            """
            using System.Net.Http;
            using System.Threading.Tasks;

            class C
            {
                async Task<string> Get(HttpClient client, string url, bool retry)
                {
                    if (retry)
                        {|RES001:while|} (true)
                        {
                            try
                            {
                                return await client.GetStringAsync(url);
                            }
                            catch (HttpRequestException)
                            {
                                await Task.Delay(System.TimeSpan.FromMilliseconds(System.Random.Shared.NextDouble() * 1000 * counter++));
                            }
                        }

                    return null;
                }

                static int counter;
            }
            """,
            """
            using System.Net.Http;
            using System.Threading.Tasks;

            class C
            {
                async Task<string> Get(HttpClient client, string url, bool retry)
                {
                    if (retry)
                    {
                        var attempt = 0;
                        while (true)
                        {
                            try
                            {
                                return await client.GetStringAsync(url);
                            }
                            catch (HttpRequestException)
                            {
                                if (++attempt >= 5)
                                    throw;
                                await Task.Delay(System.TimeSpan.FromMilliseconds(System.Random.Shared.NextDouble() * 1000 * counter++));
                            }
                        }
                    }

                    return null;
                }

                static int counter;
            }
            """,
            TestLibraries.None,
            editorConfig: "resilience_analyzers.max_attempts = 5",
            equivalenceKey: RetryCodeFixProvider.BoundKey);

    [Fact]
    public Task FixAll_TwoLoopsInOneMethod_GetDistinctCounters_AndOneLineBlocksStayOnOneLine()
        => Fix.VerifyCodeFixAsync(
            """
            using System.Net.Http;

            class C
            {
                void Sync(HttpClient client)
                {
                    {|RES001:while|} (true)
                    {
                        try { client.GetStringAsync("a").Wait(); break; }
                        catch (System.AggregateException) { System.Threading.Thread.Sleep(System.TimeSpan.FromMilliseconds(System.Random.Shared.Next(0, 100) * counter++)); }
                    }

                    {|RES001:while|} (true)
                    {
                        try { client.GetStringAsync("b").Wait(); break; }
                        catch (System.AggregateException) { System.Threading.Thread.Sleep(System.TimeSpan.FromMilliseconds(System.Random.Shared.Next(0, 100) * counter++)); }
                    }
                }

                static int counter;
            }
            """,
            """
            using System.Net.Http;

            class C
            {
                void Sync(HttpClient client)
                {
                    var attempt = 0;
                    while (true)
                    {
                        try { client.GetStringAsync("a").Wait(); break; }
                        catch (System.AggregateException) { if (++attempt >= 3) throw; System.Threading.Thread.Sleep(System.TimeSpan.FromMilliseconds(System.Random.Shared.Next(0, 100) * counter++)); }
                    }

                    var attempt2 = 0;
                    while (true)
                    {
                        try { client.GetStringAsync("b").Wait(); break; }
                        catch (System.AggregateException) { if (++attempt2 >= 3) throw; System.Threading.Thread.Sleep(System.TimeSpan.FromMilliseconds(System.Random.Shared.Next(0, 100) * counter++)); }
                    }
                }

                static int counter;
            }
            """,
            TestLibraries.None,
            equivalenceKey: RetryCodeFixProvider.BoundKey);

    [Fact]
    public async Task GotoAndRecursion_GetNoFix()
    {
        const string source = """
            using System.Net.Http;
            using System.Threading.Tasks;

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

                async Task<string> Again(HttpClient client, string url)
                {
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException)
                    {
                        return await {|RES001:{|RES002:Again(client, url)|}|};
                    }
                }
            }
            """;
        await Fix.VerifyCodeFixAsync(source, source, TestLibraries.None);
    }

    [Fact]
    public async Task SeveralWaits_GetNoBackoffFix()
    {
        const string source = """
            using System.Net;
            using System.Net.Sockets;
            using System.Threading;

            class C
            {
                string Read(string path, bool slow)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try
                        {
                            return Dns.GetHostEntry(path).HostName;
                        }
                        catch (SocketException)
                        {
                            if (slow) Thread.Sleep(5000); else Thread.Sleep(100);
                        }
                    }

                    return null;
                }
            }
            """;
        await Fix.VerifyCodeFixAsync(source.Replace("for (var attempt", "{|RES002:for|} (var attempt"), source.Replace("for (var attempt", "{|RES002:for|} (var attempt"), TestLibraries.None);
    }
}
