using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>
/// Finds what limits a retry (DESIGN.md, "Attempt bound"): a counter written on every attempt and compared
/// in a guard of an exit, or an elapsed-time comparison; a cancellation check; or a guard the compilation
/// cannot see into.
/// </summary>
public static partial class AttemptBoundRecognizer
{
    /// <summary>Locals, parameters and fields that grow or shrink by a step inside <paramref name="region"/>.</summary>
    public static List<ISymbol> FindCounters(IEnumerable<IOperation> region)
    {
        var counters = new List<ISymbol>();
        var roots = new List<IOperation>(region);
        for (var i = 0; i < roots.Count; i++)
        {
            foreach (var operation in OperationTree.Descendants(roots[i]))
            {
                // A counter stepped inside a lambda or local function that the loop runs (onRetry: () => attempt++).
                if (i < 8 && InvokedBody(operation) is { } body)
                {
                    roots.Add(body);
                }

                var target = operation switch
                {
                    IIncrementOrDecrementOperation increment => increment.Target,
                    ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } compound => compound.Target,
                    ISimpleAssignmentOperation { Value: IBinaryOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract } step } assignment
                        when SymbolEqualityComparer.Default.Equals(OperationTree.ReferencedSymbol(step.LeftOperand), OperationTree.ReferencedSymbol(assignment.Target))
                        => assignment.Target,
                    _ => null,
                };
                if (OperationTree.ReferencedSymbol(target) is { } symbol && IsNumeric(symbol) && !Contains(counters, symbol))
                {
                    counters.Add(symbol);
                }
            }
        }

        return counters;
    }

    private static IOperation? InvokedBody(IOperation operation)
    {
        switch (operation)
        {
            case IAnonymousFunctionOperation lambda:
                return lambda.Body;
            case IInvocationOperation { TargetMethod.MethodKind: MethodKind.LocalFunction } call:
                foreach (var candidate in OperationTree.Descendants(OperationTree.Root(call)))
                {
                    if (candidate is ILocalFunctionOperation local
                        && SymbolEqualityComparer.Default.Equals(local.Symbol, call.TargetMethod.OriginalDefinition))
                    {
                        return local.Body;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    /// <summary>Judges the conditions that guard a retry's exits, and the cancellation checks inside it.</summary>
    public static AttemptBound Recognize(
        IEnumerable<IOperation> guards,
        IEnumerable<IOperation> body,
        IReadOnlyList<ISymbol> counters,
        RetryScope scope)
    {
        var kind = AttemptBoundKind.None;
        var limits = new LimitTracker();
        foreach (var guard in guards)
        {
            kind = Stronger(kind, ClassifyGuard(guard, counters, scope.Types, ref limits, scope));
        }

        foreach (var root in body)
        {
            foreach (var operation in OperationTree.Descendants(root))
            {
                if (operation is IInvocationOperation { TargetMethod.Name: "ThrowIfCancellationRequested" })
                {
                    kind = Stronger(kind, AttemptBoundKind.Cancellation);
                }
                else if (operation is IArgumentOperation argument && IsTimedToken(argument.Value, scope))
                {
                    // CanConnectAsync(cts.Token) with cts = new CancellationTokenSource(30 s): the attempts end at a deadline.
                    kind = Stronger(kind, AttemptBoundKind.Deadline);
                }
            }
        }

        ISymbol? counter = counters.Count > 0 ? counters[0] : null;
        return kind == AttemptBoundKind.None && counter is null
            ? AttemptBound.None
            : new AttemptBound(kind, counter, kind == AttemptBoundKind.Counter ? limits.Limit : null);
    }

    /// <summary>What one guard condition limits the retry by.</summary>
    public static AttemptBoundKind ClassifyGuard(IOperation condition, IReadOnlyList<ISymbol> counters, KnownTypes types)
    {
        var limits = new LimitTracker();
        return ClassifyGuard(condition, counters, types, ref limits, scope: null);
    }

    private static AttemptBoundKind ClassifyGuard(IOperation condition, IReadOnlyList<ISymbol> counters, KnownTypes types, ref LimitTracker limits, RetryScope? scope)
    {
        var kind = AttemptBoundKind.None;
        foreach (var operation in Self(condition))
        {
            switch (operation)
            {
                case IBinaryOperation binary when IsComparison(binary.OperatorKind):
                    if (ReferencesAny(binary, counters))
                    {
                        kind = Stronger(kind, AttemptBoundKind.Counter);
                        limits.Add(binary, counters);
                    }
                    else if (ReadsClock(binary, types) || (scope is not null && ReadsElapsedLocal(binary, types, scope)))
                    {
                        kind = Stronger(kind, AttemptBoundKind.Deadline);
                    }

                    break;
                case IIsPatternOperation pattern when ReferencesAny(pattern.Value, counters) && ComparesWithAValue(pattern.Pattern):
                    // trial is maxRetryCount, attempt is >= 5: a comparison written as a pattern.
                    kind = Stronger(kind, AttemptBoundKind.Counter);
                    limits.Add(pattern.Pattern);
                    break;
                case IPropertyReferenceOperation { Property.Name: "IsCancellationRequested" }:
                    kind = Stronger(kind, AttemptBoundKind.Cancellation);
                    break;
                case IInvocationOperation helper when HelperCountsInAField(helper):
                    // `if (!await AcquireCredentialsAsync()) throw;` where the helper steps a field and gives up past a
                    // limit: the count lives in the helper, one call down, and bounds the retry all the same.
                    // What it is compared with counts the helper's calls, not necessarily this loop's attempts.
                    kind = Stronger(kind, AttemptBoundKind.Counter);
                    limits.AddUnknown();
                    break;
                case IInvocationOperation { TargetMethod.Name: "MoveNext" }:
                    // if (!delays.MoveNext()) throw;: the attempts end with a sequence whose length cannot be seen here.
                    kind = Stronger(kind, AttemptBoundKind.Unknown);
                    break;
                case IInvocationOperation invocation when IsOpaqueHelper(invocation) && scope?.Outbound?.IsOutbound(invocation) != true:
                    kind = Stronger(kind, AttemptBoundKind.Unknown);
                    break;
                case IInvalidOperation:
                    // Half-typed or unresolved: whatever it is, we cannot tell it is not a limit.
                    kind = Stronger(kind, AttemptBoundKind.Unknown);
                    break;
                case ILocalReferenceOperation local when scope is not null && IsHelperResult(local.Local, scope):
                    // `call = await NextAttemptAsync(); if (call == null) throw;`: a helper decides.
                    kind = Stronger(kind, AttemptBoundKind.Unknown);
                    break;
                case ILocalReferenceOperation local when scope is not null && IsOneShotLatch(local, condition, scope):
                    // `if (triedAgain) throw; triedAgain = true;`: the failure path sets a flag that ends the next failure.
                    kind = Stronger(kind, AttemptBoundKind.Counter);
                    limits.AddLatch();
                    break;
                case ILocalReferenceOperation local when scope is not null && HoldsClockComparison(local.Local, types, scope):
                    // `var retry = DateTime.UtcNow - first < timeout; if (!retry) throw;`: a deadline through a local.
                    kind = Stronger(kind, AttemptBoundKind.Deadline);
                    break;
                case ILocalReferenceOperation local when scope is not null && HoldsCounterComparison(local.Local, counters, scope):
                    // `var again = attempt < max ? Wait() : false; if (!again) throw;`: the comparison decides through a local.
                    kind = Stronger(kind, AttemptBoundKind.Counter);
                    limits.AddUnknown();
                    break;
            }
        }

        return kind;
    }

    /// <summary>
    /// A method of the same file that the guard calls, whose body steps a field and compares it. Only fields count; a
    /// local starts again on every call.
    /// </summary>
    private static bool HelperCountsInAField(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod.MethodKind != MethodKind.Ordinary)
        {
            return false;
        }

        foreach (var body in OperationTree.BodiesInSameFile(invocation))
        {
            var counters = FindCounters(new[] { body }).FindAll(c => c is IFieldSymbol);
            if (counters.Count == 0)
            {
                continue;
            }

            foreach (var operation in OperationTree.Descendants(body))
            {
                if (operation is IBinaryOperation binary && IsComparison(binary.OperatorKind) && ReferencesAny(binary, counters))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The constants growing counters are compared with; any other comparison makes the limit unknown.</summary>
    private struct LimitTracker
    {
        private long _largest;
        private bool _unknown;
        private bool _seen;

        public long? Limit => _seen && !_unknown ? _largest : null;

        /// <summary>A comparison whose limit cannot be read here.</summary>
        public void AddUnknown()
        {
            _seen = true;
            _unknown = true;
        }

        /// <summary>A flag that lets one more attempt through.</summary>
        public void AddLatch()
        {
            _seen = true;
            _largest = _largest > 1 ? _largest : 1;
        }

        /// <summary>A counter matched against a pattern (<c>is 5</c>, <c>is &gt;= 5</c>).</summary>
        public void Add(IPatternOperation pattern)
        {
            var value = pattern switch
            {
                IConstantPatternOperation constant => constant.Value,
                IRelationalPatternOperation relational => relational.Value,
                _ => null,
            };
            Add(value);
        }

        private void Add(IOperation? limit)
        {
            if (limit?.ConstantValue is { HasValue: true, Value: int or long } constant)
            {
                _seen = true;
                var value = System.Convert.ToInt64(constant.Value);
                _largest = value > _largest ? value : _largest;
            }
            else
            {
                _unknown = true;
            }
        }

        public void Add(IBinaryOperation comparison, IReadOnlyList<ISymbol> counters)
        {
            var left = OperationTree.ReferencedSymbol(UnwrapStep(comparison.LeftOperand));
            Add(left is not null && Contains(counters, left) ? comparison.RightOperand : comparison.LeftOperand);
        }

        // attempt++ < 5, ++attempt >= 5: the counter is the operand of the step.
        private static IOperation UnwrapStep(IOperation operation)
            => OperationTree.Unwrap(operation) is IIncrementOrDecrementOperation step ? step.Target : operation;
    }

    /// <summary>A local whose value comes from a helper of the application's own (awaited or not).</summary>
    /// <summary>Every value written to <paramref name="local"/> in the scope compares a counter (data flow, one step).</summary>
    private static bool HoldsCounterComparison(ILocalSymbol local, IReadOnlyList<ISymbol> counters, RetryScope scope)
        => counters.Count > 0
           && EveryWrite(local, scope, value => OperationTree.Any(value, o => o is IBinaryOperation binary && IsComparison(binary.OperatorKind) && ReferencesAny(binary, counters)));

    /// <summary>
    /// <c>cts.Token</c> of a local source made in this method with a finite timeout (<c>new CancellationTokenSource(30 s)</c>,
    /// or one on which <c>CancelAfter</c> is called): a deadline, where a caller's token alone is not one.
    /// </summary>
    private static bool IsTimedToken(IOperation value, RetryScope scope)
    {
        if (OperationTree.Unwrap(value) is not IPropertyReferenceOperation { Property.Name: "Token", Instance: ILocalReferenceOperation source }
            || !SymbolEqualityComparer.Default.Equals(source.Local.Type, scope.Types.CancellationTokenSource))
        {
            return false;
        }

        foreach (var write in scope.WritesOf(source.Local) ?? new List<IOperation>())
        {
            if (write is IVariableDeclaratorOperation { Initializer.Value: { } initial }
                && OperationTree.Unwrap(initial) is IObjectCreationOperation { Arguments.Length: > 0 } creation
                && !InfiniteValueRecognizer.IsInfinite(creation.Arguments[0].Value, zeroIsInfinite: false, scope.Types))
            {
                return true;
            }
        }

        return OperationTree.Any(scope.Root, o => o is IInvocationOperation { TargetMethod.Name: "CancelAfter", Instance: ILocalReferenceOperation target } call
            && SymbolEqualityComparer.Default.Equals(target.Local, source.Local)
            && call.Arguments.Length == 1
            && !InfiniteValueRecognizer.IsInfinite(call.Arguments[0].Value, zeroIsInfinite: false, scope.Types));
    }

    /// <summary>What a write puts in its target: a declarator's initializer or an assignment's value.</summary>
    private static IOperation? WrittenValue(IOperation write)
        => write switch
        {
            IVariableDeclaratorOperation declarator => declarator.Initializer?.Value,
            IAssignmentOperation assignment => assignment.Value,
            _ => null,
        };

    /// <summary><c>is 5</c>, <c>is &gt;= max</c>, <c>is not 0</c>: a pattern that compares with a value.</summary>
    private static bool ComparesWithAValue(IPatternOperation pattern)
        => pattern switch
        {
            IConstantPatternOperation or IRelationalPatternOperation => true,
            INegatedPatternOperation negated => ComparesWithAValue(negated.Pattern),
            IBinaryPatternOperation binary => ComparesWithAValue(binary.LeftPattern) || ComparesWithAValue(binary.RightPattern),
            _ => false,
        };

    /// <summary>
    /// <paramref name="reference"/> is a boolean local the guard tests (<c>if (retried) throw;</c>,
    /// <c>catch (X) when (firstTime &amp;&amp; …)</c>), and every write to it inside the repeated region is in a catch and
    /// sets the value that makes the retry leave: after one failure the next one leaves. A bound of one more attempt.
    /// </summary>
    private static bool IsOneShotLatch(ILocalReferenceOperation reference, IOperation guard, RetryScope scope)
    {
        if (reference.Local.Type.SpecialType != SpecialType.System_Boolean)
        {
            return false;
        }

        // Which value of the flag makes the retry leave. In an exit guard (if (tried || x) throw;) the flag leaves when its
        // literal is true; in a guard that lets it go round (catch ... when (firstTime && x), while (!done && …)) when
        // its literal is false. Negations flip the literal; && (going round) and || (leaving) keep the implication.
        var goesRound = scope.GoRoundGuards?.Contains(guard) == true;
        var literalTrueValue = true;
        IOperation current = reference;
        while (current != guard && current.Parent is { } parent)
        {
            switch (parent)
            {
                case IConversionOperation or IParenthesizedOperation:
                    break;
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not }:
                    literalTrueValue = !literalTrueValue;
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } when goesRound:
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } when !goesRound:
                    break;
                default:
                    return false;
            }

            current = parent;
        }

        if (current != guard)
        {
            return false;
        }

        var leavingValue = goesRound ? !literalTrueValue : literalTrueValue;

        var writesInside = 0;
        foreach (var write in scope.WritesOf(reference.Local) ?? new List<IOperation>())
        {
            if (!scope.RepeatedRegion.Contains(write.Syntax.Span))
            {
                continue;
            }

            var value = WrittenValue(write);
            // Set on the failure path: a flag set where the call succeeded (ok = true; ... if (ok) break;) is success leaving.
            if (value?.ConstantValue is not { HasValue: true, Value: bool written } || written != leavingValue
                || OperationTree.Ancestor<ICatchClauseOperation>(write) is null)
            {
                return false;
            }

            writesInside++;
        }

        return writesInside > 0;
    }

    /// <summary>
    /// The comparison reads a local that holds elapsed time (<c>var waited = DateTimeOffset.UtcNow - start;
    /// if (waited &gt; limit) throw;</c>): every write to it reads the clock.
    /// </summary>
    private static bool ReadsElapsedLocal(IOperation comparison, KnownTypes types, RetryScope scope)
    {
        foreach (var node in Self(comparison))
        {
            if (node is ILocalReferenceOperation local && EveryWrite(local.Local, scope, value => ReadsClock(value, types)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every value written to <paramref name="local"/> in the scope is a comparison that reads the clock.</summary>
    private static bool HoldsClockComparison(ILocalSymbol local, KnownTypes types, RetryScope scope)
        => local.Type.SpecialType == SpecialType.System_Boolean
           && EveryWrite(local, scope, value => OperationTree.Any(value, o => o is IBinaryOperation binary && IsComparison(binary.OperatorKind)
               && (ReadsClock(binary, types) || ReadsElapsedLocal(binary, types, scope))));

    /// <summary><paramref name="local"/> is written in the scope, and every value written to it satisfies <paramref name="predicate"/>.</summary>
    private static bool EveryWrite(ILocalSymbol local, RetryScope scope, System.Func<IOperation, bool> predicate)
    {
        if (scope.WritesOf(local) is not { Count: > 0 } writes)
        {
            return false;
        }

        foreach (var write in writes)
        {
            if (WrittenValue(write) is not { } value || !predicate(value))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsHelperResult(ILocalSymbol local, RetryScope scope)
    {
        var writes = scope.WritesOf(local);
        if (writes is null)
        {
            return false;
        }

        foreach (var write in writes)
        {
            var value = WrittenValue(write);
            if (AppHelpers.IsHelperCall(value))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<IOperation> Self(IOperation root)
    {
        yield return root;
        foreach (var operation in OperationTree.Descendants(root))
        {
            yield return operation;
        }
    }

    /// <summary>
    /// A call whose result the compilation cannot judge: a helper with state (<c>policy.ShouldRetry(attempt)</c>).
    /// Helpers that only classify the exception (<c>IsTransient(ex)</c>) limit nothing.
    /// </summary>
    private static bool IsOpaqueHelper(IInvocationOperation invocation)
    {
        var ns = invocation.TargetMethod.ContainingNamespace;
        if (ns is not null && (ns.Name == "System" || ns.ContainingNamespace?.Name == "System") && IsSystemRooted(ns))
        {
            return false;
        }

        if (invocation.Instance is not null && invocation.Instance is not IInstanceReferenceOperation && !IsExceptionValue(invocation.Instance))
        {
            return true;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (!IsExceptionValue(argument.Value) && !argument.Value.ConstantValue.HasValue && argument.ArgumentKind != ArgumentKind.DefaultValue)
            {
                return true;
            }
        }

        // Only the exception reaches it: it classifies the failure, it does not count attempts.
        // With nothing at all to go on, it can only be reading state of its own.
        return invocation.Arguments.Length == 0;
    }

    private static bool IsSystemRooted(INamespaceSymbol ns)
    {
        var current = ns;
        while (current.ContainingNamespace is { IsGlobalNamespace: false } parent)
        {
            current = parent;
        }

        return current.Name == "System";
    }

    private static bool IsExceptionValue(IOperation value)
    {
        var type = OperationTree.Unwrap(value)?.Type;
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name == "Exception" && current.ContainingNamespace?.Name == "System")
            {
                return true;
            }
        }

        return false;
    }

    private static bool ReferencesAny(IOperation operation, IReadOnlyList<ISymbol> counters)
    {
        if (counters.Count == 0)
        {
            return false;
        }

        foreach (var node in Self(operation))
        {
            if (OperationTree.ReferencedSymbol(node) is { } symbol && Contains(counters, symbol))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ReadsClock(IOperation operation, KnownTypes types)
    {
        foreach (var node in Self(operation))
        {
            var member = node switch
            {
                IPropertyReferenceOperation property => property.Property.ContainingType,
                IInvocationOperation invocation => invocation.TargetMethod.ContainingType,
                IFieldReferenceOperation field => field.Field.ContainingType,
                _ => null,
            };
            if (IsClock(member, types) || (node is ILocalReferenceOperation or IFieldReferenceOperation or IParameterReferenceOperation && IsClock(node.Type as INamedTypeSymbol, types)))
            {
                return true;
            }

            if (node is IPropertyReferenceOperation { Property.Name: "TickCount" or "TickCount64" } tick
                && SymbolEqualityComparer.Default.Equals(tick.Property.ContainingType, types.Environment))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsClock(INamedTypeSymbol? type, KnownTypes types)
        => type is not null
           && (SymbolEqualityComparer.Default.Equals(type, types.Stopwatch)
               || SymbolEqualityComparer.Default.Equals(type, types.DateTime)
               || SymbolEqualityComparer.Default.Equals(type, types.DateTimeOffset)
               || SymbolEqualityComparer.Default.Equals(type, types.TimeProvider));

    private static bool IsComparison(BinaryOperatorKind kind)
        => kind is BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual
            or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual
            or BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals;

    private static bool IsNumeric(ISymbol symbol)
    {
        var type = symbol switch
        {
            ILocalSymbol local => local.Type,
            IParameterSymbol parameter => parameter.Type,
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            _ => null,
        };
        return type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16
            or SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_Byte;
    }

    internal static bool Contains(IReadOnlyList<ISymbol> symbols, ISymbol symbol)
    {
        for (var i = 0; i < symbols.Count; i++)
        {
            if (SymbolEqualityComparer.Default.Equals(symbols[i], symbol))
            {
                return true;
            }
        }

        return false;
    }

    private static AttemptBoundKind Stronger(AttemptBoundKind a, AttemptBoundKind b) => Rank(a) >= Rank(b) ? a : b;

    private static int Rank(AttemptBoundKind kind) => kind switch
    {
        AttemptBoundKind.Counter or AttemptBoundKind.Deadline => 3,
        AttemptBoundKind.Unknown => 2,
        AttemptBoundKind.Cancellation => 1,
        _ => 0,
    };
}
