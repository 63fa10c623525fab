using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using ResilienceAnalyzers.Libraries.Polly;

namespace ResilienceAnalyzers.Libraries.Http;

/// <summary>
/// The factory clients of one compilation, collected from operation actions (DESIGN.md, "Models that span a
/// compilation"): each builder chain's small facts, the timeouts typed clients set in their constructors, and whether
/// some <c>HttpClient.Timeout</c> is written where no client can be named. Thread-safe while collecting; read with
/// <see cref="Clients"/> at compilation end.
/// </summary>
public sealed class HttpClientRegistry
{
    private readonly ConcurrentQueue<HttpClientChain> _chains = new();
    private readonly ConcurrentQueue<KeyValuePair<string, ClientTimeout>> _constructorTimeouts = new();
    private int _unattributedTimeouts;

    public void Add(HttpClientChain chain)
    {
        if (chain.Key is null && chain.Timeouts.Length > 0)
        {
            MarkUnattributedTimeout();
        }

        _chains.Enqueue(chain);
    }

    /// <summary><c>HttpClient.Timeout</c> set in the constructor of the typed client <paramref name="key"/>.</summary>
    public void AddConstructorTimeout(string key, ClientTimeout timeout) => _constructorTimeouts.Enqueue(new KeyValuePair<string, ClientTimeout>(key, timeout));

    /// <summary>An <c>HttpClient.Timeout</c> written where the client cannot be named: no client's default can be trusted.</summary>
    public void MarkUnattributedTimeout() => System.Threading.Interlocked.Exchange(ref _unattributedTimeouts, 1);

    /// <summary>
    /// Every client with a registration in sight (named, typed, and the defaults as their own entry): its effective timeout
    /// and its handlers, the defaults' first (<c>ConfigureHttpClientDefaults</c> runs before a client's own configuration).
    /// </summary>
    public IEnumerable<HttpClientView> Clients()
    {
        var chains = _chains.ToArray();
        var byKey = chains.Where(c => c.Key is not null).GroupBy(c => c.Key!).ToDictionary(g => g.Key, g => g.ToList());
        byKey.TryGetValue(HttpClientKey.Defaults, out var defaults);
        defaults ??= new List<HttpClientChain>();
        var constructors = _constructorTimeouts.ToArray().ToLookup(p => p.Key, p => p.Value);
        var unattributed = _unattributedTimeouts != 0 || chains.Any(c => c.HasUnseenClientConfiguration && (c.Key is null || c.Key == HttpClientKey.Defaults));
        foreach (var pair in byKey)
        {
            var own = pair.Key == HttpClientKey.Defaults ? new List<HttpClientChain>() : pair.Value;
            var handlers = new List<(BuilderHandler Handler, Location Chain)>();
            foreach (var chain in defaults.Concat(own))
            {
                handlers.AddRange(chain.Handlers.Select(h => (h, chain.Id)));
            }

            var timeout = Effective(constructors[pair.Key].Select(t => (t, (Location?)null)).ToList())
                          ?? Effective(Timeouts(own))
                          ?? Effective(Timeouts(defaults));
            if (timeout is null && (unattributed || own.Any(c => c.HasUnseenClientConfiguration)))
            {
                continue;
            }

            yield return new HttpClientView(pair.Key, timeout?.Timeout, timeout?.Chain, handlers.ToImmutableArray());
        }
    }

    private static List<(ClientTimeout, Location?)> Timeouts(List<HttpClientChain> chains)
        => chains.SelectMany(c => c.Timeouts.Select(t => (t, (Location?)c.Id))).ToList();

    /// <summary>
    /// The timeout a set of writes at one level leaves: null when there is none; an unknown value when they disagree or one
    /// cannot be computed (which runs last is not the analyzer's to know).
    /// </summary>
    private static (ClientTimeout Timeout, Location? Chain)? Effective(List<(ClientTimeout Timeout, Location? Chain)> writes)
    {
        if (writes.Count == 0)
        {
            return null;
        }

        var first = writes[0];
        foreach (var write in writes)
        {
            if (write.Timeout.Milliseconds is null || write.Timeout.Milliseconds != first.Timeout.Milliseconds)
            {
                return (new ClientTimeout(null, first.Timeout.Location), null);
            }
        }

        return writes.Count == 1 ? first : (first.Timeout, null);
    }
}

/// <summary>
/// One factory client as the whole compilation configures it. <see cref="Timeout"/> is null when nothing sets it (then
/// <c>HttpClient.Timeout</c> keeps its 100 s default: <see cref="TimeoutMilliseconds"/>), and holds a null value when it is
/// set to something that cannot be computed. <see cref="TimeoutChain"/> is the chain that set it when one alone did.
/// </summary>
public sealed record HttpClientView(string Key, ClientTimeout? Timeout, Location? TimeoutChain, ImmutableArray<(BuilderHandler Handler, Location Chain)> Handlers)
{
    public double? TimeoutMilliseconds => Timeout is null ? PollyDefaults.HttpClientTimeoutMilliseconds : Timeout.Milliseconds;
}
