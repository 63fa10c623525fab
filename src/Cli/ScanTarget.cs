using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ResilienceAnalyzers.Cli;

/// <summary>One compilation to scan: a project in MSBuild mode, the whole folder in folder mode.</summary>
internal sealed record ScanTarget(string Name, Compilation Compilation, AnalyzerOptions AnalyzerOptions)
{
    /// <summary>The workspace project the compilation came from (MSBuild mode), for <c>--fix</c>.</summary>
    public Project? Project { get; init; }
}
