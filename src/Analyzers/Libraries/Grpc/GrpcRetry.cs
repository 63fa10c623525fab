using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Retry;

namespace ResilienceAnalyzers.Libraries.Grpc;

/// <summary>gRPC for .NET service-config <c>RetryPolicy.BackoffMultiplier</c>, where it is assigned.</summary>
/// <remarks>
/// Read in grpc/grpc-dotnet src/Grpc.Net.Client/Internal/Retry/RetryCall.cs (2.5x-2.85): the wait before a retry is random in
/// [0, backoff), and backoff = min(InitialBackoff × BackoffMultiplierⁿ, MaxBackoff); <c>MaxBackoff</c> is required. So the
/// delay is always jittered and capped (never RES003 or RES004), and a multiplier of 1 or less keeps it from growing
/// (RES002). <c>MaxAttempts</c> is capped by the channel's <c>MaxRetryAttempts</c> (5 by default): not judged by count here.
/// What is retried is <c>RetryableStatusCodes</c>: never RES005.
/// </remarks>
internal static class GrpcRetry
{
    /// <summary>
    /// RES006: what a call lets out once the channel's retries give up. Read in grpc/grpc-dotnet
    /// src/Grpc.Net.Client/Internal/Retry/RetryCall.cs (2.5x-2.85): the call fails with the last attempt's status, an
    /// <c>RpcException</c> (a deadline too: <c>StatusCode.DeadlineExceeded</c>).
    /// </summary>
    public static readonly SdkFailureType[] Failures =
    {
        SdkFailureType.Own("Grpc.Core.Api", "Grpc.Core.RpcException"),
        SdkFailureType.Framework("System.AggregateException"),
    };

    /// <summary>
    /// <c>HedgingPolicy</c>: "the first call is sent immediately, the subsequent hedged calls at intervals of
    /// <c>HedgingDelay</c>; 0 or null sends all hedged calls immediately" (grpc-dotnet Configuration/HedgingPolicy.cs). With no
    /// delay every call goes out <c>MaxAttempts</c> times at once, failing or not (RES002). Judged on an initializer seen whole,
    /// or on an explicit zero.
    /// </summary>
    public static LibraryRetrySettings? Recognize(IObjectCreationOperation creation, LibraryRetryTypes types)
    {
        if (!SymbolEqualityComparer.Default.Equals(creation.Type, types.GrpcHedgingPolicy)
            || creation.Initializer is not { } initializer
            || creation.Syntax is not Microsoft.CodeAnalysis.CSharp.Syntax.BaseObjectCreationExpressionSyntax syntax
            || ResilienceAnalyzers.Common.OperationTree.Outer(creation).Parent is not (IArgumentOperation or IPropertyInitializerOperation or ISimpleAssignmentOperation { Target: IPropertyReferenceOperation }))
        {
            return null;
        }

        foreach (var member in initializer.Initializers)
        {
            if (member is IAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "HedgingDelay" } } delay)
            {
                var value = ResilienceAnalyzers.Common.OperationTree.Unwrap(delay.Value) ?? delay.Value;
                return value.ConstantValue is { HasValue: true, Value: null } || TimeValue.TryGetMilliseconds(value) == 0
                    ? Hedges(delay.Syntax.GetLocation())
                    : null;
            }
        }

        return Hedges(ResilienceAnalyzers.Common.CreationLocation.Of(syntax, withArguments: false));
    }

    private static LibraryRetrySettings Hedges(Location location)
        => new("'HedgingPolicy'") { Delay = DelayModel.Immediate, DelayLocation = location };

    public static LibraryRetrySettings? Recognize(ISimpleAssignmentOperation assignment, LibraryRetryTypes types)
    {
        if (assignment.Target is not IPropertyReferenceOperation { Property: { Name: "BackoffMultiplier" } property }
            || !SymbolEqualityComparer.Default.Equals(property.ContainingType, types.GrpcRetryPolicy)
            || (ResilienceAnalyzers.Common.OperationTree.Unwrap(assignment.Value) ?? assignment.Value).ConstantValue is not { HasValue: true, Value: { } constant }
            || System.Convert.ToDouble(constant, System.Globalization.CultureInfo.InvariantCulture) > 1)
        {
            return null;
        }

        return new LibraryRetrySettings("'RetryPolicy.BackoffMultiplier'")
        {
            Delay = new DelayModel(DelayKind.Constant, JitterKind.Real, location: null),
            DelayLocation = assignment.Syntax.GetLocation(),
        };
    }
}
