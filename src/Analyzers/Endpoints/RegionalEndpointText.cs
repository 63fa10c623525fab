using System;

namespace ResilienceAnalyzers.Endpoints;

/// <summary>A region named in code: which provider, which region code.</summary>
public readonly struct RegionMention
{
    public RegionMention(CloudProvider provider, string code)
    {
        Provider = provider;
        Code = code;
    }

    public CloudProvider Provider { get; }

    public string Code { get; }
}

/// <summary>
/// Finds a regional endpoint in the text of a string literal: a host of a cloud's service domain with a
/// region code among its labels, or a Google Cloud API path naming <c>locations/&lt;region&gt;</c>.
/// A cheap substring test runs before any splitting; global endpoints, documentation links, emulators and
/// prose (text with white space) never match.
/// </summary>
internal static class RegionalEndpointText
{
    /// <summary>Stands for an interpolation hole whose value is not known: it can be part of a host label but never a region.</summary>
    public const char Hole = '\u0001';

    /// <summary>Service domains whose hosts may name a region, by provider. Checked as host suffixes.</summary>
    private static readonly string[] AwsDomains = { ".amazonaws.com", ".amazonaws.com.cn", ".api.aws", ".on.aws" };

    private static readonly string[] AzureDomains =
    {
        ".azure.com", ".azure.net", ".windows.net", ".microsoft.com", ".azure.cn", ".chinacloudapi.cn", ".usgovcloudapi.net",
        ".azure.us", ".azmk8s.io", ".azurecontainer.io", ".azuredatabricks.net", ".azurewebsites.net", ".azure-api.net",
        ".cloudapp.net", ".azureml.net", ".azureml.ms",
    };

    private static readonly string[] GoogleDomains = { ".googleapis.com", ".cloudfunctions.net", ".pkg.dev" };

    /// <summary>
    /// Substrings one of which every match contains, in lower case; anything else is rejected at once. Indexed by first
    /// character, so one pass over a text compares only where a substring may start (every string literal of a compilation
    /// goes through this test).
    /// </summary>
    private static readonly string[]?[] PreFilterByFirst = IndexByFirstCharacter(
        "amazonaws", ".aws", "azure", "windows.net", "microsoft.com", "chinacloudapi", "usgovcloudapi", "azmk8s",
        "cloudapp", "googleapis", "cloudfunctions", "pkg.dev", "locations/");

    /// <summary>The region of the first regional endpoint in <paramref name="text"/>, if any.</summary>
    public static RegionMention? Find(string text)
    {
        if (!MayBeAnEndpoint(text))
        {
            return null;
        }

        var lower = text.ToLowerInvariant();
        var sawHost = false;
        var sawGoogleHost = false;
        var start = 0;
        for (var i = 0; i <= lower.Length; i++)
        {
            if (i < lower.Length && IsHostChar(lower[i]))
            {
                continue;
            }

            if (i - start >= 4)
            {
                var token = lower.Substring(start, i - start);
                if (token.IndexOf('.') > 0)
                {
                    var host = token.Trim('.');
                    if (LooksLikeHost(host))
                    {
                        sawHost = true;
                        sawGoogleHost |= EndsWithAny(host, GoogleDomains);
                        if (FindInHost(host) is { } mention)
                        {
                            return mention;
                        }
                    }
                }
            }

            start = i + 1;
        }

        // A resource path, either alone ("projects/p/locations/us-central1") or on a Google API host.
        return !sawHost || sawGoogleHost ? FindLocationsPath(lower) : null;
    }

