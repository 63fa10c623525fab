using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Editing;
using ResilienceAnalyzers.CodeFixes.Common;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Timeouts;

namespace ResilienceAnalyzers.CodeFixes.Timeouts;

/// <summary>
/// RES010: replaces an infinite timeout with a bounded one of <c>RES010.timeout_seconds</c> (unset: 100 s for
/// HTTP, 30 s otherwise), in the unit of the target: <c>TimeSpan.FromSeconds(n)</c>, seconds for ADO.NET
/// command and connect timeouts, milliseconds for sockets, streams and WebRequest, the number inside a
/// connection string. A timeout whose unit is not known gets no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TimeoutCodeFixProvider))]
public sealed class TimeoutCodeFixProvider : HintedFixProvider<TimeoutCodeFixProvider.Target>
{
    public const string BoundedTimeoutKey = "RES010:BoundedTimeout";

    /// <summary>A connection-string timeout key set to 0, with the 0 alone captured.</summary>
    private static readonly Regex ConnectionStringZero = new(
        @"(?<=(?:^|;|"")\s*(?:connect(?:ion)?\s*timeout|(?:default\s*)?command\s*timeout|timeout)\s*=\s*['""]?)0(?=['""]?\s*(?:;|""|$))",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(RuleIdentifiers.InfiniteTimeout);

    protected override string EquivalenceKey => BoundedTimeoutKey;

    protected override Target? FindTarget(Document document, SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(TimeoutFixHintKeys.TimeoutUnit, out var unitText)
            || !System.Enum.TryParse<TimeoutUnit>(unitText, out var unit)
            || unit == TimeoutUnit.Unknown
            || FixHints.ValueNode(root, diagnostic) is not { } value)
        {
            return null;
        }

        var seconds = Seconds(document, diagnostic, root.SyntaxTree);
        return unit == TimeoutUnit.ConnectionString && BoundConnectionString(value, seconds) is null ? null : new Target(value, unit, seconds);
    }

    protected override string Title(Target target)
        => string.Format(CultureInfo.InvariantCulture, "Use a bounded timeout of {0} seconds", target.Seconds);

    protected override async Task<Document> ApplyAsync(Document document, IReadOnlyList<Target> targets, CancellationToken cancellationToken)
    {
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var generator = editor.Generator;
        var timeSpan = editor.SemanticModel.Compilation.GetTypeByMetadataName("System.TimeSpan");
        foreach (var target in targets)
        {
            var seconds = target.Seconds;
            if (target.Unit == TimeoutUnit.ConnectionString)
            {
                if (BoundConnectionString(target.Value, seconds) is { } bounded)
                {
                    editor.ReplaceNode(target.Value, (current, _) => current.ReplaceToken(current.GetFirstToken(), bounded));
                }

                continue;
            }

            var replacement = target.Unit switch
            {
                // The fully qualified type is annotated for Imports.AddAsync, then shortened by the cleanup.
                TimeoutUnit.TimeSpan when timeSpan is not null => generator.InvocationExpression(
                    generator.MemberAccessExpression(Imports.TypeReference(generator, timeSpan), "FromSeconds"),
                    generator.LiteralExpression(seconds)),
                TimeoutUnit.Milliseconds => generator.LiteralExpression(seconds * 1000),
                TimeoutUnit.Seconds => generator.LiteralExpression(seconds),
                _ => null,
            };
            if (replacement is not null)
            {
                editor.ReplaceNode(target.Value, (current, _) => replacement.WithTriviaFrom(current));
            }
        }

        return await Imports.AddAsync(editor.GetChangedDocument(), cancellationToken).ConfigureAwait(false);
    }

    private static int Seconds(Document document, Diagnostic diagnostic, SyntaxTree tree)
    {
        if (Options.Res010TimeoutSeconds.TryGetConfiguredValue(document.Project.AnalyzerOptions, tree, out var configured))
        {
            return configured;
        }

        // HttpClient's own default is 100 s; ADO.NET's command timeout default is 30 s.
        return diagnostic.Properties.TryGetValue(TimeoutFixHintKeys.TimeoutDomain, out var domain) && domain == "Http" ? 100 : 30;
    }

    /// <summary>The string token with each timeout key set to 0 given <paramref name="seconds"/>; null when there is none to change.</summary>
    private static SyntaxToken? BoundConnectionString(SyntaxNode value, int seconds)
    {
        var token = value.GetFirstToken();
        var number = seconds.ToString(CultureInfo.InvariantCulture);
        var text = ConnectionStringZero.Replace(token.Text, number);
        if (text == token.Text)
        {
            return null;
        }

        if (token.IsKind(SyntaxKind.InterpolatedStringTextToken))
        {
            return SyntaxFactory.Token(token.LeadingTrivia, SyntaxKind.InterpolatedStringTextToken, text, ConnectionStringZero.Replace(token.ValueText, number), token.TrailingTrivia);
        }

        var parsed = SyntaxFactory.ParseToken(text);
        return parsed.IsKind(token.Kind()) && parsed.Span.Length == text.Length
            ? parsed.WithLeadingTrivia(token.LeadingTrivia).WithTrailingTrivia(token.TrailingTrivia)
            : null;
    }

    /// <summary>The infinite value to replace, in the unit the target takes.</summary>
    public sealed class Target
    {
        internal Target(SyntaxNode value, TimeoutUnit unit, int seconds)
        {
            Value = value;
            Unit = unit;
            Seconds = seconds;
        }

        internal SyntaxNode Value { get; }

        internal TimeoutUnit Unit { get; }

        internal int Seconds { get; }
    }
}
