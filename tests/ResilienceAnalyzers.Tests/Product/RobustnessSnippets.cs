using System.Collections.Generic;

namespace ResilienceAnalyzers.Tests.Product;

/// <summary>
/// Realistic code of each rule family, written for the robustness test: services as they are written, with
/// findings and near-misses side by side, so broken variants hit every recogniser mid-shape.
/// </summary>
internal static class RobustnessSnippets
{
    public static IReadOnlyDictionary<string, string> All { get; } = new Dictionary<string, string>
    {
        ["Retry: order sync worker"] = """
            using System;
            using System.Collections.Generic;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;
            using Polly;
            using Polly.Retry;

            namespace Orders;

            public sealed class OrderSync
            {
                private static readonly HttpClient Http = new HttpClient();
                private readonly ResiliencePipeline _pipeline = new ResiliencePipelineBuilder()
                    .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 4, BackoffType = DelayBackoffType.Linear })
                    .Build();

                public async Task<string> PullAsync(string id, CancellationToken token)
                {
                    var delay = 100;
                    for (var attempt = 1; ; attempt++)
                    {
                        try
                        {
                            return await Http.GetStringAsync("https://orders.example/" + id, token);
                        }
                        catch (HttpRequestException) when (attempt < 5)
                        {
                            await Task.Delay(delay, token);
                            delay *= 2;
                        }
                    }
                }

                public async Task PushAllAsync(IEnumerable<string> ids, CancellationToken token)
                {
                    foreach (var id in ids)
                    {
                        await _pipeline.ExecuteAsync(async ct => await Http.PostAsync("https://orders.example/" + id, null, ct), token);
                    }
                }

                public void Reconnect(Func<bool> connect)
                {
                    retry:
                    try
                    {
                        if (!connect())
                        {
                            throw new InvalidOperationException();
                        }
                    }
                    catch (InvalidOperationException)
                    {
                        Thread.Sleep(500);
                        goto retry;
                    }
                }

                public AsyncPolicy Policy() => Polly.Policy.Handle<HttpRequestException>()
                    .WaitAndRetryAsync(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4) });
            }
            """,
        ["Retry: file lock with recursion"] = """
            using System;
            using System.IO;
            using System.Threading.Tasks;

            namespace Storage;

            public static class LockedFile
            {
                public static async Task<string> ReadAsync(string path, int remaining = 5)
                {
                    try
                    {
                        using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None));
                        return await reader.ReadToEndAsync();
                    }
                    catch (IOException) when (remaining > 0)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(50 * (6 - remaining) + Random.Shared.Next(20)));
                        return await ReadAsync(path, remaining - 1);
                    }
                }

                public static void Write(string path, string text)
                {
                    do
                    {
                        try
                        {
                            File.WriteAllText(path, text);
                            return;
                        }
                        catch (IOException)
                        {
                        }
                    }
                    while (true);
                }
            }
            """,
        ["Timeouts: data access and gRPC"] = """
            using System;
            using System.Data;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;
            using Grpc.Core;
            using Microsoft.Data.SqlClient;

            namespace Billing;

            public sealed class InvoiceStore
            {
                private readonly string _connectionString = "Server=db;Database=billing;Command Timeout=0";

                public async Task<int> CountAsync(CancellationToken token)
                {
                    await using var connection = new SqlConnection(_connectionString);
                    await connection.OpenAsync(token);
                    await using var command = new SqlCommand("select count(*) from invoices", connection) { CommandTimeout = 0 };
                    return (int)(await command.ExecuteScalarAsync(token))!;
                }

                public HttpClient Client() => new HttpClient { Timeout = Timeout.InfiniteTimeSpan };

                public HttpClient Bounded() => new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

                public async Task<string> Echo(CallInvoker invoker)
                {
                    var method = new Method<string, string>(MethodType.Unary, "billing.Echo", "Say", Marshallers.StringMarshaller, Marshallers.StringMarshaller);
                    var options = new CallOptions(deadline: DateTime.UtcNow.AddSeconds(5));
                    return await invoker.AsyncUnaryCall(method, null, options, "hello");
                }
            }

            public sealed class LedgerClient : ClientBase<LedgerClient>
            {
                public LedgerClient(CallInvoker invoker) : base(invoker) { }

                private LedgerClient(ClientBaseConfiguration configuration) : base(configuration) { }

                public AsyncUnaryCall<string> BalanceAsync(string account, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
                    => CallInvoker.AsyncUnaryCall(new Method<string, string>(MethodType.Unary, "ledger", "Balance", Marshallers.StringMarshaller, Marshallers.StringMarshaller), null, new CallOptions(headers, deadline, cancellationToken), account);

                protected override LedgerClient NewInstance(ClientBaseConfiguration configuration) => new LedgerClient(configuration);
            }

            public sealed class LedgerReader(LedgerClient client)
            {
                public async Task<string> ReadAsync(string account) => await client.BalanceAsync(account);

                public async Task<string> ReadWithDeadlineAsync(string account) => await client.BalanceAsync(account, deadline: DateTime.UtcNow.AddSeconds(3));
            }
            """,
        ["Timeouts: socket client, web socket and pipe"] = """
            using System;
            using System.IO;
            using System.IO.Pipes;
            using System.Net;
            using System.Net.Sockets;
            using System.Net.WebSockets;
            using System.Threading;
            using System.Threading.Tasks;

            namespace Telemetry;

            public sealed class Collector
            {
                private readonly Socket _shared = new Socket(SocketType.Stream, ProtocolType.Tcp);

                public async Task<int> PollAsync(string host, byte[] buffer, CancellationToken token)
                {
                    using var client = new TcpClient();
                    await client.ConnectAsync(host, 7000);
                    var stream = client.GetStream();
                    await stream.WriteAsync(buffer, 0, 4, token);
                    var read = await stream.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false);
                    using var reader = new StreamReader(stream);
                    var line = await reader.ReadLineAsync();
                    return read + (line?.Length ?? 0) + _shared.Receive(buffer);
                }

                public async Task<int> FeedAsync(Uri uri, byte[] buffer)
                {
                    using var socket = new ClientWebSocket();
                    await socket.ConnectAsync(uri, CancellationToken.None);
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                    var result = await socket.ReceiveAsync(new ArraySegment<byte>(buffer), timeout.Token);
                    return result.Count;
                }

                public int Local(EndPoint endpoint, byte[] buffer)
                {
                    using var pipe = new NamedPipeClientStream(".", "jobs");
                    pipe.Connect();
                    using var raw = new Socket(SocketType.Stream, ProtocolType.Tcp);
                    raw.ReceiveTimeout = 5000;
                    raw.Connect(endpoint);
                    return raw.Receive(buffer);
                }
            }
            """,
        ["Timeouts: factory clients and pipelines that cut their retries short"] = """
            using System;
            using System.Net.Http;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Http.Resilience;
            using Polly;
            using Polly.Retry;

            namespace Catalog;

            public sealed class CatalogClient
            {
                private readonly HttpClient _http;

                public CatalogClient(HttpClient http)
                {
                    _http = http;
                    _http.Timeout = TimeSpan.FromSeconds(10);
                }
            }

            public static class Registration
            {
                public static void AddCatalog(this IServiceCollection services)
                {
                    services.AddHttpClient<CatalogClient>().AddStandardResilienceHandler(o =>
                    {
                        o.AttemptTimeout.Timeout = TimeSpan.FromSeconds(20);
                        o.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(15);
                    });
                    var builder = services.AddHttpClient("pricing");
                    builder.ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(5));
                    builder.AddResilienceHandler("pricing", b => b
                        .AddTimeout(TimeSpan.FromSeconds(8))
                        .AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 5 })
                        .AddTimeout(TimeSpan.FromSeconds(2)));
                    services.ConfigureHttpClientDefaults(d => d.AddStandardHedgingHandler().Configure(o => o.Endpoint.Timeout.Timeout = TimeSpan.FromSeconds(3)));
                }

                public static ResiliencePipeline Pipeline() => new ResiliencePipelineBuilder()
                    .AddTimeout(TimeSpan.FromSeconds(5))
                    .AddRetry(new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, MaxDelay = TimeSpan.FromSeconds(4) })
                    .Build();
            }
            """,
        ["Endpoints: regional clients and shared HttpClient"] = """
            using System;
            using System.Net.Http;
            using Amazon;
            using Amazon.DynamoDBv2;
            using Amazon.S3;

            namespace Catalog;

            public sealed class CatalogClients
            {
                public static readonly CatalogClients Instance = new CatalogClients();

                private static readonly HttpClient Shared = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });

                private readonly HttpClient _pooled = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) });

                private readonly HttpClient _perInstance = new HttpClient();

                public IAmazonDynamoDB Table() => new AmazonDynamoDBClient(RegionEndpoint.EUWest1);

                public IAmazonS3 Bucket() => new AmazonS3Client(new AmazonS3Config { ServiceURL = "https://s3.eu-central-1.amazonaws.com" });

                public IAmazonS3 FromEnvironment() => new AmazonS3Client(RegionEndpoint.GetBySystemName(Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1"));

                public Uri Docs() => new Uri("https://docs.aws.amazon.com/general/latest/gr/rande.html");

                public string[] Failover() => new[] { "us-east-1", "us-west-2" };
            }
            """,
        ["Retry: an order service retrying around a client that retries"] = """
            using System;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;
            using Amazon.DynamoDBv2;
            using Amazon.DynamoDBv2.Model;

            namespace Orders;

            public sealed class OrderService
            {
                private readonly AmazonDynamoDBClient _db;
                private readonly HttpClient _http;

                public OrderService(AmazonDynamoDBClient db, HttpClient http) => (_db, _http) = (db, http);

                public async Task<GetItemResponse> LoadAsync(GetItemRequest request, CancellationToken token)
                {
                    for (var attempt = 0; attempt < 4; attempt++)
                    {
                        try
                        {
                            await _http.PostAsync("https://audit.example/reads", null, token);
                            return await FetchAsync(request, token);
                        }
                        catch (AmazonDynamoDBException)
                        {
                            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(100, 200) * (1 << attempt)), token);
                        }
                    }

                    throw new TimeoutException();
                }

                private Task<GetItemResponse> FetchAsync(GetItemRequest request, CancellationToken token) => _db.GetItemAsync(request, token);
            }
            """,
        ["Retry and load: factory clients whose handlers retry, wrapped in retries of their own, and a retry with no breaker"] = """
            using System;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Http.Resilience;
            using Polly;
            using Polly.CircuitBreaker;
            using Polly.Retry;

            namespace Shop;

            public sealed class PaymentsClient(HttpClient http)
            {
                public Task<HttpResponseMessage> ChargeAsync(HttpContent charge, CancellationToken token) => http.PostAsync("charges", charge, token);

                public async Task<string> StatusAsync(string id, CancellationToken token)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try
                        {
                            return await http.GetStringAsync("charges/" + id, token);
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(200 * (1 << attempt), token);
                        }
                    }

                    throw new TimeoutException();
                }
            }

            public static class Registration
            {
                public static IServiceCollection AddShop(this IServiceCollection services, IHttpClientFactory factory)
                {
                    services.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler());
                    services.AddHttpClient<PaymentsClient>()
                        .AddStandardResilienceHandler(o => o.Retry.MaxRetryAttempts = 2)
                        .Configure(o => o.Retry.DisableForUnsafeHttpMethods());
                    services.AddHttpClient("audit")
                        .AddResilienceHandler("audit", b => b.AddRetry(new HttpRetryStrategyOptions()).AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>()))
                        .AddPolicyHandler(r => r.Method == HttpMethod.Get ? Policy<HttpResponseMessage>.Handle<HttpRequestException>().RetryAsync(2) : Policy.NoOpAsync<HttpResponseMessage>());
                    var fallback = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).Build();
                    var audit = factory.CreateClient("audit");
                    audit.PatchAsync("log", null);
                    return services;
                }
            }
            """,
        ["Load: catalog sync fanning out"] = """
            using System;
            using System.Collections.Generic;
            using System.Data.Common;
            using System.Linq;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;

            namespace Catalog;

            public sealed class CatalogSync
            {
                private static readonly string[] Regions = { "eu", "us" };
                private readonly SemaphoreSlim _gate = new(8);
                private readonly HttpClient _http;
                private readonly DbConnection _db;

                public CatalogSync(HttpClient http, DbConnection db) => (_http, _db) = (http, db);

                public async Task SyncAsync(IReadOnlyList<string> skus, CancellationToken token)
                {
                    var prices = await Task.WhenAll(skus.Select(sku => _http.GetStringAsync("https://prices.example/" + sku, token)));
                    await Task.WhenAll(Regions.Select(r => _http.PostAsync("https://" + r + ".example/refresh", null, token)));

                    var writes = new List<Task>();
                    foreach (var sku in skus)
                    {
                        writes.Add(SaveAsync(sku, token));
                    }

                    await Task.WhenAll(writes);

                    foreach (var batch in skus.Chunk(50))
                    {
                        await Task.WhenAll(batch.Select(sku => ThrottledAsync(sku, token)));
                    }

                    Parallel.ForEach(skus, sku => _http.Send(new HttpRequestMessage(HttpMethod.Head, "https://cdn.example/" + sku)));
                    await Parallel.ForEachAsync(skus, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = token }, async (sku, ct) => await _http.DeleteAsync("https://cache.example/" + sku, ct));
                }

                private async Task SaveAsync(string sku, CancellationToken token)
                {
                    await using var command = _db.CreateCommand();
                    command.CommandText = "UPDATE Products SET Synced = 1 WHERE Sku = @sku";
                    await command.ExecuteNonQueryAsync(token);
                }

                private async Task ThrottledAsync(string sku, CancellationToken token)
                {
                    await _gate.WaitAsync(token);
                    try
                    {
                        await _http.PutAsync("https://search.example/" + sku, null, token);
                    }
                    finally
                    {
                        _gate.Release();
                    }
                }
            }
            """,
        ["Endpoints: feed reconnects, cached addresses and per-call breakers"] = """
            using System;
            using System.Net;
            using System.Net.Http;
            using System.Net.Sockets;
            using System.Threading;
            using System.Threading.Tasks;
            using Polly;
            using Polly.CircuitBreaker;

            namespace Market;

            public sealed class QuoteFeed
            {
                public static QuoteFeed Instance { get; } = new QuoteFeed("quotes.example.com");

                private static readonly IPAddress[] Mirrors = Dns.GetHostAddresses("mirrors.example.com");
                private static readonly IPHostEntry Self = Dns.GetHostEntry(Dns.GetHostName());
                private readonly string _host;
                private IPAddress[]? _cached;
                private DateTime _expires;

                private QuoteFeed(string host) => _host = host;

                public async Task RunAsync(CancellationToken token)
                {
                    var addresses = await Dns.GetHostAddressesAsync(_host, token).ConfigureAwait(false);
                    var endpoint = new IPEndPoint(addresses[0], 7000);
                    while (!token.IsCancellationRequested)
                    {
                        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                        try
                        {
                            await socket.ConnectAsync(endpoint, token);
                        }
                        catch (SocketException)
                        {
                            await Task.Delay(TimeSpan.FromSeconds(1), token);
                        }
                    }
                }

                public IPAddress[] Current()
                {
                    if (_cached == null || DateTime.UtcNow > _expires)
                    {
                        _cached = Dns.GetHostAddresses(_host);
                        _expires = DateTime.UtcNow.AddSeconds(30);
                    }

                    return _cached;
                }

                public HttpClient Client()
                {
                    var pinned = Dns.GetHostAddresses(_host);
                    return new HttpClient(new SocketsHttpHandler
                    {
                        PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                        ConnectCallback = async (context, ct) =>
                        {
                            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                            await socket.ConnectAsync(pinned, context.DnsEndPoint.Port, ct);
                            return new NetworkStream(socket, ownsSocket: true);
                        },
                    });
                }

                public async Task<string> QuoteAsync(HttpClient http, string symbol, CancellationToken token)
                {
                    ServicePointManager.DnsRefreshTimeout = -1;
                    var pipeline = new ResiliencePipelineBuilder()
                        .AddTimeout(TimeSpan.FromSeconds(2))
                        .AddCircuitBreaker(new CircuitBreakerStrategyOptions { FailureRatio = 0.5 })
                        .Build();
                    var breaker = Policy.Handle<HttpRequestException>().CircuitBreakerAsync(3, TimeSpan.FromSeconds(30));
                    await breaker.ExecuteAsync(() => Task.CompletedTask);
                    return await pipeline.ExecuteAsync(async ct => await http.GetStringAsync("https://" + _host + "/q/" + symbol, ct), token);
                }
            }
            """,
    };
}
