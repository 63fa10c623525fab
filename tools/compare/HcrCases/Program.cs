using System.Reflection;
using System.Text;
using HcrCases;
using HttpClient.Resilience.Analyzers.Tests.TestInfrastructure;
using Xunit.Sdk;

// Runs every [Fact] and [Theory] row of the HCR test classes compiled in, in order, on one thread. Each call
// to HCR's verifier is a case (Verifiers.cs); the test's outcome says whether HCR's own expectation held.
var output = args.Length > 0 ? args[0] : Path.Combine("tools", "compare", "out");
var counterparts = new Dictionary<string, string[]>
{
    ["HCR001"] = new[] { "RES022" },
    ["HCR002"] = new[] { "RES021" },
    ["HCR080"] = new[] { "RES031" },
    ["HCR082"] = new[] { "RES022" },
    ["HCR040"] = new[] { "RES006", "RES007" },
    ["HCR041"] = new[] { "RES006", "RES007" },
    ["HCR042"] = new[] { "RES006", "RES007" },
    ["HCR043"] = new[] { "RES006", "RES007" },
};

var tests = typeof(Program).Assembly.GetTypes()
    .Where(t => t.Namespace?.StartsWith("HttpClient.Resilience.Analyzers.Tests.", StringComparison.Ordinal) == true && t.Name.StartsWith("HCR", StringComparison.Ordinal))
    .OrderBy(t => t.Name, StringComparer.Ordinal);
var outcomes = new Dictionary<string, int>();
foreach (var type in tests)
{
    foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance).Where(m => m.GetCustomAttributes<FactAttribute>().Any()).OrderBy(m => m.MetadataToken))
    {
        var rows = method.GetCustomAttributes<InlineDataAttribute>().SelectMany(a => a.GetData(method)).ToList();
        if (rows.Count == 0)
        {
            rows.Add(Array.Empty<object>());
        }

        foreach (var row in rows)
        {
            var name = $"{type.Name}.{method.Name}" + (row.Length > 0 ? "(" + string.Join(", ", row.Select(v => v?.ToString())) + ")" : "");
            Harness.CurrentTest = name;
            var first = Harness.Cases.Count;
            string outcome;
            try
            {
                var result = method.Invoke(Activator.CreateInstance(type), row);
                if (result is Task task)
                {
                    await task;
                }

                outcome = "pass";
            }
            catch (Exception e) when ((e is TargetInvocationException t ? t.InnerException : e) is Harness.FixTestStopped)
            {
                outcome = "fix";
            }
            catch (Exception e)
            {
                var inner = e is TargetInvocationException t && t.InnerException is not null ? t.InnerException : e;
                outcome = "FAIL " + inner.GetType().Name + ": " + inner.Message.Split('\n')[0];
            }

            outcomes[outcome.Split(' ')[0]] = outcomes.GetValueOrDefault(outcome.Split(' ')[0]) + 1;
            foreach (var c in Harness.Cases.Skip(first))
            {
                c.Outcome = outcome;
            }
        }
    }
}

Directory.CreateDirectory(Path.Combine(output, "cases"));
var tsv = new StringBuilder("case\ttest\tkind\thcr_rule\ttest_outcome\tcompile_errors\thcr_expected\thcr_reported\tours_counterpart\tours_all\tside\n");
var summary = new Dictionary<string, int[]>();
foreach (var c in Harness.Cases)
{
    var theirs = c.Hcr.Where(d => d.StartsWith(c.HcrRule + "@", StringComparison.Ordinal)).ToList();
    var mapped = c.Ours.Where(d => counterparts[c.HcrRule].Any(id => d.StartsWith(id + "@", StringComparison.Ordinal))).ToList();
    var expected = c.Kind == "fix" ? ">=1 (fix)" : c.Kind == "fix-titles" ? "?" : c.Outcome == "pass" ? theirs.Count.ToString() : "? (test failed)";
    var side = (theirs.Count > 0, mapped.Count > 0) switch
    {
        (true, true) => "both",
        (true, false) => "hcr-only",
        (false, true) => "ours-only",
        _ => "neither",
    };
    var counts = summary.TryGetValue(c.HcrRule, out var existing) ? existing : summary[c.HcrRule] = new int[5];
    counts[0]++;
    counts[side switch { "both" => 1, "hcr-only" => 2, "ours-only" => 3, _ => 4 }]++;
    tsv.Append($"{c.Number}\t{c.Test}\t{c.Kind}\t{c.HcrRule}\t{c.Outcome}\t{c.CompileErrors}\t{expected}\t{string.Join(" ", theirs)}\t{string.Join(" ", mapped)}\t{string.Join(" ", c.Ours)}\t{side}\n");
    File.WriteAllText(
        Path.Combine(output, "cases", $"{c.Number:D4}.cs"),
        $"// case {c.Number}: {c.Test} ({c.Kind}, {c.HcrRule}); HCR: {string.Join(" ", c.Hcr)}; ours: {string.Join(" ", c.Ours)}\n"
        + string.Join("\n", c.Sources.Select((s, i) => $"// ---- {(i == 0 ? "Test.cs" : $"Test{i}.cs")}\n{s}")));
}

