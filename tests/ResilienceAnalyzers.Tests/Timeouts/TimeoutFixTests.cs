using ResilienceAnalyzers.CodeFixes.Timeouts;
using ResilienceAnalyzers.Tests.Verifiers;
using Fix = ResilienceAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<ResilienceAnalyzers.Timeouts.TimeoutAnalyzer, ResilienceAnalyzers.CodeFixes.Timeouts.TimeoutCodeFixProvider>;

namespace ResilienceAnalyzers.Tests.Timeouts;

/// <summary>The RES010 fix: a bounded value in the target's unit, one diagnostic at a time and through Fix All.</summary>
public sealed class TimeoutFixTests
{
    [Fact]
    public Task HttpClient_Gets_100_Seconds_And_The_Using_For_TimeSpan()
        => Fix.VerifyCodeFixAsync(
            """
            using System.Net.Http;
            using System.Threading;

            class C
            {
                HttpClient Create() => new HttpClient { {|RES010:Timeout = Timeout.InfiniteTimeSpan|} };

                void Configure(HttpClient client)
                {
                    {|RES010:client.Timeout = System.Threading.Timeout.InfiniteTimeSpan|}; // no limit
                }
            }
            """,
            """
            using System;
            using System.Net.Http;
            using System.Threading;

            class C
            {
                HttpClient Create() => new HttpClient { Timeout = TimeSpan.FromSeconds(100) };

                void Configure(HttpClient client)
                {
                    client.Timeout = TimeSpan.FromSeconds(100); // no limit
                }
            }
            """,
            TestLibraries.None,
            equivalenceKey: TimeoutCodeFixProvider.BoundedTimeoutKey);

    [Fact]
    public Task Commands_Get_30_Seconds_Sockets_And_Streams_Milliseconds()
        => Fix.VerifyCodeFixAsync(
            """
            using System.IO;
            using System.Net.Sockets;
            using System.Threading;
            using Microsoft.Data.SqlClient;

            class C
            {
                void Configure(SqlCommand command, Socket socket, Stream stream)
                {
                    {|RES010:command.CommandTimeout = 0|};
                    var other = new SqlCommand { {|RES010:CommandTimeout = 0|} };
                    {|RES010:socket.ReceiveTimeout = -1|};
                    {|RES010:stream.ReadTimeout = Timeout.Infinite|};
                }
            }
            """,
            """
            using System.IO;
            using System.Net.Sockets;
            using System.Threading;
            using Microsoft.Data.SqlClient;

            class C
            {
                void Configure(SqlCommand command, Socket socket, Stream stream)
                {
                    command.CommandTimeout = 30;
                    var other = new SqlCommand { CommandTimeout = 30 };
                    socket.ReceiveTimeout = 30000;
                    stream.ReadTimeout = 30000;
                }
            }
            """,
            TestLibraries.SqlClient);

    [Fact]
    public Task Dapper_Argument_Keeps_Its_Name()
        => Fix.VerifyCodeFixAsync(
            """
            using System.Data;
            using System.Threading.Tasks;
            using Dapper;

            class C
            {
                Task<int> Run(IDbConnection connection) => connection.ExecuteAsync("delete from t", {|RES010:commandTimeout: 0|});
            }
            """,
            """
            using System.Data;
            using System.Threading.Tasks;
            using Dapper;

            class C
            {
                Task<int> Run(IDbConnection connection) => connection.ExecuteAsync("delete from t", commandTimeout: 30);
            }
            """,
            TestLibraries.Dapper);

    [Fact]
    public Task Connection_Strings_Keep_Their_Spelling()
        => Fix.VerifyCodeFixAsync(
            """
            class C
            {
                const string Primary = {|RES010:"Server=db;Database=app;connect timeout = 0;Command Timeout=0"|};
                const string Verbatim = {|RES010:@"Data Source=db;Initial Catalog=app;Connect Timeout=0"|};

                string Build(string host) => {|RES010:$"Server={host};Database=app;Connection Timeout=0;"|};
            }
            """,
            """
            class C
            {
                const string Primary = "Server=db;Database=app;connect timeout = 30;Command Timeout=30";
                const string Verbatim = @"Data Source=db;Initial Catalog=app;Connect Timeout=30";

                string Build(string host) => $"Server={host};Database=app;Connection Timeout=30;";
            }
            """);

