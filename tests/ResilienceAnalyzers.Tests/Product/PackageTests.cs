using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Threading;
using System.Xml.Linq;
using Xunit.Abstractions;

namespace ResilienceAnalyzers.Tests.Product;

/// <summary>
/// Proves the NuGet package works as shipped: it is packed from src/Package, holds the analyzers and nothing
/// else, and a project that knows nothing of this repository restores it from a local feed and gets warnings.
/// Nothing is downloaded: the consumer's only package source is the feed the package was packed into.
/// </summary>
public sealed class PackageTests : IClassFixture<PackageTests.PackedPackage>
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(120);

    private readonly PackedPackage _package;
    private readonly ITestOutputHelper _output;

    public PackageTests(PackedPackage package, ITestOutputHelper output)
    {
        _package = package;
        _output = output;
    }

    [Fact]
    public void Package_holds_both_assemblies_as_analyzers_and_nothing_under_lib()
    {
        var nupkg = _package.RequireNupkg();
        using var zip = ZipFile.OpenRead(nupkg);
        var entries = zip.Entries.Select(e => e.FullName.Replace('\\', '/')).ToArray();
        _output.WriteLine(string.Join("\n", entries));

        Assert.Contains("analyzers/dotnet/cs/ResilienceAnalyzers.dll", entries);
        Assert.Contains("analyzers/dotnet/cs/ResilienceAnalyzers.CodeFixes.dll", entries);
        Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.OrdinalIgnoreCase));
        Assert.Contains("build/ResilienceAnalyzers.targets", entries);
        Assert.Contains("profiles/adopt.globalconfig", entries);
        Assert.Contains("profiles/strict.globalconfig", entries);

        // A development dependency with no dependencies of its own: it never flows to the consumer's consumers.
        var nuspec = ReadNuspec(zip);
        var ns = nuspec.Root!.Name.Namespace;
        var metadata = nuspec.Root.Element(ns + "metadata")!;
        Assert.Equal("ResilienceAnalyzers", (string?)metadata.Element(ns + "id"));
        Assert.Equal("true", (string?)metadata.Element(ns + "developmentDependency"));
        Assert.Empty(metadata.Descendants(ns + "dependency"));

        // A package page a user can read: its own README whose links resolve there (no relative ones), an icon,
        // and release notes naming every rule of the release-tracking file.
        var readmeName = (string)metadata.Element(ns + "readme")!;
        var iconName = (string)metadata.Element(ns + "icon")!;
        Assert.Contains(iconName, entries);
        using (var reader = new StreamReader(zip.GetEntry(readmeName)!.Open()))
        {
            var readme = reader.ReadToEnd();
            var links = System.Text.RegularExpressions.Regex.Matches(readme, @"\]\(([^)]+)\)").Select(m => m.Groups[1].Value).ToList();
            Assert.NotEmpty(links);
            Assert.All(links, link => Assert.StartsWith("https://", link, StringComparison.Ordinal));
            Assert.Contains($"Version=\"{(string)metadata.Element(ns + "version")!}\"", readme, StringComparison.Ordinal);
        }

        var releaseNotes = (string)metadata.Element(ns + "releaseNotes")!;
        var released = Repository.ReadLines("src/Analyzers/AnalyzerReleases.Unshipped.md").Where(l => l.StartsWith("RES", StringComparison.Ordinal)).Select(l => l[..6]).ToList();
        Assert.NotEmpty(released);
        Assert.All(released, id => Assert.Contains(id, releaseNotes, StringComparison.Ordinal));
    }

    [Fact]
    public void Consumer_restoring_only_from_the_local_feed_gets_RES001()
    {
        var nupkg = _package.RequireNupkg();
        string version;
        using (var zip = ZipFile.OpenRead(nupkg))
        {
            var nuspec = ReadNuspec(zip);
            version = (string)nuspec.Root!.Element(nuspec.Root.Name.Namespace + "metadata")!.Element(nuspec.Root.Name.Namespace + "version")!;
        }

        var consumer = Path.Combine(_package.Root, "consumer");
        var packages = Path.Combine(_package.Root, "packages");
        Directory.CreateDirectory(consumer);

        DotNet.IsolateFolder(consumer, _package.Feed);
        File.WriteAllText(Path.Combine(consumer, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>disable</ImplicitUsings>
                <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
                <RestorePackagesPath>{packages}</RestorePackagesPath>
                <NuGetAudit>false</NuGetAudit>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="ResilienceAnalyzers" Version="{version}" />
              </ItemGroup>
              <Target Name="ListAnalyzers" BeforeTargets="CoreCompile">
                <Message Importance="high" Text="analyzer: %(Analyzer.Identity)" />
              </Target>
            </Project>
            """);
        File.WriteAllText(Path.Combine(consumer, "Fetcher.cs"), """
            using System.Net.Http;
            using System.Threading.Tasks;

            public static class Fetcher
            {
                public static async Task<string> GetAsync(HttpClient client, string url)
                {
                    while (true)
                    {
                        try
                        {
                            return await client.GetStringAsync(url);
                        }
                        catch (HttpRequestException)
                        {
                        }
                    }
                }
            }
            """);

        var build = DotNet.Run(consumer, CommandTimeout, "build", "Consumer.csproj", "-c", "Debug", "--disable-build-servers", "-tl:off", "-nologo");
        _output.WriteLine(build.Output);
        Assert.False(build.TimedOut, $"dotnet build of the consumer did not finish within {CommandTimeout}.");
        Assert.True(build.ExitCode == 0, $"The consumer did not restore or build (exit code {build.ExitCode}):\n{build.Output}");

        // Restore took nothing but our package, so nothing could have been downloaded.
        var restored = Directory.GetDirectories(packages).Select(Path.GetFileName).ToArray();
        Assert.Equal(new[] { "resilienceanalyzers" }, restored);

        // The compiler was handed both assemblies from the restored package.
        var analyzerLines = build.Output.Split('\n').Where(l => l.Contains("analyzer: ", StringComparison.Ordinal)).ToArray();
        Assert.Contains(analyzerLines, l => l.Contains(Path.Combine("resilienceanalyzers", version, "analyzers", "dotnet", "cs", "ResilienceAnalyzers.dll"), StringComparison.Ordinal));
        Assert.Contains(analyzerLines, l => l.Contains(Path.Combine("resilienceanalyzers", version, "analyzers", "dotnet", "cs", "ResilienceAnalyzers.CodeFixes.dll"), StringComparison.Ordinal));

        // Fails until RetryAnalyzer reports RES001 on an unbounded loop; everything above works already.
        Assert.Contains("warning RES001", build.Output, StringComparison.Ordinal);

        // One property turns on a profile: strict makes every rule an error, so the build fails on the loop.
        var strict = DotNet.Run(consumer, CommandTimeout, "build", "Consumer.csproj", "-c", "Debug", "--no-restore", "--no-incremental", "--disable-build-servers", "-tl:off", "-nologo", "-p:ResilienceAnalyzersProfile=strict");
        _output.WriteLine(strict.Output);
        Assert.NotEqual(0, strict.ExitCode);
        Assert.Contains("error RES001", strict.Output, StringComparison.Ordinal);
    }

    private static XDocument ReadNuspec(ZipArchive zip)
    {
        var entry = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase) && !e.FullName.Contains('/'));
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }

    /// <summary>Packs src/Package once for the test class into a unique temporary feed, and deletes it afterwards.</summary>
    public sealed class PackedPackage : IDisposable
    {
        private readonly Lazy<DotNet.Result> _pack;

        public PackedPackage()
        {
            Root = Path.Combine(Path.GetTempPath(), "ResilienceAnalyzers.PackageTests." + Guid.NewGuid().ToString("N"));
            Feed = Path.Combine(Root, "feed");
            Directory.CreateDirectory(Feed);
            _pack = new Lazy<DotNet.Result>(
                () => DotNet.Run(
                    Repository.Root,
                    CommandTimeout,
                    "pack",
                    Path.Combine("src", "Package", "ResilienceAnalyzers.Package.csproj"),
                    "-c",
                    "Release",
                    "-o",
                    Feed,
                    "--disable-build-servers",
                    "-tl:off",
                    "-nologo"),
                LazyThreadSafetyMode.ExecutionAndPublication);
        }

        public string Root { get; }

        public string Feed { get; }

        /// <summary>Packs on first use and returns the .nupkg, failing the calling test with the pack output if it did not work.</summary>
        public string RequireNupkg()
        {
            var pack = _pack.Value;
            Assert.False(pack.TimedOut, $"dotnet pack did not finish within {CommandTimeout}:\n{pack.Output}");
            Assert.True(pack.ExitCode == 0, $"dotnet pack failed (exit code {pack.ExitCode}):\n{pack.Output}");
            var packages = Directory.GetFiles(Feed, "*.nupkg");
            Assert.True(packages.Length == 1, $"Expected one .nupkg in {Feed}, found {packages.Length}:\n{pack.Output}");
            return packages[0];
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // Best effort: a leftover temporary directory is not a test failure.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}

/// <summary>Runs the dotnet CLI in a child process, isolated from the MSBuild that launched the tests.</summary>
internal static class DotNet
{
    /// <summary>
    /// Makes <paramref name="folder"/> a build of its own: empty MSBuild and central-version files stop any enclosing
    /// directory's from applying, and the only package source is <paramref name="feed"/> (none when null), so a
    /// restore there can download nothing.
    /// </summary>
    public static void IsolateFolder(string folder, string? feed)
    {
        File.WriteAllText(Path.Combine(folder, "Directory.Build.props"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(folder, "Directory.Packages.props"), "<Project />\n");
        var source = feed is null ? "" : $"\n    <add key=\"local\" value=\"{feed}\" />";
        File.WriteAllText(Path.Combine(folder, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />{source}
              </packageSources>
              <fallbackPackageFolders>
                <clear />
              </fallbackPackageFolders>
              <auditSources>
                <clear />
              </auditSources>
            </configuration>
            """);
    }

    public static Result Run(string workingDirectory, TimeSpan timeout, params string[] arguments)
        => RunWith(new Dictionary<string, string>(), workingDirectory, timeout, arguments);

    /// <summary>As <see cref="Run"/>, with extra environment variables for the child process.</summary>
    public static Result RunWith(IReadOnlyDictionary<string, string> environment, string workingDirectory, TimeSpan timeout, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // `dotnet test` runs inside MSBuild, whose variables would otherwise leak into the child build.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        var outputClosed = new ManualResetEventSlim();
        var errorClosed = new ManualResetEventSlim();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(e.Data, outputClosed);
        process.ErrorDataReceived += (_, e) => Append(e.Data, errorClosed);

        var stopwatch = Stopwatch.StartNew();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var exited = process.WaitForExit((int)timeout.TotalMilliseconds);
        if (!exited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit((int)TimeSpan.FromSeconds(10).TotalMilliseconds);
        }

        // Wait for the last lines, but never for a straggler that inherited the pipes.
        outputClosed.Wait(TimeSpan.FromSeconds(10));
        errorClosed.Wait(TimeSpan.FromSeconds(10));

        string text;
        lock (output)
        {
            text = $"> dotnet {string.Join(" ", arguments)}  ({stopwatch.Elapsed.TotalSeconds:F1} s)\n" + output;
        }

        return new Result(exited ? process.ExitCode : -1, !exited, text);

        void Append(string? line, ManualResetEventSlim closed)
        {
            if (line is null)
            {
                closed.Set();
                return;
            }

            lock (output)
            {
                output.Append(line).Append('\n');
            }
        }
    }

    public sealed record Result(int ExitCode, bool TimedOut, string Output);
}
