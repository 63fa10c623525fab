using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.CodeFixes.Common;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Retry;

namespace ResilienceAnalyzers.CodeFixes.Retry;

/// <summary>
/// Polly v7: <c>*Forever*</c> becomes the bounded overload, an oversized count becomes the configured one, and
/// a policy without backoff becomes <c>WaitAndRetry[Async]</c> with jittered exponential sleep durations
/// (Polly.Contrib.WaitAndRetry's <c>DecorrelatedJitterBackoffV2</c> when it is referenced). The other
/// arguments (onRetry and the like) are carried over only when they keep their parameter types.
/// </summary>
internal static class PollyV7PolicyFix
{
    private const string AttemptName = "retryAttempt";

    public static async Task<PlannedFix?> TryCreateAsync(Document document, Diagnostic diagnostic, bool bound, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null
            || root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is not SimpleNameSyntax name
            || name.Parent is not MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax invocation } memberAccess
            || memberAccess.Name != name)
        {
            return null;
        }

        var tree = root.SyntaxTree;
        var options = document.Project.AnalyzerOptions;
        var properties = diagnostic.Properties;
        var arguments = invocation.ArgumentList.Arguments;
        var countIndex = Index(properties, RetryFixHintKeys.CountArgument, arguments.Count);
        var delayIndex = Index(properties, RetryFixHintKeys.DelayArgument, arguments.Count);
        var forever = properties.TryGetValue(RetryFixHintKeys.Forever, out var isForever) && isForever == "true";
        var attempts = System.Math.Min(Options.MaxAttempts.GetValue(options, tree), Options.Res001MaxAttempts.GetValue(options, tree));
        var generator = SyntaxGenerator.GetGenerator(document);

        if (bound && !forever)
        {
            if (countIndex < 0)
            {
                return null;
            }

            // Only the value changes: no overload question.
            var count = arguments[countIndex];
            var bounded = (ExpressionSyntax)generator.LiteralExpression(attempts);
            return new PlannedFix(
                document,
                $"Limit the policy to {attempts} retries",
                editor => editor.ReplaceNode(count.Expression, bounded.WithTriviaFrom(count.Expression)));
        }

        var methodName = name.Identifier.ValueText;
        var isAsync = methodName.EndsWith("Async", System.StringComparison.Ordinal);
        var carried = new List<ArgumentSyntax>();
        for (var i = 0; i < arguments.Count; i++)
        {
            if (i != countIndex && (bound || i != delayIndex))
            {
                carried.Add(arguments[i]);
            }
        }

        var newArguments = new List<ArgumentSyntax>();
        string newName;
        string title;
        if (bound)
        {
            // RetryForever(...) => Retry(n, ...), WaitAndRetryForeverAsync(...) => WaitAndRetryAsync(n, ...).
            newName = methodName.Replace("Forever", string.Empty);
            newArguments.Add(SyntaxFactory.Argument((ExpressionSyntax)generator.LiteralExpression(attempts)));
            title = $"Limit the policy to {attempts} retries";
        }
        else
        {
            var count = countIndex >= 0
                ? arguments[countIndex].Expression.WithoutTrivia()
                : forever
                    ? (ExpressionSyntax)generator.LiteralExpression(attempts)
                    : FixHints.Int(properties, RetryFixHintKeys.RetryCount) is { } retries
                        ? (ExpressionSyntax)generator.LiteralExpression(retries)
                        : null;
            if (count is null || !TryAddJitteredDelays(newArguments, count, generator, model, invocation.SpanStart, options, tree))
            {
                return null;
            }

            newName = isAsync ? "WaitAndRetryAsync" : "WaitAndRetry";
            title = "Use exponential backoff with jitter";
        }

        var newNameNode = RenamedName(name, newName);
        var newArgumentList = invocation.ArgumentList.WithArguments(Arguments(arguments, newArguments, carried));
        var rewritten = invocation.WithExpression(memberAccess.WithName(newNameNode)).WithArgumentList(newArgumentList);
        if (!BindsKeepingArguments(model, invocation, rewritten, carried, cancellationToken))
        {
            return null;
        }

        return new PlannedFix(
            document,
            title,
            editor =>
            {
                editor.ReplaceNode(name, newNameNode);
                editor.ReplaceNode(invocation.ArgumentList, newArgumentList);
            });
    }

    /// <summary>
    /// The new leading arguments, then the carried ones as they were, laid out like the original list:
    /// the first argument's indentation and the original separators' trailing trivia (one line or one per line).
    /// </summary>
    private static SeparatedSyntaxList<ArgumentSyntax> Arguments(SeparatedSyntaxList<ArgumentSyntax> original, List<ArgumentSyntax> leading, List<ArgumentSyntax> carried)
    {
        var separatorTrivia = original.SeparatorCount > 0 ? original.GetSeparator(0).TrailingTrivia : SyntaxFactory.TriviaList(SyntaxFactory.Space);
        var onePerLine = separatorTrivia.Any(SyntaxKind.EndOfLineTrivia);
        var indentation = original.Count > 0 ? original[0].GetLeadingTrivia() : default;
        var nodes = new List<SyntaxNodeOrToken>();
        for (var i = 0; i < leading.Count + carried.Count; i++)
        {
            if (i > 0)
            {
                nodes.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(separatorTrivia));
            }

            if (i < leading.Count)
            {
                var argument = leading[i].WithAdditionalAnnotations(Formatter.Annotation);
                nodes.Add(i == 0 || onePerLine ? argument.WithLeadingTrivia(indentation) : argument);
            }
            else
            {
                var argument = carried[i - leading.Count];
                nodes.Add(i == 0 ? argument.WithLeadingTrivia(indentation) : argument);
            }
        }

        return SyntaxFactory.SeparatedList<ArgumentSyntax>(nodes);
    }

    private static bool TryAddJitteredDelays(List<ArgumentSyntax> arguments, ExpressionSyntax count, SyntaxGenerator generator, SemanticModel model, int position, AnalyzerOptions options, SyntaxTree tree)
    {
        var compilation = model.Compilation;
        var baseMilliseconds = Options.BackoffBaseMilliseconds.GetValue(options, tree);
        if (compilation.GetTypeByMetadataName("Polly.Contrib.WaitAndRetry.Backoff") is { } backoff
            && BackoffSyntax.Milliseconds(generator, compilation, baseMilliseconds) is { } median)
        {
            // WaitAndRetry(IEnumerable<TimeSpan> sleepDurations, ...)
            var delays = generator.InvocationExpression(
                generator.MemberAccessExpression(Imports.TypeReference(generator, backoff), "DecorrelatedJitterBackoffV2"),
                median,
                count);
            arguments.Add(SyntaxFactory.Argument((ExpressionSyntax)delays));
            return true;
        }

        var capMilliseconds = Options.BackoffCapMilliseconds.GetValue(options, tree);
        if (BackoffSyntax.FullJitterLambda(generator, compilation, FreeName(model, position, AttemptName), baseMilliseconds, capMilliseconds) is not { } lambda)
        {
            return false;
        }

        arguments.Add(SyntaxFactory.Argument(count));
        arguments.Add(SyntaxFactory.Argument((ExpressionSyntax)lambda));
        return true;
    }

    /// <summary>A parameter name nothing in scope uses: before C# 8 a lambda parameter may not shadow a local.</summary>
    private static string FreeName(SemanticModel model, int position, string name)
    {
        var candidate = name;
        for (var i = 1; !model.LookupSymbols(position, name: candidate).IsEmpty; i++)
        {
            candidate = name + i.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    private static SimpleNameSyntax RenamedName(SimpleNameSyntax name, string newName)
        => name.WithIdentifier(SyntaxFactory.Identifier(name.Identifier.LeadingTrivia, newName, name.Identifier.TrailingTrivia));

    /// <summary>
    /// The rewritten call must bind to a method, and every argument carried over must land on a parameter of
    /// the same type as before: an onRetry lambda whose parameters would change meaning is not carried.
    /// </summary>
    private static bool BindsKeepingArguments(SemanticModel model, InvocationExpressionSyntax original, InvocationExpressionSyntax rewritten, List<ArgumentSyntax> carried, CancellationToken cancellationToken)
    {
        if (model.GetSpeculativeSymbolInfo(original.SpanStart, rewritten, SpeculativeBindingOption.BindAsExpression).Symbol is not IMethodSymbol method
            || model.GetOperation(original, cancellationToken) is not IInvocationOperation operation)
        {
            return false;
        }

        // Carried arguments come last, in their original order.
        var newArguments = rewritten.ArgumentList.Arguments;
        var offset = newArguments.Count - carried.Count;
        for (var k = 0; k < carried.Count; k++)
        {
            var before = ParameterBefore(operation, carried[k]);
            var after = ParameterAfter(method, carried[k], offset + k);
            if (before is null || after is null || !SymbolEqualityComparer.Default.Equals(before.Type, after.Type))
            {
                return false;
            }
        }

        return true;
    }

    private static IParameterSymbol? ParameterBefore(IInvocationOperation operation, ArgumentSyntax argument)
    {
        foreach (var bound in operation.Arguments)
        {
            if (bound.Syntax == argument)
            {
                return bound.Parameter;
            }
        }

        return null;
    }

    /// <summary>The parameter of the (reduced) method that an argument at <paramref name="position"/> binds to.</summary>
    private static IParameterSymbol? ParameterAfter(IMethodSymbol method, ArgumentSyntax argument, int position)
    {
        if (argument.NameColon is { } nameColon)
        {
            foreach (var parameter in method.Parameters)
            {
                if (parameter.Name == nameColon.Name.Identifier.ValueText)
                {
                    return parameter;
                }
            }

            return null;
        }

        return position < method.Parameters.Length ? method.Parameters[position] : null;
    }

    private static int Index(System.Collections.Immutable.ImmutableDictionary<string, string?> properties, string key, int count)
        => FixHints.Int(properties, key) is { } index && index < count ? index : -1;
}
