using Microsoft.CodeAnalysis.Diagnostics;
using ResilienceAnalyzers.Recognition;

namespace ResilienceAnalyzers.Retry;

/// <summary>RES001-RES003 for Polly v7 policies, Polly v8 retry options and Microsoft.Extensions.Http.Resilience.</summary>
internal sealed class PollyRetryAnalysis
{
    private readonly RetryRecognitionContext _recognition;
    private readonly RetryJudge _judge;

    private PollyRetryAnalysis(RetryRecognitionContext recognition, RetryJudge judge)
    {
        _recognition = recognition;
        _judge = judge;
    }

    /// <summary>Null when no Polly is referenced: then nothing Polly-related is registered or run.</summary>
    public static PollyRetryAnalysis? TryCreate(RetryRecognitionContext recognition, RetryJudge judge)
        => recognition.Types.Polly.HasV7 || recognition.Types.Polly.HasV8 ? new PollyRetryAnalysis(recognition, judge) : null;

    /// <summary>Polly v7 retry policies, and standard-handler configure lambdas.</summary>
    public void OnInvocation(OperationAnalysisContext context)
    {
    }

    /// <summary>Polly v8 retry options created with <c>new</c>.</summary>
    public void OnObjectCreation(OperationAnalysisContext context)
    {
    }
}
