using Microsoft.CodeAnalysis;

namespace ResilienceAnalyzers.Libraries;

/// <summary>How library recognisers write spans into fix hints: <c>start,length</c>, invariant.</summary>
internal static class LibraryFixHints
{
    public static string Span(SyntaxNode node)
        => string.Format(System.Globalization.CultureInfo.InvariantCulture, "{0},{1}", node.SpanStart, node.Span.Length);
}
