
namespace ResilienceAnalyzers.Common;

/// <summary>Every rule identifier, in one place. IDs are final once shipped.</summary>
public static class RuleIdentifiers
{
    public const string OptionNotUnderstood = "RES000";
    public const string RetryHasNoAttemptLimit = "RES001";
    public const string RetryWithoutBackoff = "RES002";
    public const string BackoffWithoutJitter = "RES003";
    public const string BackoffWithoutCap = "RES004";
    public const string RetryOnEveryException = "RES005";
    public const string RetryInsideRetry = "RES006";
    public const string NonIdempotentRequestRetried = "RES007";
    public const string InfiniteTimeout = "RES010";
    public const string GrpcCallWithoutDeadline = "RES011";
    public const string NetworkWaitWithoutEnd = "RES012";
    public const string TimeoutsAndRetriesConflict = "RES013";
    public const string HardCodedSingleRegionEndpoint = "RES020";
    public const string LongLivedHttpClientIgnoresDns = "RES021";
    public const string ClientCreatedPerOperation = "RES022";
    public const string DnsAnswerKeptForProcess = "RES023";
    public const string RetryWithoutCircuitBreaker = "RES030";
    public const string UnboundedFanOut = "RES031";
}
