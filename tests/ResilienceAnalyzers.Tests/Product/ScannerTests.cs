using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Tests.Product;

/// <summary>
/// resilience-scan end to end, as a child process (it hosts a newer Roslyn than this test assembly loads):
/// folder mode, project and solution mode through MSBuild, the three report formats and the exit codes.
/// </summary>
public sealed class ScannerTests : IDisposable
{
    private const string RetryLoop = """
        using System.Net.Http;
        using System.Threading.Tasks;

        namespace Shop;

        public sealed class StockClient
        {
            private readonly HttpClient _http;

            public StockClient(HttpClient http) => _http = http;

            public async Task<string> GetAsync(string sku)
            {
                while (true)
                {
                    try
                    {
                        return await _http.GetStringAsync("https://stock.example/" + sku);
                    }
                    catch (HttpRequestException)
                    {
                    }
                }
            }
        }
        """;

    private const string Clean = """
        namespace Shop;

        public static class Prices
        {
            public static decimal WithTax(decimal net) => net * 1.2m;
        }
        """;

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    private readonly string _root = Directory.CreateTempSubdirectory("resilience-scan-").FullName;

    [Fact]
    public void Folder_with_a_retry_loop_reports_it_grouped_by_rule_and_exits_1()
    {
        Write("src/StockClient.cs", RetryLoop);
        Write("src/Prices.cs", Clean);

        var result = Scan(_root);

        Assert.Equal(1, result.ExitCode);
        AssertContainsAll(
            result.Output,
            "RES001 Retry has no attempt limit (1)",
            "RES002 Retry without backoff (1)",
            "  src/StockClient.cs",
            "14:9 warning: This loop retries with no effective attempt limit",
            "2 finding(s) in 1 file(s); scanned 2 files",
            "(folder mode)");
    }

    [Fact]
    public void Clean_folder_exits_0_and_fail_on_none_exits_0_with_findings()
    {
        Write("Prices.cs", Clean);
        Assert.Equal(0, Scan(_root).ExitCode);

        Write("StockClient.cs", RetryLoop);
        Assert.Equal(0, Scan(_root, "--fail-on", "none").ExitCode);
    }

