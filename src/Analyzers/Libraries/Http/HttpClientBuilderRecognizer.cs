using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Libraries.Polly;
using ResilienceAnalyzers.Retry;

namespace ResilienceAnalyzers.Libraries.Http;

/// <summary>
/// Turns one fluent <c>IHttpClientBuilder</c> chain into an <see cref="HttpClientChain"/>: the client it configures, the
/// <c>HttpClient.Timeout</c> its lambdas set and the handlers it adds with their strategies and effective options
/// (Microsoft.Extensions.Http 8-10, Microsoft.Extensions.Http.Resilience 8-10, Microsoft.Extensions.Http.Polly).
/// </summary>
public static class HttpClientBuilderRecognizer
{
    // HttpStandardResilienceOptions and HttpStandardHedgingResilienceOptions: where each duration the rules read lives.
    private static readonly ImmutableDictionary<string, double> StandardPaths = ImmutableDictionary.CreateRange(new[]
    {
        new KeyValuePair<string, double>("TotalRequestTimeout.Timeout", PollyDefaults.StandardTotalRequestTimeoutMilliseconds),
        new KeyValuePair<string, double>("AttemptTimeout.Timeout", PollyDefaults.StandardAttemptTimeoutMilliseconds),
        new KeyValuePair<string, double>("CircuitBreaker.SamplingDuration", PollyDefaults.StandardSamplingDurationMilliseconds),
    });

    private static readonly ImmutableDictionary<string, double> HedgingPaths = ImmutableDictionary.CreateRange(new[]
    {
        new KeyValuePair<string, double>("TotalRequestTimeout.Timeout", PollyDefaults.StandardTotalRequestTimeoutMilliseconds),
        new KeyValuePair<string, double>("Endpoint.Timeout.Timeout", PollyDefaults.StandardAttemptTimeoutMilliseconds),
        new KeyValuePair<string, double>("Endpoint.CircuitBreaker.SamplingDuration", PollyDefaults.StandardSamplingDurationMilliseconds),
    });

    /// <summary>Cheap test on a call's return type: the builders a factory-client chain passes through.</summary>
    public static bool IsBuilderType(ITypeSymbol? type)
        => type?.Name is "IHttpClientBuilder" or "IHttpStandardResiliencePipelineBuilder" or "IStandardHedgingHandlerBuilder" or "IHttpResiliencePipelineBuilder";

    /// <summary>The chain that ends at <paramref name="top"/>; null when it neither sets a timeout nor adds a handler.</summary>
    public static HttpClientChain? Recognize(IInvocationOperation top, KnownTypes types)
    {
        var steps = FluentChain.Steps(top);
        var timeouts = ImmutableArray.CreateBuilder<ClientTimeout>();
        var handlers = ImmutableArray.CreateBuilder<BuilderHandler>();
        var unseen = false;
        for (var index = 0; index < steps.Count; index++)
        {
            var step = steps[index];
            switch (step.TargetMethod.Name)
            {
                case "AddHttpClient":
                case "ConfigureHttpClient":
                    unseen |= !ClientTimeouts(step, timeouts);
                    break;
                case "AddStandardResilienceHandler":
                case "AddStandardHedgingHandler":
                    handlers.Add(StandardHandler(steps, index, types));
                    break;
                case "AddResilienceHandler":
                    handlers.Add(PipelineHandler(step, types));
                    break;
                case "AddPolicyHandler":
                case "AddTransientHttpErrorPolicy":
                case "AddPolicyHandlerFromRegistry":
                    handlers.Add(PolicyHandler(step, types));
                    break;
                case "AddHttpMessageHandler":
                    handlers.Add(new BuilderHandler(HandlerKind.MessageHandler, FluentChain.CallLocation(step), ImmutableArray<ResilienceStrategy>.Empty, IsComplete: false));
                    break;
            }
        }

        if (timeouts.Count == 0 && handlers.Count == 0 && !unseen)
        {
            return null;
        }

        var key = Key(top, steps);
        return new HttpClientChain(key, top.Syntax.GetLocation(), timeouts.ToImmutable(), handlers.ToImmutable())
        {
            HasUnseenClientConfiguration = unseen,
            Builder = key is null ? Builder(top) : null,
        };
    }

