using ResilienceAnalyzers.Tests.Verifiers;

namespace ResilienceAnalyzers.Tests.Retry;

/// <summary>
/// RES001, RES002 and RES003 on the principle "a retry re-sends the same request after it failed" (DESIGN.md):
/// each class of loop that looks like a retry and is not, next to its positive twin, a real retry of the same shape
/// that must stay reported.
/// </summary>
public sealed class RetryPrincipleTests
{
    private const string Usings = """
        using System;
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Data.Common;
        using System.IO;
        using System.Net;
        using System.Net.Http;
        using System.Net.Http.Json;
        using System.Net.Sockets;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private static Task Verify(string source)
        => CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>.VerifyAnalyzerAsync(Usings + source, TestLibraries.None, editorConfig: null);

    /// <summary>
    /// RetryAnalyzer over <paramref name="sources"/>, with a library stood in by a project of its own, as a package is
    /// referenced, named after its first namespace as a package's assembly is.
    /// </summary>
    private static Task VerifyWithStandIn(string standIn, params string[] sources)
    {
        var test = new CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>.Test { TestLibraries = TestLibraries.None };
        foreach (var source in sources)
        {
            test.TestState.Sources.Add(source);
        }

        var name = System.Text.RegularExpressions.Regex.Match(standIn, @"namespace\s+([\w.]+)") is { Success: true } match ? match.Groups[1].Value : "StandIn";
        TestSetup.AddStandInLibrary(test.TestState, standIn, name);
        return test.RunAsync();
    }

    // Failover: every candidate is tried once.
    [Fact]
    public Task ConnectingToEachResolvedAddressOnce_IsFailover()
        => Verify("""
            class Connector
            {
                async Task<Socket> OpenAsync(IPEndPoint[] addresses)
                {
                    for (var i = 0; i < addresses.Length; i++)
                    {
                        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                        try
                        {
                            await socket.ConnectAsync(addresses[i]);
                            return socket;
                        }
                        catch (SocketException)
                        {
                            socket.Dispose();
                            if (i == addresses.Length - 1) throw;
                        }
                    }

                    throw new InvalidOperationException("no address");
                }
            }
            """);

    [Fact]
    public Task ConnectingToTheSameAddressAgain_IsARetry()
        => Verify("""
            class Connector
            {
                async Task<Socket> OpenAsync(IPEndPoint[] addresses)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                        try
                        {
                            await socket.ConnectAsync(addresses[0]);
                            return socket;
                        }
                        catch (SocketException)
                        {
                            socket.Dispose();
                        }
                    }

