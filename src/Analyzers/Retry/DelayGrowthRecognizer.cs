using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>
/// Follows a growing delay through the attempts (RES004): a loop's delay is run attempt by attempt with the locals the
/// loop changes (a counter, <c>delay *= 2</c>); a Polly delay function is run for each attempt number. The delay is
/// capped when it stops growing however long the retry goes on; the longest wait before giving up is read at the
/// attempt limit. Anything the arithmetic cannot follow gives no growth: certain or silent.
/// </summary>
internal static class DelayGrowthRecognizer
{
    /// <summary>Attempts run to tell a capped delay from one that keeps growing (a linear 10 ms step reaches 20 s).</summary>
    private const int Horizon = 2000;

    /// <summary>A wait no cap is set above: a year.</summary>
    private const double NoCapMeantMilliseconds = 365d * 24 * 3600 * 1000;

    /// <summary>Equal values in a row that show the delay has reached its cap.</summary>
    private const int Plateau = 16;

    /// <summary>A loop's delay argument, run with the loop's own arithmetic.</summary>
    public static DelayGrowth? ForLoop(ILoopOperation loop, IOperation delayArgument, RetryScope scope, AttemptBound bound, ITryOperation? @try, ImmutableArray<int> failureCatches)
    {
        var simulation = LoopSimulation.Create(loop, delayArgument, scope, @try, failureCatches);
        if (simulation is null)
        {
            return null;
        }

        if (Capped(simulation.Run(delayArgument, stopAt: null)) is not { } capped)
        {
            return null;
        }

        double? largest = null;
        if (bound is { Kind: AttemptBoundKind.Counter, Counter: ILocalSymbol counter, Limit: { } limit })
        {
            largest = Largest(simulation.Run(delayArgument, stopAt: (counter, limit)));
        }

        return new DelayGrowth(capped, largest, delayArgument.Syntax);
    }

    /// <summary>
    /// A delay function of the attempt number (a v7 sleep-duration lambda, a v8 <c>DelayGenerator</c>): <paramref name="first"/>
    /// is the number of the first retry, <paramref name="retries"/> how many there are (null: no limit).
    /// </summary>
    public static DelayGrowth? ForAttemptFunction(IOperation returned, Func<IOperation, int, bool> isAttempt, RetryScope scope, int first, int? retries)
    {
        IEnumerable<double?> Values(int? count)
        {
            for (var n = 0; count is null || n < count; n++)
            {
                var attempt = first + n;
                yield return DelayArithmetic.Evaluate(returned, o => isAttempt(o, attempt) ? attempt : null, scope);
            }
        }

        if (Capped(Values(null)) is not { } capped)
        {
            return null;
        }

        return new DelayGrowth(capped, retries is { } count ? Largest(Values(count)) : null, returned.Syntax);
    }

    /// <summary>A delay from settings: <paramref name="delayAt"/> gives the wait before retry <c>n</c> (0-based).</summary>
    public static DelayGrowth ForSettings(Func<int, double> delayAt, int? retries, double? maxDelayMilliseconds)
    {
        double Capped(int n) => maxDelayMilliseconds is { } max ? Math.Min(max, delayAt(n)) : delayAt(n);
        double? largest = null;
        if (retries is { } count)
        {
            largest = 0;
            for (var n = 0; n < count && n < Horizon; n++)
            {
                largest = Math.Max(largest.Value, Capped(n));
            }
        }

        return new DelayGrowth(maxDelayMilliseconds is not null, largest, growingExpression: null);
    }

    /// <summary>True when the values settle at a cap, false when they keep growing, null when one cannot be computed.</summary>
    private static bool? Capped(IEnumerable<double?> values)
    {
        var count = 0;
        var repeated = 0;
        double previous = double.NaN;
        foreach (var value in values)
        {
            if (value is not { } current || double.IsNaN(current))
            {
                return null;
            }

            // Past a year no cap is meant: the growth is unbounded (and doubling gets here in a few dozen attempts, not the
            // thousand it takes to overflow a double).
            if (double.IsInfinity(current) || current > NoCapMeantMilliseconds)
            {
                return false;
            }

            repeated = current == previous ? repeated + 1 : 0;
            if (repeated >= Plateau)
            {
                return true;
            }

            previous = current;
            if (++count >= Horizon)
            {
                break;
            }
        }

        return repeated > 0 || count < Horizon;
    }

    private static double? Largest(IEnumerable<double?> values)
    {
        var largest = 0d;
        var count = 0;
        foreach (var value in values)
        {
            if (value is not { } current || double.IsNaN(current))
            {
                return null;
            }

            largest = Math.Max(largest, current);
            if (++count >= Horizon)
            {
                break;
            }
        }

        return largest;
    }

