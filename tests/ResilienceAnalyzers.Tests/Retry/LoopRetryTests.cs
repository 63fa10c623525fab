using ResilienceAnalyzers.Tests.Verifiers;

namespace ResilienceAnalyzers.Tests.Retry;

/// <summary>RES001-RES003 on hand-written loops: the positives and the near-misses RULES.md lists.</summary>
public sealed class LoopRetryTests
{
    private const string Usings = """
        using System;
        using System.Data.Common;
        using System.Diagnostics;
        using System.IO;
        using System.Net;
        using System.Net.Http;
        using System.Net.Sockets;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private static Task Verify(string source, string? editorConfig = null)
        => CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>.VerifyAnalyzerAsync(Usings + source, TestLibraries.None, editorConfig);

    [Fact]
    public Task WhileTrue_NoBoundNoDelay_ReportsRes001AndRes002()
        => Verify("""
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
            """);

    [Fact]
    public Task ForEver_WithConstantSleep_ReportsRes001AndRes002()
        => Verify("""
            class C
            {
                string Read(string path)
                {
                    {|RES001:{|RES002:for|}|} (;;)
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
                }
            }
            """);

    [Fact]
    public Task DoWhile_SuccessFlag_ReportsRes001()
        => Verify("""
            class C
            {
                async Task Send(HttpClient client, string url, CancellationToken token)
                {
                    var sent = false;
                    var delay = 100;
                    {|RES001:{|RES003:do|}|}
                    {
                        try
                        {
                            await client.PostAsync(url, null, token);
                            sent = true;
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay({|RES004:delay|}, token);
                            delay *= 2;
                        }
                    }
                    while (!sent);
                }
            }
            """);

    [Fact]
    public Task CancellationTokenAlone_IsNoBound()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client, string url, CancellationToken token)
                {
                    var attempt = 0;
                    {|RES001:while|} (!token.IsCancellationRequested)
                    {
                        try
                        {
                            return await client.GetStringAsync(url, token);
                        }
                        catch (HttpRequestException)
                        {
                            attempt++;
                            await Task.Delay({|RES004:TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * 100 * Math.Pow(2, attempt))|}, token);
                        }
                    }

                    return null;
                }
            }
            """);

    [Fact]
    public Task CancellationTokenAsBound_WhenOptionSaysSo()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client, string url, CancellationToken token)
                {
                    var attempt = 0;
                    while (!token.IsCancellationRequested)
                    {
                        try
                        {
                            return await client.GetStringAsync(url, token);
                        }
                        catch (HttpRequestException)
                        {
                            attempt++;
                            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * 100 * Math.Pow(2, attempt)), token);
                        }
                    }

                    return null;
                }
            }
            """, "RES001.cancellation_is_bound = true");

    [Fact]
    public Task ForLoopWithCounter_ImmediateRetry_ReportsRes002Only()
        => Verify("""
            class C
            {
                string Get(HttpClient client, string url)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try
                        {
                            return client.GetStringAsync(url).Result;
                        }
                        catch (AggregateException)
                        {
                        }
                    }

                    throw new InvalidOperationException();
                }
            }
            """.Replace("for (var", "{|RES002:for|} (var"));

    [Fact]
    public Task BoundedLoop_ConstantDelay_ReportsRes002()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client, string url)
                {
                    var attempt = 0;
                    {|RES002:while|} (attempt < 5)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            attempt++;
                            await Task.Delay(1000);
                        }
                    }

                    throw new TimeoutException();
                }
            }
            """);

    [Theory]
    [InlineData("TimeSpan.FromSeconds(Math.Pow(2, attempt))")]
    [InlineData("100 * (1 << attempt)")]
    [InlineData("attempt * 500")]
    [InlineData("TimeSpan.FromMilliseconds(Math.Min(10000, 200 * Math.Pow(2, attempt)))")]
    public Task BoundedLoop_GrowingDelayWithoutJitter_ReportsRes003(string delay)
        => Verify($$"""
            class C
            {
                async Task<string> Get(HttpClient client, string url)
                {
                    for (var attempt = 1; ; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException) when (attempt < 5)
                        {
                            await Task.Delay({{delay}});
                        }
                    }
                }
            }
            """.Replace("for (var attempt = 1", "{|RES003:for|} (var attempt = 1"));

    [Theory]
    [InlineData("random.Next(attempt * 100, attempt * 100 + 1)")]
    [InlineData("attempt * 100 + random.Next(0, 1)")]
    [InlineData("attempt * 100 + random.Next(1)")]
    public Task FakeJitter_IsNoJitter(string delay)
        => Verify($$"""
            class C
            {
                private readonly Random random = new Random();

                async Task<string> Get(HttpClient client, string url)
                {
                    for (var attempt = 1; attempt <= 5; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay({{delay}});
                        }
                    }

                    throw new TimeoutException();
                }
            }
            """.Replace("for (var attempt = 1", "{|RES003:for|} (var attempt = 1"));

    [Theory]
    [InlineData("TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(20000, 200 * Math.Pow(2, attempt)))")]
    [InlineData("attempt * 100 + random.Next(0, 250)")]
    [InlineData("(int)(Math.Pow(2, attempt) * 100) + jitter")]
    public Task JitteredGrowingDelay_IsClean(string delay)
        => Verify($$"""
            class C
            {
                private readonly Random random = new Random();

                async Task<string> Get(HttpClient client, string url)
                {
                    for (var attempt = 1; attempt <= 5; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            var jitter = random.Next(0, 100);
                            await Task.Delay({{delay}});
                        }
                    }

                    throw new TimeoutException();
                }
            }
            """);

    [Fact]
    public Task DelayThatDoublesInTheLoop_IsGrowing()
        => Verify("""
            class C
            {
                void Save(DbCommand command)
                {
                    var delay = TimeSpan.FromMilliseconds(100);
                    var attempt = 0;
                    {|RES003:while|} (true)
                    {
                        try
                        {
                            command.ExecuteNonQuery();
                            return;
                        }
                        catch (DbException)
                        {
                            if (++attempt >= 4)
                            {
                                throw;
                            }

                            Thread.Sleep(delay);
                            delay = TimeSpan.FromTicks(delay.Ticks * 2);
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task IncreasingTable_IsGrowing_EqualTable_IsConstant()
        => Verify("""
            class C
            {
                string A(HttpClient client, string url)
                {
                    var delays = new[] { 100, 200, 400, 800 };
                    {|RES003:for|} (var i = 0; i < delays.Length; i++)
                    {
                        try { return client.GetStringAsync(url).Result; }
                        catch (AggregateException) { Thread.Sleep(delays[i]); }
                    }

                    return null;
                }

                string B(HttpClient client, string url)
                {
                    var delays = new[] { 500, 500, 500 };
                    {|RES002:for|} (var i = 0; i < delays.Length; i++)
                    {
                        try { return client.GetStringAsync(url).Result; }
                        catch (AggregateException) { Thread.Sleep(delays[i]); }
                    }

                    return null;
                }
            }
            """);

    [Fact]
    public Task IfCounterThrow_IsBound()
        => Verify("""
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
                            if (++attempt >= 3) throw;
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task StopwatchDeadline_IsBound()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client, string url)
                {
                    var stopwatch = Stopwatch.StartNew();
                    {|RES002:while|} (stopwatch.Elapsed < TimeSpan.FromSeconds(30))
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(500);
                        }
                    }

                    throw new TimeoutException();
                }
            }
            """);

    [Fact]
    public Task DateTimeDeadline_IsBound()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client, string url)
                {
                    var deadline = DateTime.UtcNow.AddSeconds(30);
                    {|RES002:while|} (true)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException) when (DateTime.UtcNow < deadline)
                        {
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task WellFormedRetry_IsClean()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client, string url, CancellationToken token)
                {
                    for (var attempt = 0; ; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url, token);
                        }
                        catch (HttpRequestException) when (attempt < 3)
                        {
                            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(20000, 200 * Math.Pow(2, attempt))), token);
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task AcceptLoop_IsAWorkerNotARetry()
        => Verify("""
            using System.Net;

            class C
            {
                async Task Serve(TcpListener listener, CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        try
                        {
                            var client = await listener.AcceptTcpClientAsync(token);
                            _ = Handle(client);
                        }
                        catch (SocketException)
                        {
                        }
                    }
                }

                Task Handle(TcpClient client) => Task.CompletedTask;
            }
            """);

    [Fact]
    public Task QueueConsumer_IsAWorkerNotARetry()
        => Verify("""
            using System.Collections.Generic;

            interface IQueue { Task<string> ReceiveAsync(); }

            class C
            {
                async Task Consume(IQueue queue, HttpClient client)
                {
                    while (true)
                    {
                        try
                        {
                            var message = await queue.ReceiveAsync();
                            if (message == null)
                            {
                                break;
                            }

                            await client.PostAsync("https://example.test/", new StringContent(message));
                        }
                        catch (HttpRequestException)
                        {
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task CompareAndSwapLoop_IsNotARetry()
        => Verify("""
            class C
            {
                private int value;

                void Add(int amount)
                {
                    while (true)
                    {
                        var old = value;
                        if (Interlocked.CompareExchange(ref value, old + amount, old) == old)
                        {
                            break;
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task UserInputLoop_IsNotARetry()
        => Verify("""
            class C
            {
                int ReadNumber()
                {
                    while (true)
                    {
                        try
                        {
                            return int.Parse(Console.ReadLine());
                        }
                        catch (FormatException)
                        {
                            Console.WriteLine("Try again");
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task CatchThatRethrows_IsNotARetry()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client, string url)
                {
                    while (true)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            throw;
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task BoundHiddenInHelper_IsSilent()
        => Verify("""
            interface IRetryBudget { bool TryAcquire(); TimeSpan NextDelay(); }

            class C
            {
                async Task<string> Get(HttpClient client, string url, IRetryBudget budget)
                {
                    while (true)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            if (!budget.TryAcquire()) throw;
                            await Task.Delay(budget.NextDelay());
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task DelayFromInvisibleHelper_IsSilentForDelayRules()
        => Verify("""
            interface IBackoff { TimeSpan Next(int attempt); }

            class C
            {
                async Task<string> Get(HttpClient client, string url, IBackoff backoff)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(backoff.Next(attempt));
                        }
                    }

                    return null;
                }
            }
            """);

    [Fact]
    public Task DelayFromConfiguration_IsSilentForDelayRules()
        => Verify("""
            class Settings { public int RetryDelayMs { get; set; } }

            class C
            {
                private readonly Settings settings = new Settings();

                async Task<string> Get(HttpClient client, string url)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(settings.RetryDelayMs);
                        }
                    }

                    return null;
                }
            }
            """);

    [Fact]
    public Task LoopWithoutOutboundCall_IsNotARetry()
        => Verify("""
            class C
            {
                int Compute(string text)
                {
                    while (true)
                    {
                        try
                        {
                            return int.Parse(text);
                        }
                        catch (FormatException)
                        {
                            text = "0";
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task StaticReadonlyConstantDelay_IsConstant()
        => Verify("""
            class C
            {
                private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

                async Task<string> Get(HttpClient client, string url)
                {
                    {|RES002:for|} (var attempt = 0; attempt < 3; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(RetryDelay);
                        }
                    }

                    return null;
                }
            }
            """);

    [Fact]
    public Task SuccessBreakAfterTry_WithContinueOnFailure_IsARetry()
        => Verify("""
            class C
            {
                string Get(HttpClient client, string url)
                {
                    string result;
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        try
                        {
                            result = client.GetStringAsync(url).Result;
                        }
                        catch (AggregateException)
                        {
                            continue;
                        }

                        break;
                    }

                    return result;
                }
            }
            """);

    [Fact]
    public Task TryThenUnconditionalBreak_IsNotARetry()
        => Verify("""
            class C
            {
                string Get(HttpClient client, string url)
                {
                    string result = null;
                    while (true)
                    {
                        try
                        {
                            result = client.GetStringAsync(url).Result;
                        }
                        catch (AggregateException)
                        {
                        }

                        break;
                    }

                    return result;
                }
            }
            """);
}
