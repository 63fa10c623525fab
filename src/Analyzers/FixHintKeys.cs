namespace ResilienceAnalyzers;

/// <summary>Keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> that carry what the analyzer found to the code fixes.</summary>
public static class FixHintKeys
{
    /// <summary>The construct kind (<c>Loop</c>, <c>Goto</c>, <c>Recursion</c>, <c>PollyV7</c>, <c>PollyV8</c>).</summary>
    public const string Construct = "Construct";

    /// <summary>Span start of the try statement whose failure repeats.</summary>
    public const string TryPosition = "TryPosition";

    /// <summary>Comma-separated indexes of the catch clauses that go round again.</summary>
    public const string FailureCatches = "FailureCatches";

    /// <summary>Name of the local that counts attempts, when there is one.</summary>
    public const string Counter = "Counter";

    /// <summary>Span start of the one delay call on the failure path, when there is exactly one.</summary>
    public const string DelayPosition = "DelayPosition";

    /// <summary><c>true</c> when the failure path already waits somewhere.</summary>
    public const string HasDelay = "HasDelay";

    /// <summary><c>true</c> when the retry already has an attempt bound.</summary>
    public const string Bounded = "Bounded";

    /// <summary>Polly: which setting is at fault (<c>MaxRetryAttempts</c>, <c>BackoffType</c>, <c>Delay</c>, <c>UseJitter</c>, <c>DelayGenerator</c>, or <c>Default</c>).</summary>
    public const string Setting = "Setting";

    /// <summary>
    /// RES020/RES021: the rewrite the fixer should make (<c>DropRegionArgument</c>, <c>NewHandler</c>,
    /// <c>ReplaceHandler</c>, <c>AddLifetime</c>, <c>FiniteHandlerLifetime</c>); absent when no rewrite is safe.
    /// </summary>
    public const string Rewrite = "Rewrite";

    /// <summary>RES021: span start of the handler creation that the fix rewrites.</summary>
    public const string HandlerPosition = "HandlerPosition";
}
