using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using ResilienceAnalyzers.CodeFixes.Common;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Retry;

namespace ResilienceAnalyzers.CodeFixes.Retry;

/// <summary>
/// RES004: cap the growing delay at <c>resilience_analyzers.backoff_cap_ms</c>. Polly v8 options get <c>MaxDelay</c>; a
/// loop's delay or a v7 sleep-duration lambda gets <c>Math.Min(cap, …)</c>, inside <c>TimeSpan.FromX(…)</c> when the
/// delay is one (so the growing number is capped before it becomes a <c>TimeSpan</c> that could overflow); a delay
/// local the loop multiplies is capped where it is written. A <c>DelayGenerator</c> gets no fix: <c>MaxDelay</c> does
/// not cap what a generator returns.
/// </summary>
internal static class BackoffCapFix
{
    public static async Task<PlannedFix?> TryCreateAsync(Document document, Diagnostic diagnostic, string? construct, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return null;
        }

        var cap = Options.BackoffCapMilliseconds.GetValue(document.Project.AnalyzerOptions, root.SyntaxTree);
        var title = $"Cap the delay at {cap} ms";
        var properties = diagnostic.Properties;
        if (construct == nameof(RetryConstructKind.PollyV8))
        {
            properties.TryGetValue(RetryFixHintKeys.Setting, out var setting);
            if (setting != "MaxDelay"
                || FixHints.Int(properties, RetryFixHintKeys.CreationPosition) is not { } position
                || root.FindToken(position).Parent?.AncestorsAndSelf().OfType<BaseObjectCreationExpressionSyntax>().FirstOrDefault() is not { } creation
                || creation.SpanStart != position
                || !HasMaxDelay(model.GetTypeInfo(creation, cancellationToken).Type)
                || BackoffSyntax.Milliseconds(SyntaxGenerator.GetGenerator(document), model.Compilation, cap) is not { } maxDelay)
            {
                return null;
            }

            var added = new[] { (ExpressionSyntax)SyntaxGenerator.GetGenerator(document).AssignmentStatement(SyntaxFactory.IdentifierName("MaxDelay"), maxDelay) };
            return new PlannedFix(document, title, editor => editor.ReplaceNode(creation, (current, _) => ObjectInitializers.Add((BaseObjectCreationExpressionSyntax)current, added)));
        }

        if (construct is not (nameof(RetryConstructKind.Loop) or nameof(RetryConstructKind.PollyV7))
            || FixHints.Node<ExpressionSyntax>(root, properties, RetryFixHintKeys.GrowthSpan) is not { } growing)
        {
            return null;
        }

        // A delay local the loop multiplies: cap the write, so the local itself stops growing.
        if (Unparenthesized(growing) is IdentifierNameSyntax name
            && model.GetSymbolInfo(name, cancellationToken).Symbol is ILocalSymbol local
            && growing.FirstAncestorOrSelf<StatementSyntax>(s => s is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax) is { } loop)
        {
            var writes = loop.DescendantNodes()
                .OfType<AssignmentExpressionSyntax>()
                .Where(a => a.Left is IdentifierNameSyntax target && target.Identifier.ValueText == local.Name
                            && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(target, cancellationToken).Symbol, local))
                .ToList();
            if (writes.Count != 1 || Grown(writes[0]) is not { } grown || Capped(grown, model.GetTypeInfo(writes[0].Left, cancellationToken).Type, cap, model, SyntaxGenerator.GetGenerator(document), cancellationToken) is not { } cappedWrite)
            {
                return null;
            }

