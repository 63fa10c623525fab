namespace ResilienceAnalyzers.Timeouts;

/// <summary>Keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> that carry what the timeout family found (RES010, RES011) to its code fixes.</summary>
public static class TimeoutFixHintKeys
{
    /// <summary>RES010: the unit of the bounded value the fix writes (<c>TimeSpan</c>, <c>Seconds</c>, <c>Milliseconds</c>, <c>ConnectionString</c>); absent when no single rewrite is right.</summary>
    public const string TimeoutUnit = "TimeoutUnit";

    /// <summary>RES010: <c>Http</c> for HTTP timeouts (100 s by default), <c>Other</c> for commands and everything else (30 s).</summary>
    public const string TimeoutDomain = "TimeoutDomain";

    /// <summary>RES011: how the fix adds a deadline (<c>AddArgument</c>, <c>ReplaceArgument</c>, <c>CallOptionsCreation</c>, <c>CallOptionsDefault</c>, <c>WithDeadline</c>).</summary>
    public const string DeadlineFix = "DeadlineFix";

    /// <summary>RES012: how the fix passes the token in scope (<c>None</c>, <c>ReplaceArgument</c>, <c>AppendArgument</c>).</summary>
    public const string TokenFix = "TokenFix";

    /// <summary>RES012: the name of the token in scope.</summary>
    public const string Token = "Token";

    /// <summary>RES012: the parameter to pass the token by name, when a positional argument would not reach it.</summary>
    public const string TokenParameter = "TokenParameter";
}
