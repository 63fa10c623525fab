using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace ResilienceAnalyzers.Tests.Verifiers;

public static class CSharpCodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static DiagnosticResult Diagnostic(string diagnosticId) => CSharpCodeFixVerifier<TAnalyzer, TCodeFix, DefaultVerifier>.Diagnostic(diagnosticId);

    /// <summary>
    /// Verifies that the fix turns <paramref name="source"/> into <paramref name="fixedSource"/>, one
    /// diagnostic at a time and through Fix All, and that no diagnostic in the markup survives.
    /// </summary>
    public static Task VerifyCodeFixAsync(string source, string fixedSource, TestLibraries libraries = TestLibraries.All, string? editorConfig = null, string? equivalenceKey = null)
    {
        var test = new Test
        {
            TestCode = source,
            FixedCode = fixedSource,
            TestLibraries = libraries,
            EditorConfig = editorConfig,
            CodeActionEquivalenceKey = equivalenceKey,
        };
        return test.RunAsync(CancellationToken.None);
    }

    public sealed class Test : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public Test()
        {
            ReferenceAssemblies = TestReferences.ReferenceAssemblies;
        }

        public TestLibraries TestLibraries { get; set; } = TestLibraries.All;

        public string? EditorConfig { get; set; }

        protected override ParseOptions CreateParseOptions()
            => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.Latest);

        protected override Task RunImplAsync(CancellationToken cancellationToken)
        {
            // FixedState and BatchFixedState inherit references and .editorconfig from TestState.
            TestSetup.Apply(TestState, TestLibraries, EditorConfig);

            // A fix test verifies the rules its markup names. RES004-RES007 came after most of them and fire beside
            // the rules they fix (an unbounded retry whose delay also grows without a cap, a POST in a retry loop): a test
            // that is not about them leaves them out, and their own tests verify them.
            foreach (var later in new[] { Common.RuleIdentifiers.BackoffWithoutCap, Common.RuleIdentifiers.RetryOnEveryException, Common.RuleIdentifiers.RetryInsideRetry, Common.RuleIdentifiers.NonIdempotentRequestRetried })
            {
                if (!TestState.Sources.Exists(source => source.content.ToString().Contains(later, System.StringComparison.Ordinal)))
                {
                    DisabledDiagnostics.Add(later);
                }
            }

            // Fixed code may keep markup for diagnostics that the fix under test leaves alone.
            FixedState.MarkupHandling ??= MarkupMode.Allow;
            BatchFixedState.MarkupHandling ??= MarkupMode.Allow;
            return base.RunImplAsync(cancellationToken);
        }
    }
}
