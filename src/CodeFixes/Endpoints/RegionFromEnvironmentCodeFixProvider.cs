using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ResilienceAnalyzers.CodeFixes.Common;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Endpoints;

namespace ResilienceAnalyzers.CodeFixes.Endpoints;

/// <summary>
/// RES020 on the region argument of an AWS service client constructor: drops it, so that the SDK resolves the
/// region from the environment (<c>AWS_REGION</c>), the profile or instance metadata. Offered only when the
/// constructor without it exists; every other hard-coded region needs a design decision, not a rewrite.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RegionFromEnvironmentCodeFixProvider))]
public sealed class RegionFromEnvironmentCodeFixProvider : CodeFixProvider
{
    public const string EquivalenceKey = "RES020:RegionFromEnvironment";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.HardCodedSingleRegionEndpoint);

    public override FixAllProvider GetFixAllProvider() => new RuleKeyedFixAllProvider(_ => EquivalenceKey);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(EndpointFixHintKeys.Rewrite, out var rewrite) || rewrite != "DropRegionArgument"
                || Find(root, diagnostic) is not { } target
                || !StillBinds(model, target.Creation, target.Replacement, context.CancellationToken))
            {
                continue;
            }

            context.RegisterCodeFix(
                CodeAction.Create(
                    "Let the AWS SDK resolve the region from the environment",
                    ct => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(target.Creation, target.Replacement))),
                    EquivalenceKey),
                diagnostic);
        }
    }

    /// <summary>The client creation and the same creation without the region argument.</summary>
    private static (ObjectCreationExpressionSyntax Creation, ObjectCreationExpressionSyntax Replacement)? Find(SyntaxNode root, Diagnostic diagnostic)
    {
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        foreach (var ancestor in node.AncestorsAndSelf())
        {
            if (ancestor is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: ObjectCreationExpressionSyntax creation } list } argument
                && (argument.Expression is MemberAccessExpressionSyntax || argument.Expression is InvocationExpressionSyntax))
            {
                return (creation, creation.WithArgumentList(list.WithArguments(list.Arguments.Remove(argument))));
            }

            if (ancestor is StatementSyntax or MemberDeclarationSyntax)
            {
                break;
            }
        }

        return null;
    }

    /// <summary>The shorter argument list must bind to a constructor of the same client.</summary>
    private static bool StillBinds(SemanticModel model, ObjectCreationExpressionSyntax creation, ObjectCreationExpressionSyntax replacement, CancellationToken cancellationToken)
    {
        var original = model.GetSymbolInfo(creation, cancellationToken).Symbol as IMethodSymbol;
        var speculative = model.GetSpeculativeSymbolInfo(creation.SpanStart, replacement, SpeculativeBindingOption.BindAsExpression).Symbol as IMethodSymbol;
        return original is not null && speculative is { MethodKind: MethodKind.Constructor }
               && SymbolEqualityComparer.Default.Equals(original.ContainingType, speculative.ContainingType);
    }
}
