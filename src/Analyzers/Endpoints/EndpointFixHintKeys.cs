namespace ResilienceAnalyzers.Endpoints;

/// <summary>Keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> that carry what the endpoint family found (RES020, RES021, RES022) to its code fixes.</summary>
public static class EndpointFixHintKeys
{
    /// <summary>
    /// RES020/RES021: the rewrite the fixer should make (<c>DropRegionArgument</c>, <c>NewHandler</c>,
    /// <c>ReplaceHandler</c>, <c>AddLifetime</c>, <c>FiniteHandlerLifetime</c>); absent when no rewrite is safe.
    /// </summary>
    public const string Rewrite = "Rewrite";

    /// <summary>RES021: span start of the handler creation that the fix rewrites.</summary>
    public const string HandlerPosition = "HandlerPosition";

    /// <summary>RES022: present when the HttpClient can move to a <c>static readonly</c> field as it is (constant settings, used only to send).</summary>
    public const string HoistToField = "HoistToField";
}
