using System;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>
/// Exceptions that say another writer got there first: EF Core's <c>DbUpdateException</c> (what a duplicate
/// key of an insert race surfaces as) and its <c>DbUpdateConcurrencyException</c>, and any exception type
/// named <c>*ConcurrencyException</c> or <c>*ConflictException</c>. A method that calls itself again from
/// such a catch re-reads the state the other writer left and takes another path (update instead of insert):
/// an optimistic-concurrency re-run, not a retry against a failing dependency.
/// </summary>
public static class ConflictExceptions
{
    /// <remarks>
    /// A <c>DbUpdateException</c> the compilation cannot resolve (EF Core not referenced) still counts: certain
    /// or silent, and a catch of that name is the insert race far more often than anything else.
    /// </remarks>
    public static bool IsConflict(ITypeSymbol? exception)
    {
        for (var type = exception as INamedTypeSymbol; type is not null; type = type.BaseType)
        {
            if (type.Name.EndsWith("ConcurrencyException", StringComparison.Ordinal)
                || type.Name.EndsWith("ConflictException", StringComparison.Ordinal)
                || type.Name.EndsWith("AlreadyExistsException", StringComparison.Ordinal)
                || type.Name.EndsWith("DuplicateKeyException", StringComparison.Ordinal)
                || type.Name.EndsWith("InconsistentStateException", StringComparison.Ordinal)
                || (type.Name == "DbUpdateException"
                    && (type.ContainingNamespace?.ToDisplayString() == "Microsoft.EntityFrameworkCore" || type.TypeKind == TypeKind.Error)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A catch that takes only write conflicts: its type is one (<see cref="IsConflict"/>), or its filter asks for
    /// HTTP 409 Conflict or 412 Precondition Failed (an ETag or create-if-absent race, as storage SDKs report it).
    /// </summary>
    public static bool IsConflictCatch(ICatchClauseOperation @catch)
    {
        if (IsConflict(@catch.ExceptionType))
        {
            return true;
        }

        return @catch.Filter is { } filter && AsksForAConflict(filter, followCalls: true);
    }

    /// <summary>
    /// A condition that names a conflict, or calls a helper that does: by its name (<c>IsBlobAlreadyExists(ex)</c>),
    /// or, for a helper in the same file, by what its body compares.
    /// </summary>
    private static bool AsksForAConflict(IOperation condition, bool followCalls)
        => OperationTree.Any(condition, o => o switch
        {
            IMemberReferenceOperation { Member.Name: var name } => NamesConflict(name),
            ILiteralOperation { ConstantValue: { HasValue: true, Value: string code } } => NamesConflict(code),
            ILiteralOperation { ConstantValue: { HasValue: true, Value: 409 or 412 } } => true,
            IInvocationOperation invocation => NamesConflict(invocation.TargetMethod.Name)
                                               || (followCalls && HelperAsksForAConflict(invocation)),
            _ => false,
        });

    private static bool HelperAsksForAConflict(IInvocationOperation invocation)
        => OperationTree.BodiesInSameFile(invocation).Any(body => AsksForAConflict(body, followCalls: false));

    /// <summary>A status or error code that says another writer got there first (HTTP 409/412, BlobAlreadyExists, ConditionNotMet).</summary>
    private static bool NamesConflict(string name)
        => name.IndexOf("Conflict", StringComparison.Ordinal) >= 0
           || name.IndexOf("AlreadyExists", StringComparison.Ordinal) >= 0
           || name.IndexOf("PreconditionFailed", StringComparison.Ordinal) >= 0
           || name.IndexOf("ConditionNotMet", StringComparison.Ordinal) >= 0;
}
