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

    /// <summary>Packages the project files name that folder mode could not find in the local cache.</summary>
    public IReadOnlyList<string> Unresolved { get; init; } = Array.Empty<string>();

    /// <summary>
    /// Exceptions thrown by one of our analyzers (AD0001): a build would show them as warnings and lose that analyzer's
    /// findings for the whole compilation, so a scan says so rather than report less in silence.
    /// </summary>
    public IReadOnlyList<string> AnalyzerFailures { get; init; } = Array.Empty<string>();

    /// <summary>Findings left out because the <c>--baseline</c> log has them.</summary>
    public int KnownFromBaseline { get; init; }

    public string Title(string id) => Rules.FirstOrDefault(r => r.Id == id)?.Title.ToString() ?? id;
}
