using Microsoft.CodeAnalysis;

namespace ResilienceAnalyzers.Common;

/// <summary>All descriptors, built through <see cref="Create"/> so each one links to its rule page.</summary>
public static class DiagnosticDescriptors
{
    public const string Category = "Resilience";

    public const string HelpLinkBase = "https://github.com/resilience-analyzers/ResilienceAnalyzers/blob/main/docs/rules/";

    public static readonly DiagnosticDescriptor OptionNotUnderstood = Create(
        RuleIdentifiers.OptionNotUnderstood,
        title: "ResilienceAnalyzers option not understood",
        messageFormat: "The option '{0} = {1}' {2}",
        description: "An .editorconfig or .globalconfig option of these analyzers is set to a value they cannot read, or names an option that does not exist. The analyzers then use the default, which is rarely what the line meant; fix the value or the key.",
        customTags: WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor RetryHasNoAttemptLimit = Create(
        RuleIdentifiers.RetryHasNoAttemptLimit,
        title: "Retry has no attempt limit",
        messageFormat: "{0} retries {1}; bound it so a failing dependency is not called forever",
        description: "A retry with no attempt limit keeps calling a failing dependency for as long as it fails, multiplying its load exactly when it can least take it. Bound every retry by an attempt count or a deadline.");

    public static readonly DiagnosticDescriptor RetryWithoutBackoff = Create(
        RuleIdentifiers.RetryWithoutBackoff,
        title: "Retry without backoff",
        messageFormat: "{0} retries {1}; use exponential backoff with jitter",
        description: "A retry that waits nothing, or the same time on every attempt, hammers a struggling dependency at a fixed rate. Let the delay grow with the attempt and add jitter.");

    public static readonly DiagnosticDescriptor BackoffWithoutJitter = Create(
        RuleIdentifiers.BackoffWithoutJitter,
        title: "Backoff without jitter",
        messageFormat: "{0} backs off without jitter; clients that failed together will retry together",
        description: "A growing delay without randomness keeps every client that failed at the same moment retrying at the same moments, so the load arrives in synchronized waves. Add jitter to spread it.");

    public static readonly DiagnosticDescriptor BackoffWithoutCap = Create(
        RuleIdentifiers.BackoffWithoutCap,
        title: "Backoff without a cap",
        messageFormat: "{0} lets its delay grow {1}; cap the delay",
        description: "A delay that keeps growing with the attempt soon waits minutes or hours: the caller is held long after any answer is useful, a recovered dependency is not tried again for a long time, and a TimeSpan computed from an unbounded power overflows and throws inside the retry. Cap the delay (Math.Min, MaxDelay).");

    public static readonly DiagnosticDescriptor RetryOnEveryException = Create(
        RuleIdentifiers.RetryOnEveryException,
        title: "Retry on every exception",
        messageFormat: "{0} retries on every exception; retry only the failures that are transient",
        description: "A retry that goes round on any exception also repeats requests that can never succeed: a 400, an authorization failure, a bug in the caller. Each repetition adds load and delays the real error. Handle the transient failures of the library you call (timeouts, throttling, 5xx, connection resets) and let the rest through.",
        severity: DiagnosticSeverity.Info);

    public static readonly DiagnosticDescriptor RetryInsideRetry = Create(
        RuleIdentifiers.RetryInsideRetry,
        title: "Retry inside retry",
        messageFormat: "Up to {0} calls: {1} makes {2} attempts and {3} makes up to {4} of its own; retry in one layer only",
        description: "A retry that runs another retry multiplies their attempts: three layers of three attempts send 27 requests for each request of a user, and a failing dependency sees that product exactly when it can least take it. Keep the retry in one layer (usually the one closest to the call) and let the others fail fast.");

    public static readonly DiagnosticDescriptor NonIdempotentRequestRetried = Create(
        RuleIdentifiers.NonIdempotentRequestRetried,
        title: "Non-idempotent request retried",
        messageFormat: "'{0}' sends a {1} request that {2} sends again after a failure; a request that reached the server may be applied twice",
        description: "POST and PATCH are not idempotent (RFC 9110, section 9.2.2): a request that timed out or lost its connection may still have been applied, and sending it again creates a second order, a second payment, a second message. Retry only idempotent requests, or send an Idempotency-Key the server deduplicates on.");

    public static readonly DiagnosticDescriptor InfiniteTimeout = Create(
        RuleIdentifiers.InfiniteTimeout,
        title: "Infinite timeout on an outbound call",
        messageFormat: "{0} waits forever; give the call a bounded timeout so a hung dependency cannot hold it indefinitely",
        description: "A network, storage or database call with no timeout waits for as long as the dependency does: during an impairment that is hours, and every hung call holds a thread, a connection and a pool slot. Replace infinite timeouts with bounded ones.");

    public static readonly DiagnosticDescriptor GrpcCallWithoutDeadline = Create(
        RuleIdentifiers.GrpcCallWithoutDeadline,
        title: "gRPC call without a deadline",
        messageFormat: "gRPC call '{0}' has no deadline; pass one so a slow or unreachable server cannot hold the call forever",
        description: "gRPC calls have no deadline unless the caller sets one, so a call to a server that stopped answering waits forever. Pass a deadline with every call, as a deadline argument or in CallOptions.");

    public static readonly DiagnosticDescriptor NetworkWaitWithoutEnd = Create(
        RuleIdentifiers.NetworkWaitWithoutEnd,
        title: "Network read or connect that can wait forever",
        messageFormat: "'{0}' on '{1}' waits for the peer with {2}; a peer that stops answering holds it forever",
        description: "A socket-level read, write, connect or accept with no cancellation token and no timeout waits until the peer answers or closes the connection. A peer that died without closing (a crashed host, a dropped route, a failed-over address) never does, and every thread or request parked on the call is lost capacity. Pass a cancellation token that ends (a caller's, or one from a CancellationTokenSource with a timeout), or set a receive/send timeout for synchronous calls.");

    // RES013 reports from the invocation callback (a conflict within one chain, shown while typing) and at compilation end
    // (across chains and files). The CompilationEnd tag would make IDEs drop the descriptor from live document analysis,
    // losing the squiggles; without it, the cross-chain findings show in builds and command-line scans.
#pragma warning disable RS1037 // Add "CompilationEnd" custom tag
    public static readonly DiagnosticDescriptor TimeoutsAndRetriesConflict = Create(
        RuleIdentifiers.TimeoutsAndRetriesConflict,
        title: "Timeouts and retries that defeat each other",
        messageFormat: "{0}; {1}",
        description: "A timeout around a retry bounds all its attempts together, and a per-attempt timeout bounds each one. When the values contradict each other (HttpClient.Timeout shorter than the resilience handler's total timeout, an attempt timeout not shorter than the total, retry delays that add up past the timeout around them, a circuit breaker sampling window under twice the attempt timeout), the retries that were configured never run, or the options validator throws at start-up. Make the outer timeout longer than what it wraps.");
#pragma warning restore RS1037

    public static readonly DiagnosticDescriptor HardCodedSingleRegionEndpoint = Create(
        RuleIdentifiers.HardCodedSingleRegionEndpoint,
        title: "Hard-coded single-region endpoint",
        messageFormat: "{0} pins the code to the single region '{1}'; take the region from configuration or the environment and plan where to fail over",
        description: "Code that names one region in source keeps calling that region when it fails: a regional DNS or service outage becomes an outage of this code, and moving it elsewhere needs a rebuild. Read the region from configuration, the environment or the SDK's profile, and keep a second region to fail over to.");

    public static readonly DiagnosticDescriptor LongLivedHttpClientIgnoresDns = Create(
        RuleIdentifiers.LongLivedHttpClientIgnoresDns,
        title: "Long-lived HttpClient never refreshes DNS",
        messageFormat: "{0} keeps its pooled connections for as long as the process runs, so it never re-resolves DNS; {1}",
        description: "DNS is only resolved when a connection is opened. A client that lives for the process, on a handler without a finite PooledConnectionLifetime, keeps reusing its first connections and never sees DNS move traffic away from a failed endpoint. Give it a SocketsHttpHandler with PooledConnectionLifetime set, or let IHttpClientFactory rotate its handlers.");

    public static readonly DiagnosticDescriptor ClientCreatedPerOperation = Create(
        RuleIdentifiers.ClientCreatedPerOperation,
        title: "Client or pipeline created per operation",
        messageFormat: "{0} is created for one operation and dropped after it; {1}",
        description: "Clients of HTTP, cloud SDKs, Redis and gRPC are built to be created once and shared: each instance opens its own connections, resolves DNS again and repeats its setup. Created per request, they exhaust sockets under load and multiply connection and DNS traffic during an outage, just when the dependency can least take it. Polly circuit breakers and limiters keep their state in the pipeline or policy: built per call, a breaker never sees more than one failure and never opens. Create the client or pipeline once (a static or singleton instance, IHttpClientFactory, AddResiliencePipeline) and reuse it.");

    public static readonly DiagnosticDescriptor DnsAnswerKeptForProcess = Create(
        RuleIdentifiers.DnsAnswerKeptForProcess,
        title: "DNS answer kept for the life of the process",
        messageFormat: "{0}; when DNS moves the name (a failover to another region or host), the process keeps calling the old address: {1}",
        description: "A DNS answer is only right until the name moves. Failover between regions, blue-green switches and replaced hosts all work by changing what a name resolves to, so an address resolved once and kept in a static or singleton field, reused by every reconnect, or captured by a connect callback keeps the process calling a dead address for as long as it runs. Resolve the name again when connecting, or keep the answer with an expiry.");

    // RES030 reports pipelines and Wraps from the invocation callback (while typing) and factory clients at compilation end.
#pragma warning disable RS1037 // Add "CompilationEnd" custom tag
    public static readonly DiagnosticDescriptor RetryWithoutCircuitBreaker = Create(
        RuleIdentifiers.RetryWithoutCircuitBreaker,
        title: "Retry without a circuit breaker or budget",
        messageFormat: "{0} retries with nothing that stops retrying while the dependency is down; add a circuit breaker",
        description: "A retry alone keeps multiplying the load on a dependency that is down: every request of every caller makes all its attempts, for as long as the outage lasts, and recovery meets that backlog. A circuit breaker (or a retry budget) notices the failures and fails fast for a while, so the dependency gets room to come back.",
        severity: DiagnosticSeverity.Info);
#pragma warning restore RS1037

    public static readonly DiagnosticDescriptor UnboundedFanOut = Create(
        RuleIdentifiers.UnboundedFanOut,
        title: "Unbounded fan-out of outbound calls",
        messageFormat: "{0} starts one outbound call ({1}) per item of '{2}' {3}, with no limit on how many run together; bound it with a SemaphoreSlim, Parallel.ForEachAsync with MaxDegreeOfParallelism, or Chunk",
        description: "Starting one outbound call per item of a collection whose size the code does not bound sends the whole collection to the dependency at once. After an outage the backlog is largest, so the dependency meets all of it in one burst just as it comes back, and the caller exhausts its own connection pool and sockets on the way. Bound how many calls run together.",
        severity: DiagnosticSeverity.Info);

    /// <summary>The one place descriptors are created: sets category, help link and defaults consistently.</summary>
    public static DiagnosticDescriptor Create(
        string id,
        string title,
        string messageFormat,
        string description,
        DiagnosticSeverity severity = DiagnosticSeverity.Warning,
        bool isEnabledByDefault = true,
        params string[] customTags)
    {
#pragma warning disable RS0030 // The factory is the one sanctioned caller of the constructor.
        return new DiagnosticDescriptor(
            id,
            title,
            messageFormat,
            Category,
            severity,
            isEnabledByDefault,
            description,
            helpLinkUri: HelpLinkBase + id + ".md",
            customTags);
#pragma warning restore RS0030
    }
}
