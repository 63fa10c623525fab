using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Libraries;
using ResilienceAnalyzers.Libraries.Aws;
using ResilienceAnalyzers.Libraries.Azure;
using ResilienceAnalyzers.Libraries.Cosmos;
using ResilienceAnalyzers.Libraries.Dapr;
using ResilienceAnalyzers.Libraries.EfCore;
using ResilienceAnalyzers.Libraries.Grpc;
using ResilienceAnalyzers.Libraries.MassTransit;
using ResilienceAnalyzers.Libraries.Redis;
using ResilienceAnalyzers.Libraries.SqlClient;

namespace ResilienceAnalyzers.Retry;

/// <summary>
/// The retry settings of the libraries services call (EF Core, MassTransit, the Azure and AWS SDKs, gRPC, SqlClient,
/// StackExchange.Redis, Dapr Workflow, Cosmos DB), each recognised once into a <see cref="LibraryRetrySettings"/> and judged
/// by <see cref="LibraryRetryJudge"/> against RES001, RES002, RES003, RES004 and RES005. Each callback first tests a name,
/// then the library's type, resolved once per compilation.
/// </summary>
internal sealed class LibraryRetryAnalysis
{
    private readonly RetryRecognitionContext _recognition;
    private readonly RetryJudge _judge;
    private readonly LibraryRetryTypes _types;
    private readonly SdkClientRetries _sdk;

    private LibraryRetryAnalysis(RetryRecognitionContext recognition, RetryJudge judge, LibraryRetryTypes types, SdkClientRetries sdk)
    {
        _recognition = recognition;
        _judge = judge;
        _types = types;
        _sdk = sdk;
    }

    /// <param name="types">Resolved with <see cref="LibraryRetryTypes.TryCreate"/>: when none of the libraries is referenced, nothing is created or registered for them.</param>
    /// <param name="sdk">Told every setting recognised, for RES006: an SDK client's own retries, and whether they are off.</param>
    public static LibraryRetryAnalysis Create(LibraryRetryTypes types, RetryRecognitionContext recognition, RetryJudge judge, SdkClientRetries sdk)
        => new(recognition, judge, types, sdk);

    public void OnInvocation(OperationAnalysisContext context)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var settings = invocation.TargetMethod.Name switch
        {
            "EnableRetryOnFailure" or ".ctor" when _types.EfCoreExecutionStrategy is not null => EfCoreRetry.Recognize(invocation, _types),
            "CreateFixedRetryProvider" when _types.SqlConfigurableRetryFactory is not null => SqlClientRetry.Recognize(invocation, _types),
            "WithThrottlingRetryOptions" when _types.CosmosClientBuilder is not null => CosmosRetry.Recognize(invocation, _types),
            var name when _types.MassTransitRetryConfigurator is not null && MassTransitRetry.IsCandidateName(name)
                => MassTransitRetry.Recognize(invocation, _types, _recognition.Types),
            _ => null,
        };
        Report(context, settings);
    }

    public void OnObjectCreation(OperationAnalysisContext context)
    {
        var creation = (IObjectCreationOperation)context.Operation;
        var settings = creation.Type?.Name switch
        {
            "SqlRetryLogicOption" => SqlClientRetry.Recognize(creation, _types),
            "LinearRetry" or "ExponentialRetry" => RedisRetry.Recognize(creation, _types),
            "WorkflowRetryPolicy" => DaprRetry.Recognize(creation, _types),
            "HedgingPolicy" => GrpcRetry.Recognize(creation, _types),
            _ => null,
        };
        Report(context, settings);
    }

    public void OnSimpleAssignment(OperationAnalysisContext context)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property.Name: var name })
        {
            return;
        }

        var settings = name switch
        {
            "MaxErrorRetry" or "RetryMode" when _types.AwsClientConfig is not null => AwsRetry.Recognize(assignment, _types),
            "BackoffMultiplier" when _types.GrpcRetryPolicy is not null => GrpcRetry.Recognize(assignment, _types),
            "MaxRetryAttemptsOnRateLimitedRequests" when _types.CosmosClientOptions is not null => CosmosRetry.Recognize(assignment, _types),
            "ConnectRetryCount" when _types.SqlConnectionStringBuilder is not null => SqlClientRetry.Recognize(assignment, _types),
            "ConnectRetry" when _types.RedisConfigurationOptions is not null => RedisRetry.Recognize(assignment, _types),
            _ when _types.AzureRetryOptions is not null && AzureRetry.IsCandidateName(name) => AzureRetry.Recognize(assignment, _types),
            _ => null,
        };
        Report(context, settings);
    }

    /// <summary>Registered only where EF Core is referenced: the <c>GetNextDelay</c> override of a strategy of one's own.</summary>
    public bool JudgesMethodBodies => _types.EfCoreExecutionStrategy is not null;

    public void OnMethod(SymbolAnalysisContext context)
    {
        if (context.Symbol is not IMethodSymbol { Name: "GetNextDelay", IsOverride: true } method
            || method.DeclaringSyntaxReferences.Length != 1
            || !_judge.ShouldAnalyze(context.Options, method.DeclaringSyntaxReferences[0].SyntaxTree))
        {
            return;
        }

        var declaration = method.DeclaringSyntaxReferences[0].GetSyntax(context.CancellationToken);
        if (context.Compilation.GetSemanticModel(declaration.SyntaxTree).GetOperation(declaration, context.CancellationToken) is IMethodBodyOperation body
            && EfCoreRetry.RecognizeNextDelay(body, method, _types, _recognition.Types) is { } settings)
        {
            LibraryRetryJudge.Report(context.ReportDiagnostic, declaration.Span, context.Options, declaration.SyntaxTree, settings);
        }
    }

    private void Report(OperationAnalysisContext context, LibraryRetrySettings? settings)
    {
        if (settings is not null && _judge.ShouldAnalyze(context.Options, context.Operation.Syntax.SyntaxTree))
        {
            _sdk.Observe(context.Operation, settings);
            LibraryRetryJudge.Report(context.ReportDiagnostic, context.Operation.Syntax.Span, context.Options, context.Operation.Syntax.SyntaxTree, settings);
        }
    }
}
