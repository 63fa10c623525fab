using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using ResilienceAnalyzers.Infrastructure;
using ResilienceAnalyzers.Recognition;

namespace ResilienceAnalyzers.CodeFixes;

/// <summary>
/// RES011: gives a gRPC call the deadline <c>DateTime.UtcNow.AddSeconds(n)</c>, <c>n</c> from
/// <c>RES011.deadline_seconds</c>: as a <c>deadline:</c> argument, in the <c>new CallOptions(…)</c> passed, or with
/// <c>.WithDeadline(…)</c> on CallOptions built elsewhere.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(GrpcDeadlineCodeFixProvider))]
[Shared]
public sealed class GrpcDeadlineCodeFixProvider : CodeFixProvider
{
    public const string AddDeadlineKey = "RES011:AddDeadline";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.GrpcCallWithoutDeadline);

    /// <summary>
    /// Fix All edits each document once: batching single fixes would merge conflicting <c>using</c> insertions
    /// (<c>System</c> for DateTime, <c>Grpc.Core</c> for CallOptions) and leave diagnostics for a second pass.
    /// </summary>
    public override FixAllProvider GetFixAllProvider() => FixAllProvider.Create(FixAllInDocumentAsync);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(FixHintKeys.DeadlineFix, out var fixText)
                || !System.Enum.TryParse<DeadlineFixKind>(fixText, out var fix)
                || Target(root, diagnostic, fix) is not { } target)
            {
                continue;
            }

            var seconds = Options.Res011DeadlineSeconds.GetValue(context.Document.Project.AnalyzerOptions, root.SyntaxTree);
            context.RegisterCodeFix(
                CodeAction.Create(
                    string.Format(CultureInfo.InvariantCulture, "Add a deadline {0} seconds from now", seconds),
                    ct => FixAsync(context.Document, target, fix, seconds, ct),
                    AddDeadlineKey),
                diagnostic);
        }
    }

    /// <summary>The invocation for <see cref="DeadlineFixKind.AddArgument"/>, else the expression the analyzer pointed at.</summary>
    private static SyntaxNode? Target(SyntaxNode root, Diagnostic diagnostic, DeadlineFixKind fix)
    {
        if (fix != DeadlineFixKind.AddArgument)
        {
            var value = FixHints.ValueNode(root, diagnostic);
            return fix switch
            {
                DeadlineFixKind.CallOptionsCreation => value as BaseObjectCreationExpressionSyntax,
                _ => value as ExpressionSyntax,
            };
        }

        var name = root.FindToken(diagnostic.Location.SourceSpan.Start);
        return name.Parent?.AncestorsAndSelf().OfType<InvocationExpressionSyntax>()
            .FirstOrDefault(i => i.Expression.Span.End == name.Span.End || (i.Expression is GenericNameSyntax generic && generic.Identifier == name));
    }

    private static Task<Document> FixAsync(Document document, SyntaxNode target, DeadlineFixKind fix, int seconds, CancellationToken cancellationToken)
        => FixAllAsync(document, new[] { (target, fix) }, seconds, cancellationToken);

    private static async Task<Document?> FixAllInDocumentAsync(FixAllContext context, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return null;
        }

        var targets = new List<(SyntaxNode Target, DeadlineFixKind Fix)>();
        foreach (var diagnostic in diagnostics)
        {
            if (diagnostic.Properties.TryGetValue(FixHintKeys.DeadlineFix, out var fixText)
                && System.Enum.TryParse<DeadlineFixKind>(fixText, out var fix)
                && Target(root, diagnostic, fix) is { } target)
            {
                targets.Add((target, fix));
            }
        }

        var seconds = Options.Res011DeadlineSeconds.GetValue(document.Project.AnalyzerOptions, root.SyntaxTree);
        return targets.Count == 0 ? null : await FixAllAsync(document, targets, seconds, context.CancellationToken).ConfigureAwait(false);
    }

    private static async Task<Document> FixAllAsync(Document document, IReadOnlyList<(SyntaxNode Target, DeadlineFixKind Fix)> targets, int seconds, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var expressions = new GeneratedExpressions(editor.Generator, editor.SemanticModel.Compilation, "System.DateTime", "Grpc.Core.CallOptions");
        var deadlineText = string.Format(CultureInfo.InvariantCulture, "ΦDateTime.UtcNow.AddSeconds({0})", seconds);

        // Nested calls (client.A(client.B(x))) are edited through the callbacks, each seeing the other's change.
        foreach (var (target, fix) in targets)
        {
            var deadline = expressions.Build(deadlineText);
            switch (fix)
            {
                case DeadlineFixKind.AddArgument:
                    editor.ReplaceNode(((InvocationExpressionSyntax)target).ArgumentList, (current, _) => ((ArgumentListSyntax)current).AddArguments(DeadlineArgument(deadline)));
                    break;
                case DeadlineFixKind.ReplaceArgument:
                    editor.ReplaceNode(target, (current, _) => deadline.WithTriviaFrom(current));
                    break;
                case DeadlineFixKind.CallOptionsCreation:
                    editor.ReplaceNode(target, (current, _) => WithDeadlineArgument((BaseObjectCreationExpressionSyntax)current, deadline));
                    break;
                case DeadlineFixKind.CallOptionsDefault:
                    var creation = SyntaxFactory.ObjectCreationExpression(
                        SyntaxFactory.Token(SyntaxKind.NewKeyword).WithTrailingTrivia(SyntaxFactory.Space),
                        (TypeSyntax)expressions.TypeName("CallOptions"),
                        SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(DeadlineArgument(deadline))),
                        initializer: null);
                    editor.ReplaceNode(target, (current, _) => creation.WithTriviaFrom(current));
                    break;
                default:
                    editor.ReplaceNode(target, (current, _) => WithDeadlineCall((ExpressionSyntax)current, deadline));
                    break;
            }
        }

        return await Imports.AddMissingAsync(editor.GetChangedDocument(), expressions.Namespaces, editor.SemanticModel, targets[0].Target.SpanStart, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>options.WithDeadline(deadline)</c>, parenthesizing a receiver that needs it.</summary>
    private static ExpressionSyntax WithDeadlineCall(ExpressionSyntax options, ExpressionSyntax deadline)
    {
        var receiver = options is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ObjectCreationExpressionSyntax or ParenthesizedExpressionSyntax
            ? options.WithoutTrivia()
            : SyntaxFactory.ParenthesizedExpression(options.WithoutTrivia());
        return SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, receiver, SyntaxFactory.IdentifierName("WithDeadline")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(deadline))))
            .WithTriviaFrom(options);
    }

    private static ArgumentSyntax DeadlineArgument(ExpressionSyntax deadline)
        => SyntaxFactory.Argument(SyntaxFactory.NameColon(SyntaxFactory.IdentifierName("deadline")), default, deadline);

    /// <summary>Replaces the <c>deadline</c> argument of <c>new CallOptions(…)</c> (named, or second positional), or adds one.</summary>
    private static BaseObjectCreationExpressionSyntax WithDeadlineArgument(BaseObjectCreationExpressionSyntax creation, ExpressionSyntax deadline)
    {
        var list = creation.ArgumentList ?? SyntaxFactory.ArgumentList();
        var arguments = list.Arguments;
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument.NameColon?.Name.Identifier.ValueText == "deadline"
                || (argument.NameColon is null && i == 1 && arguments.Take(2).All(a => a.NameColon is null)))
            {
                return creation.WithArgumentList(list.WithArguments(arguments.Replace(argument, argument.WithExpression(deadline.WithTriviaFrom(argument.Expression)))));
            }
        }

        var updated = list.AddArguments(DeadlineArgument(deadline));
        return creation.ArgumentList is null && creation is ObjectCreationExpressionSyntax objectCreation
            ? objectCreation.WithType(objectCreation.Type.WithoutTrailingTrivia()).WithArgumentList(updated.WithTrailingTrivia(objectCreation.Type.GetTrailingTrivia()))
            : creation.WithArgumentList(updated);
    }
}
