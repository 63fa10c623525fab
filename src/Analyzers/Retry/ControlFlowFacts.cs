using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>Where control goes after a protected call succeeds or fails, answered from IOperation and the compiler's flow analysis.</summary>
internal static class ControlFlowFacts
{
    /// <summary>
    /// The protected block calls out: it holds an outbound operation, or a call the compilation cannot see into while
    /// a catch takes an exception only remote calls throw (<c>catch (HttpRequestException)</c> around a client interface).
    /// Accepting an inbound connection is not calling out, whatever its catch.
    /// </summary>
    public static bool CallsOut(ITryOperation @try, RetryRecognitionContext context)
    {
        List<IInvocationOperation>? opaqueCalls = null;
        foreach (var operation in OperationTree.Descendants(@try.Body))
        {
            if (context.Outbound.IsOutbound(operation))
            {
                return true;
            }

            if (operation is IInvocationOperation invocation && IsOpaque(invocation.TargetMethod))
            {
                (opaqueCalls ??= new List<IInvocationOperation>()).Add(invocation);
            }
        }

        if (opaqueCalls is null || !CatchesARemoteFailure(@try, context))
        {
            return false;
        }

        // Last, as it can mean reading the implementations of an interface (binding their bodies): whether one of the opaque
        // calls is not seen to stay on this machine.
        foreach (var invocation in opaqueCalls)
        {
            if (!context.Outbound.IsSeenToStayLocal(invocation))
            {
                return true;
            }
        }

        return false;
    }

