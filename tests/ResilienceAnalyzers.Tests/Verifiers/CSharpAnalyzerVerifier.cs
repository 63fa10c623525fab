using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace ResilienceAnalyzers.Tests.Verifiers;

public static class CSharpAnalyzerVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic(string diagnosticId) => CSharpAnalyzerVerifier<TAnalyzer, DefaultVerifier>.Diagnostic(diagnosticId);

    /// <summary>Verifies the markup in <paramref name="source"/> against the analyzer, with every library referenced.</summary>
    public static Task VerifyAnalyzerAsync(string source, params DiagnosticResult[] expected)
        => VerifyAnalyzerAsync(source, TestLibraries.All, editorConfig: null, expected);

    public static Task VerifyAnalyzerAsync(string source, TestLibraries libraries, string? editorConfig, params DiagnosticResult[] expected)
    {
        var test = new Test { TestCode = source, TestLibraries = libraries, EditorConfig = editorConfig };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    public sealed class Test : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = TestReferences.ReferenceAssemblies;
        }

        public TestLibraries TestLibraries { get; set; } = TestLibraries.All;

        /// <summary>Body of an <c>.editorconfig</c> section that applies to every source file.</summary>
        public string? EditorConfig { get; set; }

        protected override ParseOptions CreateParseOptions()
            => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Latest);

        protected override Task RunImplAsync(CancellationToken cancellationToken)
        {
            TestSetup.Apply(TestState, TestLibraries, EditorConfig);
            return base.RunImplAsync(cancellationToken);
        }
    }
}
