using System.Text;

namespace ResilienceAnalyzers.Cli;

/// <summary>Markdown for pull-request comments and job summaries: a table per rule.</summary>
internal static class MarkdownReport
{
    public static string Write(ScanResult result)
    {
        var text = new StringBuilder();
        text.AppendLine("# Resilience scan");
        text.AppendLine();
        foreach (var line in Summary.Lines(result))
        {
            text.AppendLine(line.StartsWith("  ", StringComparison.Ordinal) ? "- " + line.Trim() : line);
        }

        foreach (var rule in result.ByRule)
        {
            text.AppendLine();
            text.AppendLine($"## {rule.Key} {result.Title(rule.Key)} ({rule.Count()})");
            text.AppendLine();
            text.AppendLine("| File | Line | Message |");
            text.AppendLine("|---|---|---|");
            foreach (var finding in rule)
            {
                var message = finding.Diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture).Replace("|", "\\|");
                text.AppendLine($"| {finding.RelativePath} | {(finding.InSource ? finding.Line : "")} | {message} |");
            }
        }

        if (result.Timing is not null)
        {
            text.AppendLine();
            text.AppendLine("## Timing");
            text.AppendLine();
            text.AppendLine("```");
            foreach (var line in new TimingSummary(result.Timing, result.Ours).Lines())
            {
                text.AppendLine(line);
            }

            text.AppendLine("```");
        }

        return text.ToString();
    }
}
