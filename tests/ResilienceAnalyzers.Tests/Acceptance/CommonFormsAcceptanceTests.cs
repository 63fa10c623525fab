using ResilienceAnalyzers.Tests.Verifiers;

namespace ResilienceAnalyzers.Tests.Acceptance;

/// <summary>
/// The everyday forms of each timeout and endpoint defect, and their everyday near-misses, written
/// independently of the per-rule suites as a cross-check of what a user meets first.
/// </summary>
public sealed class CommonFormsAcceptanceTests
{
    private static Task T<TAnalyzer>(string source)
        where TAnalyzer : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer, new()
        => CSharpAnalyzerVerifier<TAnalyzer>.VerifyAnalyzerAsync(source, TestLibraries.All, editorConfig: null);

    [Fact]
    public Task Timeouts() => T<ResilienceAnalyzers.Timeouts.TimeoutAnalyzer>("""
        using System;
        using System.IO;
        using System.Net.Http;
        using System.Net.Sockets;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Data.SqlClient;
        using Dapper;

        class C
        {
            private const int NoTimeout = 0;
            static readonly TimeSpan Forever = Timeout.InfiniteTimeSpan;

            async Task M(SqlConnection conn, Socket socket, Stream stream, CancellationToken token, int timeoutParam)
            {
                var a = new HttpClient { {|RES010:Timeout = Timeout.InfiniteTimeSpan|} };
                var b = new HttpClient();
                {|RES010:b.Timeout = System.Threading.Timeout.InfiniteTimeSpan|};
                {|RES010:b.Timeout = Forever|};
                var cmd = new SqlCommand("select 1", conn) { {|RES010:CommandTimeout = 0|} };
                {|RES010:cmd.CommandTimeout = NoTimeout|};
                var c2 = new SqlConnection({|RES010:"Server=.;Database=x;Connect Timeout=0"|});
                {|RES010:socket.ReceiveTimeout = -1|};
                {|RES010:socket.SendTimeout = 0|};
                {|RES010:stream.ReadTimeout = Timeout.Infinite|};
                await conn.QueryAsync<int>("select 1", {|RES010:commandTimeout: 0|});
                var h = new SocketsHttpHandler { {|RES010:ConnectTimeout = Timeout.InfiniteTimeSpan|} };

                var s = new SemaphoreSlim(1);
                await s.WaitAsync(Timeout.InfiniteTimeSpan);
                using var cts = new CancellationTokenSource(Timeout.InfiniteTimeSpan);
                using var timer = new Timer(_ => { }, null, 0, Timeout.Infinite);
                await Task.Delay(Timeout.Infinite, token);
                b.Timeout = TimeSpan.FromSeconds(30);
                cmd.CommandTimeout = timeoutParam;
                cmd.CommandTimeout = 60;
            }
        }
        """);

