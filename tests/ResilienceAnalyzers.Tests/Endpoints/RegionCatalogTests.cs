using System.Linq;
using System.Reflection;
using ResilienceAnalyzers.Endpoints;

namespace ResilienceAnalyzers.Tests.Endpoints;

/// <summary>Keeps the one region table current with the SDKs the tests reference, and pins the endpoint parser's edges.</summary>
public sealed class RegionCatalogTests
{
    [Fact]
    public void Every_RegionEndpoint_field_of_AWSSDK_Core_is_in_the_table()
    {
        var fields = typeof(Amazon.RegionEndpoint).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(Amazon.RegionEndpoint));
        foreach (var field in fields)
        {
            var region = (Amazon.RegionEndpoint)field.GetValue(null)!;
            Assert.True(RegionCatalog.TryGetAwsCodeOfField(field.Name, out var code), $"RegionEndpoint.{field.Name} is missing from RegionCatalog.");
            Assert.Equal(region.SystemName, code);
            Assert.Equal(CloudProvider.Aws, RegionCatalog.ProviderOf(code));
        }
    }

    [Fact]
    public void Every_AzureLocation_of_Azure_Core_is_in_the_table()
    {
        var properties = typeof(Azure.Core.AzureLocation).GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(Azure.Core.AzureLocation));
        foreach (var property in properties)
        {
            var location = (Azure.Core.AzureLocation)property.GetValue(null)!;
            Assert.True(RegionCatalog.IsRegion(location.Name, CloudProvider.Azure), $"AzureLocation.{property.Name} ({location.Name}) is missing from RegionCatalog.");
            Assert.Equal(property.Name.ToLowerInvariant(), location.Name);
        }
    }

    [Fact]
    public void Codes_belong_to_one_provider_only()
    {
        var all = RegionCatalog.AwsCodes.Concat(RegionCatalog.AzureCodes).Concat(RegionCatalog.GoogleCloudCodes).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
    }

    [Theory]
    [InlineData("us-east-1", CloudProvider.Aws)]
    [InlineData("ap-southeast-9", CloudProvider.Aws)]
    [InlineData("us-gov-west-1", CloudProvider.Aws)]
    [InlineData("westeurope", CloudProvider.Azure)]
    [InlineData("us-central1", CloudProvider.GoogleCloud)]
    [InlineData("europe-west99", CloudProvider.GoogleCloud)]
    public void Codes_of_the_documented_shape_are_regions(string code, CloudProvider provider)
        => Assert.Equal(provider, RegionCatalog.ProviderOf(code));

    [Theory]
    [InlineData("us")]
    [InlineData("eu")]
    [InlineData("global")]
    [InlineData("europe")]
    [InlineData("us-any-1")]
    [InlineData("content-type")]
    [InlineData("US-EAST-1")]
    public void Other_words_are_not(string text)
        => Assert.Null(RegionCatalog.ProviderOf(text));

    [Theory]
    [InlineData("dynamodb.us-east-1.amazonaws.com", "us-east-1")]
    [InlineData("HTTPS://DYNAMODB.US-EAST-1.AMAZONAWS.COM", "us-east-1")]
    [InlineData("s3-website-eu-west-1.amazonaws.com", "eu-west-1")]
    [InlineData("name-westeurope-01.regional.azure-api.net", "westeurope")]
    [InlineData("\u0001.s3.us-west-2.amazonaws.com", "us-west-2")]
    [InlineData("us-central1-\u0001.googleapis.com", "us-central1")]
    public void Regional_hosts_are_found(string text, string code)
        => Assert.Equal(code, RegionalEndpointText.Find(text)?.Code);

    [Theory]
    [InlineData("https://dynamodb.\u0001.amazonaws.com")]
    [InlineData("https://\u0001-aiplatform.googleapis.com")]
    [InlineData("https://example.com/us-east-1/amazonaws")]
    [InlineData("https://portal.azure.com/#blade/westeurope")]
    [InlineData("10.0.0.1:443")]
    public void Other_text_is_not(string text)
        => Assert.Null(RegionalEndpointText.Find(text));
}