    /// <summary>White space outside a connection string (<c>Server=...;User Id=...</c> keeps its keys' spaces).</summary>
    private static bool IsProse(string text)
    {
        var connectionString = text.IndexOf('=') > 0 && text.IndexOf(';') > 0;
        foreach (var c in text)
        {
            if (c is '\n' or '\r' or '\t' || (c == ' ' && !connectionString))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The tests that need no parsing: long enough, holding one of the substrings every endpoint has, and not prose (an error
    /// message or a log line that names an endpoint is not a call to it). <see cref="Find"/> looks no further when false.
    /// </summary>
    public static bool MayBeAnEndpoint(string text) => text.Length >= 10 && PassesPreFilter(text) && !IsProse(text);

    /// <summary>The cheap test alone: false when <paramref name="text"/> cannot be part of a regional endpoint.</summary>
    public static bool PassesPreFilter(string text)
    {
        for (var i = 0; i + 1 < text.Length; i++)
        {
            // ASCII letters compared in lower case by setting the case bit; '.', '/' and digits have it set already.
            if (text[i] >= 128 || PreFilterByFirst[text[i] | 0x20] is not { } needles)
            {
                continue;
            }

            foreach (var needle in needles)
            {
                if ((text[i + 1] | 0x20) == needle[1] && needle.Length <= text.Length - i
                    && string.Compare(text, i, needle, 0, needle.Length, StringComparison.OrdinalIgnoreCase) == 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string[]?[] IndexByFirstCharacter(params string[] needles)
    {
        var index = new string[]?[128];
        foreach (var needle in needles)
        {
            var first = needle[0];
            index[first] = index[first] is { } others ? [.. others, needle] : [needle];
        }

        return index;
    }

    private static bool IsHostChar(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or '-' or Hole;

    /// <summary>At least two labels and a top-level label of letters (not an IP address or a version number).</summary>
    private static bool LooksLikeHost(string host)
    {
        var lastDot = host.LastIndexOf('.');
        if (lastDot <= 0 || lastDot == host.Length - 1)
        {
            return false;
        }

        for (var i = lastDot + 1; i < host.Length; i++)
        {
            if (host[i] is < 'a' or > 'z')
            {
                return false;
            }
        }

        return true;
    }

    private static RegionMention? FindInHost(string host)
    {
        if (host is "localhost" || host.EndsWith(".localhost", StringComparison.Ordinal) || host.EndsWith("localstack.cloud", StringComparison.Ordinal))
        {
            return null;
        }

        if (EndsWithAny(host, AwsDomains))
        {
            return FindLabel(host, CloudProvider.Aws);
        }

        if (EndsWithAny(host, AzureDomains))
        {
            return FindLabel(host, CloudProvider.Azure);
        }

        return EndsWithAny(host, GoogleDomains) ? FindLabel(host, CloudProvider.GoogleCloud) : null;
    }

    /// <summary>A label that is a region of <paramref name="provider"/>, in the forms that provider uses.</summary>
    private static RegionMention? FindLabel(string host, CloudProvider provider)
    {
        var labels = host.Split('.');

        // The last two labels are the service domain itself (amazonaws.com, windows.net, googleapis.com).
        for (var i = 0; i < labels.Length - 2; i++)
        {
            var label = labels[i];
            if (label.Length < 4)
            {
                continue;
            }

            if (RegionCatalog.IsRegion(label, provider))
            {
                return new RegionMention(provider, label);
            }

            var candidate = provider switch
            {
                // s3-us-west-2.amazonaws.com, s3-website-us-east-1.amazonaws.com (the older dash-style S3 hosts).
                CloudProvider.Aws => AfterPrefix(label, "s3-website-") ?? AfterPrefix(label, "s3-"),

                // westeurope-5.in.applicationinsights.azure.com, name-westeurope-01.regional.azure-api.net,
                // account-westeurope.documents.azure.com (Cosmos DB regional endpoints).
                CloudProvider.Azure => AzureLabelRegion(label),

                // us-central1-aiplatform.googleapis.com, us-central1-docker.pkg.dev, us-central1-project.cloudfunctions.net.
                _ => GoogleLabelRegion(label),
            };
            if (candidate is not null && RegionCatalog.IsRegion(candidate, provider))
            {
                return new RegionMention(provider, candidate);
            }
        }

        return null;
    }

    private static string? AfterPrefix(string label, string prefix)
        => label.StartsWith(prefix, StringComparison.Ordinal) ? label.Substring(prefix.Length) : null;

    private static string? AzureLabelRegion(string label)
    {
        // <region>-<digits>
        var dash = label.LastIndexOf('-');
        if (dash > 0 && IsDigits(label, dash + 1))
        {
            var head = label.Substring(0, dash);
            var inner = head.LastIndexOf('-');
            return inner >= 0 && RegionCatalog.IsRegion(head.Substring(inner + 1), CloudProvider.Azure) ? head.Substring(inner + 1) : head;
        }

        // <account>-<region>
        return dash > 0 ? label.Substring(dash + 1) : null;
    }

    private static string? GoogleLabelRegion(string label)
    {
        // The region is the first two dash-separated parts: us-central1-aiplatform ⇒ us-central1.
        var first = label.IndexOf('-');
        var second = first < 0 ? -1 : label.IndexOf('-', first + 1);
        return second > 0 ? label.Substring(0, second) : null;
    }

    private static RegionMention? FindLocationsPath(string lower)
    {
        const string Marker = "locations/";
        for (var index = lower.IndexOf(Marker, StringComparison.Ordinal); index >= 0; index = lower.IndexOf(Marker, index + Marker.Length, StringComparison.Ordinal))
        {
            if (index > 0 && lower[index - 1] != '/')
            {
                continue;
            }

            var start = index + Marker.Length;
            var end = start;
            while (end < lower.Length && lower[end] is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-')
            {
                end++;
            }

            var segment = lower.Substring(start, end - start);
            if (RegionCatalog.IsRegion(segment, CloudProvider.GoogleCloud))
            {
                return new RegionMention(CloudProvider.GoogleCloud, segment);
            }
        }

        return null;
    }

    private static bool EndsWithAny(string host, string[] suffixes)
    {
        foreach (var suffix in suffixes)
        {
            if (host.EndsWith(suffix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDigits(string text, int start)
    {
        if (start >= text.Length)
        {
            return false;
        }

        for (var i = start; i < text.Length; i++)
        {
            if (text[i] is < '0' or > '9')
            {
                return false;
            }
        }

        return true;
    }
}
