using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ResilienceAnalyzers.Cli;

/// <summary>
/// Folder mode's <c>.editorconfig</c> and <c>.globalconfig</c>, applied as the compiler applies them in a build: every
/// <c>.editorconfig</c> under the folder and above it up to one that says <c>root = true</c>, and every
/// <c>.globalconfig</c> there. Severities (<c>dotnet_diagnostic.RES001.severity</c>) change or silence findings, and
/// options (<c>RES001.max_attempts</c>) reach the analyzers, so a scan agrees with the build.
/// </summary>
internal static class AnalyzerConfigFiles
{
    /// <summary>The compilation with the configured severities, and the analyzer options carrying the configured values.</summary>
    public static (Compilation Compilation, AnalyzerOptions Options) Apply(Compilation compilation, string root, IReadOnlyList<Glob> excludes)
        => Apply(compilation, Load(root, excludes));

    /// <summary>The folder's configuration files, parsed once for all of its compilations; null when there are none.</summary>
    public static AnalyzerConfigSet? Load(string root, IReadOnlyList<Glob> excludes)
    {
        var configs = Find(root, excludes).Select(path => AnalyzerConfig.Parse(File.ReadAllText(path), path)).ToList();
        return configs.Count == 0 ? null : AnalyzerConfigSet.Create(configs, out _);
    }

    /// <summary>The compilation with the severities of <paramref name="set"/>, and the analyzer options carrying its values.</summary>
    public static (Compilation Compilation, AnalyzerOptions Options) Apply(Compilation compilation, AnalyzerConfigSet? set)
    {
        if (set is null)
        {
            return (compilation, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty));
        }

        var perTree = compilation.SyntaxTrees.ToDictionary(t => t, t => set.GetOptionsForSourcePath(t.FilePath));
        var severities = new TreeSeverities(perTree, set.GlobalConfigOptions);
        var configured = compilation.WithOptions(compilation.Options.WithSyntaxTreeOptionsProvider(severities));
        var options = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, new ConfiguredOptions(perTree, set.GlobalConfigOptions));
        return (configured, options);
    }

    /// <summary>The configuration files a build of the folder's projects would read.</summary>
    public static IEnumerable<string> Find(string root, IReadOnlyList<Glob> excludes)
    {
        var found = FolderCompilation.Files(root, ".editorconfig", excludes)
            .Concat(FolderCompilation.Files(root, "*.globalconfig", excludes))
            .ToList();

        // Above the scanned folder: what a build of any project in it would also read, up to a root.
        for (var folder = Directory.GetParent(root); folder is not null; folder = folder.Parent)
        {
            var globalConfigs = folder.EnumerateFiles("*.globalconfig").Select(f => f.FullName);
            found.AddRange(globalConfigs);
            var editorConfig = Path.Combine(folder.FullName, ".editorconfig");
            if (File.Exists(editorConfig))
            {
                found.Add(editorConfig);
                if (IsRoot(File.ReadLines(editorConfig)))
                {
                    break;
                }
            }
        }

        return found;
    }

    /// <summary><c>root = true</c> before the first section: no configuration above this one applies.</summary>
    private static bool IsRoot(IEnumerable<string> lines)
    {
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith('['))
            {
                return false;
            }

            var equals = line.IndexOf('=');
            if (equals > 0 && line[..equals].Trim().Equals("root", StringComparison.OrdinalIgnoreCase))
            {
                return line[(equals + 1)..].Trim().Equals("true", StringComparison.OrdinalIgnoreCase);
            }
        }

        return false;
    }

    /// <summary>The severities each file's configuration sets.</summary>
    private sealed class TreeSeverities : SyntaxTreeOptionsProvider
    {
        private readonly IReadOnlyDictionary<SyntaxTree, AnalyzerConfigOptionsResult> _perTree;
        private readonly AnalyzerConfigOptionsResult _global;

        public TreeSeverities(IReadOnlyDictionary<SyntaxTree, AnalyzerConfigOptionsResult> perTree, AnalyzerConfigOptionsResult global)
        {
            _perTree = perTree;
            _global = global;
        }

        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.Unknown;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = ReportDiagnostic.Default;
            return _perTree.TryGetValue(tree, out var options) && options.TreeOptions.TryGetValue(diagnosticId, out severity);
        }

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
            => _global.TreeOptions.TryGetValue(diagnosticId, out severity);
    }

    /// <summary>The key-value options each file's configuration sets, as the analyzers read them.</summary>
    private sealed class ConfiguredOptions : AnalyzerConfigOptionsProvider
    {
        private static readonly AnalyzerConfigOptions Empty = new Values(ImmutableDictionary<string, string>.Empty);

        private readonly Dictionary<SyntaxTree, AnalyzerConfigOptions> _perTree;

        public ConfiguredOptions(IReadOnlyDictionary<SyntaxTree, AnalyzerConfigOptionsResult> perTree, AnalyzerConfigOptionsResult global)
        {
            // Files under the same sections get the same options (the configuration set caches them by sections), as
            // the compiler hands them out: one object each, which analyzers may read once per configuration.
            var shared = new Dictionary<ImmutableDictionary<string, string>, AnalyzerConfigOptions>(ReferenceEqualityComparer.Instance);
            _perTree = new Dictionary<SyntaxTree, AnalyzerConfigOptions>();
            foreach (var (tree, result) in perTree)
            {
                if (!shared.TryGetValue(result.AnalyzerOptions, out var options))
                {
                    options = new Values(result.AnalyzerOptions);
                    shared.Add(result.AnalyzerOptions, options);
                }

                _perTree.Add(tree, options);
            }

            GlobalOptions = new Values(global.AnalyzerOptions);
        }

        public override AnalyzerConfigOptions GlobalOptions { get; }

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _perTree.TryGetValue(tree, out var options) ? options : Empty;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => Empty;
    }

    private sealed class Values : AnalyzerConfigOptions
    {
        private readonly ImmutableDictionary<string, string> _values;

        public Values(ImmutableDictionary<string, string> values)
        {
            _values = values;
        }

        public override IEnumerable<string> Keys => _values.Keys;

        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => _values.TryGetValue(key, out value);
    }
}
