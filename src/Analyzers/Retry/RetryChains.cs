using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Libraries;
using ResilienceAnalyzers.Libraries.MassTransit;
using ResilienceAnalyzers.Libraries.Polly;

namespace ResilienceAnalyzers.Retry;

/// <summary>
/// RES006, path 4: two retries on one chain, reported on the inner one from the call that adds it. Two <c>AddRetry</c> on one
/// <c>ResiliencePipelineBuilder</c> (the strategy added first is the outer one), a Polly v7 <c>Wrap</c> of two retry policies
/// (outer first), MassTransit redelivery (<c>UseDelayedRedelivery</c>, <c>UseScheduledRedelivery</c>) around
/// <c>UseMessageRetry</c> on the same configurator.
/// </summary>
internal static class RetryChains
{
    public static bool IsCandidateName(string name)
        => name is "AddRetry" or "Wrap" or "WrapAsync" or "UseMessageRetry";

    public static void OnInvocation(OperationAnalysisContext context, IInvocationOperation invocation, KnownTypes types, LibraryRetryTypes? libraries)
    {
        switch (invocation.TargetMethod.Name)
        {
            case "AddRetry" when types.Polly.HasV8 && IsPolly(invocation.TargetMethod):
                SecondAddRetry(context, invocation, types);
                break;
            case "Wrap" or "WrapAsync" when types.Polly.HasV7 && IsPolly(invocation.TargetMethod):
                WrappedRetries(context, invocation, types);
                break;
            case "UseMessageRetry" when libraries?.MassTransitRetryConfigurator is not null:
                RetryInsideRedelivery(context, invocation, types, libraries);
                break;
        }
    }

    private static bool IsPolly(IMethodSymbol method)
        => method.ContainingNamespace?.ToDisplayString() is { } ns && (ns == "Polly" || ns.StartsWith("Polly.", System.StringComparison.Ordinal));