            var write = writes[0];
            var replacement = SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, write.Left.WithoutTrivia(), cappedWrite).WithTriviaFrom(write);
            return new PlannedFix(document, title, editor => editor.ReplaceNode(write, replacement));
        }

        if (Capped(growing, model.GetTypeInfo(growing, cancellationToken).Type, cap, model, SyntaxGenerator.GetGenerator(document), cancellationToken) is not { } capped)
        {
            return null;
        }

        return new PlannedFix(document, title, editor => editor.ReplaceNode(growing, capped.WithTriviaFrom(growing)));
    }

    /// <summary>The options type has <c>MaxDelay</c> (Polly.Core versions before it do not).</summary>
    private static bool HasMaxDelay(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (!current.GetMembers("MaxDelay").IsEmpty)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>What a write makes the local: <c>delay *= 2</c> ⇒ <c>delay * 2</c>; <c>delay = x</c> ⇒ <c>x</c>.</summary>
    private static ExpressionSyntax? Grown(AssignmentExpressionSyntax write)
    {
        var operatorKind = write.Kind() switch
        {
            SyntaxKind.SimpleAssignmentExpression => SyntaxKind.None,
            SyntaxKind.MultiplyAssignmentExpression => SyntaxKind.MultiplyExpression,
            SyntaxKind.AddAssignmentExpression => SyntaxKind.AddExpression,
            SyntaxKind.LeftShiftAssignmentExpression => SyntaxKind.LeftShiftExpression,
            _ => (SyntaxKind?)null,
        };
        return operatorKind switch
        {
            null => null,
            SyntaxKind.None => write.Right,
            { } kind => SyntaxFactory.BinaryExpression(kind, write.Left.WithoutTrivia(), Parenthesize(write.Right.WithoutTrivia())),
        };
    }

    /// <summary>
    /// <c>TimeSpan.FromSeconds(x)</c> ⇒ <c>TimeSpan.FromSeconds(Math.Min(cap in seconds, x))</c>; another <c>TimeSpan</c> ⇒
    /// <c>TimeSpan.FromMilliseconds(Math.Min(cap, (x).TotalMilliseconds))</c>; a number of milliseconds ⇒ <c>Math.Min(cap, x)</c>.
    /// </summary>
    private static ExpressionSyntax? Capped(ExpressionSyntax value, ITypeSymbol? type, int capMilliseconds, SemanticModel model, SyntaxGenerator generator, CancellationToken cancellationToken)
    {
        var bare = value.WithoutTrivia();
        var math = model.Compilation.GetTypeByMetadataName("System.Math");
        if (type is null || math is null)
        {
            return null;
        }

        ExpressionSyntax MathMin(ExpressionSyntax cap, ExpressionSyntax capped)
            => (ExpressionSyntax)generator.InvocationExpression(generator.MemberAccessExpression(Imports.TypeReference(generator, math), "Min"), cap, capped)
                .WithAdditionalAnnotations(Formatter.Annotation);

        if (type is { Name: "TimeSpan", ContainingNamespace.Name: "System" })
        {
            if (Unparenthesized(bare) is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } fromUnit
                && model.GetSymbolInfo(Unparenthesized(value), cancellationToken).Symbol is IMethodSymbol { IsStatic: true, ContainingType.Name: "TimeSpan" } method
                && UnitMilliseconds(method.Name) is { } unit)
            {
                var argument = fromUnit.ArgumentList.Arguments[0];
                var capInUnit = Literal(capMilliseconds / unit);
                return fromUnit.WithArgumentList(fromUnit.ArgumentList.WithArguments(SyntaxFactory.SingletonSeparatedList(
                    argument.WithExpression(MathMin(capInUnit, argument.Expression.WithoutTrivia())))));
            }

            var milliseconds = SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, Parenthesize(bare), SyntaxFactory.IdentifierName("TotalMilliseconds"));
            return (ExpressionSyntax)generator.InvocationExpression(
                generator.MemberAccessExpression(Imports.TypeReference(generator, type), "FromMilliseconds"),
                MathMin(Literal(capMilliseconds), milliseconds));
        }

        if (type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Double or SpecialType.System_Single)
        {
            return MathMin(Literal(capMilliseconds), bare);
        }

        return null;
    }

    private static double? UnitMilliseconds(string name)
        => name switch
        {
            "FromMilliseconds" => 1,
            "FromSeconds" => 1000,
            "FromMinutes" => 60_000,
            "FromHours" => 3_600_000,
            _ => null,
        };

    private static ExpressionSyntax Literal(double value)
        => value == System.Math.Floor(value) && value <= int.MaxValue
            ? SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal((int)value))
            : SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(value));

    private static ExpressionSyntax Parenthesize(ExpressionSyntax expression)
        => expression is IdentifierNameSyntax or InvocationExpressionSyntax or MemberAccessExpressionSyntax or LiteralExpressionSyntax or ParenthesizedExpressionSyntax
            ? expression
            : SyntaxFactory.ParenthesizedExpression(expression);

    private static ExpressionSyntax Unparenthesized(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression;
    }
}
