using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Retry;

namespace ResilienceAnalyzers.Libraries.EfCore;

/// <summary>
/// EF Core <c>EnableRetryOnFailure</c> (SQL Server, Azure SQL, Npgsql and Pomelo MySQL providers): the retrying execution
/// strategy it installs.
/// </summary>
/// <remarks>
/// Read in dotnet/efcore src/EFCore/Storage/ExecutionStrategy.cs (v8.0.0 to v10.0.11, same lines), npgsql/efcore.pg
/// v10.0.3 and Pomelo 9.0.0:
/// <list type="bullet">
/// <item><c>DefaultMaxRetryCount = 6</c> retries, <c>DefaultMaxDelay = 30 s</c>; negative counts and delays throw.</item>
/// <item><c>GetNextDelay</c>: <c>min(1 s × (2ⁿ − 1) × (1 + 0.1 × Random.NextDouble()), maxRetryDelay)</c>: exponential, upward
/// jitter of up to 10 %, capped, so RES003 and RES004 never apply; the API offers no jitter switch anyway.</item>
/// <item><c>maxRetryDelay: TimeSpan.Zero</c> makes every retry immediate (RES002).</item>
/// <item>What it retries is the provider's transient-error list (<c>errorNumbersToAdd</c> only adds to it): never RES005.</item>
/// </list>
/// </remarks>
internal static class EfCoreRetry
{
    public const int DefaultMaxRetryCount = 6;

    public static LibraryRetrySettings? Recognize(IInvocationOperation invocation, LibraryRetryTypes types)
    {
        var method = invocation.TargetMethod;
        var enable = method.Name == "EnableRetryOnFailure"
                     && method.ContainingType is { Name: var builder } && builder.EndsWith("DbContextOptionsBuilder", System.StringComparison.Ordinal);

        // A strategy of one's own passes its count and cap to the base constructor: : base(dependencies, maxRetryCount: 20, …).
        var derived = method.MethodKind == MethodKind.Constructor && invocation.Parent is not IObjectCreationOperation
                      && ResilienceAnalyzers.Common.TypeFacts.DerivesFromDefinition(method.ContainingType, types.EfCoreExecutionStrategy);
        if (types.EfCoreExecutionStrategy is null || !(enable || derived))
        {
            return null;
        }

        long? retries = DefaultMaxRetryCount;
        Location? retriesLocation = null;
        var delay = new DelayModel(DelayKind.Growing, JitterKind.Real, location: null);
        Location? delayLocation = null;
        var hints = System.Collections.Immutable.ImmutableDictionary<string, string?>.Empty;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }

            switch (argument.Parameter?.Name)
            {
                case "maxRetryCount":
                    retries = argument.Value.ConstantValue is { HasValue: true, Value: int count } ? count : null;
                    retriesLocation = argument.Value.Syntax.GetLocation();
                    hints = hints.SetItem(RetryFixHintKeys.CountPosition, ResilienceAnalyzers.Common.FixHintSpan.Format(argument.Value.Syntax));
                    break;
                case "maxRetryDelay":
                    if (TimeValue.TryGetMilliseconds(argument.Value) is { } milliseconds)
                    {
                        delay = milliseconds == 0 ? DelayModel.Immediate : delay;
                        delayLocation = argument.Value.Syntax.GetLocation();
                    }

                    break;
            }
        }

        return new LibraryRetrySettings(enable ? "'EnableRetryOnFailure'" : "'" + method.ContainingType.Name + "'")
        {
            Retries = retries,
            Unbounded = retries == int.MaxValue,
            RetriesLocation = retriesLocation,
            Delay = delay,
            DelayLocation = delayLocation,
            FixHints = hints,
        };
    }
}
