using ResilienceAnalyzers.Tests.Verifiers;
using Analyzer = ResilienceAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<ResilienceAnalyzers.Endpoints.EndpointAnalyzer>;

namespace ResilienceAnalyzers.Tests.Endpoints;

/// <summary>RES020: every form of a hard-coded region, and the near-misses RULES.md lists.</summary>
public sealed class HardCodedRegionTests
{
    private const TestLibraries Cloud = TestLibraries.Aws | TestLibraries.Azure;

    private static Task Verify(string source, string? editorConfig = null)
        => Analyzer.VerifyAnalyzerAsync(source, Cloud, editorConfig);

    [Fact]
    public Task RegionEndpointField_OnServiceClient()
        => Verify("""
            using Amazon;
            using Amazon.DynamoDBv2;

            class Store
            {
                private readonly IAmazonDynamoDB _db = new AmazonDynamoDBClient({|RES020:RegionEndpoint.USEast1|});
            }
            """);

    [Fact]
    public Task RegionEndpointField_InConfigAndWithCredentials()
        => Verify("""
            using Amazon;
            using Amazon.Runtime;
            using Amazon.S3;

            class Storage
            {
                AmazonS3Client Create(AWSCredentials credentials) => new AmazonS3Client(credentials, {|RES020:RegionEndpoint.EUWest1|});

                AmazonS3Config Config() => new AmazonS3Config { RegionEndpoint = {|RES020:RegionEndpoint.EUWest1|} };
            }
            """);

    [Fact]
    public Task GovCloudAndChinaFields()
        => Verify("""
            using Amazon;

            static class Regions
            {
                public static RegionEndpoint Gov() => {|RES020:RegionEndpoint.USGovCloudWest1|};
            }

            static class China
            {
                public static RegionEndpoint Beijing() => {|RES020:RegionEndpoint.CNNorth1|};
            }
            """);

    [Fact]
    public Task GetBySystemName_Literal()
        => Verify("""
            using Amazon;
            using Amazon.DynamoDBv2;

            class Store
            {
                AmazonDynamoDBClient Create() => new AmazonDynamoDBClient(RegionEndpoint.GetBySystemName({|RES020:"us-east-1"|}));
            }
            """);

    [Fact]
    public Task GetBySystemName_LocalAndConstant()
        => Verify("""
            using Amazon;

            class Store
            {
                private const string Primary = "eu-central-1";

                RegionEndpoint FromLocal()
                {
                    var region = {|RES020:"ap-southeast-2"|};
                    return RegionEndpoint.GetBySystemName(region);
                }

                RegionEndpoint FromConstant() => RegionEndpoint.GetBySystemName({|RES020:Primary|});
            }
            """);

    [Fact]
    public Task AzureLocationProperty_AndStringConversion()
        => Verify("""
            using Azure.Core;

            class Deployment
            {
                AzureLocation Where() => {|RES020:AzureLocation.WestEurope|};

                AzureLocation Converted() => {|RES020:"northeurope"|};

                AzureLocation Constructed() => new AzureLocation({|RES020:"swedencentral"|});
            }
            """);

    [Fact]
    public Task RegionCodeIntoRegionNamedParameterAndProperty()
        => Verify("""
            class Settings
            {
                public string Region { get; init; }
                public string Location { get; init; }
            }

            class Client
            {
                public Client(string regionName) { }
            }

            class Setup
            {
                Settings Aws() => new Settings { Region = {|RES020:"us-west-2"|} };
                Settings Azure() => new Settings { Location = {|RES020:"westeurope"|} };
                Client Google() => new Client({|RES020:"us-central1"|});
            }
            """);

    [Fact]
    public Task AzureDisplayNameAndSdkStyleParameters()
        => Verify("""
            class CosmosOptions
            {
                public string ApplicationRegion { get; init; }
            }

            static class SpeechConfig
            {
                public static object FromSubscription(string subscriptionKey, string region) => null;
            }

            static class Regions
            {
                public const string WestEurope = "West Europe";
            }

            class Setup
            {
                CosmosOptions Cosmos() => new CosmosOptions { ApplicationRegion = {|RES020:"East US 2"|} };
                CosmosOptions Constant() => new CosmosOptions { ApplicationRegion = {|RES020:Regions.WestEurope|} };
                object Speech(string key) => SpeechConfig.FromSubscription(key, {|RES020:"westus"|});
            }
            """);

    [Fact]
    public Task ConnectionStringWithSpaces_IsNotProse()
        => Verify("""
            class Database
            {
                public const string ConnectionString = {|RES020:"Server=orders.abc123.us-east-1.rds.amazonaws.com;Database=orders;User Id=app"|};
            }
            """);

