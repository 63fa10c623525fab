using ResilienceAnalyzers.CodeFixes.Endpoints;
using ResilienceAnalyzers.Tests.Verifiers;
using Fix = ResilienceAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<ResilienceAnalyzers.Endpoints.EndpointAnalyzer, ResilienceAnalyzers.CodeFixes.Endpoints.RegionFromEnvironmentCodeFixProvider>;

namespace ResilienceAnalyzers.Tests.Endpoints;

/// <summary>RES020 fix: an AWS service client drops its pinned region, when the shorter constructor exists.</summary>
public sealed class HardCodedRegionFixTests
{
    private static Task Verify(string source, string fixedSource)
        => Fix.VerifyCodeFixAsync(source, fixedSource, TestLibraries.Aws | TestLibraries.Azure, equivalenceKey: RegionFromEnvironmentCodeFixProvider.EquivalenceKey);

    /// <summary>The diagnostics stay and no code action is offered.</summary>
    private static Task VerifyNoFix(string source) => Verify(source, source);

    [Fact]
    public Task ServiceClients_DropTheRegion()
        => Verify(
            """
            using Amazon;
            using Amazon.DynamoDBv2;
            using Amazon.Runtime;
            using Amazon.S3;

            class Clients
            {
                private readonly IAmazonDynamoDB _db = new AmazonDynamoDBClient({|RES020:RegionEndpoint.USEast1|});

                IAmazonS3 Storage(AWSCredentials credentials) => new AmazonS3Client(credentials, {|RES020:RegionEndpoint.USEast1|});

                IAmazonS3 Keys() => new AmazonS3Client("key", "secret", RegionEndpoint.GetBySystemName({|RES020:"us-east-1"|}));
            }
            """,
            """
            using Amazon;
            using Amazon.DynamoDBv2;
            using Amazon.Runtime;
            using Amazon.S3;

            class Clients
            {
                private readonly IAmazonDynamoDB _db = new AmazonDynamoDBClient();

                IAmazonS3 Storage(AWSCredentials credentials) => new AmazonS3Client(credentials);

                IAmazonS3 Keys() => new AmazonS3Client("key", "secret");
            }
            """);

    [Fact]
    public Task OtherPlaces_GetNoFix()
        => VerifyNoFix(
            """
            using Amazon;
            using Amazon.S3;
            using Azure.Core;

            class Clients
            {
                AmazonS3Config Config() => new AmazonS3Config { RegionEndpoint = {|RES020:RegionEndpoint.EUWest1|} };

                AzureLocation Location() => {|RES020:AzureLocation.WestEurope|};

                string Endpoint() => {|RES020:"https://s3.eu-west-1.amazonaws.com"|};
            }
            """);
}
