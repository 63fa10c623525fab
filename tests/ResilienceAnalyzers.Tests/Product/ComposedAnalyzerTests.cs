using System;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ResilienceAnalyzers.Endpoints;
using ResilienceAnalyzers.Load;
using ResilienceAnalyzers.Retry;
using ResilienceAnalyzers.Tests.Verifiers;
using ResilienceAnalyzers.Timeouts;
using Xunit;

namespace ResilienceAnalyzers.Tests.Product;

/// <summary>
/// The exported <see cref="ResilienceAnalyzer"/> runs the four families with shared operation callbacks: it must report
/// exactly what the families report when each runs alone, which is what every rule test checks.
/// </summary>
public sealed class ComposedAnalyzerTests
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Families =
        ImmutableArray.Create<DiagnosticAnalyzer>(new EndpointAnalyzer(), new LoadAnalyzer(), new RetryAnalyzer(), new TimeoutAnalyzer());

    [Fact]
    public async Task Composed_analyzer_reports_what_the_families_report_alone()
    {
        var sources = Directory.EnumerateFiles(Repository.PathOf("samples/RetryStorm"), "*.cs").Order(StringComparer.Ordinal).Select(File.ReadAllText)
            .Concat(Directory.EnumerateFiles(Repository.PathOf("docs/rules"), "*.md").Order(StringComparer.Ordinal)
                .SelectMany(page => Repository.CodeBlocks(File.ReadAllText(page), "csharp")))
            .ToList();
        var reported = 0;
        foreach (var source in sources)
        {
            var compilation = (await Shipped.Document(source).Project.GetCompilationAsync())!;
            var alone = await DiagnosticsAsync(compilation, Families);
            var composed = await DiagnosticsAsync(compilation, ImmutableArray.Create<DiagnosticAnalyzer>(new ResilienceAnalyzer()));
            var missing = alone.GroupBy(d => d).Where(g => g.Count() > composed.Count(c => c == g.Key)).Select(g => $"{g.Key} x{g.Count()}").ToList();
            var extra = composed.GroupBy(d => d).Where(g => g.Count() > alone.Count(c => c == g.Key)).Select(g => $"{g.Key} x{g.Count()}").ToList();
            Assert.True(missing.Count == 0 && extra.Count == 0, $"composed misses [{string.Join("; ", missing)}] and adds [{string.Join("; ", extra)}] in:\n{source}");
            reported += composed.Length;
        }

        // The sources hold findings of every family, so the comparison is not between two empty lists.
        Assert.True(reported > 50, $"only {reported} findings over {sources.Count} sources");
    }

    private static async Task<ImmutableArray<string>> DiagnosticsAsync(Compilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        return diagnostics.Select(d => $"{d.Id} {d.Location.GetLineSpan()} {d.GetMessage()}").Order(StringComparer.Ordinal).ToImmutableArray();
    }
}
