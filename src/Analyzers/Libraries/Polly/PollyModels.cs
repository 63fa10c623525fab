using Microsoft.CodeAnalysis;
using ResilienceAnalyzers.Retry;

namespace ResilienceAnalyzers.Libraries.Polly;

/// <summary>A Polly v7 retry policy call (<c>Retry*</c>, <c>WaitAndRetry*</c>) and how it waits.</summary>
public sealed class PollyV7Policy
{
    public PollyV7Policy(string methodName, Location nameLocation, bool isForever, int? retryCount, DelayModel delay, int countArgument, int delayArgument, Location? everyExceptionHandle = null)
    {
        EveryExceptionHandle = everyExceptionHandle;
        MethodName = methodName;
        NameLocation = nameLocation;
        IsForever = isForever;
        RetryCount = retryCount;
        Delay = delay;
        CountArgument = countArgument;
        DelayArgument = delayArgument;
    }

    public string MethodName { get; }

    /// <summary>The method name token, where every diagnostic on the policy goes.</summary>
    public Location NameLocation { get; }

    /// <summary><c>RetryForever*</c>, <c>WaitAndRetryForever*</c>.</summary>
    public bool IsForever { get; }

    /// <summary>The number of retries when it is a constant or a visible table; null when unknown or forever.</summary>
    public int? RetryCount { get; }

    /// <summary>No wait for <c>Retry*</c>; the sleep durations' verdict for <c>WaitAndRetry*</c>.</summary>
    public DelayModel Delay { get; }

    /// <summary>RES005: <c>Handle&lt;Exception&gt;()</c> or <c>Or&lt;Exception&gt;()</c> with no predicate in the policy's builder chain.</summary>
    public Location? EveryExceptionHandle { get; }

    /// <summary>Index in the syntax argument list of the retry count, or -1.</summary>
    public int CountArgument { get; }

    /// <summary>Index in the syntax argument list of the sleep-duration provider or sleep durations, or -1.</summary>
    public int DelayArgument { get; }
}

/// <summary>Which options a <see cref="PollyOptionsModel"/> describes; each has its own defaults.</summary>
public enum PollyOptionsKind
{
    /// <summary>Polly.Core <c>RetryStrategyOptions</c> or <c>RetryStrategyOptions&lt;T&gt;</c>.</summary>
    RetryStrategyOptions,

    /// <summary>Microsoft.Extensions.Http.Resilience <c>HttpRetryStrategyOptions</c> created with <c>new</c>.</summary>
    HttpRetryStrategyOptions,

    /// <summary>The standard handler's <c>Retry</c> options, set in a configure lambda.</summary>
    StandardHandler,
}

/// <summary>Polly v8 <c>DelayBackoffType</c>, plus "cannot be seen".</summary>
public enum BackoffKind
{
    Unknown,
    Constant,
    Linear,
    Exponential,
}

/// <summary>
/// The effective value of one retry setting: the type's default, or the last assignment that certainly runs.
/// A value the compilation cannot show (configuration, a conditional assignment) is unknown.
/// </summary>
public sealed class OptionSetting<T>
    where T : struct
{
    private OptionSetting(T? value, SyntaxNode? assignment)
    {
        Value = value;
        Assignment = assignment;
    }

    /// <summary>Null when unknown.</summary>
    public T? Value { get; }

    /// <summary>The assignment that sets it (<c>Delay = ...</c> in an initializer, <c>options.Delay = ...</c>), or null for the default.</summary>
    public SyntaxNode? Assignment { get; }

    public bool IsDefault => Assignment is null;

    public static OptionSetting<T> Default(T? value) => new(value, assignment: null);

    public static OptionSetting<T> Assigned(T? value, SyntaxNode assignment) => new(value, assignment);
}

