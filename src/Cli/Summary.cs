namespace ResilienceAnalyzers.Cli;

/// <summary>The summary lines every human-readable report ends with.</summary>
internal static class Summary
{
    public static IEnumerable<string> Lines(ScanResult result)
    {
        var files = result.Findings.Select(f => f.RelativePath).Distinct().Count();
        yield return $"{result.Findings.Count} finding(s) in {files} file(s); scanned {result.Files} files, {result.Lines} lines ({result.Mode}).";
        foreach (var rule in result.ByRule)
        {
            yield return $"  {rule.Key}: {rule.Count()}";
        }

        if (result.KnownFromBaseline > 0)
        {
            yield return $"{result.KnownFromBaseline} finding(s) already in the baseline left out.";
        }

        foreach (var failure in result.AnalyzerFailures)
        {
            yield return "Analyzer failure (please report it; the findings of that analyzer are incomplete): " + failure;
        }

        if (result.Unresolved.Count > 0)
        {
            // Findings need the types they judge; say which libraries were not there to see (restore, then scan again).
            yield return $"Not in the local package cache, so their types did not resolve ({result.Unresolved.Count}): {string.Join(", ", result.Unresolved)}. Restore the projects and scan again for complete results.";
        }
    }
}
