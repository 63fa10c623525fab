using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Retry;

namespace ResilienceAnalyzers.Libraries.SqlClient;

/// <summary>Microsoft.Data.SqlClient configurable retry logic: <c>SqlRetryLogicOption</c> and the fixed-interval provider.</summary>
/// <remarks>
/// Read in dotnet/SqlClient src/Microsoft.Data.SqlClient/src/Microsoft/Data/SqlClient/Reliability (5.2.2 to 7.1, the interval
/// enumerators identical):
/// <list type="bullet">
/// <item><c>NumberOfTries</c> counts every attempt (1 to 60), so it allows <c>NumberOfTries − 1</c> retries.</item>
/// <item>The base enumerator computes a next interval only while <c>Current &lt; MaxTimeInterval</c>: with
/// <c>MaxTimeInterval</c> left at its default <c>TimeSpan.Zero</c>, every provider retries immediately (confirmed by running
/// 7.0.3).</item>
/// <item><c>CreateFixedRetryProvider</c> waits <c>DeltaTime</c> ±20 % each time: a delay that does not grow (RES002).</item>
/// <item>Exponential and incremental providers are jittered (±20 %) and capped (≤ 120 s): nothing else to report.</item>
/// <item>What is retried is the built-in transient error list, or the caller's <c>TransientErrors</c>: never RES005.</item>
/// </list>
/// </remarks>
internal static class SqlClientRetry
{
    /// <summary><c>new SqlRetryLogicOption { … }</c>: its count, and a maximum interval that is missing or zero.</summary>
    public static LibraryRetrySettings? Recognize(IObjectCreationOperation creation, LibraryRetryTypes types)
    {
        if (!SymbolEqualityComparer.Default.Equals(creation.Type, types.SqlRetryLogicOption) || creation.Initializer is not { } initializer)
        {
            return null;
        }

        long? retries = null;
        Location? retriesLocation = null;
        var hints = ImmutableDictionary<string, string?>.Empty;
        double? maxInterval = 0;
        Location? maxIntervalLocation = null;
        double? delta = 0;
        Location? deltaLocation = null;
        double? minInterval = 0;
        foreach (var member in initializer.Initializers)
        {
            if (member is not ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: var name } } assignment)
            {
                continue;
            }

            switch (name)
            {
                case "NumberOfTries":
                    retries = assignment.Value.ConstantValue is { HasValue: true, Value: int tries } ? tries - 1 : null;
                    retriesLocation = assignment.Syntax.GetLocation();
                    hints = hints.SetItem(RetryFixHintKeys.CountPosition, ResilienceAnalyzers.Common.FixHintSpan.Format(assignment.Value.Syntax))
                        .SetItem(RetryFixHintKeys.CountsFirstAttempt, "true");
                    break;
                case "MaxTimeInterval":
                    maxInterval = TimeValue.TryGetMilliseconds(assignment.Value);
                    maxIntervalLocation = assignment.Syntax.GetLocation();
                    break;
                case "DeltaTime":
                    delta = TimeValue.TryGetMilliseconds(assignment.Value);
                    deltaLocation = assignment.Syntax.GetLocation();
                    break;
                case "MinTimeInterval":
                    minInterval = TimeValue.TryGetMilliseconds(assignment.Value);
                    break;
            }
        }

        // Set later on a local (options.MaxTimeInterval = …) or handed to code that may set it: not seen whole.
        if (!IsSeenWhole(creation))
        {
            maxInterval = maxIntervalLocation is null ? null : maxInterval;
            delta = deltaLocation is null ? null : delta;
        }

        // No maximum: no interval is ever computed. No delta: every interval is MinTimeInterval (0 by default).
        DelayModel delay;
        Location? delayLocation;
        if (maxInterval == 0)
        {
            delay = DelayModel.Immediate;
            delayLocation = maxIntervalLocation ?? ResilienceAnalyzers.Common.CreationLocation.Of(creation.Syntax, withArguments: false);
        }
        else if (delta == 0 && minInterval is { } minimum)
        {
            delay = minimum == 0 ? DelayModel.Immediate : new DelayModel(DelayKind.Constant, JitterKind.None, location: null);
            delayLocation = deltaLocation ?? ResilienceAnalyzers.Common.CreationLocation.Of(creation.Syntax, withArguments: false);
        }
        else
        {
            delay = DelayModel.Unknown;
            delayLocation = null;
        }

        return new LibraryRetrySettings("'SqlRetryLogicOption'")
        {
            Retries = retries,
            RetriesLocation = retriesLocation,
            Delay = delay,
            DelayLocation = delayLocation,
            FixHints = hints,
        };
    }

    /// <summary>
    /// <c>SqlConnectionStringBuilder.ConnectRetryCount</c> (1 by default, at most 255): how often a dead idle connection is
    /// reopened, and the login retried on Azure SQL's transient errors, <c>ConnectRetryInterval</c> apart (fixed by design,
    /// so its pace is not judged).
    /// </summary>
    public static LibraryRetrySettings? Recognize(ISimpleAssignmentOperation assignment, LibraryRetryTypes types)
    {
        if (assignment.Target is not IPropertyReferenceOperation { Property: { Name: "ConnectRetryCount" } property }
            || !SymbolEqualityComparer.Default.Equals(property.ContainingType, types.SqlConnectionStringBuilder)
            || assignment.Value.ConstantValue is not { HasValue: true, Value: int retries })
        {
            return null;
        }

        return new LibraryRetrySettings("'ConnectRetryCount'")
        {
            Retries = retries,
            RetriesLocation = assignment.Syntax.GetLocation(),
            FixHints = ImmutableDictionary<string, string?>.Empty.SetItem(RetryFixHintKeys.CountPosition, ResilienceAnalyzers.Common.FixHintSpan.Format(assignment.Value.Syntax)),
        };
    }

    /// <summary><c>SqlConfigurableRetryFactory.CreateFixedRetryProvider(…)</c>: the same wait every time.</summary>
    public static LibraryRetrySettings? Recognize(IInvocationOperation invocation, LibraryRetryTypes types)
    {
        if (invocation.TargetMethod is not { Name: "CreateFixedRetryProvider" } method
            || !SymbolEqualityComparer.Default.Equals(method.ContainingType, types.SqlConfigurableRetryFactory)
            || invocation.Syntax is not Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax { Expression: Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access })
        {
            return null;
        }

        return new LibraryRetrySettings("'CreateFixedRetryProvider'")
        {
            Delay = new DelayModel(DelayKind.Constant, JitterKind.Real, location: null),
            DelayLocation = access.Name.GetLocation(),
        };
    }

    /// <summary>Passed straight to a call, or a local that is only passed on: no later assignment can change it.</summary>
    private static bool IsSeenWhole(IObjectCreationOperation creation)
    {
        var value = OperationTree.Outer(creation);
        if (value.Parent is IArgumentOperation)
        {
            return true;
        }

        if (value.Parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: var local } })
        {
            return false;
        }

        return !OperationTree.Any(OperationTree.Root(creation), o => o is ILocalReferenceOperation reference
            && SymbolEqualityComparer.Default.Equals(reference.Local, local)
            && OperationTree.Outer(reference).Parent is not IArgumentOperation);
    }
}