    [Fact]
    public Task RegionNamedConstant()
        => Verify("""
            static class Aws
            {
                public const string Region = {|RES020:"us-east-1"|};
            }

            class Settings
            {
                private static readonly string AwsRegion = {|RES020:"eu-west-1"|};

                public string Location => {|RES020:"eu-west-1"|};

                public static string GetRegion() => {|RES020:"eu-west-1"|};
            }
            """);

    [Theory]
    [InlineData("https://dynamodb.us-east-1.amazonaws.com")]
    [InlineData("https://sqs.eu-west-1.amazonaws.com/123456789012/orders")]
    [InlineData("https://my-bucket.s3.us-west-2.amazonaws.com/key")]
    [InlineData("https://s3-us-west-2.amazonaws.com/bucket")]
    [InlineData("https://abc123.execute-api.ap-south-1.amazonaws.com/prod")]
    [InlineData("https://s3.cn-north-1.amazonaws.com.cn")]
    [InlineData("https://dynamodb.us-gov-west-1.amazonaws.com")]
    [InlineData("https://abcdef.lambda-url.us-east-2.on.aws/")]
    [InlineData("https://westeurope.api.cognitive.microsoft.com/")]
    [InlineData("https://eastus.tts.speech.microsoft.com/cognitiveservices/v1")]
    [InlineData("http://myvm.westus2.cloudapp.azure.com:8080")]
    [InlineData("https://orders-westeurope.documents.azure.com:443/")]
    [InlineData("InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/")]
    [InlineData("https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/endpoints/e")]
    [InlineData("https://europe-west1-run.googleapis.com")]
    [InlineData("https://us-central1-my-project.cloudfunctions.net/hello")]
    [InlineData("projects/my-project/locations/europe-west4/keyRings/ring")]
    public Task RegionalEndpointLiteral(string endpoint)
        => Verify($$"""
            class Endpoints
            {
                public static readonly string Url = {|RES020:"{{endpoint}}"|};
            }
            """);

    [Fact]
    public Task InterpolatedEndpoints()
        => Verify("""
            class Endpoints
            {
                private const string Service = "dynamodb";

                string Table(string table) => {|RES020:$"https://{table}.dynamodb.us-east-1.amazonaws.com/"|};

                string Model(string project) => {|RES020:$"projects/{project}/locations/us-central1/models/m"|};

                string Constant() => {|RES020:$"https://{Service}.ap-northeast-1.amazonaws.com"|};

                string Local()
                {
                    var region = "eu-north-1";
                    return {|RES020:$"https://{Service}.{region}.amazonaws.com"|};
                }

                string Configured(string region) => $"https://{Service}.{region}.amazonaws.com";

                string Reassigned(bool gov)
                {
                    var region = "us-west-2";
                    if (gov)
                    {
                        region = "us-gov-west-1";
                    }

                    return $"https://{Service}.{region}.amazonaws.com";
                }
            }

            class Concatenation
            {
                private const string Region = {|RES020:"sa-east-1"|};
                private const string Host = {|RES020:"https://dynamodb." + Region + ".amazonaws.com"|};
            }
            """);

    // A constant sum is judged whole, from its first literal, when one of its literals may name an endpoint: parentheses do
    // not hide it. A sum that is built at run time, or that holds no endpoint, is not an endpoint written in code.
    [Fact]
    public Task ConstantSums_AreJudgedWhole()
        => Verify("""
            class Sums
            {
                private const string Region = {|RES020:"eu-west-1"|};
                private const string Queue = {|RES020:("https://sqs." + Region) + ".amazonaws.com/123456789012/orders"|};
                private const string Docs = "See " + "https://docs.example.com/" + "queues";

                private static string Message(string detail) => "Could not reach the queue: " + detail;

                private static string Built(string region) => "https://sqs." + region + ".amazonaws.com/123456789012/orders";

                // The constant part a sum starts with is judged, whatever follows it; nameof is a constant, a call is not.
                private static string Suffixed(string path) => ({|RES020:"https://sqs." + Region + ".amazonaws.com/123456789012/"|}) + path;
                private const string Named = {|RES020:"https://" + nameof(Sums) + ".dynamodb.eu-west-1.amazonaws.com"|};
                private static string Called() => "https://sqs." + Region.Trim() + ".amazonaws.com/123456789012/orders";
            }
            """);

