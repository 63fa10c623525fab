
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
}