File.WriteAllText(Path.Combine(output, "cases.tsv"), tsv.ToString());
Console.WriteLine($"tests: {string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key} {o.Value}"))}; cases: {Harness.Cases.Count}");
Console.WriteLine("rule     counterpart      cases  both  only-HCR  only-ours  neither");
foreach (var (rule, n) in summary.OrderBy(s => s.Key, StringComparer.Ordinal))
{
    Console.WriteLine($"{rule}   {string.Join("/", counterparts[rule]),-15} {n[0],6} {n[1],5} {n[2],9} {n[3],10} {n[4],8}");
}

// The HCR040-HCR043 cases again, recompiled against the real packages (RealPackages.cs): a case that does not
// compile there says so and is out of the score.
Directory.CreateDirectory(Path.Combine(output, "real-cases"));
var real = new StringBuilder("case\ttest\tkind\thcr_rule\tcompiles\tcompile_errors\tdropped\tadapted\thcr_stand_ins\thcr_reported\tours_counterpart\tours_all\tside\n");
var realSummary = new SortedDictionary<string, int[]>(StringComparer.Ordinal);
foreach (var c in RealPackages.Cases)
{
    var original = Harness.Cases[c.Number - 1];
    var theirs = c.Hcr.Where(d => d.StartsWith(c.HcrRule + "@", StringComparison.Ordinal)).ToList();
    var mapped = c.Ours.Where(d => counterparts[c.HcrRule].Any(id => d.StartsWith(id + "@", StringComparison.Ordinal))).ToList();
    var compiles = c.Errors.Count == 0;
    var side = !compiles ? "excluded" : (theirs.Count > 0, mapped.Count > 0) switch
    {
        (true, true) => "both",
        (true, false) => "hcr-only",
        (false, true) => "ours-only",
        _ => "neither",
    };
    var counts = realSummary.TryGetValue(c.HcrRule, out var existing) ? existing : realSummary[c.HcrRule] = new int[6];
    counts[0]++;
    counts[side switch { "both" => 1, "hcr-only" => 2, "ours-only" => 3, "neither" => 4, _ => 5 }]++;
    var errors = string.Join(" | ", c.Errors.Take(3).Select(e => e.Replace('\t', ' '))) + (c.Errors.Count > 3 ? $" (+{c.Errors.Count - 3})" : "");
    var standIns = string.Join(" ", original.Hcr.Where(d => d.StartsWith(c.HcrRule + "@", StringComparison.Ordinal)));
    real.Append($"{c.Number}\t{c.Test}\t{c.Kind}\t{c.HcrRule}\t{(compiles ? "yes" : "no")}\t{errors}\t{string.Join(" ", c.Dropped)}\t{string.Join("; ", c.Adapted)}\t{standIns}\t{string.Join(" ", theirs)}\t{string.Join(" ", mapped)}\t{string.Join(" ", c.Ours)}\t{side}\n");
    File.WriteAllText(
        Path.Combine(output, "real-cases", $"{c.Number:D4}.cs"),
        $"// case {c.Number} against the real packages: {c.Test} ({c.Kind}, {c.HcrRule}); compiles: {(compiles ? "yes" : "no")}; HCR: {string.Join(" ", c.Hcr)}; ours: {string.Join(" ", c.Ours)}\n"
        + string.Join("", c.Errors.Select(e => $"// error {e}\n"))
        + string.Join("\n", c.Sources.Select((s, i) => $"// ---- {(i == 0 ? "Test.cs" : $"Test{i}.cs")}\n{s}")));
}

File.WriteAllText(Path.Combine(output, "real-cases.tsv"), real.ToString());
Console.WriteLine();
Console.WriteLine("against the real packages");
Console.WriteLine("rule     counterpart      cases  both  only-HCR  only-ours  neither  not-compiling");
foreach (var (rule, n) in realSummary)
{
    Console.WriteLine($"{rule}   {string.Join("/", counterparts[rule]),-15} {n[0],6} {n[1],5} {n[2],9} {n[3],10} {n[4],8} {n[5],14}");
}