    /// <summary>
    /// The locals a retry loop changes from one attempt to the next, their values before the loop, and the writes each
    /// attempt makes, in the order they run: the condition of a <c>while</c> first, the body in source order (writes on
    /// the success path or in a clause that leaves are skipped), then a <c>for</c> loop's incrementors.
    /// </summary>
    private sealed class LoopSimulation
    {
        private readonly RetryScope _scope;
        private readonly Dictionary<ILocalSymbol, double> _initial;
        private readonly List<(IOperation Write, int Order)> _writes;
        private readonly ILoopOperation _loop;

        private LoopSimulation(RetryScope scope, Dictionary<ILocalSymbol, double> initial, List<(IOperation Write, int Order)> writes, ILoopOperation loop)
        {
            _scope = scope;
            _initial = initial;
            _writes = writes;
            _loop = loop;
        }

        public static LoopSimulation? Create(ILoopOperation loop, IOperation delayArgument, RetryScope scope, ITryOperation? @try, ImmutableArray<int> failureCatches)
        {
            var before = new List<IOperation>();
            var body = new List<IOperation>();
            var after = new List<IOperation>();
            var changed = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
            void Collect(IOperation? root, List<IOperation> into)
            {
                if (root is null)
                {
                    return;
                }

                foreach (var operation in OperationTree.Descendants(root))
                {
                    if (operation is IAssignmentOperation or IIncrementOrDecrementOperation
                        && WrittenLocal(operation) is { } local
                        && !loop.Body.Syntax.Span.Contains(local.DeclaringSyntaxReferences.Length == 1 ? local.DeclaringSyntaxReferences[0].Span : default))
                    {
                        into.Add(operation);
                        changed.Add(local);
                    }
                }
            }

            switch (loop)
            {
                case IWhileLoopOperation { ConditionIsTop: true } top:
                    Collect(top.Condition, before);
                    Collect(loop.Body, body);
                    break;
                case IWhileLoopOperation bottom:
                    Collect(loop.Body, body);
                    Collect(bottom.Condition, after);
                    break;
                case IForLoopOperation forLoop:
                    Collect(forLoop.Condition, before);
                    Collect(loop.Body, body);
                    foreach (var step in forLoop.AtLoopBottom)
                    {
                        Collect(step, after);
                    }

                    break;
                default:
                    return null;
            }

            // A write on the success path or in a clause that leaves does not run before the next attempt.
            if (@try is not null)
            {
                body.RemoveAll(write => !RunsOnFailure(write, @try, failureCatches));
            }

            if (changed.Count == 0)
            {
                return null;
            }

            var initial = new Dictionary<ILocalSymbol, double>(SymbolEqualityComparer.Default);
            foreach (var local in changed)
            {
                initial[local] = InitialValue(local, loop, scope, initial) ?? double.NaN;
            }

            // Ordered as they run, against the delay's position in the body: the condition before, the incrementors after.
            var writes = new List<(IOperation Write, int Order)>(before.Count + body.Count + after.Count);
            writes.AddRange(before.ConvertAll(w => (w, -1)));
            writes.AddRange(body.ConvertAll(w => (w, w.Syntax.SpanStart)));
            writes.AddRange(after.ConvertAll(w => (w, int.MaxValue)));
            return new LoopSimulation(scope, initial, writes, loop);
        }

        /// <summary>The delay before each retry, attempt after attempt; with <paramref name="stopAt"/>, until the counter reaches the limit.</summary>
        public IEnumerable<double?> Run(IOperation delayArgument, (ILocalSymbol Counter, long Limit)? stopAt)
        {
            var state = new Dictionary<ILocalSymbol, double>(_initial, SymbolEqualityComparer.Default);
            double? Lookup(IOperation operation)
                => operation is ILocalReferenceOperation { Local: var local } && state.TryGetValue(local, out var value) ? value : null;

            var delayPosition = delayArgument.Syntax.SpanStart;
            for (var attempt = 0; attempt < Horizon; attempt++)
            {
                var waited = false;
                foreach (var (write, order) in _writes)
                {
                    if (!waited && order > delayPosition)
                    {
                        if (stopAt is { } limit && state.TryGetValue(limit.Counter, out var counted) && counted >= limit.Limit)
                        {
                            yield break;
                        }

                        waited = true;
                        yield return Delay(delayArgument, Lookup);
                    }

                    Apply(write, state, Lookup);
                }

                if (!waited)
                {
                    if (stopAt is { } limit && state.TryGetValue(limit.Counter, out var counted) && counted >= limit.Limit)
                    {
                        yield break;
                    }

                    yield return Delay(delayArgument, Lookup);
                }
            }
        }

