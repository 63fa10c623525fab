using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Cli;

/// <summary>The C# analyzers of one assembly: ours (ResilienceAnalyzers.dll) or one given with --compare.</summary>
internal sealed class AnalyzerSet
{
    private AnalyzerSet(string name, string version, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        Name = name;
        Version = version;
        Analyzers = analyzers;
    }

    public string Name { get; }

    public string Version { get; }

    public ImmutableArray<DiagnosticAnalyzer> Analyzers { get; }

    /// <summary>
    /// Rule ids the driver can report by default: the distinct supported ids that are enabled by default.
    /// The driver never runs an analyzer whose rules are all disabled, so disabled ids cost nothing and are
    /// not counted.
    /// </summary>
    public IReadOnlyList<string> EnabledRuleIds(DiagnosticAnalyzer analyzer) => analyzer.SupportedDiagnostics
        .Where(d => d.IsEnabledByDefault)
        .Select(d => d.Id)
        .Distinct(StringComparer.Ordinal)
        .ToList();

    public int EnabledRuleCount => Analyzers.SelectMany(EnabledRuleIds).Distinct(StringComparer.Ordinal).Count();

    public static AnalyzerSet Ours() => FromAssembly(typeof(DiagnosticDescriptors).Assembly);

    public static AnalyzerSet Load(string path) => FromAssembly(Assembly.LoadFrom(path));

    /// <summary>
    /// The analyzers every SDK project runs by default (Microsoft.CodeAnalysis.NetAnalyzers, from the newest SDK beside
    /// this runtime), the baseline the marginal cost is measured against; null when that SDK has none.
    /// </summary>
    public static AnalyzerSet? Sdk()
    {
        var sdks = Path.Combine(ReferencePacks.DotnetRoot, "sdk");
        var folder = Directory.Exists(sdks)
            ? Directory.GetDirectories(sdks)
                .Select(d => Path.Combine(d, "Sdks", "Microsoft.NET.Sdk", "analyzers"))
                .Where(d => File.Exists(Path.Combine(d, "Microsoft.CodeAnalysis.CSharp.NetAnalyzers.dll")))
                .OrderByDescending(d => ReferencePacks.VersionKey(Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(Path.GetDirectoryName(d)))!)))
                .FirstOrDefault()
            : null;
        if (folder is null)
        {
            return null;
        }

        var core = FromAssembly(Assembly.LoadFrom(Path.Combine(folder, "Microsoft.CodeAnalysis.NetAnalyzers.dll")));
        var csharp = FromAssembly(Assembly.LoadFrom(Path.Combine(folder, "Microsoft.CodeAnalysis.CSharp.NetAnalyzers.dll")));
        return new AnalyzerSet("SDK NetAnalyzers", csharp.Version, core.Analyzers.AddRange(csharp.Analyzers));
    }

    private static AnalyzerSet FromAssembly(Assembly assembly)
    {
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException exception)
        {
            // Types that need a newer compiler than this host are left out; the rest still run.
            types = exception.Types.OfType<Type>().ToArray();
        }

        var analyzers = types
            .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t))
            .Where(t => t.GetCustomAttributes<DiagnosticAnalyzerAttribute>().Any(a => a.Languages.Contains(LanguageNames.CSharp)))
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
            .ToImmutableArray();
        var name = assembly.GetName();
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? name.Version?.ToString() ?? "0.0.0";
        return new AnalyzerSet(name.Name ?? "analyzers", version.Split('+')[0], analyzers);
    }
}
