using Microsoft.CodeAnalysis;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>What recognisers need for one compilation: resolved types and the outbound-call oracle.</summary>
public sealed class RetryRecognitionContext
{
    public RetryRecognitionContext(KnownTypes types)
    {
        Types = types;
        Outbound = new OutboundOperations(types.Console, types.Assembly);
    }

    public KnownTypes Types { get; }

    public OutboundOperations Outbound { get; }

    public static RetryRecognitionContext Create(Compilation compilation) => new(KnownTypes.Create(compilation));
}
