using ResilienceAnalyzers.Tests.Verifiers;
using Analyzer = ResilienceAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<ResilienceAnalyzers.Endpoints.EndpointAnalyzer>;

namespace ResilienceAnalyzers.Tests.Endpoints;

/// <summary>Whole files as they are written in services, with both rules' findings and near-misses side by side.</summary>
public sealed class RealisticEndpointTests
{
    [Fact]
    public Task AwsOrderService()
        => Analyzer.VerifyAnalyzerAsync(
            """
            using System;
            using System.Collections.Generic;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;
            using Amazon;
            using Amazon.DynamoDBv2;
            using Amazon.DynamoDBv2.Model;
            using Amazon.S3;
            using Microsoft.Extensions.Logging;

            namespace Orders;

            public sealed class OrderRepository
            {
                private const string TableName = "orders";
                private static readonly HttpClient Webhooks = {|RES021:new HttpClient { Timeout = TimeSpan.FromSeconds(10) }|};

                private readonly IAmazonDynamoDB _dynamoDb = new AmazonDynamoDBClient({|RES020:RegionEndpoint.USEast1|});
                private readonly ILogger<OrderRepository> _logger;

                public OrderRepository(ILogger<OrderRepository> logger) => _logger = logger;

                public async Task SaveAsync(string id, CancellationToken cancellationToken)
                {
                    _logger.LogInformation("Saving order {Id} to dynamodb.us-east-1.amazonaws.com", id);
                    var item = new Dictionary<string, AttributeValue> { ["id"] = new AttributeValue { S = id } };
                    await _dynamoDb.PutItemAsync(new PutItemRequest { TableName = TableName, Item = item }, cancellationToken);
                    await Webhooks.PostAsync("https://hooks.example.com/orders", new StringContent(id), cancellationToken);
                }
            }

            public static class Storage
            {
                public static IAmazonS3 Create()
                {
                    var region = Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1";
                    return new AmazonS3Client(RegionEndpoint.GetBySystemName(region));
                }

                public static IAmazonS3 Local() => new AmazonS3Client(new AmazonS3Config { ServiceURL = "http://localhost:4566", ForcePathStyle = true });

                public static IAmazonS3 Pinned() => new AmazonS3Client(new AmazonS3Config { ServiceURL = {|RES020:"https://s3.eu-central-1.amazonaws.com"|} });
            }
            """,
            TestLibraries.All,
            editorConfig: null);

    [Fact]
    public Task AzureAndGoogleClients()
        => Analyzer.VerifyAnalyzerAsync(
            """
            using System;
            using System.Net.Http;
            using System.Net.Http.Headers;
            using System.Threading.Tasks;
            using Azure.Core;

            public sealed class Translator
            {
                public static Translator Instance { get; } = new Translator();

                private readonly HttpClient _client;

                private Translator()
                {
                    _client = {|RES021:new HttpClient { BaseAddress = new Uri({|RES020:"https://westeurope.api.cognitive.microsoft.com/"|}) }|};
                }

                public Task<string> Languages() => _client.GetStringAsync("translator/text/v3.0/languages");
            }

            public sealed class Vertex
            {
                private readonly HttpClient _client;
                private readonly string _project;
                private readonly string _location;

                public Vertex(HttpClient client, string project, string location)
                {
                    _client = client;
                    _project = project;
                    _location = location;
                }

                public Task<HttpResponseMessage> Predict(HttpContent body)
                    => _client.PostAsync($"https://{_location}-aiplatform.googleapis.com/v1/projects/{_project}/locations/{_location}/endpoints/e:predict", body);

                public Task<HttpResponseMessage> PredictPinned(HttpContent body)
                    => _client.PostAsync({|RES020:$"https://us-central1-aiplatform.googleapis.com/v1/projects/{_project}/locations/us-central1/endpoints/e:predict"|}, body);
            }

            public static class Deployment
            {
                public static AzureLocation Primary(string configured) => new AzureLocation(configured);

                public static AzureLocation[] Pair() => new[] { AzureLocation.WestEurope, AzureLocation.NorthEurope };

                public static AzureLocation Pinned() => {|RES020:AzureLocation.SwedenCentral|};
            }
            """,
            TestLibraries.All,
            editorConfig: null);

    [Fact]
    public Task ApiClientWithSocketsHandler_AndFactoryRegistration()
        => Analyzer.VerifyAnalyzerAsync(
            """
            using System;
            using System.Net.Http;
            using System.Threading;
            using Microsoft.Extensions.DependencyInjection;

            public static class Http
            {
                private static readonly SocketsHttpHandler Handler = new SocketsHttpHandler
                {
                    PooledConnectionLifetime = TimeSpan.FromMinutes(2),
                    PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
                    MaxConnectionsPerServer = 100,
                };

                public static readonly HttpClient Shared = new HttpClient(Handler, disposeHandler: false);

                public static void Register(IServiceCollection services)
                {
                    services.AddHttpClient("inventory", c => c.BaseAddress = new Uri("https://inventory.internal/"))
                        .SetHandlerLifetime(TimeSpan.FromMinutes(5));
                    services.AddHttpClient("legacy")
                        .SetHandlerLifetime({|RES021:Timeout.InfiniteTimeSpan|});
                }
            }
            """,
            TestLibraries.All,
            editorConfig: null);
}
