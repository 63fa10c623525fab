
namespace ResilienceAnalyzers.Cli;

/// <summary>
/// The figures --timing prints, with the definitions the README states:
/// ours per family (one analyzer per family) and per rule (the family's time divided by its rule count);
/// a compared set's total and its average per rule (its total divided by its distinct rule ids that are
/// enabled by default); our total as a fraction of binding time.
/// </summary>
internal sealed class TimingSummary
{
    public const double BindingBudget = 0.02;

    /// <summary>What adding ours to the SDK's default analyzers may cost, as a share of their run.</summary>
    public const double MarginalBudget = 0.01;

    private readonly AnalyzerSet _ours;

    public TimingSummary(TimingResult timing, AnalyzerSet ours)
    {
        _ours = ours;
        Timing = timing;
        Families = timing.Analyzers.Where(a => a.Set == ours)
            .Select(a => new Family(a.Analyzer.GetType().Name, a.Analyzer.SupportedDiagnostics.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal).ToList(), a.Time))
            .ToList();
        OursTotal = Families.Aggregate(TimeSpan.Zero, (sum, f) => sum + f.Time);
        PassFractions = Enumerable.Range(0, timing.PassBindings.Count)
            .Where(pass => timing.PassBindings[pass] > TimeSpan.Zero)
            .Select(pass => Enumerable.Range(0, timing.Analyzers.Count)
                .Where(i => timing.Analyzers[i].Set == ours && i < timing.PassTimes.Count)
                .Aggregate(TimeSpan.Zero, (sum, i) => sum + timing.PassTimes[i][pass]) / timing.PassBindings[pass])
            .ToList();
        Compared = timing.Analyzers.Where(a => a.Set != ours)
            .GroupBy(a => a.Set)
            .Select(g => new ComparedSet(g.Key.Name, g.Key.Version, g.Aggregate(TimeSpan.Zero, (sum, a) => sum + a.Time), g.Key.EnabledRuleCount, g.Count()))
            .ToList();
    }

    public TimingResult Timing { get; }

    /// <summary>Tiered compilation is on unless the runtime was told otherwise (DOTNET_TieredCompilation=0).</summary>
    public static bool TieredCompilationOn
        => !(AppContext.TryGetSwitch("System.Runtime.TieredCompilation", out var enabled) && !enabled)
           && Environment.GetEnvironmentVariable("DOTNET_TieredCompilation") != "0"
           && Environment.GetEnvironmentVariable("COMPlus_TieredCompilation") != "0";

    public IReadOnlyList<Family> Families { get; }

    public TimeSpan OursTotal { get; }

    public IReadOnlyList<ComparedSet> Compared { get; }

    /// <summary>
    /// Our share of binding time: the median of each pass's share (our time in the pass over the binding time of the same
    /// pass), so that a pass run while the machine was slow is compared with binding measured in that pass, not with the
    /// median of the others.
    /// </summary>
    public double FractionOfBinding => PassFractions is { Count: > 0 } fractions
        ? Benchmark.Median(fractions)
        : Timing.Binding > TimeSpan.Zero ? OursTotal / Timing.Binding : 0;

    /// <summary>Our share of binding time in each measured pass.</summary>
    public IReadOnlyList<double> PassFractions { get; }

    public bool WithinBindingBudget => FractionOfBinding <= BindingBudget;

    /// <summary>Every rule of ours costs no more than each compared set's average per rule.</summary>
    public bool PerRuleWithinCompared => Compared.All(c => Families.All(f => f.PerRule <= c.PerRule));

    public IEnumerable<string> Lines()
    {
        yield return $"Timing: warm, median of {Timing.Passes} measured passes after one uncounted warm-up; single-threaded.";
        if (TieredCompilationOn)
        {
            // With tiering, methods are re-compiled optimised in the background while the passes run: whether a pass ran an
            // analyzer's code optimised or not depends on when that background work finished, and the same analyzer read
            // 60 ms in one run and 170 ms in the next on the same machine.
            yield return "  Tiered compilation is on: analyzer code may still be running unoptimised in the measured passes, and runs vary by a factor of two. Set DOTNET_TieredCompilation=0 for figures that compare (every method optimised from its first call, as in a long-lived compiler server).";
        }

        yield return $"Compiler binding (compilation.GetDiagnostics()): {Ms(Timing.Binding)}";
        foreach (var family in Families)
        {
            yield return $"  {family.Analyzer} ({string.Join(", ", family.Rules)}): {Ms(family.Time)}, per rule {Ms(family.PerRule)}";
        }

        var range = PassFractions.Count > 1 ? $", passes {PassFractions.Min() * 100:F2}-{PassFractions.Max() * 100:F2}%" : "";
        yield return $"ResilienceAnalyzers total: {Ms(OursTotal)} = {FractionOfBinding * 100:F2}% of binding (median of the passes' shares{range}; budget {BindingBudget * 100:F0}%): {(WithinBindingBudget ? "within" : "OVER")}";
        foreach (var compared in Compared)
        {
            yield return $"{compared.Name} {compared.Version}: {Ms(compared.Total)} over {compared.Analyzers} analyzers, {compared.EnabledRules} rules enabled by default, average per rule {Ms(compared.PerRule)}";
            foreach (var family in Families)
            {
                yield return $"  {family.Analyzer} per rule {Ms(family.PerRule)} vs {compared.Name} average {Ms(compared.PerRule)}: {(family.PerRule <= compared.PerRule ? "within" : "OVER")}";
            }
        }

        foreach (var line in MarginalLines(_ours))
        {
            yield return line;
        }
    }

    /// <summary>The whole-run view: standalone and marginal costs, ours and each compared set's, per rule.</summary>
    public IEnumerable<string> MarginalLines(AnalyzerSet ours)
    {
        if (Timing.Marginal is not { } marginal)
        {
            yield break;
        }

        var standalone = marginal.Standalone.Median;
        var standaloneShare = marginal.DriverOnly > TimeSpan.Zero ? standalone / marginal.DriverOnly : 0;
        yield return $"Whole runs of the analyzer driver over a fresh compilation (binding included): processor time, the two runs of each difference made at the same time in two processes sharing one core; median of {Timing.Passes}, each cost the median of the per-pass differences [smallest, largest] and a share of the run it was measured beside:";
        yield return $"  driver, binding and operation trees only: {Ms(marginal.DriverOnly)}; with ResilienceAnalyzers alone: {Ms(marginal.Ours)}";
        yield return $"  standalone cost: {Ms(standalone)} {Range(marginal.Standalone)} = {standaloneShare * 100:F2}% of that (budget {BindingBudget * 100:F0}%): {Verdict(marginal.Standalone, marginal.DriverOnly, BindingBudget)}";
        yield return $"  {marginal.Sdk.Name} {marginal.Sdk.Version} ({marginal.Sdk.EnabledRuleCount} rules enabled by default): {Ms(marginal.SdkAlone)}";
        foreach (var (set, with, spread) in marginal.Added)
        {
            var added = spread.Median;
            var share = marginal.SdkAlone > TimeSpan.Zero ? added / marginal.SdkAlone : 0;
            var rules = set.EnabledRuleCount;
            var verdict = set == ours ? $" (budget {MarginalBudget * 100:F0}%): {Verdict(spread, marginal.SdkAlone, MarginalBudget)}" : "";
            yield return $"  + {set.Name} {set.Version}: {Ms(with)}, marginal {Ms(added)} {Range(spread)} = {share * 100:F2}%{verdict}, per rule {Ms(rules == 0 ? added : added / rules)} ({rules} rules)";
        }
    }

    private static string Range(Spread spread) => $"[{Ms(spread.Min)}, {Ms(spread.Max)}]";

    /// <summary>Within or over the budget when the whole range of differences says so; otherwise the noise is larger than the budget.</summary>
    private static string Verdict(Spread spread, TimeSpan of, double budget)
    {
        var limit = of * budget;
        return spread.Max <= limit ? "within"
            : spread.Min > limit ? "OVER"
            : spread.Median <= limit ? "within at the median; the spread is wider than the budget"
            : "over at the median; the spread is wider than the budget";
    }

    public static string Ms(TimeSpan time) => $"{time.TotalMilliseconds:F1} ms";

    internal sealed record Family(string Analyzer, IReadOnlyList<string> Rules, TimeSpan Time)
    {
        public TimeSpan PerRule => Rules.Count == 0 ? Time : Time / Rules.Count;
    }

    internal sealed record ComparedSet(string Name, string Version, TimeSpan Total, int EnabledRules, int Analyzers)
    {
        public TimeSpan PerRule => EnabledRules == 0 ? Total : Total / EnabledRules;
    }
}
