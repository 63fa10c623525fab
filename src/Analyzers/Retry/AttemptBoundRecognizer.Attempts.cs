using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>
/// How many attempts a retry loop makes (RES006 multiplies them): not the largest constant its counter is compared with,
/// but the count that comes out of the counter's start value, its step, each comparison's operator and where the check
/// sits, before the attempt (a loop condition, a check at the top of the body) or after a failure (a catch filter, a
/// check in the catch or after the try). <c>for (var i = 1; i &lt; 3; i++)</c> makes 2 attempts, <c>if (++attempt &gt; 2) throw;</c>
/// 3, a <c>bool retried</c> flag 2.
/// </summary>
public static partial class AttemptBoundRecognizer
{
    /// <summary>Loops that have not left after this many rounds make no count RES006 can use.</summary>
    private const int AttemptHorizon = 1000;

    /// <summary>Where a guard sends the retry.</summary>
    private enum GuardDirection
    {
        /// <summary>Read for what it writes (<c>if (++n &lt; 3) continue;</c> with nothing after it); it ends nothing.</summary>
        None,

        /// <summary>Goes round when true, leaves when false: a loop condition, the filter of a catch that goes round.</summary>
        GoesRound,

        /// <summary>Leaves when true: <c>if (++attempt &gt; 2) throw;</c>.</summary>
        LeavesWhenTrue,

        /// <summary>Leaves when false: <c>if (attempt &lt; max) { continue; } throw;</c>.</summary>
        LeavesWhenFalse,
    }

    /// <summary>One thing that happens in a round of the loop, in the order the rounds run them.</summary>
    private readonly struct RoundEvent
    {
        public RoundEvent(long order, IOperation? operation, GuardDirection direction, bool isAttempt = false)
        {
            Order = order;
            Operation = operation;
            Direction = direction;
            IsAttempt = isAttempt;
        }

        public long Order { get; }

        public IOperation? Operation { get; }

        public GuardDirection Direction { get; }

        public bool IsAttempt { get; }
    }

    /// <summary>
    /// The attempts <paramref name="loop"/> makes on a dependency that keeps failing, by running its rounds over the locals its
    /// guards read: the largest count over the paths through its failure catches. Null when a path does not leave within
    /// <see cref="AttemptHorizon"/> rounds, or when something that decides cannot be followed here (a start value, limit or
    /// step that is not a constant in sight, a counter written in a lambda or a nested loop): certain or silent.
    /// </summary>
    internal static int? LoopAttempts(ILoopOperation loop, ITryOperation? @try, ImmutableArray<int> failureCatches, IReadOnlyList<IOperation> guards, RetryScope scope)
    {
        if (loop.Body is null)
        {
            return null;
        }

        var events = new List<RoundEvent>();
        var guardSpans = new List<Microsoft.CodeAnalysis.Text.TextSpan>();
        IOperation? condition = null;
        var conditionAtTop = true;
        switch (loop)
        {
            case IWhileLoopOperation whileLoop:
                condition = whileLoop.Condition;
                conditionAtTop = whileLoop.ConditionIsTop;
                break;
            case IForLoopOperation forLoop:
                condition = forLoop.Condition;
                foreach (var incrementor in forLoop.AtLoopBottom)
                {
                    events.Add(new RoundEvent(long.MaxValue - 2, incrementor, GuardDirection.None));
                    guardSpans.Add(incrementor.Syntax.Span);
                }

                break;
            default:
                return null;
        }

        if (condition is not null)
        {
            events.Add(new RoundEvent(conditionAtTop ? long.MinValue + 1 : long.MaxValue, condition, GuardDirection.GoesRound));
            guardSpans.Add(condition.Syntax.Span);
        }

        foreach (var guard in guards)
        {
            if (guard == condition || Nearest(guard) != loop)
            {
                continue;
            }

            var direction = guard.Parent switch
            {
                ICatchClauseOperation clause when @try is not null && IndexOf(@try, clause) is var index and >= 0
                    => failureCatches.Contains(index) ? GuardDirection.GoesRound : GuardDirection.LeavesWhenTrue,
                IConditionalOperation conditional when conditional.Condition == guard => Direction(conditional, loop, @try),
                _ => GuardDirection.None,
            };
            events.Add(new RoundEvent(guard.Syntax.SpanStart, guard, direction));
            guardSpans.Add(guard.Syntax.Span);
        }

        // The attempt: the first call of the try (a check written before it is a check before the attempt), or of the
        // body or condition of a retry on a result.
        var attemptAt = AttemptPosition(loop, @try, condition, conditionAtTop);
        if (attemptAt is not { } attemptOrder)
        {
            return null;
        }

        events.Add(new RoundEvent(attemptOrder, null, GuardDirection.None, isAttempt: true));

        // The locals the guards read, and every write to them in the loop: steps outside the guards run in order.
        var tracked = new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default);
        foreach (var e in events)
        {
            if (e.Operation is { } operation)
            {
                CollectLocals(operation, tracked);
            }
        }

