using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>Judges a recognised hand-written retry against RES001, RES002, RES003, RES004 and RES005, and reports with hints for the fixer.</summary>
internal sealed class RetryJudge
{
    private readonly KnownTypes _types;

    public RetryJudge(KnownTypes types)
    {
        _types = types;
    }

    /// <summary>False for test projects unless <c>resilience_analyzers.analyze_test_code</c> is on for this file.</summary>
    public bool ShouldAnalyze(AnalyzerOptions options, SyntaxTree tree) => _types.ShouldAnalyze(options, tree);

    public void Report(OperationAnalysisContext context, RetryConstruct? construct)
    {
        if (construct is null)
        {
            return;
        }

        var tree = context.Operation.Syntax.SyntaxTree;
        if (!ShouldAnalyze(context.Options, tree))
        {
            return;
        }

        var subject = construct.Kind switch
        {
            RetryConstructKind.Goto => "This goto",
            RetryConstructKind.Recursion => "This recursive call",
            _ => "This loop",
        };

        var properties = FixHints(construct);
        var cancellationIsBound = Options.Res001CancellationIsBound.GetValue(context.Options, tree);
        var maxAttempts = Options.Res001MaxAttempts.GetValue(context.Options, tree);
        if (construct.Bound.Kind != AttemptBoundKind.Unknown
            && !construct.IsBackgroundRecovery
            && (!construct.Bound.IsBounded(cancellationIsBound) || construct.Bound.Limit > maxAttempts))
        {
            var how = construct.Bound.IsBounded(cancellationIsBound) && construct.Bound.Limit is { } limit
                ? HowMany(limit, maxAttempts)
                : NoLimit;
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.RetryHasNoAttemptLimit, construct.ReportLocation, properties, subject, how));
        }

        if (construct.EveryExceptionCatch is { } everyException)
        {
            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.RetryOnEveryException, everyException, subject));
        }

        ReportGrowth(context.ReportDiagnostic, construct.Delay, unbounded: construct.Bound.Kind != AttemptBoundKind.Unknown && !construct.Bound.IsBounded(cancellationIsBound),
            construct.Delay.Growth?.GrowingExpression?.GetLocation(), properties, subject, MaxDelayMilliseconds(context.Options, tree));

        // Limited to one more attempt (a flag, or a limit of 1): fix the cause, then go once. There is no sequence of
        // delays to grow, and going again at once after the repair (a token renewed, a container re-created) is right.
        if (construct.Bound is not { Kind: AttemptBoundKind.Counter, Limit: 1 })
        {
            ReportDelay(context.ReportDiagnostic, construct.Delay, construct.ReportLocation, properties, subject);
        }
    }

    /// <summary>RES001's words for a retry with no bound at all.</summary>
    public const string NoLimit = "with no effective attempt limit";

    /// <summary>RES001's words for a limit above <c>RES001.max_attempts</c>.</summary>
    public static string HowMany(long limit, int maxAttempts)
        => limit >= int.MaxValue
            ? NoLimit
            : string.Format(System.Globalization.CultureInfo.InvariantCulture, "up to {0} times, more than RES001.max_attempts ({1})", limit, maxAttempts);

    /// <summary>RES002 for a delay that does not grow, else RES003 for growth without jitter; never both.</summary>
    public static void ReportDelay(
        System.Action<Diagnostic> report,
        DelayModel delay,
        Location location,
        ImmutableDictionary<string, string?> properties,
        string subject)
    {
        if (delay.DoesNotBackOff)
        {
            var how = delay.Kind == DelayKind.None ? "immediately" : "after a delay that does not grow";
            report(Diagnostic.Create(DiagnosticDescriptors.RetryWithoutBackoff, location, properties, subject, how));
        }
        else if (delay.GrowsWithoutJitter)
        {
            report(Diagnostic.Create(DiagnosticDescriptors.BackoffWithoutJitter, location, properties, subject));
        }
    }

    /// <summary>
    /// RES004: a delay that keeps growing with nothing capping it, when the retry never gives up or its longest wait before
    /// giving up is above <c>RES004.max_delay_seconds</c>. Silent when the growth cannot be followed.
    /// </summary>
    public static void ReportGrowth(
        System.Action<Diagnostic> report,
        DelayModel delay,
        bool unbounded,
        Location? location,
        ImmutableDictionary<string, string?> properties,
        string subject,
        double maxDelayMilliseconds)
    {
        if (delay.Kind != DelayKind.Growing || delay.Growth is not { IsCapped: false } growth || location is null)
        {
            return;
        }

        string how;
        if (unbounded)
        {
            how = "without limit";
        }
        else if (growth.LargestBeforeLimitMilliseconds is { } largest && largest > maxDelayMilliseconds)
        {
            how = "to " + Duration(largest) + " before it gives up";
        }
        else
        {
            return;
        }

        if (growth.GrowingExpression is { } expression)
        {
            properties = properties.SetItem(RetryFixHintKeys.GrowthSpan, FixHintSpan.Format(expression));
        }

        report(Diagnostic.Create(DiagnosticDescriptors.BackoffWithoutCap, location, properties, subject, how));
    }

    /// <summary><c>RES004.max_delay_seconds</c>, in milliseconds.</summary>
    public static double MaxDelayMilliseconds(AnalyzerOptions options, SyntaxTree tree)
        => Options.Res004MaxDelaySeconds.GetValue(options, tree) * 1000d;

    /// <summary>A wait as people say it: 128 s, 17 min, 9 h, 12 days.</summary>
    public static string Duration(double milliseconds)
    {
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        var seconds = milliseconds / 1000;
        if (seconds < 600)
        {
            return seconds.ToString("0.#", culture) + " s";
        }

        if (seconds < 7200)
        {
            return (seconds / 60).ToString("0", culture) + " min";
        }

        if (seconds < 172_800)
        {
            return (seconds / 3600).ToString("0", culture) + " h";
        }

        return seconds < 31_536_000 ? (seconds / 86_400).ToString("0", culture) + " days" : "more than a year";
    }

    private static ImmutableDictionary<string, string?> FixHints(RetryConstruct construct)
    {
        var builder = ImmutableDictionary.CreateBuilder<string, string?>();
        builder[RetryFixHintKeys.Construct] = construct.Kind.ToString();
        if (construct.TryStatement is not null)
        {
            builder[RetryFixHintKeys.TryPosition] = construct.TryStatement.SpanStart.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (!construct.FailureCatches.IsDefaultOrEmpty)
        {
            builder[RetryFixHintKeys.FailureCatches] = string.Join(",", construct.FailureCatches);
        }

        if (construct.Bound.Counter is ILocalSymbol counter)
        {
            builder[RetryFixHintKeys.Counter] = counter.Name;
        }

        if (construct.DelayCall is not null)
        {
            builder[RetryFixHintKeys.DelayPosition] = construct.DelayCall.SpanStart.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        builder[RetryFixHintKeys.HasDelay] = construct.Delay.Kind == DelayKind.None ? "false" : "true";
        builder[RetryFixHintKeys.Bounded] = construct.Bound.Kind is AttemptBoundKind.Counter or AttemptBoundKind.Deadline ? "true" : "false";
        return builder.ToImmutable();
    }
}