    [Theory]
    [InlineData("https://sts.amazonaws.com")]
    [InlineData("https://s3.amazonaws.com/bucket")]
    [InlineData("https://iam.amazonaws.com")]
    [InlineData("https://management.azure.com/")]
    [InlineData("https://myaccount.blob.core.windows.net/container")]
    [InlineData("https://login.microsoftonline.com/tenant")]
    [InlineData("https://storage.googleapis.com/bucket/object")]
    [InlineData("https://us-docker.pkg.dev/project/repo/image")]
    [InlineData("projects/my-project/locations/global/keyRings/ring")]
    [InlineData("https://docs.aws.amazon.com/general/latest/gr/ddb.html")]
    [InlineData("https://us-east-1.console.aws.amazon.com/dynamodbv2/home?region=us-east-1")]
    [InlineData("https://learn.microsoft.com/en-us/azure/reliability/cross-region-replication-azure")]
    [InlineData("https://cloud.google.com/vertex-ai/docs/general/locations/us-central1")]
    [InlineData("http://localhost:4566")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1")]
    [InlineData("http://s3.us-east-1.localhost.localstack.cloud:4566")]
    [InlineData("UseDevelopmentStorage=true")]
    [InlineData("Could not reach dynamodb.us-east-1.amazonaws.com, retrying")]
    [InlineData("Deploying to us-east-1")]
    [InlineData("us-east-1")]
    public Task NearMissLiteral(string text)
        => Verify($$"""
            class Endpoints
            {
                public static readonly string Text = "{{text}}";
            }
            """);

    [Fact]
    public Task FailoverLists_AreSilent()
        => Verify("""
            using System.Collections.Generic;
            using Amazon;
            using Azure.Core;

            class Failover
            {
                private static readonly RegionEndpoint[] Regions = { RegionEndpoint.USEast1, RegionEndpoint.USWest2 };

                private static readonly List<AzureLocation> Locations = new() { AzureLocation.WestEurope, AzureLocation.NorthEurope };

                string[] Endpoints() => new[] { "https://dynamodb.us-east-1.amazonaws.com", "https://dynamodb.us-west-2.amazonaws.com" };
            }
            """);

    [Fact]
    public Task PrimaryAndSecondary_InOneMember_AreSilent()
        => Verify("""
            using Amazon;
            using Amazon.DynamoDBv2;

            class Failover
            {
                IAmazonDynamoDB Create(bool secondary)
                    => secondary ? new AmazonDynamoDBClient(RegionEndpoint.USWest2) : new AmazonDynamoDBClient(RegionEndpoint.USEast1);
            }
            """);

    [Fact]
    public Task GlobalServicesInTheirHomeRegion_AreSilent()
        => Verify("""
            using Amazon;

            namespace Amazon.Route53
            {
                public class AmazonRoute53Client
                {
                    public AmazonRoute53Client(RegionEndpoint region) { }
                }

                public class AmazonRoute53Config
                {
                    public RegionEndpoint RegionEndpoint { get; set; }
                }
            }

            class Dns
            {
                object Client() => new Amazon.Route53.AmazonRoute53Client(RegionEndpoint.USEast1);
                object Config() => new Amazon.Route53.AmazonRoute53Config { RegionEndpoint = RegionEndpoint.USEast1 };
                object Elsewhere() => new Amazon.Route53.AmazonRoute53Client({|RES020:RegionEndpoint.EUWest1|});
            }
            """);

    [Fact]
    public Task Fallbacks_AreSilentByDefault()
        => Verify(FallbackSource);

    [Fact]
    public Task Fallbacks_AreReportedWhenAsked()
        => Verify(
            FallbackSource
                .Replace("?? \"us-east-1\"", "?? {|RES020:\"us-east-1\"|}")
                .Replace("? \"eu-west-1\"", "? {|RES020:\"eu-west-1\"|}")
                .Replace(": RegionEndpoint.USWest2", ": {|RES020:RegionEndpoint.USWest2|}")
                .Replace("??= \"ap-south-1\"", "??= {|RES020:\"ap-south-1\"|}"),
            "RES020.flag_fallbacks = true");

    private const string FallbackSource = """
        using System;
        using Amazon;

        class Options
        {
            public string Region { get; set; }
        }

        class Setup
        {
            RegionEndpoint FromEnvironment()
                => RegionEndpoint.GetBySystemName(Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1");

            string Region(string configured)
                => string.IsNullOrEmpty(configured) ? "eu-west-1" : configured;

            RegionEndpoint Default(string configured)
                => configured is not null ? RegionEndpoint.GetBySystemName(configured) : RegionEndpoint.USWest2;

            void Bind(Options options)
            {
                options.Region ??= "ap-south-1";
            }
        }
        """;

    [Fact]
    public Task SettableOptionDefaultsAndDefaultNamedConstants_AreFallbacks()
        => Verify("""
            class AwsOptions
            {
                public const string DefaultRegion = "us-east-1";

                public string Region { get; set; } = "us-east-1";
            }
            """);

    [Fact]
    public Task AllowedRegions_AreSilent()
        => Verify(
            """
            using Amazon;

            class Gov
            {
                RegionEndpoint Region() => RegionEndpoint.USGovCloudWest1;
                string Endpoint() => "https://dynamodb.us-gov-west-1.amazonaws.com";
                RegionEndpoint Other() => {|RES020:RegionEndpoint.EUWest1|};
            }
            """,
            "RES020.allowed_regions = us-gov-west-1, cn-north-1");

    [Fact]
    public Task Comparisons_AreSilent()
        => Verify("""
            using Amazon;

            class Checks
            {
                bool IsVirginia(RegionEndpoint region) => region == RegionEndpoint.USEast1;
                bool IsVirginiaName(string region) => region == RegionEndpoint.USEast1.SystemName;
                bool IsGlobal(string host) => host.EndsWith("s3.us-east-1.amazonaws.com");
                bool Named(string region) => region.Equals("us-east-1");
            }
            """);

    [Fact]
    public Task RegionCodesOutsideRegionSinks_AreSilent()
        => Verify("""
            using System.Collections.Generic;

            class Labels
            {
                private readonly Dictionary<string, string> _names = new() { ["us-east-1"] = "N. Virginia" };

                string Name(string key) => _names.TryGetValue(key, out var name) ? name : "us-east-1";

                void Log(System.Action<string> log) => log("us-east-1");
            }
            """);

    [Fact]
    public Task NoCloudLibrary_StillSeesEndpointsInStrings()
        => Analyzer.VerifyAnalyzerAsync(
            """
            class Endpoints
            {
                public const string Queue = {|RES020:"https://sqs.us-east-2.amazonaws.com/1234/jobs"|};
            }
            """,
            TestLibraries.None,
            editorConfig: null);

    [Fact]
    public Task TestProjects_AreSkippedByDefault()
        => Verify("""
            using Amazon;

            class Fixture
            {
                RegionEndpoint Region() => RegionEndpoint.USEast1;
            }

            namespace Xunit
            {
                public sealed class FactAttribute : System.Attribute { }
            }
            """);

    [Fact]
    public Task TestProjects_AreAnalyzedWhenAsked()
        => Verify(
            """
            using Amazon;

            class Fixture
            {
                RegionEndpoint Region() => {|RES020:RegionEndpoint.USEast1|};
            }

            namespace Xunit
            {
                public sealed class FactAttribute : System.Attribute { }
            }
            """,
            "resilience_analyzers.analyze_test_code = true");

    [Fact]
    public Task RegionReturnedAsTheLastFallbackOfAnIfChain_IsAFallback_Alone_IsNot()
        => Verify("""
            using System;

            class RegionSettings
            {
                public string ConfiguredRegion { get; set; }

                string GetRegion()
                {
                    if (!string.IsNullOrEmpty(ConfiguredRegion))
                    {
                        return ConfiguredRegion;
                    }

                    var fromEnvironment = Environment.GetEnvironmentVariable("AWS_REGION");
                    if (fromEnvironment != null)
                    {
                        return fromEnvironment;
                    }

                    return "us-east-1";
                }

                string GetPinnedRegion()
                {
                    return {|RES020:"us-west-2"|};
                }
            }
            """);

    [Fact]
    public Task RegionPassedToSomethingThatDoesNotBind_IsJudgedByTheClientNameWritten_OrSilent()
        => Verify("""
            using Amazon;

            class Clients
            {
                // The package is missing: the name written still says a regional client, or a global service's home.
                object Bedrock() => new {|CS0246:AmazonBedrockRuntimeClient|}({|RES020:RegionEndpoint.USWest2|});

                object Dns() => new {|CS0246:AmazonRoute53Client|}(RegionEndpoint.USEast1);

                // Not a client at all, and nothing to go on: silent.
                object Other() => {|CS0103:Connect|}(RegionEndpoint.USEast1);
            }
            """);

    // `if (string.IsNullOrWhiteSpace(endpoint)) endpoint = "…";` is the `??` of a statement: a default for a missing value.
    [Fact]
    public Task RegionalEndpointFilledInWhenTheCallerGaveNone_IsAFallback_AlwaysSet_IsNot()
        => Verify("""
            class Language
            {
                string Endpoint(string endpoint)
                {
                    if (string.IsNullOrWhiteSpace(endpoint))
                    {
                        endpoint = "https://westus.api.cognitive.microsoft.com";
                    }

                    return endpoint;
                }

                string EndpointOrNull(string endpoint)
                {
                    if (endpoint == null)
                        endpoint = "https://westus.api.cognitive.microsoft.com";
                    return endpoint;
                }

                string Pinned(string endpoint, bool fast)
                {
                    if (fast)
                    {
                        endpoint = {|RES020:"https://westus.api.cognitive.microsoft.com"|};
                    }

                    return endpoint;
                }
            }
            """);
}
