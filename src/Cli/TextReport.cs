using System.Text;

namespace ResilienceAnalyzers.Cli;

/// <summary>Plain text: findings grouped by rule, then file (each with its line, column and severity), then a summary.</summary>
internal static class TextReport
{
    public static string Write(ScanResult result)
    {
        var text = new StringBuilder();
        foreach (var rule in result.ByRule)
        {
            text.AppendLine($"{rule.Key} {result.Title(rule.Key)} ({rule.Count()})");
            foreach (var file in rule.GroupBy(f => f.RelativePath))
            {
                text.AppendLine($"  {file.Key}");
                foreach (var finding in file)
                {
                    var severity = finding.Diagnostic.Severity.ToString().ToLowerInvariant();
                    var position = finding.InSource ? $"{finding.Line}:{finding.Column} " : "";
                    text.AppendLine($"    {position}{severity}: {finding.Diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
                }
            }

            text.AppendLine();
        }

        foreach (var line in Summary.Lines(result))
        {
            text.AppendLine(line);
        }

        if (result.Timing is not null)
        {
            text.AppendLine();
            foreach (var line in new TimingSummary(result.Timing, result.Ours).Lines())
            {
                text.AppendLine(line);
            }
        }

        return text.ToString();
    }
}