    /// <summary>
    /// The builder a chain that names no client starts from: a parameter of the method (not a lambda's), or a field or
    /// property of this object or a static one, read in one method body (another method may run without this one), whose
    /// type is the factory's <c>IHttpClientBuilder</c>.
    /// </summary>
    private static ChainBuilder? Builder(IInvocationOperation top)
    {
        var start = FluentChain.Start(top);
        if (start?.Type is not { Name: "IHttpClientBuilder" } type || type.ContainingNamespace?.ToDisplayString() != "Microsoft.Extensions.DependencyInjection")
        {
            // A look-alike builder of the application's own is not the factory's.
            return null;
        }

        var body = OperationTree.Root(top).Syntax;
        var where = body.SyntaxTree.FilePath + ":" + body.SpanStart.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/";
        return start switch
        {
            IParameterReferenceOperation { Parameter: { ContainingSymbol: IMethodSymbol { MethodKind: not MethodKind.AnonymousFunction } } parameter } =>
                new ChainBuilder(where + "parameter:" + parameter.Name, "the client builder '" + parameter.Name + "'"),
            IFieldReferenceOperation { Field: var field, Instance: null or IInstanceReferenceOperation } =>
                new ChainBuilder(where + "member:" + field.ToDisplayString(), "the client builder '" + field.Name + "'"),
            IPropertyReferenceOperation { Property: { Parameters.Length: 0 } property, Instance: null or IInstanceReferenceOperation } =>
                new ChainBuilder(where + "member:" + property.ToDisplayString(), "the client builder '" + property.Name + "'"),
            _ => null,
        };
    }

    /// <summary>The client an <c>AddHttpClient</c> registers: its constant name, or its last type argument.</summary>
    public static string? ClientKey(IInvocationOperation addHttpClient)
    {
        var typeArguments = addHttpClient.TargetMethod.TypeArguments;
        if (typeArguments.Length > 0)
        {
            return HttpClientKey.Typed(typeArguments[typeArguments.Length - 1]);
        }

        foreach (var argument in addHttpClient.Arguments)
        {
            if (argument.Parameter?.Name == "name")
            {
                return argument.Value.ConstantValue is { HasValue: true, Value: string name } ? HttpClientKey.Named(name) : null;
            }
        }

        return null;
    }

