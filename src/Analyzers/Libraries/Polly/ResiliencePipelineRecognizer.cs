using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Libraries.Http;
using ResilienceAnalyzers.Retry;

namespace ResilienceAnalyzers.Libraries.Polly;

/// <summary>
/// The strategies a Polly v8 <c>ResiliencePipelineBuilder</c> adds, outermost first (the first added wraps the rest):
/// one fluent chain, or the statements of one block on the same builder local or lambda parameter
/// (<c>AddResilienceHandler("x", b =&gt; { b.AddTimeout(…); b.AddRetry(…); })</c>). A step inside a branch or loop is left
/// out and makes the pipeline incomplete: certain or silent.
/// </summary>
public static class ResiliencePipelineRecognizer
{
    /// <summary>Cheap test on a call's return type: a <c>ResiliencePipelineBuilder</c> or <c>ResiliencePipelineBuilder&lt;T&gt;</c>.</summary>
    public static bool IsBuilderType(ITypeSymbol? type) => type is { Name: "ResiliencePipelineBuilder" };

    /// <summary>
    /// The pipeline the chain ending at <paramref name="top"/> belongs to, when <paramref name="top"/> is the first chain
    /// that builds it (so each pipeline is judged once); null otherwise.
    /// </summary>
    public static Pipeline? RecognizeFromFirstChain(IInvocationOperation top, KnownTypes types)
    {
        var builder = OperationTree.ReferencedSymbol(FluentChain.Start(top));
        if (builder is not (ILocalSymbol or IParameterSymbol))
        {
            if (OperationTree.Outer(top).Parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
            {
                // new ResiliencePipelineBuilder().AddTimeout(…).AddRetry(…), or a chain on a field or call: the chain is all there is.
                var whole = FluentChain.Steps(top);
                return whole.Count == 0 || !IsPollyStep(whole[whole.Count - 1]) ? null : Build(whole, complete: true, types);
            }

            // var builder = new ResiliencePipelineBuilder().AddTimeout(…); builder.AddRetry(…);
            builder = declarator.Symbol;
        }

        var segments = Segments(top, builder, out var complete);
        return segments.Count > 0 && segments[0] == top ? Build(Flatten(segments), complete, types) : null;
    }

    /// <summary>The strategies a configure lambda adds to its builder parameter (<c>b =&gt; b.AddRetry(…).AddTimeout(…)</c>).</summary>
    public static Pipeline? RecognizeLambda(IAnonymousFunctionOperation lambda, KnownTypes types) => RecognizeBody(lambda.Symbol, lambda.Body, types);

    /// <summary>
    /// The pipeline a configure callback with a body in sight builds on its builder parameter: a lambda, or a local function
    /// given as a method group (<c>AddResilienceHandler("name", Configure)</c>).
    /// </summary>
    public static Pipeline? RecognizeBody(IMethodSymbol callback, IBlockOperation? body, KnownTypes types)
    {
        if (body is null || callback.Parameters.Length == 0 || !IsBuilderType(callback.Parameters[0].Type))
        {
            return null;
        }

        var parameter = callback.Parameters[0];
        var complete = true;
        var segments = new List<IInvocationOperation>();
        foreach (var operation in body.Operations)
        {
            if (StatementChain(operation) is { } chain && OperationTree.ReferencedSymbol(FluentChain.Start(chain)) is IParameterSymbol used
                && SymbolEqualityComparer.Default.Equals(used, parameter))
            {
                segments.Add(chain);
            }
            else if (OperationTree.Any(operation, o => o is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter)))
            {
                complete = false;
            }
        }

        return Build(Flatten(segments), complete, types);
    }

    /// <summary>The chains on <paramref name="builder"/> in the block of <paramref name="top"/>: its initializer's chain, then each statement's.</summary>
    private static List<IInvocationOperation> Segments(IInvocationOperation top, ISymbol builder, out bool complete)
    {
        complete = true;
        var segments = new List<IInvocationOperation>();
        var block = OperationTree.Ancestor<IBlockOperation>(top);
        if (block is null)
        {
            return segments;
        }

        foreach (var operation in block.Operations)
        {
            if (StatementChain(operation) is { } chain && SymbolEqualityComparer.Default.Equals(OperationTree.ReferencedSymbol(FluentChain.Start(chain)), builder))
            {
                segments.Add(chain);
            }
            else if (operation is IVariableDeclarationGroupOperation group && Initializes(group, builder) is { } initial)
            {
                segments.Add(initial);
            }
            else if (OperationTree.Any(operation, o => SymbolEqualityComparer.Default.Equals(OperationTree.ReferencedSymbol(o), builder) && o.Parent is not IVariableDeclaratorOperation))
            {
                complete = false;
            }
        }

        return segments;
    }

    private static IInvocationOperation? Initializes(IVariableDeclarationGroupOperation group, ISymbol builder)
    {
        foreach (var declaration in group.Declarations)
        {
            foreach (var declarator in declaration.Declarators)
            {
                if (SymbolEqualityComparer.Default.Equals(declarator.Symbol, builder))
                {
                    return OperationTree.Unwrap(declarator.Initializer?.Value) as IInvocationOperation;
                }
            }
        }

        return null;
    }

