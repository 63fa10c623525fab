using System.Collections.Generic;
using System.Linq;

namespace ResilienceAnalyzers.Libraries.Http;

/// <summary>
/// The handlers each factory client gets, from the chains a compilation collected (RES006, RES007, RES030): per client
/// key, <c>ConfigureHttpClientDefaults</c>' handlers first (they run outside the client's own), then the client's, each in
/// source order; the defaults also as their own entry. Chains that name no client (a builder from a caller) are left out.
/// </summary>
public static class HttpClientHandlers
{
    public static Dictionary<string, List<BuilderHandler>> ByClient(IEnumerable<HttpClientChain> chains)
    {
        // In source order: the callbacks that collect the chains run concurrently, and the handler added first is the outer one.
        var ordered = chains.Where(c => c.Key is not null)
            .OrderBy(c => c.Id.SourceTree?.FilePath, System.StringComparer.Ordinal)
            .ThenBy(c => c.Id.SourceSpan.Start)
            .ToList();
        var defaults = ordered.Where(c => c.Key == HttpClientKey.Defaults).SelectMany(c => c.Handlers).ToList();
        var byClient = new Dictionary<string, List<BuilderHandler>>();
        foreach (var group in ordered.GroupBy(c => c.Key!))
        {
            byClient[group.Key] = group.Key == HttpClientKey.Defaults
                ? defaults
                : defaults.Concat(group.SelectMany(c => c.Handlers)).ToList();
        }

        return byClient;
    }
}
