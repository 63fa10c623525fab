namespace ResilienceAnalyzers.Retry;

/// <summary>Keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> that carry what the retry family found (RES001-RES003) to its code fixes.</summary>
public static class RetryFixHintKeys
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

    /// <summary>Library settings: span (<c>start,length</c>) of the retry count the RES001 fix replaces.</summary>
    public const string CountPosition = "CountPosition";

    /// <summary>Library settings: the count the RES001 fix writes is this many less than the attempts (1 when the setting counts the first attempt too).</summary>
    public const string CountsFirstAttempt = "CountsFirstAttempt";

    /// <summary>MassTransit: span (<c>start,length</c>) of an <c>Immediate</c> or <c>Interval</c> call the RES002 fix rewrites to <c>Exponential</c>.</summary>
    public const string RetryPolicyCall = "RetryPolicyCall";

    /// <summary>Library settings: span (<c>start,length</c>) of a setting value the RES002 or RES003 fix replaces, and what with.</summary>
    public const string ReplaceSpan = "ReplaceSpan";

    /// <summary>Library settings: the member (<c>Type.Member</c>, metadata name of the type, then the member) the fix writes at <see cref="ReplaceSpan"/>.</summary>
    public const string ReplaceWith = "ReplaceWith";

    /// <summary>RES004: span start and length (<c>start,length</c>) of the growing delay expression the fix caps.</summary>
    public const string GrowthSpan = "GrowthSpan";

    /// <summary>Polly v8: comma-separated settings (<c>BackoffType</c>, <c>UseJitter</c>) whose default is at fault and that the fix adds.</summary>
    public const string MissingSettings = "MissingSettings";
}