    [Fact]
    public Task Option_Sets_The_Bound_For_Every_Target()
        => Fix.VerifyCodeFixAsync(
            """
            using System;
            using System.Net.Http;
            using System.Net.Sockets;
            using System.Threading;

            class C
            {
                void Configure(HttpClient client, Socket socket)
                {
                    {|RES010:client.Timeout = Timeout.InfiniteTimeSpan|};
                    {|RES010:socket.SendTimeout = 0|};
                }
            }
            """,
            """
            using System;
            using System.Net.Http;
            using System.Net.Sockets;
            using System.Threading;

            class C
            {
                void Configure(HttpClient client, Socket socket)
                {
                    client.Timeout = TimeSpan.FromSeconds(45);
                    socket.SendTimeout = 45000;
                }
            }
            """,
            TestLibraries.None,
            editorConfig: "RES010.timeout_seconds = 45");

    [Fact]
    public Task Polly_And_Cloud_Sdk_TimeSpans()
        => Fix.VerifyCodeFixAsync(
            """
            using System.Threading;
            using Amazon.Runtime;
            using Polly;
            using Polly.Timeout;

            class C
            {
                void Configure(ClientConfig config) => {|RES010:config.Timeout = Timeout.InfiniteTimeSpan|};

                ResiliencePipeline Build() => new ResiliencePipelineBuilder()
                    .AddTimeout(new TimeoutStrategyOptions { {|RES010:Timeout = Timeout.InfiniteTimeSpan|} })
                    .Build();
            }
            """,
            """
            using System;
            using System.Threading;
            using Amazon.Runtime;
            using Polly;
            using Polly.Timeout;

            class C
            {
                void Configure(ClientConfig config) => config.Timeout = TimeSpan.FromSeconds(30);

                ResiliencePipeline Build() => new ResiliencePipelineBuilder()
                    .AddTimeout(new TimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(30) })
                    .Build();
            }
            """,
            TestLibraries.Aws | TestLibraries.PollyCore);

    [Fact]
    public async Task A_Timeout_Whose_Unit_Is_Not_Known_Gets_No_Fix()
    {
        const string source = """
            class C
            {
                void Configure(Amazon.Widgets.WidgetClient client) => {|RES010:client.ReadTimeout = -1|};
            }
            """;
        var test = new Fix.Test { TestCode = source, FixedCode = source, TestLibraries = TestLibraries.None };
        const string library = """
            namespace Amazon.Widgets
            {
                public sealed class WidgetClient
                {
                    public double ReadTimeout { get; set; }
                }
            }
            """;
        TestSetup.AddStandInLibrary(test.TestState, library);
        TestSetup.AddStandInLibrary(test.FixedState, library);
        await test.RunAsync();
    }

    [Fact]
    public Task Builder_Indexer_Seconds_And_Socket_Option_Milliseconds()
        => Fix.VerifyCodeFixAsync(
            """
            using System.Data.Common;
            using System.Net.Sockets;

            class C
            {
                void Configure(DbConnectionStringBuilder builder, Socket socket)
                {
                    {|RES010:builder["Connect Timeout"] = 0|};
                    socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveTimeout, {|RES010:0|});
                }
            }
            """,
            """
            using System.Data.Common;
            using System.Net.Sockets;

            class C
            {
                void Configure(DbConnectionStringBuilder builder, Socket socket)
                {
                    builder["Connect Timeout"] = 30;
                    socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveTimeout, 30000);
                }
            }
            """,
            TestLibraries.None);

    [Fact]
    public Task Named_Constant_Is_Replaced_At_The_Use_Only()
        => Fix.VerifyCodeFixAsync(
            """
            using System;
            using System.Net.Http;
            using System.Threading;

            static class Defaults
            {
                public static readonly TimeSpan Forever = Timeout.InfiniteTimeSpan;
            }

            class C
            {
                void Configure(HttpClient client) => {|RES010:client.Timeout = Defaults.Forever|};
            }
            """,
            """
            using System;
            using System.Net.Http;
            using System.Threading;

            static class Defaults
            {
                public static readonly TimeSpan Forever = Timeout.InfiniteTimeSpan;
            }

            class C
            {
                void Configure(HttpClient client) => client.Timeout = TimeSpan.FromSeconds(100);
            }
            """,
            TestLibraries.None);
}
