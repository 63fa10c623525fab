using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Retry;

namespace ResilienceAnalyzers.Libraries.Aws;

/// <summary>AWS SDK for .NET <c>ClientConfig.MaxErrorRetry</c>, where it is assigned.</summary>
/// <remarks>
/// Read in aws/aws-sdk-net sdk/src/Core/Amazon.Runtime (3.7 and 4.0): <c>MaxErrorRetry</c> is the number of retries (3 by
/// default in standard mode, some services more); the standard and adaptive modes back off exponentially with full
/// jitter, capped at 20 s, and retry the SDK's own throttling and transient set (never RES005). A retry quota shared by
/// the client limits retries under sustained failure, but it refills, so it is no attempt limit. <c>RetryMode</c> comes
/// from the environment or the profile when code does not set it (certain or silent: the default is not judged).
/// </remarks>
internal static class AwsRetry
{
    /// <summary>
    /// RES006: what a client lets out once its retries give up. Read in aws/aws-sdk-net sdk/src/Core/Amazon.Runtime/Pipeline
    /// (RetryHandler/RetryHandler.cs, RetryHandler/RetryPolicy.cs, 3.7 and 4.0): the handler rethrows the last exception as it
    /// is, and <c>IsTransientError</c> retries an <c>AmazonServiceException</c> (5xx, throttling, timeouts), an <c>IOException</c>
    /// but <c>FileNotFoundException</c>, a <c>WebException</c>, an <c>HttpRequestException</c>, an <c>OperationCanceledException</c> or
    /// <c>TimeoutException</c> of the HTTP client, an SSL <c>AuthenticationException</c>, an <c>ObjectDisposedException</c>, or an
    /// exception wrapping one of these (the client's own <c>AmazonClientException</c>). A task waited on synchronously wraps any
    /// of them in an <c>AggregateException</c>.
    /// </summary>
    public static readonly SdkFailureType[] Failures =
    {
        SdkFailureType.Own("AWSSDK.Core", "Amazon.Runtime.AmazonServiceException"),
        SdkFailureType.Own("AWSSDK.Core", "Amazon.Runtime.AmazonClientException"),
        SdkFailureType.Framework("System.IO.IOException"),
        SdkFailureType.Framework("System.Net.WebException", "System.Net.Requests"),
        SdkFailureType.Framework("System.Net.Http.HttpRequestException", "System.Net.Http"),
        SdkFailureType.Framework("System.OperationCanceledException"),
        SdkFailureType.Framework("System.Threading.Tasks.TaskCanceledException"),
        SdkFailureType.Framework("System.TimeoutException"),
        SdkFailureType.Framework("System.Security.Authentication.AuthenticationException", "System.Net.Primitives"),
        SdkFailureType.Framework("System.ObjectDisposedException"),
        SdkFailureType.Framework("System.AggregateException"),
    };

    public static LibraryRetrySettings? Recognize(ISimpleAssignmentOperation assignment, LibraryRetryTypes types)
    {
        // v3's legacy mode (the member is gone in v4): exponential ×4 from 100 ms, capped at 30 s, with no jitter; the
        // standard mode is the same SDK's jittered backoff, so the API offers the jitter (RES003).
        if (assignment.Target is IPropertyReferenceOperation { Property.Name: "RetryMode" } mode
            && ResilienceAnalyzers.Common.TypeFacts.DerivesFromDefinition(mode.Instance?.Type ?? mode.Property.ContainingType, types.AwsClientConfig)
            && assignment.Value is IFieldReferenceOperation { Field: { Name: "Legacy", ContainingType: { TypeKind: TypeKind.Enum } legacy } }
            && legacy.GetMembers("Standard").Length > 0)
        {
            return new LibraryRetrySettings("'RetryMode'")
            {
                Delay = new DelayModel(DelayKind.Growing, JitterKind.None, location: null)
                    .WithGrowth(new DelayGrowth(isCapped: true, largestBeforeLimitMilliseconds: null, growingExpression: null)),
                DelayLocation = assignment.Syntax.GetLocation(),
                FixHints = ImmutableDictionary<string, string?>.Empty
                    .SetItem(RetryFixHintKeys.ReplaceSpan, ResilienceAnalyzers.Common.FixHintSpan.Format(assignment.Value.Syntax))
                    .SetItem(RetryFixHintKeys.ReplaceWith, legacy.ToDisplayString() + ".Standard"),
            };
        }

        if (assignment.Target is not IPropertyReferenceOperation { Property: { Name: "MaxErrorRetry" } property } target
            || !ResilienceAnalyzers.Common.TypeFacts.DerivesFromDefinition(target.Instance?.Type ?? property.ContainingType, types.AwsClientConfig)
            || assignment.Value.ConstantValue is not { HasValue: true, Value: int retries })
        {
            return null;
        }

        return new LibraryRetrySettings("'MaxErrorRetry'")
        {
            Retries = retries,
            Unbounded = retries == int.MaxValue,
            RetriesLocation = assignment.Syntax.GetLocation(),
            FixHints = ImmutableDictionary<string, string?>.Empty.SetItem(RetryFixHintKeys.CountPosition, ResilienceAnalyzers.Common.FixHintSpan.Format(assignment.Value.Syntax)),
        };
    }
}
