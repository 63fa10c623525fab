using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>
/// A method that calls itself from a catch with the same arguments (or with an attempt argument that
/// steps by one) runs its protected call again, unless the catch is a write conflict
/// (<see cref="ConflictExceptions"/>): then the call re-reads what the other writer left.
/// </summary>
public static class RecursiveRetryRecognizer
{
    public static RetryConstruct? Recognize(IInvocationOperation invocation, ISymbol containingSymbol, RetryRecognitionContext context)
    {
        if (containingSymbol is not IMethodSymbol method
            || !SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.OriginalDefinition, method.OriginalDefinition)
            || invocation.Instance is not (null or IInstanceReferenceOperation)
            || OperationTree.Ancestor<ICatchClauseOperation>(invocation) is not { } @catch
            || @catch.Parent is not ITryOperation @try
            || ConflictExceptions.IsConflict(@catch.ExceptionType)
            || !ControlFlowFacts.CallsOut(@try, context))
        {
            return null;
        }

        var counters = new List<ISymbol>();
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                // Left to its default, a flag or an option the method reads is another request
                // (ChangeDirectory(path) from a catch that ran with autoCreateDirectory: true fixes, then goes once);
                // a token left to its default changes nothing the dependency sees.
                if (argument.Parameter?.Type.Name == "CancellationToken" || !IsRead(argument.Parameter, invocation))
                {
                    continue;
                }

                return null;
            }

            var value = OperationTree.Unwrap(argument.Value);
            if (value is IParameterReferenceOperation same && SymbolEqualityComparer.Default.Equals(same.Parameter, argument.Parameter))
            {
                continue;
            }

            // attempt + 1, ++attempt, attempt - 1: the attempt travels through the call.
            var stepped = value switch
            {
                IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } step => OperationTree.Unwrap(step.LeftOperand),
                IIncrementOrDecrementOperation increment => OperationTree.Unwrap(increment.Target),
                _ => null,
            };
            if (stepped is IParameterReferenceOperation counter && SymbolEqualityComparer.Default.Equals(counter.Parameter, argument.Parameter))
            {
                counters.Add(counter.Parameter);
                continue;
            }

            // Different arguments: a different call, not the same operation again.
            return null;
        }

        var root = OperationTree.Root(invocation);
        foreach (var field in AttemptBoundRecognizer.FindCounters(new[] { root }))
        {
            if (!AttemptBoundRecognizer.Contains(counters, field))
            {
                counters.Add(field);
            }
        }

        var guards = new List<IOperation>();
        if (@catch.Filter is { } filter)
        {
            guards.Add(filter);
        }

        // A guard anywhere in the method can end the recursion (if (attempt > 3) throw; at the top).
        guards.AddRange(ControlFlowFacts.ExitGuards(root, loop: null));
        var scope = new RetryScope(context.Types, root, root.Syntax.Span, counters);
        var bound = AttemptBoundRecognizer.Recognize(guards, new[] { @catch.Handler }, counters, scope);
        var delay = DelayRecognizer.Recognize(new[] { (IOperation)@catch.Handler }, scope, out var delayCall, @try.Body, invocation);

        return new RetryConstruct(
            RetryConstructKind.Recursion,
            invocation.Syntax.GetLocation(),
            bound,
            delay,
            @try.Syntax,
            ImmutableArray.Create(@try.Catches.IndexOf(@catch)),
            delayCall,
            everyExceptionCatch: EveryExceptionCatch.Find(@try, ImmutableArray.Create(@try.Catches.IndexOf(@catch))));
    }

    /// <summary>The method reads <paramref name="parameter"/> somewhere (a condition, a filter, a call).</summary>
    private static bool IsRead(IParameterSymbol? parameter, IOperation within)
        => parameter is not null
           && OperationTree.Any(OperationTree.Root(within), o => o is IParameterReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter));
}
