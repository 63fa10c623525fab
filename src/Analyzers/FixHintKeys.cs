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

    /// <summary>Polly v7: index, in the call's argument list, of the retry count argument.</summary>
    public const string CountArgument = "CountArgument";

    /// <summary>Polly v7: index, in the call's argument list, of the sleep-duration provider or sleep durations.</summary>
    public const string DelayArgument = "DelayArgument";

    /// <summary>Polly v7: the number of retries, when it is known without a count argument (<c>Retry()</c>, a visible table).</summary>
    public const string RetryCount = "RetryCount";

    /// <summary>Polly v7: <c>true</c> for <c>RetryForever*</c> and <c>WaitAndRetryForever*</c>.</summary>
    public const string Forever = "Forever";

    /// <summary>Polly v8: span start of the options object creation, where the fix adds missing settings.</summary>
    public const string CreationPosition = "CreationPosition";

    /// <summary>Polly v8: span start of the <c>BackoffType</c> assignment whose value is at fault.</summary>
    public const string BackoffTypePosition = "BackoffTypePosition";

    /// <summary>Polly v8: span start of the <c>UseJitter = false</c> assignment.</summary>
    public const string UseJitterPosition = "UseJitterPosition";

    /// <summary>Polly v8: span start of the <c>Delay = TimeSpan.Zero</c> assignment.</summary>
    public const string DelaySettingPosition = "DelaySettingPosition";

    /// <summary>Polly v8: comma-separated settings (<c>BackoffType</c>, <c>UseJitter</c>) whose default is at fault and that the fix adds.</summary>
    public const string MissingSettings = "MissingSettings";

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

    /// <summary>
    /// RES020/RES021: the rewrite the fixer should make (<c>DropRegionArgument</c>, <c>NewHandler</c>,
    /// <c>ReplaceHandler</c>, <c>AddLifetime</c>, <c>FiniteHandlerLifetime</c>); absent when no rewrite is safe.
    /// </summary>
    public const string Rewrite = "Rewrite";

    /// <summary>RES021: span start of the handler creation that the fix rewrites.</summary>
    public const string HandlerPosition = "HandlerPosition";
}
