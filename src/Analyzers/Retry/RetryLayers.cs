using System.Globalization;
using Microsoft.CodeAnalysis;

namespace ResilienceAnalyzers.Retry;

/// <summary>What kind of code or library retries in a layer (RES006).</summary>
public enum RetryLayerKind
{
    Loop,
    Goto,
    Recursion,
    PollyV7,
    PollyV8,

    /// <summary>An SDK client that retries by itself: AWS, Azure, Cosmos DB, an EF Core context, a gRPC client.</summary>
    SdkClient,

    /// <summary>A retry of a library's chain: MassTransit message retry and redelivery.</summary>
    Library,

    /// <summary>A factory client whose <c>IHttpClientBuilder</c> registration adds a retry (RULES.md, RES006 paths 3 and 4): <see cref="FactoryClientLayers"/>.</summary>
    FactoryClient,
}

/// <summary>
/// One retry layer of the compilation-wide model (RES006): what retries, how messages name it, how many attempts it
/// makes when the compilation shows them (null otherwise: then no product can be given, and nothing is reported), and
/// where it is written. Small on purpose: it is kept until the compilation ends.
/// </summary>
public sealed record RetryLayer(RetryLayerKind Kind, string DisplayName, int? Attempts, Location Location)
{
    /// <summary>
    /// For a hand-written retry that goes round from catches: the types those failure catches catch (a bare <c>catch</c>:
    /// <c>object</c>), leaving out a catch that admits only failures no SDK client retries by itself (HTTP 4xx but 408 and 429,
    /// "not found" and "conflict" codes: <see cref="NonTransientCatches"/>). Default when the retry does not go round from
    /// catches alone, or they cannot be read: then any inner layer may send it round.
    /// </summary>
    public System.Collections.Immutable.ImmutableArray<ITypeSymbol> RoundCatches { get; init; }

    /// <summary>
    /// For an SDK client layer: what it lets out once its own retries give up (<see cref="Libraries.SdkFailures"/>); null when
    /// that is not known.
    /// </summary>
    internal Libraries.SdkFailures? LetsOut { get; init; }

    /// <summary>
    /// For a hand-written retry loop: the exception types its method lets out once the loop's last attempt fails (empty when
    /// it gives up quietly, returning); default when not known (<see cref="GiveUpFailures"/>). Known only for the loop a
    /// called method holds itself: a method with two layers, or one reached through further calls, may let anything out.
    /// </summary>
    public System.Collections.Immutable.ImmutableArray<ITypeSymbol> GivesUpWith { get; init; }

    /// <summary>
    /// For a hand-written retry that goes round from catches: the exception types its own work throws in sight (default when
    /// a throw helper's type cannot be told), with which it may turn an inner layer's quiet failure into one it goes round on.
    /// </summary>
    public System.Collections.Immutable.ImmutableArray<ITypeSymbol> WorkThrows { get; init; }

    /// <summary><see cref="RoundCatches"/> left out a catch that admits only non-transient failures, which a hand-written inner retry may still let out.</summary>
    public bool LeftOutNonTransient { get; init; }

    /// <summary>
    /// This retry, as the outer layer, can go round on what <paramref name="inner"/> lets out once its retries give up: one
    /// of its failure catches catches it. An SDK client layer says what it lets out (<see cref="LetsOut"/>), a hand-written
    /// retry loop of a called method what its method throws after it (<see cref="GivesUpWith"/>: nothing when its catches
    /// swallow every failure and it returns); then the outer retry multiplies it only when a catch it goes round from catches
    /// one of those, catches every exception (a failure that follows from a null or false returned), or catches what its own
    /// work throws in sight. A layer of another kind (Polly, a factory client, a retry reached through further calls) may let
    /// anything out.
    /// </summary>
    public bool GoesRoundOnWhatItLetsOut(RetryLayer inner)
    {
        if (RoundCatches.IsDefault)
        {
            return true;
        }

        if (inner.Kind == RetryLayerKind.SdkClient)
        {
            foreach (var caught in RoundCatches)
            {
                if (inner.LetsOut is not { } failures || failures.CaughtBy(caught))
                {
                    return true;
                }
            }

            return false;
        }

        if (inner.GivesUpWith.IsDefault || WorkThrows.IsDefault || LeftOutNonTransient)
        {
            return true;
        }

        foreach (var caught in RoundCatches)
        {
            if (GiveUpFailures.CatchesAnyFollowOn(caught) || CatchesAny(caught, inner.GivesUpWith) || CatchesAny(caught, WorkThrows))
            {
                return true;
            }
        }

        return false;

        static bool CatchesAny(ITypeSymbol caught, System.Collections.Immutable.ImmutableArray<ITypeSymbol> thrown)
        {
            foreach (var type in thrown)
            {
                if (GiveUpFailures.Catches(caught, type))
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>A layer for a recognised hand-written retry: its keyword's line names it, its counter's attempts count it.</summary>
    public static RetryLayer For(RetryConstruct construct)
    {
        var kind = construct.Kind switch
        {
            RetryConstructKind.Goto => RetryLayerKind.Goto,
            RetryConstructKind.Recursion => RetryLayerKind.Recursion,
            _ => RetryLayerKind.Loop,
        };
        var what = kind switch
        {
            RetryLayerKind.Goto => "the goto retry",
            RetryLayerKind.Recursion => "the recursive retry",
            _ => "the retry loop",
        };
        // A loop's attempts are worked out from its counter (AttemptBoundRecognizer.LoopAttempts); a goto or recursive
        // retry's are still read from the largest constant its counter is compared with.
        long? counted = kind == RetryLayerKind.Loop ? construct.Bound.Attempts
            : construct.Bound is { Kind: AttemptBoundKind.Counter, Limit: { } limit } ? limit : null;
        int? attempts = counted is { } n && n is > 0 and < 1000 ? (int)n : null;
        return new RetryLayer(kind, what + OnLine(construct.ReportLocation), attempts, construct.ReportLocation);
    }

    /// <summary>" on line 12", counted from 1.</summary>
    public static string OnLine(Location location)
        => " on line " + (location.GetLineSpan().StartLinePosition.Line + 1).ToString(CultureInfo.InvariantCulture);
}
