using System;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using ResilienceAnalyzers.CodeFixes.Common;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Retry;

namespace ResilienceAnalyzers.CodeFixes.Retry;

/// <summary>
/// RES001-RES004, whatever the construct: a hand-written loop (<see cref="RetryLoopFix"/>), a Polly v7
/// policy (<see cref="PollyV7PolicyFix"/>), Polly v8 options (<see cref="PollyOptionsFix"/>), a library's own settings
/// (<see cref="LibraryRetryFix"/>), and RES004's cap (<see cref="BackoffCapFix"/>).
/// </summary>
/// <remarks>
/// One fixer for the three rules, with one equivalence key per rule, so that Fix All fixes every construct of a
/// rule at once. Two fixers for one rule break <c>dotnet format</c>: it analyses once per rule and hands the same
/// diagnostics to each fixer in turn, so the second fixer sees locations in a document the first has changed.
/// </remarks>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RetryCodeFixProvider))]
public sealed class RetryCodeFixProvider : CodeFixProvider
{
    public const string BoundKey = "RES001:Bound";
    public const string JitteredBackoffKey = "RES002:JitteredBackoff";
    public const string AddJitterKey = "RES003:JitteredBackoff";
    public const string CapKey = "RES004:Cap";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        RuleIdentifiers.RetryHasNoAttemptLimit,
        RuleIdentifiers.RetryWithoutBackoff,
        RuleIdentifiers.BackoffWithoutJitter,
        RuleIdentifiers.BackoffWithoutCap);

    public override FixAllProvider GetFixAllProvider() => new RuleKeyedFixAllProvider(KeyFor);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (KeyFor(diagnostic.Id) is not { } key
                || !diagnostic.Properties.TryGetValue(RetryFixHintKeys.Construct, out var construct))
            {
                continue;
            }

            var fix = await TryCreateAsync(context.Document, diagnostic, construct, context.CancellationToken).ConfigureAwait(false);
            if (fix is { } offered)
            {
                context.RegisterCodeFix(CodeAction.Create(offered.Title, offered.ApplyAsync, key), diagnostic);
            }
        }
    }

    private static string? KeyFor(string diagnosticId)
        => diagnosticId switch
        {
            RuleIdentifiers.RetryHasNoAttemptLimit => BoundKey,
            RuleIdentifiers.RetryWithoutBackoff => JitteredBackoffKey,
            RuleIdentifiers.BackoffWithoutJitter => AddJitterKey,
            RuleIdentifiers.BackoffWithoutCap => CapKey,
            _ => null,
        };

    private static async Task<(string Title, Func<CancellationToken, Task<Document>> ApplyAsync)?> TryCreateAsync(
        Document document, Diagnostic diagnostic, string? construct, CancellationToken cancellationToken)
    {
        if (construct == nameof(RetryConstructKind.Library))
        {
            var library = await LibraryRetryFix.TryCreateAsync(document, diagnostic, cancellationToken).ConfigureAwait(false);
            return library is null ? null : (library.Title, library.ApplyAsync);
        }

        if (diagnostic.Id == RuleIdentifiers.BackoffWithoutCap)
        {
            var capped = await BackoffCapFix.TryCreateAsync(document, diagnostic, construct, cancellationToken).ConfigureAwait(false);
            return capped is null ? null : (capped.Title, capped.ApplyAsync);
        }

        if (construct == nameof(RetryConstructKind.Loop))
        {
            return await RetryLoopFix.TryCreateAsync(document, diagnostic, cancellationToken).ConfigureAwait(false);
        }

        var bound = diagnostic.Id == RuleIdentifiers.RetryHasNoAttemptLimit;
        var planned = construct switch
        {
            nameof(RetryConstructKind.PollyV7) => await PollyV7PolicyFix.TryCreateAsync(document, diagnostic, bound, cancellationToken).ConfigureAwait(false),
            nameof(RetryConstructKind.PollyV8) => await PollyOptionsFix.TryCreateAsync(document, diagnostic, bound, cancellationToken).ConfigureAwait(false),
            _ => null,
        };

        return planned is null ? null : (planned.Title, planned.ApplyAsync);
    }
}
