using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using ResilienceAnalyzers.Retry;

namespace ResilienceAnalyzers.Libraries;

/// <summary>
/// The retry a library runs by itself, as its settings make it (DESIGN.md: recognise once into a small model): how many
/// retries, how it waits, what it retries on, each with the span where a setting says so. Library defaults count like
/// explicit settings; a default that is safe produces no location, and so nothing to report.
/// </summary>
public sealed class LibraryRetrySettings
{
    public LibraryRetrySettings(string subject)
    {
        Subject = subject;
    }

    /// <summary>How messages name the setting, e.g. <c>'EnableRetryOnFailure'</c>.</summary>
    public string Subject { get; }

    /// <summary>Retries after the first attempt, when known.</summary>
    public long? Retries { get; init; }

    /// <summary>The library retries for as long as the failure lasts.</summary>
    public bool Unbounded { get; init; }

    /// <summary>Where the number of retries is set (RES001 reports there).</summary>
    public Location? RetriesLocation { get; init; }

    /// <summary>How the library waits between attempts, as the settings make it.</summary>
    public DelayModel Delay { get; init; } = DelayModel.Unknown;

    /// <summary>
    /// The library offers a way to add jitter (RULES.md: RES003 only where the API offers one). A workflow engine whose
    /// retries must be deterministic does not.
    /// </summary>
    public bool OffersJitter { get; init; } = true;

    /// <summary>Where the wait is set (RES002-RES004 report there).</summary>
    public Location? DelayLocation { get; init; }

    /// <summary>Where the library is told to retry every failure (RES005), when it is.</summary>
    public Location? EveryExceptionLocation { get; init; }

    /// <summary>What the code fixes need (<see cref="RetryFixHintKeys"/>).</summary>
    public ImmutableDictionary<string, string?> FixHints { get; init; } = ImmutableDictionary<string, string?>.Empty;
}