    /// <summary>The chain a statement consists of: <c>b.AddTimeout(…).AddRetry(…);</c> or an expression-bodied lambda's value.</summary>
    private static IInvocationOperation? StatementChain(IOperation statement)
        => statement switch
        {
            IExpressionStatementOperation { Operation: IInvocationOperation call } => call,
            IReturnOperation { ReturnedValue: { } value } => OperationTree.Unwrap(value) as IInvocationOperation,
            _ => null,
        };

    private static List<IInvocationOperation> Flatten(List<IInvocationOperation> segments)
    {
        var steps = new List<IInvocationOperation>();
        foreach (var segment in segments)
        {
            steps.AddRange(FluentChain.Steps(segment));
        }

        return steps;
    }

    private static bool IsPollyStep(IInvocationOperation step)
    {
        var ns = step.TargetMethod.ContainingNamespace?.ToDisplayString() ?? string.Empty;
        return OutboundOperations.IsSameOrChild(ns, "Polly") || OutboundOperations.IsSameOrChild(ns, "Microsoft.Extensions.Http.Resilience");
    }

    private static Pipeline Build(List<IInvocationOperation> steps, bool complete, KnownTypes types)
    {
        var strategies = ImmutableArray.CreateBuilder<ResilienceStrategy>();
        foreach (var step in steps)
        {
            if (!IsBuilderType(step.Type) || !step.TargetMethod.Name.StartsWith("Add", StringComparison.Ordinal))
            {
                continue;
            }

            if (!IsPollyStep(step))
            {
                // A helper of the compilation's own: what it adds cannot be seen here.
                complete = false;
                strategies.Add(new ResilienceStrategy(StrategyKind.Other, step.TargetMethod.Name, FluentChain.CallLocation(step)));
                continue;
            }

            strategies.Add(Strategy(step, types));
        }

        return new Pipeline(strategies.ToImmutable(), complete);
    }

    private static ResilienceStrategy Strategy(IInvocationOperation step, KnownTypes types)
    {
        var location = FluentChain.CallLocation(step);
        var name = step.TargetMethod.Name;
        var argument = Argument(step);
        switch (name)
        {
            case "AddTimeout":
                return new ResilienceStrategy(StrategyKind.Timeout, name, location) { TimeoutMilliseconds = TimeoutValue(argument) };
            case "AddRetry":
                var options = argument is null ? null : PollyOptionsRecognizer.RecognizeValue(argument, types);
                return Retry(name, location, options);
            case "AddCircuitBreaker":
                return new ResilienceStrategy(StrategyKind.CircuitBreaker, name, location)
                {
                    SamplingDurationMilliseconds = OptionsDuration(argument, "SamplingDuration", PollyDefaults.StandardSamplingDurationMilliseconds),
                };
            case "AddHedging":
                return new ResilienceStrategy(StrategyKind.Hedging, name, location);
            default:
                return new ResilienceStrategy(StrategyKind.Other, name, location);
        }
    }

    /// <summary>A retry strategy from its effective options (null options: not computable).</summary>
    public static ResilienceStrategy Retry(string name, Location location, PollyOptionsModel? options)
        => new(StrategyKind.Retry, name, location)
        {
            RetryAttempts = options?.MaxRetryAttempts.Value,
            RetryDelays = options is null ? null : RetrySchedule.Delays(options),
            RetryUseJitter = options?.UseJitter.Value,
            RetryStopsWhenACircuitOpens = options?.StopsWhenACircuitOpens == true,
        };

    private static IOperation? Argument(IInvocationOperation step)
    {
        var index = step.TargetMethod.IsExtensionMethod ? 1 : 0;
        return step.Arguments.Length > index ? step.Arguments[index].Value : null;
    }

    /// <summary><c>AddTimeout(TimeSpan)</c>, or <c>AddTimeout(new TimeoutStrategyOptions { Timeout = … })</c> (30 s unless set).</summary>
    private static double? TimeoutValue(IOperation? argument)
        => argument?.Type?.Name == "TimeSpan"
            ? TimeValue.TryGetMilliseconds(argument)
            : OptionsDuration(argument, "Timeout", PollyDefaults.TimeoutMilliseconds);

    /// <summary>A duration set in the initializer of an options creation passed straight in, or its default; null otherwise.</summary>
    private static double? OptionsDuration(IOperation? argument, string property, double defaultValue)
    {
        if (OperationTree.Unwrap(argument) is not IObjectCreationOperation creation)
        {
            return null;
        }

        var value = (double?)defaultValue;
        if (creation.Initializer is { } initializer)
        {
            foreach (var member in initializer.Initializers)
            {
                if (member is not IAssignmentOperation { Target: IPropertyReferenceOperation written } assignment)
                {
                    return null;
                }

                if (written.Property.Name == property)
                {
                    value = assignment is ISimpleAssignmentOperation ? TimeValue.TryGetMilliseconds(assignment.Value) : null;
                }
                else if (written.Property.Name.EndsWith("Generator", StringComparison.Ordinal) && property == "Timeout")
                {
                    return null;
                }
            }
        }

        return value;
    }

    /// <summary>The strategies, outermost first, and whether every step of the pipeline was in sight.</summary>
    public sealed record Pipeline(ImmutableArray<ResilienceStrategy> Strategies, bool IsComplete);
}
