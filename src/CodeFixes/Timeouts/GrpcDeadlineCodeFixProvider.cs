using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using ResilienceAnalyzers.CodeFixes.Common;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Timeouts;

namespace ResilienceAnalyzers.CodeFixes.Timeouts;

/// <summary>
/// RES011: gives a gRPC call the deadline <c>DateTime.UtcNow.AddSeconds(n)</c>, <c>n</c> from
/// <c>RES011.deadline_seconds</c>: as a <c>deadline:</c> argument, in the <c>new CallOptions(…)</c> passed, or with
/// <c>.WithDeadline(…)</c> on CallOptions built elsewhere.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(GrpcDeadlineCodeFixProvider))]
public sealed class GrpcDeadlineCodeFixProvider : HintedFixProvider<GrpcDeadlineCodeFixProvider.Target>
{
    public const string AddDeadlineKey = "RES011:AddDeadline";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.GrpcCallWithoutDeadline);

    protected override string EquivalenceKey => AddDeadlineKey;

    /// <summary>The invocation for <see cref="DeadlineFixKind.AddArgument"/>, else the expression the analyzer pointed at.</summary>
    protected override Target? FindTarget(Document document, SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(TimeoutFixHintKeys.DeadlineFix, out var fixText)
            || !System.Enum.TryParse<DeadlineFixKind>(fixText, out var fix))
        {
            return null;
        }

        SyntaxNode? node;
        if (fix == DeadlineFixKind.AddArgument)
        {
            node = FixHints.CallNamedAt(root, diagnostic);
        }
        else
        {
            var value = FixHints.ValueNode(root, diagnostic);
            node = fix == DeadlineFixKind.CallOptionsCreation ? value as BaseObjectCreationExpressionSyntax : value as ExpressionSyntax;
        }

        var seconds = Options.Res011DeadlineSeconds.GetValue(document.Project.AnalyzerOptions, root.SyntaxTree);
        return node is null ? null : new Target(node, fix, seconds);
    }

    protected override string Title(Target target)
        => string.Format(CultureInfo.InvariantCulture, "Add a deadline {0} seconds from now", target.Seconds);

    protected override async Task<Document> ApplyAsync(Document document, IReadOnlyList<Target> targets, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var generator = editor.Generator;
        var compilation = editor.SemanticModel.Compilation;
        if (compilation.GetTypeByMetadataName("System.DateTime") is not { } dateTime
            || compilation.GetTypeByMetadataName("Grpc.Core.CallOptions") is not { } callOptions)
        {
            return document;
        }

        // Nested calls (client.A(client.B(x))) are edited through the callbacks, each seeing the other's change.
        foreach (var target in targets)
        {
            var node = target.Node;

            // DateTime.UtcNow.AddSeconds(n), fully qualified and annotated for Imports.AddAsync, shortened by the cleanup.
            var deadline = (ExpressionSyntax)generator.InvocationExpression(
                generator.MemberAccessExpression(generator.MemberAccessExpression(Imports.TypeReference(generator, dateTime), "UtcNow"), "AddSeconds"),
                generator.LiteralExpression(target.Seconds));
            switch (target.Fix)
            {
                case DeadlineFixKind.AddArgument:
                    editor.ReplaceNode(((InvocationExpressionSyntax)node).ArgumentList, (current, _) => ((ArgumentListSyntax)current).AddArguments(DeadlineArgument(deadline)));
                    break;
                case DeadlineFixKind.ReplaceArgument:
                    editor.ReplaceNode(node, (current, _) => deadline.WithTriviaFrom(current));
                    break;
                case DeadlineFixKind.CallOptionsCreation:
                    editor.ReplaceNode(node, (current, _) => WithDeadlineArgument((BaseObjectCreationExpressionSyntax)current, deadline));
                    break;
                case DeadlineFixKind.CallOptionsDefault:
                    var creation = SyntaxFactory.ObjectCreationExpression(
                        SyntaxFactory.Token(SyntaxKind.NewKeyword).WithTrailingTrivia(SyntaxFactory.Space),
                        (TypeSyntax)Imports.TypeReference(generator, callOptions),
                        SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(DeadlineArgument(deadline))),
                        initializer: null);
                    editor.ReplaceNode(node, (current, _) => creation.WithTriviaFrom(current));
                    break;
                default:
                    editor.ReplaceNode(node, (current, _) => WithDeadlineCall((ExpressionSyntax)current, deadline));
                    break;
            }
        }

        return await Imports.AddAsync(editor.GetChangedDocument(), cancellationToken).ConfigureAwait(false);
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

    /// <summary>Where one call gets its deadline, and how many seconds away.</summary>
    public sealed class Target
    {
        internal Target(SyntaxNode node, DeadlineFixKind fix, int seconds)
        {
            Node = node;
            Fix = fix;
            Seconds = seconds;
        }

        internal SyntaxNode Node { get; }

        internal DeadlineFixKind Fix { get; }

        internal int Seconds { get; }
    }
}