    private static bool CatchesARemoteFailure(ITryOperation @try, RetryRecognitionContext context)
    {
        foreach (var @catch in @try.Catches)
        {
            if (context.Outbound.IsOutboundException(@catch.ExceptionType))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A call whose body the compilation cannot see: an interface or abstract member, or a delegate.</summary>
    public static bool IsOpaque(IMethodSymbol method)
        => !OutboundOperations.IsKnownNotToCallOut(method)
           && (method.IsAbstract || method.ContainingType?.TypeKind is TypeKind.Interface or TypeKind.Delegate);

    /// <summary>
    /// The decision to go round again is handed to code the compilation cannot see: a catch filter, or a guard in the
    /// catch that leaves, calls an interface member or a delegate (a user-supplied policy or predicate). Certain or silent.
    /// </summary>
    public static bool DecisionIsOpaque(ICatchClauseOperation @catch)
    {
        if (@catch.Filter is { } filter && CallsOpaque(filter))
        {
            return true;
        }

        foreach (var operation in OperationTree.Descendants(@catch.Handler))
        {
            if (operation is IConditionalOperation { Condition: { } condition } conditional
                && OperationTree.Any(conditional, o => o is IThrowOperation or IReturnOperation or IBranchOperation { BranchKind: BranchKind.Break })
                && CallsOpaque(condition))
            {
                return true;
            }
        }

        return false;
    }

    private static bool CallsOpaque(IOperation condition)
        => OperationTree.Any(condition, o => o is IInvocationOperation invocation && IsOpaque(invocation.TargetMethod));

    /// <summary>
    /// The success path leaves <paramref name="loop"/>: the protected block returns, breaks out, or sets
    /// something the loop condition reads. Exits that only fire on "nothing received" (a drained queue) do not count.
    /// </summary>
    public static bool SuccessLeavesLoop(ITryOperation @try, ILoopOperation loop, IOperation? condition, RetryRecognitionContext context)
    {
        // Where the first outbound call starts: asked only when there is an exit to place (it reads what calls do).
        int? firstCall = null;
        foreach (var operation in OperationTree.Descendants(@try.Body))
        {
            // An exit that ends before anything is called (if (stopRequested) break;) is a guard, not success.
            if (IsExit(operation, loop)
                && operation.Syntax.Span.End > (firstCall ??= FirstOutboundStart(@try.Body, context))
                && IsSuccessExit(operation, @try.Body, context))
            {
                return true;
            }

            // `done = true` or `result = await CallAsync()` ends the loop; `remaining -= read` or `offset = offset + n`
            // only moves it on, so success goes round too (a read loop).
            // A value the call produced ends the loop only when the condition waits for any value at all
            // (while (response == null)); while (status != "ACTIVE") polls until the answer changes, and a
            // successful answer of another status goes round too.
            if (condition is not null
                && operation is ISimpleAssignmentOperation assignment
                && OperationTree.ReferencedSymbol(assignment.Target) is { } target
                && Reads(condition, target)
                && !Reads(assignment.Value, target)
                && (assignment.Value.ConstantValue.HasValue || WaitsForAnyValue(condition, target)))
            {
                return true;
            }
        }

        return false;
    }

    private static int FirstOutboundStart(IOperation body, RetryRecognitionContext context)
    {
        foreach (var operation in OperationTree.Descendants(body))
        {
            if (context.Outbound.IsOutbound(operation))
            {
                return operation.Syntax.SpanStart;
            }
        }

        return body.Syntax.SpanStart;
    }

    /// <summary>An operation that leaves <paramref name="loop"/>: return, yield break, break to it, goto out of it.</summary>
    public static bool IsExit(IOperation operation, ILoopOperation loop)
        => operation switch
        {
            IReturnOperation { Kind: OperationKind.Return or OperationKind.YieldBreak } => true,
            IBranchOperation { BranchKind: BranchKind.Break } branch => SymbolEqualityComparer.Default.Equals(branch.Target, loop.ExitLabel),
            IBranchOperation { BranchKind: BranchKind.GoTo } branch => !loop.Syntax.Span.Contains(LabelPosition(branch.Target)),
            _ => false,
        };

    /// <summary>
    /// Indexes of the catch clauses after which the loop goes round again: they continue, or their end is
    /// reachable and nothing after the try leaves the loop unconditionally.
    /// </summary>
    public static ImmutableArray<int> FailureCatches(ITryOperation @try, ILoopOperation loop, SemanticModel model)
    {
        var exitAfterTry = UnconditionalExitAfter(@try, loop);
        var result = ImmutableArray.CreateBuilder<int>();
        for (var i = 0; i < @try.Catches.Length; i++)
        {
            var handler = @try.Catches[i].Handler;
            if (OperationTree.Any(handler, o => o is IBranchOperation { BranchKind: BranchKind.Continue } branch
                    && SymbolEqualityComparer.Default.Equals(branch.Target, loop.ContinueLabel)))
            {
                result.Add(i);
                continue;
            }

            if (!exitAfterTry && handler.Syntax is BlockSyntax block && EndPointIsReachable(block, model)
                && !EndsInThrowHelper(handler)
                && !FailureLeavesAfter(@try.Catches[i], @try, loop))
            {
                result.Add(i);
            }
        }

        return result.ToImmutable();
    }

    /// <summary>
    /// The handler ends in a call that never returns: a throw helper (<c>ThrowHelper.ThrowTimeout()</c>,
    /// <c>Throw.JobPersistenceException(...)</c>) or a method marked <c>[DoesNotReturn]</c>. The compiler cannot see
    /// that the end is unreachable; the failure does not go round.
    /// </summary>
    private static bool EndsInThrowHelper(IBlockOperation handler)
    {
        if (handler.Operations.Length == 0
            || handler.Operations[handler.Operations.Length - 1] is not IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod: { } method } })
        {
            return false;
        }

        if (method.Name.StartsWith("Throw", StringComparison.Ordinal) || method.ContainingType?.Name is "Throw" or "ThrowHelper" or "ThrowHelpers")
        {
            return method.ReturnsVoid;
        }

        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass?.Name == "DoesNotReturnAttribute")
            {
                return true;
            }
        }

        return false;
    }

    public static bool EndPointIsReachable(BlockSyntax block, SemanticModel model)
    {
        if (block.Statements.Count == 0)
        {
            return true;
        }

        // The plain cases from the syntax, without the compiler's flow analysis: a block that ends in a jump does not reach
        // its end, and one with no jump and no loop anywhere in it (a lambda's are its own) does.
        if (block.Statements[block.Statements.Count - 1] is ThrowStatementSyntax or ReturnStatementSyntax or BreakStatementSyntax
            or ContinueStatementSyntax or GotoStatementSyntax)
        {
            return false;
        }

        if (!HasJumpOrLoop(block))
        {
            return true;
        }

        var flow = model.AnalyzeControlFlow(block.Statements[0], block.Statements[block.Statements.Count - 1]);
        return flow is { Succeeded: true, EndPointIsReachable: true };
    }

    private static bool HasJumpOrLoop(BlockSyntax block)
    {
        foreach (var node in block.DescendantNodes(static n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            if (node is ThrowStatementSyntax or ThrowExpressionSyntax or ReturnStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax
                    or GotoStatementSyntax or YieldStatementSyntax
                || SyntaxShapes.IsLoop(node))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A statement after the try, in its block, that always leaves the loop (<c>break;</c>, <c>return x;</c>).</summary>
    public static bool UnconditionalExitAfter(ITryOperation @try, ILoopOperation loop)
    {
        if (@try.Parent is not IBlockOperation block)
        {
            return false;
        }

        var seen = false;
        foreach (var statement in block.Operations)
        {
            if (seen && (IsExit(statement, loop) || statement is IThrowOperation or IExpressionStatementOperation { Operation: IThrowOperation }))
            {
                return true;
            }

            seen |= statement == @try;
        }

        return false;
    }

    /// <summary>
    /// A conditional exit after the try on a flag the protected block sets (<c>ok = true;</c> … <c>if (ok) break;</c>):
    /// success can leave through it. "Nothing came" and cancellation checks are not success.
    /// </summary>
    public static bool ConditionalExitAfter(ITryOperation @try, ILoopOperation loop)
    {
        foreach (var conditional in ConditionalExitsAfter(@try, loop))
        {
            if (!IsNotSuccessCheck(conditional.Condition) && ReadsAnyWrittenIn(conditional.Condition, @try.Body))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The catch records the failure and a conditional exit after the try reads it: failure leaves the loop.</summary>
    private static bool FailureLeavesAfter(ICatchClauseOperation @catch, ITryOperation @try, ILoopOperation loop)
    {
        foreach (var conditional in ConditionalExitsAfter(@try, loop))
        {
            if (ReadsAnyWrittenIn(conditional.Condition, @catch.Handler))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<IConditionalOperation> ConditionalExitsAfter(ITryOperation @try, ILoopOperation loop)
    {
        if (@try.Parent is not IBlockOperation block)
        {
            yield break;
        }

        var seen = false;
        foreach (var statement in block.Operations)
        {
            if (seen && statement is IConditionalOperation conditional && OperationTree.Any(statement, o => IsExit(o, loop)))
            {
                yield return conditional;
            }

            seen |= statement == @try;
        }
    }

    /// <summary>
    /// The condition reads something the attempt itself sets. A flag set only while iterating what came in (a "stop"
    /// message met inside <c>await foreach</c>), after a constant start value, answers the data, not the call: a
    /// consumer whose subscription ends normally goes round to consume again.
    /// </summary>
    private static bool ReadsAnyWrittenIn(IOperation condition, IOperation region)
    {
        foreach (var operation in OperationTree.Descendants(region))
        {
            var written = operation switch
            {
                IAssignmentOperation assignment when !InsideAnInnerLoop(assignment, region) => OperationTree.ReferencedSymbol(assignment.Target),
                IVariableDeclaratorOperation { Initializer.Value.ConstantValue.HasValue: false } declarator => declarator.Symbol,
                _ => null,
            };
            if (written is not null && Reads(condition, written))
            {
                return true;
            }
        }

        return false;
    }

    private static bool InsideAnInnerLoop(IOperation operation, IOperation region)
    {
        for (var current = operation.Parent; current is not null && current != region; current = current.Parent)
        {
            if (current is ILoopOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// An exit taken because the call succeeded: unconditional, or under a condition on what the protected block
    /// produced (<c>if (response.IsSuccessStatusCode) return response;</c>, <c>if (await TrySendAsync()) return;</c>).
    /// An exit on "nothing came", on cancellation, or on a mode flag the block never writes (<c>if (runOnce) return;</c>)
    /// leaves a worker loop, not a retry.
    /// </summary>
    private static bool IsSuccessExit(IOperation exit, IOperation container, RetryRecognitionContext context)
    {
        IOperation child = exit;
        for (var current = exit.Parent; current is not null && current != container; child = current, current = current.Parent)
        {
            if (current is IConditionalOperation conditional)
            {
                var condition = conditional.Condition;
                return !IsNotSuccessCheck(condition)
                    && !LeavesWhenTheCallFails(conditional, child, context)
                    && (OperationTree.Any(condition, context.Outbound.IsOutbound) || ReadsAnyWrittenIn(condition, container));
            }
        }

        return true;
    }

    /// <summary>
    /// The exit is taken when an outbound call answers false (<c>if (!TrySend(m)) return;</c>, or the <c>else</c> of
    /// <c>if (TrySend(m))</c>): the call failed and the loop gives up, which is not success leaving it.
    /// </summary>
    private static bool LeavesWhenTheCallFails(IConditionalOperation conditional, IOperation branch, RetryRecognitionContext context)
    {
        var whenTrue = branch == conditional.WhenTrue;
        var condition = OperationTree.Unwrap(conditional.Condition);
        while (condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
        {
            whenTrue = !whenTrue;
            condition = OperationTree.Unwrap(not.Operand);
        }

        return !whenTrue && condition is not null && IsCallAnswer(condition, context);
    }

    /// <summary>What an outbound call answered: <c>await TrySendAsync()</c>, or one of two calls (<c>schemaOnly ? await A() : await B()</c>).</summary>
    private static bool IsCallAnswer(IOperation value, RetryRecognitionContext context)
    {
        value = OperationTree.Unwrap(value)!;
        if (value is IAwaitOperation awaited)
        {
            value = OperationTree.Unwrap(awaited.Operation)!;
        }

        if (value is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured })
        {
            value = OperationTree.Unwrap(configured)!;
        }

        return value switch
        {
            IInvocationOperation call => context.Outbound.IsOutbound(call),
            IConditionalOperation { WhenFalse: { } whenFalse } either => IsCallAnswer(either.WhenTrue, context) && IsCallAnswer(whenFalse, context),
            _ => false,
        };
    }

    private static bool IsNotSuccessCheck(IOperation condition)
        => IsEmptinessCheck(condition)
           || OperationTree.Any(condition, o => o is IPropertyReferenceOperation { Property.Name: "IsCancellationRequested" });

    /// <summary><c>x == null</c>, <c>x is null</c>, <c>read == 0</c>, <c>string.IsNullOrEmpty(x)</c>: "nothing came".</summary>
    private static bool IsEmptinessCheck(IOperation condition)
    {
        condition = OperationTree.Unwrap(condition)!;
        switch (condition)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.LessThanOrEqual } binary:
                return IsNullOrZero(binary.RightOperand) || IsNullOrZero(binary.LeftOperand);
            case IIsPatternOperation { Pattern: IConstantPatternOperation constant }:
                return IsNullOrZero(constant.Value);
            case IInvocationOperation { TargetMethod.Name: "IsNullOrEmpty" or "IsNullOrWhiteSpace" }:
                return true;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } or:
                return IsEmptinessCheck(or.LeftOperand) || IsEmptinessCheck(or.RightOperand);
            default:
                return false;
        }
    }

    /// <summary>
    /// The condition reads <paramref name="target"/> only as "nothing yet": a flag, or a comparison with null or zero.
    /// </summary>
    private static bool WaitsForAnyValue(IOperation condition, ISymbol target)
    {
        var asFlagOrEmptiness = false;
        foreach (var operation in OperationTree.Descendants(condition).Prepend(condition))
        {
            switch (operation)
            {
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary
                    when Reads(binary, target):
                    // response == null waits for any answer; string.CompareOrdinal(op.Status, "Assigning") == 0 or
                    // op.Status == null compares what the answer says: polling for a state.
                    var compared = IsNullOrZero(binary.RightOperand) ? binary.LeftOperand : IsNullOrZero(binary.LeftOperand) ? binary.RightOperand : null;
                    if (compared is null || !SymbolEqualityComparer.Default.Equals(OperationTree.ReferencedSymbol(OperationTree.Unwrap(compared)), target))
                    {
                        return false;
                    }

                    asFlagOrEmptiness = true;
                    break;
                case IIsPatternOperation pattern when Reads(pattern.Value, target):
                    asFlagOrEmptiness |= pattern.Pattern is IConstantPatternOperation constant && IsNullOrZero(constant.Value)
                                         || pattern.Pattern is INegatedPatternOperation { Pattern: IConstantPatternOperation negated } && IsNullOrZero(negated.Value);
                    break;
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual } comparison
                    when Reads(comparison, target):
                    return false;
            }
        }

        var type = target switch
        {
            ILocalSymbol local => local.Type,
            IFieldSymbol field => field.Type,
            IPropertySymbol property => property.Type,
            IParameterSymbol parameter => parameter.Type,
            _ => null,
        };
        return asFlagOrEmptiness || type?.SpecialType == SpecialType.System_Boolean;
    }

    private static bool IsNullOrZero(IOperation operation)
        => operation.ConstantValue is { HasValue: true } constant
           && (constant.Value is null || constant.Value is 0 or 0L);

    private static bool Reads(IOperation condition, ISymbol symbol)
        => OperationTree.Any(condition, o => SymbolEqualityComparer.Default.Equals(OperationTree.ReferencedSymbol(o), symbol));

    private static int LabelPosition(ILabelSymbol label)
        => label.Locations.Length > 0 ? label.Locations[0].SourceSpan.Start : -1;

    /// <summary>Conditions that decide whether to go round again: if-statements whose branch throws, exits or continues.</summary>
    public static IEnumerable<IOperation> ExitGuards(IOperation region, ILoopOperation? loop)
    {
        foreach (var operation in OperationTree.Descendants(region))
        {
            if (operation is IConditionalOperation { Condition: { } condition } conditional
                && OperationTree.Any(conditional, o => o is IThrowOperation or IBranchOperation { BranchKind: BranchKind.Continue or BranchKind.GoTo }
                    || (loop is null ? o is IReturnOperation : IsExit(o, loop))))
            {
                yield return condition;
            }
        }
    }
}
