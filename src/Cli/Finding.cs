using Microsoft.CodeAnalysis;

namespace ResilienceAnalyzers.Cli;

/// <summary>One diagnostic, with its file relative to the scanned root for reports.</summary>
internal sealed record Finding(Diagnostic Diagnostic, string FullPath, string RelativePath)
{
    /// <summary>A finding about the configuration (RES000), with no place in a source file.</summary>
    public const string ConfigurationPath = "(configuration)";

    public bool InSource => Diagnostic.Location.IsInSource;

    public FileLinePositionSpan Span => Diagnostic.Location.GetLineSpan();

    public int Line => Span.StartLinePosition.Line + 1;

    public int Column => Span.StartLinePosition.Character + 1;
}
