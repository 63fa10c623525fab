
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

    public TimingSummary(TimingResult timing, AnalyzerSet ours)
    {
        Timing = timing;
        Families = timing.Analyzers.Where(a => a.Set == ours)
            .Select(a => new Family(a.Analyzer.GetType().Name, a.Analyzer.SupportedDiagnostics.Select(d => d.Id).Distinct().Order(StringComparer.Ordinal).ToList(), a.Time))
            .ToList();
        OursTotal = Families.Aggregate(TimeSpan.Zero, (sum, f) => sum + f.Time);
        Compared = timing.Analyzers.Where(a => a.Set != ours)
            .GroupBy(a => a.Set)
            .Select(g => new ComparedSet(g.Key.Name, g.Key.Version, g.Aggregate(TimeSpan.Zero, (sum, a) => sum + a.Time), g.Key.EnabledRuleCount, g.Count()))
            .ToList();
    }

    public TimingResult Timing { get; }

    public IReadOnlyList<Family> Families { get; }

    public TimeSpan OursTotal { get; }

    public IReadOnlyList<ComparedSet> Compared { get; }

    public double FractionOfBinding => Timing.Binding > TimeSpan.Zero ? OursTotal / Timing.Binding : 0;

    public bool WithinBindingBudget => FractionOfBinding <= BindingBudget;

    /// <summary>Every rule of ours costs no more than each compared set's average per rule.</summary>
    public bool PerRuleWithinCompared => Compared.All(c => Families.All(f => f.PerRule <= c.PerRule));

    public IEnumerable<string> Lines()
    {
        yield return $"Timing: warm, median of {Timing.Passes} measured passes after one uncounted warm-up; single-threaded.";
        yield return $"Compiler binding (compilation.GetDiagnostics()): {Ms(Timing.Binding)}";
        foreach (var family in Families)
        {
            yield return $"  {family.Analyzer} ({string.Join(", ", family.Rules)}): {Ms(family.Time)}, per rule {Ms(family.PerRule)}";
        }

        yield return $"ResilienceAnalyzers total: {Ms(OursTotal)} = {FractionOfBinding * 100:F2}% of binding (budget {BindingBudget * 100:F0}%): {(WithinBindingBudget ? "within" : "OVER")}";
        foreach (var compared in Compared)
        {
            yield return $"{compared.Name} {compared.Version}: {Ms(compared.Total)} over {compared.Analyzers} analyzers, {compared.EnabledRules} rules enabled by default, average per rule {Ms(compared.PerRule)}";
            foreach (var family in Families)
            {
                yield return $"  {family.Analyzer} per rule {Ms(family.PerRule)} vs {compared.Name} average {Ms(compared.PerRule)}: {(family.PerRule <= compared.PerRule ? "within" : "OVER")}";
            }
        }
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
