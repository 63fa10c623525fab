using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using ResilienceAnalyzers.CodeFixes.Common;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Endpoints;

namespace ResilienceAnalyzers.CodeFixes.Endpoints;

/// <summary>
/// RES021: gives a process-lived HttpClient a <c>SocketsHttpHandler</c> whose <c>PooledConnectionLifetime</c> is
/// two minutes (the rotation IHttpClientFactory uses), carrying every <c>HttpClientHandler</c> setting over, or
/// turns an infinite IHttpClientFactory handler lifetime into two minutes. The analyzer decides what is safe:
/// no fix is offered for a handler setting <c>SocketsHttpHandler</c> does not have, nor where
/// <c>SocketsHttpHandler</c> does not exist (.NET Framework, netstandard).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PooledConnectionLifetimeCodeFixProvider))]
public sealed class PooledConnectionLifetimeCodeFixProvider : HintedFixProvider<PooledConnectionLifetimeCodeFixProvider.Target>
{
    public const string PooledConnectionLifetimeKey = "RES021:PooledConnectionLifetime";

    private const string LifetimeProperty = "PooledConnectionLifetime";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.LongLivedHttpClientIgnoresDns);

    protected override string EquivalenceKey => PooledConnectionLifetimeKey;

    /// <summary>The rewrite the analyzer chose (<see cref="EndpointFixHintKeys.Rewrite"/>) and the node it applies to.</summary>
    public sealed class Target
    {
        public Target(string rewrite, SyntaxNode node)
        {
            Rewrite = rewrite;
            Node = node;
        }

        public string Rewrite { get; }

        public SyntaxNode Node { get; }
    }

    protected override Target? FindTarget(Document document, SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(EndpointFixHintKeys.Rewrite, out var rewrite) || rewrite is null)
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        SyntaxNode? target = rewrite switch
        {
            "FiniteHandlerLifetime" => node as ExpressionSyntax,
            "NewHandler" => node.FirstAncestorOrSelf<BaseObjectCreationExpressionSyntax>(),
            "ReplaceHandler" => FindHandler(root, diagnostic) as ObjectCreationExpressionSyntax,
            "AddLifetime" => FindHandler(root, diagnostic),
            _ => null,
        };
        return target is null ? null : new Target(rewrite, target);
    }

    /// <summary>TimeSpan always; SocketsHttpHandler unless only the factory's handler lifetime changes (.NET Core 2.1 and later).</summary>
    protected override bool CanFix(Compilation compilation, Target target)
        => compilation.GetTypeByMetadataName("System.TimeSpan") is not null
           && (target.Rewrite == "FiniteHandlerLifetime" || compilation.GetTypeByMetadataName("System.Net.Http.SocketsHttpHandler") is not null);

    protected override string Title(Target target)
        => target.Rewrite == "FiniteHandlerLifetime"
            ? "Let IHttpClientFactory rotate handlers every 2 minutes"
            : "Use a SocketsHttpHandler with PooledConnectionLifetime of 2 minutes";

    protected override async Task<Document> ApplyAsync(Document document, IReadOnlyList<Target> targets, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var types = new GeneratedTypes(editor.Generator, editor.SemanticModel.Compilation);

        // Nested targets (a client and the handler inside it) are edited through callbacks, each seeing the other's change.
        foreach (var target in targets)
        {
            switch (target.Rewrite)
            {
                case "FiniteHandlerLifetime":
                    editor.ReplaceNode(target.Node, (current, _) => types.TwoMinutes().WithTriviaFrom(current));
                    break;
                case "NewHandler":
                    editor.ReplaceNode(target.Node, (current, _) => AddHandlerArgument((BaseObjectCreationExpressionSyntax)current, types.NewSocketsHandler()));
                    break;
                case "ReplaceHandler":
                    editor.ReplaceNode(target.Node, (current, _) => SetLifetime(((ObjectCreationExpressionSyntax)current).WithType(types.Type("System.Net.Http.SocketsHttpHandler").WithTriviaFrom(((ObjectCreationExpressionSyntax)current).Type)), types));
                    break;
                case "AddLifetime":
                    editor.ReplaceNode(target.Node, (current, _) => SetLifetime((BaseObjectCreationExpressionSyntax)current, types));
                    break;
            }
        }

        return await Imports.AddAsync(editor.GetChangedDocument(), cancellationToken).ConfigureAwait(false);
    }

    private static BaseObjectCreationExpressionSyntax? FindHandler(SyntaxNode root, Diagnostic diagnostic)
    {
        if (FixHints.Int(diagnostic.Properties, EndpointFixHintKeys.HandlerPosition) is not { } position
            || position < 0 || position >= root.FullSpan.End)
        {
            return null;
        }

        return root.FindToken(position).Parent?.AncestorsAndSelf().OfType<BaseObjectCreationExpressionSyntax>().FirstOrDefault(c => c.SpanStart == position);
    }

    /// <summary><c>new HttpClient()</c> ⇒ <c>new HttpClient(handler)</c>; the client's own initializer stays as it is.</summary>
    private static SyntaxNode AddHandlerArgument(BaseObjectCreationExpressionSyntax client, ExpressionSyntax handler)
    {
        if (client.ArgumentList is { } arguments)
        {
            return client.WithArgumentList(arguments.WithArguments(arguments.Arguments.Insert(0, SyntaxFactory.Argument(handler))));
        }

        // new HttpClient { ... }: the argument list goes between the type and the initializer.
        var creation = (ObjectCreationExpressionSyntax)client;
        var list = SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(handler)))
            .WithTrailingTrivia(creation.Type.GetTrailingTrivia());
        return creation.WithType(creation.Type.WithoutTrailingTrivia()).WithArgumentList(list);
    }

    /// <summary>Sets <c>PooledConnectionLifetime = TimeSpan.FromMinutes(2)</c> in the handler's initializer, replacing an infinite one.</summary>
    private static SyntaxNode SetLifetime(BaseObjectCreationExpressionSyntax handler, GeneratedTypes types)
    {
        var lifetime = types.TwoMinutes();
        if (handler.Initializer is { } initializer)
        {
            foreach (var expression in initializer.Expressions)
            {
                if (expression is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: LifetimeProperty } } existing)
                {
                    return handler.ReplaceNode(existing.Right, lifetime.WithTriviaFrom(existing.Right));
                }
            }

            return handler.WithInitializer(Append(initializer, Assignment(lifetime)));
        }

        var single = SyntaxFactory.InitializerExpression(
            SyntaxKind.ObjectInitializerExpression,
            SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(Assignment(lifetime).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space)));
        var trailing = handler.GetTrailingTrivia();
        if (handler is ObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 0 } explicitCreation)
        {
            // new SocketsHttpHandler() ⇒ new SocketsHttpHandler { ... }
            return explicitCreation.WithArgumentList(null).WithType(explicitCreation.Type.WithTrailingTrivia(SyntaxFactory.Space))
                .WithInitializer(single.WithTrailingTrivia(trailing));
        }

        return handler.WithoutTrailingTrivia().WithInitializer(single.WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(trailing));
    }

    private static AssignmentExpressionSyntax Assignment(ExpressionSyntax lifetime)
        => SyntaxFactory.AssignmentExpression(SyntaxKind.SimpleAssignmentExpression, SyntaxFactory.IdentifierName(LifetimeProperty), lifetime);

    /// <summary>Adds a member to an object initializer in its own layout: one per line, or all on one line.</summary>
    private static InitializerExpressionSyntax Append(InitializerExpressionSyntax initializer, ExpressionSyntax member)
    {
        var expressions = initializer.Expressions;
        if (expressions.Count == 0)
        {
            return initializer.WithExpressions(SyntaxFactory.SingletonSeparatedList(member.WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space)));
        }

        var last = expressions[expressions.Count - 1];
        var multiLine = initializer.OpenBraceToken.GetLocation().GetLineSpan().StartLinePosition.Line
                        != initializer.CloseBraceToken.GetLocation().GetLineSpan().StartLinePosition.Line;
        var items = new List<SyntaxNodeOrToken>(expressions.GetWithSeparators());
        var trailingComma = expressions.SeparatorCount == expressions.Count;
        if (multiLine)
        {
            member = member.WithLeadingTrivia(last.GetLeadingTrivia());
            if (trailingComma)
            {
                var comma = expressions.GetSeparator(expressions.Count - 1);
                items.Add(member);
                items.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(comma.TrailingTrivia));
            }
            else
            {
                items[items.Count - 1] = last.WithoutTrailingTrivia();
                items.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(last.GetTrailingTrivia()));
                items.Add(member.WithTrailingTrivia(last.GetTrailingTrivia()));
            }
        }
        else
        {
            if (trailingComma)
            {
                items.RemoveAt(items.Count - 1);
            }

            items[items.Count - 1] = last.WithoutTrailingTrivia();
            items.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space));
            items.Add(member.WithTrailingTrivia(last.GetTrailingTrivia()));
        }

        return initializer.WithExpressions(SyntaxFactory.SeparatedList<ExpressionSyntax>(items));
    }

    /// <summary>Type references built from symbols (shortened by the simplifier) and the namespaces they need.</summary>
    private sealed class GeneratedTypes
    {
        private readonly SyntaxGenerator _generator;
        private readonly Compilation _compilation;

        public GeneratedTypes(SyntaxGenerator generator, Compilation compilation)
        {
            _generator = generator;
            _compilation = compilation;
        }

        public TypeSyntax Type(string metadataName)
        {
            if (_compilation.GetTypeByMetadataName(metadataName) is not { } symbol)
            {
                return SyntaxFactory.ParseTypeName(metadataName.Substring(metadataName.LastIndexOf('.') + 1));
            }

            return ((TypeSyntax)Imports.TypeReference(_generator, symbol)).WithAdditionalAnnotations(Simplifier.Annotation);
        }

        /// <summary><c>TimeSpan.FromMinutes(2)</c></summary>
        public ExpressionSyntax TwoMinutes()
            => SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, Type("System.TimeSpan"), SyntaxFactory.IdentifierName("FromMinutes")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(
                    SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(2))))));

        /// <summary><c>new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }</c></summary>
        public ExpressionSyntax NewSocketsHandler()
            => SyntaxFactory.ObjectCreationExpression(
                    SyntaxFactory.Token(SyntaxKind.NewKeyword).WithTrailingTrivia(SyntaxFactory.Space),
                    Type("System.Net.Http.SocketsHttpHandler").WithTrailingTrivia(SyntaxFactory.Space),
                    argumentList: null,
                    SyntaxFactory.InitializerExpression(
                        SyntaxKind.ObjectInitializerExpression,
                        SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(Assignment(TwoMinutes()).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space))))
                .WithAdditionalAnnotations(Formatter.Annotation);
    }
}
