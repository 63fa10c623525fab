using System.Xml.Linq;

namespace ResilienceAnalyzers.Cli;

/// <summary>
/// Assemblies of packages found in the local NuGet cache for folder mode: the newest cached version of each
/// package a project names, then the dependencies its nuspec lists, as far as the cache has them. A package
/// that is not cached is left out; the analyzers stay silent where a type cannot be resolved.
/// </summary>
internal static class PackageAssemblies
{
    /// <summary>
    /// Test frameworks are never referenced: the analyzers skip a compilation that references one, and in
    /// folder mode that would silence the whole folder, not just its test projects.
    /// </summary>
    private static readonly string[] TestFrameworkPrefixes =
    {
        "xunit", "nunit", "mstest", "microsoft.net.test.sdk", "microsoft.testplatform", "moq", "nsubstitute", "fakeiteasy", "testcontainers",
    };

    private static readonly string[] FrameworkPreference =
    {
        "net10.0", "net9.0", "net8.0", "net7.0", "net6.0", "net5.0", "netcoreapp3.1", "netstandard2.1", "netstandard2.0", "netstandard1.6", "netstandard1.3",
    };

    public static string CacheFolder =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>
    /// The assemblies of <paramref name="packageNames"/> and their dependencies, each at the version
    /// <paramref name="versions"/> names when the cache holds it, else the newest cached; <paramref name="unresolved"/>
    /// gets the named packages (not dependencies) the cache does not hold, so a report can say what its findings could
    /// not see.
    /// </summary>
    public static List<string> Resolve(
        IEnumerable<string> packageNames, IReadOnlyDictionary<string, string> versions, ISet<string> frameworkAssemblyNames, out IReadOnlyList<string> unresolved)
    {
        var named = new HashSet<string>(packageNames, StringComparer.OrdinalIgnoreCase);
        var missing = new SortedSet<string>(StringComparer.OrdinalIgnoreCase);
        var files = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var queue = new Queue<string>(named);
        while (queue.Count > 0)
        {
            var name = queue.Dequeue().ToLowerInvariant();
            if (!seen.Add(name) || TestFrameworkPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal)))
            {
                continue;
            }

            var packageFolder = Path.Combine(CacheFolder, name);
            if (!Directory.Exists(packageFolder))
            {
                if (named.Contains(name))
                {
                    missing.Add(name);
                }

                continue;
            }

            var version = versions.TryGetValue(name, out var wanted) && Directory.Exists(Path.Combine(packageFolder, wanted.ToLowerInvariant()))
                ? Path.Combine(packageFolder, wanted.ToLowerInvariant())
                : Directory.GetDirectories(packageFolder)
                    .OrderByDescending(d => ReferencePacks.VersionKey(Path.GetFileName(d)))
                    .FirstOrDefault();
            if (version is null)
            {
                continue;
            }

            var lib = Path.Combine(version, "lib");
            var tfm = Directory.Exists(lib)
                ? FrameworkPreference.Select(f => Path.Combine(lib, f)).FirstOrDefault(Directory.Exists)
                : null;
            if (tfm is not null)
            {
                foreach (var dll in Directory.EnumerateFiles(tfm, "*.dll"))
                {
                    var assemblyName = Path.GetFileNameWithoutExtension(dll);

                    // The framework's own copy wins over a package that backports it.
                    if (!frameworkAssemblyNames.Contains(assemblyName))
                    {
                        files.TryAdd(assemblyName, dll);
                    }
                }
            }

            foreach (var dependency in Dependencies(version, tfm is null ? null : Path.GetFileName(tfm)))
            {
                queue.Enqueue(dependency);
            }
        }

        unresolved = missing.ToList();
        return files.Values.ToList();
    }

    private static IEnumerable<string> Dependencies(string versionFolder, string? tfm)
    {
        var nuspec = Directory.EnumerateFiles(versionFolder, "*.nuspec").FirstOrDefault();
        if (nuspec is null)
        {
            return Array.Empty<string>();
        }

        try
        {
            var document = XDocument.Load(nuspec);
            var groups = document.Descendants().Where(e => e.Name.LocalName == "group").ToList();
            var group = groups.FirstOrDefault(g => TargetMatches((string?)g.Attribute("targetFramework"), tfm))
                ?? groups.FirstOrDefault();
            var dependencies = (group ?? document.Root!).Descendants().Where(e => e.Name.LocalName == "dependency");
            return dependencies.Select(d => (string?)d.Attribute("id")).OfType<string>().ToList();
        }
        catch (System.Xml.XmlException)
        {
            return Array.Empty<string>();
        }
    }

    private static bool TargetMatches(string? nuspecFramework, string? tfm)
    {
        if (nuspecFramework is null || tfm is null)
        {
            return false;
        }

        // The nuspec spells frameworks ".NETStandard2.0", "net8.0" or "netcoreapp3.1"; compare the short form.
        var normalized = nuspecFramework.ToLowerInvariant().Replace(".netstandard", "netstandard").Replace(".netcoreapp", "netcoreapp");
        return normalized == tfm || normalized == "net" + tfm.Replace("net", "", StringComparison.Ordinal);
    }
}
