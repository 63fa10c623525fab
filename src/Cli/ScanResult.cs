using Microsoft.CodeAnalysis;

namespace ResilienceAnalyzers.Cli;

/// <summary>Everything a report prints.</summary>
internal sealed record ScanResult(
    string Root,
    string Mode,
    int Files,
    int Lines,
    IReadOnlyList<DiagnosticDescriptor> Rules,
    IReadOnlyList<Finding> Findings,
    AnalyzerSet Ours,
    TimingResult? Timing)
{
    public IEnumerable<IGrouping<string, Finding>> ByRule => Findings
        .OrderBy(f => f.Diagnostic.Id, StringComparer.Ordinal)
        .ThenBy(f => f.RelativePath, StringComparer.Ordinal)
        .ThenBy(f => f.Line)
        .ThenBy(f => f.Column)
        .GroupBy(f => f.Diagnostic.Id);

    public string Title(string id) => Rules.FirstOrDefault(r => r.Id == id)?.Title.ToString() ?? id;
}
