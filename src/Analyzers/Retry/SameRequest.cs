using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>
/// DESIGN.md, "A retry re-sends the same request after it failed": the outbound calls a loop repeats must read the
/// same receiver and arguments on every attempt. A loop whose calls read a target that moves per iteration (the
/// next endpoint, host or queued item, an element picked by the counter, a page token from the last response, an
/// offset advanced by what was read) is failover, draining or paging: every target is tried once, which is not a
/// retry. Found with data flow over the loop's writes, not by the shape of the loop.
/// </summary>
internal static class SameRequest
{
    /// <summary>Calls that hand out the next item of a sequence.</summary>
    private static readonly string[] AdvancingNames =
    {
        "Dequeue", "TryDequeue", "DequeueAsync", "Pop", "TryPop", "Take", "TryTake", "TryRead", "MoveNext", "MoveNextAsync",
    };

    /// <summary>True unless an outbound call in <paramref name="region"/> reads a target that moves with each iteration of <paramref name="loop"/>.</summary>
    public static bool Holds(IOperation region, ILoopOperation loop, RetryRecognitionContext context)
    {
        // The loop's writes are read once, and only when an outbound call needs judging.
        HashSet<ISymbol>? moving = null;
        HashSet<ISymbol>? assigned = null;
        HashSet<ISymbol>? stepped = null;
        foreach (var operation in OperationTree.Descendants(region))
        {
            // The call being repeated may be one the compilation cannot see into (a delegate handed in).
            if (!context.Outbound.IsOutbound(operation)
                && !(operation is IInvocationOperation invocation && ControlFlowFacts.IsOpaque(invocation.TargetMethod)))
            {
                continue;
            }

            if (moving is null)
            {
                (moving, assigned) = Writes(loop, out stepped);
            }

            if (ReadsMovingTarget(operation, moving, assigned!, stepped!))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The receiver and arguments of <paramref name="call"/> (not what nested lambdas do) read a moving symbol, an
    /// element chosen by something the loop writes, or the next item of a sequence.
    /// </summary>
    private static bool ReadsMovingTarget(IOperation call, HashSet<ISymbol> moving, HashSet<ISymbol> written, HashSet<ISymbol> stepped)
    {
        foreach (var operand in Operands(call))
        {
            if (IsMovingValue(operand, moving, written) || FormatsAny(operand, stepped))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<IOperation> Operands(IOperation call)
    {
        switch (call)
        {
            case IInvocationOperation invocation:
                if (invocation.Instance is { } instance)
                {
                    yield return instance;
                }

                foreach (var argument in invocation.Arguments)
                {
                    if (argument.ArgumentKind != ArgumentKind.DefaultValue)
                    {
                        yield return argument.Value;
                    }
                }

                break;
            case IObjectCreationOperation creation:
                foreach (var argument in creation.Arguments)
                {
                    yield return argument.Value;
                }

                break;
        }
    }

    /// <summary>
    /// Symbols whose value names another target on each iteration. A counter stepped by a constant and a delay that
    /// grows from itself are attempt bookkeeping, not targets; a flag or a caught exception names no target either.
    /// </summary>
    /// <returns>
    /// The moving symbols, and every symbol the loop assigns (increments, assignments, out and ref arguments; not
    /// locals merely declared in it), which an element index must not read.
    /// </returns>
    private static (HashSet<ISymbol> Moving, HashSet<ISymbol> Assigned) Writes(ILoopOperation loop, out HashSet<ISymbol> steppedCounters)
    {
        var writes = new List<(ISymbol Symbol, IOperation? Value, bool Stepped)>();
        var assigned = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in OperationTree.Descendants(loop))
        {
            var assignedSymbol = operation switch
            {
                IIncrementOrDecrementOperation increment => OperationTree.ReferencedSymbol(increment.Target),
                IAssignmentOperation assignment => OperationTree.ReferencedSymbol(assignment.Target),
                IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } argument => OperationTree.ReferencedSymbol(argument.Value),
                _ => null,
            };
            if (assignedSymbol is not null)
            {
                assigned.Add(assignedSymbol);
            }

            switch (operation)
            {
                case IIncrementOrDecrementOperation increment when OperationTree.ReferencedSymbol(increment.Target) is { } counter:
                    writes.Add((counter, null, true));
                    break;
                case ICompoundAssignmentOperation compound when OperationTree.ReferencedSymbol(compound.Target) is { } target:
                    // `attempt += 1` and `delay *= 2` keep count; `offset += read` moves to the next chunk.
                    writes.Add((target, compound.Value.ConstantValue.HasValue ? null : compound.Value, compound.Value.ConstantValue.HasValue));
                    break;
                case ISimpleAssignmentOperation assignment when OperationTree.ReferencedSymbol(assignment.Target) is { } target:
                    writes.Add((target, assignment.Value, false));
                    break;
                case IVariableDeclaratorOperation { Initializer: { } initializer } declarator:
                    writes.Add((declarator.Symbol, initializer.Value, false));
                    break;
                case IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } argument
                    when OperationTree.ReferencedSymbol(argument.Value) is { } target && argument.Parent is IInvocationOperation producer:
                    writes.Add((target, producer, false));
                    break;
            }
        }

        var moving = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var written = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        steppedCounters = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var write in writes)
        {
            written.Add(write.Symbol);
            if (write.Stepped)
            {
                steppedCounters.Add(write.Symbol);
            }
        }

        // A counter written into the request's text (the port of $"wss://host:{port}/") names a new target each pass.
        foreach (var (symbol, value, stepped) in writes)
        {
            if (!stepped && value is not null && FormatsAny(value, steppedCounters))
            {
                moving.Add(symbol);
            }
        }

        // Grow the set until nothing changes: a value derived from a moving one moves too.
        bool changed;
        do
        {
            changed = false;
            foreach (var (symbol, value, stepped) in writes)
            {
                if (stepped || value is null || moving.Contains(symbol) || NamesNoTarget(symbol))
                {
                    continue;
                }

                var declaredInside = IsDeclaredIn(symbol, loop);
                if (IsMovingValue(value, moving, written)
                    || (!declaredInside && CarriesOver(symbol, value, loop)))
                {
                    moving.Add(symbol);
                    changed = true;
                }
            }
        }
        while (changed);

        return (moving, assigned);
    }

