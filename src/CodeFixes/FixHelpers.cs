using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;

namespace ResilienceAnalyzers.CodeFixes;

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
    /// Imports each namespace whose types do not already resolve by simple name at <paramref name="position"/>
    /// (a using directive, a global using, an enclosing namespace); the code action's cleanup then shortens the
    /// generated names. Directives go in sorted position, System first.
    /// </summary>
    public static async Task<Document> AddMissingAsync(Document document, IEnumerable<string> namespaces, SemanticModel originalModel, int position, CancellationToken cancellationToken)
    {
        var missing = namespaces.Where(ns => !IsInScope(originalModel, position, ns)).Distinct().OrderBy(ns => ns, SystemFirst.Instance).ToList();
        if (missing.Count == 0 || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not CompilationUnitSyntax root)
        {
            return document;
        }

        var text = root.ToFullString();
        var newLine = SyntaxFactory.EndOfLine(text.Contains("\r\n") ? "\r\n" : "\n");
        var hadUsings = root.Usings.Count > 0;
        var usings = root.Usings;
        foreach (var ns in missing)
        {
            var directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(ns).WithLeadingTrivia(SyntaxFactory.Space))
                .WithTrailingTrivia(newLine);
            var index = 0;
            while (index < usings.Count && usings[index].Alias is null && usings[index].StaticKeyword.IsKind(SyntaxKind.None)
                   && SystemFirst.Instance.Compare(usings[index].Name?.ToString(), ns) < 0)
            {
                index++;
            }

            if (index == 0 && usings.Count > 0)
            {
                // Keep the file's leading trivia (a header comment) ahead of the new first directive.
                directive = directive.WithLeadingTrivia(usings[0].GetLeadingTrivia());
                usings = usings.Replace(usings[0], usings[0].WithLeadingTrivia());
            }

            usings = usings.Insert(index, directive);
        }

        if (!hadUsings)
        {
            // Separate the new directives from the code with a blank line, after any leading comment.
            var first = root.Members.FirstOrDefault();
            var leading = first?.GetLeadingTrivia() ?? default;
            usings = usings.Replace(usings[0], usings[0].WithLeadingTrivia(leading));
            usings = usings.Replace(usings[usings.Count - 1], usings[usings.Count - 1].WithTrailingTrivia(newLine, newLine));
            if (first is not null)
            {
                root = root.ReplaceNode(first, first.WithLeadingTrivia());
            }
        }

        return document.WithSyntaxRoot(root.WithUsings(usings));
    }

    /// <summary>Ordinal order with <c>System</c> and its children first, as <c>dotnet_sort_system_directives_first</c> sorts.</summary>
    private sealed class SystemFirst : IComparer<string?>
    {
        public static readonly SystemFirst Instance = new();

        public int Compare(string? x, string? y)
        {
            var xSystem = IsSystem(x);
            var ySystem = IsSystem(y);
            return xSystem != ySystem ? (xSystem ? -1 : 1) : string.CompareOrdinal(x, y);
        }

        private static bool IsSystem(string? ns) => ns is not null && (ns == "System" || ns.StartsWith("System.", System.StringComparison.Ordinal));
    }

    private static bool IsInScope(SemanticModel model, int position, string ns)
    {
        foreach (var symbol in model.LookupNamespacesAndTypes(position))
        {
            if (symbol is INamedTypeSymbol type && type.ContainingNamespace?.ToDisplayString() == ns)
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>
/// Expressions parsed from text in which <c>ΦName</c> stands for a type reference: each becomes a reference
/// built from the symbol with <see cref="Simplifier.Annotation"/>, so the code action's cleanup shortens it, and
/// its namespace is recorded for <see cref="Imports.AddMissingAsync"/>.
/// </summary>
internal sealed class GeneratedExpressions
{
    private readonly SyntaxGenerator _generator;
    private readonly Dictionary<string, INamedTypeSymbol?> _types = new(System.StringComparer.Ordinal);

    /// <param name="metadataNames">The types the text may name, by full metadata name; referred to by simple name.</param>
    public GeneratedExpressions(SyntaxGenerator generator, Compilation compilation, params string[] metadataNames)
    {
        _generator = generator;
        foreach (var metadataName in metadataNames)
        {
            _types[metadataName.Substring(metadataName.LastIndexOf('.') + 1)] = compilation.GetTypeByMetadataName(metadataName);
        }
    }

    /// <summary>Namespaces the generated code refers to.</summary>
    public HashSet<string> Namespaces { get; } = new();

    /// <summary>A reference to the type registered under <paramref name="type"/>; its simple name when the compilation lacks it.</summary>
    public ExpressionSyntax TypeName(string type)
    {
        if (!_types.TryGetValue(type, out var symbol) || symbol is null)
        {
            return SyntaxFactory.IdentifierName(type);
        }

        Namespaces.Add(symbol.ContainingNamespace.ToDisplayString());
        return ((ExpressionSyntax)_generator.TypeExpression(symbol)).WithAdditionalAnnotations(Simplifier.Annotation);
    }

    /// <summary>Parses <paramref name="text"/> and swaps each <c>ΦName</c> placeholder for a generated type reference.</summary>
    public ExpressionSyntax Build(string text)
    {
        var parsed = SyntaxFactory.ParseExpression(text);
        return parsed.ReplaceNodes(
            parsed.DescendantNodes().OfType<IdentifierNameSyntax>().Where(n => n.Identifier.ValueText.StartsWith("Φ", System.StringComparison.Ordinal)),
            (original, _) => TypeName(original.Identifier.ValueText.Substring(1)).WithTriviaFrom(original));
    }
}

/// <summary>Reads the analyzer's hints that locate what a fix rewrites.</summary>
internal static class FixHints
{
    /// <summary>The node spanning <see cref="FixHintKeys.ValueStart"/>/<see cref="FixHintKeys.ValueLength"/>, innermost on a tie; null when absent.</summary>
    public static SyntaxNode? ValueNode(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(FixHintKeys.ValueStart, out var startText)
            || !diagnostic.Properties.TryGetValue(FixHintKeys.ValueLength, out var lengthText)
            || !int.TryParse(startText, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var start)
            || !int.TryParse(lengthText, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var length)
            || start < 0 || length <= 0 || start + length > root.FullSpan.End)
        {
            return null;
        }

        var node = root.FindNode(new Microsoft.CodeAnalysis.Text.TextSpan(start, length), getInnermostNodeForTie: true);
        return node.Span.Start == start && node.Span.Length == length ? node : null;
    }

    /// <summary>An <c>int</c> literal.</summary>
    public static LiteralExpressionSyntax Number(int value)
        => SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(value));
}
