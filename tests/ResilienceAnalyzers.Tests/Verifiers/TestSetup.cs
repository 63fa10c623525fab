using Microsoft.CodeAnalysis;
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

    /// <summary>
    /// Compiles <paramref name="source"/> into a separate project that the tested one references, so the types it
    /// stands in for come from a referenced library, as they do in real code (a type the analysed compilation
    /// declares is its own plumbing: RULES.md, "Use, not definition").
    /// </summary>
    /// <param name="name">The stand-in's assembly name; the tested project's is <c>TestProject</c>.</param>
    public static void AddStandInLibrary(SolutionState state, string source, string name = "StandIn")
    {
        var project = new ProjectState(name, LanguageNames.CSharp, "/" + name + "/Test", "cs");
        project.Sources.Add(source);
        project.AdditionalReferences.AddRange(TestReferences.For(TestLibraries.None));
        state.AdditionalProjects.Add(name, project);
        state.AdditionalProjectReferences.Add(name);
    }
}
