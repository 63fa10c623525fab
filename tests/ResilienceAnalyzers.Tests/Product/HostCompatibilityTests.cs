using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using ResilienceAnalyzers.Tests.Verifiers;

namespace ResilienceAnalyzers.Tests.Product;

/// <summary>
/// The oldest host the package supports is Roslyn 4.8 (the .NET 8.0.1xx SDK, Visual Studio 17.8). This test
/// assembly runs on exactly that Roslyn, so every analyzer and fix test here is a 4.8-host test; these tests make
/// the claim explicit: the shipped assemblies ask for nothing newer, and they report the same findings on the
/// sample here as in the newest host (the scanner, on the .NET 10 SDK's Roslyn).
/// </summary>
public sealed class HostCompatibilityTests
{
    private static readonly Version OldestRoslyn = new(4, 8, 0, 0);

    [Fact]
    public void This_test_host_is_the_oldest_supported_Roslyn()
        => Assert.Equal(OldestRoslyn, typeof(Compilation).Assembly.GetName().Version);

    [Theory]
    [InlineData("ResilienceAnalyzers.dll")]
    [InlineData("ResilienceAnalyzers.CodeFixes.dll")]
    public void Shipped_assemblies_reference_nothing_a_Roslyn_4_8_host_lacks(string file)
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, file));
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var references = metadata.AssemblyReferences
            .Select(h => metadata.GetAssemblyReference(h))
            .Select(r => (Name: metadata.GetString(r.Name), r.Version))
            .ToList();

        foreach (var (name, version) in references)
        {
            if (name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal))
            {
                Assert.True(version <= OldestRoslyn, $"{file} references {name} {version}, newer than Roslyn {OldestRoslyn}.");
            }

            // The code fixes are found by their [ExportCodeFixProvider] (Roslyn's own attribute); a reference to
            // System.Composition would bind to whatever version a host ships, and 8.0 is newer than some ship.
            Assert.False(name.StartsWith("System.Composition", StringComparison.Ordinal), $"{file} references {name} {version}.");
        }

        Assert.Contains(references, r => r.Name == "netstandard");
    }

    [Fact]
    public async Task The_sample_gives_the_same_findings_here_as_in_the_newest_host()
    {
        var sample = Repository.PathOf("samples/RetryStorm");
        var here = await InProcessAsync(sample);
        Assert.NotEmpty(here);

        var scan = DotNet.Run(sample, TimeSpan.FromMinutes(3), Repository.Scanner, sample, "--no-msbuild", "--fail-on", "none");
        Assert.True(scan.ExitCode == 0, scan.Output);
        var newest = ScannerFindings(scan.Output);

        Assert.Equal(here, newest);
    }

    /// <summary>"RES001 Program.cs:35" for every finding, analysed here (Roslyn 4.8).</summary>
    private static async Task<List<string>> InProcessAsync(string folder)
    {
        var project = new AdhocWorkspace().AddProject("Sample", LanguageNames.CSharp)
            .WithCompilationOptions(new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable))
            .WithParseOptions(new CSharpParseOptions(LanguageVersion.Latest))
            .AddMetadataReferences(TestReferences.For(TestLibraries.All));
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs"))
        {
            project = project.AddDocument(Path.GetFileName(file), SourceText.From(File.ReadAllText(file)), filePath: file).Project;
        }

        var diagnostics = await Shipped.AnalyzeAsync(project);
        return diagnostics
            .Select(d => $"{d.Id} {Path.GetFileName(d.Location.SourceTree!.FilePath)}:{d.Location.GetLineSpan().StartLinePosition.Line + 1}")
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The same, read back from the scanner's text report (rule heading, file line, "line:column severity: …").</summary>
    private static List<string> ScannerFindings(string report)
    {
        var findings = new List<string>();
        string? rule = null;
        string? file = null;
        foreach (var line in report.Split('\n'))
        {
            if (Regex.Match(line, @"^(RES\d{3}) ") is { Success: true } heading)
            {
                rule = heading.Groups[1].Value;
            }
            else if (Regex.Match(line, @"^  (\S+\.cs)\s*$") is { Success: true } path)
            {
                file = Path.GetFileName(path.Groups[1].Value);
            }
            else if (Regex.Match(line, @"^    (\d+):\d+ ") is { Success: true } position && rule is not null && file is not null)
            {
                findings.Add($"{rule} {file}:{position.Groups[1].Value}");
            }
        }

        return findings.Order(StringComparer.Ordinal).ToList();
    }
}
