using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Libraries.Polly;

namespace ResilienceAnalyzers.Retry;

/// <summary>RES001-RES003 for Polly v7 policies, Polly v8 retry options and Microsoft.Extensions.Http.Resilience.</summary>
internal sealed class PollyRetryAnalysis
{
    private readonly RetryRecognitionContext _recognition;
    private readonly RetryJudge _judge;
    private readonly RetryLayerModel _layers;

    private PollyRetryAnalysis(RetryRecognitionContext recognition, RetryJudge judge, RetryLayerModel layers)
    {
        _recognition = recognition;
        _judge = judge;
        _layers = layers;
    }

    /// <summary>Null when no Polly is referenced: then nothing Polly-related is registered or run.</summary>
    public static PollyRetryAnalysis? TryCreate(RetryRecognitionContext recognition, RetryJudge judge, RetryLayerModel layers)
        => recognition.Types.Polly.HasV7 || recognition.Types.Polly.HasV8 ? new PollyRetryAnalysis(recognition, judge, layers) : null;

    /// <summary>Polly v7 retry policies, and standard-handler configure lambdas.</summary>
    public void OnInvocation(OperationAnalysisContext context)
    {
        if (context.Operation is not IInvocationOperation { TargetMethod: { } method } invocation)
        {
            return;
        }

        var types = _recognition.Types;
        if (PollyV7PolicyRecognizer.IsCandidateName(method.Name))
        {
            if (types.Polly.HasV7 && _judge.ShouldAnalyze(context.Options, invocation.Syntax.SyntaxTree)
                && PollyV7PolicyRecognizer.Recognize(invocation, types) is { } policy)
            {
                PollyJudge.Report(context, policy, () => RetriesOnlyLocalWork(invocation, context.CancellationToken));
                var attempts = policy.IsForever || policy.RetryCount is not { } retries ? (int?)null : retries + 1;
                _layers.OnPolly(context, invocation, new RetryLayer(RetryLayerKind.PollyV7, "'" + policy.MethodName + "'" + RetryLayer.OnLine(policy.NameLocation), attempts, policy.NameLocation), unsafeMethodsExcluded: false);
            }
        }
        else if (PollyOptionsRecognizer.IsCandidateConfigureName(method.Name))
        {
            if (types.Polly.HttpStandardResilienceOptions is not null && _judge.ShouldAnalyze(context.Options, invocation.Syntax.SyntaxTree)
                && PollyOptionsRecognizer.RecognizeStandardHandler(invocation, types) is { } options)
            {
                PollyJudge.Report(context, options);
            }
        }
    }

    /// <summary>Polly v8 retry options created with <c>new</c>: what the creation itself (the <c>new</c>, the initializer) shows.</summary>
    public void OnObjectCreation(OperationAnalysisContext context)
    {
        if (context.Operation is IObjectCreationOperation { Type: { } type } creation
            && PollyOptionsRecognizer.IsCandidateTypeName(type.Name)
            && _judge.ShouldAnalyze(context.Options, creation.Syntax.SyntaxTree)
            && PollyOptionsRecognizer.Recognize(creation, _recognition.Types) is { } options)
        {
            PollyJudge.Report(context, options, () => RetriesOnlyLocalWork(creation, context.CancellationToken));
            var at = options.CreationLocation ?? creation.Syntax.GetLocation();
            var attempts = options.MaxRetryAttempts.Value is { } retries and < int.MaxValue ? retries + 1 : (int?)null;
            _layers.OnPolly(context, creation, new RetryLayer(RetryLayerKind.PollyV8, options.Subject + RetryLayer.OnLine(at), attempts, at), ShouldHandleNamesTheMethod(creation));
        }
    }

    /// <summary>RES007: a <c>ShouldHandle</c> that reads the request's method (<c>HttpMethod.Post</c>, <c>.Method</c>) decides which requests are retried.</summary>
    private static bool ShouldHandleNamesTheMethod(IObjectCreationOperation creation)
    {
        foreach (var member in creation.Initializer?.Initializers ?? System.Collections.Immutable.ImmutableArray<IOperation>.Empty)
        {
            if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "ShouldHandle" } } shouldHandle)
            {
                foreach (var token in shouldHandle.Value.Syntax.DescendantTokens())
                {
                    if (token.ValueText is "Method" or "HttpMethod")
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>
    /// A later <c>options.Setting = ...</c> on a local holding Polly v8 options. Its diagnostics are reported from
    /// here rather than from the creation: the compiler counts a diagnostic outside the operation being analysed
    /// as non-local, which the IDE neither shows live nor offers fixes for.
    /// </summary>
    public void OnSimpleAssignment(OperationAnalysisContext context)
    {
        if (context.Operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Instance: ILocalReferenceOperation } property } assignment
            && PollyOptionsRecognizer.IsSettingName(property.Property.Name)
            && _judge.ShouldAnalyze(context.Options, assignment.Syntax.SyntaxTree)
            && PollyOptionsRecognizer.RecognizeAssigned(assignment, _recognition.Types) is { } options)
        {
            PollyJudge.Report(context, options, () => options.Creation is { } creation
                && assignment.SemanticModel?.GetOperation(creation, context.CancellationToken) is { } created
                && RetriesOnlyLocalWork(created, context.CancellationToken));
        }
    }

    /// <summary>
    /// A retry re-sends the work it executes (RULES.md, "Retry construct"): when the compilation shows every execution
    /// of this pipeline or policy and none of them calls out (a configuration file read while another process writes
    /// it), nothing is sent again to a dependency. A call whose target cannot be seen (an interface or delegate of the
    /// compilation, or a method of the compilation whose body is in another file) keeps the retry judged as written:
    /// silence needs certainty that the work stays here.
    /// </summary>
    private bool RetriesOnlyLocalWork(IOperation construct, CancellationToken cancellationToken)
    {
        if (PollyExecutedWork.Find(construct, cancellationToken) is not { } callbacks)
        {
            return false;
        }

        var outbound = _recognition.Outbound;
        foreach (var callback in callbacks)
        {
            // Lambdas inside the callback run as part of its work (Task.Run(() => client.GetAsync(...))).
            foreach (var operation in callback.Descendants())
            {
                if (outbound.IsOutbound(operation) || IsUnseen(operation))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private bool IsUnseen(IOperation operation)
        => operation switch
        {
            IInvalidOperation => true,
            IInvocationOperation { TargetMethod: var method } call
                => method.MethodKind == MethodKind.DelegateInvoke
                   || (SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _recognition.Types.Assembly)
                       && (method.IsAbstract || method.ContainingType?.TypeKind == TypeKind.Interface
                           ? !_recognition.Outbound.IsSeenToStayLocal(call)
                           : !IsDeclaredIn(method, call.Syntax.SyntaxTree))),
            _ => false,
        };

    private static bool IsDeclaredIn(IMethodSymbol method, SyntaxTree tree)
    {
        foreach (var reference in method.OriginalDefinition.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree == tree)
            {
                return true;
            }
        }

        return false;
    }
}
