using System.Text;
using System.Text.Json;
using Microsoft.CodeAnalysis;

namespace ResilienceAnalyzers.Cli;

/// <summary>
/// SARIF 2.1.0 in the shape the compiler's ErrorLog writes (-errorlog:file,version=2.1): one run, the tool's
/// rules with descriptions, help link and category, results with 1-based line and column regions.
/// </summary>
internal static class SarifReport
{
    public static string Write(ScanResult result)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", "http://json.schemastore.org/sarif-2.1.0");
            json.WriteString("version", "2.1.0");
            json.WriteStartArray("runs");
            json.WriteStartObject();

            // File locations are relative to the scanned root (SRCROOT), so a log uploaded from CI matches the
            // repository's paths on any machine; the root itself is recorded once.
            json.WriteStartObject("originalUriBaseIds");
            json.WriteStartObject(SourceRoot);
            json.WriteString("uri", new Uri(Path.TrimEndingDirectorySeparator(Path.GetFullPath(result.Root)) + Path.DirectorySeparatorChar).AbsoluteUri);
            json.WriteEndObject();
            json.WriteEndObject();

            var rules = result.Rules.ToList();
            json.WriteStartArray("results");
            foreach (var finding in result.Findings.OrderBy(f => f.RelativePath, StringComparer.Ordinal).ThenBy(f => f.Line).ThenBy(f => f.Column))
            {
                WriteResult(json, finding, rules.FindIndex(r => r.Id == finding.Diagnostic.Id));
            }

            json.WriteEndArray();

            // What the scan could not see, where SARIF viewers show a tool's own warnings.
            json.WriteStartArray("invocations");
            json.WriteStartObject();
            json.WriteBoolean("executionSuccessful", result.AnalyzerFailures.Count == 0);
            if (result.Unresolved.Count > 0 || result.AnalyzerFailures.Count > 0)
            {
                json.WriteStartArray("toolExecutionNotifications");
                foreach (var failure in result.AnalyzerFailures)
                {
                    WriteNotification(json, "error", "Analyzer failure: " + failure);
                }

                if (result.Unresolved.Count > 0)
                {
                    WriteNotification(
                        json,
                        "warning",
                        $"Not in the local package cache, so their types did not resolve: {string.Join(", ", result.Unresolved)}. Restore the projects and scan again for complete results.");
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
            json.WriteEndArray();

            json.WriteStartObject("tool");
            json.WriteStartObject("driver");
            json.WriteString("name", result.Ours.Name);
            json.WriteString("version", result.Ours.Version);
            json.WriteString("semanticVersion", result.Ours.Version);
            json.WriteString("language", "en-US");
            json.WriteStartArray("rules");
            foreach (var rule in rules)
            {
                WriteRule(json, rule);
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteString("columnKind", "utf16CodeUnits");
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private const string SourceRoot = "SRCROOT";

    private static void WriteResult(Utf8JsonWriter json, Finding finding, int ruleIndex)
    {
        var diagnostic = finding.Diagnostic;
        json.WriteStartObject();
        json.WriteString("ruleId", diagnostic.Id);
        if (ruleIndex >= 0)
        {
            json.WriteNumber("ruleIndex", ruleIndex);
        }

        json.WriteString("level", Level(diagnostic.Severity));
        json.WriteStartObject("message");
        json.WriteString("text", diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture));
        json.WriteEndObject();
        if (finding.InSource)
        {
            json.WriteStartArray("locations");
            json.WriteStartObject();
            json.WriteStartObject("physicalLocation");
            json.WriteStartObject("artifactLocation");
            if (finding.RelativePath.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(finding.RelativePath))
            {
                // A file outside the scanned root (a linked source): only an absolute URI names it.
                json.WriteString("uri", new Uri(finding.FullPath).AbsoluteUri);
            }
            else
            {
                json.WriteString("uri", string.Join("/", finding.RelativePath.Split('/').Select(Uri.EscapeDataString)));
                json.WriteString("uriBaseId", SourceRoot);
            }

            json.WriteEndObject();
            var span = finding.Span;
            json.WriteStartObject("region");
            json.WriteNumber("startLine", span.StartLinePosition.Line + 1);
            json.WriteNumber("startColumn", span.StartLinePosition.Character + 1);
            json.WriteNumber("endLine", span.EndLinePosition.Line + 1);
            json.WriteNumber("endColumn", span.EndLinePosition.Character + 1);
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndArray();
        }

        json.WriteStartObject("partialFingerprints");
        json.WriteString(Baseline.FingerprintKey, Baseline.Fingerprint(finding));
        json.WriteEndObject();
        json.WriteStartObject("properties");
        json.WriteNumber("warningLevel", diagnostic.WarningLevel);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteRule(Utf8JsonWriter json, DiagnosticDescriptor rule)
    {
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        json.WriteStartObject();
        json.WriteString("id", rule.Id);
        json.WriteStartObject("shortDescription");
        json.WriteString("text", rule.Title.ToString(culture));
        json.WriteEndObject();
        json.WriteStartObject("fullDescription");
        json.WriteString("text", rule.Description.ToString(culture));
        json.WriteEndObject();
        json.WriteString("helpUri", rule.HelpLinkUri);
        json.WriteStartObject("properties");
        json.WriteString("category", rule.Category);
        json.WriteStartArray("tags");
        foreach (var tag in rule.CustomTags)
        {
            json.WriteStringValue(tag);
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static string Level(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        _ => "note",
    };

    private static void WriteNotification(Utf8JsonWriter json, string level, string text)
    {
        json.WriteStartObject();
        json.WriteString("level", level);
        json.WriteStartObject("message");
        json.WriteString("text", text);
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
