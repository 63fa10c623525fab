using System;
using System.Collections.Generic;
using System.Text.RegularExpressions;

namespace ResilienceAnalyzers.Endpoints;

/// <summary>Which cloud a region code belongs to.</summary>
public enum CloudProvider
{
    Aws,
    Azure,
    GoogleCloud,
}

/// <summary>
/// The one table of cloud region codes, per provider. Keep it current: a region missing here is a region whose
/// hard-coded endpoints RES020 cannot see (AWS and Google Cloud codes of the documented shape are still
/// recognised; Azure names are matched against this table only).
/// </summary>
internal static class RegionCatalog
{
    /// <summary>
    /// AWS: the public, China, GovCloud, European Sovereign Cloud and ISO partitions, as
    /// <c>Amazon.RegionEndpoint</c> lists them in AWSSDK.Core 4.1.0 (field name, system name), which
    /// follows the SDK's endpoints.json. Checked against AWS "Regions and Availability Zones", November 2025.
    /// </summary>
    private static readonly string[,] Aws =
    {
        { "USEast1", "us-east-1" }, { "USEast2", "us-east-2" }, { "USWest1", "us-west-1" }, { "USWest2", "us-west-2" },
        { "AFSouth1", "af-south-1" },
        { "APEast1", "ap-east-1" }, { "APEast2", "ap-east-2" },
        { "APNortheast1", "ap-northeast-1" }, { "APNortheast2", "ap-northeast-2" }, { "APNortheast3", "ap-northeast-3" },
        { "APSouth1", "ap-south-1" }, { "APSouth2", "ap-south-2" },
        { "APSoutheast1", "ap-southeast-1" }, { "APSoutheast2", "ap-southeast-2" }, { "APSoutheast3", "ap-southeast-3" },
        { "APSoutheast4", "ap-southeast-4" }, { "APSoutheast5", "ap-southeast-5" }, { "APSoutheast6", "ap-southeast-6" },
        { "APSoutheast7", "ap-southeast-7" },
        { "CACentral1", "ca-central-1" }, { "CAWest1", "ca-west-1" },
        { "EUCentral1", "eu-central-1" }, { "EUCentral2", "eu-central-2" }, { "EUNorth1", "eu-north-1" },
        { "EUSouth1", "eu-south-1" }, { "EUSouth2", "eu-south-2" },
        { "EUWest1", "eu-west-1" }, { "EUWest2", "eu-west-2" }, { "EUWest3", "eu-west-3" },
        { "ILCentral1", "il-central-1" },
        { "MECentral1", "me-central-1" }, { "MESouth1", "me-south-1" }, { "MEWest1", "me-west-1" },
        { "MXCentral1", "mx-central-1" },
        { "SAEast1", "sa-east-1" }, { "SAWest1", "sa-west-1" },
        { "CNNorth1", "cn-north-1" }, { "CNNorthWest1", "cn-northwest-1" },
        { "USGovCloudEast1", "us-gov-east-1" }, { "USGovCloudWest1", "us-gov-west-1" },
        { "EUSCDeEast1", "eusc-de-east-1" },
        { "USIsoEast1", "us-iso-east-1" }, { "USIsoWest1", "us-iso-west-1" },
        { "USIsobEast1", "us-isob-east-1" }, { "USIsobWest1", "us-isob-west-1" },
        { "USIsofEast1", "us-isof-east-1" }, { "USIsofSouth1", "us-isof-south-1" },
        { "EUIsoeWest1", "eu-isoe-west-1" },
    };

    /// <summary>
    /// Azure: the physical regions of <c>Azure.Core.AzureLocation</c> in Azure.Core 1.64.0 (the property name
    /// lower-cased is the region name), plus regions of <c>az account list-locations</c> that it does not list yet.
    /// Geographies (<c>europe</c>, <c>us</c>) and <c>global</c> are not regions and are left out on purpose.
    /// </summary>
    private static readonly string[] Azure =
    {
        "eastasia", "southeastasia", "centralus", "eastus", "eastus2", "westus", "westus2", "westus3",
        "northcentralus", "southcentralus", "westcentralus", "northeurope", "westeurope", "japanwest", "japaneast",
        "brazilsouth", "brazilsoutheast", "australiaeast", "australiasoutheast", "australiacentral", "australiacentral2",
        "southindia", "centralindia", "westindia", "jioindiawest", "jioindiacentral", "canadacentral", "canadaeast",
        "uksouth", "ukwest", "koreacentral", "koreasouth", "francecentral", "francesouth", "uaecentral", "uaenorth",
        "southafricanorth", "southafricawest", "swedencentral", "swedensouth", "switzerlandnorth", "switzerlandwest",
        "germanynorth", "germanywestcentral", "germanycentral", "germanynortheast", "norwaywest", "norwayeast",
        "chinanorth", "chinaeast", "chinanorth2", "chinanorth3", "chinaeast2", "chinaeast3", "qatarcentral",
        "usdodcentral", "usdodeast", "usgovarizona", "usgovtexas", "usgovvirginia", "usgoviowa", "israelcentral",
        "italynorth", "polandcentral", "mexicocentral", "spaincentral", "indonesiacentral", "newzealandnorth",
        "malaysiawest", "denmarkeast", "chilecentral", "belgiumcentral", "austriaeast",
    };

