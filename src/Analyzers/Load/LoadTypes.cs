using Microsoft.CodeAnalysis;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Load;

/// <summary>
/// The framework types the load rules look for, resolved once per compilation (RES031: <c>Task.WhenAll</c>,
/// <c>Parallel.ForEach</c>, <c>ParallelOptions</c>, LINQ's <c>Enumerable</c>, <c>SemaphoreSlim</c>, and the
/// <c>HttpClient</c> handlers whose connection cap throttles).
/// </summary>
internal sealed class LoadTypes
{
    public LoadTypes(Compilation compilation, KnownTypes types)
    {
        var lookup = LibraryTypeLookup.For(compilation);
        Task = types.Task;
        Parallel = lookup.FindFramework("System.Threading.Tasks.Parallel", "System.Threading.Tasks.Parallel");
        ParallelOptions = lookup.FindFramework("System.Threading.Tasks.ParallelOptions", "System.Threading.Tasks.Parallel");
        Enumerable = lookup.FindFramework("System.Linq.Enumerable", "System.Linq");
        SemaphoreSlim = lookup.FindFramework("System.Threading.SemaphoreSlim", "System.Threading");
        Semaphore = lookup.FindFramework("System.Threading.Semaphore", "System.Threading");
        HttpClient = types.Http.HttpClient;
        HttpClientHandler = types.Http.HttpClientHandler;
        SocketsHttpHandler = types.Http.SocketsHttpHandler;
    }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? Parallel { get; }

    public INamedTypeSymbol? ParallelOptions { get; }

    public INamedTypeSymbol? Enumerable { get; }

    public INamedTypeSymbol? SemaphoreSlim { get; }

    public INamedTypeSymbol? Semaphore { get; }

    public INamedTypeSymbol? HttpClient { get; }

    public INamedTypeSymbol? HttpClientHandler { get; }

    public INamedTypeSymbol? SocketsHttpHandler { get; }

    /// <summary>Something to look at: <c>Task.WhenAll</c> or the <c>Parallel</c> loops exist in this compilation.</summary>
    public bool IsReferenced => Task is not null || Parallel is not null;
}
