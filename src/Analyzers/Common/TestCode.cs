using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ResilienceAnalyzers.Common;

/// <summary>RULES.md "Test code": projects that reference a test framework are skipped unless asked for.</summary>
internal static class TestCode
{
    /// <summary>True when the compilation references xunit, NUnit or MSTest.</summary>
    public static bool IsTestProject(Compilation compilation)
        => compilation.GetTypeByMetadataName("Xunit.FactAttribute") is not null
           || compilation.GetTypeByMetadataName("NUnit.Framework.TestAttribute") is not null
           || compilation.GetTypeByMetadataName("Microsoft.VisualStudio.TestTools.UnitTesting.TestMethodAttribute") is not null;

    /// <summary>False for test projects unless <c>resilience_analyzers.analyze_test_code</c> is on for this file.</summary>
    public static bool ShouldAnalyze(bool isTestProject, AnalyzerOptions options, SyntaxTree tree)
        => !isTestProject || Options.AnalyzeTestCode.GetValue(options, tree);
}
