using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
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
/// The fixes for hand-written retry loops: RES001 gets an attempt counter and a rethrow after the last attempt;
/// RES002/RES003 get capped exponential backoff with full jitter. <c>goto</c> and recursive retries get
/// no fix: turning them into a loop is not a mechanical rewrite.
/// </summary>
internal static class RetryLoopFix
{
    /// <summary>The rewrite for one loop diagnostic (its title and how to apply it), or null when none is right.</summary>
    public static async Task<(string Title, Func<CancellationToken, Task<Document>> ApplyAsync)?> TryCreateAsync(
        Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || LoopFixTarget.Find(root, diagnostic) is not { } target)
        {
            return null;
        }

        if (diagnostic.Id == RuleIdentifiers.RetryHasNoAttemptLimit)
        {
            return ("Limit the retry to a fixed number of attempts", ct => BoundAsync(document, target, ct));
        }

        // Several waits on the failure path: which one to rewrite is a judgement, not a fix.
        if (target.HasDelay && target.DelayCall is null)
        {
            return null;
        }

        var semanticModel = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (semanticModel is null || !BackoffSyntax.HasSharedRandom(semanticModel.Compilation))
        {
            return null;
        }

        return ("Use capped exponential backoff with jitter", ct => AddBackoffAsync(document, target, ct));
    }

    private static async Task<Document> BoundAsync(Document document, LoopFixTarget target, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var tree = editor.OriginalRoot.SyntaxTree;
        var maxAttempts = Options.MaxAttempts.GetValue(document.Project.AnalyzerOptions, tree);
        var braces = PrefersBraces(document, tree);

        if (target.Counter is { } counter)
        {
            // A counter already grows with the attempts: compare it.
            foreach (var @catch in target.FailureCatches)
            {
                InsertAtStart(editor, @catch, GuardStatement(IdentifierName(counter), ExistingCounterLimit(target.Loop, @catch, counter, maxAttempts), braces));
            }
        }
        else
        {
            var name = CounterNames.Choose(target.Loop);
            foreach (var @catch in target.FailureCatches)
            {
                InsertAtStart(editor, @catch, GuardStatement(PreIncrement(name), maxAttempts, braces));
            }

            DeclareCounterBefore(editor, target.Loop, name);
        }

        return editor.GetChangedDocument();
    }

    private static async Task<Document> AddBackoffAsync(Document document, LoopFixTarget target, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var semanticModel = editor.SemanticModel;
        var options = document.Project.AnalyzerOptions;
        var tree = editor.OriginalRoot.SyntaxTree;
        var backoff = new JitteredDelay(
            editor.Generator,
            semanticModel.Compilation,
            Options.BackoffBaseMilliseconds.GetValue(options, tree),
            Options.BackoffCapMilliseconds.GetValue(options, tree));

        string counter;
        var newCounter = target.Counter is null;
        if (target.Counter is { } existing)
        {
            counter = existing;
        }
        else
        {
            counter = CounterNames.Choose(target.Loop);
        }

        var token = CancellationTokens.InScope(semanticModel, target.Loop.SpanStart, cancellationToken);
        if (target.DelayCall is { } delayCall)
        {
            var method = semanticModel.GetSymbolInfo(delayCall, cancellationToken).Symbol as IMethodSymbol;
            editor.ReplaceNode(delayCall, (current, _) => backoff.Rewrite((InvocationExpressionSyntax)current, counter, token, method));
        }

        var isAsync = IsInAsyncCode(target.Loop);
        var maxAttempts = Options.MaxAttempts.GetValue(options, tree);
        var braces = PrefersBraces(document, tree);
        foreach (var @catch in target.FailureCatches)
        {
            var prefix = new List<StatementSyntax>();
            if (newCounter)
            {
                // Exponential backoff needs the attempt number; an unbounded loop gets its limit with it.
                prefix.Add(target.IsBounded
                    ? SyntaxFactory.ExpressionStatement(SyntaxFactory.PostfixUnaryExpression(SyntaxKind.PostIncrementExpression, IdentifierName(counter)))
                    : GuardStatement(PreIncrement(counter), maxAttempts, braces));
            }

            var suffix = target.HasDelay ? null : backoff.Statement(counter, isAsync, token);
            editor.ReplaceNode(@catch.Block, (current, _) => Extend((BlockSyntax)current, prefix, suffix));
        }

        if (newCounter)
        {
            DeclareCounterBefore(editor, target.Loop, counter);
        }

        return await Imports.AddAsync(editor.GetChangedDocument(), cancellationToken).ConfigureAwait(false);
    }

    private static void InsertAtStart(DocumentEditor editor, CatchClauseSyntax @catch, StatementSyntax statement)
        => editor.ReplaceNode(@catch.Block, (current, _) => Extend((BlockSyntax)current, new[] { statement }, suffix: null));

    /// <summary>Adds statements at the start of a block, and one before its trailing <c>continue;</c> or at its end.</summary>
    private static BlockSyntax Extend(BlockSyntax block, IReadOnlyList<StatementSyntax> prefix, StatementSyntax? suffix)
    {
        var statements = block.Statements;
        if (suffix is not null)
        {
            var index = statements.Count > 0 && statements.Last() is ContinueStatementSyntax ? statements.Count - 1 : statements.Count;
            statements = statements.Insert(index, suffix);
        }

        statements = statements.InsertRange(0, prefix);
        return block.WithStatements(statements);
    }

    private static void DeclareCounterBefore(DocumentEditor editor, StatementSyntax loop, string name)
    {
        var declaration = SyntaxFactory.LocalDeclarationStatement(
                SyntaxFactory.VariableDeclaration(
                    SyntaxFactory.IdentifierName("var"),
                    SyntaxFactory.SingletonSeparatedList(
                        SyntaxFactory.VariableDeclarator(name)
                            .WithInitializer(SyntaxFactory.EqualsValueClause(SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(0)))))))
            .WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation);

        if (loop.Parent is BlockSyntax or SwitchSectionSyntax)
        {
            editor.InsertBefore(loop, declaration);
        }
        else
        {
            // An embedded statement (if (x) while (...)): a block makes room for the declaration.
            editor.ReplaceNode(loop, (current, _) => SyntaxFactory.Block(declaration, (StatementSyntax)current)
                .WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation));
        }
    }

    /// <summary><c>if (&lt;counter&gt; &gt;= max) throw;</c></summary>
    /// <summary>
    /// The value an existing counter has when the catch sees the last allowed failure, so that the loop makes
    /// <paramref name="maxAttempts"/> attempts in total. When the catch runs after the k-th attempt, a counter that
    /// starts at <c>init</c> holds <c>init + k</c> if it is stepped before the catch in the same pass (at the top of
    /// the loop, in the try) and <c>init + k - 1</c> if it is stepped after it (a for-incrementor, the end of the
    /// body, later in the catch): <c>for (var attempt = 0; ; attempt++)</c> gets <c>attempt &gt;= 2</c> for 3 attempts.
    /// A start that is not a constant keeps the plain limit.
    /// </summary>
    private static int ExistingCounterLimit(StatementSyntax loop, CatchClauseSyntax @catch, string counter, int maxAttempts)
    {
        int? start = null;
        if (loop is ForStatementSyntax { Declaration: { } declaration })
        {
            start = ConstantStart(declaration.Variables.FirstOrDefault(v => v.Identifier.ValueText == counter));
        }

        if (start is null && loop.Parent is BlockSyntax block)
        {
            foreach (var statement in block.Statements.TakeWhile(s => s != loop))
            {
                if (statement is LocalDeclarationStatementSyntax local
                    && local.Declaration.Variables.FirstOrDefault(v => v.Identifier.ValueText == counter) is { } variable)
                {
                    start = ConstantStart(variable);
                }
            }
        }

        bool? steppedBefore = null;
        foreach (var node in loop.DescendantNodes())
        {
            var steps = node switch
            {
                PostfixUnaryExpressionSyntax { Operand: IdentifierNameSyntax name } unary when unary.IsKind(SyntaxKind.PostIncrementExpression) => name.Identifier.ValueText == counter,
                PrefixUnaryExpressionSyntax { Operand: IdentifierNameSyntax name } unary when unary.IsKind(SyntaxKind.PreIncrementExpression) => name.Identifier.ValueText == counter,
                AssignmentExpressionSyntax { Left: IdentifierNameSyntax name } assignment when assignment.IsKind(SyntaxKind.AddAssignmentExpression) => name.Identifier.ValueText == counter,
                _ => false,
            };
            if (!steps)
            {
                continue;
            }

            var inIncrementors = loop is ForStatementSyntax forLoop && forLoop.Incrementors.Any(i => i.Span.Contains(node.Span));
            var before = !inIncrementors && node.SpanStart < @catch.SpanStart;
            if (steppedBefore is { } seen && seen != before)
            {
                return maxAttempts;
            }

            steppedBefore = before;
        }

        if (start is not { } initial || steppedBefore is not { } isBefore)
        {
            return maxAttempts;
        }

        return maxAttempts + initial - (isBefore ? 0 : 1);
    }

    private static int? ConstantStart(VariableDeclaratorSyntax? variable)
        => variable?.Initializer?.Value is LiteralExpressionSyntax { Token.Value: int value } ? value : null;

    /// <summary>The project's <c>.editorconfig</c> asks for braces on every <c>if</c> (<c>csharp_prefer_braces = true</c>).</summary>
    private static bool PrefersBraces(Document document, SyntaxTree tree)
        => document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue("csharp_prefer_braces", out var value)
           && value.Split(':')[0].Trim().Equals("true", System.StringComparison.OrdinalIgnoreCase);

    private static StatementSyntax GuardStatement(ExpressionSyntax counter, int maxAttempts, bool braces)
        => SyntaxFactory.IfStatement(
                SyntaxFactory.BinaryExpression(
                    SyntaxKind.GreaterThanOrEqualExpression,
                    counter,
                    SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(maxAttempts))),
                braces ? SyntaxFactory.Block(SyntaxFactory.ThrowStatement()) : SyntaxFactory.ThrowStatement())
            .WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation);

    private static ExpressionSyntax PreIncrement(string name)
        => SyntaxFactory.PrefixUnaryExpression(SyntaxKind.PreIncrementExpression, IdentifierName(name));

    private static IdentifierNameSyntax IdentifierName(string name) => SyntaxFactory.IdentifierName(name);

    private static bool IsInAsyncCode(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax lambda:
                    return lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword);
                case LocalFunctionStatementSyntax local:
                    return local.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case MethodDeclarationSyntax method:
                    return method.Modifiers.Any(SyntaxKind.AsyncKeyword);
                case MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }
}

