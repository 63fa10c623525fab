using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.CodeFixes.Common;

/// <summary>Names for the attempt counters the fixes introduce.</summary>
internal static class CounterNames
{
    /// <summary>
    /// <c>attempt</c> for the first loop of a member, <c>attempt2</c> for the second, and so on, skipping names
    /// the member already uses. Numbering by position keeps names distinct when Fix All bounds several loops
    /// of one method at once.
    /// </summary>
    public static string Choose(StatementSyntax loop)
    {
        var member = loop.Ancestors().FirstOrDefault(a => a is MemberDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax)
            ?? loop.SyntaxTree.GetRoot();
        var loops = member.DescendantNodes().Where(n => n is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax).ToList();
        var ordinal = loops.IndexOf(loop) + 1;

        var used = new HashSet<string>(member.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        var name = ordinal <= 1 ? "attempt" : "attempt" + ordinal;
        var suffix = ordinal;
        while (used.Contains(name))
        {
            suffix += loops.Count;
            name = "attempt" + suffix;
        }

        return name;
    }
}

/// <summary>The cancellation token a new wait should observe.</summary>
internal static class CancellationTokens
{
    /// <summary>A <see cref="CancellationToken"/> parameter or local in scope at <paramref name="position"/>, parameters first.</summary>
    public static string? InScope(SemanticModel model, int position, CancellationToken cancellationToken)
    {
        string? local = null;
        foreach (var symbol in model.LookupSymbols(position))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var type = symbol switch
            {
                IParameterSymbol parameter => parameter.Type,
                ILocalSymbol candidate => candidate.Type,
                _ => null,
            };
            if (type is not { Name: "CancellationToken", ContainingNamespace.Name: "Threading" })
            {
                continue;
            }

            if (symbol is IParameterSymbol)
            {
                return symbol.Name;
            }

            local ??= symbol.Name;
        }

        return local;
    }
}

/// <summary>Adds the <c>using</c> directives that generated type references need.</summary>
internal static class Imports
{
    /// <summary>
    /// Roslyn 4.8's code action cleanup simplifies and formats but adds no imports for type references marked
    /// with <see cref="Simplifier.AddImportsAnnotation"/> (see <see cref="BackoffSyntax.Type"/>): add them here,
    /// before the cleanup shortens the names.
    /// </summary>
    public static Task<Document> AddAsync(Document document, CancellationToken cancellationToken)
        => ImportAdder.AddImportsAsync(document, Simplifier.AddImportsAnnotation, cancellationToken: cancellationToken);

    /// <summary>
    /// A fully qualified reference to <paramref name="type"/>, annotated for <see cref="AddAsync"/> to import its
    /// namespace and for the code action's cleanup to shorten it. (Roslyn 4.8's generator puts no
    /// <see cref="Simplifier.AddImportsAnnotation"/> on the node itself, so it is added here.)
    /// </summary>
    public static SyntaxNode TypeReference(SyntaxGenerator generator, ITypeSymbol type)
        => generator.TypeExpression(type).WithAdditionalAnnotations(Simplifier.AddImportsAnnotation);
}

/// <summary>Reads the analyzer's hints that locate what a fix rewrites.</summary>
internal static class FixHints
{
    /// <summary>
    /// The node of type <typeparamref name="T"/> at the span the analyzer put in the diagnostic's properties
    /// (<see cref="ResilienceAnalyzers.Common.FixHintSpan"/>); null when absent, malformed or outside the document.
    /// </summary>
    public static T? Node<T>(SyntaxNode root, System.Collections.Immutable.ImmutableDictionary<string, string?> properties, string key)
        where T : SyntaxNode
    {
        if (!properties.TryGetValue(key, out var text) || text?.Split(',') is not { Length: 2 } parts
            || !int.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var start)
            || !int.TryParse(parts[1], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length)
            || start + length > root.FullSpan.End)
        {
            return null;
        }

        return root.FindNode(new Microsoft.CodeAnalysis.Text.TextSpan(start, length), getInnermostNodeForTie: true) as T;
    }

    /// <summary>A whole number the analyzer put in the diagnostic's properties; null when absent or malformed.</summary>
    public static int? Int(System.Collections.Immutable.ImmutableDictionary<string, string?> properties, string key)
        => properties.TryGetValue(key, out var text)
           && int.TryParse(text, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    /// <summary>The call whose method name the diagnostic is reported on (<c>ReadAsync</c> in <c>stream.ReadAsync(…)</c>).</summary>
    public static InvocationExpressionSyntax? CallNamedAt(SyntaxNode root, Diagnostic diagnostic)
    {
        var name = root.FindToken(diagnostic.Location.SourceSpan.Start);
        return name.Parent?.AncestorsAndSelf().OfType<InvocationExpressionSyntax>().FirstOrDefault(i => i.Expression.Span.End == name.Span.End);
    }

    /// <summary>The node spanning <see cref="FixHintKeys.ValueStart"/>/<see cref="FixHintKeys.ValueLength"/>, innermost on a tie; null when absent.</summary>
    public static SyntaxNode? ValueNode(SyntaxNode root, Diagnostic diagnostic)
    {
        if (Int(diagnostic.Properties, FixHintKeys.ValueStart) is not { } start
            || Int(diagnostic.Properties, FixHintKeys.ValueLength) is not { } length
            || start < 0 || length <= 0 || start + length > root.FullSpan.End)
        {
            return null;
        }

        var node = root.FindNode(new Microsoft.CodeAnalysis.Text.TextSpan(start, length), getInnermostNodeForTie: true);
        return node.Span.Start == start && node.Span.Length == length ? node : null;
    }
}