    [Fact]
    public Task Grpc() => T<ResilienceAnalyzers.Timeouts.TimeoutAnalyzer>("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Grpc.Core;

        public class HelloRequest { }
        public class HelloReply { }

        public static partial class Greeter
        {
            public partial class GreeterClient : ClientBase<GreeterClient>
            {
                public GreeterClient(CallInvoker callInvoker) : base(callInvoker) { }
                protected GreeterClient(ClientBaseConfiguration configuration) : base(configuration) { }
                protected override GreeterClient NewInstance(ClientBaseConfiguration configuration) => new GreeterClient(configuration);

                public virtual HelloReply SayHello(HelloRequest request, Metadata headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
                    => SayHello(request, new CallOptions(headers, deadline, cancellationToken));
                public virtual HelloReply SayHello(HelloRequest request, CallOptions options) => null;
                public virtual AsyncUnaryCall<HelloReply> SayHelloAsync(HelloRequest request, Metadata headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
                    => SayHelloAsync(request, new CallOptions(headers, deadline, cancellationToken));
                public virtual AsyncUnaryCall<HelloReply> SayHelloAsync(HelloRequest request, CallOptions options) => null;
            }
        }

        class C
        {
            async Task M(Greeter.GreeterClient client, CancellationToken ct)
            {
                client.{|RES011:SayHello|}(new HelloRequest());
                // Not reported: the caller's token may carry its deadline.
                await client.SayHelloAsync(new HelloRequest(), cancellationToken: ct);
                await client.SayHelloAsync(new HelloRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
                client.SayHello(new HelloRequest(), new CallOptions(deadline: DateTime.UtcNow.AddSeconds(5)));
                client.{|RES011:SayHello|}(new HelloRequest(), new CallOptions());
                client.SayHello(new HelloRequest(), new CallOptions().WithDeadline(DateTime.UtcNow.AddSeconds(3)));
            }
        }
        """);

    [Theory]
    [InlineData("var a = {|RES022:new AmazonDynamoDBClient({|RES020:RegionEndpoint.USEast1|})|};")]
    [InlineData("var b = RegionEndpoint.GetBySystemName({|RES020:\"us-east-1\"|});")]
    [InlineData("var url = {|RES020:\"https://dynamodb.us-east-1.amazonaws.com\"|};")]
    [InlineData("var s3 = new AmazonS3Config { RegionEndpoint = {|RES020:RegionEndpoint.EUWest1|} };")]
    [InlineData("var s3b = new AmazonS3Config { ServiceURL = {|RES020:\"https://s3.us-west-2.amazonaws.com\"|} };")]
    [InlineData("var loc = {|RES020:AzureLocation.WestEurope|};")]
    [InlineData("var cog = {|RES020:\"https://westeurope.api.cognitive.microsoft.com/\"|};")]
    [InlineData("var g = {|RES020:\"https://us-central1-aiplatform.googleapis.com\"|};")]
    [InlineData("var c = new AmazonDynamoDBConfig { AuthenticationRegion = {|RES020:\"eu-central-1\"|} };")]
    [InlineData("var fallback = config(\"AWS:Region\") ?? \"us-east-1\";")]
    [InlineData("var sts = \"https://sts.amazonaws.com\";")]
    [InlineData("var local = \"http://localhost:4566\";")]
    [InlineData("var docs = \"https://docs.aws.amazon.com/general/latest/gr/rande.html\";")]
    [InlineData("var prose = \"We deploy to us-east-1 by default.\";")]
    [InlineData("var failover = new[] { \"us-east-1\", \"us-west-2\" };")]
    public Task Regions(string line) => T<ResilienceAnalyzers.Endpoints.EndpointAnalyzer>($$"""
        using System;
        using Amazon;
        using Amazon.DynamoDBv2;
        using Amazon.S3;
        using Azure.Core;

        class C
        {
            void M(Func<string, string> config)
            {
                {{line}}
            }
        }
        """);

    [Fact]
    public Task HttpClients() => T<ResilienceAnalyzers.Endpoints.EndpointAnalyzer>("""
        using System;
        using System.Net.Http;
        using System.Threading;
        using Microsoft.Extensions.DependencyInjection;

        class Api
        {
            private static readonly HttpClient Client = {|RES021:new HttpClient()|};
            private static HttpClient Other { get; } = {|RES021:new HttpClient(new HttpClientHandler { UseCookies = false })|};
            private static readonly HttpClient Good = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
        }

        public sealed class Singleton
        {
            public static readonly Singleton Instance = new Singleton();
            private readonly HttpClient _http = {|RES021:new HttpClient()|};
        }

        class Injected
        {
            private readonly HttpClient _http;
            public Injected(HttpClient http) { _http = http; }
            public void M(IHttpClientFactory factory, IServiceCollection services)
            {
                var c = factory.CreateClient("x");
                using var local = {|RES022:new HttpClient()|};
                services.AddHttpClient("x").SetHandlerLifetime({|RES021:Timeout.InfiniteTimeSpan|});
            }
        }
        """);
}
