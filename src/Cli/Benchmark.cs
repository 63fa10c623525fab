using System.Collections.Immutable;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ResilienceAnalyzers.Cli;

/// <summary>Median times of the measured passes.</summary>
internal sealed record TimingResult(
    int Passes,
    TimeSpan Binding,
    IReadOnlyList<(AnalyzerSet Set, DiagnosticAnalyzer Analyzer, TimeSpan Time)> Analyzers)
{
    /// <summary>Processor times of whole analyzer runs, made in pairs, for the costs no per-analyzer telemetry can attribute.</summary>
    public MarginalResult? Marginal { get; init; }

    /// <summary>Each measured pass's binding time, in pass order.</summary>
    public IReadOnlyList<TimeSpan> PassBindings { get; init; } = Array.Empty<TimeSpan>();

    /// <summary>Each analyzer's time in each measured pass, aligned with <see cref="Analyzers"/>.</summary>
    public IReadOnlyList<IReadOnlyList<TimeSpan>> PassTimes { get; init; } = Array.Empty<IReadOnlyList<TimeSpan>>();
}

/// <summary>
/// Median processor times of whole runs of the analyzer driver over a fresh compilation (binding included, single-threaded): with an
/// analyzer that asks for every operation tree and does nothing (the driver, binding and operation trees alone),
/// with ours alone, with the SDK's default analyzers, and with the SDK's plus ours or plus each compared set.
/// Differences are what adding a set costs a build, whoever is charged for the binding and operation trees the sets
/// share.
/// </summary>
/// <remarks>
/// The speed of a shared machine changes by tens of percent within a minute, far more than the costs measured, so the
/// two sides of each difference run at the same time in two processes (<see cref="PairedRunWorker"/>), swapping sides from
/// pass to pass, and the report gives the median of the per-pass differences with their range: a range wider than the
/// budget says the machine cannot confirm it.
/// </remarks>
internal sealed record MarginalResult(
    AnalyzerSet Sdk,
    TimeSpan DriverOnly,
    TimeSpan Ours,
    TimeSpan SdkAlone,
    Spread Standalone,
    IReadOnlyList<(AnalyzerSet Set, TimeSpan SdkWith, Spread Marginal)> Added);

/// <summary>The median of per-pass differences, and their smallest and largest.</summary>
internal sealed record Spread(TimeSpan Median, TimeSpan Min, TimeSpan Max);

/// <summary>
/// --timing: the analyzers' execution time against the compiler's own binding time for the same code, warm.
/// Each pass starts from a fresh copy of every compilation (no bound state is reused between passes), binds
/// it with compilation.GetDiagnostics(), then runs each analyzer set alone, on a fresh copy of its own, through
/// CompilationWithAnalyzers with logAnalyzerExecutionTime and reads each analyzer's ExecutionTime. Both sides run on one thread
/// (ConcurrentBuild off, concurrentAnalysis off) so the times are comparable CPU work, not wall time shared
/// by cores. The heap is collected before each run, so neither run pays for the other's garbage. Pass 1 warms the
/// JIT and caches and is not counted; the result is the median of the others.
/// </summary>
internal static class Benchmark
{
    public static async Task<(TimingResult Timing, ImmutableArray<Diagnostic> Diagnostics)> RunAsync(
        IReadOnlyList<ScanTarget> targets, IReadOnlyList<AnalyzerSet> sets, int measuredPasses, Action<string>? progress)
    {
        var analyzers = sets.SelectMany(s => s.Analyzers.Select(a => (Set: s, Analyzer: a))).ToList();
        var bindings = new List<TimeSpan>();
        var times = analyzers.Select(_ => new List<TimeSpan>()).ToList();
        var diagnostics = ImmutableArray<Diagnostic>.Empty;

        for (var pass = 0; pass <= measuredPasses; pass++)
        {
            var label = pass == 0 ? "warm-up pass" : $"pass {pass}/{measuredPasses}";
            var binding = TimeSpan.Zero;
            var passTimes = new TimeSpan[analyzers.Count];
            var found = ImmutableArray.CreateBuilder<Diagnostic>();
            foreach (var target in targets)
            {
                progress?.Invoke($"{label}: binding {target.Name}");
                GC.Collect();
                GC.WaitForPendingFinalizers();
                binding += TimeBinding(target.Compilation);

                // Each set alone, on a fresh copy: a set pays for what it asks first (method bodies bound early, operation
                // trees), and the garbage and collections of another set's run are not charged to it. The sets go in the
                // opposite order every other pass: the same analyzers read about a quarter slower run first after binding
                // than run second, and no set should always take the first place.
                foreach (var set in pass % 2 == 0 ? sets : sets.Reverse())
                {
                    progress?.Invoke($"{label}: analyzing {target.Name} with {set.Name}");
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    var options = new CompilationWithAnalyzersOptions(
                        target.AnalyzerOptions,
                        onAnalyzerException: null,
                        concurrentAnalysis: false,
                        logAnalyzerExecutionTime: true,
                        reportSuppressedDiagnostics: false);
                    var withAnalyzers = Fresh(target.Compilation).WithAnalyzers(set.Analyzers, options);
                    BuildNamespaces(withAnalyzers.Compilation);
                    found.AddRange(await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None));
                    for (var i = 0; i < analyzers.Count; i++)
                    {
                        if (analyzers[i].Set == set)
                        {
                            var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzers[i].Analyzer, CancellationToken.None);
                            passTimes[i] += telemetry.ExecutionTime;
                        }
                    }
                }
            }