        private double? Delay(IOperation delayArgument, Func<IOperation, double?> lookup)
        {
            var value = DelayArithmetic.Evaluate(delayArgument, lookup, _scope);
            return value is { } milliseconds && double.IsNaN(milliseconds) ? null : value;
        }

        private void Apply(IOperation write, Dictionary<ILocalSymbol, double> state, Func<IOperation, double?> lookup)
        {
            if (WrittenLocal(write) is not { } local)
            {
                return;
            }

            // A write under an if that is not its condition runs only when the if's condition holds.
            for (var parent = write.Parent; parent is not null && parent != _loop; parent = parent.Parent)
            {
                if (parent is IConditionalOperation conditional && !conditional.Condition.Syntax.Span.Contains(write.Syntax.Span))
                {
                    switch (DelayArithmetic.Evaluate(conditional.Condition, lookup, _scope))
                    {
                        case null:
                            state[local] = double.NaN;
                            return;
                        case 0 when conditional.WhenTrue.Syntax.Span.Contains(write.Syntax.Span):
                        case not 0 when !conditional.WhenTrue.Syntax.Span.Contains(write.Syntax.Span):
                            return;
                    }
                }
                else if (parent is ILoopOperation)
                {
                    // Written in an inner loop: how many times cannot be followed here.
                    state[local] = double.NaN;
                    return;
                }
            }

            var current = state.TryGetValue(local, out var known) ? known : double.NaN;
            state[local] = write switch
            {
                IIncrementOrDecrementOperation increment => increment.Kind == OperationKind.Increment ? current + 1 : current - 1,
                ICompoundAssignmentOperation compound when DelayArithmetic.Evaluate(compound.Value, lookup, _scope) is { } operand => compound.OperatorKind switch
                {
                    BinaryOperatorKind.Add => current + operand,
                    BinaryOperatorKind.Subtract => current - operand,
                    BinaryOperatorKind.Multiply => current * operand,
                    BinaryOperatorKind.Divide when operand != 0 => current / operand,
                    BinaryOperatorKind.LeftShift => current * Math.Pow(2, operand),
                    _ => double.NaN,
                },
                ISimpleAssignmentOperation simple when DelayArithmetic.Evaluate(simple.Value, lookup, _scope) is { } assigned => assigned,
                _ => double.NaN,
            };
        }

        private static bool RunsOnFailure(IOperation write, ITryOperation @try, ImmutableArray<int> failureCatches)
        {
            if (!@try.Syntax.Span.Contains(write.Syntax.Span))
            {
                return true;
            }

            if (@try.Body.Syntax.Span.Contains(write.Syntax.Span))
            {
                // Before the call that fails (attempt++ first thing in the try): it runs on every attempt.
                return true;
            }

            for (var i = 0; i < @try.Catches.Length; i++)
            {
                if (@try.Catches[i].Syntax.Span.Contains(write.Syntax.Span))
                {
                    return failureCatches.Contains(i);
                }
            }

            // The finally runs on every attempt.
            return true;
        }

        /// <summary>The value a changed local has when the loop starts: its one write outside the loop, a declaration with a value.</summary>
        private static double? InitialValue(ILocalSymbol local, ILoopOperation loop, RetryScope scope, Dictionary<ILocalSymbol, double> known)
        {
            IOperation? initializer = null;
            foreach (var write in scope.WritesOf(local) ?? new List<IOperation>())
            {
                var inLoop = loop.Body.Syntax.Span.Contains(write.Syntax.Span)
                             || (loop is IForLoopOperation forLoop && IsIn(write, forLoop.AtLoopBottom))
                             || (loop is IWhileLoopOperation { Condition: { } condition } && condition.Syntax.Span.Contains(write.Syntax.Span));
                if (inLoop)
                {
                    continue;
                }

                if (initializer is not null || write is not IVariableDeclaratorOperation declarator)
                {
                    return null;
                }

                initializer = declarator.Initializer?.Value ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value;
                if (initializer is null)
                {
                    return null;
                }
            }

            return DelayArithmetic.Evaluate(
                initializer,
                o => o is ILocalReferenceOperation { Local: var other } && known.TryGetValue(other, out var value) ? value : null,
                scope);
        }

        private static bool IsIn(IOperation write, ImmutableArray<IOperation> roots)
        {
            foreach (var root in roots)
            {
                if (root.Syntax.Span.Contains(write.Syntax.Span))
                {
                    return true;
                }
            }

            return false;
        }

        private static ILocalSymbol? WrittenLocal(IOperation write)
            => write switch
            {
                IAssignmentOperation assignment => OperationTree.ReferencedSymbol(assignment.Target) as ILocalSymbol,
                IIncrementOrDecrementOperation increment => OperationTree.ReferencedSymbol(increment.Target) as ILocalSymbol,
                _ => null,
            };
    }
}
