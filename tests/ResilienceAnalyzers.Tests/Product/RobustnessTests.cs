using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using ResilienceAnalyzers.Tests.Verifiers;

namespace ResilienceAnalyzers.Tests.Product;

/// <summary>
/// The IDE analyses half-typed code on every keystroke. Every analyzer and every code fix must get through
/// broken variants of real retry code (truncated, a line dropped, a token doubled) without an exception and
/// without a flood of diagnostics.
/// </summary>
public sealed class RobustnessTests
{
    // 16 variants of each sample file and realistic snippet, 4 of each of the ~100 rule-page blocks and 2 of each of
    // the ~600 test sources (each also split across a project reference). The test sources doubled (310 to ~600) and
    // the page blocks grew as rules landed, so their counts came down (4 to 2, 40 to 12 to 4; samples and snippets 40
    // to 24 when this class alone took a third of the suite's processor time and the suite passed 3 minutes, then to
    // 16: the sample's 24 variants alone took 27 s) to keep the suite within its time budget; the kind of break turns
    // with the seed, so every kind still reaches every family. Raise the constants for a deeper local run.

    /// <summary>Variants of each sample file and of each snippet in <see cref="RobustnessSnippets"/>.</summary>
    private const int VariantsPerSource = 16;

    /// <summary>
    /// Variants of each C# block of the rule pages: there are over a hundred, each a short example of shapes the rule
    /// tests already break, so fewer each keep the suite quick.
    /// </summary>
    private const int VariantsPerPageBlock = 4;

    /// <summary>
    /// Variants of each raw-string source in the rule tests. There are hundreds of those sources, so a few
    /// variants each keep the suite quick while still reaching every shape the tests know.
    /// </summary>
    private const int VariantsPerTestSource = 2;

    public static IEnumerable<object[]> Sources()
    {
        foreach (var file in Directory.EnumerateFiles(Repository.PathOf("samples/RetryStorm"), "*.cs").Order(StringComparer.Ordinal))
        {
            yield return new object[] { "samples/RetryStorm/" + Path.GetFileName(file) };
        }

        foreach (var page in Directory.EnumerateFiles(Repository.PathOf("docs/rules"), "*.md").OrderBy(p => p, StringComparer.Ordinal))
        {
            yield return new object[] { "docs/rules/" + Path.GetFileName(page) };
        }
    }

    public static IEnumerable<object[]> TestFolders() =>
        new[] { "Retry", "Timeouts", "Endpoints", "Load" }.Select(f => new object[] { f });

    public static IEnumerable<object[]> Snippets() =>
        RobustnessSnippets.All.Keys.Order(StringComparer.Ordinal).Select(k => new object[] { k });

