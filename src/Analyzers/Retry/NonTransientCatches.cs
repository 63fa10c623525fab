using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>
/// RES006: a failure catch of a retry loop that admits only a failure no SDK client retries by itself, so it cannot send
/// the loop round on what a client lets out after its retries (<see cref="RetryLayer.RoundCatches"/> leaves it out). An SDK's
/// retry policy resends on transient failures only (network errors, HTTP 408, 429 and 5xx); a catch that goes round only on
/// another HTTP 4xx status (<c>ex.Status == 404</c>) or on a "not found", "conflict" or "already exists" error code
/// (<c>ex.ErrorCode == BlobErrorCode.ContainerNotFound</c>) goes round on failures the SDK gave up on at once, and a transient
/// failure, retried by the SDK, is not caught. Such a loop fixes something (re-creates the container) and goes once more; its
/// attempts and the SDK's never stack.
/// </summary>
/// <remarks>
/// Conservative: the filter (<c>when</c>), or a rethrow-unless check at the top level of the catch
/// (<c>if (ex.Status != 404) throw;</c>), must restrict the catch to such a failure by a comparison with a constant status or
/// a code named for it. Anything else (a helper, a status out of sight, 408, 429, 5xx) admits transient failures.
/// </remarks>
internal static class NonTransientCatches
{
    /// <summary>The catch admits only non-transient failures, by its filter or a rethrow-unless check at its top.</summary>
    public static bool AdmitsOnlyNonTransient(ICatchClauseOperation clause)
    {
        if (clause.Filter is { } filter && Restricts(filter, holds: true))
        {
            return true;
        }

        // if (ex.Status != 404) throw; at the top of the handler, before anything goes round.
        foreach (var statement in clause.Handler.Operations)
        {
            if (statement is IConditionalOperation { WhenFalse: null, Condition: var condition, WhenTrue: var whenTrue }
                && Rethrows(whenTrue)
                && Restricts(condition, holds: false))
            {
                return true;
            }

            if (OperationTree.Any(statement, o => o is IBranchOperation { BranchKind: BranchKind.Continue or BranchKind.GoTo }))
            {
                return false;
            }
        }

        return false;
    }

    private static bool Rethrows(IOperation branch)
        => branch switch
        {
            IThrowOperation => true,
            IExpressionStatementOperation { Operation: IThrowOperation } => true,
            IBlockOperation { Operations.Length: 1 } block => Rethrows(block.Operations[0]),
            _ => false,
        };

    /// <summary>
    /// The catch goes on only when <paramref name="condition"/> evaluates to <paramref name="holds"/>, and that value
    /// holds only for non-transient failures.
    /// </summary>
    private static bool Restricts(IOperation condition, bool holds)
    {
        switch (OperationTree.Unwrap(condition))
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return Restricts(not.Operand, !holds);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and:
                // a && b true: either restricts; false: both must.
                return holds ? Restricts(and.LeftOperand, true) || Restricts(and.RightOperand, true)
                    : Restricts(and.LeftOperand, false) && Restricts(and.RightOperand, false);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } or:
                return holds ? Restricts(or.LeftOperand, true) && Restricts(or.RightOperand, true)
                    : Restricts(or.LeftOperand, false) || Restricts(or.RightOperand, false);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison:
                var equal = comparison.OperatorKind == BinaryOperatorKind.Equals;
                return equal == holds
                       && (IsFailureCode(comparison.LeftOperand) && IsNonTransientValue(comparison.RightOperand)
                           || IsFailureCode(comparison.RightOperand) && IsNonTransientValue(comparison.LeftOperand));
            case IIsPatternOperation pattern when IsFailureCode(pattern.Value):
                return holds && PatternIsNonTransient(pattern.Pattern);
            case IIsPatternOperation { Pattern: IRecursivePatternOperation recursive }:
                // ex is RequestFailedException { Status: 404 }
                return holds && RecursiveIsNonTransient(recursive);
            default:
                return false;
        }
    }

    private static bool RecursiveIsNonTransient(IRecursivePatternOperation recursive)
    {
        foreach (var sub in recursive.PropertySubpatterns)
        {
            if (sub.Member is IPropertyReferenceOperation { Property.Name: var name } && IsFailureCodeName(name) && PatternIsNonTransient(sub.Pattern))
            {
                return true;
            }
        }

        return false;
    }

    private static bool PatternIsNonTransient(IPatternOperation pattern)
        => pattern switch
        {
            IConstantPatternOperation constant => IsNonTransientValue(constant.Value),
            IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } either => PatternIsNonTransient(either.LeftPattern) && PatternIsNonTransient(either.RightPattern),
            IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.And } both => PatternIsNonTransient(both.LeftPattern) || PatternIsNonTransient(both.RightPattern),
            _ => false,
        };

    /// <summary><c>ex.Status</c>, <c>ex.StatusCode</c>, <c>ex.ErrorCode</c>: what a service failure says it was.</summary>
    private static bool IsFailureCode(IOperation operand)
    {
        var value = OperationTree.Unwrap(operand);
        if (value is IInvocationOperation { TargetMethod.Name: "ToString", Instance: { } instance })
        {
            value = OperationTree.Unwrap(instance);
        }

        return value is IPropertyReferenceOperation { Property.Name: var name } && IsFailureCodeName(name);
    }

    private static bool IsFailureCodeName(string name)
        => name is "Status" or "StatusCode" or "HttpStatusCode" or "ErrorCode";

    /// <summary>
    /// A constant HTTP status from 400 to 499 but 408 (request timeout) and 429 (too many requests), or a code named for a
    /// missing, conflicting or existing resource (<c>"ContainerNotFound"</c>, <c>BlobErrorCode.BlobAlreadyExists</c>,
    /// <c>"NoSuchKey"</c>).
    /// </summary>
    private static bool IsNonTransientValue(IOperation operand)
    {
        var value = OperationTree.Unwrap(operand)!;
        if (value.ConstantValue is { HasValue: true, Value: var constant })
        {
            return constant switch
            {
                int status => status is >= 400 and <= 499 and not 408 and not 429,
                string code => NamesNonTransient(code),
                _ => false,
            };
        }

        return value is IMemberReferenceOperation { Member.Name: var name } && NamesNonTransient(name);
    }

    private static bool NamesNonTransient(string name)
        => name.IndexOf("NotFound", StringComparison.Ordinal) >= 0
           || name.StartsWith("NoSuch", StringComparison.Ordinal)
           || name.IndexOf("DoesNotExist", StringComparison.Ordinal) >= 0
           || name.IndexOf("Conflict", StringComparison.Ordinal) >= 0
           || name.IndexOf("AlreadyExists", StringComparison.Ordinal) >= 0;
}
