using System.Linq;

namespace ResilienceAnalyzers.Common;

/// <summary>
/// Every <c>.editorconfig</c> option the analyzers and fixes read. Each one is documented on the
/// rule page of the rule that reads it (a meta-test keeps the pages honest).
/// </summary>
public static class Options
{
    /// <summary>Analyze projects that reference a test framework (skipped by default).</summary>
    public static readonly BoolOption AnalyzeTestCode = new("resilience_analyzers.analyze_test_code", false);

    /// <summary>Attempts the fixes write into a bounded retry.</summary>
    public static readonly IntOption MaxAttempts = new("resilience_analyzers.max_attempts", 3, minimum: 1);

    /// <summary>Base delay, in milliseconds, of the backoff the fixes write.</summary>
    public static readonly IntOption BackoffBaseMilliseconds = new("resilience_analyzers.backoff_base_ms", 200, minimum: 1);

    /// <summary>Upper bound, in milliseconds, of the backoff the fixes write.</summary>
    public static readonly IntOption BackoffCapMilliseconds = new("resilience_analyzers.backoff_cap_ms", 20000, minimum: 1);

    /// <summary>RES001: a retry count above this is treated as unbounded.</summary>
    public static readonly IntOption Res001MaxAttempts = new("RES001.max_attempts", 10, minimum: 1);

    /// <summary>RES001: treat a cancellation token check as an attempt bound.</summary>
    public static readonly BoolOption Res001CancellationIsBound = new("RES001.cancellation_is_bound", false);

    /// <summary>RES004: a growing delay that can exceed this many seconds before the retry gives up, with no cap, is reported.</summary>
    public static readonly IntOption Res004MaxDelaySeconds = new("RES004.max_delay_seconds", 60, minimum: 1);

    /// <summary>RES006: a retry inside another is reported only when the product of their attempts exceeds this.</summary>
    public static readonly IntOption Res006MaxTotalAttempts = new("RES006.max_total_attempts", 3, minimum: 1);

    /// <summary>RES010: the bounded timeout, in seconds, the fix writes; unset, 100 for HTTP timeouts and 30 for the others.</summary>
    public static readonly IntOption Res010TimeoutSeconds = new("RES010.timeout_seconds", 30, minimum: 1);

    /// <summary>RES011: how many seconds from now the deadline the fix writes lies.</summary>
    public static readonly IntOption Res011DeadlineSeconds = new("RES011.deadline_seconds", 30, minimum: 1);

    /// <summary>RES020: also report a region literal used only as the fallback after configuration or the environment.</summary>
    public static readonly BoolOption Res020FlagFallbacks = new("RES020.flag_fallbacks", false);

    /// <summary>RES020: region codes that may be hard-coded (comma-separated, e.g. <c>us-gov-west-1</c> for a GovCloud-only system).</summary>
    public static readonly StringListOption Res020AllowedRegions = new("RES020.allowed_regions");

    /// <summary>Every option: for the option check (RES000) and the documentation meta-test.</summary>
    public static readonly IAnalyzerOption[] All =
    {
        AnalyzeTestCode,
        MaxAttempts,
        BackoffBaseMilliseconds,
        BackoffCapMilliseconds,
        Res001MaxAttempts,
        Res001CancellationIsBound,
        Res004MaxDelaySeconds,
        Res006MaxTotalAttempts,
        Res010TimeoutSeconds,
        Res011DeadlineSeconds,
        Res020FlagFallbacks,
        Res020AllowedRegions,
    };

    /// <summary>Every option key, for the documentation meta-test.</summary>
    public static readonly string[] AllKeys = All.Select(o => o.Key).ToArray();
}
