using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.CodeFixes.Common;

/// <summary>
/// Base of the fixes that rewrite what the analyzer's hints point at (<see cref="FixHintKeys"/>). A single fix and
/// Fix All share one edit: Fix All gathers every target of a document and edits it once, since batching single
/// fixes would merge conflicting <c>using</c> insertions and leave diagnostics for a second pass.
/// </summary>
/// <typeparam name="TTarget">What one diagnostic's fix rewrites.</typeparam>
public abstract class HintedFixProvider<TTarget> : CodeFixProvider
    where TTarget : class
{
    /// <summary>Stable key shared by every action of this fix, never the title.</summary>
    protected abstract string EquivalenceKey { get; }

    public sealed override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        var compilation = (await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false))?.Compilation;
        foreach (var diagnostic in context.Diagnostics)
        {
            if (FindTarget(context.Document, root, diagnostic) is { } target && compilation is not null && CanFix(compilation, target))
            {
                context.RegisterCodeFix(
                    CodeAction.Create(Title(target), ct => ApplyAsync(context.Document, new[] { target }, ct), EquivalenceKey),
                    diagnostic);
            }
        }
    }

    /// <summary>Whether the compilation has what the rewrite of <paramref name="target"/> writes (a type that only newer frameworks have).</summary>
    protected virtual bool CanFix(Compilation compilation, TTarget target) => true;

    /// <summary>The target of <paramref name="diagnostic"/>; null when no single rewrite is right.</summary>
    protected abstract TTarget? FindTarget(Document document, SyntaxNode root, Diagnostic diagnostic);

    protected abstract string Title(TTarget target);

    /// <summary>Rewrites every target of one document in one edit, adding the <c>using</c> directives it needs.</summary>
    protected abstract Task<Document> ApplyAsync(Document document, IReadOnlyList<TTarget> targets, CancellationToken cancellationToken);

    private async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return null;
        }

        var compilation = (await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false))?.Compilation;
        var targets = new List<TTarget>();
        foreach (var diagnostic in diagnostics)
        {
            if (FindTarget(document, root, diagnostic) is { } target && compilation is not null && CanFix(compilation, target))
            {
                targets.Add(target);
            }
        }

        return targets.Count == 0 ? null : await ApplyAsync(document, targets, context.CancellationToken).ConfigureAwait(false);
    }
}