    /// <summary>
    /// Which client the chain configures: the <c>AddHttpClient</c> in it, the one that initialized the builder local it
    /// starts from, or every client for the parameter of a <c>ConfigureHttpClientDefaults</c> lambda. Null otherwise (a
    /// builder handed in by a caller).
    /// </summary>
    private static string? Key(IInvocationOperation top, List<IInvocationOperation> steps)
    {
        foreach (var step in steps)
        {
            if (step.TargetMethod.Name == "AddHttpClient")
            {
                return ClientKey(step);
            }
        }

        switch (FluentChain.Start(top))
        {
            case IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } } parameter:
                var lambda = OperationTree.Ancestor<IAnonymousFunctionOperation>(parameter);
                return lambda is not null
                       && OperationTree.Outer(lambda).Parent is IDelegateCreationOperation creation
                       && OperationTree.Outer(creation).Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "ConfigureHttpClientDefaults" } }
                    ? HttpClientKey.Defaults
                    : null;
            case ILocalReferenceOperation { Local: { } local } reference:
                return OperationTree.Unwrap(LastWrite(reference, local)) is IInvocationOperation initial
                       && OperationTree.ReferencedSymbol(FluentChain.Start(initial)) is not ILocalSymbol
                    ? Key(initial, FluentChain.Steps(initial))
                    : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// The value a builder local holds where <paramref name="reference"/> reads it: its initializer, or the last
    /// <c>builder = …;</c> before it in the same block (a builder reassigned to another client configures that one). Null
    /// when the last write is elsewhere (a branch, a lambda): which client it holds is not certain.
    /// </summary>
    private static IOperation? LastWrite(ILocalReferenceOperation reference, ILocalSymbol local)
    {
        IOperation? value = null;
        IOperation? write = null;
        foreach (var operation in OperationTree.Root(reference).Descendants())
        {
            if (operation.Syntax.SpanStart >= reference.Syntax.SpanStart)
            {
                continue;
            }

            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    value = declarator.Initializer?.Value;
                    write = null;
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local):
                    value = assignment.Value;
                    write = assignment;
                    break;
            }
        }

        if (write is not null
            && !(write.Parent is IExpressionStatementOperation statement
                 && OperationTree.Ancestor<IBlockOperation>(statement) is { } block
                 && block == OperationTree.Ancestor<IBlockOperation>(reference)))
        {
            return null;
        }

        return value;
    }

    /// <summary>
    /// <c>HttpClient.Timeout</c> assignments in the lambdas of <c>AddHttpClient</c>/<c>ConfigureHttpClient</c>; false when a
    /// configuration of the client cannot be seen (a method group or a delegate from elsewhere).
    /// </summary>
    private static bool ClientTimeouts(IInvocationOperation step, ImmutableArray<ClientTimeout>.Builder timeouts)
    {
        var seen = true;
        foreach (var argument in step.Arguments)
        {
            if (argument.Parameter?.Type is not INamedTypeSymbol { TypeKind: TypeKind.Delegate, DelegateInvokeMethod: { } invoke }
                || !TakesHttpClient(invoke))
            {
                continue;
            }

            if (OperationTree.Unwrap(argument.Value) is not IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda })
            {
                seen = false;
                continue;
            }

            foreach (var operation in lambda.Body.Descendants())
            {
                if (IsHttpClientTimeout(operation, out var assignment) && OperationTree.Unwrap(((IPropertyReferenceOperation)assignment.Target).Instance) is IParameterReferenceOperation)
                {
                    var runsOnce = assignment.Parent is IExpressionStatementOperation or IReturnOperation && assignment.Parent.Parent == lambda.Body;
                    timeouts.Add(new ClientTimeout(runsOnce ? TimeValue.TryGetMilliseconds(assignment.Value) : null, assignment.Syntax.GetLocation()));
                }
            }
        }

        return seen;
    }

    /// <summary>A delegate's invoke method or a constructor that is given an <c>HttpClient</c>.</summary>
    public static bool TakesHttpClient(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            if (parameter.Type is { Name: "HttpClient" })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>client.Timeout = …</c> on a <c>System.Net.Http.HttpClient</c>.</summary>
    public static bool IsHttpClientTimeout(IOperation operation, out ISimpleAssignmentOperation assignment)
    {
        assignment = null!;
        if (operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property: { Name: "Timeout", ContainingType: { Name: "HttpClient" } type } } } written
            && type.ContainingNamespace?.ToDisplayString() == "System.Net.Http")
        {
            assignment = written;
            return true;
        }

        return false;
    }

    /// <summary>The standard resilience or hedging handler, with the <c>Configure</c> calls chained right after it.</summary>
    private static BuilderHandler StandardHandler(List<IInvocationOperation> steps, int index, KnownTypes types)
    {
        var step = steps[index];
        var hedging = step.TargetMethod.Name == "AddStandardHedgingHandler";
        var location = FluentChain.CallLocation(step);
        var optionsType = hedging ? types.Polly.HttpStandardHedgingResilienceOptions : types.Polly.HttpStandardResilienceOptions;
        var paths = hedging ? HedgingPaths : StandardPaths;
        var durations = paths.ToImmutableDictionary(p => p.Key, p => OptionSetting<double>.Default(p.Value));
        var retry = hedging ? null : PollyOptionsRecognizer.StandardHandlerDefaults(types);

        // AddStandardResilienceHandler(o => …) configures in place; the hedging handler's argument routes, its options come by Configure.
        var configurations = new List<IInvocationOperation>();
        if (!hedging && HasConfiguration(step))
        {
            configurations.Add(step);
        }

        for (var next = index + 1; next < steps.Count && steps[next].TargetMethod.Name == "Configure"; next++)
        {
            configurations.Add(steps[next]);
        }

        foreach (var configuration in configurations)
        {
            if (optionsType is null || PollyOptionsRecognizer.RecognizeHandlerDurations(configuration, optionsType, paths) is not { } set)
            {
                // A configuration section or an options delegate from elsewhere: nothing is known.
                durations = paths.ToImmutableDictionary(p => p.Key, _ => OptionSetting<double>.Default(null));
                retry = null;
                continue;
            }

            foreach (var pair in set)
            {
                if (!pair.Value.IsDefault || pair.Value.Value is null)
                {
                    durations = durations.SetItem(pair.Key, pair.Value);
                }
            }

            if (!hedging)
            {
                retry = PollyOptionsRecognizer.RecognizeStandardHandler(configuration, types);
            }
        }

        var prefix = hedging ? "Endpoint." : string.Empty;
        var strategies = ImmutableArray.CreateBuilder<ResilienceStrategy>();
        strategies.Add(Duration(StrategyKind.Timeout, "TotalRequestTimeout", durations["TotalRequestTimeout.Timeout"], location));
        strategies.Add(hedging
            ? new ResilienceStrategy(StrategyKind.Hedging, "Hedging", location) { IsDefault = true }
            : ResiliencePipelineRecognizer.Retry("Retry", RetryLocation(retry) ?? location, retry) with { IsDefault = RetryLocation(retry) is null });
        strategies.Add(Duration(StrategyKind.CircuitBreaker, prefix + "CircuitBreaker.SamplingDuration", durations[prefix + "CircuitBreaker.SamplingDuration"], location));
        strategies.Add(Duration(StrategyKind.Timeout, hedging ? "Endpoint.Timeout" : "AttemptTimeout", durations[prefix + (hedging ? "Timeout.Timeout" : "AttemptTimeout.Timeout")], location));
        return new BuilderHandler(hedging ? HandlerKind.StandardHedging : HandlerKind.StandardResilience, location, strategies.ToImmutable(), IsComplete: true);
    }

    private static bool HasConfiguration(IInvocationOperation step)
    {
        foreach (var argument in step.Arguments)
        {
            if (argument.Parameter?.Ordinal > 0 || !step.TargetMethod.IsExtensionMethod)
            {
                return true;
            }
        }

        return false;
    }

    private static ResilienceStrategy Duration(StrategyKind kind, string name, OptionSetting<double> setting, Location handler)
    {
        var location = setting.Assignment?.GetLocation() ?? handler;
        return kind == StrategyKind.Timeout
            ? new ResilienceStrategy(kind, name, location) { TimeoutMilliseconds = setting.Value, IsDefault = setting.IsDefault }
            : new ResilienceStrategy(kind, name, location) { SamplingDurationMilliseconds = setting.Value, IsDefault = setting.IsDefault };
    }

    /// <summary>Where the retry's delays are decided: the last of its <c>Delay</c>, <c>BackoffType</c>, <c>MaxRetryAttempts</c> assignments.</summary>
    private static Location? RetryLocation(PollyOptionsModel? retry)
    {
        SyntaxNode? last = null;
        foreach (var assignment in new[] { retry?.MaxRetryAttempts.Assignment, retry?.BackoffType.Assignment, retry?.DelayMilliseconds.Assignment, retry?.MaxDelayMilliseconds.Assignment })
        {
            if (assignment is not null && (last is null || assignment.SpanStart > last.SpanStart))
            {
                last = assignment;
            }
        }

        return last?.GetLocation();
    }

    /// <summary><c>AddResilienceHandler("name", b =&gt; …)</c>: the strategies its lambda adds.</summary>
    private static BuilderHandler PipelineHandler(IInvocationOperation step, KnownTypes types)
    {
        foreach (var argument in step.Arguments)
        {
            if (OperationTree.Unwrap(argument.Value) is not IDelegateCreationOperation creation)
            {
                continue;
            }

            var pipeline = creation.Target switch
            {
                IAnonymousFunctionOperation lambda => ResiliencePipelineRecognizer.RecognizeLambda(lambda, types),
                IMethodReferenceOperation { Method: { MethodKind: MethodKind.LocalFunction } local } =>
                    ResiliencePipelineRecognizer.RecognizeBody(local, LocalFunctionBody(step, local), types),
                _ => null,
            };
            if (pipeline is not null)
            {
                return new BuilderHandler(HandlerKind.ResiliencePipeline, FluentChain.CallLocation(step), pipeline.Strategies, pipeline.IsComplete);
            }
        }

        return new BuilderHandler(HandlerKind.ResiliencePipeline, FluentChain.CallLocation(step), ImmutableArray<ResilienceStrategy>.Empty, IsComplete: false);
    }

    /// <summary>The body of a local function of the method that registers the handler (a method elsewhere stays unseen).</summary>
    public static IBlockOperation? LocalFunctionBody(IInvocationOperation step, IMethodSymbol local)
    {
        foreach (var operation in OperationTree.Root(step).Descendants())
        {
            if (operation is ILocalFunctionOperation function && SymbolEqualityComparer.Default.Equals(function.Symbol, local))
            {
                return function.Body;
            }
        }

        return null;
    }

    /// <summary>A Polly v7 policy handler: the retry, circuit-breaker and timeout policies visible in its argument.</summary>
    private static BuilderHandler PolicyHandler(IInvocationOperation step, KnownTypes types)
    {
        var strategies = ImmutableArray.CreateBuilder<ResilienceStrategy>();
        var complete = step.TargetMethod.Name != "AddPolicyHandlerFromRegistry";
        foreach (var argument in step.Arguments)
        {
            if (argument.Parameter?.Ordinal == 0 && step.TargetMethod.IsExtensionMethod)
            {
                continue;
            }

            var value = OperationTree.Unwrap(argument.Value);
            if (value is ILocalReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation or IParameterReferenceOperation)
            {
                complete = false;
            }

            foreach (var operation in argument.Value.DescendantsAndSelf())
            {
                if (operation is not IInvocationOperation call)
                {
                    continue;
                }

                if (types.Polly.HasV7 && PollyV7PolicyRecognizer.Recognize(call, types) is { } policy)
                {
                    strategies.Add(new ResilienceStrategy(StrategyKind.Retry, policy.MethodName, policy.NameLocation) { RetryAttempts = policy.RetryCount });
                }
                else if (call.TargetMethod.Name.IndexOf("CircuitBreaker", StringComparison.Ordinal) >= 0
                         && call.TargetMethod.ContainingNamespace?.ToDisplayString() is "Polly" or "Polly.CircuitBreaker")
                {
                    // CircuitBreakerAsync, AdvancedCircuitBreakerAsync (RES030 counts it; its durations are not read).
                    strategies.Add(new ResilienceStrategy(StrategyKind.CircuitBreaker, call.TargetMethod.Name, FluentChain.CallLocation(call)));
                }
                else if (call.TargetMethod.Name.StartsWith("Timeout", StringComparison.Ordinal) && call.TargetMethod.ContainingType?.Name == "Policy")
                {
                    strategies.Add(new ResilienceStrategy(StrategyKind.Timeout, call.TargetMethod.Name, FluentChain.CallLocation(call)));
                }
                else if (call.TargetMethod.DeclaringSyntaxReferences.Length > 0)
                {
                    // A helper of the compilation builds the policy: what it holds is not followed.
                    complete = false;
                }
            }
        }

        return new BuilderHandler(HandlerKind.PollyV7Policy, FluentChain.CallLocation(step), strategies.ToImmutable(), complete);
    }
}
