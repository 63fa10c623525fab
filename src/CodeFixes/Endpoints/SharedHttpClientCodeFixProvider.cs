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
using ResilienceAnalyzers.CodeFixes.Common;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Endpoints;

namespace ResilienceAnalyzers.CodeFixes.Endpoints;

/// <summary>
/// RES022: moves an HttpClient made per call to one <c>private static readonly</c> field of its type, on a
/// <c>SocketsHttpHandler</c> whose <c>PooledConnectionLifetime</c> is two minutes (so the shared client still follows DNS,
/// RES021), keeping its settings, and sends through the field. Offered only where the analyzer found the client's
/// settings constant and the client used only to send (<see cref="EndpointFixHintKeys.HoistToField"/>). Fix All gives
/// clients with the same settings in one type one field.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SharedHttpClientCodeFixProvider))]
public sealed class SharedHttpClientCodeFixProvider : HintedFixProvider<SharedHttpClientCodeFixProvider.Target>
{
    public const string ShareKey = "RES022:SharedHttpClient";

    private const string FieldName = "SharedHttpClient";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.ClientCreatedPerOperation);

    protected override string EquivalenceKey => ShareKey;

    protected override Target? FindTarget(Document document, SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.ContainsKey(EndpointFixHintKeys.HoistToField)
            || root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true).FirstAncestorOrSelf<BaseObjectCreationExpressionSyntax>() is not { } creation
            || creation.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
            || declarator.Parent?.Parent is not LocalDeclarationStatementSyntax statement
            || statement.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type
            || type is InterfaceDeclarationSyntax)
        {
            return null;
        }

        return new Target(creation, declarator, statement, type);
    }

    protected override string Title(Target target) => "Share one static HttpClient";

    protected override async Task<Document> ApplyAsync(Document document, IReadOnlyList<Target> targets, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var model = editor.SemanticModel;
        if (model.Compilation.GetTypeByMetadataName("System.TimeSpan") is not { } timeSpan
            || model.Compilation.GetTypeByMetadataName("System.Net.Http.SocketsHttpHandler") is not { } socketsHandler)
        {
            return document;
        }

        var taken = new Dictionary<TypeDeclarationSyntax, HashSet<string>>();
        var fields = new Dictionary<(TypeDeclarationSyntax, string), string>();
        var added = new Dictionary<TypeDeclarationSyntax, List<SyntaxNode>>();
        foreach (var target in targets)
        {
            if (model.GetDeclaredSymbol(target.Declarator, cancellationToken) is not ILocalSymbol local
                || model.GetDeclaredSymbol(target.Type, cancellationToken) is not INamedTypeSymbol type)
            {
                continue;
            }

            if (!taken.TryGetValue(target.Type, out var names))
            {
                taken[target.Type] = names = new HashSet<string>(type.GetMembers().Select(m => m.Name));
            }

            // Clients with the same settings in one type share one field.
            var typeName = target.Creation is ObjectCreationExpressionSyntax { Type: var written }
                ? written.WithoutTrivia()
                : target.Statement.Declaration.Type is { IsVar: false } declared ? declared.WithoutTrivia() : SyntaxFactory.IdentifierName("HttpClient");
            var initializer = SharedCreation(
                (BaseObjectCreationExpressionSyntax)target.Creation.WithoutTrivia(),
                typeName,
                NameAt(model, editor.Generator, socketsHandler, target.Statement.SpanStart),
                NameAt(model, editor.Generator, timeSpan, target.Statement.SpanStart));
            var key = (target.Type, initializer.NormalizeWhitespace().ToFullString());
            if (!fields.TryGetValue(key, out string? name) && ExistingField(target.Type, key.Item2) is { } existing)
            {
                fields[key] = name = existing;
            }

            if (name is null)
            {
                name = FieldName;
                for (var i = 2; names.Contains(name) || IsVisibleInMethod(model, target.Statement, name); i++)
                {
                    name = FieldName + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                names.Add(name);
                fields[key] = name;
                var field = SyntaxFactory.FieldDeclaration(
                        SyntaxFactory.VariableDeclaration(
                            typeName,
                            SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(name).WithInitializer(SyntaxFactory.EqualsValueClause(initializer)))))
                    .WithModifiers(SyntaxFactory.TokenList(
                        SyntaxFactory.Token(SyntaxKind.PrivateKeyword),
                        SyntaxFactory.Token(SyntaxKind.StaticKeyword),
                        SyntaxFactory.Token(SyntaxKind.ReadOnlyKeyword)))
                    .WithAdditionalAnnotations(Formatter.Annotation);
                if (!added.TryGetValue(target.Type, out var list))
                {
                    added[target.Type] = list = new List<SyntaxNode>();
                }

                list.Add(field);
            }

            // Every use of the local goes through the field; the declaration (and its using) goes.
            foreach (var identifier in target.Statement.Parent!.DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (identifier.Identifier.ValueText == local.Name
                    && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(identifier, cancellationToken).Symbol, local))
                {
                    editor.ReplaceNode(identifier, SyntaxFactory.IdentifierName(name).WithTriviaFrom(identifier));
                }
            }

            editor.RemoveNode(target.Statement, SyntaxRemoveOptions.KeepNoTrivia);
        }

        // New fields go after the type's fields, in the order their clients appear.
        foreach (var pair in added)
        {
            if (pair.Key.Members.LastOrDefault(m => m is FieldDeclarationSyntax) is { } lastField)
            {
                editor.InsertAfter(lastField, pair.Value);
            }
            else
            {
                editor.InsertMembers(pair.Key, 0, pair.Value);
            }
        }

        return await Imports.AddAsync(editor.GetChangedDocument(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A field this fix made before (one fix at a time): a static readonly one with the same creation.</summary>
    private static string? ExistingField(TypeDeclarationSyntax type, string creation)
    {
        foreach (var member in type.Members)
        {
            if (member is FieldDeclarationSyntax { Declaration.Variables: { Count: 1 } variables } field
                && field.Modifiers.Any(SyntaxKind.StaticKeyword) && field.Modifiers.Any(SyntaxKind.ReadOnlyKeyword)
                && variables[0].Initializer?.Value.NormalizeWhitespace().ToFullString() == creation)
            {
                return variables[0].Identifier.ValueText;
            }
        }

        return null;
    }

    /// <summary>The type's simple name where it already means the type there, else a reference that imports it.</summary>
    private static TypeSyntax NameAt(SemanticModel model, SyntaxGenerator generator, INamedTypeSymbol type, int position)
        => model.LookupNamespacesAndTypes(position, name: type.Name).Any(s => SymbolEqualityComparer.Default.Equals(s, type))
            ? SyntaxFactory.IdentifierName(type.Name)
            : (TypeSyntax)Imports.TypeReference(generator, type);

    /// <summary>A local, parameter or member the method sees under <paramref name="name"/> would hide the field.</summary>
    private static bool IsVisibleInMethod(SemanticModel model, SyntaxNode statement, string name)
        => model.LookupSymbols(statement.SpanStart, name: name).Any(s => s is ILocalSymbol or IParameterSymbol);

    /// <summary>The creation on a SocketsHttpHandler with a two-minute <c>PooledConnectionLifetime</c>, settings kept.</summary>
    private static ExpressionSyntax SharedCreation(BaseObjectCreationExpressionSyntax creation, TypeSyntax typeName, TypeSyntax handlerName, TypeSyntax timeSpanName)
    {
        var lifetime = SyntaxFactory.AssignmentExpression(
            SyntaxKind.SimpleAssignmentExpression,
            SyntaxFactory.IdentifierName("PooledConnectionLifetime"),
            SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, timeSpanName, SyntaxFactory.IdentifierName("FromMinutes")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(2)))))));
        var arguments = creation.ArgumentList?.Arguments ?? default;
        ArgumentListSyntax list;
        if (arguments.Count == 1 && arguments[0].Expression is BaseObjectCreationExpressionSyntax handler)
        {
            var settings = handler.Initializer?.Expressions ?? default;
            var updated = settings.Any(e => e is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "PooledConnectionLifetime" } })
                ? handler
                : handler.WithInitializer(SyntaxFactory.InitializerExpression(SyntaxKind.ObjectInitializerExpression, settings.Add(lifetime)));
            list = SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(arguments[0].WithExpression(updated)));
        }
        else
        {
            var newHandler = SyntaxFactory.ObjectCreationExpression(
                handlerName,
                argumentList: null,
                SyntaxFactory.InitializerExpression(SyntaxKind.ObjectInitializerExpression, SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(lifetime)));
            list = SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(newHandler)));
        }

        return SyntaxFactory.ObjectCreationExpression(typeName, list, creation.Initializer)
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>One local HttpClient to move to a field.</summary>
    public sealed class Target
    {
        internal Target(SyntaxNode creation, VariableDeclaratorSyntax declarator, LocalDeclarationStatementSyntax statement, TypeDeclarationSyntax type)
        {
            Creation = creation;
            Declarator = declarator;
            Statement = statement;
            Type = type;
        }

        internal SyntaxNode Creation { get; }

        internal VariableDeclaratorSyntax Declarator { get; }

        internal LocalDeclarationStatementSyntax Statement { get; }

        internal TypeDeclarationSyntax Type { get; }
    }
}
