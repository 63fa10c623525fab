using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Libraries.Polly;

/// <summary>What a Polly pipeline or policy keeps between executions.</summary>
public enum PollyState
{
    /// <summary>A circuit breaker: the failures it counts and whether it is open.</summary>
    CircuitBreaker,

    /// <summary>A rate limiter, concurrency limiter or bulkhead: the permits in use.</summary>
    Limiter,
}

/// <summary>
/// Polly pipelines and policies whose strategies keep state between executions (RES022): Polly 8
/// <c>ResiliencePipelineBuilder[&lt;T&gt;].Build()</c> of a chain with <c>AddCircuitBreaker</c>,
/// <c>AddConcurrencyLimiter</c> or <c>AddRateLimiter</c> creating its limiter; Polly 7 <c>CircuitBreaker*</c> and
/// <c>AdvancedCircuitBreaker*</c>, <c>Policy.Bulkhead*</c> and <c>Policy.RateLimit*</c>. A pipeline of retries and timeouts
/// only keeps nothing and is not modelled.
/// </summary>
/// <remarks>
/// The chain is read down its receivers (<c>new ResiliencePipelineBuilder().AddRetry(…).AddCircuitBreaker(…).Build()</c>)
/// and, when it starts from a local holding a <c>new</c> builder, through the calls made on that local in the same body.
/// A builder from anywhere else (a parameter, a field, a helper) may carry strategies that cannot be seen: unknown.
/// <c>AddRateLimiter(limiter)</c> given an existing limiter shares that limiter's state, and is not counted.
/// </remarks>
public static class PollyStatefulStrategies
{
    private const int MaxChain = 16;

    /// <summary>A cheap first test on a call's name, before any symbol is compared.</summary>
    public static bool IsCandidateName(string name)
        => name == "Build"
           || name.StartsWith("CircuitBreaker", StringComparison.Ordinal) || name.StartsWith("AdvancedCircuitBreaker", StringComparison.Ordinal)
           || name.StartsWith("Bulkhead", StringComparison.Ordinal) || name.StartsWith("RateLimit", StringComparison.Ordinal);

    /// <summary>The state the pipeline or policy made by <paramref name="call"/> keeps; null when none, or when it cannot be seen.</summary>
    public static PollyState? Recognize(IInvocationOperation call, PollyTypes types)
    {
        var method = call.TargetMethod;
        if (method.Name == "Build")
        {
            return TypeFacts.IsOrDerivesFrom(method.ContainingType, types.ResiliencePipelineBuilderBase) ? StateOfChain(call) : null;
        }

        if (!IsFromPolly(method, types))
        {
            return null;
        }

        if (method.Name.StartsWith("CircuitBreaker", StringComparison.Ordinal) || method.Name.StartsWith("AdvancedCircuitBreaker", StringComparison.Ordinal))
        {
            // CircuitBreakerSyntax, AsyncAdvancedCircuitBreakerTResultSyntax, ...: extension methods on PolicyBuilder.
            return method.IsExtensionMethod && method.ContainingType.Name.Contains("CircuitBreaker") ? PollyState.CircuitBreaker : null;
        }

        var factory = method.ContainingType.OriginalDefinition;
        return method.IsStatic && (SymbolEqualityComparer.Default.Equals(factory, types.Policy) || SymbolEqualityComparer.Default.Equals(factory, types.PolicyOfT))
            ? PollyState.Limiter
            : null;
    }

    private static bool IsFromPolly(IMethodSymbol method, PollyTypes types)
        => types.Policy is { } policy && SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, policy.ContainingAssembly);

    /// <summary>The strongest state the builder's visible steps add: a breaker before a limiter; null when none.</summary>
    private static PollyState? StateOfChain(IInvocationOperation build)
    {
        PollyState? state = null;
        var receiver = OperationTree.Receiver(build);
        for (var depth = 0; depth < MaxChain && receiver is IInvocationOperation step; depth++)
        {
            state = Strongest(state, StateOf(step));
            receiver = OperationTree.Receiver(step);
        }

        switch (receiver)
        {
            case IObjectCreationOperation:
                return state;
            case ILocalReferenceOperation { Local: var builder } when OperationTree.Unwrap(LocalWrites.Single(builder, build)) is IObjectCreationOperation:
                // var builder = new ResiliencePipelineBuilder(); builder.AddCircuitBreaker(…); builder.Build();
                foreach (var operation in OperationTree.Root(build).Descendants())
                {
                    if (operation is IInvocationOperation call && call != build && IsOn(call, builder))
                    {
                        state = Strongest(state, StateOf(call));
                    }
                }

                return state;
            default:
                return null;
        }
    }

    /// <summary>A call made on the builder local, directly or further down a chain that starts from it.</summary>
    private static bool IsOn(IInvocationOperation call, ILocalSymbol builder)
    {
        var receiver = OperationTree.Receiver(call);
        for (var depth = 0; depth < MaxChain && receiver is IInvocationOperation inner; depth++)
        {
            receiver = OperationTree.Receiver(inner);
        }

        return receiver is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, builder);
    }

    private static PollyState? StateOf(IInvocationOperation step)
    {
        switch (step.TargetMethod.Name)
        {
            case "AddCircuitBreaker":
                return PollyState.CircuitBreaker;
            case "AddConcurrencyLimiter":
                return PollyState.Limiter;
            case "AddRateLimiter":
                // A limiter made here is this pipeline's; one handed in (a field, a parameter) is shared.
                var index = step.TargetMethod.IsExtensionMethod ? 1 : 0;
                return step.Arguments.Length > index && CreatesItsLimiter(step.Arguments[index].Value) ? PollyState.Limiter : null;
            default:
                return null;
        }
    }

    /// <summary><c>new ConcurrencyLimiter(…)</c>, or <c>new RateLimiterStrategyOptions { … }</c> that does not set <c>RateLimiter</c>.</summary>
    private static bool CreatesItsLimiter(IOperation argument)
    {
        if (OperationTree.Unwrap(argument) is not IObjectCreationOperation creation)
        {
            return false;
        }

        if (creation.Type?.Name != "RateLimiterStrategyOptions")
        {
            return creation.Type?.Name.EndsWith("Limiter", StringComparison.Ordinal) == true;
        }

        if (creation.Initializer is { } initializer)
        {
            foreach (var member in initializer.Initializers)
            {
                if (member is IAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "RateLimiter" } })
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static PollyState? Strongest(PollyState? a, PollyState? b)
        => a == PollyState.CircuitBreaker || b == PollyState.CircuitBreaker ? PollyState.CircuitBreaker : a ?? b;
}
