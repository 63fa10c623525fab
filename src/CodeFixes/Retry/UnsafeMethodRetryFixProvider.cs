using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using ResilienceAnalyzers.CodeFixes.Common;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Retry;

namespace ResilienceAnalyzers.CodeFixes.Retry;

/// <summary>
/// RES007 on a factory client's standard resilience handler: adds <c>options.Retry.DisableForUnsafeHttpMethods()</c> to its
/// configure lambda, or <c>o =&gt; o.Retry.DisableForUnsafeHttpMethods()</c> as its argument when it has none, with the
/// <c>using Microsoft.Extensions.Http.Resilience;</c> the extension method needs.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnsafeMethodRetryFixProvider))]
public sealed class UnsafeMethodRetryFixProvider : HintedFixProvider<InvocationExpressionSyntax>
{
    public const string DisableForUnsafeKey = "RES007:DisableForUnsafeHttpMethods";

    private const string ResilienceNamespace = "Microsoft.Extensions.Http.Resilience";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.NonIdempotentRequestRetried);

    protected override string EquivalenceKey => DisableForUnsafeKey;

    protected override InvocationExpressionSyntax? FindTarget(Document document, SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(FactoryClientFixHintKeys.Fix, out var fix) || fix != FactoryClientFixHintKeys.DisableForUnsafeHttpMethods)
        {
            return null;
        }

        // The diagnostic spans from the method name to the end of the argument list.
        var invocation = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<InvocationExpressionSyntax>();
        return invocation is not null && Lambda(invocation) is var lambda && (lambda is not null || invocation.ArgumentList.Arguments.Count == 0) ? invocation : null;
    }

    protected override bool CanFix(Compilation compilation, InvocationExpressionSyntax target)
        => compilation.GetTypeByMetadataName(ResilienceNamespace + ".HttpRetryStrategyOptionsExtensions") is { } extensions
           && extensions.GetMembers("DisableForUnsafeHttpMethods").Length > 0;

    protected override string Title(InvocationExpressionSyntax target) => "Turn the handler's retries off for POST, PATCH and the other unsafe methods";

    protected override async Task<Document> ApplyAsync(Document document, IReadOnlyList<InvocationExpressionSyntax> targets, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        root = root.ReplaceNodes(targets, (original, _) => Rewrite(original));
        if (root is CompilationUnitSyntax unit && !HasUsing(unit))
        {
            var directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(ResilienceNamespace)).WithAdditionalAnnotations(Formatter.Annotation);
            root = unit.AddUsings(directive);
        }

        return document.WithSyntaxRoot(root);
    }

    /// <summary>The lambda the handler is configured with: <c>AddStandardResilienceHandler(o =&gt; …)</c>.</summary>
    private static LambdaExpressionSyntax? Lambda(InvocationExpressionSyntax invocation)
        => invocation.ArgumentList.Arguments.Count == 1 && invocation.ArgumentList.Arguments[0].Expression is LambdaExpressionSyntax lambda
           && ParameterName(lambda) is not null
            ? lambda
            : null;

    private static string? ParameterName(LambdaExpressionSyntax lambda)
        => lambda switch
        {
            SimpleLambdaExpressionSyntax simple => simple.Parameter.Identifier.ValueText,
            ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: 1 } parenthesized => parenthesized.ParameterList.Parameters[0].Identifier.ValueText,
            _ => null,
        };

    private static ExpressionStatementSyntax Disable(string options)
        => SyntaxFactory.ExpressionStatement(SyntaxFactory.ParseExpression(options + ".Retry.DisableForUnsafeHttpMethods()"));

    private static SyntaxNode Rewrite(InvocationExpressionSyntax invocation)
    {
        if (Lambda(invocation) is not { } lambda)
        {
            var argument = SyntaxFactory.Argument(SyntaxFactory.ParseExpression("o => o.Retry.DisableForUnsafeHttpMethods()"));
            return invocation.WithArgumentList(invocation.ArgumentList.AddArguments(argument));
        }

        var name = ParameterName(lambda)!;
        LambdaExpressionSyntax rewritten;
        if (lambda.Block is { } block)
        {
            rewritten = lambda.WithBlock(block.AddStatements(Disable(name).WithAdditionalAnnotations(Formatter.Annotation)));
        }
        else
        {
            // o => o.X = y becomes a block on lines of its own, indented as the statement that holds the call.
            var statement = invocation.FirstAncestorOrSelf<StatementSyntax>();
            var indent = statement?.GetLeadingTrivia().LastOrDefault(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).ToString() ?? string.Empty;
            var newLine = invocation.SyntaxTree.GetText().ToString().Contains("\r\n") ? "\r\n" : "\n";
            var body = ((ExpressionSyntax)lambda.Body).WithoutTrivia().ToString();
            var text = lambda.ToString().Substring(0, lambda.ArrowToken.Span.End - lambda.SpanStart) + newLine
                       + indent + "{" + newLine
                       + indent + "    " + body + ";" + newLine
                       + indent + "    " + name + ".Retry.DisableForUnsafeHttpMethods();" + newLine
                       + indent + "}";
            rewritten = (LambdaExpressionSyntax)SyntaxFactory.ParseExpression(text).WithTriviaFrom(lambda);
        }

        return invocation.ReplaceNode(lambda, rewritten);
    }

    private static bool HasUsing(CompilationUnitSyntax unit)
        => unit.Usings.Concat(unit.DescendantNodes().OfType<BaseNamespaceDeclarationSyntax>().SelectMany(n => n.Usings))
            .Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == ResilienceNamespace);
}
