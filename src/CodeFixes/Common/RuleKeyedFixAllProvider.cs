using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ResilienceAnalyzers.CodeFixes.Common;

/// <summary>
/// The batch Fix All, for fixers that register one action per rule, each with its own equivalence key: Fix All for a
/// rule uses that rule's key, whatever key the host asked with. <c>dotnet format</c> asks with the key of the action
/// the fixer registers for the first diagnostic it analysed, and that diagnostic may be of another rule (it analyses
/// one rule at a time but keeps every diagnostic the analyzer reported) or one this fixer has nothing for (a loop
/// whose several waits make the rewrite a judgement): the batch fixer would then find no action with that key and
/// fix nothing. A host that asks with the rule's own key (the IDE) is unaffected.
/// </summary>
internal sealed class RuleKeyedFixAllProvider : FixAllProvider
{
    private readonly Func<string, string?> keyForRule;

    public RuleKeyedFixAllProvider(Func<string, string?> keyForRule)
    {
        this.keyForRule = keyForRule;
    }

    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes()
        => WellKnownFixAllProviders.BatchFixer.GetSupportedFixAllScopes();

    public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
    {
        var context = fixAllContext;
        if (context.DiagnosticIds.ToList() is { Count: 1 } ids
            && keyForRule(ids[0]) is { } key
            && key != context.CodeActionEquivalenceKey)
        {
            var diagnostics = new ForwardingDiagnosticProvider(context);
            context = context.Document is { } document
                ? new FixAllContext(document, context.CodeFixProvider, context.Scope, key, ids, diagnostics, context.CancellationToken)
                : new FixAllContext(context.Project, context.CodeFixProvider, context.Scope, key, ids, diagnostics, context.CancellationToken);
        }

        return WellKnownFixAllProviders.BatchFixer.GetFixAsync(context);
    }

    /// <summary>The diagnostics of the host's context, unchanged.</summary>
    private sealed class ForwardingDiagnosticProvider : FixAllContext.DiagnosticProvider
    {
        private readonly FixAllContext original;

        public ForwardingDiagnosticProvider(FixAllContext original)
        {
            this.original = original;
        }

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            => Widen(original.GetDocumentDiagnosticsAsync(document));

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Widen(original.GetProjectDiagnosticsAsync(project));

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Widen(original.GetAllDiagnosticsAsync(project));

        private static async Task<IEnumerable<Diagnostic>> Widen(Task<System.Collections.Immutable.ImmutableArray<Diagnostic>> diagnostics)
            => await diagnostics.ConfigureAwait(false);
    }
}