/// <summary>The syntax a loop fix edits, found from the analyzer's hints.</summary>
internal sealed class LoopFixTarget
{
    private LoopFixTarget(StatementSyntax loop, ImmutableArray<CatchClauseSyntax> failureCatches, string? counter, InvocationExpressionSyntax? delayCall, bool hasDelay, bool isBounded)
    {
        Loop = loop;
        FailureCatches = failureCatches;
        Counter = counter;
        DelayCall = delayCall;
        HasDelay = hasDelay;
        IsBounded = isBounded;
    }

    public StatementSyntax Loop { get; }

    public ImmutableArray<CatchClauseSyntax> FailureCatches { get; }

    public string? Counter { get; }

    public InvocationExpressionSyntax? DelayCall { get; }

    /// <summary>The failure path already waits (possibly in several places).</summary>
    public bool HasDelay { get; }

    public bool IsBounded { get; }

    public static LoopFixTarget? Find(SyntaxNode root, Diagnostic diagnostic)
    {
        var properties = diagnostic.Properties;
        var loop = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent as StatementSyntax;
        if (loop is not (WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax)
            || FixHints.Int(properties, RetryFixHintKeys.TryPosition) is not { } tryPosition
            || tryPosition < 0 || tryPosition >= root.FullSpan.End
            || root.FindToken(tryPosition).Parent is not TryStatementSyntax @try
            || !properties.TryGetValue(RetryFixHintKeys.FailureCatches, out var indexes) || indexes is null)
        {
            return null;
        }

        var catches = ImmutableArray.CreateBuilder<CatchClauseSyntax>();
        foreach (var text in indexes.Split(','))
        {
            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var index) || index < 0 || index >= @try.Catches.Count)
            {
                return null;
            }

            catches.Add(@try.Catches[index]);
        }

        InvocationExpressionSyntax? delayCall = null;
        if (FixHints.Int(properties, RetryFixHintKeys.DelayPosition) is { } delayPosition)
        {
            if (delayPosition < 0 || delayPosition >= root.FullSpan.End)
            {
                return null;
            }

            delayCall = root.FindToken(delayPosition).Parent?.AncestorsAndSelf()
                .OfType<InvocationExpressionSyntax>()
                .FirstOrDefault(i => i.SpanStart == delayPosition);
            if (delayCall is null)
            {
                return null;
            }
        }

        properties.TryGetValue(RetryFixHintKeys.Counter, out var counter);
        properties.TryGetValue(RetryFixHintKeys.HasDelay, out var hasDelay);
        properties.TryGetValue(RetryFixHintKeys.Bounded, out var bounded);
        return new LoopFixTarget(loop, catches.ToImmutable(), counter, delayCall, hasDelay == "true", bounded == "true");
    }
}
