using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using ResilienceAnalyzers.Libraries.Http;
using ResilienceAnalyzers.Libraries.Polly;

namespace ResilienceAnalyzers.Timeouts;

/// <summary>One RES013 finding: where to report, and the arithmetic and its consequence for the message.</summary>
internal sealed record TimeoutConflict(Location Location, string Arithmetic, string Consequence);

/// <summary>
/// RES013 timeouts and retries that defeat each other, judged on the recognised strategies of a pipeline or handler and on
/// a factory client's <c>HttpClient.Timeout</c>. Only values that could be computed take part: certain or silent.
/// The standard handlers' checks are those of Microsoft.Extensions.Http.Resilience's options validators
/// (HttpStandardResilienceOptionsCustomValidator, HttpStandardHedgingResilienceOptionsCustomValidator), moved to build time.
/// </summary>
internal static class TimeoutRetryConflictJudge
{
    /// <summary>Conflicts among the strategies of one pipeline or handler, outermost first.</summary>
    public static IEnumerable<TimeoutConflict> InPipeline(ImmutableArray<ResilienceStrategy> strategies, HandlerKind? kind)
    {
        var standard = kind is HandlerKind.StandardResilience or HandlerKind.StandardHedging;
        ResilienceStrategy? outer = null;
        for (var index = 0; index < strategies.Length; index++)
        {
            var strategy = strategies[index];
            if (strategy.Kind == StrategyKind.Timeout && strategy.TimeoutMilliseconds is { } timeout
                && (outer is null || timeout < outer.TimeoutMilliseconds))
            {
                outer = strategy;
            }

            if (strategy.Kind is not (StrategyKind.Retry or StrategyKind.Hedging) || outer is null)
            {
                continue;
            }

            for (var inner = index + 1; inner < strategies.Length; inner++)
            {
                if (Attempt(strategies[inner], outer, strategy.Kind, standard) is { } attempt)
                {
                    yield return attempt;
                }
            }

            if (strategy.Kind == StrategyKind.Retry && Delays(strategy, outer, standard) is { } delays)
            {
                yield return delays;
            }

            break;
        }

        if (standard && Sampling(strategies) is { } sampling)
        {
            yield return sampling;
        }
    }

    /// <summary>
    /// <c>HttpClient.Timeout</c> shorter than a handler's total request timeout on the same client: the client cancels the
    /// request first, and the handler's later retries never run (dotnet/extensions#4770).
    /// </summary>
    public static TimeoutConflict? ClientTimeout(double clientTimeout, ClientTimeout? written, BuilderHandler handler, string client)
    {
        if (handler.TotalTimeout is not { TimeoutMilliseconds: { } total } totalTimeout || clientTimeout >= total
            || (!handler.Retries && !handler.Has(StrategyKind.Hedging)))
        {
            return null;
        }

        var what = written is null ? $"HttpClient.Timeout ({Seconds(clientTimeout)}, its default)" : $"HttpClient.Timeout ({Seconds(clientTimeout)})";
        return new TimeoutConflict(
            written?.Location ?? totalTimeout.Location,
            $"{what} is shorter than the {Seconds(total)} {TimeoutName(totalTimeout, handler.Kind)} of the {HandlerName(handler.Kind)} on {client}",
            $"the client cancels the request after {Seconds(clientTimeout)}, before the handler's {(handler.Retries ? "retries" : "hedged attempts")} can finish");
    }

