
namespace ResilienceAnalyzers.Libraries.Polly;

/// <summary>
/// Default retry settings of the Polly v8 option types: defaults count exactly like explicit settings (RULES.md).
/// </summary>
internal static class PollyDefaults
{
    // Polly.Core 8.x, Polly.Retry.RetryStrategyOptions<TResult> (RetryConstants): MaxRetryAttempts 3,
    // BackoffType DelayBackoffType.Constant, UseJitter false, Delay 2 seconds, DelayGenerator null.
    public const int MaxRetryAttempts = 3;
    public const bool RetryUseJitter = false;
    public const double DelayMilliseconds = 2000;

    // Microsoft.Extensions.Http.Resilience 8.x-10.x, HttpRetryStrategyOptions constructor: BackoffType
    // DelayBackoffType.Exponential and UseJitter true; the rest as RetryStrategyOptions. The standard
    // handler's HttpStandardResilienceOptions.Retry is a plain HttpRetryStrategyOptions. (Its Retry-After
    // delay generator returns null without the header, falling back to the backoff: not a delay to judge.)
    public const bool HttpUseJitter = true;

    // Polly.Core 8.x, TimeoutStrategyOptions.Timeout (TimeoutConstants.DefaultTimeout): 30 seconds; HttpTimeoutStrategyOptions
    // inherits it. Microsoft.Extensions.Http.Resilience 8.x-10.x (checked on 10.11.0): HttpStandardResilienceOptions
    // TotalRequestTimeout 30 s, AttemptTimeout 10 s, CircuitBreaker.SamplingDuration 30 s; HttpStandardHedgingResilienceOptions
    // TotalRequestTimeout 30 s, Endpoint.Timeout 10 s, Endpoint.CircuitBreaker.SamplingDuration 30 s.
    public const double TimeoutMilliseconds = 30_000;
    public const double StandardTotalRequestTimeoutMilliseconds = 30_000;
    public const double StandardAttemptTimeoutMilliseconds = 10_000;
    public const double StandardSamplingDurationMilliseconds = 30_000;

    // System.Net.Http.HttpClient.Timeout when nothing sets it: 100 seconds.
    public const double HttpClientTimeoutMilliseconds = 100_000;

    // HttpStandardResilienceOptionsCustomValidator and HttpStandardHedgingResilienceOptionsCustomValidator: the circuit
    // breaker's sampling duration must be at least twice the attempt timeout.
    public const int SamplingDurationAttemptTimeoutMultiplier = 2;
}
