using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace ResilienceAnalyzers.Cli;

/// <summary>
/// Folder mode: every .cs file under a folder in one compilation against the SDK's reference packs and the
/// cached packages its project files name. Used when the projects do not restore, or with --no-msbuild.
/// </summary>
internal static partial class FolderCompilation
{
    /// <summary>The SDK's implicit global usings (Microsoft.NET.Sdk), added when a project enables ImplicitUsings.</summary>
    private static readonly string[] ImplicitUsings =
    {
        "System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Net.Http", "System.Threading", "System.Threading.Tasks",
    };

    /// <summary>What Microsoft.NET.Sdk.Web adds on top.</summary>
    private static readonly string[] WebImplicitUsings =
    {
        "System.Net.Http.Json", "Microsoft.AspNetCore.Builder", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Http",
        "Microsoft.AspNetCore.Routing", "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection",
        "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    };

    private static readonly string[] SkippedFolders = { "bin", "obj", ".git", "node_modules" };

    /// <summary>PackageReference items, and central PackageVersion items (Directory.Packages.props names what the repository uses).</summary>
    [GeneratedRegex("""<Package(?:Reference|Version)\s+(?:Include|Update)\s*=\s*"([^"]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex PackageReference();

    [GeneratedRegex("""<ImplicitUsings>\s*(enable|true)\s*</ImplicitUsings>""", RegexOptions.IgnoreCase)]
    private static partial Regex ImplicitUsingsOn();

    public static IEnumerable<string> SourceFiles(string root, IReadOnlyList<Glob> excludes) =>
        Files(root, "*.cs", excludes);

    public static CSharpCompilation Create(string root, IReadOnlyList<Glob> excludes, Action<string>? progress)
    {
        var projectFiles = Files(root, "*.csproj", excludes)
            .Concat(Files(root, "Directory.Build.props", excludes))
            .Concat(Files(root, "Directory.Packages.props", excludes))
            .ToList();
        var projectTexts = projectFiles.Select(File.ReadAllText).ToList();
        var implicitUsings = projectTexts.Any(t => ImplicitUsingsOn().IsMatch(t));
        var webSdk = projectTexts.Any(t => t.Contains("Microsoft.NET.Sdk.Web", StringComparison.OrdinalIgnoreCase)
            || t.Contains("Microsoft.AspNetCore.App", StringComparison.Ordinal));

        var parseOptions = new CSharpParseOptions(LanguageVersion.Preview, preprocessorSymbols: PreprocessorSymbols());
        var trees = new List<SyntaxTree>();
        foreach (var file in SourceFiles(root, excludes))
        {
            var text = SourceText.From(File.ReadAllText(file), System.Text.Encoding.UTF8);
            trees.Add(CSharpSyntaxTree.ParseText(text, parseOptions, file));
        }

        progress?.Invoke($"parsed {trees.Count} files");
        var imported = ImportedNamespaces(trees);

        // The shared ASP.NET Core framework comes with the web SDK, or is evidently used by the sources.
        var web = webSdk || imported.Any(n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        if (implicitUsings)
        {
            var usings = webSdk ? ImplicitUsings.Concat(WebImplicitUsings) : ImplicitUsings;
            var text = string.Concat(usings.Select(u => $"global using global::{u};\n"));
            trees.Add(CSharpSyntaxTree.ParseText(text, parseOptions, Path.Combine(root, "obj", "ImplicitUsings.g.cs")));
        }

        var framework = new List<string>();
        foreach (var pack in web ? new[] { "Microsoft.NETCore.App.Ref", "Microsoft.AspNetCore.App.Ref" } : new[] { "Microsoft.NETCore.App.Ref" })
        {
            var folder = ReferencePacks.Find(pack)
                ?? throw new LoadException($"The SDK beside this runtime has no {pack} pack under {ReferencePacks.DotnetRoot}/packs.");
            framework.AddRange(Directory.EnumerateFiles(folder, "*.dll"));
        }

        var frameworkNames = new HashSet<string>(framework.Select(Path.GetFileNameWithoutExtension).OfType<string>(), StringComparer.OrdinalIgnoreCase);
        var packageNames = projectTexts.SelectMany(t => PackageReference().Matches(t).Select(m => m.Groups[1].Value))
            .Concat(PackagesNamedBy(imported))
            .Distinct(StringComparer.OrdinalIgnoreCase);
        var packages = PackageAssemblies.Resolve(packageNames, frameworkNames);
        progress?.Invoke($"{framework.Count} framework and {packages.Count} package assemblies referenced");

        var references = framework.Concat(packages).Select(f => (MetadataReference)MetadataReference.CreateFromFile(f));
        var options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            allowUnsafe: true);
        return CSharpCompilation.Create(Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar)), trees, references, options);
    }

    /// <summary>
    /// Cached packages whose id is a namespace the sources import, or a prefix of one (<c>using Polly.Retry;</c>
    /// finds Polly): a folder copied without its project files still gets the libraries it uses.
    /// </summary>
    private static IEnumerable<string> PackagesNamedBy(IReadOnlySet<string> namespaces)
    {
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in namespaces.Where(n => !n.StartsWith("System", StringComparison.Ordinal)))
        {
            for (var prefix = name; prefix.Length > 0; prefix = prefix.Contains('.') ? prefix[..prefix.LastIndexOf('.')] : "")
            {
                if (found.Contains(prefix) || Directory.Exists(Path.Combine(PackageAssemblies.CacheFolder, prefix.ToLowerInvariant())))
                {
                    found.Add(prefix);
                    break;
                }
            }
        }

        return found;
    }

    /// <summary>The namespaces the sources import with plain using directives.</summary>
    private static IReadOnlySet<string> ImportedNamespaces(IEnumerable<SyntaxTree> trees)
    {
        var namespaces = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var tree in trees)
        {
            var root = (Microsoft.CodeAnalysis.CSharp.Syntax.CompilationUnitSyntax)tree.GetRoot();
            var usings = root.Usings.Concat(root.Members.OfType<Microsoft.CodeAnalysis.CSharp.Syntax.BaseNamespaceDeclarationSyntax>().SelectMany(n => n.Usings));
            foreach (var directive in usings)
            {
                if (directive.Alias is null && directive.StaticKeyword.IsKind(SyntaxKind.None) && directive.Name is { } name)
                {
                    namespaces.Add(name.ToString());
                }
            }
        }

        return namespaces;
    }

    /// <summary>The symbols the SDK defines for the newest target framework, so #if NET blocks compile in.</summary>
    private static IEnumerable<string> PreprocessorSymbols()
    {
        var symbols = new List<string> { "NET", "NETCOREAPP", "RELEASE", "TRACE" };
        for (var major = 5; major <= 10; major++)
        {
            symbols.Add($"NET{major}_0_OR_GREATER");
        }

        symbols.AddRange(new[] { "NET10_0", "NETCOREAPP3_1_OR_GREATER", "NETCOREAPP3_0_OR_GREATER", "NETCOREAPP2_1_OR_GREATER", "NETSTANDARD2_1_OR_GREATER", "NETSTANDARD2_0_OR_GREATER" });
        return symbols;
    }

    /// <summary>
    /// A folder holding a project that references a test framework (xunit, NUnit, MSTest, the test SDK), a test
    /// double library (Moq, NSubstitute, FakeItEasy) or Testcontainers, or says
    /// <c>IsTestProject</c>: in a build the analyzers skip that project (RULES.md, "Test code"), so folder mode leaves
    /// it out too, whatever its folder is called. A <c>Directory.Build.props</c> or <c>.targets</c> that brings a test
    /// framework to every project under it (a repository's <c>test/</c> folder) makes the whole folder test code.
    /// Only what applies to every project counts: a reference under a <c>Condition</c> (a props file that adds NUnit
    /// to the projects named <c>*.Test</c>) says nothing about the folder.
    /// </summary>
    internal static bool IsTestProjectFolder(string folder)
    {
        var projects = Directory.EnumerateFiles(folder, "*.csproj")
            .Concat(Directory.EnumerateFiles(folder, "Directory.Build.props"))
            .Concat(Directory.EnumerateFiles(folder, "Directory.Build.targets"));
        return projects.Any(BringsATestFramework);
    }

    private static bool BringsATestFramework(string projectFile)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(projectFile);
        }
        catch (Exception exception) when (exception is XmlException or IOException or UnauthorizedAccessException)
        {
            return false;
        }

        return document.Descendants()
            .Where(element => !element.AncestorsAndSelf().Any(e => e.Attribute("Condition") is not null))
            .Any(element => element.Name.LocalName switch
            {
                "PackageReference" => element.Attribute("Include")?.Value is { } package && TestPackage().IsMatch(package),
                "IsTestProject" => string.Equals(element.Value.Trim(), "true", StringComparison.OrdinalIgnoreCase),
                _ => false,
            });
    }

    [GeneratedRegex("^(xunit|nunit|mstest|microsoft\\.net\\.test\\.sdk|tunit|moq|nsubstitute|fakeiteasy|testcontainers)", RegexOptions.IgnoreCase)]
    private static partial Regex TestPackage();

    private static IEnumerable<string> Files(string root, string pattern, IReadOnlyList<Glob> excludes)
    {
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var folder = pending.Pop();
            foreach (var file in Directory.EnumerateFiles(folder, pattern).Order(StringComparer.Ordinal))
            {
                if (!Glob.AnyMatches(excludes, root, file))
                {
                    yield return file;
                }
            }

            foreach (var child in Directory.EnumerateDirectories(folder).OrderDescending(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(child);
                if (!SkippedFolders.Contains(name, StringComparer.OrdinalIgnoreCase) && !Glob.AnyMatches(excludes, root, child)
                    && !IsTestProjectFolder(child))
                {
                    pending.Push(child);
                }
            }
        }
    }
}
