using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Retry;

namespace ResilienceAnalyzers.Libraries.Azure;

/// <summary>
/// Azure SDK <c>ClientOptions.Retry</c> (<c>Azure.Core.RetryOptions</c>): one setting at a time, where it is assigned.
/// </summary>
/// <remarks>
/// Read in Azure/azure-sdk-for-net sdk/core/Azure.Core (1.4x-1.64): defaults <c>MaxRetries = 3</c>, <c>Delay = 0.8 s</c>,
/// <c>MaxDelay = 1 min</c>, <c>Mode = Exponential</c>; <c>HttpPipelineBuilder</c> maps <c>Exponential</c> to
/// <c>DelayStrategy.CreateExponentialDelayStrategy(Delay, MaxDelay)</c> (doubling, ±20 % jitter, capped) and <c>Fixed</c> to
/// <c>CreateFixedDelayStrategy(Delay)</c> (the same wait, jittered, every time). What is retried is the pipeline's response
/// classifier (408, 429, 500, 502, 503, 504, transport failures): never RES005. The defaults are safe and stay silent.
/// </remarks>
internal static class AzureRetry
{
    /// <summary>
    /// RES006: what a client lets out once its retries give up. Read in Azure/azure-sdk-for-net sdk/core/Azure.Core/src
    /// (Pipeline/RetryPolicy.cs, ResponseClassifier.cs, 1.4x-1.64): a retriable error response on the last attempt becomes the
    /// client's <c>RequestFailedException</c>; when attempts threw, the policy rethrows the exception as it is if only one attempt
    /// threw, else an <c>AggregateException</c> of them all. What it retries on an exception is an <c>IOException</c>, a
    /// <c>RequestFailedException</c> of status 0 (the transport's <c>HttpRequestException</c>, wrapped) and an
    /// <c>OperationCanceledException</c> the caller did not ask for (the HTTP client's <c>TaskCanceledException</c> on a timeout).
    /// </summary>
    public static readonly SdkFailureType[] Failures =
    {
        SdkFailureType.Own("Azure.Core", "Azure.RequestFailedException"),
        SdkFailureType.Framework("System.AggregateException"),
        SdkFailureType.Framework("System.IO.IOException"),
        SdkFailureType.Framework("System.OperationCanceledException"),
        SdkFailureType.Framework("System.Threading.Tasks.TaskCanceledException"),
    };

    public static bool IsCandidateName(string name) => name is "MaxRetries" or "Mode" or "Delay";

    public static LibraryRetrySettings? Recognize(ISimpleAssignmentOperation assignment, LibraryRetryTypes types)
    {
        if (assignment.Target is not IPropertyReferenceOperation { Property: { } property }
            || !IsCandidateName(property.Name)
            || !SymbolEqualityComparer.Default.Equals(property.ContainingType, types.AzureRetryOptions))
        {
            return null;
        }

        var subject = "'RetryOptions." + property.Name + "'";
        var location = assignment.Syntax.GetLocation();
        switch (property.Name)
        {
            case "MaxRetries" when assignment.Value.ConstantValue is { HasValue: true, Value: int retries }:
                return new LibraryRetrySettings(subject)
                {
                    Retries = retries,
                    Unbounded = retries == int.MaxValue,
                    RetriesLocation = location,
                    FixHints = ImmutableDictionary<string, string?>.Empty.SetItem(RetryFixHintKeys.CountPosition, ResilienceAnalyzers.Common.FixHintSpan.Format(assignment.Value.Syntax)),
                };
            case "Mode" when IsEnumMember(assignment.Value, "Fixed"):
                return new LibraryRetrySettings(subject)
                {
                    Delay = new DelayModel(DelayKind.Constant, JitterKind.Real, location: null),
                    DelayLocation = location,
                    FixHints = ImmutableDictionary<string, string?>.Empty
                        .SetItem(RetryFixHintKeys.ReplaceSpan, ResilienceAnalyzers.Common.FixHintSpan.Format(assignment.Value.Syntax))
                        .SetItem(RetryFixHintKeys.ReplaceWith, "Azure.Core.RetryMode.Exponential"),
                };
            case "Delay" when TimeValue.TryGetMilliseconds(assignment.Value) == 0:
                return new LibraryRetrySettings(subject)
                {
                    Delay = DelayModel.Immediate,
                    DelayLocation = location,
                };
            default:
                return null;
        }
    }

    private static bool IsEnumMember(IOperation value, string name)
        => value is IFieldReferenceOperation { Field: { Name: var field, ContainingType.TypeKind: TypeKind.Enum } } && field == name;
}
