using ResilienceAnalyzers.Tests.Verifiers;

namespace ResilienceAnalyzers.Tests.Timeouts;

/// <summary>RES010: every target RULES.md lists, every form of an infinite value, and the near-misses.</summary>
public sealed class InfiniteTimeoutTests
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

    private static Task Verify(string source, TestLibraries libraries = TestLibraries.None, string? editorConfig = null)
        => CSharpAnalyzerVerifier<ResilienceAnalyzers.Timeouts.TimeoutAnalyzer>.VerifyAnalyzerAsync(Usings + source, libraries, editorConfig);

    /// <summary>The types of <paramref name="library"/> come from a referenced assembly, like a real package's.</summary>
    private static Task VerifyWithLibrary(string library, string source)
    {
        var test = new CSharpAnalyzerVerifier<ResilienceAnalyzers.Timeouts.TimeoutAnalyzer>.Test { TestCode = Usings + source, TestLibraries = TestLibraries.None };
        TestSetup.AddStandInLibrary(test.TestState, "using System;\n" + library);
        return test.RunAsync();
    }

    // ---- HTTP ----

    [Fact]
    public Task HttpClient_ObjectInitializer_InfiniteTimeSpan()
        => Verify("""
            class C
            {
                HttpClient Create() => new HttpClient { {|RES010:Timeout = Timeout.InfiniteTimeSpan|} };
            }
            """);

    [Fact]
    public Task HttpClient_Assignment_FromMillisecondsMinusOne_And_FullyQualified()
        => Verify("""
            class C
            {
                void Configure(HttpClient client, HttpClient other, HttpClient third)
                {
                    {|RES010:client.Timeout = TimeSpan.FromMilliseconds(-1)|};
                    {|RES010:other.Timeout = System.Threading.Timeout.InfiniteTimeSpan|};
                    {|RES010:third.Timeout = new TimeSpan(0, 0, 0, 0, -1)|};
                }
            }
            """);

    [Fact]
    public Task SocketsHttpHandler_ConnectTimeout()
        => Verify("""
            class C
            {
                HttpClient Create() => new HttpClient(new SocketsHttpHandler
                {
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                    {|RES010:ConnectTimeout = Timeout.InfiniteTimeSpan|},
                });
            }
            """);

    [Fact]
    public Task HttpWebRequest_Timeout_And_ReadWriteTimeout()
        => Verify("""
            class C
            {
                void Configure(string url)
                {
            #pragma warning disable SYSLIB0014
                    var request = (HttpWebRequest)WebRequest.Create(url);
            #pragma warning restore SYSLIB0014
                    {|RES010:request.Timeout = Timeout.Infinite|};
                    {|RES010:request.ReadWriteTimeout = -1|};
                }
            }
            """);

    // ---- ADO.NET ----

    [Fact]
    public Task DbCommand_CommandTimeout_Zero_Assignment_And_Initializer()
        => Verify("""
            using Microsoft.Data.SqlClient;

            class C
            {
                void Run(SqlConnection connection, DbCommand command, IDbCommand plain)
                {
                    using var sql = new SqlCommand("select 1", connection) { {|RES010:CommandTimeout = 0|} };
                    {|RES010:command.CommandTimeout = 0|};
                    {|RES010:plain.CommandTimeout = 0|};
                }
            }
            """,
            TestLibraries.SqlClient);

    [Fact]
    public Task DbCommand_Subclass_Written_By_The_User()
        => Verify("""
            class MyCommand : DbCommand
            {
                public override string CommandText { get; set; } = "";
                public override int CommandTimeout { get; set; }
                public override CommandType CommandType { get; set; }
                public override bool DesignTimeVisible { get; set; }
                public override UpdateRowSource UpdatedRowSource { get; set; }
                protected override DbConnection? DbConnection { get; set; }
                protected override DbParameterCollection DbParameterCollection => null!;
                protected override DbTransaction? DbTransaction { get; set; }
                public override void Cancel() { }
                public override int ExecuteNonQuery() => 0;
                public override object? ExecuteScalar() => null;
                public override void Prepare() { }
                protected override DbParameter CreateDbParameter() => null!;
                protected override DbDataReader ExecuteDbDataReader(CommandBehavior behavior) => null!;
            }

            class C
            {
                void Run(MyCommand command) => {|RES010:command.CommandTimeout = 0|};
            }
            """);

    [Fact]
    public Task SqlConnectionStringBuilder_ConnectTimeout_And_CommandTimeout()
        => Verify("""
            using Microsoft.Data.SqlClient;

            class C
            {
                string Build()
                {
                    var builder = new SqlConnectionStringBuilder
                    {
                        DataSource = "db",
                        {|RES010:ConnectTimeout = 0|},
                    };
                    {|RES010:builder.CommandTimeout = 0|};
                    return builder.ConnectionString;
                }
            }
            """,
            TestLibraries.SqlClient);

    [Fact]
    public Task ConnectionString_Literals_With_Varied_Spelling()
        => Verify("""
            using Microsoft.Data.SqlClient;

            class C
            {
                const string Primary = {|RES010:"Server=db;Database=app;Connect Timeout=0;"|};
                private static readonly string Reports = {|RES010:"Data Source=reports; Initial Catalog=r; connect timeout = 0"|};

                SqlConnection Open() => new SqlConnection({|RES010:"Server=db;Database=app;Command Timeout=0"|});
                SqlConnection Other() => new SqlConnection({|RES010:@"Server=db;Integrated Security=true;Connection Timeout = 0;"|});
                void Set(SqlConnection connection) => connection.ConnectionString = {|RES010:"Timeout=0"|};
            }
            """,
            TestLibraries.SqlClient);

    [Fact]
    public Task ConnectionString_Interpolated()
        => Verify("""
            class C
            {
                string Build(string host) => {|RES010:$"Server={host};Database=app;Connect Timeout=0"|};
            }
            """);

    [Fact]
    public Task Dapper_CommandTimeout_Named_And_Positional()
        => Verify("""
            using Dapper;

            class C
            {
                async Task Run(IDbConnection connection, string sql)
                {
                    await connection.QueryAsync<int>(sql, {|RES010:commandTimeout: 0|});
                    await connection.ExecuteAsync(sql, null, null, {|RES010:0|});
                    connection.Execute(new CommandDefinition(sql, {|RES010:commandTimeout: 0|}));
                }
            }
            """,
            TestLibraries.Dapper);

    // ---- Sockets and streams ----

    [Fact]
    public Task Socket_Send_And_Receive_Timeouts_Zero_And_MinusOne()
        => Verify("""
            class C
            {
                void Configure(Socket socket, TcpClient tcp)
                {
                    {|RES010:socket.ReceiveTimeout = -1|};
                    {|RES010:socket.SendTimeout = 0|};
                    {|RES010:tcp.ReceiveTimeout = 0|};
                    var client = new TcpClient { {|RES010:SendTimeout = Timeout.Infinite|} };
                }
            }
            """);

    [Fact]
    public Task Stream_Read_And_Write_Timeouts()
        => Verify("""
            class C
            {
                void Configure(NetworkStream stream, Stream other)
                {
                    {|RES010:stream.ReadTimeout = Timeout.Infinite|};
                    {|RES010:other.WriteTimeout = -1|};
                }
            }
            """);

    // ---- Cloud SDKs and Polly ----

    [Fact]
    public Task Aws_ClientConfig_Timeout()
        => Verify("""
            using Amazon.Runtime;

            class C
            {
                void Configure(ClientConfig config) => {|RES010:config.Timeout = Timeout.InfiniteTimeSpan|};
            }
            """,
            TestLibraries.Aws);

    [Fact]
    public Task Azure_RetryOptions_NetworkTimeout()
        => Verify("""
            using Azure.Core;

            class C
            {
                void Configure(ClientOptions options) => {|RES010:options.Retry.NetworkTimeout = Timeout.InfiniteTimeSpan|};
            }
            """,
            TestLibraries.Azure);

    [Fact]
    public Task Polly_TimeoutStrategyOptions_And_AddTimeout()
        => Verify("""
            using Polly;
            using Polly.Timeout;

            class C
            {
                ResiliencePipeline Build() => new ResiliencePipelineBuilder()
                    .AddTimeout(new TimeoutStrategyOptions { {|RES010:Timeout = Timeout.InfiniteTimeSpan|} })
                    .AddTimeout({|RES010:Timeout.InfiniteTimeSpan|})
                    .Build();
            }
            """,
            TestLibraries.PollyCore);

    [Fact]
    public Task HttpStandardResilienceOptions_TotalRequestTimeout_Timeout()
        => Verify("""
            using Microsoft.Extensions.DependencyInjection;

            class C
            {
                void Configure(IServiceCollection services)
                    => services.AddHttpClient("catalog")
                        .AddStandardResilienceHandler(o => {|RES010:o.TotalRequestTimeout.Timeout = Timeout.InfiniteTimeSpan|});
            }
            """,
            TestLibraries.HttpResilience);

    [Fact]
    public Task Other_Timeout_Property_And_Parameter_Of_An_Outbound_Type()
        => Verify("""
            using System.IO.Pipes;
            using System.Net.Mail;

            class C
            {
                void Run(NamedPipeClientStream pipe)
                {
            #pragma warning disable CS0618
                    var smtp = new SmtpClient("mail") { {|RES010:Timeout = -1|} };
            #pragma warning restore CS0618
                    pipe.Connect({|RES010:Timeout.Infinite|});
                    pipe.Connect({|RES010:timeout: -1|});
                }
            }
            """);

    // ---- Forms of the infinite value ----

    [Fact]
    public Task Constants_StaticReadonly_And_Locals()
        => Verify("""
            using Microsoft.Data.SqlClient;

            static class Timeouts
            {
                public const int NoCommandTimeout = 0;
                public static readonly TimeSpan Forever = Timeout.InfiniteTimeSpan;
                public static readonly TimeSpan AlsoForever = TimeSpan.FromMilliseconds(Timeout.Infinite);
            }

            class C
            {
                private const int Infinite = -1;
                private readonly TimeSpan _none = Timeout.InfiniteTimeSpan;
                private static TimeSpan Never => Timeout.InfiniteTimeSpan;
                private static int NoLimit { get; } = 0;
                private static TimeSpan _mutable = Timeout.InfiniteTimeSpan;

                void Configure(HttpClient a, HttpClient b, HttpClient c, SqlCommand command, Socket socket)
                {
                    {|RES010:a.Timeout = Timeouts.Forever|};
                    {|RES010:b.Timeout = Timeouts.AlsoForever|};
                    {|RES010:c.Timeout = _none|};
                    {|RES010:command.CommandTimeout = Timeouts.NoCommandTimeout|};
                    {|RES010:socket.ReceiveTimeout = Infinite|};
                    {|RES010:a.Timeout = Never|};
                    {|RES010:command.CommandTimeout = NoLimit|};
                    b.Timeout = _mutable;

                    var forever = Timeout.InfiniteTimeSpan;
                    var client = new HttpClient();
                    {|RES010:client.Timeout = forever|};
                }
            }
            """,
            TestLibraries.SqlClient);

    // ---- Near-misses ----

    [Fact]
    public Task Waits_With_No_IO_Behind_Them_Are_Not_Flagged()
        => Verify("""
            class C
            {
                async Task Run(SemaphoreSlim gate, CancellationToken token)
                {
                    await gate.WaitAsync(Timeout.InfiniteTimeSpan, token);
                    gate.Wait(Timeout.Infinite);
                    using var cts = new CancellationTokenSource(Timeout.InfiniteTimeSpan);
                    cts.CancelAfter(Timeout.Infinite);
                    using var timer = new Timer(_ => { }, null, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
                    timer.Change(Timeout.Infinite, Timeout.Infinite);
                    using var periodic = new System.Timers.Timer { Interval = 1000 };
                    await Task.Delay(Timeout.Infinite, token);
                    await Task.Delay(Timeout.InfiniteTimeSpan, token);
                    Task.WaitAll(new Task[0], Timeout.Infinite);
                    new ManualResetEventSlim().Wait(Timeout.Infinite);
                    using var watcher = new FileSystemWatcher(".");
                    watcher.WaitForChanged(WatcherChangeTypes.All, Timeout.Infinite);
                }
            }
            """);

    [Fact]
    public Task Bounded_Values_And_Zero_Where_Zero_Is_Not_Infinite_Are_Not_Flagged()
        => Verify("""
            using Microsoft.Data.SqlClient;

            class C
            {
                void Configure(HttpClient client, SqlCommand command, NetworkStream stream, Socket socket)
                {
                    client.Timeout = TimeSpan.FromSeconds(30);
                    client.Timeout = TimeSpan.FromMilliseconds(1);
                    command.CommandTimeout = 60;
                    socket.ReceiveTimeout = 5000;
                    stream.ReadTimeout = 5000;
                    var request = new HttpRequestMessage { Version = HttpVersion.Version20 };
                }
            }
            """,
            TestLibraries.SqlClient);

    [Fact]
    public Task Idle_And_Lifetime_Settings_Are_Not_Call_Timeouts()
        => Verify("""
            class C
            {
                HttpClient Create()
                {
            #pragma warning disable SYSLIB0014
                    ServicePointManager.DnsRefreshTimeout = -1;
            #pragma warning restore SYSLIB0014
                    return new HttpClient(new SocketsHttpHandler
                    {
                        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
                        KeepAlivePingTimeout = Timeout.InfiniteTimeSpan,
                        ResponseDrainTimeout = Timeout.InfiniteTimeSpan,
                    });
                }
            }
            """);

    [Fact]
    public Task SetHandlerLifetime_Is_RES021s_Business()
        => Verify("""
            using Microsoft.Extensions.DependencyInjection;

            class C
            {
                void Configure(IServiceCollection services)
                    => services.AddHttpClient("catalog").SetHandlerLifetime(Timeout.InfiniteTimeSpan);
            }
            """,
            TestLibraries.HttpResilience);

    [Fact]
    public Task A_Library_Passing_Through_Its_Callers_Value_Is_Not_Flagged()
        => Verify("""
            using Microsoft.Data.SqlClient;

            public sealed class Options
            {
                public TimeSpan Timeout { get; set; } = System.Threading.Timeout.InfiniteTimeSpan;
                public int CommandTimeout { get; set; }
            }

            public sealed class Client
            {
                public Client(HttpClient http, TimeSpan timeout, Options options, SqlCommand command, int? commandTimeout)
                {
                    http.Timeout = timeout;
                    http.Timeout = options.Timeout;
                    command.CommandTimeout = options.CommandTimeout;
                    command.CommandTimeout = commandTimeout ?? 0;
                    http.Timeout = timeout > TimeSpan.Zero ? timeout : System.Threading.Timeout.InfiniteTimeSpan;
                }
            }
            """,
            TestLibraries.SqlClient);

    [Fact]
    public Task Local_Written_Twice_Is_Not_Followed()
        => Verify("""
            class C
            {
                void Configure(HttpClient client, bool slow)
                {
                    var timeout = Timeout.InfiniteTimeSpan;
                    if (!slow)
                    {
                        timeout = TimeSpan.FromSeconds(10);
                    }

                    client.Timeout = timeout;
                }
            }
            """);

    [Fact]
    public Task Strings_That_Are_Not_Connection_Strings_Are_Not_Flagged()
        => Verify("""
            class C
            {
                void Log(Action<string> log)
                {
                    log("Timeout=0");
                    log("retrying; timeout=0 means the last attempt");
                    var message = "Command Timeout=0 is not allowed";
                    var redis = "cache:6379,connectTimeout=0";
                    var bounded = "Server=db;Database=app;Connect Timeout=30";
                }
            }
            """);

    // ---- More spellings ----

    [Fact]
    public Task ConnectionStringBuilder_Indexer_And_SetSocketOption()
        => Verify("""
            using Microsoft.Data.SqlClient;

            class C
            {
                void Configure(SqlConnectionStringBuilder builder, DbConnectionStringBuilder generic, Socket socket)
                {
                    {|RES010:builder["Connect Timeout"] = 0|};
                    {|RES010:generic["CommandTimeout"] = 0|};
                    generic["Connect Timeout"] = 15;
                    generic["Application Name"] = "0";
                    socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveTimeout, {|RES010:0|});
                    socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.SendTimeout, {|RES010:Timeout.Infinite|});
                    socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, 0);
                }
            }
            """,
            TestLibraries.SqlClient);

    [Fact]
    public Task Polly_V7_Timeout_Policy()
        => Verify("""
            using Polly;

            class C
            {
                IAsyncPolicy Build() => Policy.TimeoutAsync({|RES010:Timeout.InfiniteTimeSpan|});
                IAsyncPolicy<HttpResponseMessage> Typed() => Policy.TimeoutAsync<HttpResponseMessage>({|RES010:timeout: Timeout.InfiniteTimeSpan|});
                IAsyncPolicy Bounded() => Policy.TimeoutAsync(TimeSpan.FromSeconds(10));
            }
            """,
            TestLibraries.Polly);

    [Fact]
    public Task Entity_Framework_Style_Command_Timeouts()
        => VerifyWithLibrary(
            """
            namespace Microsoft.EntityFrameworkCore
            {
                public sealed class DatabaseFacade { }

                public static class RelationalDatabaseFacadeExtensions
                {
                    public static void SetCommandTimeout(this DatabaseFacade database, int? timeout) { }
                }

                public sealed class SqlServerDbContextOptionsBuilder
                {
                    public SqlServerDbContextOptionsBuilder CommandTimeout(int? commandTimeout) => this;
                }
            }
            """,
            """
            namespace App
            {
                using Microsoft.EntityFrameworkCore;

                class C
                {
                    void Configure(DatabaseFacade database, SqlServerDbContextOptionsBuilder sql)
                    {
                        database.SetCommandTimeout({|RES010:0|});
                        sql.CommandTimeout({|RES010:commandTimeout: 0|});
                        database.SetCommandTimeout(120);
                        database.SetCommandTimeout(null);
                    }
                }
            }
            """);

    [Fact]
    public Task Worker_Waits_For_Messages_Are_Not_Flagged()
        => VerifyWithLibrary(
            """
            namespace Confluent.Kafka
            {
                public interface IConsumer
                {
                    string Consume(TimeSpan timeout);
                    void Flush(TimeSpan timeout);
                }
            }
            """,
            """
            namespace App
            {
                using Confluent.Kafka;

                class C
                {
                    void Run(IConsumer consumer, Socket socket)
                    {
                        consumer.Consume(Timeout.InfiniteTimeSpan);
                        socket.Poll(Timeout.InfiniteTimeSpan, SelectMode.SelectRead);
                        consumer.Flush({|RES010:Timeout.InfiniteTimeSpan|});
                    }
                }
            }
            """);

    [Fact]
    public async Task Static_Readonly_In_Another_File_Is_Read_From_Its_Initializer()
    {
        var test = new CSharpAnalyzerVerifier<ResilienceAnalyzers.Timeouts.TimeoutAnalyzer>.Test { TestLibraries = TestLibraries.None };
        test.TestState.Sources.Add(("/0/Defaults.cs", """
            using System;
            using System.Threading;

            public static class Defaults
            {
                public static readonly TimeSpan Forever = Timeout.InfiniteTimeSpan;
                public static readonly TimeSpan AlsoForever = TimeSpan.FromMilliseconds(-1);
                public static readonly int NoSocketLimit = 0;
                public static readonly TimeSpan Bounded = TimeSpan.FromSeconds(5);
            }
            """));
        test.TestState.Sources.Add(("/0/Use.cs", """
            using System.Net.Http;
            using System.Net.Sockets;

            class C
            {
                void Configure(HttpClient a, HttpClient b, HttpClient c, Socket socket)
                {
                    {|RES010:a.Timeout = Defaults.Forever|};
                    {|RES010:b.Timeout = Defaults.AlsoForever|};
                    c.Timeout = Defaults.Bounded;
                    {|RES010:socket.SendTimeout = Defaults.NoSocketLimit|};
                }
            }
            """));
        await test.RunAsync();
    }

    // ---- Use, not definition ----

    [Fact]
    public Task TimeoutOfATypeTheCompilationDeclares_IsItsOwnPlumbing_TheLibraryItUses_IsJudged()
        => Verify("""
            namespace Acme.Net
            {
                public sealed class Connection
                {
                    public int CommandTimeout { get; set; } = 30;

                    // Convenience overload: 0 means "wait for the next notification", the library's own choice.
                    public bool Wait() => Wait(0);

                    public bool Wait(int timeout) => timeout >= 0;

                    public void Reset() => CommandTimeout = 0;
                }
            }

            class Caller
            {
                void Run(DbCommand command) => {|RES010:command.CommandTimeout = 0|};
            }
            """);

    // A library's own client factory: the type that turns the timeout off sends nothing itself and no other assembly
    // can reach it, so its clients can only be used by this compilation, whose every send passes a token.
    private const string InternalClientFactory = """
        internal static class ClientFactory
        {
            internal static HttpClient Create()
            {
                var client = new HttpClient();
                client.Timeout = Timeout.InfiniteTimeSpan;
                return client;
            }
        }

        internal sealed class Executor
        {
            private readonly HttpClient _client = ClientFactory.Create();

            public async Task<string> RunAsync(string url, TimeSpan timeout)
            {
                using var cts = new CancellationTokenSource(timeout);
                var response = await _client.GetAsync(url, cts.Token);
                return await response.Content.ReadAsStringAsync();
            }
        }
        """;

    [Fact]
    public async Task HttpClientTimeoutOff_InAnInternalFactory_IsLeftToTheCompilationsSends_WhenEveryOnePassesAToken()
    {
        await Verify(InternalClientFactory);

        // A send elsewhere with no token: that call can wait for ever.
        await Verify(InternalClientFactory.Replace("client.Timeout = Timeout.InfiniteTimeSpan;", "{|RES010:client.Timeout = Timeout.InfiniteTimeSpan|};", System.StringComparison.Ordinal) + """

            internal static class Pinger
            {
                public static Task PingAsync() => ClientFactory.Create().GetAsync("https://status.example.com/ping");
            }
            """);

        // A public factory: code outside the compilation may send on its clients without a token.
        await Verify(InternalClientFactory
            .Replace("internal static class ClientFactory", "public static class ClientFactory", System.StringComparison.Ordinal)
            .Replace("internal static HttpClient Create()", "public static HttpClient Create()", System.StringComparison.Ordinal)
            .Replace("client.Timeout = Timeout.InfiniteTimeSpan;", "{|RES010:client.Timeout = Timeout.InfiniteTimeSpan|};", System.StringComparison.Ordinal));

        // An internal factory whose client a public type hands out: the same.
        await Verify(InternalClientFactory.Replace("client.Timeout = Timeout.InfiniteTimeSpan;", "{|RES010:client.Timeout = Timeout.InfiniteTimeSpan|};", System.StringComparison.Ordinal) + """

            public sealed class Api
            {
                public HttpClient Client { get; } = ClientFactory.Create();
            }
            """);
    }

    // HttpClient.Timeout turned off moves the deadline to each send; a send that passes no token has none.
    [Fact]
    public Task HttpClientTimeoutOff_WhereEverySendPassesAToken_IsLeftToThem_ASendWithNoToken_IsNot()
        => Verify("""
            static class Timeouts
            {
                public static async Task<T> WithTimeout<T>(TimeSpan timeout, CancellationToken token, Func<CancellationToken, Task<T>> call)
                {
                    using var cts = CancellationTokenSource.CreateLinkedTokenSource(token);
                    cts.CancelAfter(timeout);
                    return await call(cts.Token);
                }

                public static Task SaveToAsync(this HttpClient client, string url, string path, CancellationToken token)
                    => client.GetByteArrayAsync(url, token);
            }

            class Dispatcher
            {
                private readonly HttpClient _client;

                public Dispatcher()
                {
                    _client = new HttpClient();
                    _client.Timeout = Timeout.InfiniteTimeSpan;
                }

                public async Task<string> GetAsync(string url, TimeSpan timeout)
                {
                    using var cts = new CancellationTokenSource();
                    cts.CancelAfter(timeout);
                    var response = await _client.GetAsync(url, cts.Token);
                    return await response.Content.ReadAsStringAsync();
                }
            }

            class Downloader
            {
                private readonly HttpClient _client;

                public Downloader()
                {
                    _client = new HttpClient();
                    _client.Timeout = Timeout.InfiniteTimeSpan;
                }

                public Task<string> GetAsync(string url, CancellationToken token) => _client.GetStringAsync(url, token);

                public Task<HttpResponseMessage> HeadAsync(string url, CancellationToken token)
                    => Timeouts.WithTimeout(TimeSpan.FromSeconds(30), token, inner => _client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url), inner));
            }

            class Updater
            {
                async Task FetchAsync(string url, string path)
                {
                    using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
                    using var client = new HttpClient();
                    client.Timeout = Timeout.InfiniteTimeSpan;
                    await client.SaveToAsync(url, path, cts.Token);
                }
            }

            class Notifier
            {
                private readonly HttpClient _client = new HttpClient();

                public Notifier() => {|RES010:_client.Timeout = Timeout.InfiniteTimeSpan|};

                public Task<string> StatusAsync(CancellationToken token) => _client.GetStringAsync("https://status.example.com", token);

                public Task PingAsync() => _client.GetAsync("https://status.example.com/ping");
            }

            class Watcher
            {
                async Task WatchAsync(string url)
                {
                    using var client = new HttpClient();
                    {|RES010:client.Timeout = Timeout.InfiniteTimeSpan|};
                    using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Get, url), HttpCompletionOption.ResponseHeadersRead);
                }
            }
            """);

    // Azure.Core's transport bounds each try with its own network timeout and turns the client's off itself.
    [Fact]
    public Task HttpClientHandedToTheAzureTransport_IsBoundedByIt()
        => VerifyWithLibrary("""
            namespace Azure.Core.Pipeline
            {
                public class HttpClientTransport
                {
                    public HttpClientTransport(System.Net.Http.HttpClient client) { }
                }
            }
            """, """
            using Azure.Core.Pipeline;

            class Storage
            {
                object Inline() => new HttpClientTransport(new HttpClient { Timeout = Timeout.InfiniteTimeSpan });

                object ThroughALocal()
                {
                    var client = new HttpClient();
                    client.Timeout = Timeout.InfiniteTimeSpan;
                    return new HttpClientTransport(client);
                }

                object Elsewhere() => new HttpClient { {|RES010:Timeout = Timeout.InfiniteTimeSpan|} };
            }
            """);

    // A member that maps its caller's duration onto the socket passes "no limit" through; a mode flag or a size picks it here.
    [Fact]
    public Task InfiniteChosenByTheCallersDuration_IsPassThrough_ByAModeFlagOrASize_IsNot()
        => Verify("""
            class WriteBuffer
            {
                private readonly Socket _socket = new Socket(SocketType.Stream, ProtocolType.Tcp);

                public TimeSpan Timeout
                {
                    set
                    {
                        if (value > TimeSpan.Zero)
                        {
                            _socket.SendTimeout = (int)value.TotalMilliseconds;
                        }
                        else
                        {
                            _socket.SendTimeout = -1;
                        }
                    }
                }

                public void Configure(int seconds, DbCommand command) => command.CommandTimeout = seconds > 0 ? seconds : 0;

                public void Prepare(bool longRunning, DbCommand command)
                {
                    if (longRunning)
                    {
                        {|RES010:command.CommandTimeout = 0|};
                    }
                }

                public void Export(long rows, DbCommand command)
                {
                    if (rows > 100_000)
                    {
                        {|RES010:command.CommandTimeout = 0|};
                    }
                    else
                    {
                        command.CommandTimeout = 30;
                    }
                }
            }
            """);
}
