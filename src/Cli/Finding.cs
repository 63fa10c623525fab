using Microsoft.CodeAnalysis;

namespace ResilienceAnalyzers.Cli;

/// <summary>One diagnostic, with its file relative to the scanned root for reports.</summary>
internal sealed record Finding(Diagnostic Diagnostic, string FullPath, string RelativePath)
{
    public FileLinePositionSpan Span => Diagnostic.Location.GetLineSpan();

    public int Line => Span.StartLinePosition.Line + 1;

    public int Column => Span.StartLinePosition.Character + 1;
}
