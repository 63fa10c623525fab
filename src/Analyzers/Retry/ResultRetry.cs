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
        if (loop is IWhileLoopOperation { Condition: { } loopCondition }
            && IsProbe(loopCondition, context, out var negatedLoop) && negatedLoop
            && !OperationTree.Any(body, o => o is ITryOperation || ControlFlowFacts.IsExit(o, loop)))
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

            bool negated;
            if (ChecksHttpSuccess(condition, out negated))
            {
                if (!CallsOutBefore(body, i, context))
                {
                    continue;
                }
            }
            else if (!IsProbe(condition, context, out negated))
            {
                continue;
            }

            var exitAfter = i + 1 < operations.Length && ControlFlowFacts.IsExit(operations[i + 1], loop);
            if (!negated && LeavesDirectly(check.WhenTrue, loop) && !exitAfter)
            {
                return true;
            }

            if (negated && exitAfter && Continues(check.WhenTrue, loop))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A yes/no answer from a call that goes out (<c>await client.PingAsync()</c>, <c>await IsHealthyAsync()</c> that sends
    /// a health request), possibly negated: a health probe polled until it answers.
    /// </summary>
    private static bool IsProbe(IOperation condition, RetryRecognitionContext context, out bool negated)
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

        return operation is IInvocationOperation invocation && context.Outbound.IsOutbound(invocation);
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
