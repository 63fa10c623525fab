using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Retry;

namespace ResilienceAnalyzers.Libraries.Redis;

/// <summary>StackExchange.Redis reconnect policies: <c>LinearRetry</c> and <c>ExponentialRetry</c>.</summary>
/// <remarks>
/// Read in StackExchange/StackExchange.Redis src/StackExchange.Redis (2.13.17 and 3.1.31, identical): the multiplexer
/// reconnects for as long as the connection is down, paced by the policy on each heartbeat (a background recovery, never
/// RES001). <c>LinearRetry(ms)</c> reconnects every <c>ms</c>, with no growth and no jitter (RES002).
/// <c>ExponentialRetry(delta[, max])</c> waits a random time in [delta, min(max, delta × 1.1ⁿ)) with max defaulting to
/// 10 s: jittered and capped; <c>ExponentialRetry(0, …)</c> reconnects on every heartbeat and <c>ExponentialRetry(d, d)</c>
/// always waits d (both RES002). The default policy, <c>ExponentialRetry(ConnectTimeout / 2)</c>, is safe.
/// </remarks>
internal static class RedisRetry
{
    public static LibraryRetrySettings? Recognize(IObjectCreationOperation creation, LibraryRetryTypes types)
    {
        if (creation.Syntax is not BaseObjectCreationExpressionSyntax syntax)
        {
            return null;
        }

        var location = ResilienceAnalyzers.Common.CreationLocation.Of(syntax, withArguments: false);
        if (SymbolEqualityComparer.Default.Equals(creation.Type, types.RedisLinearRetry))
        {
            return Reconnects("'LinearRetry'", new DelayModel(DelayKind.Constant, JitterKind.None, location: null), location);
        }

        if (!SymbolEqualityComparer.Default.Equals(creation.Type, types.RedisExponentialRetry))
        {
            return null;
        }

        long? delta = null;
        long? max = null;
        foreach (var argument in creation.Arguments)
        {
            var value = argument.Value.ConstantValue is { HasValue: true, Value: int milliseconds } ? milliseconds : (long?)null;
            switch (argument.Parameter?.Name)
            {
                case "deltaBackOffMilliseconds":
                    delta = value;
                    break;
                case "maxDeltaBackOffMilliseconds":
                    max = value;
                    break;
            }
        }

        if (delta == 0)
        {
            return Reconnects("'ExponentialRetry'", DelayModel.Immediate, location);
        }

        return delta is not null && delta == max
            ? Reconnects("'ExponentialRetry'", new DelayModel(DelayKind.Constant, JitterKind.None, location: null), location)
            : null;
    }

    /// <summary>
    /// <c>ConfigurationOptions.ConnectRetry</c> (3 by default): how many times the first connect cycle is repeated when no
    /// server answers, each cycle waiting its connect timeout (no pace to judge, only the count).
    /// </summary>
    public static LibraryRetrySettings? Recognize(ISimpleAssignmentOperation assignment, LibraryRetryTypes types)
    {
        if (assignment.Target is not IPropertyReferenceOperation { Property: { Name: "ConnectRetry" } property }
            || !SymbolEqualityComparer.Default.Equals(property.ContainingType, types.RedisConfigurationOptions)
            || assignment.Value.ConstantValue is not { HasValue: true, Value: int retries })
        {
            return null;
        }

        return new LibraryRetrySettings("'ConnectRetry'")
        {
            Retries = retries,
            RetriesLocation = assignment.Syntax.GetLocation(),
            FixHints = System.Collections.Immutable.ImmutableDictionary<string, string?>.Empty
                .SetItem(RetryFixHintKeys.CountPosition, ResilienceAnalyzers.Common.FixHintSpan.Format(assignment.Value.Syntax)),
        };
    }

    private static LibraryRetrySettings Reconnects(string subject, DelayModel delay, Location location)
        => new(subject) { Delay = delay, DelayLocation = location };
}