        if (tracked.Count == 0)
        {
            return null;
        }

        var initial = new Dictionary<ILocalSymbol, long>(SymbolEqualityComparer.Default);
        foreach (var local in tracked)
        {
            foreach (var write in scope.WritesOf(local) ?? new List<IOperation>())
            {
                var span = write.Syntax.Span;
                if (!loop.Syntax.Span.Contains(span))
                {
                    continue;
                }

                if (IsBefore(loop, write) || Within(span, guardSpans))
                {
                    continue;
                }

                // A step the rounds run, unless a lambda or a nested loop makes it (its order cannot be followed).
                if (Nearest(write) != loop || InLambda(write, loop))
                {
                    return null;
                }

                events.Add(new RoundEvent(write.Syntax.SpanStart, write, GuardDirection.None));
            }

            if (StartValue(local, loop, scope) is { } start)
            {
                initial[local] = start;
            }
        }

        if (loop is IForLoopOperation { Before: var before })
        {
            var evaluator = new Evaluator(initial, tracked);
            foreach (var setup in before)
            {
                evaluator.Evaluate(setup);
            }

            if (evaluator.Failed)
            {
                return null;
            }
        }

        events.Sort((a, b) => a.Order.CompareTo(b.Order));
        int? largest = null;
        IEnumerable<int> paths = @try is null || failureCatches.IsEmpty ? new[] { -1 } : failureCatches;
        foreach (var path in paths)
        {
            if (Run(events, path, @try, initial, tracked) is not { } attempts)
            {
                return null;
            }

            largest = largest is { } seen && seen > attempts ? seen : attempts;
        }

