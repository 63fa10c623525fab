using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Libraries.Polly;

namespace ResilienceAnalyzers.Retry;

/// <summary>Judges recognised Polly constructs against RES001, RES002, RES003, RES004 and RES005, and reports them with hints for the fixer.</summary>
internal static class PollyJudge
{
    /// <param name="retriesOnlyLocalWork">
    /// Asked only when there is something to report, the first time: whether every execution of the retry is seen to
    /// stay on this machine (then nothing is reported). Following the pipeline to its executions reads the rest of
    /// the type, which most well-configured retries never need.
    /// </param>
    public static void Report(OperationAnalysisContext context, PollyV7Policy policy, System.Func<bool> retriesOnlyLocalWork)
    {
        var report = Once(context.ReportDiagnostic, retriesOnlyLocalWork);
        var hints = PollyFixHints.For(policy);
        var subject = "'" + policy.MethodName + "'";
        if (policy.IsForever || (policy.RetryCount is { } retries && ExceedsLimit(retries, context)))
        {
            var how = policy.IsForever || policy.RetryCount is not { } count ? RetryJudge.NoLimit : RetryJudge.HowMany(count, MaxAttempts(context));
            report(Diagnostic.Create(DiagnosticDescriptors.RetryHasNoAttemptLimit, policy.NameLocation, hints, subject, how));
        }

        if (!WaitsOnce(policy.RetryCount, policy.Delay))
        {
            RetryJudge.ReportDelay(report, policy.Delay, policy.NameLocation, hints, subject);
        }

        if (policy.EveryExceptionHandle is { } handle)
        {
            report(Diagnostic.Create(DiagnosticDescriptors.RetryOnEveryException, handle, subject));
        }

        RetryJudge.ReportGrowth(report, policy.Delay, unbounded: policy.IsForever || policy.RetryCount == int.MaxValue, policy.NameLocation, hints, subject,
            RetryJudge.MaxDelayMilliseconds(context.Options, context.Operation.Syntax.SyntaxTree));
    }

    /// <param name="retriesOnlyLocalWork">As for a v7 policy; null where the retry always calls out (the standard HTTP handler).</param>
    public static void Report(OperationAnalysisContext context, PollyOptionsModel options, System.Func<bool>? retriesOnlyLocalWork = null)
    {
        // Each diagnostic goes out from the operation it points at (see OnSimpleAssignment).
        var analysed = context.Operation.Syntax.Span;
        var report = Once(context.ReportDiagnostic, retriesOnlyLocalWork);
        void ReportHere(Diagnostic diagnostic)
        {
            if (analysed.Contains(diagnostic.Location.SourceSpan))
            {
                report(diagnostic);
            }
        }

        var hints = PollyFixHints.For(options);
        if (options.MaxRetryAttempts.Value is { } attempts && ExceedsLimit(attempts, context) && !options.RunsInsideATimeout && !options.StopsWhenACircuitOpens
            && (options.MaxRetryAttempts.Assignment?.GetLocation() ?? options.CreationLocation) is { } limitLocation)
        {
            var setting = options.MaxRetryAttempts.IsDefault ? "Default" : "MaxRetryAttempts";
            ReportHere(Diagnostic.Create(DiagnosticDescriptors.RetryHasNoAttemptLimit, limitLocation, hints.SetItem(RetryFixHintKeys.Setting, setting), options.Subject, RetryJudge.HowMany(attempts, MaxAttempts(context))));
        }

        if (DelayVerdict(options, out var faulty, out var at) is { } delay
            && !WaitsOnce(options.MaxRetryAttempts.Value, delay)
            && (at?.GetLocation() ?? options.CreationLocation) is { } delayLocation)
        {
            RetryJudge.ReportDelay(ReportHere, delay, delayLocation, hints.SetItem(RetryFixHintKeys.Setting, at is null ? "Default" : faulty), options.Subject);
        }

        ReportGrowth(ReportHere, options, hints, context);

        if (options.HandlesEveryException.Value == true
            && (options.HandlesEveryException.Assignment?.GetLocation() ?? options.CreationLocation) is { } handleLocation)
        {
            ReportHere(Diagnostic.Create(DiagnosticDescriptors.RetryOnEveryException, handleLocation, options.Subject));
        }
    }