    /// <summary>
    /// A value that picks a target: an element indexed by something the loop writes, the next item of a sequence,
    /// an enumerator's <c>Current</c>, or a moving symbol.
    /// </summary>
    private static bool IsMovingValue(IOperation value, HashSet<ISymbol> moving, HashSet<ISymbol> written)
        => OperationTree.Any(value, o => o switch
        {
            IArrayElementReferenceOperation element => ReadsAny(element.Indices, written),
            IPropertyReferenceOperation { Property.IsIndexer: true } indexer => ReadsAnyArgument(indexer.Arguments, written),
            IPropertyReferenceOperation { Property.Name: "Current" } => true,
            IInvocationOperation invocation => Array.IndexOf(AdvancingNames, invocation.TargetMethod.Name) >= 0
                                               || invocation.TargetMethod.Name.StartsWith("Next", StringComparison.Ordinal)
                                               || invocation.TargetMethod.Name.StartsWith("GetNext", StringComparison.Ordinal),
            _ => OperationTree.ReferencedSymbol(o) is { } symbol && moving.Contains(symbol),
        });

    /// <summary>Text built from one of <paramref name="counters"/>: an interpolation hole or a string concatenation that reads it.</summary>
    private static bool FormatsAny(IOperation value, HashSet<ISymbol> counters)
        => counters.Count > 0 && OperationTree.Any(value, o => o switch
        {
            IInterpolationOperation hole => ReadsAny(new[] { hole.Expression }, counters),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, Type.SpecialType: SpecialType.System_String } concatenation
                => ReadsAny(new[] { concatenation.LeftOperand, concatenation.RightOperand }, counters),
            _ => false,
        });

    /// <summary>
    /// A value carried from one iteration into the next that the loop derives from what it produced: a page token
    /// read from the last response (<c>token = page.Next</c>), a node's successor (<c>node = node.Next</c>).
    /// A client re-created from the same settings (<c>connection = await ConnectAsync(options)</c>) is the same target.
    /// </summary>
    private static bool CarriesOver(ISymbol symbol, IOperation value, ILoopOperation loop)
        => OperationTree.Any(value, o => o switch
        {
            IMemberReferenceOperation { Instance: { } instance } when OperationTree.ReferencedSymbol(instance) is { } owner
                => SymbolEqualityComparer.Default.Equals(owner, symbol) || IsDeclaredIn(owner, loop),
            _ => false,
        });

    private static bool ReadsAny(IEnumerable<IOperation> operations, HashSet<ISymbol> symbols)
    {
        foreach (var operation in operations)
        {
            if (OperationTree.Any(operation, o => OperationTree.ReferencedSymbol(o) is { } symbol && symbols.Contains(symbol)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ReadsAnyArgument(IEnumerable<IArgumentOperation> arguments, HashSet<ISymbol> symbols)
    {
        foreach (var argument in arguments)
        {
            if (ReadsAny(new[] { argument.Value }, symbols))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Flags and caught exceptions record what happened; they never name the next target.</summary>
    private static bool NamesNoTarget(ISymbol symbol)
    {
        var type = symbol switch
        {
            ILocalSymbol local => local.Type,
            IFieldSymbol field => field.Type,
            IParameterSymbol parameter => parameter.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };
        if (type is null)
        {
            return true;
        }

        if (type.SpecialType is SpecialType.System_Boolean)
        {
            return true;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name == "Exception" && current.ContainingNamespace?.Name == "System")
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsDeclaredIn(ISymbol symbol, ILoopOperation loop)
        => symbol is ILocalSymbol local
           && local.DeclaringSyntaxReferences.Length > 0
           && loop.Syntax.Span.Contains(local.DeclaringSyntaxReferences[0].Span);
}
