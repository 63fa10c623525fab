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
        var test = new Test { TestCode = source, TestLibraries = libraries, EditorConfig = editorConfig, VerifiesEveryExceptionRule = source.Contains("RES005", System.StringComparison.Ordinal),
            VerifiesLayerRules = source.Contains("RES006", System.StringComparison.Ordinal) || source.Contains("RES007", System.StringComparison.Ordinal) };
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

        /// <summary>
        /// Verify RES005 too. It is Info and fires on most hand-written retries (<c>catch (Exception)</c>), so the tests
        /// of the other rules leave it out; its own tests, positives and negatives alike, turn this on.
        /// </summary>
        public bool VerifiesEveryExceptionRule { get; set; }

        /// <summary>
        /// Verify RES006 and RES007 too. They came after most retry tests, whose retries send POSTs and nest layers on
        /// purpose to exercise other rules; their own tests, positives and negatives alike, turn this on.
        /// </summary>
        public bool VerifiesLayerRules { get; set; }

        protected override ParseOptions CreateParseOptions()
            => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Latest);

        protected override Task RunImplAsync(CancellationToken cancellationToken)
        {
            TestSetup.Apply(TestState, TestLibraries, EditorConfig);
            if (!VerifiesEveryExceptionRule)
            {
                DisabledDiagnostics.Add(Common.RuleIdentifiers.RetryOnEveryException);
            }

            if (!VerifiesLayerRules)
            {
                DisabledDiagnostics.Add(Common.RuleIdentifiers.RetryInsideRetry);
                DisabledDiagnostics.Add(Common.RuleIdentifiers.NonIdempotentRequestRetried);
            }

            return base.RunImplAsync(cancellationToken);
        }
    }
}
