using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Retry;

namespace ResilienceAnalyzers.CodeFixes.Retry;

/// <summary>
/// RES001, RES002 and RES003 on Polly: v7 <c>*Forever*</c> becomes the bounded overload and an oversized count becomes
/// <c>resilience_analyzers.max_attempts</c>; a v7 policy without backoff gets jittered exponential sleep
/// durations; v8 options get <c>MaxRetryAttempts = 3</c> or <c>BackoffType = Exponential, UseJitter = true</c>.
/// The rewrite is computed and checked before it is offered; when it would not compile, nothing is offered.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PollyRetryCodeFixProvider)), Shared]
public sealed class PollyRetryCodeFixProvider : CodeFixProvider
{
    public const string BoundPolicyKey = "RES001:BoundPolicy";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        RuleIdentifiers.RetryHasNoAttemptLimit,
        RuleIdentifiers.RetryWithoutBackoff,
        RuleIdentifiers.BackoffWithoutJitter);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public static string JitteredBackoffKey(string diagnosticId) => diagnosticId + ":JitteredBackoff";

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(RetryFixHintKeys.Construct, out var construct)
                || construct is not (nameof(RetryConstructKind.PollyV7) or nameof(RetryConstructKind.PollyV8)))
            {
                continue;
            }

            var bound = diagnostic.Id == RuleIdentifiers.RetryHasNoAttemptLimit;
            var fix = construct == nameof(RetryConstructKind.PollyV7)
                ? await PollyV7PolicyFix.TryCreateAsync(context.Document, diagnostic, bound, context.CancellationToken).ConfigureAwait(false)
                : await PollyOptionsFix.TryCreateAsync(context.Document, diagnostic, bound, context.CancellationToken).ConfigureAwait(false);
            if (fix is null)
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    fix.Title,
                    fix.ApplyAsync,
                    bound ? BoundPolicyKey : JitteredBackoffKey(diagnostic.Id)),
                diagnostic);
        }
    }
}