    /// <summary>The retry's delays alone reach past the timeout around it: name the first attempt that cannot start.</summary>
    private static TimeoutConflict? Delays(ResilienceStrategy retry, ResilienceStrategy outer, bool standard)
    {
        if (retry.RetryDelays is not { } delays || outer.TimeoutMilliseconds is not { } timeout)
        {
            return null;
        }

        var sum = 0.0;
        for (var n = 0; n < delays.Length; n++)
        {
            sum += delays[n];
            if (sum <= timeout)
            {
                continue;
            }

            // Delay n comes before attempt n + 2 (attempt 1 waits for nothing).
            var terms = new StringBuilder();
            for (var k = 0; k <= n; k++)
            {
                if (k > 0)
                {
                    terms.Append(" + ");
                }

                if (n > 5 && k == 2)
                {
                    terms.Append("…");
                    k = n - 1;
                    continue;
                }

                terms.Append(Seconds(delays[k]));
            }

            var jitter = retry.RetryUseJitter == false ? string.Empty : ", medians without jitter";
            return new TimeoutConflict(
                outer.IsDefault && !retry.IsDefault ? retry.Location : outer.Location,
                $"the retry's {Ordinal(n + 2)} attempt would start after {Seconds(sum)} of delays alone ({terms}{jitter}), past the {Seconds(timeout)} {TimeoutName(outer, null)} around it",
                $"the {Ordinal(n + 1)} attempt is the last that can start" + (standard ? "; the options validator throws at start-up" : string.Empty));
        }

        return null;
    }

    /// <summary>A timeout inside the retry (per attempt) that is not shorter than the timeout around it: it never ends an attempt early enough for another.</summary>
    private static TimeoutConflict? Attempt(ResilienceStrategy inner, ResilienceStrategy outer, StrategyKind repeats, bool standard)
    {
        if (inner.Kind != StrategyKind.Timeout || inner.TimeoutMilliseconds is not { } attempt || outer.TimeoutMilliseconds is not { } total || attempt < total)
        {
            return null;
        }

        var again = repeats == StrategyKind.Retry ? "no retry" : "no hedged attempt";
        return new TimeoutConflict(
            inner.IsDefault && !outer.IsDefault ? outer.Location : inner.Location,
            $"the attempt timeout {Name(inner)} of {Seconds(attempt)} is not shorter than the {Seconds(total)} timeout {Name(outer)} around the {(repeats == StrategyKind.Retry ? "retry" : "hedging")}",
            $"one attempt can use the whole budget, so {again} can happen" + (standard && attempt > total ? "; the options validator throws at start-up" : string.Empty));
    }

    /// <summary>The circuit breaker's sampling duration under twice the attempt timeout (the standard handlers' validators reject it).</summary>
    private static TimeoutConflict? Sampling(ImmutableArray<ResilienceStrategy> strategies)
    {
        ResilienceStrategy? breaker = null;
        ResilienceStrategy? attempt = null;
        foreach (var strategy in strategies)
        {
            if (strategy.Kind == StrategyKind.CircuitBreaker)
            {
                breaker = strategy;
            }
            else if (strategy.Kind == StrategyKind.Timeout && breaker is not null)
            {
                attempt = strategy;
            }
        }

        if (breaker?.SamplingDurationMilliseconds is not { } sampling || attempt?.TimeoutMilliseconds is not { } timeout
            || sampling >= timeout * PollyDefaults.SamplingDurationAttemptTimeoutMultiplier)
        {
            return null;
        }

        return new TimeoutConflict(
            breaker.IsDefault && !attempt.IsDefault ? attempt.Location : breaker.Location,
            $"{breaker.Name} ({Seconds(sampling)}) is under twice the {attempt.Name} ({PollyDefaults.SamplingDurationAttemptTimeoutMultiplier} × {Seconds(timeout)} = {Seconds(timeout * PollyDefaults.SamplingDurationAttemptTimeoutMultiplier)})",
            "the options validator throws at start-up");
    }

    private static string Name(ResilienceStrategy timeout) => "(" + timeout.Name + ")";

    private static string TimeoutName(ResilienceStrategy timeout, HandlerKind? kind)
        => timeout.Name == "AddTimeout" || kind is HandlerKind.ResiliencePipeline ? "timeout (" + timeout.Name + ")" : timeout.Name;

    private static string HandlerName(HandlerKind kind)
        => kind switch
        {
            HandlerKind.StandardResilience => "standard resilience handler",
            HandlerKind.StandardHedging => "standard hedging handler",
            _ => "resilience handler",
        };

    public static string Seconds(double milliseconds)
        => (milliseconds / 1000).ToString("0.###", CultureInfo.InvariantCulture) + " s";

    private static string Ordinal(int number)
    {
        var suffix = (number % 100) is 11 or 12 or 13 ? "th" : (number % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" };
        return number.ToString(CultureInfo.InvariantCulture) + suffix;
    }
}
