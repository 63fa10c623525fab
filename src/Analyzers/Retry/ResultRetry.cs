using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>
/// A retry on an unsuccessful HTTP response rather than an exception:
/// <c>var response = await client.SendAsync(...); if (response.IsSuccessStatusCode) return response;</c> and round
/// again, or <c>if (!response.IsSuccessStatusCode) { ...; continue; } return response;</c>.
/// Only a success check whose branch leaves the loop directly counts: an exit nested deeper is polling.
/// </summary>
internal static class ResultRetry
{
    public static bool IsResultRetry(ILoopOperation loop, RetryRecognitionContext context)
    {
        if (loop.Body is not IBlockOperation body)
        {
            return false;
        }

        // while (!await IsReadyAsync()) await Task.Delay(500);: the probe is the loop condition, and an unready
        // answer goes round. (while (await reader.ReadAsync()) goes round on success: a read loop.)
        // Every test below checks the shape before the call: whether a call goes out can mean reading the bodies
        // of the methods it calls, and most loops are not shaped like a probe.
        if (loop is IWhileLoopOperation { Condition: { } loopCondition }
            && ProbeCall(loopCondition, out var negatedLoop) is { } loopProbe && negatedLoop
            && !OperationTree.Any(body, o => o is ITryOperation || ControlFlowFacts.IsExit(o, loop))
            && context.Outbound.IsOutbound(loopProbe))
        {
            return true;
        }

        var operations = body.Operations;
        for (var i = 0; i < operations.Length; i++)
        {
            if (operations[i] is not IConditionalOperation { Condition: { } condition } check)
            {
                continue;
            }

            IInvocationOperation? probe = null;
            var httpSuccess = ChecksHttpSuccess(condition, out var negated);
            if (!httpSuccess && (probe = ProbeCall(condition, out negated)) is null)
            {
                continue;
            }

            var exitAfter = i + 1 < operations.Length && ControlFlowFacts.IsExit(operations[i + 1], loop);
            var shaped = (!negated && LeavesDirectly(check.WhenTrue, loop) && !exitAfter)
                         || (negated && exitAfter && Continues(check.WhenTrue, loop));
            if (shaped && (httpSuccess ? CallsOutBefore(body, i, context) : context.Outbound.IsOutbound(probe!)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The call whose yes/no answer the condition is (<c>await client.PingAsync()</c>, <c>await IsHealthyAsync()</c>),
    /// possibly negated; a probe when the call goes out: a health probe polled until it answers. A lookup in the Try
    /// pattern is no probe (<see cref="IsTryPattern"/>).
    /// </summary>
    private static IInvocationOperation? ProbeCall(IOperation condition, out bool negated)
    {
        negated = false;
        var operation = OperationTree.Unwrap(condition);
        if (operation is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
        {
            negated = true;
            operation = OperationTree.Unwrap(not.Operand);
        }

        if (operation is IAwaitOperation awaited)
        {
            operation = OperationTree.Unwrap(awaited.Operation);
            if (operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } inner })
            {
                operation = OperationTree.Unwrap(inner);
            }
        }

        return operation is IInvocationOperation call && !IsTryPattern(call.TargetMethod) ? call : null;
    }

    /// <summary>
    /// <c>bool TryGet…(…, out T value)</c>: a lookup whose "false" says nothing is there yet (an idle connection, a queued
    /// item), not that a request failed; checking it each round waits for something, it does not retry.
    /// </summary>
    private static bool IsTryPattern(IMethodSymbol method)
    {
        if (method.ReturnType.SpecialType != SpecialType.System_Boolean || !method.Name.StartsWith("Try", System.StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var parameter in method.Parameters)
        {
            if (parameter.RefKind == RefKind.Out)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>response.IsSuccessStatusCode</c>, possibly negated.</summary>
    private static bool ChecksHttpSuccess(IOperation condition, out bool negated)
    {
        negated = false;
        var operation = OperationTree.Unwrap(condition);
        if (operation is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not)
        {
            negated = true;
            operation = OperationTree.Unwrap(not.Operand);
        }

        return operation is IPropertyReferenceOperation { Property: { Name: "IsSuccessStatusCode", ContainingType.Name: "HttpResponseMessage" } };
    }

    private static bool CallsOutBefore(IBlockOperation body, int index, RetryRecognitionContext context)
    {
        for (var i = 0; i < index; i++)
        {
            if (OperationTree.Any(body.Operations[i], context.Outbound.IsOutbound))
            {
                return true;
            }
        }

        return false;
    }

    private static bool LeavesDirectly(IOperation? branch, ILoopOperation loop)
        => branch switch
        {
            null => false,
            IBlockOperation block => block.Operations.Length > 0 && ControlFlowFacts.IsExit(block.Operations[block.Operations.Length - 1], loop),
            _ => ControlFlowFacts.IsExit(branch, loop),
        };

    private static bool Continues(IOperation? branch, ILoopOperation loop)
    {
        var last = branch is IBlockOperation { Operations.Length: > 0 } block ? block.Operations[block.Operations.Length - 1] : branch;
        return last is IBranchOperation { BranchKind: BranchKind.Continue } branchOperation
            && SymbolEqualityComparer.Default.Equals(branchOperation.Target, loop.ContinueLabel);
    }
}
