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

    /// <summary>RES010: the unit of the bounded value the fix writes (<c>TimeSpan</c>, <c>Seconds</c>, <c>Milliseconds</c>, <c>ConnectionString</c>); absent when no single rewrite is right.</summary>
    public const string TimeoutUnit = "TimeoutUnit";

    /// <summary>RES010: <c>Http</c> for HTTP timeouts (100 s by default), <c>Other</c> for commands and everything else (30 s).</summary>
    public const string TimeoutDomain = "TimeoutDomain";

    /// <summary>RES011: how the fix adds a deadline (<c>AddArgument</c>, <c>ReplaceArgument</c>, <c>CallOptionsCreation</c>, <c>CallOptionsDefault</c>, <c>WithDeadline</c>).</summary>
    public const string DeadlineFix = "DeadlineFix";

    /// <summary>Span start of the expression the fix rewrites (RES010: the infinite value; RES011: the argument or CallOptions).</summary>
    public const string ValueStart = "ValueStart";

    /// <summary>Span length of the expression at <see cref="ValueStart"/>.</summary>
    public const string ValueLength = "ValueLength";
}