    [Fact]
    public void Excluded_folders_are_not_scanned()
    {
        Write("tests/StockClientTests.cs", RetryLoop);
        Write("src/Prices.cs", Clean);

        var result = Scan(_root, "--exclude", "tests");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("0 finding(s) in 0 file(s); scanned 1 files", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Test_projects_are_left_out_also_when_a_shared_props_file_brings_the_test_framework()
    {
        Write("src/Prices.cs", Clean);
        Write("unit/Shop.Tests.csproj", """<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="xunit" Version="2.9.3" /></ItemGroup></Project>""");
        Write("unit/StockClientTests.cs", RetryLoop);
        Write("test/Directory.Build.props", """<Project><ItemGroup><PackageReference Include="xunit" Version="2.9.3" /></ItemGroup></Project>""");
        Write("test/Shop.IntegrationTests/Shop.IntegrationTests.csproj", """<Project Sdk="Microsoft.NET.Sdk" />""");
        Write("test/Shop.IntegrationTests/Shared/TestServer.cs", RetryLoop);

        var result = Scan(_root);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("0 finding(s) in 0 file(s); scanned 1 files", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shared_props_file_that_adds_the_test_framework_only_under_a_condition_leaves_the_folder_in()
    {
        Write("src/Directory.Build.props", """
            <Project>
              <PropertyGroup><IsTestProject Condition="$(MSBuildProjectName.EndsWith('.Test'))">true</IsTestProject></PropertyGroup>
              <ItemGroup Condition="'$(IsTestProject)' == 'true'"><PackageReference Include="NUnit" Version="3.14.0" /></ItemGroup>
            </Project>
            """);
        Write("src/Shop/Shop.csproj", """<Project Sdk="Microsoft.NET.Sdk" />""");
        Write("src/Shop/StockClient.cs", RetryLoop);
        Write("src/Shop.Test/Shop.Test.csproj", """<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="NUnit" Version="3.14.0" /></ItemGroup></Project>""");
        Write("src/Shop.Test/StockClientFixture.cs", RetryLoop);

        var result = Scan(_root);

        Assert.Contains("StockClient.cs", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("StockClientFixture.cs", result.Output, StringComparison.Ordinal);
    }

    private const string PollyForeverWithoutUsing = """
        namespace Shop;

        public static class Policies
        {
            public static readonly Polly.Retry.RetryPolicy Forever = Policy.Handle<System.Net.Http.HttpRequestException>().RetryForever();
        }
        """;

    [Fact]
    public void Folder_mode_applies_editorconfig_and_globalconfig_severities_and_fail_on_follows_them()
    {
        Write("src/StockClient.cs", RetryLoop);
        Write(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.RES001.severity = error\n");
        Write("src/.globalconfig", "is_global = true\ndotnet_diagnostic.RES002.severity = none\n");

        var strict = Scan(_root, "--fail-on", "error");
        Assert.Equal(1, strict.ExitCode);
        Assert.Contains("error: This loop retries with no effective attempt limit", strict.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("RES002", strict.Output, StringComparison.Ordinal);

        var defaults = Scan(_root, "--ignore-config", "--fail-on", "error");
        Assert.Equal(0, defaults.ExitCode);
        Assert.Contains("warning: This loop retries with no effective attempt limit", defaults.Output, StringComparison.Ordinal);
        Assert.Contains("RES002", defaults.Output, StringComparison.Ordinal);

        Write(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.RES001.severity = suggestion\n");
        Assert.Equal(0, Scan(_root, "--fail-on", "warning").ExitCode);
        var note = Scan(_root, "--fail-on", "note");
        Assert.Equal(1, note.ExitCode);
        Assert.Contains("info: This loop retries with no effective attempt limit", note.Output, StringComparison.Ordinal);
        Assert.Equal(2, Scan(_root, "--fail-on", "sometimes").ExitCode);
    }

    [Fact]
    public void Folder_mode_imports_the_namespaces_of_Using_items()
    {
        Write("src/Shop.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup>
                <PackageReference Include="Polly" Version="8.9.1" />
                <Using Include="Polly" />
              </ItemGroup>
            </Project>
            """);
        Write("src/Policies.cs", PollyForeverWithoutUsing);

        var result = Scan(_root);

        Assert.Contains("'RetryForever' retries with no effective attempt limit", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_mode_references_HintPath_assemblies_and_names_the_packages_it_could_not_find()
    {
        Directory.CreateDirectory(Path.Combine(_root, "lib"));
        foreach (var assembly in new[] { "Polly.dll", "Polly.Core.dll" })
        {
            File.Copy(Path.Combine(AppContext.BaseDirectory, assembly), Path.Combine(_root, "lib", assembly));
        }

        Write("src/Shop.csproj", """
            <Project ToolsVersion="15.0">
              <ItemGroup>
                <Reference Include="Polly"><HintPath>..\lib\Polly.dll</HintPath></Reference>
                <Reference Include="Polly.Core"><HintPath>..\lib\Polly.Core.dll</HintPath></Reference>
              </ItemGroup>
            </Project>
            """);
        Write("src/packages.config", """<packages><package id="Polly" version="8.6.4" /><package id="Contoso.Billing" version="1.0.0" /></packages>""");
        Write("src/Policies.cs", "using Polly;\n" + PollyForeverWithoutUsing);
        var emptyCache = Directory.CreateDirectory(Path.Combine(_root, "empty-cache")).FullName;

        var result = DotNet.RunWith(new Dictionary<string, string> { ["NUGET_PACKAGES"] = emptyCache }, _root, Timeout, Repository.Scanner, _root, "--exclude", "empty-cache");

        Assert.Contains("'RetryForever' retries with no effective attempt limit", result.Output, StringComparison.Ordinal);
        Assert.Contains("Not in the local package cache", result.Output, StringComparison.Ordinal);
        Assert.Contains("contoso.billing", result.Output, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("polly", result.Output.Split('\n').Single(l => l.Contains("Not in the local package cache", StringComparison.Ordinal)), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Folder_mode_takes_an_old_style_versioned_reference_from_an_installed_sdk_as_its_package()
    {
        // The project references an SDK installed on the author's machine, and its packages.config is nowhere: the
        // versioned Reference item is what names the library, and the cached package of that id is what a restore of
        // the modern equivalent would give.
        var cache = Path.Combine(_root, "cache");
        WritePackage(cache, "Amazon.Stock", "2.0.0", "namespace Amazon.Stock { public sealed class StockClient { public System.Threading.Tasks.Task<int> CountAsync(string sku) => System.Threading.Tasks.Task.FromResult(0); } }");
        Write("src/Shop.csproj", """
            <Project ToolsVersion="12.0">
              <ItemGroup>
                <Reference Include="Amazon.Stock, Version=1.0.0.0, Culture=neutral, processorArchitecture=MSIL">
                  <HintPath>C:\Program Files (x86)\Amazon SDK\bin\Net45\Amazon.Stock.dll</HintPath>
                </Reference>
                <Reference Include="System" />
              </ItemGroup>
            </Project>
            """);
        Write("src/Stock.cs", """
            using System;
            using System.Threading.Tasks;

            public static class Stock
            {
                public static async Task<int> CountAsync(Amazon.Stock.StockClient client, string sku)
                {
                    while (true)
                    {
                        try
                        {
                            return await client.CountAsync(sku);
                        }
                        catch (Exception)
                        {
                        }
                    }
                }
            }
            """);

        var result = DotNet.RunWith(new Dictionary<string, string> { ["NUGET_PACKAGES"] = cache }, _root, Timeout, Repository.Scanner, _root, "--exclude", "cache");

        Assert.Contains("This loop retries with no effective attempt limit", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_mode_takes_the_package_version_the_project_names_when_the_cache_has_it()
    {
        // Two cached versions of one client library: 1.0.0 has the client the code calls, 2.0.0 (newer) does not.
        var cache = Path.Combine(_root, "cache");
        WritePackage(cache, "Amazon.Stock", "1.0.0", "namespace Amazon.Stock { public sealed class StockClient { public System.Threading.Tasks.Task<int> CountAsync(string sku) => System.Threading.Tasks.Task.FromResult(0); } }");
        WritePackage(cache, "Amazon.Stock", "2.0.0", "namespace Amazon.Stock { public sealed class Renamed { } }");
        Write("src/Shop.csproj", """<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Amazon.Stock" Version="1.0.0" /></ItemGroup></Project>""");
        Write("src/Stock.cs", """
            using System;
            using System.Threading.Tasks;
            using Amazon.Stock;

            public static class Stock
            {
                public static async Task<int> CountAsync(StockClient client, string sku)
                {
                    while (true)
                    {
                        try
                        {
                            return await client.CountAsync(sku);
                        }
                        catch (Exception)
                        {
                        }
                    }
                }
            }
            """);

        // Another project of the folder, read first, names the newer version: each project takes the one it names.
        Write("Admin/Admin.csproj", """<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Amazon.Stock" Version="2.0.0" /></ItemGroup></Project>""");
        Write("Admin/Report.cs", "public static class Report { }");

        var result = DotNet.RunWith(new Dictionary<string, string> { ["NUGET_PACKAGES"] = cache }, _root, Timeout, Repository.Scanner, _root, "--exclude", "cache");

        // With the newest version the client type would not bind, and the rules stay silent.
        Assert.Contains("This loop retries with no effective attempt limit", result.Output, StringComparison.Ordinal);
        Assert.Contains("(folder mode, 2 projects)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_mode_never_gives_a_project_the_version_another_project_names()
    {
        // The shop takes the client library through a package that depends on it; an unrelated admin project names an
        // older version of the client library, which lacks the client. A restore gives the shop the dependency's
        // version, not the admin's: with the admin's the client would not bind and the rules would stay silent.
        var cache = Path.Combine(_root, "cache");
        WritePackage(cache, "Amazon.Stock", "1.0.0", "namespace Amazon.Stock { public sealed class Renamed { } }");
        WritePackage(cache, "Amazon.Stock", "2.0.0", "namespace Amazon.Stock { public sealed class StockClient { public System.Threading.Tasks.Task<int> CountAsync(string sku) => System.Threading.Tasks.Task.FromResult(0); } }");
        WritePackage(cache, "Amazon.Stock.Extensions", "2.0.0", "namespace Amazon.Stock.Extensions { public static class Setup { } }", "Amazon.Stock");
        Write("src/Shop.csproj", """<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Amazon.Stock.Extensions" Version="2.0.0" /></ItemGroup></Project>""");
        Write("src/Stock.cs", """
            using System;
            using System.Threading.Tasks;
            using Amazon.Stock;

            public static class Stock
            {
                public static async Task<int> CountAsync(StockClient client, string sku)
                {
                    while (true)
                    {
                        try
                        {
                            return await client.CountAsync(sku);
                        }
                        catch (Exception)
                        {
                        }
                    }
                }
            }
            """);
        Write("Admin/Admin.csproj", """<Project Sdk="Microsoft.NET.Sdk"><ItemGroup><PackageReference Include="Amazon.Stock" Version="1.0.0" /></ItemGroup></Project>""");
        Write("Admin/Report.cs", "public static class Report { }");

        var result = DotNet.RunWith(new Dictionary<string, string> { ["NUGET_PACKAGES"] = cache }, _root, Timeout, Repository.Scanner, _root, "--exclude", "cache");

        Assert.Contains("This loop retries with no effective attempt limit", result.Output, StringComparison.Ordinal);
        Assert.Contains("(folder mode, 2 projects)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_mode_compiles_each_project_and_a_referenced_project_is_a_referenced_library()
    {
        // The repository is the client library and an app that uses it. In the library's own code its client is its
        // own type, judged by what its body visibly does (nothing goes out); in the app, as in its build, it is a
        // referenced client. A cached package of the same name as the project does not shadow it, and loose files
        // (documentation examples) see every project.
        const string Client = """
            namespace Amazon.Stock
            {
                public sealed class StockClient
                {
                    public System.Threading.Tasks.Task<int> CountAsync(string sku) => System.Threading.Tasks.Task.FromResult(sku.Length);
                }
            }
            """;
        const string Reorder = """
            using System;
            using System.Threading.Tasks;
            using Amazon.Stock;

            public static class NAME
            {
                public static async Task<int> CountAsync(StockClient client, string sku)
                {
                    while (true)
                    {
                        try
                        {
                            return await client.CountAsync(sku);
                        }
                        catch (Exception)
                        {
                        }
                    }
                }
            }
            """;
        var cache = Path.Combine(_root, "cache");
        WritePackage(cache, "Amazon.Stock", "1.0.0", "namespace Amazon.Stock { public sealed class Renamed { } }");
        Write("Amazon.Stock/Amazon.Stock.csproj", """<Project Sdk="Microsoft.NET.Sdk" />""");
        Write("Amazon.Stock/StockClient.cs", Client);
        Write("Amazon.Stock/Warmup.cs", Reorder.Replace("NAME", "Warmup", StringComparison.Ordinal));
        Write("App/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><SharedDirectory>$(MSBuildThisFileDirectory)..\Shared</SharedDirectory></PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="..\Amazon.Stock\Amazon.Stock.csproj" />
                <Compile Include="$(SharedDirectory)\*.cs" Link="Shared\%(Filename).cs" />
              </ItemGroup>
            </Project>
            """);
        Write("App/Reorder.cs", Reorder.Replace("NAME", "Reorder", StringComparison.Ordinal));
        Write("docs/Example.cs", Reorder.Replace("NAME", "Example", StringComparison.Ordinal));

        // A gateway the app links from a shared folder: the app's retry through it reaches the referenced client.
        Write("Shared/StockGateway.cs", """
            internal sealed class StockGateway
            {
                private readonly Amazon.Stock.StockClient _client = new();

                public System.Threading.Tasks.Task<int> CountAsync(string sku) => _client.CountAsync(sku);
            }
            """);
        Write("App/Restock.cs", Reorder.Replace("NAME", "Restock", StringComparison.Ordinal).Replace("StockClient client", "StockGateway client", StringComparison.Ordinal));

        var result = DotNet.RunWith(new Dictionary<string, string> { ["NUGET_PACKAGES"] = cache }, _root, Timeout, Repository.Scanner, _root, "--exclude", "cache");

        AssertContainsAll(result.Output, "  App/Reorder.cs", "  App/Restock.cs", "  docs/Example.cs", "(folder mode, 3 projects)");
        Assert.DoesNotContain("Warmup.cs", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Folder_mode_follows_a_repository_defined_reference_item_and_leaves_out_a_reference_source_beside_the_implementation()
    {
        // The library keeps its public surface for API review in api/Amazon.Stock.cs (every body "throw null"), which its
        // build removes under a property folder mode cannot evaluate; compiled beside the implementation it would double
        // CountAsync, and the app's call would not bind. The app names the library with an item the repository's build
        // turns into a ProjectReference. (An Amazon.* client of another project is a referenced SDK client: its calls go out.)
        Write("Amazon.Stock/Amazon.Stock.csproj", """<Project Sdk="Microsoft.NET.Sdk" />""");
        Write("Amazon.Stock/StockClient.cs", """
            namespace Amazon.Stock
            {
                public sealed partial class StockClient
                {
                    public System.Threading.Tasks.Task<int> CountAsync(string sku) => System.Threading.Tasks.Task.FromResult(sku.Length);
                }
            }
            """);
        Write("Amazon.Stock/api/Amazon.Stock.cs", """
            namespace Amazon.Stock
            {
                public sealed partial class StockClient
                {
                    public System.Threading.Tasks.Task<int> CountAsync(string sku) { throw null; }

                    public string Region { get { throw null; } set { } }
                }
            }
            """);
        Write("App/App.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <ItemGroup><ContosoProjectOrPackageReference Include="Amazon.Stock" /></ItemGroup>
            </Project>
            """);
        Write("App/Reorder.cs", """
            using System;
            using System.Threading.Tasks;
            using Amazon.Stock;

            public static class Reorder
            {
                public static async Task<int> CountAsync(StockClient client, string sku)
                {
                    while (true)
                    {
                        try
                        {
                            return await client.CountAsync(sku);
                        }
                        catch (Exception)
                        {
                        }
                    }
                }
            }
            """);

        var result = Scan(_root);

        AssertContainsAll(result.Output, "This loop retries with no effective attempt limit", "  App/Reorder.cs", "(folder mode, 2 projects)");
    }

    [Fact]
    public void Folder_mode_grants_the_internals_a_friend_shares_by_strong_name_or_project_item()
    {
        // A signed repository shares internals by strong name: the core project names the app with its public key,
        // and the app's build is signed with it. Compiled unsigned, the app could use none of the core's internal
        // types, and its retry through the internal gateway would go unseen.
        var key = Convert.ToHexString(StrongNamePublicKey());
        Write("Core/Core.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup><AssemblyName>Contoso.Core</AssemblyName></PropertyGroup>
              <ItemGroup><InternalsVisibleTo Include="Contoso.Jobs" /></ItemGroup>
            </Project>
            """);
        Write("Core/Friends.cs", $$"""[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Contoso.App, PublicKey={{key}}")]""");
        Write("Core/StockGateway.cs", """
            namespace Contoso.Core
            {
                internal sealed class StockGateway
                {
                    private readonly System.Net.Http.HttpClient _http = new();

                    public System.Threading.Tasks.Task<string> CountAsync(string sku) => _http.GetStringAsync("https://stock.example/" + sku);
                }
            }
            """);
        Write("App/App.csproj", """<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><AssemblyName>Contoso.App</AssemblyName></PropertyGroup><ItemGroup><ProjectReference Include="../Core/Core.csproj" /></ItemGroup></Project>""");
        Write("App/Restock.cs", """
            using System;
            using System.Threading.Tasks;
            using Contoso.Core;

            internal static class Restock
            {
                internal static async Task<string> CountAsync(StockGateway gateway, string sku)
                {
                    while (true)
                    {
                        try
                        {
                            return await gateway.CountAsync(sku);
                        }
                        catch (Exception)
                        {
                        }
                    }
                }
            }
            """);

        // A friend named by an InternalsVisibleTo item of the project file, as the SDK turns it into the attribute.
        Write("Jobs/Jobs.csproj", """<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><AssemblyName>Contoso.Jobs</AssemblyName></PropertyGroup><ItemGroup><ProjectReference Include="../Core/Core.csproj" /></ItemGroup></Project>""");
        Write("Jobs/Restock.cs", File.ReadAllText(Path.Combine(_root, "App", "Restock.cs")));

        var result = Scan(_root);

        AssertContainsAll(result.Output, "  App/Restock.cs", "  Jobs/Restock.cs", "(folder mode, 3 projects)");
    }

    /// <summary>A strong-name public key blob (the 12-byte signature header, then a CryptoAPI PUBLICKEYBLOB) for a fresh RSA key.</summary>
    private static byte[] StrongNamePublicKey()
    {
        using var rsa = System.Security.Cryptography.RSA.Create(1024);
        var parameters = rsa.ExportParameters(includePrivateParameters: false);
        var modulus = parameters.Modulus!.Reverse().ToArray();
        var exponent = new byte[4];
        for (var i = 0; i < parameters.Exponent!.Length; i++)
        {
            exponent[i] = parameters.Exponent[parameters.Exponent.Length - 1 - i];
        }

        using var blob = new MemoryStream();
        using var writer = new BinaryWriter(blob);
        writer.Write(0x00002400); // signature algorithm: RSA
        writer.Write(0x00008004); // hash algorithm: SHA-1
        writer.Write(20 + modulus.Length); // size of what follows
        writer.Write((byte)6); // PUBLICKEYBLOB
        writer.Write((byte)2);
        writer.Write((short)0);
        writer.Write(0x00002400);
        writer.Write(0x31415352); // "RSA1"
        writer.Write(modulus.Length * 8);
        writer.Write(exponent);
        writer.Write(modulus);
        writer.Flush();
        return blob.ToArray();
    }

    /// <summary>A package in a NuGet cache folder: one netstandard2.0 assembly compiled from <paramref name="source"/>.</summary>
    private static void WritePackage(string cache, string id, string version, string source, params string[] dependencies)
    {
        var lib = Path.Combine(cache, id.ToLowerInvariant(), version, "lib", "netstandard2.0");
        Directory.CreateDirectory(lib);
        File.WriteAllText(
            Path.Combine(cache, id.ToLowerInvariant(), version, id.ToLowerInvariant() + ".nuspec"),
            $"<package><metadata><id>{id}</id><version>{version}</version><dependencies>"
                + string.Concat(dependencies.Select(d => $"<dependency id=\"{d}\" />"))
                + "</dependencies></metadata></package>");
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create(
            id,
            new[] { Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(source) },
            ResilienceAnalyzers.Tests.Verifiers.TestReferences.For(ResilienceAnalyzers.Tests.Verifiers.TestLibraries.None),
            new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary));
        using var file = File.Create(Path.Combine(lib, id + ".dll"));
        var emitted = compilation.Emit(file);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
    }

    [Fact]
    public void A_single_file_is_scanned_alone_and_a_binary_one_exits_2()
    {
        Write("src/Shop/Shop.csproj", """<Project Sdk="Microsoft.NET.Sdk" />""");
        Write("src/Shop/StockClient.cs", RetryLoop);
        Write("src/Shop/OtherClient.cs", RetryLoop.Replace("StockClient", "OtherClient", StringComparison.Ordinal));
        Write("src/Shop/blob.cs", "\0\u0001\u0002MZ");

        var single = Scan(Path.Combine(_root, "src", "Shop", "StockClient.cs"));
        Assert.Equal(1, single.ExitCode);
        Assert.Contains("in 1 file(s); scanned 1 files", single.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("OtherClient", single.Output, StringComparison.Ordinal);

        var binary = Scan(Path.Combine(_root, "src", "Shop", "blob.cs"));
        Assert.Equal(2, binary.ExitCode);
        Assert.Contains("is not C# source text", binary.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_baseline_leaves_out_known_findings_even_after_lines_move_and_fails_only_on_new_ones()
    {
        Write("src/StockClient.cs", RetryLoop);
        var baseline = Path.Combine(_root, "..", Path.GetFileName(_root) + ".baseline.sarif");
        Assert.Equal(1, Scan(_root, "--format", "sarif", "--output", baseline).ExitCode);

        try
        {
            Write("src/StockClient.cs", "// Stock levels, from the warehouse service.\n// Moved every line down.\n" + RetryLoop);
            var moved = Scan(_root, "--baseline", baseline);
            Assert.Equal(0, moved.ExitCode);
            Assert.Contains("2 finding(s) already in the baseline left out.", moved.Output, StringComparison.Ordinal);

            Write("src/OtherClient.cs", RetryLoop.Replace("StockClient", "OtherClient", StringComparison.Ordinal));
            var added = Scan(_root, "--baseline", baseline);
            Assert.Equal(1, added.ExitCode);
            Assert.Contains("src/OtherClient.cs", added.Output, StringComparison.Ordinal);
            Assert.DoesNotContain("src/StockClient.cs", added.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(baseline);
        }
    }

    [Fact]
    public void Fix_applies_the_code_fixes_with_the_configured_style_and_severities_then_reports_what_is_left()
    {
        Write("src/StockClient.cs", RetryLoop);
        Write("src/Reporting.cs", """
            using System.Net.Http;
            using System.Threading;

            namespace Shop;

            public static class Reporting
            {
                public static HttpClient Create() => new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
            }
            """);
        Write(".editorconfig", "root = true\n\n[*.cs]\ncsharp_prefer_braces = true\ndotnet_diagnostic.RES010.severity = none\n");

        var result = Scan(_root, "--fix");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Fixed 1 file(s).", result.Output, StringComparison.Ordinal);
        Assert.Contains("0 finding(s)", result.Output, StringComparison.Ordinal);
        var fixedText = File.ReadAllText(Path.Combine(_root, "src", "StockClient.cs"));
        Assert.Contains("if (++attempt >= 3)\n                {\n                    throw;", fixedText.Replace("\r\n", "\n", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("Random.Shared.NextDouble()", fixedText, StringComparison.Ordinal);
        Assert.Contains("Timeout.InfiniteTimeSpan", File.ReadAllText(Path.Combine(_root, "src", "Reporting.cs")), StringComparison.Ordinal);
    }

    [Fact]
    public void Usage_and_load_errors_exit_2()
    {
        Assert.Equal(2, Scan(Path.Combine(_root, "missing")).ExitCode);
        Assert.Equal(2, Scan(_root, "--format", "xml").ExitCode);
        Write("notes.txt", "not a project");
        Assert.Equal(2, Scan(Path.Combine(_root, "notes.txt")).ExitCode);
        Assert.Equal(2, Scan(_root, "--output", Path.Combine(_root, "no", "such", "folder", "report.txt")).ExitCode);
    }

    [Fact]
    public void Empty_input_exits_2_and_says_so_version_exits_0()
    {
        var empty = Scan(_root);
        Assert.Equal(2, empty.ExitCode);
        Assert.Contains("no C# file to scan", empty.Output, StringComparison.Ordinal);

        Write("tests/StockClientTests.cs", RetryLoop);
        Assert.Equal(2, Scan(_root, "--exclude", "tests").ExitCode);

        var version = Scan("--version");
        Assert.Equal(0, version.ExitCode);
        Assert.Contains(version.Output.Split('\n'), line => line.StartsWith("resilience-scan ", StringComparison.Ordinal));
    }

    [Fact]
    public void Sarif_has_the_compiler_errorlog_shape()
    {
        Write("StockClient.cs", RetryLoop);
        var sarif = Path.Combine(_root, "out", "results.sarif");
        Directory.CreateDirectory(Path.GetDirectoryName(sarif)!);

        var result = Scan(_root, "--exclude", "out", "--format", "sarif", "--output", sarif);

        Assert.Equal(1, result.ExitCode);
        using var document = JsonDocument.Parse(File.ReadAllText(sarif));
        var log = document.RootElement;
        Assert.Equal("http://json.schemastore.org/sarif-2.1.0", log.GetProperty("$schema").GetString());
        Assert.Equal("2.1.0", log.GetProperty("version").GetString());
        var run = log.GetProperty("runs").EnumerateArray().Single();

        var driver = run.GetProperty("tool").GetProperty("driver");
        Assert.Equal("ResilienceAnalyzers", driver.GetProperty("name").GetString());
        Assert.False(string.IsNullOrEmpty(driver.GetProperty("version").GetString()));
        var rules = driver.GetProperty("rules").EnumerateArray().ToList();
        Assert.Equal(
            new[] { "RES000", "RES001", "RES002", "RES003", "RES004", "RES005", "RES006", "RES007", "RES010", "RES011", "RES012", "RES013", "RES020", "RES021", "RES022", "RES023", "RES030", "RES031" },
            rules.Select(r => r.GetProperty("id").GetString()));
        foreach (var rule in rules)
        {
            Assert.False(string.IsNullOrEmpty(rule.GetProperty("shortDescription").GetProperty("text").GetString()));
            Assert.False(string.IsNullOrEmpty(rule.GetProperty("fullDescription").GetProperty("text").GetString()));
            Assert.StartsWith(DiagnosticDescriptors.HelpLinkBase, rule.GetProperty("helpUri").GetString(), StringComparison.Ordinal);
            Assert.Equal("Resilience", rule.GetProperty("properties").GetProperty("category").GetString());
        }

        var sourceRoot = new Uri(run.GetProperty("originalUriBaseIds").GetProperty("SRCROOT").GetProperty("uri").GetString()!);
        Assert.Equal(Path.TrimEndingDirectorySeparator(_root) + Path.DirectorySeparatorChar, sourceRoot.LocalPath);

        var results = run.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(new[] { "RES001", "RES002" }, results.Select(r => r.GetProperty("ruleId").GetString()).Order(StringComparer.Ordinal));
        foreach (var finding in results)
        {
            Assert.Equal("warning", finding.GetProperty("level").GetString());
            Assert.False(string.IsNullOrEmpty(finding.GetProperty("message").GetProperty("text").GetString()));
            var location = finding.GetProperty("locations").EnumerateArray().Single().GetProperty("physicalLocation");
            var artifact = location.GetProperty("artifactLocation");
            Assert.Equal("SRCROOT", artifact.GetProperty("uriBaseId").GetString());
            Assert.Equal("StockClient.cs", artifact.GetProperty("uri").GetString());
            Assert.Equal(Path.Combine(_root, "StockClient.cs"), new Uri(sourceRoot, artifact.GetProperty("uri").GetString()).LocalPath);

            // The loop keyword: line 14, columns 9 to 14 (1-based, end exclusive like the compiler's log).
            var region = location.GetProperty("region");
            Assert.Equal(14, region.GetProperty("startLine").GetInt32());
            Assert.Equal(9, region.GetProperty("startColumn").GetInt32());
            Assert.Equal(14, region.GetProperty("endLine").GetInt32());
            Assert.Equal(14, region.GetProperty("endColumn").GetInt32());
        }
    }

    [Fact]
    public void Markdown_has_a_table_per_rule_and_timing_reports_the_budget()
    {
        Write("StockClient.cs", RetryLoop);

        var result = Scan(_root, "--format", "markdown", "--timing", "--passes", "1");

        Assert.Equal(1, result.ExitCode);
        AssertContainsAll(
            result.Output,
            "# Resilience scan",
            "## RES001 Retry has no attempt limit (1)",
            "| StockClient.cs | 14 |",
            "Compiler binding (compilation.GetDiagnostics()):",
            "ResilienceAnalyzer (RES001, RES002, RES003, RES004, RES005, RES006, RES007, RES010,",
            "of binding (median of the passes' shares", "budget 2%)",
            "driver, binding and operation trees only:",
            "+ ResilienceAnalyzers",
            "(budget 1%)");
    }

    /// <summary>
    /// --no-wall keeps --timing's telemetry table and leaves out the whole runs; alone it is refused, and so is the
    /// paired-run workers' own flag without the whole runs it serves.
    /// </summary>
    [Fact]
    public void No_wall_times_the_analyzers_without_the_whole_runs()
    {
        Write("StockClient.cs", RetryLoop);

        var result = Scan(_root, "--format", "markdown", "--timing", "--no-wall", "--passes", "1");

        Assert.Equal(1, result.ExitCode);
        AssertContainsAll(result.Output, "Compiler binding (compilation.GetDiagnostics()):", "of binding (median of the passes' shares", "budget 2%)");
        Assert.DoesNotContain("(budget 1%)", result.Output, StringComparison.Ordinal);
        Assert.Equal(2, Scan(_root, "--no-wall").ExitCode);
        Assert.Equal(2, Scan(_root, "--timing", "--no-wall", "--paired-run-worker").ExitCode);
    }

    /// <summary>
    /// --also-run (for side-by-side comparisons): another analyzer assembly's findings are reported beside ours,
    /// here the SDK's NetAnalyzers (CA2200, on by default); it refuses --timing, which measures instead.
    /// </summary>
    [Fact]
    public void Also_run_reports_another_assemblys_findings_beside_ours()
    {
        var dotnet = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        var netAnalyzers = Directory.GetDirectories(Path.Combine(dotnet, "sdk"))
            .Select(sdk => Path.Combine(sdk, "Sdks", "Microsoft.NET.Sdk", "analyzers", "Microsoft.CodeAnalysis.NetAnalyzers.dll"))
            .First(File.Exists);
        Write("StockClient.cs", RetryLoop);
        Write("Rethrow.cs", """
            using System;

            namespace Shop;

            public static class Rethrow
            {
                public static void Run(Action action)
                {
                    try
                    {
                        action();
                    }
                    catch (Exception exception)
                    {
                        throw exception;
                    }
                }
            }
            """);

        var result = Scan(_root, "--also-run", netAnalyzers);

        Assert.Equal(1, result.ExitCode);
        AssertContainsAll(result.Output, "RES001 Retry has no attempt limit (1)", "CA2200 Rethrow to preserve stack details (1)", "  Rethrow.cs");
        Assert.Equal(2, Scan(_root, "--also-run", netAnalyzers, "--timing").ExitCode);
    }

    /// <summary>A plain net10.0 class library with no PackageReference: it restores and loads offline.</summary>
    [Fact]
    public void Project_and_solution_load_through_MSBuild()
    {
        Write("Shop/Shop.csproj", """
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
              </PropertyGroup>
            </Project>
            """);
        Write("Shop/StockClient.cs", RetryLoop);
        Write("Shop.slnx", """
            <Solution>
              <Project Path="Shop/Shop.csproj" />
            </Solution>
            """);

        var project = Scan(Path.Combine(_root, "Shop", "Shop.csproj"));
        Assert.Equal(1, project.ExitCode);
        Assert.Contains("(MSBuild, 1 project(s))", project.Output, StringComparison.Ordinal);
        Assert.Contains("RES001 Retry has no attempt limit (1)", project.Output, StringComparison.Ordinal);

        var solution = Scan(Path.Combine(_root, "Shop.slnx"));
        Assert.Equal(1, solution.ExitCode);
        Assert.Contains("(MSBuild, 1 project(s))", solution.Output, StringComparison.Ordinal);
        Assert.Contains("  Shop/StockClient.cs", solution.Output, StringComparison.Ordinal);
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
    }

    private static void AssertContainsAll(string output, params string[] expected)
    {
        foreach (var text in expected)
        {
            Assert.Contains(text, output, StringComparison.Ordinal);
        }
    }

    private void Write(string relativePath, string text)
    {
        var path = Path.Combine(_root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    /// <summary>
    /// A scan in this process (<see cref="InProcessScanner"/>), except one that loads projects through MSBuild, makes the
    /// whole runs of the benchmark (both start processes of their own) or loads another analyzer assembly (which binds to
    /// the Roslyn of the default load context, these tests' own): those run as the tool does, in a process.
    /// </summary>
    private DotNet.Result Scan(params string[] arguments)
    {
        var ownProcess = arguments.Any(a => a.EndsWith(".csproj", StringComparison.Ordinal) || a.EndsWith(".sln", StringComparison.Ordinal) || a.EndsWith(".slnx", StringComparison.Ordinal))
                         || (arguments.Contains("--timing") && !arguments.Contains("--no-wall"))
                         || arguments.Contains("--also-run");
        var result = ownProcess
            ? DotNet.Run(_root, Timeout, new[] { Repository.Scanner }.Concat(arguments).ToArray())
            : InProcessScanner.Run(Timeout, arguments);
        Assert.False(result.TimedOut, result.Output);
        return result;
    }
}
