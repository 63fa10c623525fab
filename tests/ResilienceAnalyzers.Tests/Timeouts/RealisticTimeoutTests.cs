using ResilienceAnalyzers.Tests.Verifiers;

namespace ResilienceAnalyzers.Tests.Timeouts;

/// <summary>RES010 and RES011 on whole classes shaped like production code: every defect found, nothing else.</summary>
public sealed class RealisticTimeoutTests
{
    private static Task Verify(string source, TestLibraries libraries)
        => CSharpAnalyzerVerifier<ResilienceAnalyzers.Timeouts.TimeoutAnalyzer>.VerifyAnalyzerAsync(source, libraries, editorConfig: null);

    [Fact]
    public Task Data_Access_Layer()
        => Verify("""
            using System;
            using System.Collections.Generic;
            using System.Data;
            using System.Threading;
            using System.Threading.Tasks;
            using Dapper;
            using Microsoft.Data.SqlClient;

            public sealed record Order(int Id, string Status);

            public sealed class OrderRepository
            {
                private const int ReportTimeout = 0; // reports can take a while
                private readonly string _connectionString;
                private readonly int _commandTimeout;

                public OrderRepository(string connectionString, int commandTimeout)
                {
                    _connectionString = connectionString;
                    _commandTimeout = commandTimeout;
                }

                public async Task<IEnumerable<Order>> AllAsync()
                {
                    await using var connection = new SqlConnection(_connectionString);
                    return await connection.QueryAsync<Order>("select Id, Status from Orders", {|RES010:commandTimeout: 0|});
                }

                public async Task<Order?> ByIdAsync(int id, CancellationToken cancellationToken)
                {
                    await using var connection = new SqlConnection(_connectionString);
                    return await connection.QueryFirstOrDefaultAsync<Order>(
                        new CommandDefinition("select Id, Status from Orders where Id = @id", new { id }, commandTimeout: _commandTimeout, cancellationToken: cancellationToken));
                }

                public async Task<int> ArchiveAsync()
                {
                    await using var connection = new SqlConnection(_connectionString);
                    await connection.OpenAsync();
                    await using var command = connection.CreateCommand();
                    command.CommandText = "exec dbo.ArchiveOrders";
                    {|RES010:command.CommandTimeout = ReportTimeout|};
                    return await command.ExecuteNonQueryAsync();
                }

                public async Task<DataTable> ReportAsync()
                {
                    await using var connection = new SqlConnection(_connectionString);
                    await using var command = new SqlCommand("exec dbo.Report", connection)
                    {
                        CommandType = CommandType.StoredProcedure,
                        {|RES010:CommandTimeout = 0|},
                    };
                    await connection.OpenAsync();
                    var table = new DataTable();
                    table.Load(await command.ExecuteReaderAsync());
                    return table;
                }

                public static string Build(string server)
                {
                    var builder = new SqlConnectionStringBuilder
                    {
                        DataSource = server,
                        InitialCatalog = "orders",
                        IntegratedSecurity = true,
                        {|RES010:ConnectTimeout = 0|},
                        CommandTimeout = 60,
                    };
                    return builder.ConnectionString;
                }

                public static SqlConnection Legacy() => new SqlConnection({|RES010:"Data Source=legacy;Initial Catalog=orders;Integrated Security=True;connect timeout = 0;"|});

                public static SqlConnection Bounded() => new SqlConnection("Data Source=legacy;Initial Catalog=orders;Connect Timeout=15;");
            }
            """,
            TestLibraries.SqlClient | TestLibraries.Dapper);

