using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using ResilienceAnalyzers.Tests.Verifiers;

namespace ResilienceAnalyzers.Tests.Product;

/// <summary>
/// Every code fix offered on the sample and on every rule page's examples produces code that compiles (no error
/// the original did not have) and takes away the diagnostic it was offered for.
/// </summary>
public sealed class FixesCompileTests
{
    public static IEnumerable<object[]> Sources() => RobustnessTests.Sources();

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task EveryOfferedFix_Compiles_AndClearsItsDiagnostic(string relativePath)
    {
        var text = File.ReadAllText(Repository.PathOf(relativePath));
        var sources = relativePath.EndsWith(".md", StringComparison.Ordinal)
            ? Repository.CodeBlocks(text, "csharp")
            : new List<string> { text };

        var fixesApplied = 0;
        foreach (var source in sources)
        {
            var document = Shipped.Document(source);
            var before = await AnalyzeAsync(document);
            var errorsBefore = await ErrorCountAsync(document);
            foreach (var diagnostic in before)
            {
                foreach (var fixer in Shipped.Fixers.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
                {
                    var actions = new List<CodeAction>();
                    await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
                    foreach (var action in actions)
                    {
                        var fixedDocument = await ApplyAsync(document, action);
                        var errorsAfter = await ErrorCountAsync(fixedDocument);
                        var fixedText = (await fixedDocument.GetTextAsync()).ToString();
                        Assert.True(errorsAfter <= errorsBefore, $"'{action.Title}' for {diagnostic.Id} in {relativePath} introduced a compiler error:\n{fixedText}");

                        var after = await AnalyzeAsync(fixedDocument);
                        Assert.True(
                            after.Count(d => d.Id == diagnostic.Id) < before.Count(d => d.Id == diagnostic.Id),
                            $"'{action.Title}' did not clear {diagnostic.Id} in {relativePath}:\n{fixedText}");
                        fixesApplied++;
                    }
                }
            }
        }

        if (relativePath.StartsWith("samples/", StringComparison.Ordinal))
        {
            Assert.True(fixesApplied > 0, "The sample offers fixes; none were applied.");
        }
    }

    private static Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Document document) => Shipped.AnalyzeAsync(document.Project);

    private static async Task<int> ErrorCountAsync(Document document)
        => (await document.Project.GetCompilationAsync())!.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);

    private static async Task<Document> ApplyAsync(Document document, CodeAction action)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var solution = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
        return solution.GetDocument(document.Id)!;
    }
}
