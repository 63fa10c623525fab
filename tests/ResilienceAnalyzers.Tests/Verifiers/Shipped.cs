using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Tests.Verifiers;

/// <summary>Every analyzer and code fix the package ships, and a document to run them on, for the whole-product tests.</summary>
internal static class Shipped
{
    /// <summary>The exported analyzers, as a compiler loads them: the composed families and the option check.</summary>
    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = typeof(DiagnosticDescriptors).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), inherit: false).Length > 0)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    public static ImmutableArray<CodeFixProvider> Fixers { get; } = typeof(ResilienceAnalyzers.CodeFixes.Retry.RetryCodeFixProvider).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t))
        .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    /// <summary>Every shipped analyzer's diagnostics for <paramref name="project"/>, with no configuration.</summary>
    public static async System.Threading.Tasks.Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Project project)
    {
        var compilation = (await project.GetCompilationAsync())!;
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        return await compilation.WithAnalyzers(Analyzers, options).GetAnalyzerDiagnosticsAsync(System.Threading.CancellationToken.None);
    }

    /// <summary>A one-document project referencing the framework and every library the rules understand.</summary>
    public static Document Document(string source, string name = "Example.cs")
        => new AdhocWorkspace().AddProject(System.IO.Path.GetFileNameWithoutExtension(name), LanguageNames.CSharp)
            .WithCompilationOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable))
            .WithParseOptions(new CSharpParseOptions(LanguageVersion.Latest))
            .AddMetadataReferences(TestReferences.For(TestLibraries.All))
            .AddDocument(name, SourceText.From(source));
}
