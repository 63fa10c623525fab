using Microsoft.CodeAnalysis;

namespace ResilienceAnalyzers.Common;

/// <summary>How the analyzers hand a syntax span to a code fix in a diagnostic's properties: <c>start,length</c>, invariant.</summary>
public static class FixHintSpan
{
    public static string Format(SyntaxNode node)
        => string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0},{1}", node.SpanStart, node.Span.Length);
}
