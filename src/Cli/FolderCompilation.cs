using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
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

    /// <summary>What Microsoft.NET.Sdk.Worker adds on top.</summary>
    private static readonly string[] WorkerImplicitUsings =
    {
        "Microsoft.Extensions.Configuration", "Microsoft.Extensions.DependencyInjection", "Microsoft.Extensions.Hosting", "Microsoft.Extensions.Logging",
    };

    private static readonly string[] SkippedFolders = { "bin", "obj", ".git", "node_modules" };

    /// <summary>PackageReference items, and central PackageVersion items (Directory.Packages.props names what the repository uses).</summary>
    [GeneratedRegex("""<Package(?:Reference|Version)\s+(?:Include|Update)\s*=\s*"([^"]+)"(?:\s+Version\s*=\s*"\[?([0-9][^"\],$*]*)\]?")?""", RegexOptions.IgnoreCase)]
    private static partial Regex PackageReference();

    /// <summary>
    /// A reference item by name: <c>PackageReference</c>, <c>Reference</c>, or one a repository's build defines
    /// (<c>&lt;AspireProjectOrPackageReference Include="Aspire.Hosting" /&gt;</c>); matched against the folder's projects.
    /// </summary>
    [GeneratedRegex(@"<[A-Za-z]*Reference\s+(?:Include|Update)\s*=\s*""([^""]+)""", RegexOptions.IgnoreCase)]
    private static partial Regex NamedReference();

    /// <summary>A PackageReference with a floating version (<c>10.*</c>): the newest cached version stands for it.</summary>
    [GeneratedRegex(@"<PackageReference\s+(?:Include|Update)\s*=\s*""([^""]+)""\s+Version\s*=\s*""[^""]*\*[^""]*""", RegexOptions.IgnoreCase)]
    private static partial Regex FloatingPackageReference();

    [GeneratedRegex("""<ImplicitUsings>\s*(enable|true)\s*</ImplicitUsings>""", RegexOptions.IgnoreCase)]
    private static partial Regex ImplicitUsingsOn();

    /// <summary>A packages.config entry: <c>&lt;package id="Polly" version="7.2.4" /&gt;</c>.</summary>
    [GeneratedRegex("""<package\s+id\s*=\s*"([^"]+)"(?:\s+version\s*=\s*"([0-9][^"]*)")?""", RegexOptions.IgnoreCase)]
    private static partial Regex PackagesConfigEntry();

    [GeneratedRegex("""<HintPath>\s*([^<]+?\.dll)\s*</HintPath>""", RegexOptions.IgnoreCase)]
    private static partial Regex HintPath();

    /// <summary>An old-style assembly reference with a version: <c>&lt;Reference Include="AWSSDK.EC2, Version=3.0.0.0, …"&gt;</c>.</summary>
    [GeneratedRegex("""<Reference\s+Include="([A-Za-z_][A-Za-z0-9_.]*)\s*,\s*Version=""", RegexOptions.IgnoreCase)]
    private static partial Regex VersionedReference();

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
        var project = new ProjectFiles(projectFiles, projectFiles, packagesConfigs);
        return Build(RootName(root), root, SourceFiles(root, excludes), project, Array.Empty<MetadataReference>(), new ReferenceCache(), progress, out unresolved);
    }

    /// <summary>
    /// The folder as a build compiles it: one compilation per project folder. A .cs file belongs to the nearest
    /// folder above it that holds a project file; a project sees the projects it references, theirs in turn, and
    /// the packages all of them name; files under no project (documentation examples, scripts) see every project.
    /// A type of another project is then a referenced type, as it is in the build, not the folder's own code. A
    /// folder with fewer than two project folders is one compilation, as <see cref="Create"/> makes it.
    /// </summary>
    public static IReadOnlyList<CSharpCompilation> CreatePerProject(
        string root, IReadOnlyList<Glob> excludes, Action<string>? progress, out IReadOnlyList<string> unresolved)
    {
        var allProjects = Files(root, "*.csproj", excludes).ToList();
        var projectFolders = allProjects
            .GroupBy(file => Path.GetDirectoryName(file)!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        if (projectFolders.Count < 2)
        {
            return new[] { Create(root, excludes, progress, out unresolved) };
        }

        // Each file's project folder, and the projects that link it from elsewhere (<Compile Include="..\Shared\X.cs" />);
        // "" holds the files under no project that no project links.
        var allSources = SourceFiles(root, excludes).ToList();
        var linked = projectFolders.ToDictionary(
            p => p.Key,
            p => p.Value.SelectMany(project => LinkedSources(project, root, allSources)).ToHashSet(StringComparer.Ordinal),
            StringComparer.Ordinal);
        var sources = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var file in allSources)
        {
            var owners = linked.Where(p => p.Value.Contains(file)).Select(p => p.Key).ToList();
            if (OwningProjectFolder(file, root, projectFolders) is { } folder)
            {
                owners.Add(folder);
            }

            foreach (var owner in owners.DefaultIfEmpty("").Distinct(StringComparer.Ordinal))
            {
                if (!sources.TryGetValue(owner, out var files))
                {
                    sources[owner] = files = new List<string>();
                }

                files.Add(file);
            }
        }

        // What each project references: its ProjectReference items, and the folder's projects it names as packages
        // (a sample that takes the library from NuGet gets the library's source, which the folder builds) or by any
        // other reference item a repository defines (Aspire's <AspireProjectOrPackageReference Include="Aspire.Hosting" />,
        // which its build turns into a ProjectReference).
        var assemblyNames = projectFolders.ToDictionary(p => p.Key, p => AssemblyNameOf(p.Value[0]), StringComparer.Ordinal);
        var byAssemblyName = assemblyNames.GroupBy(p => p.Value, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().Key, StringComparer.OrdinalIgnoreCase);
        var references = projectFolders.ToDictionary(
            p => p.Key,
            p => p.Value.SelectMany(project => ProjectReferences(project, root, allProjects)).Select(Path.GetDirectoryName).OfType<string>()
                .Concat(p.Value.SelectMany(project => NamedReference().Matches(File.ReadAllText(project)).Select(m => m.Groups[1].Value))
                    .Select(package => byAssemblyName.GetValueOrDefault(package)).OfType<string>())
                .Where(folder => projectFolders.ContainsKey(folder) && folder != p.Key).Distinct(StringComparer.Ordinal).ToList(),
            StringComparer.Ordinal);

        // A project gets the packages it and the projects it references name, at their versions, as a restore gives it.
        // When the cache lacks one of them, it also gets the packages the rest of the folder names (at the newest cached
        // version): a missing package would otherwise hide the dependencies a restore brings with it (AWSSDK.Core under
        // a service package). Never the other projects' versions: an older Microsoft.Extensions.* beside a newer
        // package built against a later one leaves its calls unbound (CS1705), and the rules are silent on those.
        var allProjectFiles = projectFolders.Values.SelectMany(f => f)
            .Concat(Files(root, "Directory.Build.props", excludes))
            .Concat(Files(root, "Directory.Packages.props", excludes))
            .ToList();
        var allPackagesConfigs = Files(root, "packages.config", excludes).ToList();
        var folderPackages = allProjectFiles.Select(File.ReadAllText).SelectMany(t => PackageReference().Matches(t))
            .Concat(allPackagesConfigs.Select(File.ReadAllText).SelectMany(t => PackagesConfigEntry().Matches(t)))
            .Select(m => m.Groups[1].Value)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var cache = new ReferenceCache();
        cache.BuiltHere.UnionWith(assemblyNames.Values);
        var built = new Dictionary<string, CSharpCompilation>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var missing = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        var visiting = new HashSet<string>(StringComparer.Ordinal);

        // Referenced projects first; a reference that closes a cycle is left out (a build would refuse the cycle).
        void BuildProject(string folder)
        {
            if (built.ContainsKey(folder) || !visiting.Add(folder))
            {
                return;
            }

            foreach (var referenced in references[folder])
            {
                BuildProject(referenced);
            }

            var closure = Closure(folder, references);
            var own = projectFolders[folder].Concat(SharedBuildFiles(folder, root)).ToList();
            var forPackages = own.Concat(closure.Where(f => f != folder).SelectMany(f => projectFolders[f].Concat(SharedBuildFiles(f, root))))
                .Distinct(StringComparer.Ordinal).ToList();
            var packagesConfigs = allPackagesConfigs.Where(c => closure.Contains(Path.GetDirectoryName(c)!, StringComparer.Ordinal)).ToList();
            var project = new ProjectFiles(own, forPackages, packagesConfigs) { FolderPackages = folderPackages };
            var projectReferences = closure.Where(f => f != folder && built.ContainsKey(f)).Select(f => (MetadataReference)built[f].ToMetadataReference()).ToList();
            var name = UniqueName(assemblyNames[folder], names);
            built[folder] = Build(name, folder, sources.GetValueOrDefault(folder) ?? new List<string>(), project, projectReferences, cache, null, out var notCached);
            missing.UnionWith(notCached);
        }

        foreach (var folder in projectFolders.Keys.Order(StringComparer.Ordinal))
        {
            BuildProject(folder);
        }

        var compilations = built.Where(p => sources.ContainsKey(p.Key)).Select(p => p.Value).ToList();
        if (sources.TryGetValue("", out var loose))
        {
            var project = new ProjectFiles(allProjectFiles, allProjectFiles, allPackagesConfigs);
            compilations.Add(Build(
                UniqueName(RootName(root), names), root, loose, project, built.Values.Select(c => (MetadataReference)c.ToMetadataReference()).ToList(),
                cache, null, out var notCached));
            missing.UnionWith(notCached);
        }

        progress?.Invoke($"{compilations.Count} compilations from {projectFolders.Count} project folders");
        unresolved = missing.ToList();
        return compilations;
    }

    /// <summary>
    /// The trees without the reference sources written beside an implementation: a file whose every body is <c>throw
    /// null</c> or empty (<c>{ }</c> for a void method, a constructor, a setter), as GenAPI writes a library's public surface for API review (<c>api/Lib.cs</c>),
    /// when another file of the compilation declares one of its types. A build removes it from the compilation
    /// (<c>&lt;Compile Remove="$(GenAPITargetPath)" /&gt;</c> under a property folder mode cannot evaluate); compiled beside
    /// the implementation it doubles every public member, and every use of one no longer binds. A reference source that
    /// is all its project compiles (a reference assembly's project) stays.
    /// </summary>
    private static List<SyntaxTree> WithoutReferenceSources(List<SyntaxTree> trees)
    {
        var references = trees.Where(IsReferenceSource).ToList();
        if (references.Count == 0)
        {
            return trees;
        }

        var implemented = new HashSet<string>(trees.Except(references).SelectMany(DeclaredTypes), StringComparer.Ordinal);
        var beside = references.Where(t => DeclaredTypes(t).Any(implemented.Contains)).ToHashSet();
        return beside.Count == 0 ? trees : trees.Where(t => !beside.Contains(t)).ToList();
    }

    /// <summary>Every member body of the file is <c>throw null</c> or empty, and there is at least one <c>throw null</c>.</summary>
    private static bool IsReferenceSource(SyntaxTree tree)
    {
        var throwsNull = false;
        foreach (var node in tree.GetRoot().DescendantNodes(n => n is not (BlockSyntax or ArrowExpressionClauseSyntax)))
        {
            switch (node)
            {
                case BlockSyntax { Statements.Count: 0 }:
                    break;
                case BlockSyntax { Statements: [ThrowStatementSyntax { Expression: LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NullLiteralExpression } }] }:
                case ArrowExpressionClauseSyntax { Expression: ThrowExpressionSyntax { Expression: LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NullLiteralExpression } } }:
                    throwsNull = true;
                    break;
                case BlockSyntax or ArrowExpressionClauseSyntax:
                    return false;
            }
        }

        return throwsNull;
    }

    /// <summary>The namespace-qualified names of the types a file declares (nested types under their containing type).</summary>
    private static IEnumerable<string> DeclaredTypes(SyntaxTree tree)
        => tree.GetRoot().DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or TypeDeclarationSyntax)
            .OfType<BaseTypeDeclarationSyntax>()
            .Select(type => string.Join(".", type.AncestorsAndSelf().Select(a => a switch
            {
                BaseNamespaceDeclarationSyntax ns => ns.Name.ToString(),
                BaseTypeDeclarationSyntax t => t.Identifier.ValueText,
                _ => null,
            }).OfType<string>().Reverse()));

    /// <summary>The nearest folder at or above the file's, up to <paramref name="root"/>, that holds a project file.</summary>
    private static string? OwningProjectFolder(string file, string root, IReadOnlyDictionary<string, List<string>> projectFolders)
    {
        var top = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        for (var folder = Path.GetDirectoryName(Path.GetFullPath(file)); folder is not null && folder.Length >= top.Length; folder = Path.GetDirectoryName(folder))
        {
            if (projectFolders.ContainsKey(folder))
            {
                return folder;
            }
        }

        return null;
    }

    /// <summary>
    /// The source files under <paramref name="root"/> a project links with <c>Compile Include</c> items from outside its
    /// folder.
    /// </summary>
    private static IEnumerable<string> LinkedSources(string projectFile, string root, IReadOnlyList<string> sources)
    {
        var projectFolder = Path.GetDirectoryName(projectFile)!;
        foreach (var include in ProjectItems(projectFile, root, "Compile"))
        {
            if (include.Contains('*') || include.Contains('?'))
            {
                if (!include.Contains("$(", StringComparison.Ordinal))
                {
                    var pattern = Path.GetFullPath(Path.Combine(projectFolder, include.Replace('\\', '/').Replace('/', Path.DirectorySeparatorChar)));
                    var glob = new Glob(Path.GetRelativePath(root, pattern).Replace('\\', '/'));
                    foreach (var source in sources.Where(f => !IsUnder(f, projectFolder) && glob.Matches(Path.GetRelativePath(root, f))))
                    {
                        yield return source;
                    }
                }

                continue;
            }

            if (ResolveItem(include, projectFolder, sources) is { } file && !IsUnder(file, projectFolder))
            {
                yield return file;
            }
        }
    }

    /// <summary>The project files a project references, among <paramref name="projects"/>.</summary>
    private static IEnumerable<string> ProjectReferences(string projectFile, string root, IReadOnlyList<string> projects)
        => ProjectItems(projectFile, root, "ProjectReference")
            .Select(include => ResolveItem(include, Path.GetDirectoryName(projectFile)!, projects))
            .OfType<string>();

    /// <summary>
    /// An item's path among <paramref name="candidates"/>: relative to the project folder, or, when a property is left
    /// that needs MSBuild to evaluate (<c>$(RepoRoot)src\Shared\Guard.cs</c>), the one candidate whose path ends with
    /// what follows it.
    /// </summary>
    private static string? ResolveItem(string include, string projectFolder, IReadOnlyList<string> candidates)
    {
        var normalized = include.Replace('\\', '/');
        if (!normalized.Contains("$(", StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(Path.Combine(projectFolder, normalized.Replace('/', Path.DirectorySeparatorChar)));
            return candidates.Contains(path, StringComparer.Ordinal) ? path : null;
        }

        var tail = normalized[(normalized.LastIndexOf(')') + 1)..].TrimStart('/').Replace('/', Path.DirectorySeparatorChar);
        if (tail.Length == 0 || tail.Contains("..", StringComparison.Ordinal))
        {
            return null;
        }

        var matches = candidates.Where(c => c.EndsWith(Path.DirectorySeparatorChar + tail, StringComparison.OrdinalIgnoreCase)).Take(2).ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    private static bool IsUnder(string file, string folder) => file.StartsWith(folder + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    /// <summary>
    /// The <c>Include</c> values of a project's items of one kind, split at ';', with the properties the project and the
    /// <c>Directory.Build.props</c> files above it define in plain text substituted (<c>$(SharedDirectory)</c>,
    /// <c>$(MSBuildThisFileDirectory)</c>). Conditions are ignored: folder mode cannot know the configuration.
    /// </summary>
    private static IEnumerable<string> ProjectItems(string projectFile, string root, string itemName)
    {
        var projectFolder = Path.GetDirectoryName(projectFile)!;
        var properties = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["MSBuildProjectDirectory"] = projectFolder,
            ["MSBuildProjectName"] = Path.GetFileNameWithoutExtension(projectFile),
        };
        var files = SharedBuildFiles(projectFolder, root).Where(f => f.EndsWith("Directory.Build.props", StringComparison.OrdinalIgnoreCase)).Reverse().Append(projectFile);
        var includes = new List<string>();
        foreach (var file in files)
        {
            if (LoadProjectFile(file) is not { } document)
            {
                continue;
            }

            properties["MSBuildThisFileDirectory"] = Path.GetDirectoryName(file)! + Path.DirectorySeparatorChar;
            foreach (var element in document.Descendants())
            {
                if (element.Parent?.Name.LocalName == "PropertyGroup" && !element.HasElements && element.Attribute("Condition") is null)
                {
                    properties[element.Name.LocalName] = Substitute(element.Value.Trim(), properties);
                }
                else if (file == projectFile && element.Name.LocalName == itemName && element.Attribute("Include")?.Value is { } include)
                {
                    includes.AddRange(include.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                        .Select(i => Substitute(i, properties))
                        .Where(i => !i.Contains('@') && !i.Contains('%')));
                }
            }
        }

        return includes;
    }

    private static string Substitute(string value, IReadOnlyDictionary<string, string> properties)
        => PropertyReference().Replace(value, m => properties.TryGetValue(m.Groups[1].Value, out var known) ? known : m.Value);

    [GeneratedRegex(@"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")]
    private static partial Regex PropertyReference();

    /// <summary>A project folder and every project folder it references, directly or through others.</summary>
    private static List<string> Closure(string folder, IReadOnlyDictionary<string, List<string>> references)
    {
        var seen = new List<string> { folder };
        for (var i = 0; i < seen.Count; i++)
        {
            foreach (var referenced in references[seen[i]])
            {
                if (!seen.Contains(referenced, StringComparer.Ordinal))
                {
                    seen.Add(referenced);
                }
            }
        }

        return seen;
    }

    /// <summary>The Directory.Build.props and Directory.Packages.props files that apply to a project folder under <paramref name="root"/>.</summary>
    private static IEnumerable<string> SharedBuildFiles(string projectFolder, string root)
    {
        var top = Path.GetFullPath(root).TrimEnd(Path.DirectorySeparatorChar);
        for (var folder = projectFolder; folder is not null && folder.Length >= top.Length; folder = Path.GetDirectoryName(folder))
        {
            foreach (var name in new[] { "Directory.Build.props", "Directory.Packages.props" })
            {
                var path = Path.Combine(folder, name);
                if (File.Exists(path))
                {
                    yield return path;
                }
            }
        }
    }

    /// <summary>
    /// The project's <c>AssemblyName</c> (with <c>$(MSBuildProjectName)</c> substituted), else its file name: the name
    /// <c>InternalsVisibleTo</c> attributes and package assemblies of the same library are matched against.
    /// </summary>
    private static string AssemblyNameOf(string projectFile)
    {
        var projectName = Path.GetFileNameWithoutExtension(projectFile);
        var element = LoadProjectFile(projectFile)?.Descendants()
            .LastOrDefault(e => e.Name.LocalName == "AssemblyName" && !e.AncestorsAndSelf().Any(a => a.Attribute("Condition") is not null));
        var name = element?.Value.Trim().Replace("$(MSBuildProjectName)", projectName, StringComparison.OrdinalIgnoreCase);
        return name is { Length: > 0 } && !name.Contains('$') ? name : projectName;
    }

    /// <summary>An MSBuild file as XML, or null when it cannot be read or is not well-formed.</summary>
    private static XDocument? LoadProjectFile(string path)
    {
        try
        {
            return XDocument.Load(path);
        }
        catch (Exception exception) when (exception is XmlException or IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string UniqueName(string name, ISet<string> taken)
    {
        var unique = name;
        for (var i = 2; !taken.Add(unique); i++)
        {
            unique = $"{name}.{i}";
        }

        return unique;
    }

    private static string RootName(string root) => Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar));

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

        var project = new ProjectFiles(projectFiles, projectFiles, packagesConfigs);
        return Build(RootName(folder), folder, new[] { file }, project, Array.Empty<MetadataReference>(), new ReferenceCache(), progress, out unresolved);
    }

    private static CSharpCompilation Build(
        string name, string root, IEnumerable<string> sourceFiles, ProjectFiles project, IReadOnlyList<MetadataReference> projectReferences,
        ReferenceCache cache, Action<string>? progress, out IReadOnlyList<string> unresolved)
    {
        var ownTexts = project.Own.Select(File.ReadAllText).ToList();
        var projectTexts = project.ForPackages.Select(File.ReadAllText).ToList();
        var packagesConfigs = project.PackagesConfigs.Select(File.ReadAllText).ToList();
        var implicitUsings = ownTexts.Any(t => ImplicitUsingsOn().IsMatch(t));
        var webSdk = ownTexts.Any(t => t.Contains("Microsoft.NET.Sdk.Web", StringComparison.OrdinalIgnoreCase)
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

        trees = WithoutReferenceSources(trees);
        progress?.Invoke($"parsed {trees.Count} files");
        var imported = ImportedNamespaces(trees);

        // The shared ASP.NET Core framework comes with the web SDK, or is evidently used by the sources.
        var web = webSdk || imported.Any(n => n.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        var globalUsings = new List<string>();
        if (implicitUsings)
        {
            var workerSdk = ownTexts.Any(t => t.Contains("Microsoft.NET.Sdk.Worker", StringComparison.OrdinalIgnoreCase));
            var usings = webSdk ? ImplicitUsings.Concat(WebImplicitUsings) : workerSdk ? ImplicitUsings.Concat(WorkerImplicitUsings) : ImplicitUsings;
            globalUsings.AddRange(usings.Select(u => $"global using global::{u};"));
        }

        globalUsings.AddRange(project.Own.SelectMany(UsingItems));
        if (globalUsings.Count > 0)
        {
            var text = string.Concat(globalUsings.Distinct(StringComparer.Ordinal).Select(u => u + "\n"));
            trees.Add(CSharpSyntaxTree.ParseText(text, parseOptions, Path.Combine(root, "obj", "ImplicitUsings.g.cs")));
        }

        // <InternalsVisibleTo Include="..." Key="..." /> items, as the SDK writes them into the assembly's attributes.
        var friends = project.Own.Where(f => f.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase)).SelectMany(FriendItems).Distinct(StringComparer.Ordinal).ToList();
        if (friends.Count > 0)
        {
            var text = string.Concat(friends.Select(f => $"[assembly: System.Runtime.CompilerServices.InternalsVisibleTo(\"{f}\")]\n"));
            trees.Add(CSharpSyntaxTree.ParseText(text, parseOptions, Path.Combine(root, "obj", "InternalsVisibleTo.g.cs")));
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
        // An old-style project names the assemblies it takes from outside the framework (<Reference Include="AWSSDK.EC2,
        // Version=3.0.0.0, …">, from a packages folder or an installed SDK), with the packages.config beside another
        // project or nowhere at all: the package of the same id, at the version of a packages-folder HintPath.
        var oldStyle = project.ForPackages.Where(f => f.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase)).Select(File.ReadAllText).ToList();
        var hintedPackages = oldStyle.SelectMany(t => HintPath().Matches(t))
            .Select(m => PackageOfHintPath(m.Groups[1].Value))
            .OfType<(string Id, string Version)>()
            .ToList();
        var referencedAssemblies = oldStyle.SelectMany(t => VersionedReference().Matches(t)).Select(m => m.Groups[1].Value)
            .Where(name => !frameworkNames.Contains(name));
        var packageNames = named.Select(m => m.Groups[1].Value)
            .Concat(hintedPackages.Select(p => p.Id))
            .Concat(referencedAssemblies)
            .Concat(PackagesNamedBy(imported))
            .Distinct(StringComparer.OrdinalIgnoreCase);

        // The version the project files name, where one does: that one when the cache has it, so the same folder
        // resolves the same way whatever else the machine has restored. The project's own files name it first (a
        // floating `10.*` among them, which takes the newest cached), then the first other project that names it.
        var versions = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var match in ownTexts.SelectMany(t => FloatingPackageReference().Matches(t)))
        {
            versions.TryAdd(match.Groups[1].Value, "*");
        }

        foreach (var match in ownTexts.SelectMany(t => PackageReference().Matches(t)).Concat(named).Where(m => m.Groups[2].Success))
        {
            versions.TryAdd(match.Groups[1].Value, match.Groups[2].Value);
        }

        foreach (var (id, version) in hintedPackages)
        {
            versions.TryAdd(id, version);
        }

        var packages = cache.Packages(packageNames, versions, frameworkNames, out unresolved);
        if (unresolved.Count > 0 && project.FolderPackages is { } folderPackages)
        {
            var ownUnresolved = unresolved;
            packages = cache.Packages(packageNames.Concat(folderPackages).Distinct(StringComparer.OrdinalIgnoreCase), versions, frameworkNames, out var withFolder);
            unresolved = ownUnresolved.Where(withFolder.Contains).ToList();
        }

        // Old-style projects name their assemblies by path (..\packages\Polly.7.2.4\lib\net45\Polly.dll): use the ones present.
        var hinted = project.ForPackages.Where(f => f.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase))
            .SelectMany(HintedAssemblies)
            .Where(dll => !frameworkNames.Contains(Path.GetFileNameWithoutExtension(dll)));
        packages = packages.Concat(hinted)
            .DistinctBy(dll => Path.GetFileNameWithoutExtension(dll), StringComparer.OrdinalIgnoreCase)
            .ToList();

        // A project of the folder wins over a cached package of the same assembly (the repository is that library):
        // both would declare the same types, and none of them would bind.
        var projects = projectReferences.OfType<CompilationReference>().Select(r => r.Compilation.AssemblyName).OfType<string>()
            .Concat(cache.BuiltHere)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        packages = packages.Where(dll => !projects.Contains(Path.GetFileNameWithoutExtension(dll))).ToList();
        var referenced = packages.Select(Path.GetFileNameWithoutExtension).OfType<string>().Concat(projects).ToHashSet(StringComparer.OrdinalIgnoreCase);
        unresolved = unresolved.Where(package => !referenced.Contains(package)).ToList();
        progress?.Invoke($"{framework.Count} framework and {packages.Count} package assemblies referenced");

        var references = framework.Concat(packages).Select(cache.Get).Concat(projectReferences);
        var options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            allowUnsafe: true);

        // A referenced project that grants its internals to this one by strong name: take on that public key, as the
        // signed build does, or every internal type it shares would fail to bind.
        if (FriendPublicKey(name, projectReferences, cache) is { } publicKey)
        {
            options = options.WithCryptoPublicKey(publicKey).WithPublicSign(true);
        }

        return CSharpCompilation.Create(name, trees, references, options);
    }

    /// <summary>The public key a referenced project names for <paramref name="name"/> in an <c>InternalsVisibleTo</c> attribute.</summary>
    private static System.Collections.Immutable.ImmutableArray<byte>? FriendPublicKey(string name, IReadOnlyList<MetadataReference> projectReferences, ReferenceCache cache)
    {
        foreach (var reference in projectReferences.OfType<CompilationReference>())
        {
            if (cache.FriendsOf(reference.Compilation).TryGetValue(name, out var key))
            {
                return System.Collections.Immutable.ImmutableArray.Create(Convert.FromHexString(key));
            }
        }

        return null;
    }

    /// <summary>The friends a compilation's sources name with a public key (<c>InternalsVisibleTo("Name, PublicKey=…")</c>): name to key.</summary>
    private static Dictionary<string, string> FriendsWithKeys(Compilation compilation)
    {
        var friends = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var tree in compilation.SyntaxTrees)
        {
            var text = tree.GetText().ToString();
            if (!text.Contains("InternalsVisibleTo", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match match in FriendWithKey().Matches(text))
            {
                if (match.Groups[2].Value.Length % 2 == 0)
                {
                    friends.TryAdd(match.Groups[1].Value.Trim(), match.Groups[2].Value);
                }
            }
        }

        return friends;
    }

    [GeneratedRegex("""InternalsVisibleTo\(\s*"([^",]+),\s*PublicKey\s*=\s*([0-9a-fA-F]+)\s*"\s*\)""")]
    private static partial Regex FriendWithKey();

    /// <summary>A project's <c>InternalsVisibleTo</c> items: the friend's name, with <c>PublicKey=</c> when the item has a <c>Key</c>.</summary>
    private static IEnumerable<string> FriendItems(string projectFile)
    {
        if (LoadProjectFile(projectFile) is not { } document)
        {
            yield break;
        }

        var projectName = Path.GetFileNameWithoutExtension(projectFile);
        foreach (var item in document.Descendants().Where(e => e.Name.LocalName == "InternalsVisibleTo"))
        {
            var friend = item.Attribute("Include")?.Value.Trim().Replace("$(MSBuildProjectName)", projectName, StringComparison.OrdinalIgnoreCase)
                .Replace("$(AssemblyName)", AssemblyNameOf(projectFile), StringComparison.OrdinalIgnoreCase);
            if (friend is not { Length: > 0 } || friend.Contains('$') || friend.Contains('"'))
            {
                continue;
            }

            var key = item.Attribute("Key")?.Value.Trim();
            yield return key is { Length: > 0 } && key.All(Uri.IsHexDigit) ? $"{friend}, PublicKey={key}" : friend;
        }
    }

    /// <summary>
    /// The MSBuild files that shape one compilation: <see cref="Own"/> gives its usings and SDK, <see cref="ForPackages"/>
    /// and <see cref="PackagesConfigs"/> the packages it references.
    /// </summary>
    private sealed record ProjectFiles(IReadOnlyList<string> Own, IReadOnlyList<string> ForPackages, IReadOnlyList<string> PackagesConfigs)
    {
        /// <summary>The packages the whole folder names, added when the cache lacks one <see cref="ForPackages"/> names.</summary>
        public IReadOnlyList<string>? FolderPackages { get; init; }
    }

    /// <summary>One metadata reference per assembly file, and one package resolution per set of names, shared by the folder's compilations.</summary>
    private sealed class ReferenceCache
    {
        private readonly Dictionary<string, MetadataReference> _references = new(StringComparer.Ordinal);

        private readonly Dictionary<Compilation, Dictionary<string, string>> _friends = new();

        /// <summary>What <see cref="FriendsWithKeys"/> finds in a project, read once however many projects reference it.</summary>
        public Dictionary<string, string> FriendsOf(Compilation compilation)
        {
            if (!_friends.TryGetValue(compilation, out var friends))
            {
                _friends[compilation] = friends = FriendsWithKeys(compilation);
            }

            return friends;
        }

        /// <summary>The assemblies the folder's projects build: a cached package of one of them is that project, older.</summary>
        public HashSet<string> BuiltHere { get; } = new(StringComparer.OrdinalIgnoreCase);

        private readonly Dictionary<string, (List<string> Packages, IReadOnlyList<string> Unresolved)> _packages = new(StringComparer.OrdinalIgnoreCase);

        public List<string> Packages(IEnumerable<string> names, IReadOnlyDictionary<string, string> versions, ISet<string> frameworkNames, out IReadOnlyList<string> unresolved)
        {
            var list = names.ToList();
            var key = string.Join(",", list.Order(StringComparer.OrdinalIgnoreCase).Select(n => versions.TryGetValue(n, out var v) ? n + "@" + v : n))
                + "|" + frameworkNames.Count;
            if (!_packages.TryGetValue(key, out var resolved))
            {
                var packages = PackageAssemblies.Resolve(list, versions, frameworkNames, out var missing);
                _packages[key] = resolved = (packages, missing);
            }

            unresolved = resolved.Unresolved;
            return resolved.Packages.ToList();
        }

        public MetadataReference Get(string path)
        {
            if (!_references.TryGetValue(path, out var reference))
            {
                _references[path] = reference = MetadataReference.CreateFromFile(path);
            }

            return reference;
        }
    }

    /// <summary>
    /// The project's <c>&lt;Using Include="Polly" /&gt;</c> items as global using directives (with <c>Alias</c> and
    /// <c>Static</c>), as the SDK generates them; items under a <c>Condition</c> count too (folder mode cannot know the
    /// configuration, and an extra using binds nothing that is not there).
    /// </summary>
    private static IEnumerable<string> UsingItems(string projectFile)
    {
        if (LoadProjectFile(projectFile) is not { } document)
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

    /// <summary>
    /// The package a <c>HintPath</c> points into: <c>..\packages\AWSSDK.EC2.3.1.19.0\lib\net45\AWSSDK.EC2.dll</c> is AWSSDK.EC2
    /// 3.1.19.0 (the folder name is the id, a dot, then the version, which starts at the first numeric part).
    /// </summary>
    private static (string Id, string Version)? PackageOfHintPath(string hintPath)
    {
        var parts = hintPath.Replace('\\', '/').Split('/');
        var index = Array.FindIndex(parts, p => p.Equals("packages", StringComparison.OrdinalIgnoreCase));
        if (index < 0 || index + 1 >= parts.Length)
        {
            return null;
        }

        var segments = parts[index + 1].Split('.');
        var first = Array.FindIndex(segments, s => s.Length > 0 && s.All(char.IsDigit));
        return first > 0 ? (string.Join('.', segments.Take(first)), string.Join('.', segments.Skip(first))) : null;
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
            var root = (CompilationUnitSyntax)tree.GetRoot();
            var usings = root.Usings.Concat(root.Members.OfType<BaseNamespaceDeclarationSyntax>().SelectMany(n => n.Usings));
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
        if (LoadProjectFile(projectFile) is not { } document)
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