    /// <summary>Google Cloud: the regions of "Cloud locations" (cloud.google.com/about/locations), November 2025.</summary>
    private static readonly string[] GoogleCloud =
    {
        "africa-south1", "asia-east1", "asia-east2", "asia-northeast1", "asia-northeast2", "asia-northeast3",
        "asia-south1", "asia-south2", "asia-southeast1", "asia-southeast2", "australia-southeast1", "australia-southeast2",
        "europe-central2", "europe-north1", "europe-north2", "europe-southwest1", "europe-west1", "europe-west2",
        "europe-west3", "europe-west4", "europe-west6", "europe-west8", "europe-west9", "europe-west10", "europe-west12",
        "me-central1", "me-central2", "me-west1", "northamerica-northeast1", "northamerica-northeast2",
        "northamerica-south1", "southamerica-east1", "southamerica-west1", "us-central1", "us-east1", "us-east4",
        "us-east5", "us-south1", "us-west1", "us-west2", "us-west3", "us-west4",
    };

    /// <summary>
    /// The shape of every AWS region code: the partition regexes <c>RegionEndpoint.AllPartitionRegionRegex</c>
    /// returns in AWSSDK.Core 4.1.0, with the direction words spelled out so that words like <c>us-any-1</c> do not match.
    /// </summary>
    private static readonly Regex AwsShape = new(
        @"^(?:(?:us|eu|ap|sa|ca|me|af|il|mx|cn)|us-gov|us-iso[bfe]?|eu-isoe|eusc-de)-(?:east|west|north|south|central|northeast|northwest|southeast|southwest)-\d{1,2}$",
        RegexOptions.CultureInvariant);

    /// <summary>The shape of a Google Cloud region code, e.g. <c>us-central1</c>, <c>europe-west12</c>.</summary>
    private static readonly Regex GoogleCloudShape = new(
        @"^(?:us|europe|asia|australia|northamerica|southamerica|me|africa)-(?:east|west|north|south|central|northeast|northwest|southeast|southwest)\d{1,2}$",
        RegexOptions.CultureInvariant);

    private static readonly Dictionary<string, CloudProvider> Codes = BuildCodes();

    private static readonly Dictionary<string, string> AwsFieldNames = BuildAwsFieldNames();

    /// <summary>Every AWS region code in the table.</summary>
    public static IEnumerable<string> AwsCodes
    {
        get
        {
            for (var i = 0; i < Aws.GetLength(0); i++)
            {
                yield return Aws[i, 1];
            }
        }
    }

    public static IReadOnlyList<string> AzureCodes => Azure;

    public static IReadOnlyList<string> GoogleCloudCodes => GoogleCloud;

    /// <summary>The provider of an exact, lower-case region code: from the table, or of AWS or Google Cloud shape.</summary>
    public static CloudProvider? ProviderOf(string code)
    {
        if (code.Length < 4 || code.Length > 24)
        {
            return null;
        }

        // Every code and both shapes are lower-case letters, digits and hyphens: most strings fail on a character at once,
        // before a hash or a regex.
        foreach (var c in code)
        {
            if (c is not ((>= 'a' and <= 'z') or (>= '0' and <= '9') or '-'))
            {
                return null;
            }
        }

        if (Codes.TryGetValue(code, out var provider))
        {
            return provider;
        }

        // Both shapes end in a digit: most hyphenated words (command names, header names) fail here, before a regex.
        if (code.IndexOf('-') < 0 || code[code.Length - 1] is < '0' or > '9')
        {
            return null;
        }

        if (AwsShape.IsMatch(code))
        {
            return CloudProvider.Aws;
        }

        return GoogleCloudShape.IsMatch(code) ? CloudProvider.GoogleCloud : null;
    }

    /// <summary>
    /// The region code a short literal names: the code itself, or an Azure display name (<c>"West Europe"</c>,
    /// <c>"East US 2"</c>, as Cosmos DB's <c>Regions</c> constants spell them) reduced to its code.
    /// </summary>
    public static RegionMention? Parse(string text)
    {
        if (ProviderOf(text) is { } provider)
        {
            return new RegionMention(provider, text);
        }

        if (text.Length < 6 || text.Length > 32 || text.IndexOf(' ') < 0)
        {
            return null;
        }

        foreach (var c in text)
        {
            if (c != ' ' && !char.IsLetterOrDigit(c))
            {
                return null;
            }
        }

        var name = text.Replace(" ", string.Empty).ToLowerInvariant();
        return Codes.TryGetValue(name, out var azure) && azure == CloudProvider.Azure ? new RegionMention(CloudProvider.Azure, name) : null;
    }

    /// <summary>True when <paramref name="code"/> is a region of <paramref name="provider"/>.</summary>
    public static bool IsRegion(string code, CloudProvider provider) => ProviderOf(code) == provider;

    /// <summary>The system name of a <c>RegionEndpoint</c> field (<c>USEast1</c> ⇒ <c>us-east-1</c>); the field name lower-cased when it is not in the table.</summary>
    public static string AwsCodeOfField(string fieldName)
        => AwsFieldNames.TryGetValue(fieldName, out var code) ? code : fieldName.ToLowerInvariant();

    /// <summary>The system name of a <c>RegionEndpoint</c> field in the table.</summary>
    public static bool TryGetAwsCodeOfField(string fieldName, out string code)
    {
        if (AwsFieldNames.TryGetValue(fieldName, out var found))
        {
            code = found;
            return true;
        }

        code = string.Empty;
        return false;
    }

    private static Dictionary<string, CloudProvider> BuildCodes()
    {
        var codes = new Dictionary<string, CloudProvider>(StringComparer.Ordinal);
        for (var i = 0; i < Aws.GetLength(0); i++)
        {
            codes[Aws[i, 1]] = CloudProvider.Aws;
        }

        foreach (var code in Azure)
        {
            codes[code] = CloudProvider.Azure;
        }

        foreach (var code in GoogleCloud)
        {
            codes[code] = CloudProvider.GoogleCloud;
        }

        return codes;
    }

    private static Dictionary<string, string> BuildAwsFieldNames()
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < Aws.GetLength(0); i++)
        {
            names[Aws[i, 0]] = Aws[i, 1];
        }

        return names;
    }
}
