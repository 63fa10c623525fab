using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Retry;

namespace ResilienceAnalyzers.Libraries.Cosmos;

/// <summary>Azure Cosmos DB SDK v3 rate-limit retries: <c>MaxRetryAttemptsOnRateLimitedRequests</c> and <c>WithThrottlingRetryOptions</c>.</summary>
/// <remarks>
/// Read in Azure/azure-cosmos-dotnet-v3 Microsoft.Azure.Cosmos/src (RetryOptions.cs, ResourceThrottleRetryPolicy.cs, 3.4x-3.64):
/// 9 retries on 429 by default, within a cumulative wait of 30 s; each wait is the server's <c>x-ms-retry-after-ms</c>, so the
/// client chooses no delay (never RES002-RES004), and only throttling is retried (never RES005). The count is judged.
/// </remarks>
internal static class CosmosRetry
{
    /// <summary>
    /// RES006: what a client lets out once its retries give up. Read in Azure/azure-cosmos-dotnet-v3 Microsoft.Azure.Cosmos/src
    /// (ResourceThrottleRetryPolicy.cs, 3.4x-3.64): once its 429 retries are spent the response goes back as it is, and a typed
    /// operation throws it as a <c>CosmosException</c> of status 429. Listed too, to be safe: a timeout's
    /// <c>CosmosOperationCanceledException</c>, and what the gateway's HTTP transport can let out (<c>HttpRequestException</c>,
    /// <c>TaskCanceledException</c>). A stream operation (<c>ResponseMessage</c>) returns the 429 instead of throwing: it lets out
    /// no exception to judge.
    /// </summary>
    public static readonly SdkFailureType[] Failures =
    {
        SdkFailureType.Own("Microsoft.Azure.Cosmos", "Microsoft.Azure.Cosmos.CosmosException"),
        SdkFailureType.Own("Microsoft.Azure.Cosmos", "Microsoft.Azure.Cosmos.CosmosOperationCanceledException"),
        SdkFailureType.Framework("System.OperationCanceledException"),
        SdkFailureType.Framework("System.Threading.Tasks.TaskCanceledException"),
        SdkFailureType.Framework("System.Net.Http.HttpRequestException", "System.Net.Http"),
        SdkFailureType.Framework("System.AggregateException"),
    };

    public static LibraryRetrySettings? Recognize(ISimpleAssignmentOperation assignment, LibraryRetryTypes types)
    {
        if (assignment.Target is not IPropertyReferenceOperation { Property: { Name: "MaxRetryAttemptsOnRateLimitedRequests" } property }
            || !SymbolEqualityComparer.Default.Equals(property.ContainingType, types.CosmosClientOptions))
        {
            return null;
        }

        return Count(assignment.Value, assignment.Syntax.GetLocation());
    }

    public static LibraryRetrySettings? Recognize(IInvocationOperation invocation, LibraryRetryTypes types)
    {
        if (invocation.TargetMethod is not { Name: "WithThrottlingRetryOptions" } method
            || !SymbolEqualityComparer.Default.Equals(method.ContainingType, types.CosmosClientBuilder))
        {
            return null;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == "maxRetryAttemptsOnThrottledRequests")
            {
                return Count(argument.Value, argument.Value.Syntax.GetLocation());
            }
        }

        return null;
    }

    private static LibraryRetrySettings? Count(IOperation value, Location location)
        => (ResilienceAnalyzers.Common.OperationTree.Unwrap(value) ?? value).ConstantValue is { HasValue: true, Value: int retries }
            ? new LibraryRetrySettings("'MaxRetryAttemptsOnRateLimitedRequests'")
            {
                Retries = retries,
                RetriesLocation = location,
                FixHints = ImmutableDictionary<string, string?>.Empty.SetItem(RetryFixHintKeys.CountPosition, ResilienceAnalyzers.Common.FixHintSpan.Format(value.Syntax)),
            }
            : null;
}
