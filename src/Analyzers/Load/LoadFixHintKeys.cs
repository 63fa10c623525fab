namespace ResilienceAnalyzers.Load;

/// <summary>Keys of <see cref="Microsoft.CodeAnalysis.Diagnostic.Properties"/> that carry what the load family found (RES030) to its fix.</summary>
public static class LoadFixHintKeys
{
    /// <summary>Which rewrite applies; present only when one is right.</summary>
    public const string Fix = "LoadFix";

    /// <summary><see cref="Fix"/>: a Polly v8 <c>AddRetry</c> gets <c>.AddCircuitBreaker(new CircuitBreakerStrategyOptions())</c> after it.</summary>
    public const string AddCircuitBreaker = "AddCircuitBreaker";
}
