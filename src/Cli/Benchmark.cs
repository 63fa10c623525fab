using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ResilienceAnalyzers.Cli;

/// <summary>Median times of the measured passes.</summary>
internal sealed record TimingResult(
    int Passes,
    TimeSpan Binding,
    IReadOnlyList<(AnalyzerSet Set, DiagnosticAnalyzer Analyzer, TimeSpan Time)> Analyzers);

/// <summary>
/// --timing: the analyzers' execution time against the compiler's own binding time for the same code, warm.
/// Each pass starts from a fresh copy of every compilation (no bound state is reused between passes), binds
/// it with compilation.GetDiagnostics(), then runs all analyzer sets together through CompilationWithAnalyzers
/// with logAnalyzerExecutionTime and reads each analyzer's ExecutionTime. Both sides run on one thread
/// (ConcurrentBuild off, concurrentAnalysis off) so the times are comparable CPU work, not wall time shared
/// by cores. Pass 1 warms the JIT and caches and is not counted; the result is the median of the others.
/// </summary>
internal static class Benchmark
{
    public static async Task<(TimingResult Timing, ImmutableArray<Diagnostic> Diagnostics)> RunAsync(
        IReadOnlyList<ScanTarget> targets, IReadOnlyList<AnalyzerSet> sets, int measuredPasses, Action<string>? progress)
    {
        var analyzers = sets.SelectMany(s => s.Analyzers.Select(a => (Set: s, Analyzer: a))).ToList();
        var all = analyzers.Select(a => a.Analyzer).ToImmutableArray();
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
                var bound = Fresh(target.Compilation);
                var stopwatch = Stopwatch.StartNew();
                bound.GetDiagnostics();
                binding += stopwatch.Elapsed;

                progress?.Invoke($"{label}: analyzing {target.Name}");
                var options = new CompilationWithAnalyzersOptions(
                    target.AnalyzerOptions,
                    onAnalyzerException: null,
                    concurrentAnalysis: false,
                    logAnalyzerExecutionTime: true,
                    reportSuppressedDiagnostics: false);
                var withAnalyzers = Fresh(target.Compilation).WithAnalyzers(all, options);
                found.AddRange(await withAnalyzers.GetAnalyzerDiagnosticsAsync(CancellationToken.None));
                for (var i = 0; i < analyzers.Count; i++)
                {
                    var telemetry = await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzers[i].Analyzer, CancellationToken.None);
                    passTimes[i] += telemetry.ExecutionTime;
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
            analyzers.Select((a, i) => (a.Set, a.Analyzer, Median(times[i]))).ToList());
        return (result, diagnostics);
    }

    /// <summary>A copy with no bound state, compiled on one thread.</summary>
    private static Compilation Fresh(Compilation compilation) =>
        compilation.WithOptions(compilation.Options.WithConcurrentBuild(false));

    public static TimeSpan Median(IReadOnlyList<TimeSpan> values)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return TimeSpan.Zero;
        }

        return sorted.Count % 2 == 1
            ? sorted[sorted.Count / 2]
            : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
