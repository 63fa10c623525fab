namespace ResilienceAnalyzers.Retry;

/// <summary>Keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> that carry what RES007 found on a factory client's handler to its fix.</summary>
public static class FactoryClientFixHintKeys
{
    /// <summary>Which rewrite the handler registration takes; present only when one is right.</summary>
    public const string Fix = "FactoryClientFix";

    /// <summary><see cref="Fix"/>: the standard handler gets <c>options.Retry.DisableForUnsafeHttpMethods()</c>.</summary>
    public const string DisableForUnsafeHttpMethods = "DisableForUnsafeHttpMethods";
}
