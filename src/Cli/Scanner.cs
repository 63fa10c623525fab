using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ResilienceAnalyzers.Cli;

/// <summary>The scan: parse the command line, load, analyse (or benchmark), report, pick the exit code.</summary>
internal static class Scanner
{
    public const int Clean = 0;
    public const int FindingsExit = 1;
    public const int UsageOrLoadError = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr)
    {
        var options = ScanOptions.Parse(args, out var error);
        if (options is null)
        {
            if (error is { Length: > 0 })
            {
                stderr.WriteLine("resilience-scan: " + error);
                stderr.WriteLine(ScanOptions.Usage);
                return UsageOrLoadError;
            }

            stdout.WriteLine(ScanOptions.Usage);
            return Clean;
        }

        if (options.ShowVersion)
        {
            stdout.WriteLine("resilience-scan " + AnalyzerSet.Ours().Version);
            return Clean;
        }

        var progress = new Progress(stderr, options.Progress || !Console.IsErrorRedirected);
        try
        {
            if (options.PairedRunWorker)
            {
                var loaded = await LoadAsync(options, progress, stderr);
                var sdk = AnalyzerSet.Sdk() ?? throw new LoadException("the SDK's analyzers were not found.");
                var runs = Benchmark.WholeRuns(AnalyzerSet.Ours(), sdk, options.Compare.Select(AnalyzerSet.Load).ToList());
                await PairedRunWorker.ServeAsync(loaded.Targets, runs, Console.In, stdout);
                return Clean;
            }

            if (options.Output is not null)
            {
                ProbeWritable(options.Output);
            }

            var result = await ScanAsync(options, progress, stderr);
            var report = options.Format switch
            {
                ReportFormat.Sarif => SarifReport.Write(result),
                ReportFormat.Markdown => MarkdownReport.Write(result),
                _ => TextReport.Write(result),
            };
            if (options.Output is null)
            {
                stdout.Write(report);
            }
            else
            {
                await File.WriteAllTextAsync(options.Output, report);
                foreach (var line in Summary.Lines(result))
                {
                    stderr.WriteLine(line);
                }
            }

            // SARIF has no place for the benchmark; print it where a person sees it.
            if (result.Timing is not null && options.Format == ReportFormat.Sarif)
            {
                foreach (var line in new TimingSummary(result.Timing, result.Ours).Lines())
                {
                    stderr.WriteLine(line);
                }
            }

            return options.FailOn is { } threshold && result.Findings.Any(f => f.Diagnostic.Severity >= threshold) ? FindingsExit : Clean;
        }
        catch (Exception exception) when (exception is LoadException or IOException or UnauthorizedAccessException)
        {
            // An input that cannot be read or loaded, or a report that cannot be written: CI must see it fail.
            progress.Clear();
            stderr.WriteLine("resilience-scan: " + exception.Message);
            return UsageOrLoadError;
        }
    }

    /// <summary>The configuration files' severities and options, unless <c>--ignore-config</c> asks for every rule at its default.</summary>
    private static (Compilation Compilation, AnalyzerOptions Options) Configure(Compilation compilation, string root, IReadOnlyList<Glob> excludes, ScanOptions options)
        => options.IgnoreConfig
            ? (compilation, new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty))
            : AnalyzerConfigFiles.Apply(compilation, root, excludes);

    /// <summary>Fails before a long scan, not after it, when the report cannot be written.</summary>
    private static void ProbeWritable(string output)
    {
        var existed = File.Exists(output);
        using (new FileStream(output, FileMode.OpenOrCreate, FileAccess.Write))
        {
        }

        if (!existed)
        {
            File.Delete(output);
        }
    }

    /// <summary>What a scan reads before it analyses: the compilations, and the files it reports on.</summary>
    private sealed record Loaded(string Root, IReadOnlyList<Glob> Excludes, IReadOnlyList<ScanTarget> Targets, IReadOnlyList<string> Unresolved, string Mode, IReadOnlyList<string> Trees);

    private static async Task<Loaded> LoadAsync(ScanOptions options, Progress progress, TextWriter stderr)
    {
        var excludes = options.Excludes.Select(g => new Glob(g)).ToList();
        var root = Directory.Exists(options.Input) ? options.Input : Path.GetDirectoryName(options.Input)!;
        IReadOnlyList<ScanTarget>? targets = null;
        IReadOnlyList<string> unresolved = Array.Empty<string>();
        var mode = "folder mode";
        if (File.Exists(options.Input))
        {
            var extension = Path.GetExtension(options.Input).ToLowerInvariant();
            if (extension is not (".csproj" or ".sln" or ".slnx" or ".cs"))
            {
                throw new LoadException($"'{options.Input}' is not a folder, a .cs file, a .csproj or a .sln/.slnx.");
            }

            if (extension == ".cs")
            {
                progress.Report("parsing the file");
                var (single, singleOptions) = Configure(FolderCompilation.CreateForFile(options.Input, progress.Report, out unresolved), root, excludes, options);
                targets = new[] { new ScanTarget(Path.GetFileName(options.Input), single, singleOptions) };
                mode = "single file";
            }
            else if (!options.NoMsBuild)
            {
                progress.Report("loading with MSBuild");
                var loaded = await MsBuildLoader.LoadAsync(options.Input, excludes, root, stderr.WriteLine);
                if (loaded is not null)
                {
                    targets = loaded;
                    mode = $"MSBuild, {loaded.Count} project(s)";
                }
            }
        }

        if (targets is null)
        {
            progress.Report("parsing sources");
            if (options.Fix)
            {
                // The fixes are applied to one workspace project; the scan that follows compiles per project again.
                var (compilation, analyzerOptions) = Configure(FolderCompilation.Create(root, excludes, progress.Report, out unresolved), root, excludes, options);
                targets = new[] { new ScanTarget(Path.GetFileName(root), compilation, analyzerOptions) };
            }
            else
            {
                var compilations = FolderCompilation.CreatePerProject(root, excludes, progress.Report, out unresolved);
                var configs = options.IgnoreConfig ? null : AnalyzerConfigFiles.Load(root, excludes);
                targets = compilations.Select(c => options.IgnoreConfig
                        ? (Compilation: (Compilation)c, Options: new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty))
                        : AnalyzerConfigFiles.Apply(c, configs))
                    .Select(c => new ScanTarget(c.Compilation.AssemblyName ?? Path.GetFileName(root), c.Compilation, c.Options))
                    .ToList();
                if (targets.Count > 1)
                {
                    mode = $"folder mode, {targets.Count} projects";
                }
            }
        }

        var trees = targets.SelectMany(t => t.Compilation.SyntaxTrees)
            .Where(t => !Glob.AnyMatches(excludes, root, t.FilePath) && !t.FilePath.EndsWith(".g.cs", StringComparison.Ordinal))
            .Select(t => t.FilePath)
            .Distinct()
            .ToList();
        if (trees.Count == 0)
        {
            // An empty folder, or one whose every file is excluded: a CI step pointed at the wrong path must fail.
            throw new LoadException($"no C# file to scan under '{options.Input}'.");
        }

        return new Loaded(root, excludes, targets, unresolved, mode, trees);
    }

    private static async Task<ScanResult> ScanAsync(ScanOptions options, Progress progress, TextWriter stderr)
    {
        var (root, excludes, targets, unresolved, mode, trees) = await LoadAsync(options, progress, stderr);
        var ours = AnalyzerSet.Ours();
        var also = options.AlsoRun.Select(AnalyzerSet.Load).ToList();
        if (options.Fix)
        {
            // Fix first, then scan what is on disk again: the report shows what the fixes left.
            progress.Report("applying fixes");
            var configFiles = options.IgnoreConfig ? new List<string>() : AnalyzerConfigFiles.Find(root, excludes).ToList();
            var projects = targets.Select(t => t.Project ?? FixApplier.ProjectFor(t.Compilation, configFiles));
            var changed = await FixApplier.FixAsync(projects, ours, excludes, root);
            progress.Clear();
            stderr.WriteLine($"Fixed {changed.Count} file(s).");
            return await ScanAsync(options.WithoutFix(), progress, stderr);
        }

        var lines = targets.SelectMany(t => t.Compilation.SyntaxTrees)
            .GroupBy(t => t.FilePath)
            .Where(g => trees.Contains(g.Key))
            .Sum(g => g.First().GetText().Lines.Count);

        ImmutableArray<Diagnostic> diagnostics;
        TimingResult? timing = null;
        if (options.Timing)
        {
            var sets = new List<AnalyzerSet> { ours };
            sets.AddRange(options.Compare.Select(AnalyzerSet.Load));
            (timing, diagnostics) = await Benchmark.RunAsync(targets, sets, options.Passes, progress.Report);
            if (!options.NoWall && AnalyzerSet.Sdk() is { } sdk)
            {
                timing = timing with { Marginal = await Benchmark.MarginalAsync(options.Arguments, ours, sdk, sets.Skip(1).ToList(), options.Passes, progress.Report) };
            }
        }
        else
        {
            diagnostics = await AnalyzeAsync(targets, ours.Analyzers.AddRange(also.SelectMany(a => a.Analyzers)), progress);
        }

        progress.Clear();
        var reported = ours.Analyzers.Concat(also.SelectMany(a => a.Analyzers)).ToList();
        var ourIds = reported.SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var findings = diagnostics
            .Where(d => ourIds.Contains(d.Id) && d.Severity != DiagnosticSeverity.Hidden)
            .Where(d => d.Location.IsInSource ? !Glob.AnyMatches(excludes, root, d.Location.SourceTree!.FilePath) : d.Location == Location.None)
            .Select(d => d.Location.IsInSource
                ? new Finding(d, d.Location.SourceTree!.FilePath, Path.GetRelativePath(root, d.Location.SourceTree.FilePath).Replace('\\', '/'))
                : new Finding(d, "", Finding.ConfigurationPath))
            .DistinctBy(f => (f.Diagnostic.Id, f.FullPath, f.Diagnostic.Location.SourceSpan, f.InSource ? "" : f.Diagnostic.GetMessage()))
            .ToList();
        var known = 0;
        if (options.Baseline is not null)
        {
            findings = Baseline.Load(options.Baseline, root).New(findings, out known).ToList();
        }

        var rules = reported.SelectMany(a => a.SupportedDiagnostics).DistinctBy(d => d.Id).OrderBy(d => d.Id, StringComparer.Ordinal).ToList();
        var ourAnalyzers = reported.Select(a => a.GetType().Name).ToList();
        var failures = diagnostics
            .Where(d => d.Id == "AD0001" && ourAnalyzers.Any(name => d.GetMessage().Contains(name, StringComparison.Ordinal)))
            .Select(d => d.GetMessage())
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new ScanResult(root, mode, trees.Count, lines, rules, findings, ours, timing)
        {
            Unresolved = unresolved, KnownFromBaseline = known, AnalyzerFailures = failures,
        };
    }

    /// <summary>
    /// All analyzers over each target. Progress ticks with the elapsed time while the driver works: asking the
    /// driver file by file to count progress made whole scans several times slower.
    /// </summary>
    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(IReadOnlyList<ScanTarget> targets, ImmutableArray<DiagnosticAnalyzer> analyzers, Progress progress)
    {
        var all = ImmutableArray.CreateBuilder<Diagnostic>();
        for (var i = 0; i < targets.Count; i++)
        {
            var target = targets[i];
            var options = new CompilationWithAnalyzersOptions(target.AnalyzerOptions, onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false);
            var withAnalyzers = target.Compilation.WithAnalyzers(analyzers, options);
            var label = $"analyzing {target.Name} ({i + 1}/{targets.Count}, {target.Compilation.SyntaxTrees.Count()} files)";
            progress.Report(label);
            var analysis = withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None);
            var stopwatch = System.Diagnostics.Stopwatch.StartNew();
            while (await Task.WhenAny(analysis, Task.Delay(1000)) != analysis)
            {
                progress.Report($"{label}, {stopwatch.Elapsed.TotalSeconds:F0} s");
            }

            all.AddRange(await analysis);
        }

        return all.ToImmutable();
    }
}
