using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using ResilienceAnalyzers.CodeFixes.Common;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Load;

namespace ResilienceAnalyzers.CodeFixes.Load;

/// <summary>
/// RES030: a Polly v8 <c>AddRetry(…)</c> gets <c>.AddCircuitBreaker(new CircuitBreakerStrategyOptions())</c> right after it
/// (<c>CircuitBreakerStrategyOptions&lt;T&gt;</c> on a <c>ResiliencePipelineBuilder&lt;T&gt;</c>), so the retry sits outside the
/// breaker as in the standard resilience handler.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CircuitBreakerFixProvider))]
public sealed class CircuitBreakerFixProvider : HintedFixProvider<InvocationExpressionSyntax>
{
    public const string AddCircuitBreakerKey = "RES030:AddCircuitBreaker";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.RetryWithoutCircuitBreaker);

    protected override string EquivalenceKey => AddCircuitBreakerKey;

    protected override InvocationExpressionSyntax? FindTarget(Document document, SyntaxNode root, Diagnostic diagnostic)
        => diagnostic.Properties.TryGetValue(LoadFixHintKeys.Fix, out var fix) && fix == LoadFixHintKeys.AddCircuitBreaker
            ? root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>() is { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "AddRetry" } } call
                ? call
                : null
            : null;

    protected override bool CanFix(Compilation compilation, InvocationExpressionSyntax target)
        => compilation.GetTypeByMetadataName("Polly.CircuitBreaker.CircuitBreakerStrategyOptions") is not null;

    protected override string Title(InvocationExpressionSyntax target) => "Add a circuit breaker after the retry";

    protected override async Task<Document> ApplyAsync(Document document, IReadOnlyList<InvocationExpressionSyntax> targets, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var compilation = editor.SemanticModel.Compilation;
        var plain = compilation.GetTypeByMetadataName("Polly.CircuitBreaker.CircuitBreakerStrategyOptions");
        var generic = compilation.GetTypeByMetadataName("Polly.CircuitBreaker.CircuitBreakerStrategyOptions`1");
        if (plain is null)
        {
            return document;
        }

        foreach (var target in targets)
        {
            // ResiliencePipelineBuilder<T>: the options of the same T.
            var builder = editor.SemanticModel.GetTypeInfo(target, cancellationToken).Type as INamedTypeSymbol;
            ITypeSymbol options = builder is { IsGenericType: true, TypeArguments.Length: 1 } && generic is not null ? generic.Construct(builder.TypeArguments[0]) : plain;
            var generator = editor.Generator;
            editor.ReplaceNode(target, (node, g) => g.InvocationExpression(
                g.MemberAccessExpression(node.WithoutTrailingTrivia(), "AddCircuitBreaker"),
                g.ObjectCreationExpression(Imports.TypeReference(g, options))).WithTrailingTrivia(node.GetTrailingTrivia()));
        }

        return await Imports.AddAsync(editor.GetChangedDocument(), cancellationToken).ConfigureAwait(false);
    }
}
