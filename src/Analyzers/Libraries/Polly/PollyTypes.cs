using Microsoft.CodeAnalysis;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Libraries.Polly;

/// <summary>
/// Polly and its companions, resolved once per compilation.
/// Sources: Polly 7.2 / 8.x (package <c>Polly</c> keeps the v7 API), <c>Polly.Core</c> 8.x,
/// <c>Polly.Contrib.WaitAndRetry</c> 1.1, <c>Microsoft.Extensions.Http.Resilience</c> 8.x-10.x.
/// </summary>
public sealed class PollyTypes
{
    internal PollyTypes(Compilation compilation)
    {
        _assembly = compilation.Assembly;
        var lookup = LibraryTypeLookup.For(compilation);

        // Polly v7: the retry extension methods on PolicyBuilder / PolicyBuilder<TResult>.
        RetrySyntax = lookup.Find("Polly", "Polly.RetrySyntax");
        RetryTResultSyntax = lookup.Find("Polly", "Polly.RetryTResultSyntax");
        AsyncRetrySyntax = lookup.Find("Polly", "Polly.AsyncRetrySyntax");
        AsyncRetryTResultSyntax = lookup.Find("Polly", "Polly.AsyncRetryTResultSyntax");

        // Polly v7: the policy factories (Bulkhead, RateLimit are static members of Policy and Policy<TResult>).
        Policy = lookup.Find("Polly", "Polly.Policy");
        PolicyOfT = lookup.Find("Polly", "Polly.Policy`1");

        // Polly.Contrib.WaitAndRetry
        ContribBackoff = lookup.Find("Polly", "Polly.Contrib.WaitAndRetry.Backoff");

        // Polly v8 (Polly.Core)
        RetryStrategyOptions = lookup.Find("Polly", "Polly.Retry.RetryStrategyOptions");
        RetryStrategyOptionsOfT = lookup.Find("Polly", "Polly.Retry.RetryStrategyOptions`1");
        DelayBackoffType = lookup.Find("Polly", "Polly.DelayBackoffType");
        TimeoutStrategyOptions = lookup.Find("Polly", "Polly.Timeout.TimeoutStrategyOptions");
        ResiliencePipelineBuilderBase = lookup.Find("Polly", "Polly.ResiliencePipelineBuilderBase");

        // Microsoft.Extensions.Http.Resilience
        HttpRetryStrategyOptions = lookup.Find("Microsoft.Extensions.Http.Resilience", "Microsoft.Extensions.Http.Resilience.HttpRetryStrategyOptions");
        HttpStandardResilienceOptions = lookup.Find("Microsoft.Extensions.Http.Resilience", "Microsoft.Extensions.Http.Resilience.HttpStandardResilienceOptions");
        HttpStandardHedgingResilienceOptions = lookup.Find("Microsoft.Extensions.Http.Resilience", "Microsoft.Extensions.Http.Resilience.HttpStandardHedgingResilienceOptions");
    }

    public INamedTypeSymbol? RetrySyntax { get; }

    public INamedTypeSymbol? RetryTResultSyntax { get; }

    public INamedTypeSymbol? AsyncRetrySyntax { get; }

    public INamedTypeSymbol? AsyncRetryTResultSyntax { get; }

    public INamedTypeSymbol? Policy { get; }

    public INamedTypeSymbol? PolicyOfT { get; }

    public INamedTypeSymbol? ContribBackoff { get; }

    public INamedTypeSymbol? RetryStrategyOptions { get; }

    public INamedTypeSymbol? RetryStrategyOptionsOfT { get; }

    public INamedTypeSymbol? DelayBackoffType { get; }

    /// <summary>Polly v8's timeout options, base of Microsoft.Extensions.Http.Resilience's <c>HttpTimeoutStrategyOptions</c>.</summary>
    public INamedTypeSymbol? TimeoutStrategyOptions { get; }

    /// <summary>The base of <c>ResiliencePipelineBuilder</c> and <c>ResiliencePipelineBuilder&lt;TResult&gt;</c>.</summary>
    public INamedTypeSymbol? ResiliencePipelineBuilderBase { get; }

    public INamedTypeSymbol? HttpRetryStrategyOptions { get; }

    public INamedTypeSymbol? HttpStandardResilienceOptions { get; }

    public INamedTypeSymbol? HttpStandardHedgingResilienceOptions { get; }

    /// <summary>Microsoft.Extensions.Http.Resilience is referenced: its handlers can be added to factory clients.</summary>
    public bool HasHttpResilience => IsReferenced(HttpStandardResilienceOptions);

    /// <summary>
    /// Polly v7's retry syntax is referenced. Compiled from source, this is Polly itself: its own convenience
    /// overloads (<c>Retry(this PolicyBuilder b) =&gt; b.Retry(1)</c>) define the API and retry nothing; the callers
    /// of the package are where a policy is chosen and judged (RULES.md, "Use, not definition").
    /// </summary>
    public bool HasV7 => IsReferenced(RetrySyntax) || IsReferenced(AsyncRetrySyntax);

    /// <summary>Polly v8's retry strategy is referenced, not declared by the compilation itself.</summary>
    public bool HasV8 => IsReferenced(RetryStrategyOptionsOfT);

    /// <summary>
    /// Polly policies or pipelines are referenced, not declared by the compilation: RES022 looks for stateful ones
    /// (circuit breakers, bulkheads, rate limiters) built per call.
    /// </summary>
    public bool HasPolicies => IsReferenced(Policy) || IsReferenced(ResiliencePipelineBuilderBase);

    private readonly IAssemblySymbol _assembly;

    private bool IsReferenced(INamedTypeSymbol? type) => type is not null && !SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, _assembly);

    public bool IsV7RetrySyntax(INamedTypeSymbol? type)
        => type is not null
           && (SymbolEqualityComparer.Default.Equals(type, RetrySyntax)
               || SymbolEqualityComparer.Default.Equals(type, RetryTResultSyntax)
               || SymbolEqualityComparer.Default.Equals(type, AsyncRetrySyntax)
               || SymbolEqualityComparer.Default.Equals(type, AsyncRetryTResultSyntax));
}