    [Fact]
    public Task Http_Registration_And_Clients()
        => Verify("""
            using System;
            using System.IO;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;
            using Microsoft.Extensions.DependencyInjection;

            public sealed class WeatherClient
            {
                private readonly HttpClient _http;

                public WeatherClient(HttpClient http) => _http = http;

                public Task<string> TodayAsync(CancellationToken cancellationToken) => _http.GetStringAsync("/today", cancellationToken);
            }

            public sealed class DownloadClient
            {
                // Every send passes a token: the deadline moved to the calls (their callers hold it).
                private static readonly HttpClient Shared = new() { Timeout = Timeout.InfiniteTimeSpan };

                public async Task DownloadAsync(Uri uri, Stream target, CancellationToken cancellationToken)
                {
                    using var response = await Shared.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                    await response.Content.CopyToAsync(target, cancellationToken);
                }
            }

            public static class Registration
            {
                public static IServiceCollection AddClients(this IServiceCollection services)
                {
                    services.AddHttpClient<WeatherClient>(client =>
                    {
                        client.BaseAddress = new Uri("https://weather.example");
                        {|RES010:client.Timeout = Timeout.InfiniteTimeSpan|};
                    });

                    services.AddHttpClient("catalog", client => client.BaseAddress = new Uri("https://catalog.example"))
                        .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan)
                        .AddStandardResilienceHandler();

                    services.AddHttpClient("search")
                        .ConfigureHttpClient(client => client.Timeout = TimeSpan.FromSeconds(10));

                    return services;
                }
            }

            public sealed class Worker
            {
                private readonly SemaphoreSlim _gate = new(1);
                private Timer? _timer;

                public async Task RunAsync(CancellationToken stoppingToken)
                {
                    _timer = new Timer(_ => { }, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
                    await _gate.WaitAsync(Timeout.Infinite, stoppingToken);
                    using var linked = new CancellationTokenSource(Timeout.InfiniteTimeSpan);
                    await Task.Delay(Timeout.Infinite, stoppingToken);
                }
            }
            """,
            TestLibraries.HttpResilience);

    [Fact]
    public Task Socket_Transport()
        => Verify("""
            using System;
            using System.Net;
            using System.Net.Sockets;
            using System.Threading;

            public sealed class Transport : IDisposable
            {
                private readonly TcpClient _client;
                private readonly NetworkStream _stream;

                public Transport(string host, int port, int receiveTimeout)
                {
                    _client = new TcpClient(host, port)
                    {
                        {|RES010:ReceiveTimeout = 0|},
                        SendTimeout = 5000,
                    };
                    _client.ReceiveTimeout = receiveTimeout;
                    _stream = _client.GetStream();
                    {|RES010:_stream.ReadTimeout = Timeout.Infinite|};
                    _stream.WriteTimeout = 5000;
                }

                public static Socket Listen(int port)
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { {|RES010:SendTimeout = -1|} };
                    socket.Bind(new IPEndPoint(IPAddress.Any, port));
                    socket.Listen(100);
                    return socket;
                }

                public void Dispose()
                {
                    _stream.Dispose();
                    _client.Dispose();
                }
            }
            """,
            TestLibraries.None);

    [Fact]
    public Task Grpc_Service_Calling_Another()
        => Verify(GrpcDeadlineTests.GeneratedClient + """
            namespace App
            {
                using Grpc.Net.Client;
                using Shop;

                public sealed class CheckoutService
                {
                    private readonly Orders.OrdersClient _orders;
                    private readonly CallOptions _defaults;

                    public CheckoutService(Orders.OrdersClient orders, CallOptions defaults)
                    {
                        _orders = orders;
                        _defaults = defaults;
                    }

                    public async Task<string> StatusAsync(int id, CancellationToken cancellationToken)
                    {
                        // Not reported: the caller's token may carry its deadline.
                        var reply = await _orders.GetOrderAsync(new OrderRequest { Id = id }, cancellationToken: cancellationToken);
                        return reply.Status;
                    }

                    public async Task<string> BoundedAsync(int id, CancellationToken cancellationToken)
                    {
                        var reply = await _orders.GetOrderAsync(new OrderRequest { Id = id }, deadline: DateTime.UtcNow.AddSeconds(2), cancellationToken: cancellationToken);
                        return reply.Status;
                    }

                    public string WithDefaults(int id) => _orders.GetOrder(new OrderRequest { Id = id }, _defaults).Status;

                    public string Forwarded(int id, ServerCallContext context)
                        => _orders.GetOrder(new OrderRequest { Id = id }, new CallOptions(deadline: context.Deadline, cancellationToken: context.CancellationToken)).Status;

                    public async Task WatchAsync(int id, CancellationToken cancellationToken)
                    {
                        // Not reported: a server stream stays open by design (and the caller's token may carry its deadline).
                        using var call = _orders.Watch(new OrderRequest { Id = id }, cancellationToken: cancellationToken);
                        while (await call.ResponseStream.MoveNext(cancellationToken))
                        {
                        }
                    }

                    public static async Task<string> OneOffAsync(string address)
                    {
                        using var channel = GrpcChannel.ForAddress(address);
                        var client = new Orders.OrdersClient(channel);
                        var options = new CallOptions(new Metadata { { "x-tenant", "a" } });
                        var reply = await client.{|RES011:GetOrderAsync|}(new OrderRequest(), options);
                        return reply.Status;
                    }
                }
            }
            """,
            TestLibraries.Grpc);
}