    /// <summary>An earlier <c>AddRetry</c> on the same builder: up the fluent chain, or on the same local in the same body.</summary>
    private static void SecondAddRetry(OperationAnalysisContext context, IInvocationOperation addRetry, KnownTypes types)
    {
        if (AddedRetry(addRetry, types) is not { } inner)
        {
            return;
        }

        var receiver = OperationTree.Receiver(addRetry);
        while (receiver is IInvocationOperation earlier)
        {
            if (earlier.TargetMethod.Name == "AddRetry")
            {
                Report(context, earlier, types, inner);
                return;
            }

            receiver = OperationTree.Receiver(earlier);
        }

        if (OperationTree.Unwrap(receiver) is not ILocalReferenceOperation { Local: var builder })
        {
            return;
        }

        foreach (var operation in OperationTree.Root(addRetry).Descendants())
        {
            if (operation is IInvocationOperation { TargetMethod.Name: "AddRetry" } other
                && other.Syntax.SpanStart < addRetry.Syntax.SpanStart
                && OperationTree.Unwrap(OperationTree.Receiver(other)) is ILocalReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Local, builder))
            {
                Report(context, other, types, inner);
                return;
            }
        }
    }

    private static void Report(OperationAnalysisContext context, IInvocationOperation outerCall, KnownTypes types, RetryLayer inner)
    {
        if (AddedRetry(outerCall, types) is { } outer)
        {
            RetryLayerModel.ReportNested(context.ReportDiagnostic, context.Options, outer with { DisplayName = "the 'AddRetry'" + RetryLayer.OnLine(outer.Location) }, inner with { DisplayName = "this 'AddRetry'" }, inner.Location);
        }
    }

    /// <summary>The retry <c>AddRetry</c> adds, when its options are created in the call: <c>AddRetry(new RetryStrategyOptions { … })</c>.</summary>
    private static RetryLayer? AddedRetry(IInvocationOperation addRetry, KnownTypes types)
    {
        foreach (var argument in addRetry.Arguments)
        {
            if (OperationTree.Unwrap(argument.Value) is IObjectCreationOperation creation
                && PollyOptionsRecognizer.Recognize(creation, types) is { MaxRetryAttempts.Value: { } retries } options)
            {
                return new RetryLayer(RetryLayerKind.PollyV8, options.Subject, retries + 1, RetryLayerModel.NameLocation(addRetry));
            }
        }

        return null;
    }

    /// <summary><c>Policy.Wrap(retry, innerRetry)</c>, <c>retry.WrapAsync(innerRetry)</c>: the first retry is the outer one.</summary>
    private static void WrappedRetries(OperationAnalysisContext context, IInvocationOperation wrap, KnownTypes types)
    {
        RetryLayer? outer = null;
        foreach (var policy in Policies(wrap))
        {
            if (V7Retry(policy, types) is not { } layer)
            {
                continue;
            }

            if (outer is null)
            {
                outer = layer;
            }
            else
            {
                RetryLayerModel.ReportNested(context.ReportDiagnostic, context.Options, outer, layer with { Location = policy.Syntax.GetLocation() }, policy.Syntax.GetLocation());
                return;
            }
        }
    }

    private static System.Collections.Generic.IEnumerable<IOperation> Policies(IInvocationOperation wrap)
    {
        if (wrap.Instance is { } instance)
        {
            yield return instance;
        }

        foreach (var argument in wrap.Arguments)
        {
            if (OperationTree.Unwrap(argument.Value) is IArrayCreationOperation { Initializer: { } elements } && argument.ArgumentKind == ArgumentKind.ParamArray)
            {
                foreach (var element in elements.ElementValues)
                {
                    yield return element;
                }
            }
            else if (argument.ArgumentKind != ArgumentKind.DefaultValue)
            {
                yield return argument.Value;
            }
        }
    }

    /// <summary>A v7 retry policy: the call itself, or a local of the same body initialised with it.</summary>
    private static RetryLayer? V7Retry(IOperation policy, KnownTypes types)
    {
        var value = OperationTree.Unwrap(policy);
        if (value is ILocalReferenceOperation { Local: var local })
        {
            value = null;
            foreach (var operation in OperationTree.Root(policy).Descendants())
            {
                if (operation is IVariableDeclaratorOperation { Initializer.Value: var initial } declarator && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local))
                {
                    value = OperationTree.Unwrap(initial);
                }
            }
        }

        return value is IInvocationOperation call && PollyV7PolicyRecognizer.Recognize(call, types) is { IsForever: false, RetryCount: { } retries } recognised
            ? new RetryLayer(RetryLayerKind.PollyV7, "'" + recognised.MethodName + "'" + RetryLayer.OnLine(recognised.NameLocation), retries + 1, recognised.NameLocation)
            : null;
    }

    /// <summary>
    /// <c>e.UseMessageRetry(r =&gt; r.Interval(3, …))</c> with <c>e.UseDelayedRedelivery(r =&gt; r.Intervals(…))</c> on the same
    /// configurator in the same body: every redelivery runs the message retries again.
    /// </summary>
    private static void RetryInsideRedelivery(OperationAnalysisContext context, IInvocationOperation useRetry, KnownTypes types, LibraryRetryTypes libraries)
    {
        if (Configurator(useRetry) is not { } configurator || MassTransitLayer(useRetry, types, libraries) is not { } inner)
        {
            return;
        }

        foreach (var operation in OperationTree.Root(useRetry).Descendants())
        {
            if (operation is IInvocationOperation { TargetMethod.Name: "UseDelayedRedelivery" or "UseScheduledRedelivery" } redelivery
                && SymbolEqualityComparer.Default.Equals(Configurator(redelivery), configurator)
                && MassTransitLayer(redelivery, types, libraries) is { } outer)
            {
                RetryLayerModel.ReportNested(context.ReportDiagnostic, context.Options, outer, inner, inner.Location);
                return;
            }
        }
    }

    private static ISymbol? Configurator(IInvocationOperation call)
        => OperationTree.ReferencedSymbol(OperationTree.Unwrap(call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 ? call.Arguments[0].Value : call.Instance));

    /// <summary>The retry policy chosen in the call's configure lambda, counted in attempts.</summary>
    private static RetryLayer? MassTransitLayer(IInvocationOperation call, KnownTypes types, LibraryRetryTypes libraries)
    {
        foreach (var argument in call.Arguments)
        {
            var value = OperationTree.Unwrap(argument.Value);
            if (value is IDelegateCreationOperation creation)
            {
                value = creation.Target;
            }

            if (value is not IAnonymousFunctionOperation lambda)
            {
                continue;
            }

            foreach (var operation in OperationTree.Descendants(lambda.Body))
            {
                if (operation is IInvocationOperation policy && MassTransitRetry.Recognize(policy, libraries, types) is { Retries: { } retries } && retries < 1000)
                {
                    return new RetryLayer(RetryLayerKind.Library, "'" + call.TargetMethod.Name + "'", (int)retries + 1, RetryLayerModel.NameLocation(call));
                }
            }
        }

        return null;
    }
}