        return largest;
    }

    /// <summary>The rounds of one path (through the failure catch at <paramref name="path"/>), until a guard leaves.</summary>
    private static int? Run(List<RoundEvent> events, int path, ITryOperation? @try, Dictionary<ILocalSymbol, long> initial, HashSet<ILocalSymbol> tracked)
    {
        var onPath = events.FindAll(e => e.Operation is null || OnPath(e.Operation, path, @try));
        var evaluator = new Evaluator(new Dictionary<ILocalSymbol, long>(initial, SymbolEqualityComparer.Default), tracked);
        var attempts = 0;

        // A guard whose value is unknown stays unknown unless a local it reads gets a value in the loop, which happens within
        // a round or one more per local it goes through: rounds in which no guard decides, past that, never end.
        var undecided = 0;
        for (var round = 0; round < AttemptHorizon && undecided <= tracked.Count + 1; round++)
        {
            undecided++;
            foreach (var e in onPath)
            {
                if (e.IsAttempt)
                {
                    attempts++;
                    continue;
                }

                var value = evaluator.Evaluate(e.Operation!);
                if (evaluator.Failed)
                {
                    return null;
                }

                var counted = evaluator.TakeDecided();
                if ((value is not null || counted) && e.Direction != GuardDirection.None && !e.Operation!.ConstantValue.HasValue)
                {
                    undecided = 0;
                }

                var leaves = e.Direction switch
                {
                    GuardDirection.GoesRound or GuardDirection.LeavesWhenFalse => value == 0,
                    GuardDirection.LeavesWhenTrue => value is { } v && v != 0,
                    _ => false,
                };
                if (leaves)
                {
                    return attempts > 0 ? attempts : null;
                }
            }
        }

        return null;
    }

    /// <summary>An operation outside every catch of the retry's try, or in the failure catch of the path, or the filter of a catch before it.</summary>
    private static bool OnPath(IOperation operation, int path, ITryOperation? @try)
    {
        if (@try is null || path < 0)
        {
            return true;
        }

        for (var i = 0; i < @try.Catches.Length; i++)
        {
            var clause = @try.Catches[i];
            if (!clause.Syntax.Span.Contains(operation.Syntax.Span))
            {
                continue;
            }

            return i == path || (i < path && clause.Filter is { } filter && filter.Syntax.Span.Contains(operation.Syntax.Span));
        }

        return true;
    }

    private static int IndexOf(ITryOperation @try, ICatchClauseOperation clause)
    {
        for (var i = 0; i < @try.Catches.Length; i++)
        {
            if (@try.Catches[i] == clause)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Where a conditional sends the retry: a throw or an exit in one branch, a <c>continue</c> then a throw after it.</summary>
    private static GuardDirection Direction(IConditionalOperation conditional, ILoopOperation loop, ITryOperation? @try)
    {
        // A throw inside the retry's own try is caught by its catches: it may go round, not leave.
        var caughtHere = @try is not null && @try.Body.Syntax.Span.Contains(conditional.Syntax.Span);
        bool Leaves(IOperation? branch) => branch is not null
            && OperationTree.Any(branch, o => (o is IThrowOperation && !caughtHere) || ControlFlowFacts.IsExit(o, loop));
        bool GoesRound(IOperation? branch) => branch is not null
            && OperationTree.Any(branch, o => o is IBranchOperation { BranchKind: BranchKind.Continue } go && SymbolEqualityComparer.Default.Equals(go.Target, loop.ContinueLabel));

        var leavesTrue = Leaves(conditional.WhenTrue);
        var roundTrue = GoesRound(conditional.WhenTrue);
        var leavesFalse = Leaves(conditional.WhenFalse);
        var roundFalse = GoesRound(conditional.WhenFalse);
        if (leavesTrue && !roundTrue && !leavesFalse)
        {
            return GuardDirection.LeavesWhenTrue;
        }

        if (leavesFalse && !roundFalse && !leavesTrue)
        {
            return GuardDirection.LeavesWhenFalse;
        }

        return roundTrue && !leavesTrue && conditional.WhenFalse is null && NextStatementLeaves(conditional, loop, caughtHere)
            ? GuardDirection.LeavesWhenFalse
            : GuardDirection.None;
    }

    /// <summary><c>if (attempt &lt; max) { continue; } throw;</c>: the statement after the conditional leaves.</summary>
    private static bool NextStatementLeaves(IConditionalOperation conditional, ILoopOperation loop, bool caughtHere)
    {
        if (conditional.Parent is not IBlockOperation block)
        {
            return false;
        }

        var index = block.Operations.IndexOf(conditional);
        if (index < 0 || index + 1 >= block.Operations.Length)
        {
            return false;
        }

        var next = block.Operations[index + 1];
        return (next is IExpressionStatementOperation { Operation: IThrowOperation } || next is IThrowOperation) && !caughtHere
               || ControlFlowFacts.IsExit(next, loop);
    }

    /// <summary>
    /// Where the attempt happens in a round: the first call in the try, else the first call of the body, else a call in the
    /// loop condition (<c>while (!await ConnectAsync())</c>), which runs before (top) or after (bottom) the body.
    /// </summary>
    private static long? AttemptPosition(ILoopOperation loop, ITryOperation? @try, IOperation? condition, bool conditionAtTop)
    {
        if (@try is not null)
        {
            return FirstCall(@try.Body) is { } call ? call.Syntax.SpanStart : @try.Syntax.SpanStart;
        }

        if (condition is not null && FirstCall(condition) is not null)
        {
            return conditionAtTop ? long.MinValue : long.MaxValue - 1;
        }

        return FirstCall(loop.Body) is { } first ? first.Syntax.SpanStart : null;
    }

    private static IInvocationOperation? FirstCall(IOperation root)
    {
        foreach (var operation in OperationTree.Descendants(root))
        {
            if (operation is IInvocationOperation call)
            {
                return call;
            }
        }

        return null;
    }

    /// <summary>The value a local holds when the loop starts: the last write before it, when that is a constant.</summary>
    private static long? StartValue(ILocalSymbol local, ILoopOperation loop, RetryScope scope)
    {
        IOperation? last = null;
        foreach (var write in scope.WritesOf(local) ?? new List<IOperation>())
        {
            // A declaration without a value (int attempt; attempt = 0;) sets nothing.
            if (write.Syntax.SpanStart < loop.Syntax.SpanStart && (last is null || write.Syntax.SpanStart > last.Syntax.SpanStart)
                && write is not IVariableDeclaratorOperation { Initializer: null })
            {
                last = write;
            }
        }

        return last is not null && WrittenValue(last) is { ConstantValue: { HasValue: true } constant } ? AsLong(constant.Value) : null;
    }

    /// <summary>A write in a <c>for</c> loop's initializer: it runs once, before the rounds.</summary>
    private static bool IsBefore(ILoopOperation loop, IOperation write)
    {
        if (loop is not IForLoopOperation forLoop)
        {
            return false;
        }

        foreach (var setup in forLoop.Before)
        {
            if (setup.Syntax.Span.Contains(write.Syntax.Span))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Within(Microsoft.CodeAnalysis.Text.TextSpan span, List<Microsoft.CodeAnalysis.Text.TextSpan> spans)
    {
        foreach (var outer in spans)
        {
            if (outer.Contains(span))
            {
                return true;
            }
        }

        return false;
    }

    private static ILoopOperation? Nearest(IOperation operation) => OperationTree.Ancestor<ILoopOperation>(operation);

    private static bool InLambda(IOperation operation, ILoopOperation loop)
    {
        for (var current = operation.Parent; current is not null && current != loop; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static void CollectLocals(IOperation root, HashSet<ILocalSymbol> locals)
    {
        if (root is ILocalReferenceOperation self)
        {
            locals.Add(self.Local);
        }

        foreach (var operation in OperationTree.Descendants(root))
        {
            if (operation is ILocalReferenceOperation reference)
            {
                locals.Add(reference.Local);
            }
        }
    }

    private static long? AsLong(object? value)
        => value switch
        {
            int i => i,
            long l => l,
            short s => s,
            byte b => b,
            uint u => u,
            ushort us => us,
            sbyte sb => sb,
            bool flag => flag ? 1 : 0,
            _ => null,
        };

    /// <summary>
    /// Reads guards and steps over the locals they use, in three values: a number (a flag is 1 or 0), or unknown (null). An
    /// unknown guard neither leaves nor goes round by itself. <see cref="Failed"/> when a write to a followed local could not be
    /// followed.
    /// </summary>
    private sealed class Evaluator
    {
        private readonly Dictionary<ILocalSymbol, long> _state;
        private readonly HashSet<ILocalSymbol> _tracked;
        private bool _decided;

        public Evaluator(Dictionary<ILocalSymbol, long> state, HashSet<ILocalSymbol> tracked)
        {
            _state = state;
            _tracked = tracked;
        }

        public bool Failed { get; private set; }

        /// <summary>
        /// Whether a comparison of known values was read since the last call: the guard is counting, even when an unknown
        /// beside it in a <c>&amp;&amp;</c> (<c>!token.IsCancellationRequested</c>) leaves its value unknown until the count runs out.
        /// </summary>
        public bool TakeDecided()
        {
            var decided = _decided;
            _decided = false;
            return decided;
        }

        public long? Evaluate(IOperation operation)
        {
            if (operation.ConstantValue is { HasValue: true } constant)
            {
                return AsLong(constant.Value);
            }

            switch (operation)
            {
                case IConversionOperation conversion:
                    return Evaluate(conversion.Operand);
                case IParenthesizedOperation parenthesized:
                    return Evaluate(parenthesized.Operand);
                case IExpressionStatementOperation statement:
                    return Evaluate(statement.Operation);
                case ILocalReferenceOperation local:
                    return _state.TryGetValue(local.Local, out var known) ? known : null;
                case IVariableDeclarationGroupOperation group:
                    foreach (var declaration in group.Declarations)
                    {
                        Evaluate(declaration);
                    }

                    return null;
                case IVariableDeclarationOperation declaration:
                    foreach (var declarator in declaration.Declarators)
                    {
                        Evaluate(declarator);
                    }

                    return null;
                case IVariableDeclaratorOperation declarator:
                    return Assign(declarator.Symbol, declarator.Initializer?.Value is { } initial ? Evaluate(initial) : null);
                case IIncrementOrDecrementOperation step when Target(step.Target) is { } counter:
                {
                    var before = _state.TryGetValue(counter, out var value) ? value : (long?)null;
                    var after = before + (step.Kind == OperationKind.Increment ? 1 : -1);
                    Assign(counter, after);
                    return step.IsPostfix ? before : after;
                }

                case ICompoundAssignmentOperation compound when Target(compound.Target) is { } counter:
                {
                    var by = Evaluate(compound.Value);
                    var before = _state.TryGetValue(counter, out var value) ? value : (long?)null;
                    return Assign(counter, compound.OperatorKind switch
                    {
                        BinaryOperatorKind.Add => before + by,
                        BinaryOperatorKind.Subtract => before - by,
                        BinaryOperatorKind.Multiply => before * by,
                        _ => null,
                    });
                }

                case ISimpleAssignmentOperation assignment when Target(assignment.Target) is { } counter:
                    return Assign(counter, Evaluate(assignment.Value));
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                    return Evaluate(not.Operand) is { } flag ? (flag == 0 ? 1 : 0) : null;
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus } minus:
                    return -Evaluate(minus.Operand);
                case IBinaryOperation binary:
                    return Binary(binary);
                case IIsPatternOperation pattern:
                    return Evaluate(pattern.Value) is { } tested ? Matches(pattern.Pattern, tested) : null;
                default:
                    // What cannot be read is unknown, but it must not change a followed local behind our back.
                    if (OperationTree.Any(operation, o => o is IIncrementOrDecrementOperation or IAssignmentOperation or IVariableDeclaratorOperation
                            && WrittenLocal(o) is { } written && _tracked.Contains(written)))
                    {
                        Failed = true;
                    }

                    return null;
            }
        }

        private long? Binary(IBinaryOperation binary)
        {
            switch (binary.OperatorKind)
            {
                case BinaryOperatorKind.ConditionalAnd:
                {
                    var left = Evaluate(binary.LeftOperand);
                    if (left == 0)
                    {
                        return 0;
                    }

                    var right = Evaluate(binary.RightOperand);
                    return right == 0 ? 0 : left == 1 && right == 1 ? 1 : null;
                }

                case BinaryOperatorKind.ConditionalOr:
                {
                    var left = Evaluate(binary.LeftOperand);
                    if (left == 1)
                    {
                        return 1;
                    }

                    var right = Evaluate(binary.RightOperand);
                    return right == 1 ? 1 : left == 0 && right == 0 ? 0 : null;
                }
            }

            var l = Evaluate(binary.LeftOperand);
            var r = Evaluate(binary.RightOperand);
            if (l is not { } a || r is not { } b)
            {
                return null;
            }

            _decided |= binary.OperatorKind is BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan
                or BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals;

            return binary.OperatorKind switch
            {
                BinaryOperatorKind.Add => a + b,
                BinaryOperatorKind.Subtract => a - b,
                BinaryOperatorKind.Multiply => a * b,
                BinaryOperatorKind.LessThan => a < b ? 1 : 0,
                BinaryOperatorKind.LessThanOrEqual => a <= b ? 1 : 0,
                BinaryOperatorKind.GreaterThan => a > b ? 1 : 0,
                BinaryOperatorKind.GreaterThanOrEqual => a >= b ? 1 : 0,
                BinaryOperatorKind.Equals => a == b ? 1 : 0,
                BinaryOperatorKind.NotEquals => a != b ? 1 : 0,
                _ => null,
            };
        }

        private long? Matches(IPatternOperation pattern, long value)
        {
            switch (pattern)
            {
                case IConstantPatternOperation constant:
                    return Evaluate(constant.Value) is { } equal ? (value == equal ? 1 : 0) : null;
                case IRelationalPatternOperation relational when Evaluate(relational.Value) is { } limit:
                    _decided = true;
                    return relational.OperatorKind switch
                    {
                        BinaryOperatorKind.LessThan => value < limit ? 1 : 0,
                        BinaryOperatorKind.LessThanOrEqual => value <= limit ? 1 : 0,
                        BinaryOperatorKind.GreaterThan => value > limit ? 1 : 0,
                        BinaryOperatorKind.GreaterThanOrEqual => value >= limit ? 1 : 0,
                        _ => null,
                    };
                case INegatedPatternOperation negated:
                    return Matches(negated.Pattern, value) is { } inner ? (inner == 0 ? 1 : 0) : null;
                case IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } either:
                {
                    var left = Matches(either.LeftPattern, value);
                    var right = Matches(either.RightPattern, value);
                    return left == 1 || right == 1 ? 1 : left == 0 && right == 0 ? 0 : null;
                }

                case IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.And } both:
                {
                    var left = Matches(both.LeftPattern, value);
                    var right = Matches(both.RightPattern, value);
                    return left == 0 || right == 0 ? 0 : left == 1 && right == 1 ? 1 : null;
                }

                default:
                    return null;
            }
        }

        private ILocalSymbol? Target(IOperation target)
            => OperationTree.Unwrap(target) is ILocalReferenceOperation { Local: var local } && _tracked.Contains(local) ? local : null;

        private static ILocalSymbol? WrittenLocal(IOperation write)
            => write switch
            {
                IVariableDeclaratorOperation declarator => declarator.Symbol,
                IIncrementOrDecrementOperation step => (OperationTree.Unwrap(step.Target) as ILocalReferenceOperation)?.Local,
                IAssignmentOperation assignment => (OperationTree.Unwrap(assignment.Target) as ILocalReferenceOperation)?.Local,
                _ => null,
            };

        private long? Assign(ILocalSymbol local, long? value)
        {
            if (!_tracked.Contains(local))
            {
                return value;
            }

            if (value is { } known)
            {
                _state[local] = known;
            }
            else
            {
                _state.Remove(local);
            }

            return value;
        }
    }
}
