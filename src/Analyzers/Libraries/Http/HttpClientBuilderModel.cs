using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ResilienceAnalyzers.Libraries.Http;

/// <summary>What a resilience strategy does; the order of a handler's strategies is outermost first.</summary>
public enum StrategyKind
{
    /// <summary>A strategy the recogniser does not model (rate limiter, fallback, a custom strategy).</summary>
    Other,
    Timeout,
    Retry,
    Hedging,
    CircuitBreaker,
}

/// <summary>
/// One strategy of a resilience pipeline, as small facts: durations in milliseconds (null when they cannot be seen),
/// and where the value that decides them is written.
/// </summary>
public sealed record ResilienceStrategy(StrategyKind Kind, string Name, Location Location)
{
    /// <summary>A timeout's duration; null when not a timeout or not computable (a generator, configuration).</summary>
    public double? TimeoutMilliseconds { get; init; }

    /// <summary>A retry's delays before each retry, in order, without jitter (the median the backoff aims at); null when not computable.</summary>
    public ImmutableArray<double>? RetryDelays { get; init; }

    /// <summary>A retry's retries, when known (the attempts are one more).</summary>
    public int? RetryAttempts { get; init; }

    /// <summary>The retry adds jitter around <see cref="RetryDelays"/> (null when unknown).</summary>
    public bool? RetryUseJitter { get; init; }

    /// <summary>
    /// The retry's <c>ShouldHandle</c> leaves out <c>BrokenCircuitException</c>: it runs around a circuit breaker, in
    /// sight or not, and ends when the circuit opens.
    /// </summary>
    public bool RetryStopsWhenACircuitOpens { get; init; }

    /// <summary>The value is the library's default, not written here; <see cref="Location"/> is then the call that adds the handler.</summary>
    public bool IsDefault { get; init; }

    /// <summary>A circuit breaker's sampling duration; null when not computable.</summary>
    public double? SamplingDurationMilliseconds { get; init; }
}

/// <summary>How an <c>IHttpClientBuilder</c> step adds a handler.</summary>
public enum HandlerKind
{
    /// <summary><c>AddStandardResilienceHandler</c>: total timeout, retry, circuit breaker, attempt timeout.</summary>
    StandardResilience,

    /// <summary><c>AddStandardHedgingHandler</c>: total timeout, hedging, per-endpoint circuit breaker and attempt timeout.</summary>
    StandardHedging,

    /// <summary><c>AddResilienceHandler("name", b =&gt; …)</c>: the strategies its lambda adds.</summary>
    ResiliencePipeline,

    /// <summary>Polly v7 <c>AddPolicyHandler</c>, <c>AddTransientHttpErrorPolicy</c>, <c>AddPolicyHandlerFromRegistry</c>.</summary>
    PollyV7Policy,

    /// <summary><c>AddHttpMessageHandler</c>: a delegating handler whose content is not modelled.</summary>
    MessageHandler,
}

/// <summary>
/// A handler a builder step adds to a factory client. <see cref="IsComplete"/> is false when part of its configuration
/// cannot be seen (a configuration section, a helper, a policy from a registry): the strategies listed are then only
/// those in sight, and their values are what the code shows.
/// </summary>
public sealed record BuilderHandler(HandlerKind Kind, Location Location, ImmutableArray<ResilienceStrategy> Strategies, bool IsComplete)
{
    /// <summary>A retry among its strategies, or a Polly v7 retry policy: what RES006 and RES030 count.</summary>
    public bool Retries => Has(StrategyKind.Retry);

    public bool Has(StrategyKind kind)
    {
        foreach (var strategy in Strategies)
        {
            if (strategy.Kind == kind)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The handler's total request timeout: its outermost timeout when it sits outside a retry or hedging, or the only
    /// timeout of a handler that does not repeat. Null when it has none or the first timeout is not computable.
    /// </summary>
    public ResilienceStrategy? TotalTimeout
    {
        get
        {
            foreach (var strategy in Strategies)
            {
                if (strategy.Kind is StrategyKind.Retry or StrategyKind.Hedging)
                {
                    return null;
                }

                if (strategy.Kind == StrategyKind.Timeout)
                {
                    return strategy;
                }
            }

            return null;
        }
    }
}

/// <summary>
/// <c>HttpClient.Timeout</c> written for a factory client: in a <c>ConfigureHttpClient</c> or <c>AddHttpClient</c> lambda, or in
/// a typed client's constructor. <see cref="Milliseconds"/> is null when the value cannot be computed.
/// </summary>
public sealed record ClientTimeout(double? Milliseconds, Location Location);

/// <summary>
/// Which factory client a chain configures: a constant name (<c>AddHttpClient("catalog")</c>), a typed client (the last
/// type argument of <c>AddHttpClient&lt;TClient, TImpl&gt;</c>), or every client (<c>ConfigureHttpClientDefaults</c>).
/// </summary>
public static class HttpClientKey
{
    public const string Defaults = "defaults";

    public static string Named(string name) => "name:" + name;

    public static string Typed(ITypeSymbol type) => "type:" + type.ToDisplayString();

    /// <summary>How messages name the client: <c>client 'catalog'</c>, <c>typed client 'CatalogClient'</c>, <c>every client</c>.</summary>
    public static string Display(string key)
        => key == Defaults ? "every client (ConfigureHttpClientDefaults)"
            : key.StartsWith("name:", System.StringComparison.Ordinal) ? "client '" + key.Substring(5) + "'"
            : "typed client '" + key.Substring(System.Math.Max(key.LastIndexOf('.'), key.IndexOf(':')) + 1) + "'";
}

/// <summary>
/// What one fluent <c>IHttpClientBuilder</c> chain (or one statement on a builder held in a local or parameter) says:
/// the client it configures (null when the builder comes from a caller), the timeouts its <c>ConfigureHttpClient</c>
/// lambdas set, and the handlers it adds, in order (the first added is the outermost). <see cref="Id"/> tells chains apart,
/// so a judgement within one chain is not repeated at compilation end.
/// </summary>
public sealed record HttpClientChain(string? Key, Location Id, ImmutableArray<ClientTimeout> Timeouts, ImmutableArray<BuilderHandler> Handlers)
{
    /// <summary>A <c>ConfigureHttpClient</c> whose lambda cannot be seen (a method group, a helper) may set the timeout too.</summary>
    public bool HasUnseenClientConfiguration { get; init; }

    /// <summary>
    /// For a chain that names no client: the builder it starts from when that is a parameter, or a field or property read
    /// in one method body (<see cref="ChainBuilder"/>). Chains on one such builder configure one client, whichever it is.
    /// </summary>
    public ChainBuilder? Builder { get; init; }
}

/// <summary>A builder handed in by a caller: <see cref="Id"/> tells it apart, <see cref="Name"/> is how messages name it.</summary>
public sealed record ChainBuilder(string Id, string Name);