    /// <summary>
    /// RES004 for v8 options: a generator's own growth, else Polly's linear (<c>Delay × (n + 1)</c>) or exponential
    /// (<c>Delay × 2ⁿ</c>) backoff for retries n = 0, 1, …, capped by <c>MaxDelay</c> when it is set (Polly.Core 8,
    /// RetryHelper). Jitter spreads the delays around the same curve.
    /// </summary>
    private static void ReportGrowth(System.Action<Diagnostic> report, PollyOptionsModel options, System.Collections.Immutable.ImmutableDictionary<string, string?> hints, OperationAnalysisContext context)
    {
        if (options.RunsInsideATimeout || options.StopsWhenACircuitOpens)
        {
            return;
        }

        var unbounded = options.MaxRetryAttempts.Value == int.MaxValue;
        var maxDelay = RetryJudge.MaxDelayMilliseconds(context.Options, context.Operation.Syntax.SyntaxTree);
        if (options.DelayGenerator is { } generator)
        {
            if (options.DelayGeneratorAssignment is { } assigned)
            {
                RetryJudge.ReportGrowth(report, generator, unbounded, assigned.GetLocation(), hints.SetItem(RetryFixHintKeys.Setting, "DelayGenerator"), options.Subject, maxDelay);
            }

            return;
        }

        if (options.DelayMilliseconds.Value is not { } baseDelay || baseDelay <= 0 || options.MaxDelayMilliseconds.Value is not { } cap
            || options.BackoffType.Value is not (BackoffKind.Linear or BackoffKind.Exponential) || options.MaxRetryAttempts.Value is not { } retries)
        {
            return;
        }

        var exponential = options.BackoffType.Value == BackoffKind.Exponential;
        var growth = DelayGrowthRecognizer.ForSettings(
            n => exponential ? baseDelay * System.Math.Pow(2, n) : baseDelay * (n + 1),
            unbounded ? null : retries,
            double.IsPositiveInfinity(cap) ? null : cap);
        var location = options.BackoffType.Assignment?.GetLocation() ?? options.CreationLocation ?? options.MaxRetryAttempts.Assignment?.GetLocation();
        RetryJudge.ReportGrowth(report, new DelayModel(DelayKind.Growing, JitterKind.None, location: null).WithGrowth(growth), unbounded, location,
            hints.SetItem(RetryFixHintKeys.Setting, "MaxDelay"), options.Subject, maxDelay);
    }

    /// <summary>One verdict per options object, so RES002 and RES003 never both fire on it.</summary>
    private static DelayModel? DelayVerdict(PollyOptionsModel options, out string setting, out SyntaxNode? at)
    {
        if (options.DelayGenerator is { } generator)
        {
            // The generator's delay wins over the backoff settings (Polly 8: BackoffType is ignored when it is set).
            setting = "DelayGenerator";
            at = options.DelayGeneratorAssignment;
            return at is null ? null : generator;
        }

        if (options.DelayMilliseconds.Value == 0)
        {
            setting = "Delay";
            at = options.DelayMilliseconds.Assignment;
            return DelayModel.Immediate;
        }

        setting = "BackoffType";
        at = options.BackoffType.Assignment;
        switch (options.BackoffType.Value)
        {
            case BackoffKind.Constant:
                return new DelayModel(DelayKind.Constant, JitterKind.None, location: null);
            case BackoffKind.Linear or BackoffKind.Exponential when options.UseJitter.Value == false:
                if (options.UseJitter.Assignment is { } jitter)
                {
                    setting = "UseJitter";
                    at = jitter;
                }

                return new DelayModel(DelayKind.Growing, JitterKind.None, location: null);
            default:
                return null;
        }
    }

    /// <summary>A single retry waits once: there is no sequence of delays to grow, unless it retries at once.</summary>
    private static bool WaitsOnce(int? retries, DelayModel delay) => retries == 1 && delay.Kind == DelayKind.Constant;

    private static bool ExceedsLimit(int attempts, OperationAnalysisContext context)
        => attempts == int.MaxValue || attempts > MaxAttempts(context);

    private static int MaxAttempts(OperationAnalysisContext context)
        => Options.Res001MaxAttempts.GetValue(context.Options, context.Operation.Syntax.SyntaxTree);

    /// <summary>Reports through <paramref name="report"/> unless <paramref name="silenced"/>, asked once, when the first diagnostic comes.</summary>
    private static System.Action<Diagnostic> Once(System.Action<Diagnostic> report, System.Func<bool>? silenced)
    {
        if (silenced is null)
        {
            return report;
        }

        bool? quiet = null;
        return diagnostic =>
        {
            quiet ??= silenced();
            if (quiet == false)
            {
                report(diagnostic);
            }
        };
    }
}