/// <summary>The effective retry settings of one Polly v8 options object (DESIGN.md: effective values, not spelling).</summary>
public sealed class PollyOptionsModel
{
    public PollyOptionsModel(
        PollyOptionsKind kind,
        string subject,
        SyntaxNode? creation,
        Location? creationLocation,
        OptionSetting<int> maxRetryAttempts,
        OptionSetting<BackoffKind> backoffType,
        OptionSetting<bool> useJitter,
        OptionSetting<double> delayMilliseconds,
        SyntaxNode? delayGeneratorAssignment,
        DelayModel? delayGenerator,
        OptionSetting<double> maxDelayMilliseconds,
        OptionSetting<bool> handlesEveryException)
    {
        MaxDelayMilliseconds = maxDelayMilliseconds;
        HandlesEveryException = handlesEveryException;
        Kind = kind;
        Subject = subject;
        Creation = creation;
        CreationLocation = creationLocation;
        MaxRetryAttempts = maxRetryAttempts;
        BackoffType = backoffType;
        UseJitter = useJitter;
        DelayMilliseconds = delayMilliseconds;
        DelayGeneratorAssignment = delayGeneratorAssignment;
        DelayGenerator = delayGenerator;
    }

    /// <summary>A copy, for setting what the surroundings add (<see cref="RunsInsideATimeout"/>, <see cref="StopsWhenACircuitOpens"/>).</summary>
    public PollyOptionsModel(PollyOptionsModel other)
        : this(other.Kind, other.Subject, other.Creation, other.CreationLocation, other.MaxRetryAttempts, other.BackoffType,
            other.UseJitter, other.DelayMilliseconds, other.DelayGeneratorAssignment, other.DelayGenerator, other.MaxDelayMilliseconds, other.HandlesEveryException)
    {
    }

    public PollyOptionsKind Kind { get; }

    /// <summary>How messages name the options, e.g. <c>'RetryStrategyOptions'</c>.</summary>
    public string Subject { get; }

    /// <summary>The object creation, when the options are created with <c>new</c>.</summary>
    public SyntaxNode? Creation { get; }

    /// <summary>From <c>new</c> through the type or argument list, without the initializer.</summary>
    public Location? CreationLocation { get; }

    public OptionSetting<int> MaxRetryAttempts { get; }

    public OptionSetting<BackoffKind> BackoffType { get; }

    public OptionSetting<bool> UseJitter { get; }

    public OptionSetting<double> DelayMilliseconds { get; }

    /// <summary><c>MaxDelay</c>: positive infinity when it is not set (Polly's default, no cap), null when it cannot be seen.</summary>
    public OptionSetting<double> MaxDelayMilliseconds { get; }

    /// <summary>
    /// <c>ShouldHandle</c> lets every exception through to the retry (RES005): the <c>RetryStrategyOptions</c> default
    /// (every exception but <c>OperationCanceledException</c>), <c>Handle&lt;Exception&gt;()</c>, a predicate that is always true.
    /// </summary>
    public OptionSetting<bool> HandlesEveryException { get; }

    /// <summary>The assignment of <c>DelayGenerator</c>, when there is one.</summary>
    public SyntaxNode? DelayGeneratorAssignment { get; }

    /// <summary>The generator's verdict when one is assigned (unknown unless a visible lambda); null when none is.</summary>
    public DelayModel? DelayGenerator { get; }

    /// <summary>
    /// The options go to an <c>AddRetry</c> of a pipeline that adds a timeout before it (<c>.AddTimeout(20 s).AddRetry(…)</c>):
    /// the timeout is the outer strategy, so all attempts together end at its deadline.
    /// </summary>
    public bool RunsInsideATimeout { get; init; }

    /// <summary>
    /// <c>ShouldHandle</c> leaves out <c>BrokenCircuitException</c> (<c>Handle&lt;Exception&gt;(ex =&gt; ex is not
    /// BrokenCircuitException)</c>): the retry ends when the circuit breaker it runs around opens, so the breaker's
    /// failure threshold bounds it.
    /// </summary>
    public bool StopsWhenACircuitOpens { get; init; }
}
