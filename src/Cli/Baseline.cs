using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace ResilienceAnalyzers.Cli;

/// <summary>
/// <c>--baseline</c>: the findings of an earlier SARIF log, left out of this scan's report and exit code, so a team
/// can adopt the rules on an old codebase and fail CI only on new findings. A finding is the same as one in the
/// baseline when its rule, file and the text of its line match (<see cref="Fingerprint"/>): edits elsewhere in the
/// file move lines without making old findings new. A log without our fingerprints (the compiler's ErrorLog)
/// matches by rule, file and line.
/// </summary>
internal sealed class Baseline
{
    /// <summary>The <c>partialFingerprints</c> key our SARIF writes.</summary>
    public const string FingerprintKey = "resilienceLineHash/v1";

    private readonly Dictionary<string, int> _remaining;

    private Baseline(Dictionary<string, int> remaining)
    {
        _remaining = remaining;
    }

    /// <summary>Reads a SARIF log; file URIs are taken relative to <paramref name="root"/>, the folder being scanned.</summary>
    public static Baseline Load(string path, string root)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException exception)
        {
            throw new LoadException($"The baseline '{path}' is not a SARIF log: {exception.Message}");
        }

        var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
        using (document)
        {
            if (!document.RootElement.TryGetProperty("runs", out var runs) || runs.ValueKind != JsonValueKind.Array)
            {
                throw new LoadException($"The baseline '{path}' is not a SARIF log: it has no runs.");
            }

            foreach (var run in runs.EnumerateArray())
            {
                if (!run.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var result in results.EnumerateArray())
                {
                    if (KeyOf(result, root) is { } key)
                    {
                        remaining[key] = remaining.GetValueOrDefault(key) + 1;
                    }
                }
            }
        }

        return new Baseline(remaining);
    }

    /// <summary>The findings that are not in the baseline; each baseline entry matches at most one finding.</summary>
    public IReadOnlyList<Finding> New(IEnumerable<Finding> findings, out int known)
    {
        known = 0;
        var fresh = new List<Finding>();
        foreach (var finding in findings)
        {
            if (Take(Fingerprint(finding)) || Take(LocationKey(finding.Diagnostic.Id, finding.RelativePath, finding.Line)))
            {
                known++;
            }
            else
            {
                fresh.Add(finding);
            }
        }

        return fresh;
    }

    /// <summary>Rule, file and the whitespace-normalised text of the finding's line, hashed.</summary>
    public static string Fingerprint(Finding finding)
    {
        var line = finding.Diagnostic.Location.SourceTree is { } tree
            ? tree.GetText().Lines[finding.Line - 1].ToString()
            : finding.Diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        var normalized = string.Join(' ', line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{finding.Diagnostic.Id}|{finding.RelativePath}|{normalized}"));
        return "fp:" + Convert.ToHexString(hash, 0, 16);
    }

    private bool Take(string key)
    {
        if (_remaining.TryGetValue(key, out var count) && count > 0)
        {
            _remaining[key] = count - 1;
            return true;
        }

        return false;
    }

    private static string LocationKey(string ruleId, string relativePath, int line) => $"at:{ruleId}|{relativePath}|{line}";

    private static string? KeyOf(JsonElement result, string root)
    {
        if (result.TryGetProperty("partialFingerprints", out var fingerprints)
            && fingerprints.ValueKind == JsonValueKind.Object
            && fingerprints.TryGetProperty(FingerprintKey, out var fingerprint)
            && fingerprint.GetString() is { } value)
        {
            return value;
        }

        if (!result.TryGetProperty("ruleId", out var ruleId)
            || !result.TryGetProperty("locations", out var locations) || locations.ValueKind != JsonValueKind.Array || locations.GetArrayLength() == 0
            || !locations[0].TryGetProperty("physicalLocation", out var physical)
            || !physical.TryGetProperty("artifactLocation", out var artifact) || !artifact.TryGetProperty("uri", out var uri)
            || !physical.TryGetProperty("region", out var region) || !region.TryGetProperty("startLine", out var startLine))
        {
            return null;
        }

        var path = Uri.TryCreate(uri.GetString(), UriKind.Absolute, out var absolute) && absolute.IsFile
            ? Path.GetRelativePath(root, absolute.LocalPath).Replace('\\', '/')
            : Uri.UnescapeDataString(uri.GetString() ?? "");
        return LocationKey(ruleId.GetString() ?? "", path, startLine.GetInt32());
    }
}
