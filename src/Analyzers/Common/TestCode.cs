using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ResilienceAnalyzers.Common;

/// <summary>RULES.md "Test code": projects that reference a test framework are skipped unless asked for.</summary>
internal static class TestCode
{
    /// <summary>
    /// True when the compilation references xunit, NUnit or MSTest, or a library only tests use: a test double
    /// library (Moq, NSubstitute, FakeItEasy) or Testcontainers (test-support projects, lab helpers).
    /// </summary>
    public static bool IsTestProject(Compilation compilation)
    {
        var lookup = LibraryTypeLookup.For(compilation);
        return lookup.Find("xunit", "Xunit.FactAttribute") is not null
               || lookup.Find("nunit.framework", "NUnit.Framework.TestAttribute") is not null
               || lookup.Find("Microsoft.VisualStudio.TestPlatform.TestFramework", "Microsoft.VisualStudio.TestTools.UnitTesting.TestMethodAttribute") is not null
               || lookup.Find("MSTest.TestFramework", "Microsoft.VisualStudio.TestTools.UnitTesting.TestMethodAttribute") is not null
               || lookup.Find("Moq", "Moq.Mock") is not null
               || lookup.Find("NSubstitute", "NSubstitute.Substitute") is not null
               || lookup.Find("FakeItEasy", "FakeItEasy.A") is not null
               || lookup.Find("Testcontainers", "DotNet.Testcontainers.Builders.ContainerBuilder") is not null;
    }

    /// <summary>False for test projects unless <c>resilience_analyzers.analyze_test_code</c> is on for this file.</summary>
    public static bool ShouldAnalyze(bool isTestProject, AnalyzerOptions options, SyntaxTree tree)
        => !isTestProject || Options.AnalyzeTestCode.GetValue(options, tree);
}
