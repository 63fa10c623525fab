namespace ResilienceAnalyzers.Common;

/// <summary>Keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> that every family's fixes read alike; each family adds its own (<c>RetryFixHintKeys</c>, <c>TimeoutFixHintKeys</c>, <c>EndpointFixHintKeys</c>).</summary>
public static class FixHintKeys
{
    /// <summary>Span start of the expression the fix rewrites (RES010: the infinite value; RES011: the argument or CallOptions).</summary>
    public const string ValueStart = "ValueStart";

    /// <summary>Span length of the expression at <see cref="ValueStart"/>.</summary>
    public const string ValueLength = "ValueLength";
}
