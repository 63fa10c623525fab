using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace ResilienceAnalyzers.Retry;

/// <summary>What kind of code repeats the operation.</summary>
public enum RetryConstructKind
{
    Loop,
    Goto,
    Recursion,
    PollyV7,
    PollyV8,

    /// <summary>A library's own retry settings (EF Core, MassTransit, the Azure and AWS SDKs, …).</summary>
    Library,
}

/// <summary>How a retry is limited.</summary>
public enum AttemptBoundKind
{
    /// <summary>Nothing limits the retry.</summary>
    None,

    /// <summary>A counter that grows on the failure path is compared with a limit.</summary>
    Counter,

    /// <summary>Elapsed time or a deadline is compared.</summary>
    Deadline,

    /// <summary>Only a cancellation token ends it (a bound only when <c>RES001.cancellation_is_bound</c> says so).</summary>
    Cancellation,

    /// <summary>Something the compilation cannot see decides (a helper, configuration): stay silent.</summary>
    Unknown,
}

/// <summary>The attempt bound of a retry construct.</summary>
public sealed class AttemptBound
{
    public static readonly AttemptBound None = new(AttemptBoundKind.None, counter: null);
    public static readonly AttemptBound Unknown = new(AttemptBoundKind.Unknown, counter: null);

    public AttemptBound(AttemptBoundKind kind, ISymbol? counter, long? limit = null, int? attempts = null)
    {
        Kind = kind;
        Counter = counter;
        Limit = limit;
        Attempts = attempts;
    }

    public AttemptBoundKind Kind { get; }

    /// <summary>A local, parameter or field that grows with the attempts, compared or not.</summary>
    public ISymbol? Counter { get; }

    /// <summary>The largest constant a growing counter is compared with, when every comparison is with a constant.</summary>
    public long? Limit { get; }

    /// <summary>
    /// How many attempts a retry loop makes, worked out from its counter's start, step, comparisons and where they sit
    /// (<see cref="AttemptBoundRecognizer"/>), when all of that is in sight; RES006 multiplies it. Null otherwise.
    /// </summary>
    public int? Attempts { get; }

    /// <summary>This bound with the attempts a loop was worked out to make.</summary>
    public AttemptBound WithAttempts(int? attempts) => new(Kind, Counter, Limit, attempts);

    public bool IsBounded(bool cancellationIsBound)
        => Kind is AttemptBoundKind.Counter or AttemptBoundKind.Deadline
           || (Kind == AttemptBoundKind.Cancellation && cancellationIsBound);
}

/// <summary>How the wait between attempts behaves.</summary>
public enum DelayKind
{
    /// <summary>No wait at all: the retry is immediate.</summary>
    None,

    /// <summary>A wait that does not grow with the attempt.</summary>
    Constant,

    /// <summary>A wait that grows with the attempt (exponential, linear, increasing table).</summary>
    Growing,

    /// <summary>A wait the compilation cannot see: stay silent.</summary>
    Unknown,
}

/// <summary>Randomness in a delay.</summary>
public enum JitterKind
{
    None,

    /// <summary>Looks random but is not, like <c>random.Next(x, x + 1)</c>.</summary>
    Fake,

    Real,
}

/// <summary>The effective delay of a retry construct.</summary>
public sealed class DelayModel
{
    public static readonly DelayModel Immediate = new(DelayKind.None, JitterKind.None, location: null);
    public static readonly DelayModel Unknown = new(DelayKind.Unknown, JitterKind.None, location: null);

    public DelayModel(DelayKind kind, JitterKind jitter, Location? location)
    {
        Kind = kind;
        Jitter = jitter;
        Location = location;
    }

    public DelayKind Kind { get; }

    public JitterKind Jitter { get; }

    /// <summary>How far a growing delay goes (RES004), when its arithmetic can be followed; null otherwise.</summary>
    public DelayGrowth? Growth { get; private init; }

    public DelayModel WithGrowth(DelayGrowth? growth) => new(Kind, Jitter, Location) { Growth = growth };

    /// <summary>Where the delay is written (a delay call, a lambda), when there is one.</summary>
    public Location? Location { get; }

    /// <summary>Immediate, or a wait that does not grow: RES002.</summary>
    public bool DoesNotBackOff => Kind is DelayKind.None or DelayKind.Constant;

    /// <summary>A growing wait with no real randomness: RES003.</summary>
    public bool GrowsWithoutJitter => Kind == DelayKind.Growing && Jitter != JitterKind.Real;
}

/// <summary>
/// How far a growing delay goes: whether something caps it (<c>Math.Min</c>, a ternary, <c>MaxDelay</c>) however long the
/// retry goes on, and the longest wait before the retry gives up.
/// </summary>
public sealed class DelayGrowth
{
    public DelayGrowth(bool isCapped, double? largestBeforeLimitMilliseconds, SyntaxNode? growingExpression)
    {
        IsCapped = isCapped;
        LargestBeforeLimitMilliseconds = largestBeforeLimitMilliseconds;
        GrowingExpression = growingExpression;
    }

    /// <summary>The delay stops growing at some value, whatever the number of attempts.</summary>
    public bool IsCapped { get; }

    /// <summary>The longest wait before the attempt limit ends the retry; null when the limit is not a count the arithmetic can follow.</summary>
    public double? LargestBeforeLimitMilliseconds { get; }

    /// <summary>The expression that computes the growing delay, where RES004 reports and its fix caps.</summary>
    public SyntaxNode? GrowingExpression { get; }
}

/// <summary>
/// A hand-written retry (loop, <c>goto</c>, recursion): what repeats, how it is bounded, how it waits,
/// and the syntax the code fixes need.
/// </summary>
public sealed class RetryConstruct
{
    public RetryConstruct(
        RetryConstructKind kind,
        Location reportLocation,
        AttemptBound bound,
        DelayModel delay,
        SyntaxNode? tryStatement,
        ImmutableArray<int> failureCatches,
        SyntaxNode? delayCall,
        bool isBackgroundRecovery = false,
        Location? everyExceptionCatch = null)
    {
        EveryExceptionCatch = everyExceptionCatch;
        IsBackgroundRecovery = isBackgroundRecovery;
        Kind = kind;
        ReportLocation = reportLocation;
        Bound = bound;
        Delay = delay;
        TryStatement = tryStatement;
        FailureCatches = failureCatches;
        DelayCall = delayCall;
    }

    public RetryConstructKind Kind { get; }

    /// <summary>
    /// RULES.md, RES001: a loop that returns nothing to a waiting caller (its method returns <c>void</c> or a plain
    /// <c>Task</c>) and whose wait grows to a cap: it reconnects or probes at most once per cap interval for as long
    /// as the dependency is down, by design. It is exempt from the attempt limit, not from jitter.
    /// </summary>
    public bool IsBackgroundRecovery { get; }

    public Location ReportLocation { get; }

    public AttemptBound Bound { get; }

    public DelayModel Delay { get; }

    /// <summary>The <c>try</c> whose failure repeats.</summary>
    public SyntaxNode? TryStatement { get; }

    /// <summary>Indexes of the catch clauses from which the retry goes round again.</summary>
    public ImmutableArray<int> FailureCatches { get; }

    /// <summary>RES005: the <c>catch</c> keyword of a clause that goes round on every exception and decides nothing about it.</summary>
    public Location? EveryExceptionCatch { get; }

    /// <summary>The one delay call on the failure path, when there is exactly one.</summary>
    public SyntaxNode? DelayCall { get; }
}
