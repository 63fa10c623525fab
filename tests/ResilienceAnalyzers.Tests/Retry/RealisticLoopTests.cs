using ResilienceAnalyzers.Tests.Verifiers;

namespace ResilienceAnalyzers.Tests.Retry;

/// <summary>Retry loops in the shapes people write them, beyond the textbook cases.</summary>
public sealed class RealisticLoopTests
{
    private const string Usings = """
        using System;
        using System.Data;
        using System.Data.Common;
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
    public Task DecrementingRetriesLeft_IsBounded_ConstantSleep()
        => Verify("""
            class C
            {
                void Upload(string host, byte[] payload)
                {
                    var retriesLeft = 5;
                    {|RES002:while|} (retriesLeft > 0)
                    {
                        try
                        {
                            using var client = new TcpClient(host, 9000);
                            client.GetStream().Write(payload, 0, payload.Length);
                            return;
                        }
                        catch (SocketException)
                        {
                            retriesLeft--;
                            Thread.Sleep(3000);
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task CountThenThrow_LinearSleep_ReportsRes003()
        => Verify("""
            class C
            {
                void Run(DbConnection connection)
                {
                    int retryCount = 0;
                    {|RES003:while|} (true)
                    {
                        try
                        {
                            connection.Open();
                            break;
                        }
                        catch (DbException)
                        {
                            retryCount++;
                            if (retryCount > 5)
                            {
                                throw;
                            }

                            Thread.Sleep(1000 * retryCount);
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task SuccessFlag_WithGeneralCatch_ReportsRes001AndRes002()
        => Verify("""
            class C
            {
                void Save(IDbCommand command)
                {
                    bool success = false;
                    {|RES001:{|RES002:while|}|} (!success)
                    {
                        try
                        {
                            command.ExecuteNonQuery();
                            success = true;
                        }
                        catch (Exception ex)
                        {
                            Console.WriteLine(ex.Message);
                            Thread.Sleep(5000);
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task DoWhileWithAttempts_ReportsRes002()
        => Verify("""
            class C
            {
                string Download(WebClient client, string url)
                {
                    var attempts = 0;
                    {|RES002:do|}
                    {
                        try
                        {
                            return client.DownloadString(url);
                        }
                        catch (WebException)
                        {
                            attempts++;
                        }
                    }
                    while (attempts < 3);

                    return null;
                }
            }
            """);

    [Fact]
    public Task ExceptionFilterOnErrorCode_IsNoBound()
        => Verify("""
            class C
            {
                async Task Execute(DbCommand command, CancellationToken token)
                {
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        try
                        {
                            await command.ExecuteNonQueryAsync(token);
                            return;
                        }
                        catch (DbException ex) when (ex.ErrorCode == 1205)
                        {
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task IsTransientHelper_ClassifiesTheErrorButLimitsNothing()
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
                        catch (HttpRequestException ex)
                        {
                            if (!IsTransient(ex)) throw;
                            await Task.Delay(2000);
                        }
                    }
                }

                static bool IsTransient(HttpRequestException ex) => ex.StatusCode is null or HttpStatusCode.ServiceUnavailable;
            }
            """);

    [Fact]
    public Task MaxRetriesFromParameter_IsBounded()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client, string url, int maxRetries)
                {
                    for (var i = 0; i <= maxRetries; i++)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException) when (i < maxRetries)
                        {
                            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100 * (1 << i))));
                        }
                    }

                    return null;
                }
            }
            """);

    [Fact]
    public Task LocalFunctionRetry_IsAnalysed()
        => Verify("""
            class C
            {
                Task<string> Get(HttpClient client, string url)
                {
                    return Attempt();

                    async Task<string> Attempt()
                    {
                        {|RES001:{|RES002:while|}|} (true)
                        {
                            try { return await client.GetStringAsync(url); }
                            catch (HttpRequestException) { }
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task LambdaRetry_IsAnalysed()
        => Verify("""
            class C
            {
                Func<Task<string>> Make(HttpClient client, string url) => async () =>
                {
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        try { return await client.GetStringAsync(url); }
                        catch (HttpRequestException) { await Task.Delay(500); }
                    }
                };
            }
            """);

    [Fact]
    public Task NestedLoops_OnlyTheRetryIsReported()
        => Verify("""
            class C
            {
                async Task SendAll(HttpClient client, string[] urls)
                {
                    foreach (var url in urls)
                    {
                        for (var attempt = 0; attempt < 3; attempt++)
                        {
                            try
                            {
                                await client.PostAsync(url, null);
                                break;
                            }
                            catch (HttpRequestException)
                            {
                                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * 200 * Math.Pow(2, attempt)));
                            }
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task PollingWorkerWithLogging_IsNotARetry()
        => Verify("""
            class C
            {
                async Task Poll(HttpClient client, CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        try
                        {
                            var status = await client.GetStringAsync("https://status.example.test/", token);
                            Console.WriteLine(status);
                        }
                        catch (HttpRequestException ex)
                        {
                            Console.WriteLine(ex);
                        }

                        await Task.Delay(TimeSpan.FromSeconds(30), token);
                    }
                }
            }
            """);

    [Fact]
    public Task StreamReadLoop_IsNotARetry()
        => Verify("""
            class C
            {
                async Task Copy(Stream source, Stream target)
                {
                    var buffer = new byte[4096];
                    while (true)
                    {
                        try
                        {
                            var read = await source.ReadAsync(buffer, 0, buffer.Length);
                            if (read == 0)
                            {
                                break;
                            }

                            await target.WriteAsync(buffer, 0, read);
                        }
                        catch (IOException)
                        {
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task RetryOnUnsuccessfulResponse_WithoutTry_IsARetry()
        => Verify("""
            class C
            {
                async Task<HttpResponseMessage> Send(HttpClient client, string url)
                {
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        var response = await client.GetAsync(url);
                        if (response.IsSuccessStatusCode)
                        {
                            return response;
                        }

                        await Task.Delay(1000);
                    }
                }

                async Task<HttpResponseMessage> SendBounded(HttpClient client, string url)
                {
                    HttpResponseMessage response = null;
                    {|RES003:for|} (var attempt = 0; attempt < 3; attempt++)
                    {
                        response = await client.GetAsync(url);
                        if (!response.IsSuccessStatusCode)
                        {
                            await Task.Delay(500 * (attempt + 1));
                            continue;
                        }

                        break;
                    }

                    return response;
                }
            }
            """);

    [Fact]
    public Task PollingUntilDone_IsNotARetry()
        => Verify("""
            class C
            {
                async Task WaitForJob(HttpClient client, string url, CancellationToken token)
                {
                    while (true)
                    {
                        var response = await client.GetAsync(url, token);
                        if (response.IsSuccessStatusCode)
                        {
                            var state = await response.Content.ReadAsStringAsync(token);
                            if (state == "done")
                            {
                                return;
                            }
                        }

                        await Task.Delay(TimeSpan.FromSeconds(5), token);
                    }
                }
            }
            """);

    [Fact]
    public Task DelayAndGrowthFromConfiguration_AreSilent()
        => Verify("""
            class RetryOptions { public int InitialInterval { get; set; } public double Multiplier { get; set; } public int MaxInterval { get; set; } public int MaxAttempts { get; set; } }

            class C
            {
                async Task<string> Load(HttpClient client, RetryOptions retry, CancellationToken cancellationToken)
                {
                    int attempts = 0;
                    int backOff = retry.InitialInterval;
                    do
                    {
                        try
                        {
                            return await client.GetStringAsync("https://config.example.test/", cancellationToken);
                        }
                        catch (HttpRequestException)
                        {
                            attempts++;
                            if (attempts < retry.MaxAttempts)
                            {
                                await Task.Delay(backOff, cancellationToken);
                                int nextBackOff = (int)(backOff * retry.Multiplier);
                                backOff = Math.Min(nextBackOff, retry.MaxInterval);
                            }
                            else
                            {
                                throw;
                            }
                        }
                    }
                    while (true);
                }
            }
            """);

    [Fact]
    public Task NextAttemptDecidedByHelper_IsSilent()
        => Verify("""
            interface ICall { }

            class C
            {
                async Task Run(Func<ICall, Task> action)
                {
                    var call = await GetActiveCallAsync(null);
                    while (true)
                    {
                        try
                        {
                            await action(call);
                            return;
                        }
                        catch
                        {
                            call = await GetActiveCallAsync(call);
                            if (call == null)
                            {
                                throw;
                            }
                        }
                    }
                }

                Task<ICall> GetActiveCallAsync(ICall previous) => Task.FromResult<ICall>(null);
            }
            """);

    [Fact]
    public Task IteratorThatStopsOnFailure_IsNotARetry()
        => Verify("""
            using System.Collections.Generic;

            class C
            {
                static async IAsyncEnumerable<string> Read(IAsyncEnumerator<string> source)
                {
                    while (true)
                    {
                        string item = null;
                        Exception error = null;
                        var hasItem = false;
                        try
                        {
                            hasItem = await source.MoveNextAsync();
                            if (hasItem) item = source.Current;
                        }
                        catch (Exception e) when (e is not OperationCanceledException)
                        {
                            error = e;
                        }

                        if (error != null)
                        {
                            yield break;
                        }

                        if (!hasItem)
                            yield break;

                        yield return item;
                    }
                }
            }
            """);

    [Fact]
    public Task PeriodicFlushWorker_IsNotARetry()
        => Verify("""
            class C
            {
                private readonly SemaphoreSlim signal = new SemaphoreSlim(0);

                async Task Process(HttpClient client, CancellationToken cancellationToken)
                {
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        try
                        {
                            await signal.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
                            if (cancellationToken.IsCancellationRequested)
                                return;

                            await client.PostAsync("https://logs.example.test/", null, cancellationToken);
                        }
                        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                        {
                            return;
                        }
                        catch (Exception e)
                        {
                            Console.WriteLine(e);
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task FailureRecordedThenExit_SuccessFlagThenExit()
        => Verify("""
            class C
            {
                string OnceWithFailureExit(HttpClient client)
                {
                    string result = null;
                    Exception failure = null;
                    while (true)
                    {
                        try { result = client.GetStringAsync("a").Result; }
                        catch (AggregateException e) { failure = e; }

                        if (failure != null) break;
                        if (result != null) break;
                    }

                    return result;
                }

                string RetryWithFlag(HttpClient client)
                {
                    string result = null;
                    var ok = false;
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        try { result = client.GetStringAsync("a").Result; ok = true; }
                        catch (AggregateException) { }

                        if (ok) break;
                    }

                    return result;
                }
            }
            """);

    [Fact]
    public Task DelayFromHelperInTheSameFile_IsJudged()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client, string url)
                {
                    {|RES003:for|} (var attempt = 1; attempt <= 4; attempt++)
                    {
                        try { return await client.GetStringAsync(url); }
                        catch (HttpRequestException) { await Task.Delay(Backoff(attempt)); }
                    }

                    {|RES002:for|} (var attempt = 1; attempt <= 4; attempt++)
                    {
                        try { return await client.GetStringAsync(url); }
                        catch (HttpRequestException) { await Task.Delay(Fixed()); }
                    }

                    for (var attempt = 1; attempt <= 4; attempt++)
                    {
                        try { return await client.GetStringAsync(url); }
                        catch (HttpRequestException) { await Task.Delay(Jittered(attempt)); }
                    }

                    return null;

                    static TimeSpan Fixed() => TimeSpan.FromSeconds(1);
                }

                static TimeSpan Backoff(int attempt)
                {
                    var seconds = Math.Pow(2, attempt);
                    return TimeSpan.FromSeconds(seconds);
                }

                static TimeSpan Jittered(int attempt) => TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100 << attempt));
            }
            """);

    [Fact]
    public Task BackgroundExecutionLoop_WithStopGuardAndDelayHelper_IsSilent()
        => Verify("""
            class C
            {
                private volatile bool stopRequested;

                async Task Run(Func<Task> callback)
                {
                    var nextDelay = TimeSpan.Zero;
                    while (true)
                    {
                        try
                        {
                            if (stopRequested) break;

                            if (nextDelay != TimeSpan.Zero)
                            {
                                if (!await HandleDelayAsync(nextDelay).ConfigureAwait(false))
                                {
                                    break;
                                }
                            }

                            await callback().ConfigureAwait(false);
                            nextDelay = TimeSpan.Zero;
                        }
                        catch (Exception ex)
                        {
                            HandleException(ex, out nextDelay);
                        }
                    }
                }

                Task<bool> HandleDelayAsync(TimeSpan delay) => Task.FromResult(true);

                void HandleException(Exception ex, out TimeSpan delay) => delay = TimeSpan.FromSeconds(1);
            }
            """);

    [Fact]
    public Task ProcessingLoopLeavingOnAModeFlag_IsAWorker_ResultChecks_AreRetries()
        => Verify("""
            class C
            {
                async Task Process(HttpClient client, bool runOnce, CancellationToken cancellationToken)
                {
                    while (!cancellationToken.IsCancellationRequested)
                    {
                        try
                        {
                            await client.PostAsync("https://runtime.example.test/next", null, cancellationToken);
                            if (runOnce)
                            {
                                return;
                            }
                        }
                        catch (HttpRequestException)
                        {
                            continue;
                        }
                    }
                }

                async Task<HttpResponseMessage> Send(HttpClient client, CancellationToken cancellationToken)
                {
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        try
                        {
                            var response = await client.PostAsync("https://orders.example.test/", null, cancellationToken);
                            if (response.IsSuccessStatusCode)
                            {
                                return response;
                            }
                        }
                        catch (HttpRequestException)
                        {
                        }
                    }
                }
            }
            """);
}
