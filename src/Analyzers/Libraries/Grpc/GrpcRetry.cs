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