                    throw new InvalidOperationException("unreachable");
                }
            }
            """.Replace("for (var attempt", "{|RES002:for|} (var attempt"));

    [Fact]
    public Task SendingTheNextQueuedItemAfterAFailure_IsDraining()
        => Verify("""
            class Outbox
            {
                async Task FlushAsync(ConcurrentQueue<byte[]> pending, Socket socket)
                {
                    if (!pending.TryDequeue(out var next))
                    {
                        return;
                    }

                    do
                    {
                        try
                        {
                            await socket.SendAsync(next, SocketFlags.None);
                            return;
                        }
                        catch (SocketException)
                        {
                        }
                    }
                    while (pending.TryDequeue(out next));
                }
            }
            """);

    [Fact]
    public Task SendingTheSamePayloadAgain_IsARetry()
        => Verify("""
            class Outbox
            {
                async Task FlushAsync(byte[] payload, Socket socket)
                {
                    var attempt = 0;
                    {|RES002:do|}
                    {
                        try
                        {
                            await socket.SendAsync(payload, SocketFlags.None);
                            return;
                        }
                        catch (SocketException)
                        {
                        }
                    }
                    while (++attempt < 3);
                }
            }
            """);

    [Fact]
    public Task MovingToTheNextHostOnFailure_IsFailover()
        => Verify("""
            class HostRing
            {
                private readonly string[] _hosts = { "https://a.example", "https://b.example" };
                private int _index;

                public string First() => _hosts[0];

                public string NextHost() => _hosts[++_index % _hosts.Length];
            }

            class StatusClient
            {
                async Task<string> GetAsync(HttpClient client, HostRing ring)
                {
                    var host = ring.First();
                    while (true)
                    {
                        try
                        {
                            return await client.GetStringAsync(host + "/status");
                        }
                        catch (HttpRequestException)
                        {
                            host = ring.NextHost();
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task ReconnectingAndResendingTheSamePayload_IsARetry()
        => Verify("""
            class Sender
            {
                void Send(string host, byte[] payload)
                {
                    var client = new TcpClient(host, 9000);
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        try
                        {
                            client.GetStream().Write(payload, 0, payload.Length);
                            return;
                        }
                        catch (IOException)
                        {
                            client.Dispose();
                            client = new TcpClient(host, 9000);
                        }
                    }
                }
            }
            """);

    // Paging and reading: the next request is built from the last answer, and success goes round.
    [Fact]
    public Task FollowingTheNextPageLink_IsPaging()
        => Verify("""
            record Page(string[] Items, string Next);

            class Catalog
            {
                async Task<List<string>> ListAsync(HttpClient client)
                {
                    var items = new List<string>();
                    var next = "/items?page=1";
                    while (next != null)
                    {
                        try
                        {
                            var page = await client.GetFromJsonAsync<Page>(next);
                            items.AddRange(page!.Items);
                            next = page.Next;
                        }
                        catch (HttpRequestException)
                        {
                        }
                    }

                    return items;
                }
            }
            """);

    [Fact]
    public Task ReadingUntilTheBufferIsFull_IsAReadLoop()
        => Verify("""
            class Framing
            {
                async Task<int> FillAsync(NetworkStream stream, byte[] buffer)
                {
                    var offset = 0;
                    while (offset < buffer.Length)
                    {
                        try
                        {
                            var read = await stream.ReadAsync(buffer, offset, buffer.Length - offset);
                            if (read == 0) break;
                            offset += read;
                        }
                        catch (IOException)
                        {
                            await Task.Delay(100);
                        }
                    }

                    return offset;
                }
            }
            """);

    [Fact]
    public Task GoingRoundUntilAResponseArrives_IsARetry()
        => Verify("""
            class Poller
            {
                async Task<HttpResponseMessage> FetchAsync(HttpClient client, string url)
                {
                    HttpResponseMessage response = null;
                    {|RES001:{|RES002:while|}|} (response == null)
                    {
                        try
                        {
                            response = await client.GetAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(1000);
                        }
                    }

                    return response;
                }
            }
            """);

    // Inbound: accepting a client sends nothing to a dependency.
    [Fact]
    public Task AcceptLoopReturningOneConnection_IsInbound()
        => Verify("""
            class Listener
            {
                async Task<Socket> AcceptOneAsync(Socket listener)
                {
                    while (true)
                    {
                        try
                        {
                            return await listener.AcceptAsync();
                        }
                        catch (SocketException)
                        {
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task ConnectLoopReturningOneConnection_IsARetry()
        => Verify("""
            class Dialer
            {
                async Task<Socket> DialAsync(Socket socket, EndPoint endpoint)
                {
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        try
                        {
                            await socket.ConnectAsync(endpoint);
                            return socket;
                        }
                        catch (SocketException)
                        {
                        }
                    }
                }
            }
            """);

    // Bounds the recogniser has to follow.
    [Fact]
    public Task CounterComparedThroughALocal_IsABound()
        => Verify("""
            class Client
            {
                async Task<string> GetAsync(HttpClient client, string url)
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
                            var again = ++attempt < 4 ? true : false;
                            if (!again) throw;
                            await Task.Delay(500);
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task LimitFromAnOptionsProperty_IsABound_NoCheck_IsNot()
        => Verify("""
            class RetrySettings { public int MaxRetries { get; set; } = 5; }

            class Client
            {
                private readonly RetrySettings _settings = new();

                async Task<string> GetAsync(HttpClient client, string url)
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
                            if (++attempt > _settings.MaxRetries) throw;
                            await Task.Delay(500);
                        }
                    }
                }

                async Task<string> GetForeverAsync(HttpClient client, string url)
                {
                    var attempt = 0;
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            attempt++;
                            await Task.Delay(500);
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task CountdownToZero_IsABound()
        => Verify("""
            class Resolver
            {
                string Resolve(string host)
                {
                    var retries = 3;
                    {|RES002:while|} (retries-- > 0)
                    {
                        try
                        {
                            return Dns.GetHostEntry(host).HostName;
                        }
                        catch (SocketException)
                        {
                            Thread.Sleep(500);
                        }
                    }

                    throw new TimeoutException();
                }
            }
            """);

    // Write conflicts: the loop re-reads and re-decides.
    [Fact]
    public Task GoingRoundOnAWriteConflict_IsNotARetry_OnADatabaseFailure_Is()
        => Verify("""
            class RowVersionConcurrencyException : Exception { }

            class Store
            {
                async Task SaveAsync(DbCommand command)
                {
                    while (true)
                    {
                        try
                        {
                            await command.ExecuteNonQueryAsync();
                            return;
                        }
                        catch (RowVersionConcurrencyException)
                        {
                            Reload(command);
                        }
                    }
                }

                async Task SaveOrRetryAsync(DbCommand command)
                {
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        try
                        {
                            await command.ExecuteNonQueryAsync();
                            return;
                        }
                        catch (DbException)
                        {
                        }
                    }
                }

                void Reload(DbCommand command) { }
            }
            """);

    // Decisions the compilation cannot see.
    [Fact]
    public Task GoRoundDecidedByAnInterface_IsSilent_ByAVisibleHelper_IsJudged()
        => Verify("""
            interface IRetryPredicate { bool ShouldRetry(Exception exception); }

            class Client
            {
                async Task<string> GetAsync(HttpClient client, string url, IRetryPredicate predicate)
                {
                    while (true)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException exception) when (predicate.ShouldRetry(exception))
                        {
                        }
                    }
                }

                async Task<string> GetTransientAsync(HttpClient client, string url)
                {
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException exception) when (IsTransient(exception))
                        {
                        }
                    }
                }

                static bool IsTransient(HttpRequestException exception) => exception.StatusCode is null or HttpStatusCode.ServiceUnavailable;
            }
            """);

    [Fact]
    public Task CallToAnInterfaceOfTheCompilation_IsNotOutbound()
        => Verify("""
            interface IMessageBus { Task PublishAsync(string message); }

            class Publisher
            {
                async Task PublishAsync(IMessageBus bus, string message)
                {
                    while (true)
                    {
                        try
                        {
                            await bus.PublishAsync(message);
                            return;
                        }
                        catch (InvalidOperationException)
                        {
                        }
                    }
                }
            }
            """);

    // An interface of the compilation whose implementations all stay local stays local, whatever its catch says; one
    // with an implementation that calls out is still not claimed to (which implementation runs cannot be seen); a
    // generated client with no implementation in sight keeps the evidence of a remote exception caught.
    [Fact]
    public Task InterfaceOfTheCompilation_IsLocalWhenEveryImplementationIs()
        => Verify("""
            interface IBackchannel { Task ConnectAsync(string path); }

            sealed class LocalBackchannel : IBackchannel
            {
                public async Task ConnectAsync(string path)
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
                }
            }

            interface IOrders { Task<string> GetAsync(string id); }

            sealed class HttpOrders : IOrders
            {
                private readonly HttpClient _client = new();
                public Task<string> GetAsync(string id) => _client.GetStringAsync("https://orders.example.com/" + id);
            }

            interface IGeneratedApi { Task<string> StatusAsync(); }

            class Startup
            {
                async Task WaitForHostAsync(IBackchannel channel, string path)
                {
                    while (true)
                    {
                        try
                        {
                            await channel.ConnectAsync(path);
                            return;
                        }
                        catch (SocketException)
                        {
                            await Task.Delay(50);
                        }
                    }
                }

                async Task<string> OrderAsync(IOrders orders, string id)
                {
                    while (true)
                    {
                        try
                        {
                            return await orders.GetAsync(id);
                        }
                        catch (InvalidOperationException)
                        {
                        }
                    }
                }

                async Task<string> StatusAsync(IGeneratedApi api)
                {
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        try
                        {
                            return await api.StatusAsync();
                        }
                        catch (HttpRequestException)
                        {
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task MethodOfTheCompilationThatVisiblyCallsOut_IsOutbound()
        => Verify("""
            class Publisher
            {
                private readonly HttpClient _client = new();

                async Task PublishAsync(string message)
                {
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        try
                        {
                            await PostAsync(message);
                            return;
                        }
                        catch (InvalidOperationException)
                        {
                        }
                    }
                }

                private Task PostAsync(string message) => _client.PostAsync("/events", new StringContent(message));
            }
            """);

    // Local resources: waiting on the machine is not load on a dependency.
    [Fact]
    public Task SpinningOnALockedLocalFile_IsNotOutbound()
        => Verify("""
            class Settings
            {
                string ReadLocked(string path)
                {
                    while (true)
                    {
                        try
                        {
                            return File.ReadAllText(path);
                        }
                        catch (IOException)
                        {
                            Thread.Sleep(100);
                        }
                    }
                }
            }
            """);

    // Going round only when a local file failed (a chunk being swapped) waits on this machine, whatever else the attempt sends.
    [Fact]
    public Task GoingRoundOnlyOnALocalFileFailure_IsNotARetry_OnASocketFailure_Is()
        => Verify("""
            class FileBeingDeletedException : Exception { }

            class Replicator
            {
                private readonly Socket _replica = new Socket(SocketType.Stream, ProtocolType.Tcp);

                byte[] ReadChunk(string path) => File.ReadAllBytes(path);

                void Ship(string path)
                {
                    while (true)
                    {
                        try
                        {
                            _replica.Send(ReadChunk(path));
                            return;
                        }
                        catch (FileBeingDeletedException)
                        {
                        }
                        catch (FileNotFoundException)
                        {
                        }
                    }
                }

                void ShipAgain(string path)
                {
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        try
                        {
                            _replica.Send(ReadChunk(path));
                            return;
                        }
                        catch (FileBeingDeletedException)
                        {
                        }
                        catch (SocketException)
                        {
                        }
                    }
                }
            }
            """);

    // Waits the recogniser has to see.
    [Fact]
    public Task WaitInTheLoopCondition_IsNotAnImmediateRetry()
        => Verify("""
            class Poller
            {
                async Task<string> PollAsync(HttpClient client, string url, PeriodicTimer timer, CancellationToken token)
                {
                    {|RES001:while|} (await timer.WaitForNextTickAsync(token))
                    {
                        try
                        {
                            return await client.GetStringAsync(url, token);
                        }
                        catch (HttpRequestException)
                        {
                        }
                    }

                    return null;
                }
            }
            """);

    [Fact]
    public Task ShutdownAwareSleepOnAWaitHandle_IsAConstantDelay()
        => Verify("""
            class Worker
            {
                private readonly ManualResetEvent _stop = new(false);

                string Fetch(string host)
                {
                    var attempt = 0;
                    {|RES002:while|} (attempt++ < 5)
                    {
                        try
                        {
                            return Dns.GetHostEntry(host).HostName;
                        }
                        catch (SocketException)
                        {
                            _stop.WaitOne(TimeSpan.FromSeconds(5));
                        }
                    }

                    return null;
                }
            }
            """);

    // Background recovery: no caller waits for a result, and the delay grows to a cap.
    [Fact]
    public Task BackgroundReconnectWithACappedDelay_IsExemptFromTheLimit_NotFromJitter()
        => Verify("""
            class Reconnector
            {
                async Task ReconnectAsync(Socket socket, EndPoint endpoint, CancellationToken token)
                {
                    var delay = TimeSpan.FromSeconds(1);
                    {|RES003:while|} (!token.IsCancellationRequested)
                    {
                        try
                        {
                            await socket.ConnectAsync(endpoint, token);
                            return;
                        }
                        catch (SocketException)
                        {
                            await Task.Delay(delay, token);
                            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
                        }
                    }
                }

                async Task<Socket> ConnectForCallerAsync(Socket socket, EndPoint endpoint, CancellationToken token)
                {
                    var delay = TimeSpan.FromSeconds(1);
                    {|RES001:{|RES003:while|}|} (!token.IsCancellationRequested)
                    {
                        try
                        {
                            await socket.ConnectAsync(endpoint, token);
                            return socket;
                        }
                        catch (SocketException)
                        {
                            await Task.Delay(delay, token);
                            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
                        }
                    }

                    return null;
                }
            }
            """);

    // What the principle finds that shapes missed.
    [Fact]
    public Task LoopEndedOnlyByAShutdownFlag_IsUnbounded()
        => Verify("""
            class Fetcher
            {
                private volatile bool _stopping;

                async Task<string> FetchAsync(HttpClient client, string url)
                {
                    {|RES001:{|RES002:while|}|} (!_stopping)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(1000);
                        }
                    }

                    return null;
                }
            }
            """);

    [Fact]
    public Task HealthProbePolledUntilItAnswers_IsARetry_AReaderLoop_IsNot()
        => Verify("""
            class Startup
            {
                async Task WaitUntilHealthyAsync(HttpClient client)
                {
                    {|RES001:{|RES002:while|}|} (!await IsHealthyAsync(client))
                    {
                        await Task.Delay(1000);
                    }
                }

                async Task<int> CountAsync(DbDataReader reader)
                {
                    var count = 0;
                    while (await reader.ReadAsync())
                    {
                        count++;
                    }

                    return count;
                }

                static async Task<bool> IsHealthyAsync(HttpClient client)
                {
                    var response = await client.GetAsync("/health");
                    return response.IsSuccessStatusCode;
                }
            }
            """);

    /// <summary>
    /// A call in the Try pattern (a bool answer and an out parameter) looks something up: "false" means nothing is
    /// there yet, not that a request failed, even when the lookup may close a stale connection on its way. A pool
    /// waiting for a free connection checks that way each round.
    /// </summary>
    [Fact]
    public Task TryPatternLookupChecked_EachRound_IsNotAProbe()
        => Verify("""
            class Pool
            {
                private readonly System.Collections.Concurrent.ConcurrentQueue<HttpClient> _idle = new();

                async Task<HttpClient> RentAsync(CancellationToken token)
                {
                    while (true)
                    {
                        if (TryGetIdle(out var client))
                        {
                            return client;
                        }

                        await Task.Delay(100, token);
                    }
                }

                bool TryGetIdle(out HttpClient client)
                {
                    while (_idle.TryDequeue(out client))
                    {
                        if (client.DefaultRequestHeaders.Contains("broken"))
                        {
                            client.CancelPendingRequests();
                            _ = client.GetAsync("/close");
                            continue;
                        }

                        return true;
                    }

                    return false;
                }
            }
            """);

    // Certain or silent: nothing is reported on code whose key types do not bind.
    [Fact]
    public Task UnresolvedClientAndException_AreSilent()
        => Verify("""
            class Client
            {
                async Task<string> GetAsync(string url)
                {
                    while (true)
                    {
                        try
                        {
                            return await {|CS0103:MissingClient|}.GetAsync(url);
                        }
                        catch ({|CS0246:MissingException|})
                        {
                        }
                    }
                }
            }
            """);

    // Polling for a state: a successful answer with another status goes round too.
    [Fact]
    public Task PollingUntilAStatusChanges_IsAWaiter_WaitingForAnyAnswer_IsARetry()
        => Verify("""
            record TableStatus(string Name);

            class Tables
            {
                async Task WaitForActiveAsync(HttpClient client, string table)
                {
                    var status = "CREATING";
                    while (status != "ACTIVE")
                    {
                        await Task.Delay(5000);
                        try
                        {
                            var answer = await client.GetFromJsonAsync<TableStatus>("/tables/" + table);
                            status = answer!.Name;
                        }
                        catch (HttpRequestException)
                        {
                        }
                    }
                }

                async Task<TableStatus> DescribeAsync(HttpClient client, string table)
                {
                    TableStatus answer = null;
                    {|RES001:{|RES002:while|}|} (answer is null)
                    {
                        await Task.Delay(5000);
                        try
                        {
                            answer = await client.GetFromJsonAsync<TableStatus>("/tables/" + table);
                        }
                        catch (HttpRequestException)
                        {
                        }
                    }

                    return answer;
                }
            }
            """);

    [Fact]
    public Task GoingRoundOnHttpConflictOrPreconditionFailed_IsAWriteConflict()
        => Verify("""
            class Journal
            {
                async Task AppendAsync(HttpClient client, string uri, string etag)
                {
                    while (true)
                    {
                        try
                        {
                            var request = new HttpRequestMessage(HttpMethod.Put, uri);
                            request.Headers.TryAddWithoutValidation("If-Match", etag);
                            (await client.SendAsync(request)).EnsureSuccessStatusCode();
                            return;
                        }
                        catch (HttpRequestException exception) when (exception.StatusCode == HttpStatusCode.PreconditionFailed)
                        {
                            etag = await client.GetStringAsync(uri + "/etag");
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task CatchEndingInAThrowHelper_DoesNotGoRound()
        => Verify("""
            static class ThrowHelper
            {
                public static void ThrowUnavailable(Exception inner) => throw new InvalidOperationException("unavailable", inner);
            }

            class Client
            {
                async Task<string> GetAsync(HttpClient client, string url)
                {
                    while (true)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException exception)
                        {
                            ThrowHelper.ThrowUnavailable(exception);
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task CounterSteppedInALocalFunctionTheCatchCalls_IsABound()
        => Verify("""
            class Client
            {
                async Task<string> GetAsync(HttpClient client, string url)
                {
                    var attempt = 0;
                    {|RES002:while|} (attempt < 3)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                            OnFailure();
                        }
                    }

                    return null;

                    void OnFailure() => attempt++;
                }
            }
            """);

    // Inside a client library's own code its namespace says nothing; what its methods do does.
    [Fact]
    public Task ALibrarysOwnParser_IsInMemory_ItsConnector_CallsOut()
        => Verify("""
            namespace Npgsql
            {
                sealed class FrameParser
                {
                    public bool TryParse(byte[] buffer, out int length)
                    {
                        length = buffer.Length;
                        return length > 4;
                    }
                }

                sealed class Connector
                {
                    private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp);

                    public void Open(EndPoint endpoint) => _socket.Connect(endpoint);
                }

                sealed class Reader
                {
                    int ReadLength(FrameParser parser, byte[] buffer)
                    {
                        while (true)
                        {
                            try
                            {
                                parser.TryParse(buffer, out var length);
                                return length;
                            }
                            catch (InvalidOperationException)
                            {
                            }
                        }
                    }

                    void Connect(Connector connector, EndPoint endpoint)
                    {
                        {|RES001:{|RES002:while|}|} (true)
                        {
                            try
                            {
                                connector.Open(endpoint);
                                return;
                            }
                            catch (InvalidOperationException)
                            {
                            }
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task CreateIfAbsentRaceReportedByAnErrorCode_IsAWriteConflict()
        => Verify("""
            enum BlobErrorCode { BlobAlreadyExists, ServerBusy }

            class BlobRequestException : Exception
            {
                public BlobErrorCode ErrorCode { get; init; }
            }

            class Journal
            {
                async Task CreateAsync(HttpClient client, string uri)
                {
                    while (true)
                    {
                        try
                        {
                            (await client.PutAsync(uri, new StringContent(""))).EnsureSuccessStatusCode();
                            return;
                        }
                        catch (BlobRequestException exception) when (exception.ErrorCode == BlobErrorCode.BlobAlreadyExists)
                        {
                        }
                    }
                }

                async Task CreateWhenNotBusyAsync(HttpClient client, string uri)
                {
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        try
                        {
                            (await client.PutAsync(uri, new StringContent(""))).EnsureSuccessStatusCode();
                            return;
                        }
                        catch (BlobRequestException exception) when (exception.ErrorCode == BlobErrorCode.ServerBusy)
                        {
                        }
                    }
                }
            }
            """);

    // A proxy-authentication handler sends again after asking for new credentials; the helper it asks counts the
    // prompts in a field and says no past its limit. The count is one call down, and bounds the loop all the same. The
    // twin's helper only asks the proxy whether it answers: a call out, no limit.
    // (An awaited helper on the failure path may wait: neither loop is judged for its backoff.)
    [Fact]
    public Task GuardHelperThatCountsInAField_BoundsTheRetry_OneThatOnlyAsks_DoesNot()
        => Verify("""
            sealed class ProxyAuthHandler : DelegatingHandler
            {
                private const int MaxPrompts = 3;
                private readonly HttpClientHandler _inner;
                private int _prompts;

                public ProxyAuthHandler(HttpClientHandler inner) : base(inner) => _inner = inner;

                protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
                {
                    while (true)
                    {
                        try
                        {
                            return await base.SendAsync(request, cancellationToken);
                        }
                        catch (HttpRequestException)
                        {
                            if (!await PromptAsync(request.RequestUri, cancellationToken))
                            {
                                throw;
                            }
                        }
                    }
                }

                public async Task<HttpResponseMessage> SendWithoutLimitAsync(HttpRequestMessage request, CancellationToken cancellationToken)
                {
                    {|RES001:while|} (true)
                    {
                        try
                        {
                            return await base.SendAsync(request, cancellationToken);
                        }
                        catch (HttpRequestException)
                        {
                            if (!await RefreshAsync(request.RequestUri, cancellationToken))
                            {
                                throw;
                            }
                        }
                    }
                }

                private async Task<bool> PromptAsync(Uri? uri, CancellationToken cancellationToken)
                {
                    _prompts++;
                    if (_prompts >= MaxPrompts)
                    {
                        return false;
                    }

                    await Task.Yield();
                    return _inner.Proxy is not null;
                }

                private async Task<bool> RefreshAsync(Uri? uri, CancellationToken cancellationToken)
                {
                    using var probe = new HttpClient(_inner, disposeHandler: false);
                    using var response = await probe.GetAsync(uri, cancellationToken);
                    return response.IsSuccessStatusCode;
                }
            }
            """);

    // A consumer that subscribes again whenever its stream ends, normally or not, and stops only on a "stop" message:
    // the flag answers what came in, not whether the call succeeded, so success goes round too. The twin leaves once
    // the stream has been read to its end: that is a retry of the subscription.
    [Fact]
    public Task ConsumerStoppedOnlyByAMessage_IsAWorkerLoop_OneThatLeavesWhenTheStreamEnds_IsARetry()
        => Verify("""
            sealed class Feed
            {
                private readonly HttpClient _http = new();

                public async Task ConsumeAsync(CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        try
                        {
                            var stopped = false;
                            await foreach (var line in _http.GetFromJsonAsAsyncEnumerable<string>("https://feed.example/stream", token))
                            {
                                if (line == "stop")
                                {
                                    stopped = true;
                                }
                            }

                            if (stopped)
                            {
                                break;
                            }
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(1000, token);
                        }
                    }
                }

                public async Task ReadOnceAsync(CancellationToken token)
                {
                    {|RES001:{|RES002:while|}|} (!token.IsCancellationRequested)
                    {
                        try
                        {
                            var read = false;
                            await foreach (var line in _http.GetFromJsonAsAsyncEnumerable<string>("https://feed.example/stream", token))
                            {
                                Console.WriteLine(line);
                            }

                            read = true;
                            if (read)
                            {
                                break;
                            }
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(1000, token);
                        }
                    }
                }
            }
            """);

    // The same race, asked through a helper that classifies the exception: the helper's name says what it accepts.
    [Fact]
    public Task CreateIfAbsentRaceAskedThroughAClassifyingHelper_IsAWriteConflict()
        => Verify("""
            class StoreRequestException : Exception
            {
                public int Status { get; init; }
            }

            class Journal
            {
                async Task CreateAsync(HttpClient client, string uri)
                {
                    while (true)
                    {
                        try
                        {
                            (await client.PutAsync(uri, new StringContent(""))).EnsureSuccessStatusCode();
                            return;
                        }
                        catch (StoreRequestException exception) when (IsAlreadyExists(exception))
                        {
                        }
                    }
                }

                async Task CreateUnlessBusyAsync(HttpClient client, string uri)
                {
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        try
                        {
                            (await client.PutAsync(uri, new StringContent(""))).EnsureSuccessStatusCode();
                            return;
                        }
                        catch (StoreRequestException exception) when (IsServerBusy(exception))
                        {
                        }
                    }
                }

                private static bool IsAlreadyExists(StoreRequestException exception) => exception.Status == 409;

                private static bool IsServerBusy(StoreRequestException exception) => exception.Status == 503;
            }
            """);

    [Fact]
    public Task AProjectUsingATestDoubleLibrary_IsTestCode()
        => VerifyWithStandIn(
            "namespace NSubstitute { public static class Substitute { } }",
            Usings + """
                class Probe
                {
                    async Task<string> GetAsync(HttpClient client, string url)
                    {
                        while (true)
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

    // Fix, then go once: a recursive call that leaves a flag the method reads to its default is another request.
    [Fact]
    public Task RecursionThatFixesThenCallsOnceWithoutTheFlag_IsNotARetry_TheSameCallAgain_Is()
        => Verify("""
            class Remote
            {
                void ChangeDirectory(TcpClient client, string path, bool createMissing = false)
                {
                    try
                    {
                        client.GetStream().Write(new byte[] { 1 }, 0, 1);
                    }
                    catch (SocketException) when (createMissing)
                    {
                        ChangeDirectory(client, path);
                    }
                }

                void Send(TcpClient client, string path)
                {
                    try
                    {
                        client.GetStream().Write(new byte[] { 1 }, 0, 1);
                    }
                    catch (SocketException)
                    {
                        {|RES001:{|RES002:Send(client, path)|}|};
                    }
                }
            }
            """);

    [Fact]
    public Task ConflictNamedByAStringCode_IsAWriteConflict()
        => Verify("""
            class CommandException : Exception
            {
                public string CodeName { get; init; }
            }

            class Store
            {
                async Task UpdateAsync(HttpClient client, string uri)
                {
                    while (true)
                    {
                        try
                        {
                            (await client.PostAsync(uri, new StringContent("{}"))).EnsureSuccessStatusCode();
                            return;
                        }
                        catch (CommandException exception) when (exception.CodeName == "WriteConflict")
                        {
                        }
                    }
                }
            }
            """);

    // Accept loops: what the attempt does with the accepted connection is inbound work.
    [Fact]
    public Task AcceptLoopThatStartsTheAcceptedConnection_IsInbound()
        => Verify("""
            class Session
            {
                private readonly Socket _peer;
                public Session(Socket peer) { _peer = peer; }
                public void Greet() => _peer.Send(new byte[] { 1 });
            }

            class Listener
            {
                private Socket _listening = null!;

                async Task<Session> NextAsync()
                {
                    while (true)
                    {
                        try
                        {
                            var peer = await _listening.AcceptAsync();
                            var session = new Session(peer);
                            session.Greet();
                            return session;
                        }
                        catch (SocketException)
                        {
                        }
                    }
                }
            }
            """);

    // Giving up when a send fails is not success leaving: success goes round, a worker loop.
    [Fact]
    public Task LeavingWhenTheSendFails_IsAWorkerLoop_LeavingWhenItSucceeds_IsARetry()
        => Verify("""
            class Outbox
            {
                private readonly ConcurrentQueue<byte[]> _pending = new();
                private readonly SemaphoreSlim _ready = new(0);
                private Socket _socket = null!;

                bool TrySend(byte[] frame)
                {
                    try { _socket.Send(frame); return true; }
                    catch (SocketException) { return false; }
                }

                async Task PumpAsync()
                {
                    while (true)
                    {
                        try
                        {
                            await _ready.WaitAsync();
                            while (_pending.TryDequeue(out var frame))
                            {
                                if (!TrySend(frame))
                                {
                                    _pending.Enqueue(frame);
                                    return;
                                }
                            }
                        }
                        catch (Exception)
                        {
                        }
                    }
                }

                void SendNow(byte[] frame)
                {
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        try
                        {
                            if (TrySend(frame))
                            {
                                return;
                            }
                        }
                        catch (ObjectDisposedException)
                        {
                        }
                    }
                }
            }
            """);

    // A flag the failure path sets, checked before going round: one more attempt, then out.
    [Fact]
    public Task FlagThatLetsOneMoreAttemptThrough_IsABound_AFlagSetElsewhere_IsNot()
        => Verify("""
            class Api
            {
                private bool _closing;
                private string _token = "";

                Task RenewAsync() => Task.CompletedTask;

                async Task<string> ReadAsync(HttpClient client)
                {
                    var renewed = false;
                    while (true)
                    {
                        try
                        {
                            return await client.GetStringAsync("https://api.example.com/me");
                        }
                        catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.Unauthorized)
                        {
                            if (renewed)
                            {
                                throw;
                            }

                            renewed = true;
                            await RenewAsync();
                            await Task.Delay(200);
                        }
                    }
                }

                async Task<string> ReadUntilClosingAsync(HttpClient client)
                {
                    {|RES001:while|} (true)
                    {
                        try
                        {
                            return await client.GetStringAsync("https://api.example.com/me");
                        }
                        catch (HttpRequestException)
                        {
                            if (_closing)
                            {
                                throw;
                            }

                            await Task.Delay(200 * Environment.TickCount % 7);
                        }
                    }
                }
            }
            """);

    // Limits written as patterns and elapsed time held in a local are bounds like any comparison.
    [Fact]
    public Task CounterMatchedByAPattern_AndElapsedTimeInALocal_AreBounds()
        => Verify("""
            class Replica
            {
                async Task<int> ReadAsync(HttpClient client)
                {
                    const int most = 4;
                    {|RES003:for|} (var trial = 0; ;)
                    {
                        try
                        {
                            return (await client.GetStringAsync("https://replica.example.com/pos")).Length;
                        }
                        catch (HttpRequestException e) when (trial is most)
                        {
                            throw new InvalidOperationException("gave up", e);
                        }
                        catch (HttpRequestException)
                        {
                            trial++;
                            await Task.Delay(100 << trial);
                        }
                    }
                }

                async Task ConnectAsync(TcpClient client, string host)
                {
                    var started = DateTimeOffset.UtcNow;
                    {|RES002:while|} (true)
                    {
                        try
                        {
                            await client.ConnectAsync(host, 5432);
                            return;
                        }
                        catch (SocketException)
                        {
                            var waited = DateTimeOffset.UtcNow - started;
                            if (waited > TimeSpan.FromSeconds(30))
                            {
                                throw new TimeoutException();
                            }

                            await Task.Delay(500);
                        }
                    }
                }

                async Task ConnectForEverAsync(TcpClient client, string host)
                {
                    var started = DateTimeOffset.UtcNow;
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        try
                        {
                            await client.ConnectAsync(host, 5432);
                            return;
                        }
                        catch (SocketException)
                        {
                            var waited = DateTimeOffset.UtcNow - started;
                            Console.WriteLine(waited);
                            await Task.Delay(500);
                        }
                    }
                }
            }
            """);

    // A token from a source made here with a timeout ends the attempts at a deadline; the caller's token does not.
    [Fact]
    public Task TokenOfASourceWithATimeout_IsADeadline_TheCallersToken_IsNot()
        => Verify("""
            class Startup
            {
                async Task<bool> PingAsync(HttpClient client, CancellationToken token)
                    => (await client.GetAsync("https://db.example.com/health", token)).IsSuccessStatusCode;

                async Task WaitForDatabaseAsync(HttpClient client)
                {
                    using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                    {|RES002:while|} (!await PingAsync(client, deadline.Token))
                    {
                        await Task.Delay(100, deadline.Token);
                    }
                }

                async Task WaitWithCancelAfterAsync(HttpClient client)
                {
                    using var deadline = new CancellationTokenSource();
                    deadline.CancelAfter(30_000);
                    {|RES002:while|} (!await PingAsync(client, deadline.Token))
                    {
                        await Task.Delay(100, deadline.Token);
                    }
                }

                async Task WaitForEverAsync(HttpClient client, CancellationToken token)
                {
                    {|RES001:{|RES002:while|}|} (!await PingAsync(client, token))
                    {
                        await Task.Delay(100, token);
                    }
                }
            }
            """);

    // A Unix-domain socket reaches a process on this machine: waiting for it to listen is not load on a dependency.
    [Fact]
    public Task ConnectingToAUnixDomainSocket_IsLocal_ToATcpEndpoint_IsOutbound()
        => Verify("""
            class Backchannel
            {
                async Task<Stream> OpenLocalAsync(string path)
                {
                    while (true)
                    {
                        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                        try
                        {
                            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
                            return new NetworkStream(socket, ownsSocket: true);
                        }
                        catch (SocketException)
                        {
                            socket.Dispose();
                            await Task.Delay(100);
                        }
                    }
                }

                async Task<Stream> OpenRemoteAsync(IPEndPoint endpoint)
                {
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                        try
                        {
                            await socket.ConnectAsync(endpoint);
                            return new NetworkStream(socket, ownsSocket: true);
                        }
                        catch (SocketException)
                        {
                            socket.Dispose();
                            await Task.Delay(100);
                        }
                    }
                }
            }
            """);

    // Kafka's Produce only queues the message in the client; ProduceAsync waits for the broker.
    [Fact]
    public async Task QueueingAKafkaMessageLocally_IsNotOutbound_AwaitingTheBroker_Is()
    {
        var test = new CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>.Test
        {
            TestCode = Usings + """
                using Confluent.Kafka;

                class Publisher
                {
                    void Publish(IProducer<string, byte[]> producer, Message<string, byte[]> message)
                    {
                        while (true)
                        {
                            try
                            {
                                producer.Produce("events", message);
                                return;
                            }
                            catch (ProduceException<string, byte[]>)
                            {
                                producer.Poll(TimeSpan.FromMilliseconds(10));
                            }
                        }
                    }

                    async Task PublishAndWaitAsync(IProducer<string, byte[]> producer, Message<string, byte[]> message)
                    {
                        {|RES001:{|RES002:while|}|} (true)
                        {
                            try
                            {
                                await producer.ProduceAsync("events", message);
                                return;
                            }
                            catch (ProduceException<string, byte[]>)
                            {
                                await Task.Delay(10);
                            }
                        }
                    }
                }
                """,
            TestLibraries = TestLibraries.None,
        };
        TestSetup.AddStandInLibrary(test.TestState, """
            namespace Confluent.Kafka
            {
                public class Message<TKey, TValue> { }
                public class ProduceException<TKey, TValue> : System.Exception { }
                public interface IProducer<TKey, TValue>
                {
                    void Produce(string topic, Message<TKey, TValue> message);
                    int Poll(System.TimeSpan timeout);
                    System.Threading.Tasks.Task<object> ProduceAsync(string topic, Message<TKey, TValue> message);
                }
            }
            """);
        await test.RunAsync();
    }

    // A credentials dialog loop: every round shows the dialog again and tests what the user typed into it. A failed test
    // asks the user, it does not re-send the same request. The same test in a loop with no dialog is a retry.
    [Fact]
    public Task LoopThatShowsAModalDialogEachRound_IsAUserInputLoop()
        => Verify("""
            namespace Desktop
            {
                enum DialogResult { None, OK, Cancel }

                class CredentialsForm
                {
                    public string ApiKey { get; set; } = "";
                    public DialogResult DialogResult { get; set; }
                    public DialogResult ShowDialog() => DialogResult;
                }

                class Vault
                {
                    private readonly HttpClient _client = new();

                    async Task<string> SignInAsync(CredentialsForm form)
                    {
                        while (true)
                        {
                            if (form.ShowDialog() != DialogResult.OK)
                            {
                                return "";
                            }

                            try
                            {
                                return await _client.GetStringAsync("https://vault.example.com/token?key=" + form.ApiKey);
                            }
                            catch (HttpRequestException)
                            {
                                Console.WriteLine("The key was refused; try again.");
                            }
                        }
                    }

                    async Task<string> SignInAsync(string apiKey)
                    {
                        {|RES001:{|RES002:while|}|} (true)
                        {
                            try
                            {
                                return await _client.GetStringAsync("https://vault.example.com/token?key=" + apiKey);
                            }
                            catch (HttpRequestException)
                            {
                                Console.WriteLine("The key was refused; trying again.");
                            }
                        }
                    }
                }
            }
            """);

    // Waiting for a process on this machine to listen (a tunnel, a child process) by connecting to a loopback address
    // reaches no dependency: the connection is answered, or refused, by this machine. The same loop to a remote host
    // is a retry.
    [Fact]
    public Task ConnectLoopToALoopbackAddress_IsAReadinessWait()
        => Verify("""
            class Tunnel
            {
                void WaitForLocalPort(int port)
                {
                    var started = System.Diagnostics.Stopwatch.StartNew();
                    while (started.ElapsedMilliseconds < 60000)
                    {
                        try
                        {
                            using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
                            probe.Connect(IPAddress.Loopback, port);
                            break;
                        }
                        catch (SocketException)
                        {
                            Thread.Sleep(1000);
                        }
                    }
                }

                async Task WaitForLocalHostAsync(int port)
                {
                    while (true)
                    {
                        try
                        {
                            using var probe = new TcpClient();
                            await probe.ConnectAsync("localhost", port);
                            return;
                        }
                        catch (SocketException)
                        {
                            await Task.Delay(500);
                        }
                    }
                }

                void ConnectToServer(IPAddress server, int port)
                {
                    var started = System.Diagnostics.Stopwatch.StartNew();
                    {|RES002:while|} (started.ElapsedMilliseconds < 60000)
                    {
                        try
                        {
                            using var probe = new Socket(SocketType.Stream, ProtocolType.Tcp);
                            probe.Connect(server, port);
                            break;
                        }
                        catch (SocketException)
                        {
                            Thread.Sleep(1000);
                        }
                    }
                }
            }
            """);

    // A menu or prompt loop answers a new line the user typed on every round.
    [Fact]
    public Task LoopThatReadsTheConsoleEachRound_IsAUserInputLoop_OneThatOnlyWrites_IsNot()
        => Verify("""
            class Shell
            {
                async Task RunAsync(HttpClient client)
                {
                    while (true)
                    {
                        Console.Write("> ");
                        var line = Console.ReadLine();
                        try
                        {
                            switch (line)
                            {
                                case "s":
                                    Console.WriteLine(await client.GetStringAsync("https://api.example.com/status"));
                                    break;
                                case "q":
                                    return;
                            }
                        }
                        catch (HttpRequestException e)
                        {
                            Console.WriteLine(e.Message);
                        }
                    }
                }

                async Task<string> StatusAsync(HttpClient client)
                {
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        try
                        {
                            return await client.GetStringAsync("https://api.example.com/status");
                        }
                        catch (HttpRequestException e)
                        {
                            Console.WriteLine(e.Message);
                        }
                    }
                }
            }
            """);

    // Leaving when the call answers "no more" (one of two calls) while every answer of "more" goes round: a drain.
    [Fact]
    public Task DrainingUntilEitherCallAnswersNoMore_IsADrain()
        => Verify("""
            class Results
            {
                private readonly DbDataReader _reader = null!;
                private bool _schemaOnly;

                async Task ConsumeAsync()
                {
                    var failures = new List<Exception>();
                    while (true)
                    {
                        try
                        {
                            if (!(_schemaOnly ? await _reader.NextResultAsync().ConfigureAwait(false) : await _reader.ReadAsync()))
                            {
                                break;
                            }
                        }
                        catch (Exception e)
                        {
                            failures.Add(e);
                        }
                    }
                }
            }
            """);

    // Socket.Poll waits until there is something to read; nothing is sent again.
    [Fact]
    public Task WaitingForASocketToBecomeReadable_IsAWait_NotARetry()
        => Verify("""
            class Reader
            {
                private readonly Socket _socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                private int _remainingMs = 30_000;

                int Read(byte[] buffer)
                {
                    while (_remainingMs > 0)
                    {
                        var started = Environment.TickCount;
                        if (_socket.Poll(100_000, SelectMode.SelectRead))
                        {
                            return _socket.Receive(buffer);
                        }

                        _remainingMs -= Environment.TickCount - started;
                    }

                    throw new TimeoutException();
                }
            }
            """);

    // A method of the compilation in another file is read when what its type holds says it may call out: a client in a
    // field (an auto-property's included); a property that only computes a value (an override returning the library's own
    // connection) holds nothing. Its body then decides.
    [Fact]
    public Task ATypeInAnotherFileThatHoldsNoClient_IsNotSeenToCallOut()
        => VerifyRollbackRetry("""
            class Transaction : DbTransaction
            {
                private readonly LocalConnection _connection = new();
                public override System.Data.IsolationLevel IsolationLevel => System.Data.IsolationLevel.ReadCommitted;
                protected override DbConnection DbConnection => _connection;
                public override void Commit() { }
                public override void Rollback() { }
            }

            class LocalConnection : DbConnection
            {
                public override string ConnectionString { get; set; } = "";
                public override string Database => "";
                public override string DataSource => "";
                public override string ServerVersion => "";
                public override System.Data.ConnectionState State => System.Data.ConnectionState.Open;
                public override void ChangeDatabase(string databaseName) { }
                public override void Close() { }
                public override void Open() { }
                protected override DbTransaction BeginDbTransaction(System.Data.IsolationLevel isolationLevel) => new Transaction();
                protected override DbCommand CreateDbCommand() => throw new NotSupportedException();
            }
            """);

    [Fact]
    public Task ATypeInAnotherFileThatHoldsAClientInAnAutoProperty_CallsOut()
        => VerifyRollbackRetry(
            """
            class Transaction
            {
                public DbConnection Connection { get; } = null!;

                public void Rollback()
                {
                    using var command = Connection.CreateCommand();
                    command.CommandText = "ROLLBACK";
                    command.ExecuteNonQuery();
                }
            }
            """,
            CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>.Diagnostic("RES002").WithSpan(18, 9, 18, 12).WithArguments("This loop", "after a delay that does not grow"));

    /// <summary>A bounded loop with a fixed delay around <c>Transaction.Rollback()</c>, a type declared by <paramref name="transaction"/> in another file.</summary>
    private static async Task VerifyRollbackRetry(string transaction, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>.Test
        {
            TestCode = Usings + """
                class ResourceManager
                {
                    private readonly Transaction _transaction = new();

                    void RollBack()
                    {
                        for (var attempt = 0; attempt < 5; attempt++)
                        {
                            try
                            {
                                _transaction.Rollback();
                                return;
                            }
                            catch (BusyException)
                            {
                                Thread.Sleep(500);
                            }
                        }
                    }
                }
                """,
            TestLibraries = TestLibraries.None,
        };
        test.ExpectedDiagnostics.AddRange(expected);
        test.TestState.Sources.Add(("/0/Transaction.cs", Usings + "class BusyException : Exception { }\n\n" + transaction));
        await test.RunAsync();
    }

    // The attempt count handed to a policy object whose answer decides the go-round: the limit is in the policy.
    [Fact]
    public async Task AttemptCountHandedToAPolicyInAnotherFile_IsABoundThatCannotBeSeen()
    {
        var test = new CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>.Test
        {
            TestCode = Usings + """
                using Microsoft.Azure.Messaging;

                class Receiver
                {
                    private readonly RetryPolicy _policy = new LinearPolicy();
                    private bool _closed;

                    async Task<string?> ReceiveAsync(HttpClient http)
                    {
                        bool shouldRetry;
                        var retryCount = 0;
                        do
                        {
                            shouldRetry = false;
                            try
                            {
                                try
                                {
                                    return await http.GetStringAsync("https://example.test/");
                                }
                                catch (HttpRequestException inner)
                                {
                                    throw new InvalidOperationException(inner.Message);
                                }
                            }
                            catch (Exception ex)
                            {
                                TimeSpan? interval = _policy.GetNextRetryInterval(ex, ++retryCount);
                                if (interval != null && !_closed)
                                {
                                    await Task.Delay(interval.Value);
                                    shouldRetry = true;
                                }
                                else
                                {
                                    if (ex is TimeoutException)
                                    {
                                        break;
                                    }

                                    throw;
                                }
                            }
                        }
                        while (shouldRetry);

                        return null;
                    }
                }
                """,
            TestLibraries = TestLibraries.None,
        };
        // A library of Microsoft's own writes its code under the Microsoft namespace: it is still the compilation's.
        test.TestState.Sources.Add(("/0/RetryPolicy.cs", Usings + """
            namespace Microsoft.Azure.Messaging
            {
                abstract class RetryPolicy
                {
                    public TimeSpan? GetNextRetryInterval(Exception exception, int retryCount) => OnGetNextRetryInterval(exception, retryCount);
                    protected abstract TimeSpan? OnGetNextRetryInterval(Exception exception, int retryCount);
                }

                class LinearPolicy : RetryPolicy
                {
                    protected override TimeSpan? OnGetNextRetryInterval(Exception exception, int retryCount)
                        => retryCount < 5 ? TimeSpan.FromSeconds(retryCount) : null;
                }
            }
            """));
        await test.RunAsync();
    }

    // Asking the Redis client whether it is connected reads its own state: waiting for that is not a retry.
    [Fact]
    public Task WaitingForTheRedisClientToReconnect_IsNotARetry()
        => VerifyWithStandIn(
            """
            namespace StackExchange.Redis
            {
                public interface IDatabase
                {
                    bool IsConnected(string key);
                    System.Threading.Tasks.Task<string?> StringGetAsync(string key);
                }
            }
            """,
            Usings + """
                using StackExchange.Redis;

                class Restorer
                {
                    async Task<string?> RestoreAsync(IDatabase database, string key)
                    {
                        while (!database.IsConnected(key))
                        {
                            await Task.Delay(200);
                        }

                        return await database.StringGetAsync(key);
                    }
                }
                """);

    // SQLite runs in the process: a command of it is local even through DbCommand's methods.
    [Fact]
    public async Task ASqliteCommandThroughDbCommandsMethods_IsLocal()
    {
        var test = new CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>.Test
        {
            TestCode = Usings + """
                using Microsoft.Data.Sqlite;

                class Migrations
                {
                    async Task<bool> LockAsync(SqliteConnection connection)
                    {
                        for (var attempt = 0; attempt < 10; attempt++)
                        {
                            try
                            {
                                DbCommand command = connection.CreateCommand();
                                await connection.CreateCommand().ExecuteNonQueryAsync();
                                return true;
                            }
                            catch (SqliteException)
                            {
                                await Task.Delay(100 * (attempt + 1));
                            }
                        }

                        return false;
                    }
                }
                """,
            TestLibraries = TestLibraries.None,
        };
        TestSetup.AddStandInLibrary(test.TestState, """
            namespace Microsoft.Data.Sqlite
            {
                public class SqliteException : System.Data.Common.DbException { }
                public abstract class SqliteCommand : System.Data.Common.DbCommand { }
                public abstract class SqliteConnection : System.Data.Common.DbConnection
                {
                    public new SqliteCommand CreateCommand() => null!;
                }
            }
            """);
        await test.RunAsync();
    }

    // A deadline decided into a local, and a sequence of delays that runs out: bounds, seen or not.
    [Fact]
    public Task DeadlineHeldInALocal_IsABound_ASequenceThatRunsOut_IsSilent()
        => Verify("""
            interface IBackoff { IEnumerable<TimeSpan> Delays(); }

            class Sender
            {
                private readonly IBackoff _backoff = null!;

                async Task<string> SendAsync(HttpClient client, TimeSpan budget)
                {
                    var first = DateTime.UtcNow;
                    {|RES002:while|} (true)
                    {
                        try
                        {
                            return await client.GetStringAsync("https://cache.example.com/k");
                        }
                        catch (HttpRequestException)
                        {
                            var again = DateTime.UtcNow - first < budget;
                            if (!again)
                            {
                                throw;
                            }

                            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(100, 200) * 2));
                        }
                    }
                }

                async Task<string> PacedAsync(HttpClient client)
                {
                    IEnumerator<TimeSpan>? delays = null;
                    while (true)
                    {
                        try
                        {
                            return await client.GetStringAsync("https://cache.example.com/k");
                        }
                        catch (HttpRequestException)
                        {
                            delays ??= _backoff.Delays().GetEnumerator();
                            if (!delays.MoveNext())
                            {
                                throw;
                            }

                            await Task.Delay(delays.Current);
                        }
                    }
                }
            }
            """);

    // A wait handed to a delegate or an interface cannot be seen: no claim that the retry is immediate.
    [Fact]
    public Task WaitThroughADelegateGivenADuration_IsUnknown_ACallWithoutOne_IsNoWait()
        => Verify("""
            class Retrier
            {
                public Func<TimeSpan, CancellationToken, Task> Pause { get; set; } = Task.Delay;
                public Action<string> Log { get; set; } = _ => { };

                async Task<string> RunAsync(HttpClient client, CancellationToken token)
                {
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync("https://api.example.com/x", token);
                        }
                        catch (HttpRequestException)
                        {
                            await Pause(TimeSpan.FromMilliseconds(100), token);
                        }
                    }

                    throw new TimeoutException();
                }

                async Task<string> LogOnlyAsync(HttpClient client, CancellationToken token)
                {
                    {|RES002:for|} (var attempt = 0; attempt < 5; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync("https://api.example.com/x", token);
                        }
                        catch (HttpRequestException e)
                        {
                            Log(e.Message);
                        }
                    }

                    throw new TimeoutException();
                }
            }
            """);

    // Starting a listener binds a port here; calling Start again after fixing the reservation is not a retry.
    [Fact]
    public Task StartingAListenerAgainAfterAFix_IsNotARetry()
        => Verify("""
            class Host
            {
                private HttpListener _listener = new HttpListener();
                private string? _reserved;

                string? Reserve() => "http://+:8080/";

                void Start()
                {
                    try
                    {
                        _listener.Start();
                    }
                    catch (HttpListenerException e) when (e.ErrorCode == 5 && _reserved == null)
                    {
                        _reserved = Reserve();
                        _listener = new HttpListener();
                        Start();
                    }
                }
            }
            """);

    // A flag a filter checks before going round, cleared on the first failure: one more attempt.
    [Fact]
    public Task FilterOnAFlagClearedByTheFirstFailure_IsABound_ThatIsNeverCleared_IsNot()
        => Verify("""
            class Uploader
            {
                async Task<string> UploadAsync(HttpClient client, Func<Task> recreate)
                {
                    var firstFailure = true;
                    while (true)
                    {
                        try
                        {
                            return await client.GetStringAsync("https://store.example.com/put");
                        }
                        catch (HttpRequestException e) when (firstFailure && e.StatusCode == HttpStatusCode.NotFound)
                        {
                            firstFailure = false;
                            await recreate();
                        }
                    }
                }

                async Task<string> UploadForEverAsync(HttpClient client, Func<Task> recreate)
                {
                    var firstFailure = true;
                    {|RES001:{|RES002:while|}|} (true)
                    {
                        try
                        {
                            return await client.GetStringAsync("https://store.example.com/put");
                        }
                        catch (HttpRequestException e) when (firstFailure && e.StatusCode == HttpStatusCode.NotFound)
                        {
                            Console.WriteLine(firstFailure);
                        }
                    }
                }
            }
            """);

    // Failover through a delegate: the address handed to it moves with the counter.
    [Fact]
    public Task TryingEachEndpointThroughADelegate_IsFailover_TheSameEndpointAgain_IsARetry()
        => Verify("""
            class Search
            {
                private readonly Uri[] _endpoints = Array.Empty<Uri>();

                async Task<string> QueryAsync(Func<Uri, Task<string>> get, string term)
                {
                    for (var i = 0; i < _endpoints.Length; i++)
                    {
                        var query = new UriBuilder(_endpoints[i].AbsoluteUri) { Query = "q=" + term };
                        try
                        {
                            return await get(query.Uri);
                        }
                        catch (HttpRequestException) when (i < _endpoints.Length - 1)
                        {
                        }
                    }

                    throw new InvalidOperationException();
                }

                async Task<string> QueryFirstAsync(Func<Uri, Task<string>> get, string term)
                {
                    {|RES002:for|} (var i = 0; i < 3; i++)
                    {
                        var query = new UriBuilder(_endpoints[0].AbsoluteUri) { Query = "q=" + term };
                        try
                        {
                            return await get(query.Uri);
                        }
                        catch (HttpRequestException) when (i < 2)
                        {
                        }
                    }

                    throw new InvalidOperationException();
                }
            }
            """);

    // Polling until the answer says another state: a successful answer of the same state goes round too.
    [Fact]
    public Task PollingUntilAStatusComparedByAMethodChanges_IsAWaiter()
        => Verify("""
            class Operation { public string Status { get; set; } = ""; }

            class Registration
            {
                private readonly HttpClient _client = new();

                async Task<Operation> LookupAsync(string id)
                    => new Operation { Status = await _client.GetStringAsync("https://dps.example.com/" + id) };

                async Task<Operation> WaitAsync(string id)
                {
                    var operation = await LookupAsync(id);
                    while (string.CompareOrdinal(operation.Status, "assigning") == 0)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(2));
                        try
                        {
                            operation = await LookupAsync(id);
                        }
                        catch (HttpRequestException)
                        {
                        }
                    }

                    return operation;
                }
            }
            """);

    // The counter written into the address names another endpoint each pass: every port is tried once.
    [Fact]
    public Task CounterWrittenIntoTheAddress_IsFailover_ACounterOnlyCounted_IsNot()
        => Verify("""
            class Rpc
            {
                async Task<int> ConnectAsync(HttpClient client)
                {
                    int port;
                    for (port = 6463; port <= 6472; port++)
                    {
                        try
                        {
                            var url = $"https://127.0.0.1:{port}/rpc";
                            await client.GetStringAsync(url);
                            return port;
                        }
                        catch (HttpRequestException)
                        {
                        }
                    }

                    throw new InvalidOperationException();
                }

                async Task<string> FetchAsync(HttpClient client)
                {
                    {|RES002:for|} (var attempt = 0; attempt < 3; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync("https://rpc.example.com/state");
                        }
                        catch (HttpRequestException)
                        {
                            Console.WriteLine($"attempt {attempt} failed");
                        }
                    }

                    throw new InvalidOperationException();
                }
            }
            """);

    // A cloud client held by a store helper in another file of the project: the startup loop that initialises the
    // store through it re-sends the helper's requests, once the client library's types resolve.
    [Fact]
    public Task StartupLoopThroughAHelperThatHoldsACloudClient_IsARetry()
        => VerifyWithStandIn(
            """
            namespace Google.Cloud.Firestore
            {
                public sealed class FirestoreDb
                {
                    public static System.Threading.Tasks.Task<FirestoreDb> CreateAsync(string projectId, System.Threading.CancellationToken cancellationToken) => null!;
                }
            }
            """,
            Usings + """
                        sealed class ReminderStore
                        {
                            private readonly DocumentStore _store = new DocumentStore();

                            public async Task StartAsync(CancellationToken cancellationToken)
                            {
                                {|RES001:{|RES002:while|}|} (true)
                                {
                                    try
                                    {
                                        await _store.InitializeAsync(cancellationToken);
                                        return;
                                    }
                                    catch (Exception) when (!cancellationToken.IsCancellationRequested)
                                    {
                                        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                                    }
                                }
                            }
                        }
                        """,
            """
                        sealed class DocumentStore
                        {
                            private Google.Cloud.Firestore.FirestoreDb? _database;

                            public async System.Threading.Tasks.Task InitializeAsync(System.Threading.CancellationToken cancellationToken)
                                => _database = await Google.Cloud.Firestore.FirestoreDb.CreateAsync("reminders", cancellationToken);
                        }
                        """);

    // A clean-up loop that deletes a resource until the service stops saying it is in use: the same Describe and
    // Delete requests go out every ten seconds, with no end.
    [Fact]
    public Task DeletingUntilTheResourceIsNoLongerInUse_IsARetryWithNoLimit()
        => VerifyWithStandIn(
            """
            namespace Amazon.LoadBalancing
            {
                public class GroupNotFoundException : System.Exception { }
                public class ResourceInUseException : System.Exception { }
                public sealed class LoadBalancingClient
                {
                    public System.Threading.Tasks.Task<string> DescribeGroupAsync(string name) => null!;
                    public System.Threading.Tasks.Task DeleteGroupAsync(string arn) => null!;
                }
            }
            """,
            Usings + """
                using Amazon.LoadBalancing;

                sealed class Cleanup
                {
                    private readonly LoadBalancingClient _client = new LoadBalancingClient();

                    public async Task DeleteGroupAsync(string name)
                    {
                        var deleted = false;
                        {|RES001:{|RES002:while|}|} (!deleted)
                        {
                            try
                            {
                                var arn = await _client.DescribeGroupAsync(name);
                                await _client.DeleteGroupAsync(arn);
                                deleted = true;
                            }
                            catch (GroupNotFoundException)
                            {
                                deleted = true;
                            }
                            catch (ResourceInUseException)
                            {
                                Console.WriteLine("still in use, waiting");
                                Thread.Sleep(10000);
                            }
                        }
                    }
                }
                """);
}
