using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using ResilienceAnalyzers.CodeFixes.Common;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Retry;

namespace ResilienceAnalyzers.CodeFixes.Retry;

/// <summary>
/// A library's own retry settings: RES001 writes <c>resilience_analyzers.max_attempts</c> over the count (one more where
/// the setting counts the first attempt too, as SqlClient's <c>NumberOfTries</c> does); RES002 rewrites MassTransit
/// <c>Immediate(n)</c> and <c>Interval(n, t)</c> to its jittered <c>Exponential(n, base, cap, base)</c>, and a setting with
/// one safe value (Azure <c>RetryMode.Fixed</c>, and for RES003 AWS v3 <c>RequestRetryMode.Legacy</c>) to that value. Everything else has no single right rewrite: no fix.
/// </summary>
internal static class LibraryRetryFix
{
    public static async Task<PlannedFix?> TryCreateAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return null;
        }

        var properties = diagnostic.Properties;
        var options = document.Project.AnalyzerOptions;
        var tree = root.SyntaxTree;
        var generator = SyntaxGenerator.GetGenerator(document);
        if (diagnostic.Id == RuleIdentifiers.RetryHasNoAttemptLimit)
        {
            if (FixHints.Node<ExpressionSyntax>(root, properties, RetryFixHintKeys.CountPosition) is not { } count)
            {
                return null;
            }

            var attempts = System.Math.Min(Options.MaxAttempts.GetValue(options, tree), Options.Res001MaxAttempts.GetValue(options, tree));
            var written = properties.TryGetValue(RetryFixHintKeys.CountsFirstAttempt, out var first) && first == "true" ? attempts + 1 : attempts;
            return new PlannedFix(document, $"Limit the retry to {attempts} attempts", editor => editor.ReplaceNode(count, generator.LiteralExpression(written).WithTriviaFrom(count)));
        }

        if (diagnostic.Id is not (RuleIdentifiers.RetryWithoutBackoff or RuleIdentifiers.BackoffWithoutJitter))
        {
            return null;
        }

        if (FixHints.Node<InvocationExpressionSyntax>(root, properties, RetryFixHintKeys.RetryPolicyCall) is { Expression: MemberAccessExpressionSyntax access } call
            && model.GetSymbolInfo(call, cancellationToken).Symbol is IMethodSymbol { Name: "Immediate" or "Interval" } policy
            && call.ArgumentList.Arguments.Count >= 1
            && BackoffSyntax.Milliseconds(generator, model.Compilation, Options.BackoffBaseMilliseconds.GetValue(options, tree)) is { } baseDelay
            && BackoffSyntax.Milliseconds(generator, model.Compilation, Options.BackoffCapMilliseconds.GetValue(options, tree)) is { } cap)
        {
            // Immediate(0) still retries once; Exponential(0) would not retry at all.
            var retries = call.ArgumentList.Arguments[0].Expression;
            if (policy.Name == "Immediate" && retries is LiteralExpressionSyntax { Token.Value: 0 })
            {
                retries = (ExpressionSyntax)generator.LiteralExpression(1);
            }

            var exponential = call
                .WithExpression(access.WithName(SyntaxFactory.IdentifierName("Exponential").WithTriviaFrom(access.Name)))
                .WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[]
                {
                    SyntaxFactory.Argument(retries.WithoutTrivia()),
                    SyntaxFactory.Argument((ExpressionSyntax)baseDelay),
                    SyntaxFactory.Argument((ExpressionSyntax)cap),
                    SyntaxFactory.Argument((ExpressionSyntax)baseDelay),
                })));
            return new PlannedFix(document, "Use exponential backoff with jitter", editor => editor.ReplaceNode(call, exponential.WithTriviaFrom(call)));
        }

        if (FixHints.Node<ExpressionSyntax>(root, properties, RetryFixHintKeys.ReplaceSpan) is { } value
            && properties.TryGetValue(RetryFixHintKeys.ReplaceWith, out var replacement) && replacement is not null
            && replacement.LastIndexOf('.') is var dot and > 0
            && model.Compilation.GetTypeByMetadataName(replacement.Substring(0, dot)) is { } type)
        {
            var member = generator.MemberAccessExpression(Imports.TypeReference(generator, type), replacement.Substring(dot + 1));
            return new PlannedFix(document, "Use exponential backoff with jitter", editor => editor.ReplaceNode(value, member.WithTriviaFrom(value)));
        }

        return null;
    }
}
