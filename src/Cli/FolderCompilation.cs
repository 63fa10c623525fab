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
    [GeneratedRegex("""<Package(?:Reference|Version)\s+(?:Include|Update)\s*=\s*"([^"]+)"(?:\s+Version\s*=\s*"\[?([0-9][^"\],$*]*)\]?")?""", RegexOptions.IgnoreCase)]
    private static partial Regex PackageReference();

    [GeneratedRegex("""<ImplicitUsings>\s*(enable|true)\s*</ImplicitUsings>""", RegexOptions.IgnoreCase)]
    private static partial Regex ImplicitUsingsOn();

    /// <summary>A packages.config entry: <c>&lt;package id="Polly" version="7.2.4" /&gt;</c>.</summary>
    [GeneratedRegex("""<package\s+id\s*=\s*"([^"]+)"(?:\s+version\s*=\s*"([0-9][^"]*)")?""", RegexOptions.IgnoreCase)]
    private static partial Regex PackagesConfigEntry();

    [GeneratedRegex("""<HintPath>\s*([^<]+?\.dll)\s*</HintPath>""", RegexOptions.IgnoreCase)]
    private static partial Regex HintPath();

    public static IEnumerable<string> SourceFiles(string root, IReadOnlyList<Glob> excludes) =>
        Files(root, "*.cs", excludes);

    /// <summary>
    /// The folder's compilation; <paramref name="unresolved"/> names the packages its project files ask for that the
    /// local cache does not hold (types from them do not bind, and the rules stay silent where they would need them).
    /// </summary>
    public static CSharpCompilation Create(string root, IReadOnlyList<Glob> excludes, Action<string>? progress, out IReadOnlyList<string> unresolved)
    {
        var projectFiles = Files(root, "*.csproj", excludes)
            .Concat(Files(root, "Directory.Build.props", excludes))
            .Concat(Files(root, "Directory.Packages.props", excludes))
            .ToList();
        var packagesConfigs = Files(root, "packages.config", excludes).ToList();
        return Build(root, SourceFiles(root, excludes), projectFiles, packagesConfigs, progress, out unresolved);
    }

    /// <summary>
    /// One file, compiled with what its project would give it: the nearest project file above it (packages,
    /// <c>Using</c> items, implicit usings, packages.config) and the shared MSBuild files above that.
    /// </summary>
    public static CSharpCompilation CreateForFile(string file, Action<string>? progress, out IReadOnlyList<string> unresolved)
    {
        var folder = Path.GetDirectoryName(file)!;
        var projectFiles = new List<string>();
        var packagesConfigs = new List<string>();
        var projectFound = false;
        for (var directory = new DirectoryInfo(folder); directory is not null; directory = directory.Parent)
        {
            if (!projectFound && directory.GetFiles("*.csproj") is { Length: > 0 } projects)
            {
                projectFiles.AddRange(projects.Select(p => p.FullName));
                packagesConfigs.AddRange(directory.GetFiles("packages.config").Select(p => p.FullName));
                projectFound = true;
            }

            projectFiles.AddRange(directory.GetFiles("Directory.Build.props").Concat(directory.GetFiles("Directory.Packages.props")).Select(p => p.FullName));
        }

        return Build(folder, new[] { file }, projectFiles, packagesConfigs, progress, out unresolved);
    }

    private static CSharpCompilation Build(
        string root, IEnumerable<string> sourceFiles, IReadOnlyList<string> projectFiles, IReadOnlyList<string> packagesConfigFiles,
        Action<string>? progress, out IReadOnlyList<string> unresolved)
    {
        var projectTexts = projectFiles.Select(File.ReadAllText).ToList();
        var packagesConfigs = packagesConfigFiles.Select(File.ReadAllText).ToList();
        var implicitUsings = projectTexts.Any(t => ImplicitUsingsOn().IsMatch(t));
        var webSdk = projectTexts.Any(t => t.Contains("Microsoft.NET.Sdk.Web", StringComparison.OrdinalIgnoreCase)
            || t.Contains("Microsoft.AspNetCore.App", StringComparison.Ordinal));

        var parseOptions = new CSharpParseOptions(LanguageVersion.Preview, preprocessorSymbols: PreprocessorSymbols());
        var trees = new List<SyntaxTree>();
        var binary = new List<string>();
        foreach (var file in sourceFiles)
        {
            var content = File.ReadAllText(file);
            if (content.Contains('\0'))
            {
                // Not source text (a binary file named .cs): nothing to analyse, and parsing it only makes noise.
                binary.Add(file);
                continue;
            }

            trees.Add(CSharpSyntaxTree.ParseText(SourceText.From(content, System.Text.Encoding.UTF8), parseOptions, file));
        }

        if (trees.Count == 0 && binary.Count > 0)
        {
            throw new LoadException($"'{binary[0]}' is not C# source text{(binary.Count > 1 ? $" (nor are {binary.Count - 1} other files)" : "")}.");
        }

        progress?.Invoke($"parsed {trees.Count} files");
        var imported = ImportedNamespaces(trees);

        // The shared ASP.NET Core framework comes with the web SDK, or is evidently used by the sources.
        var web = webSdk || imported.Any(n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        var globalUsings = new List<string>();
        if (implicitUsings)
        {
            var usings = webSdk ? ImplicitUsings.Concat(WebImplicitUsings) : ImplicitUsings;
            globalUsings.AddRange(usings.Select(u => $"global using global::{u};"));
        }

        globalUsings.AddRange(projectFiles.SelectMany(UsingItems));
        if (globalUsings.Count > 0)
        {
            var text = string.Concat(globalUsings.Distinct(StringComparer.Ordinal).Select(u => u + "\n"));
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
        var named = projectTexts.SelectMany(t => PackageReference().Matches(t))
            .Concat(packagesConfigs.SelectMany(t => PackagesConfigEntry().Matches(t)))
            .ToList();
        var packageNames = named.Select(m => m.Groups[1].Value)
            .Concat(PackagesNamedBy(imported))
            .Distinct(StringComparer.OrdinalIgnoreCase);

        // The version the project files name, where one does: that one when the cache has it, so the same folder
        // resolves the same way whatever else the machine has restored (the first version named wins).
        var versions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var match in named.Where(m => m.Groups[2].Success))
        {
            versions.TryAdd(match.Groups[1].Value, match.Groups[2].Value);
        }

        var packages = PackageAssemblies.Resolve(packageNames, versions, frameworkNames, out unresolved);

        // Old-style projects name their assemblies by path (..\packages\Polly.7.2.4\lib\net45\Polly.dll): use the ones present.
        var hinted = projectFiles.Where(f => f.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
            .SelectMany(HintedAssemblies)
            .Where(dll => !frameworkNames.Contains(Path.GetFileNameWithoutExtension(dll)));
        packages = packages.Concat(hinted)
            .DistinctBy(dll => Path.GetFileNameWithoutExtension(dll), StringComparer.OrdinalIgnoreCase)
            .ToList();
        var referenced = packages.Select(Path.GetFileNameWithoutExtension).OfType<string>().ToHashSet(StringComparer.OrdinalIgnoreCase);
        unresolved = unresolved.Where(name => !referenced.Contains(name)).ToList();
        progress?.Invoke($"{framework.Count} framework and {packages.Count} package assemblies referenced");

        var references = framework.Concat(packages).Select(f => (MetadataReference)MetadataReference.CreateFromFile(f));
        var options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            allowUnsafe: true);
        return CSharpCompilation.Create(Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar)), trees, references, options);
    }

    /// <summary>
    /// The project's <c>&lt;Using Include="Polly" /&gt;</c> items as global using directives (with <c>Alias</c> and
    /// <c>Static</c>), as the SDK generates them; items under a <c>Condition</c> count too (folder mode cannot know the
    /// configuration, and an extra using binds nothing that is not there).
    /// </summary>
    private static IEnumerable<string> UsingItems(string projectFile)
    {
        XDocument document;
        try
        {
            document = XDocument.Load(projectFile);
        }
        catch (Exception exception) when (exception is XmlException or IOException or UnauthorizedAccessException)
        {
            yield break;
        }

        foreach (var item in document.Descendants().Where(e => e.Name.LocalName == "Using"))
        {
            if (item.Attribute("Include")?.Value.Trim() is not { Length: > 0 } name || !SyntaxFacts.IsValidIdentifier(name.Split('.')[0]))
            {
                continue;
            }

            var alias = item.Attribute("Alias")?.Value.Trim();
            var isStatic = string.Equals(item.Attribute("Static")?.Value.Trim(), "true", StringComparison.OrdinalIgnoreCase);
            yield return alias is { Length: > 0 } ? $"global using {alias} = global::{name};"
                : isStatic ? $"global using static global::{name};"
                : $"global using global::{name};";
        }
    }

    /// <summary>The <c>HintPath</c> assemblies of an old-style project that exist on disk.</summary>
    private static IEnumerable<string> HintedAssemblies(string projectFile)
    {
        var folder = Path.GetDirectoryName(projectFile)!;
        foreach (Match match in HintPath().Matches(File.ReadAllText(projectFile)))
        {
            var path = match.Groups[1].Value.Replace('\\', Path.DirectorySeparatorChar);
            if (path.Contains('$'))
            {
                continue;
            }

            var full = Path.GetFullPath(Path.Combine(folder, path));
            if (File.Exists(full))
            {
                yield return full;
            }
        }
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

    /// <summary>The files matching <paramref name="pattern"/> under <paramref name="root"/>, outside excluded, build-output and test folders.</summary>
    internal static IEnumerable<string> Files(string root, string pattern, IReadOnlyList<Glob> excludes)
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
