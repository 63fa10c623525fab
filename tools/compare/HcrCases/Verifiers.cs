using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

// The names HCR's test files call. Each call is one case: the harness compiles the sources as HCR's own
// verifier does (C# preview; Test.cs, Test1.cs...; a console application when there are top-level statements;
// the runtime's assemblies), runs the analyzer under test and all of ours on that one compilation, records
// both, and hands HCR's diagnostics back so the test's own assertions check them.
namespace HttpClient.Resilience.Analyzers.Tests.TestInfrastructure
{
    internal static class AnalyzerVerifier<TAnalyzer>
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        public static Task<ImmutableArray<Diagnostic>> GetDiagnosticsAsync(string source) => Harness.RunAsync<TAnalyzer>("analyzer", new[] { source });

        public static Task<ImmutableArray<Diagnostic>> GetDiagnosticsAsync(params string[] sources) => Harness.RunAsync<TAnalyzer>("analyzer", sources);

        public static Task<ImmutableArray<Diagnostic>> GetDiagnosticsAllowingCompilerErrorsAsync(string source) => Harness.RunAsync<TAnalyzer>("analyzer", new[] { source }, allowErrors: true);
    }

    /// <summary>
    /// HCR's code-fix tests: the source is recorded as a case (HCR must report on it for a fix to apply) and the
    /// test stops there; applying HCR's fixes is not what we compare.
    /// </summary>
    internal static class CodeFixVerifier<TAnalyzer, TCodeFix>
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        public static async Task<IReadOnlyList<string>> GetCodeFixTitlesAsync(string source)
        {
            await Harness.RunAsync<TAnalyzer>("fix-titles", new[] { source }, allowErrors: true);
            throw new Harness.FixTestStopped();
        }

        public static Task<string> ApplyFirstCodeFixAsync(string source) => Stop<string>(source);

        public static Task<string> ApplyFirstCodeFixAllowingRemainingAsync(string source) => Stop<string>(source);

        public static Task<string> ApplyFixAllInDocumentAsync(string source) => Stop<string>(source);

        private static async Task<T> Stop<T>(string source)
        {
            await Harness.RunAsync<TAnalyzer>("fix", new[] { source }, allowErrors: true);
            throw new Harness.FixTestStopped();
        }
    }
}

namespace HcrCases
{
    internal sealed record Case(int Number, string Test, string Kind, string HcrRule, string[] Sources, int CompileErrors,
        IReadOnlyList<string> Hcr, IReadOnlyList<string> Ours)
    {
        public string Outcome { get; set; } = "";
    }
}

namespace HttpClient.Resilience.Analyzers.Tests.TestInfrastructure
{
    using HcrCases;

    internal static class Harness
    {
        public sealed class FixTestStopped : Exception
        {
        }

        public static List<Case> Cases { get; } = new();

        public static string CurrentTest { get; set; } = "";

        private static readonly ImmutableArray<MetadataReference> Runtime = Directory
            .GetFiles(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "*.dll")
            .Where(IsManaged)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();

        // HCR's tests compile against their test process, which has xunit loaded: sources that use [Fact] bind.
        // Only those cases get xunit here, since our rules skip every project that references a test framework.
        private static readonly ImmutableArray<MetadataReference> Xunit = new[] { typeof(FactAttribute), typeof(Assert) }
            .Select(t => (MetadataReference)MetadataReference.CreateFromFile(t.Assembly.Location))
            .ToImmutableArray();

        private static readonly ImmutableArray<DiagnosticAnalyzer> Ours = typeof(ResilienceAnalyzers.Common.DiagnosticDescriptors).Assembly
            .GetTypes()
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();

        public static async Task<ImmutableArray<Diagnostic>> RunAsync<TAnalyzer>(string kind, string[] sources, bool allowErrors = false)
            where TAnalyzer : DiagnosticAnalyzer, new()
        {
            var trees = sources
                .Select((s, i) => CSharpSyntaxTree.ParseText(
                    SourceText.From(s, Encoding.UTF8),
                    CSharpParseOptions.Default.WithLanguageVersion(LanguageVersion.Preview),
                    path: i == 0 ? "Test.cs" : $"Test{i}.cs"))
                .ToArray();
            var kindOfOutput = trees.Any(t => ((CompilationUnitSyntax)t.GetRoot()).Members.OfType<GlobalStatementSyntax>().Any())
                ? OutputKind.ConsoleApplication
                : OutputKind.DynamicallyLinkedLibrary;
            var references = sources.Any(s => s.Contains("Xunit", StringComparison.Ordinal)) ? Runtime.AddRange(Xunit) : Runtime;
            var compilation = CSharpCompilation.Create("AnalyzerTests", trees, references, new CSharpCompilationOptions(kindOfOutput));
            var errors = compilation.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);

            var analyzer = new TAnalyzer();
            var hcr = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(analyzer)).GetAnalyzerDiagnosticsAsync();
            var ours = await compilation.WithAnalyzers(Ours).GetAnalyzerDiagnosticsAsync();
            Cases.Add(new Case(Cases.Count + 1, CurrentTest, kind, analyzer.SupportedDiagnostics[0].Id, sources, errors, Describe(hcr), Describe(ours)));
            if (analyzer.SupportedDiagnostics[0].Id.StartsWith("HCR04", StringComparison.Ordinal))
            {
                // The same situation once more, against the real packages instead of the case's stand-ins.
                await RealPackages.RunAsync(new TAnalyzer(), Cases.Count, CurrentTest, kind, sources, references, Runtime, Ours, Describe);
            }

            if (!allowErrors && errors > 0)
            {
                throw new InvalidOperationException($"Test source contains {errors} compiler error(s).");
            }

            return hcr;
        }

        private static List<string> Describe(ImmutableArray<Diagnostic> diagnostics) => diagnostics
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal).ThenBy(d => d.Location.SourceSpan.Start)
            .Select(d =>
            {
                var span = d.Location.GetLineSpan();
                var file = span.Path == "Test.cs" ? "" : span.Path + ":";
                return $"{d.Id}@{file}{span.StartLinePosition.Line + 1}:{span.StartLinePosition.Character + 1}";
            })
            .ToList();

        private static bool IsManaged(string path)
        {
            try
            {
                System.Reflection.AssemblyName.GetAssemblyName(path);
                return true;
            }
            catch (BadImageFormatException)
            {
                return false;
            }
        }
    }
}