    /// <summary>Broken variants of every C# source written in the rule tests of one family.</summary>
    [Theory]
    [MemberData(nameof(TestFolders))]
    public async Task BrokenVariants_OfTheTestSources_NeverThrow(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(Repository.PathOf("tests/ResilienceAnalyzers.Tests/" + folder), "*.cs").Order(StringComparer.Ordinal))
        {
            foreach (var source in RawStringSources(File.ReadAllText(file)))
            {
                foreach (var variant in Variants(source, seed: source.Length).Take(VariantsPerTestSource))
                {
                    await AnalyzeAndFixAsync(variant, Path.GetFileName(file));
                }
            }
        }
    }

    /// <summary>
    /// The IDE and a solution build see another project's types as source symbols of another compilation: their
    /// declarations are in syntax trees the analysed compilation does not hold. Every test source with more than one
    /// type is split across two projects, the second referencing the first, and both are analysed.
    /// </summary>
    [Theory]
    [MemberData(nameof(TestFolders))]
    public async Task TestSources_SplitAcrossAProjectReference_NeverThrow(string folder)
    {
        var split = 0;
        foreach (var file in Directory.EnumerateFiles(Repository.PathOf("tests/ResilienceAnalyzers.Tests/" + folder), "*.cs").Order(StringComparer.Ordinal))
        {
            foreach (var source in RawStringSources(File.ReadAllText(file)))
            {
                var root = CSharpSyntaxTree.ParseText(source).GetRoot();
                var types = root.DescendantNodes()
                    .OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BaseTypeDeclarationSyntax>()
                    .Where(t => t.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.BaseNamespaceDeclarationSyntax)
                    .ToList();
                if (types.Count < 2)
                {
                    continue;
                }

                split++;
                var library = types.Where((_, index) => index % 2 == 1).ToList();
                var libraryText = root.RemoveNodes(types.Except(library), SyntaxRemoveOptions.KeepNoTrivia)!.ToFullString();
                var appText = root.RemoveNodes(library, SyntaxRemoveOptions.KeepNoTrivia)!.ToFullString();
                var libraryDocument = Shipped.Document(libraryText, "Library.cs");
                var solution = libraryDocument.Project.Solution;
                var app = solution.AddProject("App", "App", LanguageNames.CSharp)
                    .WithCompilationOptions(libraryDocument.Project.CompilationOptions!)
                    .WithParseOptions(libraryDocument.Project.ParseOptions!)
                    .AddMetadataReferences(libraryDocument.Project.MetadataReferences)
                    .AddProjectReference(new ProjectReference(libraryDocument.Project.Id))
                    .AddDocument("App.cs", appText);
                foreach (var project in new[] { libraryDocument.Project.Id, app.Project.Id })
                {
                    var compilation = (await app.Project.Solution.GetProject(project)!.GetCompilationAsync())!;
                    await AssertNoAnalyzerThrowsAsync(compilation, $"{Path.GetFileName(file)}, split across a project reference", source);
                }
            }
        }

        Assert.True(split >= 10, $"only {split} sources of {folder} have two types to split");
    }

    /// <summary>Realistic code of each family written for this test: whole services, not minimal shapes.</summary>
    [Theory]
    [MemberData(nameof(Snippets))]
    public async Task BrokenVariants_OfRealisticSnippets_NeverThrow(string name)
    {
        var source = RobustnessSnippets.All[name];
        await AnalyzeAndFixAsync(source, name);
        foreach (var variant in Variants(source, seed: source.Length))
        {
            await AnalyzeAndFixAsync(variant, name);
        }
    }

    /// <summary>The raw strings of a test file that hold a type, with the test markup ({|RES001:...|}) removed.</summary>
    internal static IEnumerable<string> RawStringSources(string text) =>
        System.Text.RegularExpressions.Regex.Matches(text, "\"\"\"\r?\n(.*?)\r?\n\\s*\"\"\"", System.Text.RegularExpressions.RegexOptions.Singleline)
            .Select(m => System.Text.RegularExpressions.Regex.Replace(m.Groups[1].Value, @"\{\|RES\d{3}:|\|\}|\[\||\|\]", string.Empty))
            .Where(s => s.Contains("class ", StringComparison.Ordinal));

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task BrokenVariants_NeverThrow(string relativePath)
    {
        var text = File.ReadAllText(Repository.PathOf(relativePath));
        var sources = relativePath.EndsWith(".md", StringComparison.Ordinal)
            ? Repository.CodeBlocks(text, "csharp")
            : new List<string> { text };

        var perSource = relativePath.EndsWith(".md", StringComparison.Ordinal) ? VariantsPerPageBlock : VariantsPerSource;
        foreach (var source in sources)
        {
            foreach (var variant in Variants(source, seed: source.Length).Take(perSource))
            {
                await AnalyzeAndFixAsync(variant, relativePath);
            }
        }
    }

    /// <summary>Truncations, dropped lines and doubled tokens, spread evenly over the source.</summary>
    internal static IEnumerable<string> Variants(string source, int seed)
    {
        var random = new Random(seed);
        var tokens = CSharpSyntaxTree.ParseText(source).GetRoot().DescendantTokens().ToList();
        var lines = source.Split('\n');
        for (var i = 0; i < VariantsPerSource; i++)
        {
            // The kind turns with the seed too, so that two variants of each of many sources still reach all three.
            switch ((i + seed) % 3)
            {
                case 0:
                    yield return source.Substring(0, random.Next(source.Length));
                    break;
                case 1:
                    var drop = random.Next(lines.Length);
                    yield return string.Join("\n", lines.Where((_, index) => index != drop));
                    break;
                default:
                    var token = tokens[random.Next(tokens.Count)];
                    yield return source.Insert(token.Span.End, " " + token.Text);
                    break;
            }
        }
    }

    internal static async Task AnalyzeAndFixAsync(string source, string origin)
    {
        var document = Shipped.Document(source, "Broken.cs");
        var compilation = (await document.Project.GetCompilationAsync())!;

        var diagnostics = await AssertNoAnalyzerThrowsAsync(compilation, "a variant of " + origin, source);

        // No storm: a handful of findings per retry construct at most.
        var constructs = Math.Max(1, CountRetryShapes(source));
        Assert.True(diagnostics.Length <= 3 * constructs + 3, $"{diagnostics.Length} diagnostics on a variant of {origin}");

        foreach (var diagnostic in diagnostics)
        {
            foreach (var fixer in Shipped.Fixers.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                var actions = new List<CodeAction>();
                var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
                await fixer.RegisterCodeFixesAsync(context);
                foreach (var action in actions)
                {
                    await action.GetOperationsAsync(CancellationToken.None);
                }
            }
        }
    }

    private static async Task<ImmutableArray<Diagnostic>> AssertNoAnalyzerThrowsAsync(Compilation compilation, string origin, string source)
    {
        var exceptions = new List<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, _, _) => { lock (exceptions) { exceptions.Add(exception); } },
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(Shipped.Analyzers, options).GetAnalyzerDiagnosticsAsync(CancellationToken.None);

        Assert.True(exceptions.Count == 0, $"An analyzer threw on {origin}:\n{exceptions.FirstOrDefault()}\n---\n{source}");
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        return diagnostics;
    }

    private static int CountRetryShapes(string source)
    {
        var count = 0;
        foreach (var word in new[] { "while", "for", "do", "goto", "Retry", "new ", "catch" })
        {
            for (var index = source.IndexOf(word, StringComparison.Ordinal); index >= 0; index = source.IndexOf(word, index + word.Length, StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }
}
