using System;
using System.Collections.Immutable;

namespace ResilienceAnalyzers.Libraries.Polly;

/// <summary>
/// The delays a Polly v8 retry waits before each retry, from its effective options (Polly.Core 8.x RetryHelper):
/// Constant <c>Delay</c>, Linear <c>Delay * (n + 1)</c>, Exponential <c>Delay * 2^n</c> for the retry numbered n from 0,
/// each capped by <c>MaxDelay</c>. Jitter is left out: it spreads constant and linear delays evenly around these values
/// and aims exponential ones (decorrelated jitter) at them as medians, so the values are the medians. Null when a setting
/// cannot be seen or a <c>DelayGenerator</c> decides the delays.
/// </summary>
public static class RetrySchedule
{
    /// <summary>More retries than this are not listed: the judgements stop at the first sum past a timeout long before.</summary>
    public const int MaxListed = 1000;

    public static ImmutableArray<double>? Delays(PollyOptionsModel options)
    {
        if (options.MaxRetryAttempts.Value is not { } retries || retries < 0
            || options.BackoffType.Value is not { } backoff || backoff == BackoffKind.Unknown
            || options.DelayMilliseconds.Value is not { } delay || delay < 0
            || options.MaxDelayMilliseconds.Value is not { } maxDelay
            || options.DelayGeneratorAssignment is not null)
        {
            return null;
        }

        var count = Math.Min(retries, MaxListed);
        var delays = ImmutableArray.CreateBuilder<double>(count);
        for (var n = 0; n < count; n++)
        {
            var value = backoff switch
            {
                BackoffKind.Linear => delay * (n + 1),
                BackoffKind.Exponential => delay * Math.Pow(2, n),
                _ => delay,
            };
            delays.Add(Math.Min(value, maxDelay));
        }

        return delays.MoveToImmutable();
    }
}
