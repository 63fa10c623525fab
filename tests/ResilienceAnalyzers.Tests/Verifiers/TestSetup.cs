using Microsoft.CodeAnalysis.Testing;

namespace ResilienceAnalyzers.Tests.Verifiers;

internal static class TestSetup
{
    public static void Apply(SolutionState state, TestLibraries libraries, string? editorConfig)
    {
        state.AdditionalReferences.AddRange(TestReferences.For(libraries));
        if (editorConfig is not null)
        {
            state.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + editorConfig + "\n"));
        }
    }
}
