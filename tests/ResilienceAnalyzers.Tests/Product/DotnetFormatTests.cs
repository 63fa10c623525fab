using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using ResilienceAnalyzers.Tests.Verifiers;
using Xunit.Abstractions;

namespace ResilienceAnalyzers.Tests.Product;

/// <summary>
/// The real <c>dotnet format analyzers</c>, run on a copy of the sample with every rule ID at once: afterwards no
/// diagnostic is left that one of our fixers could fix, the project still builds, and the inserted guards follow
/// the project's <c>csharp_prefer_braces</c>. This is how a team applies the fixes to a whole codebase, and it
/// takes the Fix All path no unit test does: one analysis per rule, then each fixer asked with the key of the first
/// diagnostic's action.
/// </summary>
public sealed class DotnetFormatTests : IDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(180);

    private static readonly string[] RuleIds = { "RES001", "RES002", "RES003", "RES004", "RES010", "RES011", "RES012", "RES020", "RES021", "RES022" };

    private readonly string _root = Path.Combine(Path.GetTempPath(), "ResilienceAnalyzers.DotnetFormatTests." + Guid.NewGuid().ToString("N"));
    private readonly ITestOutputHelper _output;

    public DotnetFormatTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_root);
    }

    [Fact]
    public async Task Dotnet_format_applies_every_fix_in_one_run_and_the_sample_still_builds()
    {
        var sources = Directory.EnumerateFiles(Repository.PathOf("samples/RetryStorm"), "*.cs").Order(StringComparer.Ordinal).ToList();
        var fixableBefore = 0;
        foreach (var source in sources)
        {
            var text = File.ReadAllText(source);
            fixableBefore += (await FixableAsync(text)).Count;
            File.WriteAllText(Path.Combine(_root, Path.GetFileName(source)), text);
        }

        Assert.True(fixableBefore > 0, "The sample offers no fix, so this test would prove nothing.");
        WriteProject();

        var format = DotNet.Run(_root, CommandTimeout, new[] { "format", "analyzers", "Sample.csproj", "--severity", "info", "--diagnostics" }.Concat(RuleIds).ToArray());
        _output.WriteLine(format.Output);
        Assert.False(format.TimedOut, $"dotnet format did not finish within {CommandTimeout}.");
        Assert.True(format.ExitCode == 0, $"dotnet format failed (exit code {format.ExitCode}):\n{format.Output}");

        var left = new List<string>();
        foreach (var source in sources)
        {
            var text = File.ReadAllText(Path.Combine(_root, Path.GetFileName(source)));
            left.AddRange((await FixableAsync(text)).Select(d => $"{Path.GetFileName(source)}:{d.Location.GetLineSpan().StartLinePosition.Line + 1} {d.Id}"));
            Assert.DoesNotMatch(new Regex(@"if \([^\n]*\)\s*throw;"), text);
        }

        Assert.True(left.Count == 0, $"dotnet format left {left.Count} fixable diagnostic(s) of {fixableBefore}:\n{string.Join("\n", left)}\n{format.Output}");

        var build = DotNet.Run(_root, CommandTimeout, "build", "Sample.csproj", "--disable-build-servers", "-tl:off", "-nologo");
        _output.WriteLine(build.Output);
        Assert.True(build.ExitCode == 0 && !build.Output.Contains(" error ", StringComparison.Ordinal), $"The formatted sample does not build:\n{build.Output}");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temporary directory is not a test failure.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// A project that needs no restore from any feed: Polly and the analyzers are referenced as files from this test's
    /// output, the enclosing repository's MSBuild and central-version files are shut out, and the project prefers braces.
    /// </summary>
    private void WriteProject()
    {
        var bin = AppContext.BaseDirectory;
        DotNet.IsolateFolder(_root, feed: null);
        File.WriteAllText(Path.Combine(_root, ".editorconfig"), "root = true\n\n[*.cs]\ncsharp_prefer_braces = true\n");
        File.WriteAllText(Path.Combine(_root, "Sample.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <Reference Include="{Path.Combine(bin, "Polly.dll")}" />
                <Reference Include="{Path.Combine(bin, "Polly.Core.dll")}" />
                <Analyzer Include="{Path.Combine(bin, "ResilienceAnalyzers.dll")}" />
                <Analyzer Include="{Path.Combine(bin, "ResilienceAnalyzers.CodeFixes.dll")}" />
              </ItemGroup>
            </Project>
            """);
    }

    /// <summary>The diagnostics of <paramref name="source"/> for which one of the shipped fixers offers a fix.</summary>
    private static async Task<List<Diagnostic>> FixableAsync(string source)
    {
        var document = Shipped.Document(source);
        var diagnostics = await Shipped.AnalyzeAsync(document.Project);

        var fixable = new List<Diagnostic>();
        foreach (var diagnostic in diagnostics.Where(d => RuleIds.Contains(d.Id)))
        {
            var actions = new List<CodeAction>();
            foreach (var fixer in Shipped.Fixers.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                await fixer.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
            }

            if (actions.Count > 0)
            {
                fixable.Add(diagnostic);
            }
        }

        return fixable;
    }
}
