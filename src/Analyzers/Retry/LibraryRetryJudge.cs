using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Libraries;

namespace ResilienceAnalyzers.Retry;

/// <summary>
/// Judges a library's own retry settings against RES001, RES002, RES003, RES004 and RES005 exactly as loops and Polly
/// are judged. Each diagnostic goes out only from the operation whose span holds it (a local diagnostic the IDE shows
/// while typing and offers fixes for).
/// </summary>
internal static class LibraryRetryJudge
{
    /// <param name="analysed">The span of the operation or declaration being analysed: only diagnostics inside it go out.</param>
    public static void Report(System.Action<Diagnostic> report, Microsoft.CodeAnalysis.Text.TextSpan analysed, AnalyzerOptions options, SyntaxTree tree, LibraryRetrySettings? settings)
    {
        if (settings is null)
        {
            return;
        }

        void ReportHere(Diagnostic diagnostic)
        {
            if (analysed.Contains(diagnostic.Location.SourceSpan))
            {
                report(diagnostic);
            }
        }

        var maxAttempts = Options.Res001MaxAttempts.GetValue(options, tree);
        var hints = settings.FixHints.SetItem(RetryFixHintKeys.Construct, nameof(RetryConstructKind.Library));
        if (settings.RetriesLocation is { } retriesLocation && (settings.Unbounded || settings.Retries > maxAttempts))
        {
            var how = settings.Unbounded || settings.Retries is not { } retries ? RetryJudge.NoLimit : RetryJudge.HowMany(retries, maxAttempts);
            ReportHere(Diagnostic.Create(DiagnosticDescriptors.RetryHasNoAttemptLimit, retriesLocation, hints, settings.Subject, how));
        }

        if (settings.DelayLocation is { } delayLocation)
        {
            // A single retry waits once: there is no sequence of delays to grow.
            if (!(settings.Retries == 1 && settings.Delay.Kind == DelayKind.Constant) && (settings.OffersJitter || settings.Delay.DoesNotBackOff))
            {
                RetryJudge.ReportDelay(ReportHere, settings.Delay, delayLocation, hints, settings.Subject);
            }

            RetryJudge.ReportGrowth(ReportHere, settings.Delay, settings.Unbounded, delayLocation, hints, settings.Subject, RetryJudge.MaxDelayMilliseconds(options, tree));
        }

        if (settings.EveryExceptionLocation is { } everyException)
        {
            ReportHere(Diagnostic.Create(DiagnosticDescriptors.RetryOnEveryException, everyException, settings.Subject));
        }
    }
}