            if (pass == 0)
            {
                diagnostics = found.ToImmutable();
                continue;
            }

            bindings.Add(binding);
            for (var i = 0; i < analyzers.Count; i++)
            {
                times[i].Add(passTimes[i]);
            }
        }

        var result = new TimingResult(
            measuredPasses,
            Median(bindings),
            analyzers.Select((a, i) => (a.Set, a.Analyzer, Median(times[i]))).ToList())
        {
            PassBindings = bindings,
            PassTimes = times,
        };
        return (result, diagnostics);
    }

    /// <summary>
    /// The whole runs the paired differences are taken between, the same list in the scanner and in its workers: the
    /// driver with an analyzer that does nothing, ours alone, the SDK's analyzers, then the SDK's plus ours and plus each
    /// compared set.
    /// </summary>
    public static IReadOnlyList<(string Label, ImmutableArray<DiagnosticAnalyzer> Analyzers)> WholeRuns(
        AnalyzerSet ours, AnalyzerSet sdk, IReadOnlyList<AnalyzerSet> compared)
    {
        var runs = new List<(string Label, ImmutableArray<DiagnosticAnalyzer> Analyzers)>
        {
            ("driver only", ImmutableArray.Create<DiagnosticAnalyzer>(new DoesNothing())),
            ($"{ours.Name} alone", ours.Analyzers),
            ("SDK analyzers", sdk.Analyzers),
        };
        runs.AddRange(new[] { ours }.Concat(compared).Select(set => ($"SDK analyzers + {set.Name}", sdk.Analyzers.AddRange(set.Analyzers))));
        return runs;
    }

    /// <summary>
    /// The paired differences of <see cref="MarginalResult"/>. Each difference is a pair of whole runs made at the same
    /// time by two workers (<see cref="PairedRunWorker"/>) sharing one core, which side each worker runs swapping from pass
    /// to pass; one pass of every pair warms the workers up and is not counted. Medians of each run, and medians of the
    /// per-pass differences with their range.
    /// </summary>
    public static async Task<MarginalResult> MarginalAsync(
        IReadOnlyList<string> arguments, AnalyzerSet ours, AnalyzerSet sdk, IReadOnlyList<AnalyzerSet> compared, int measuredPasses, Action<string>? progress)
    {
        var runs = WholeRuns(ours, sdk, compared);
        const int DriverOnly = 0, OursAlone = 1, SdkAlone = 2;
        var pairs = new List<(int Without, int With)> { (DriverOnly, OursAlone) };
        pairs.AddRange(Enumerable.Range(SdkAlone + 1, runs.Count - SdkAlone - 1).Select(with => (SdkAlone, with)));

        progress?.Invoke("starting the paired-run workers");
        await using var first = await PairedRunWorker.StartAsync(arguments);
        await using var second = await PairedRunWorker.StartAsync(arguments);
        var times = runs.Select(_ => new List<TimeSpan>()).ToList();
        var differences = pairs.Select(_ => new List<TimeSpan>()).ToList();
        for (var pass = 0; pass <= measuredPasses; pass++)
        {
            for (var p = 0; p < pairs.Count; p++)
            {
                var (without, with) = pairs[p];
                progress?.Invoke($"{(pass == 0 ? "warm-up pass" : $"pass {pass}/{measuredPasses}")}: {runs[without].Label} beside {runs[with].Label}");
                var (a, b) = pass % 2 == 0 ? (first, second) : (second, first);
                var withoutRun = a.RunAsync(without);
                var withRun = b.RunAsync(with);
                var (withoutTime, withTime) = (await withoutRun, await withRun);
                if (pass > 0)
                {
                    times[without].Add(withoutTime);
                    times[with].Add(withTime);
                    differences[p].Add(withTime - withoutTime);
                }
            }
        }

        Spread Paired(int pair) => new(Median(differences[pair]), differences[pair].Min(), differences[pair].Max());

        return new MarginalResult(
            sdk,
            Median(times[DriverOnly]),
            Median(times[OursAlone]),
            Median(times[SdkAlone]),
            Paired(0),
            new[] { ours }.Concat(compared).Select((set, i) => (set, Median(times[SdkAlone + 1 + i]), Paired(1 + i))).ToList());
    }

    /// <summary>
    /// One whole run of the driver over a fresh copy of the target, after a collection of the heap: the processor time the
    /// process spent on it (all its threads: the driver's, and the runtime's collections of the garbage the run made).
    /// </summary>
    public static async Task<TimeSpan> TimeRunAsync(ScanTarget target, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var options = new CompilationWithAnalyzersOptions(target.AnalyzerOptions, onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        var withAnalyzers = Fresh(target.Compilation).WithAnalyzers(analyzers, options);
        using var process = Process.GetCurrentProcess();
        var before = process.TotalProcessorTime;
        await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        process.Refresh();
        return process.TotalProcessorTime - before;
    }

    /// <summary>
    /// An analyzer that asks for every code block's operation tree and does nothing with it: the driver's own cost with
    /// binding and operation trees, which every operation-based analyzer (ours, and the SDK's) needs anyway.
    /// </summary>
    /// <remarks>A measuring instrument of the benchmark, never shipped or loaded by a compiler: the analyzer-authoring
    /// rules (export attribute, release tracking, host assembly) are for analyzers that are.</remarks>
#pragma warning disable RS1001, RS1036, RS1038, RS1041
    private sealed class DoesNothing : DiagnosticAnalyzer
#pragma warning restore RS1001, RS1036, RS1038, RS1041
    {
#pragma warning disable RS2008 // Not shipped: see the remarks above.
        private static readonly DiagnosticDescriptor Nothing = new("NOTHING", "Nothing", "Nothing", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);
#pragma warning restore RS2008

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Nothing);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterOperationBlockAction(_ => { });
        }
    }

    /// <summary>The compiler's own binding of a fresh copy; the copy is garbage once this returns.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TimeSpan TimeBinding(Compilation compilation)
    {
        var bound = Fresh(compilation);
        var stopwatch = Stopwatch.StartNew();
        bound.GetDiagnostics();
        return stopwatch.Elapsed;
    }

    /// <summary>
    /// The source namespaces' maps of the types they declare, as the compiler's declaration stage builds them in every
    /// build. Built before the telemetry run so that the first analyzer to look a type up in source (ours ask for the
    /// libraries' types at compilation start) is not charged for them: binding time already counts them once.
    /// </summary>
    private static void BuildNamespaces(Compilation compilation)
    {
        var pending = new Stack<INamespaceSymbol>();
        pending.Push(compilation.Assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            _ = current.GetTypeMembers();
            foreach (var nested in current.GetNamespaceMembers())
            {
                pending.Push(nested);
            }
        }
    }

    /// <summary>A copy with no bound state, compiled on one thread.</summary>
    private static Compilation Fresh(Compilation compilation) =>
        compilation.WithOptions(compilation.Options.WithConcurrentBuild(false));

    public static TimeSpan Median(IReadOnlyList<TimeSpan> values)
        => TimeSpan.FromTicks((long)Median(values.Select(value => (double)value.Ticks).ToList()));

    /// <summary>The middle value, or the mean of the two middle ones; zero for none.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return 0;
        }

        return sorted.Count % 2 == 1
            ? sorted[sorted.Count / 2]
            : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
