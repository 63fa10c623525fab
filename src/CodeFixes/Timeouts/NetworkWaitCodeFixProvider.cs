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
/// RES012: passes the method's cancellation token to the wait: in place of <c>CancellationToken.None</c>/<c>default</c>,
/// or as a new last argument where an overload takes one. No fix where no token is in scope: which deadline to give a
/// connection is a decision the code's author makes (docs/rules/RES012.md).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NetworkWaitCodeFixProvider))]
public sealed class NetworkWaitCodeFixProvider : HintedFixProvider<NetworkWaitCodeFixProvider.Target>
{
    public const string PassTokenKey = "RES012:PassToken";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.NetworkWaitWithoutEnd);

    protected override string EquivalenceKey => PassTokenKey;

    protected override Target? FindTarget(Document document, SyntaxNode root, Diagnostic diagnostic)
    {
        var properties = diagnostic.Properties;
        if (!properties.TryGetValue(TimeoutFixHintKeys.TokenFix, out var fixText)
            || !System.Enum.TryParse<TokenFixKind>(fixText, out var fix)
            || fix == TokenFixKind.None
            || !properties.TryGetValue(TimeoutFixHintKeys.Token, out var token)
            || string.IsNullOrEmpty(token))
        {
            return null;
        }

        properties.TryGetValue(TimeoutFixHintKeys.TokenParameter, out var parameter);
        SyntaxNode? node;
        if (fix == TokenFixKind.ReplaceArgument)
        {
            node = FixHints.ValueNode(root, diagnostic) as ExpressionSyntax;
        }
        else
        {
            node = FixHints.CallNamedAt(root, diagnostic);
        }

        return node is null ? null : new Target(node, fix, token!, parameter);
    }

    protected override string Title(Target target)
        => string.Format(CultureInfo.InvariantCulture, "Pass '{0}'", target.Token);

    protected override async Task<Document> ApplyAsync(Document document, IReadOnlyList<Target> targets, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        foreach (var target in targets)
        {
            var token = SyntaxFactory.IdentifierName(target.Token);
            if (target.Fix == TokenFixKind.ReplaceArgument)
            {
                editor.ReplaceNode(target.Node, (current, _) => token.WithTriviaFrom(current));
            }
            else
            {
                var argument = target.Parameter is null
                    ? SyntaxFactory.Argument(token)
                    : SyntaxFactory.Argument(SyntaxFactory.NameColon(SyntaxFactory.IdentifierName(target.Parameter)), default, token);
                editor.ReplaceNode(((InvocationExpressionSyntax)target.Node).ArgumentList, (current, _) => ((ArgumentListSyntax)current).AddArguments(argument));
            }
        }

        return editor.GetChangedDocument();
    }

    /// <summary>Where one wait gets the token.</summary>
    public sealed class Target
    {
        internal Target(SyntaxNode node, TokenFixKind fix, string token, string? parameter)
        {
            Node = node;
            Fix = fix;
            Token = token;
            Parameter = parameter;
        }

        internal SyntaxNode Node { get; }

        internal TokenFixKind Fix { get; }

        internal string Token { get; }

        internal string? Parameter { get; }
    }
}
