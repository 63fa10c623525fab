using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using ResilienceAnalyzers.CodeFixes.Common;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Retry;

namespace ResilienceAnalyzers.CodeFixes.Retry;

/// <summary>
/// Polly v8 options and the standard handler: RES001 sets <c>MaxRetryAttempts</c> to
/// <c>resilience_analyzers.max_attempts</c>; RES002/RES003 leave the options with
/// <c>BackoffType = DelayBackoffType.Exponential</c> and <c>UseJitter = true</c> (and a non-zero
/// <c>Delay</c>), replacing the faulty values and adding the settings whose default is at fault.
/// A <c>DelayGenerator</c> is code with no single right rewrite: no fix.
/// </summary>
internal static class PollyOptionsFix
{
    public static async Task<PlannedFix?> TryCreateAsync(Document document, Diagnostic diagnostic, bool bound, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return null;
        }

        var properties = diagnostic.Properties;
        properties.TryGetValue(RetryFixHintKeys.Setting, out var setting);
        var options = document.Project.AnalyzerOptions;
        var tree = root.SyntaxTree;
        var generator = SyntaxGenerator.GetGenerator(document);
        var creation = Position(properties, RetryFixHintKeys.CreationPosition) is { } creationPosition
            ? root.FindToken(creationPosition).Parent as BaseObjectCreationExpressionSyntax
            : null;

        if (bound)
        {
            var attempts = System.Math.Min(Options.MaxAttempts.GetValue(options, tree), Options.Res001MaxAttempts.GetValue(options, tree));
            var value = generator.LiteralExpression(attempts);
            var title = $"Limit the retry to {attempts} attempts";
            if (setting == "MaxRetryAttempts" && Assignment(root, diagnostic.Location.SourceSpan.Start) is { } assignment)
            {
                return new PlannedFix(document, title, editor => editor.ReplaceNode(assignment.Right, value.WithTriviaFrom(assignment.Right)));
            }

            if (setting == "Default" && creation is not null)
            {
                var added = new[] { (ExpressionSyntax)generator.AssignmentStatement(generator.IdentifierName("MaxRetryAttempts"), value) };
                return new PlannedFix(document, title, editor => editor.ReplaceNode(creation, (current, _) => ObjectInitializers.Add((BaseObjectCreationExpressionSyntax)current, added)));
            }

            return null;
        }

        if (setting == "DelayGenerator" || model.Compilation.GetTypeByMetadataName("Polly.DelayBackoffType") is not { } backoffType)
        {
            return null;
        }

        var exponential = generator.MemberAccessExpression(Imports.TypeReference(generator, backoffType), "Exponential");
        var replacements = new List<(AssignmentExpressionSyntax Assignment, SyntaxNode Value)>();
        AddReplacement(replacements, root, properties, RetryFixHintKeys.BackoffTypePosition, exponential);
        AddReplacement(replacements, root, properties, RetryFixHintKeys.UseJitterPosition, generator.TrueLiteralExpression());
        if (Position(properties, RetryFixHintKeys.DelaySettingPosition) is not null)
        {
            var delay = BackoffSyntax.Milliseconds(generator, model.Compilation, Options.BackoffBaseMilliseconds.GetValue(options, tree));
            if (delay is null)
            {
                return null;
            }

            AddReplacement(replacements, root, properties, RetryFixHintKeys.DelaySettingPosition, delay);
        }

        var additions = new List<ExpressionSyntax>();
        if (properties.TryGetValue(RetryFixHintKeys.MissingSettings, out var missing) && missing is not null)
        {
            if (creation is null)
            {
                return null;
            }

            foreach (var name in missing.Split(','))
            {
                var value = name switch
                {
                    "BackoffType" => exponential,
                    "UseJitter" => generator.TrueLiteralExpression(),
                    _ => null,
                };
                if (value is not null)
                {
                    additions.Add((ExpressionSyntax)generator.AssignmentStatement(generator.IdentifierName(name), value));
                }
            }
        }

        if (replacements.Count == 0 && additions.Count == 0)
        {
            return null;
        }

        return new PlannedFix(
            document,
            "Use exponential backoff with jitter",
            editor =>
            {
                // Values first: an added setting may land in the initializer that holds a replaced one.
                foreach (var (assignment, value) in replacements)
                {
                    editor.ReplaceNode(assignment.Right, value.WithTriviaFrom(assignment.Right));
                }

                if (additions.Count > 0 && creation is not null)
                {
                    editor.ReplaceNode(creation, (current, _) => ObjectInitializers.Add((BaseObjectCreationExpressionSyntax)current, additions));
                }
            });
    }

    private static void AddReplacement(List<(AssignmentExpressionSyntax, SyntaxNode)> replacements, SyntaxNode root, System.Collections.Immutable.ImmutableDictionary<string, string?> properties, string key, SyntaxNode value)
    {
        if (Position(properties, key) is { } position && Assignment(root, position) is { } assignment)
        {
            replacements.Add((assignment, value));
        }
    }

    /// <summary>The assignment expression that starts at <paramref name="position"/>.</summary>
    private static AssignmentExpressionSyntax? Assignment(SyntaxNode root, int position)
    {
        for (var node = root.FindToken(position).Parent; node is not null && node.SpanStart == position; node = node.Parent)
        {
            if (node is AssignmentExpressionSyntax assignment)
            {
                return assignment;
            }
        }

        return null;
    }

    private static int? Position(System.Collections.Immutable.ImmutableDictionary<string, string?> properties, string key)
        => FixHints.Int(properties, key);
}
