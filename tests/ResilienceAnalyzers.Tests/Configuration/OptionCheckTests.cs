using ResilienceAnalyzers.Tests.Verifiers;
using Verify = ResilienceAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<ResilienceAnalyzers.Configuration.OptionCheckAnalyzer>;

namespace ResilienceAnalyzers.Tests.Configuration;

/// <summary>RES000: option values the analyzers cannot read, and keys in our namespaces that name no option.</summary>
public sealed class OptionCheckTests
{
    private const string AnyCode = """
        public static class Prices
        {
            public static decimal WithTax(decimal net) => net * 1.2m;
        }
        """;

    [Fact]
    public Task A_number_option_set_to_a_word_is_reported_with_the_key_the_value_and_the_default()
        => Verify.VerifyAnalyzerAsync(
            AnyCode,
            TestLibraries.None,
            "RES001.max_attempts = lots",
            Verify.Diagnostic("RES000").WithArguments("RES001.max_attempts", "lots", "is not a whole number of at least 1; the default, 10, is used instead"));

    [Fact]
    public Task A_number_below_the_minimum_and_a_flag_that_is_not_a_boolean_are_reported()
        => Verify.VerifyAnalyzerAsync(
            AnyCode,
            TestLibraries.None,
            "resilience_analyzers.max_attempts = 0\nRES001.cancellation_is_bound = yes",
            Verify.Diagnostic("RES000").WithArguments("resilience_analyzers.max_attempts", "0", "is not a whole number of at least 1; the default, 3, is used instead"),
            Verify.Diagnostic("RES000").WithArguments("RES001.cancellation_is_bound", "yes", "is not true or false; the default, false, is used instead"));

    [Fact]
    public Task A_misspelt_key_in_our_namespaces_is_reported()
        => Verify.VerifyAnalyzerAsync(
            AnyCode,
            TestLibraries.None,
            "RES001.max_attempt = 5",
            Verify.Diagnostic("RES000").WithArguments("res001.max_attempt", "5", "names no option of ResilienceAnalyzers, so it has no effect; check the spelling against the rule's page"));

    [Fact]
    public Task Valid_values_severities_and_other_analyzers_keys_are_left_alone()
        => Verify.VerifyAnalyzerAsync(
            AnyCode,
            TestLibraries.None,
            """
            RES001.max_attempts = 5
            RES001.cancellation_is_bound = TRUE
            RES020.allowed_regions = us-gov-west-1, us-gov-east-1
            resilience_analyzers.backoff_cap_ms = 30000
            dotnet_diagnostic.RES001.severity = error
            RESX.something = 1
            resilience.other_tool = lots
            csharp_prefer_braces = true
            """);

    [Fact]
    public Task Test_projects_are_skipped_unless_asked()
        => Verify.VerifyAnalyzerAsync(
            AnyCode + "\nnamespace Xunit { public sealed class FactAttribute : System.Attribute { } }\n",
            TestLibraries.None,
            "RES001.max_attempts = lots");
}
