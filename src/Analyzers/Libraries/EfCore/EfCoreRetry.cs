using System.Linq;
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
    /// <summary>
    /// RES006: what a context lets out once its retries give up. Read in dotnet/efcore src/EFCore/Storage/ExecutionStrategy.cs
    /// (8.0-10.0): a failure it does not retry is rethrown at once; one it retried throws, once <c>GetNextDelay</c> gives no
    /// more delay, a <c>RetryLimitExceededException</c> wrapping the last one (it derives from <c>Exception</c>, not from
    /// <c>DbUpdateException</c>).
    /// </summary>
    public static readonly SdkFailureType[] Failures =
    {
        SdkFailureType.Own("Microsoft.EntityFrameworkCore", "Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException"),
        SdkFailureType.Framework("System.AggregateException"),
    };

    public const int DefaultMaxRetryCount = 6;

    /// <summary>
    /// The <c>GetNextDelay</c> override of a strategy of one's own, judged like a delay lambda: the attempt is
    /// <c>ExceptionsEncountered.Count</c>; a call to <c>base.GetNextDelay</c> or anything else unseen leaves it unknown.
    /// </summary>
    public static LibraryRetrySettings? RecognizeNextDelay(IMethodBodyOperation body, IMethodSymbol method, LibraryRetryTypes types, ResilienceAnalyzers.Common.KnownTypes known)
    {
        if (method is not { Name: "GetNextDelay", IsOverride: true } || types.EfCoreExecutionStrategy is not { } strategy
            || !ResilienceAnalyzers.Common.TypeFacts.DerivesFromDefinition(method.ContainingType, strategy)
            || (body.BlockBody ?? body.ExpressionBody) is not { } block
            || method.DeclaringSyntaxReferences.Length != 1
            || method.DeclaringSyntaxReferences[0].GetSyntax() is not Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax declaration
            || strategy.GetMembers("ExceptionsEncountered").FirstOrDefault() is not { } encountered)
        {
            return null;
        }

        var scope = new RetryScope(known, block, new Microsoft.CodeAnalysis.Text.TextSpan(block.Syntax.SpanStart, 0), new[] { encountered });
        var verdict = DelayValue.Constant;
        var returned = false;
        foreach (var operation in ResilienceAnalyzers.Common.OperationTree.Descendants(block))
        {
            if (operation is IReturnOperation { Kind: OperationKind.Return, ReturnedValue: { } value })
            {
                var unwrapped = ResilienceAnalyzers.Common.OperationTree.Unwrap(value) ?? value;
                if (unwrapped.ConstantValue is { HasValue: true, Value: null } || unwrapped is IDefaultValueOperation)
                {
                    // null ends the retries: not a wait.
                    continue;
                }

                returned = true;
                verdict = verdict.Combine(DelayValueClassifier.Classify(unwrapped, scope));
            }
        }

        return returned
            ? new LibraryRetrySettings("'" + method.ContainingType.Name + ".GetNextDelay'")
            {
                Delay = verdict.ToModel(location: null),
                DelayLocation = declaration.Identifier.GetLocation(),
            }
            : null;
    }

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
