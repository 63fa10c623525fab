using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>
/// RES005 for hand-written retries: the clause a retry goes round from accepts every exception and decides nothing
/// about it. A filter, a specific type, a clause before it that gives up on some failures, or a decision inside it
/// (a conditional rethrow or leave, a test of the exception) all say which failures are worth another attempt.
/// </summary>
internal static class EveryExceptionCatch
{
    /// <summary>The <c>catch</c> keyword of the clause, or null when the retry chooses what it goes round on.</summary>
    public static Location? Find(ITryOperation @try, ImmutableArray<int> failureCatches)
    {
        for (var i = 0; i < @try.Catches.Length; i++)
        {
            var clause = @try.Catches[i];
            if (!failureCatches.Contains(i))
            {
                // A clause before it that does not go round gives up on those failures: the retry chooses.
                return null;
            }

            if (!AcceptsEverything(clause) || Decides(clause))
            {
                continue;
            }

            return clause.Syntax is CatchClauseSyntax syntax ? syntax.CatchKeyword.GetLocation() : null;
        }

        return null;
    }

    /// <summary>
    /// <c>catch</c>, <c>catch (Exception)</c>, <c>catch (Exception ex)</c>, with no filter that reads the exception: a filter on
    /// the attempt count or a token (<c>when (attempt &lt; 3)</c>) decides how often, not on what.
    /// </summary>
    private static bool AcceptsEverything(ICatchClauseOperation clause)
        => clause.ExceptionType is { SpecialType: SpecialType.System_Object } or { Name: "Exception", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } }
           && (clause.Filter is null
               || (clause.ExceptionDeclarationOrExpression is not IVariableDeclaratorOperation { Symbol: { } caught } || !ReadsLocal(clause.Filter, caught))
                  && !OperationTree.Any(clause.Filter, o => o is IInvocationOperation));

    /// <summary>
    /// The clause tests the exception it caught (its type, a pattern, a condition that reads it) and may rethrow or
    /// leave on what it finds. A rethrow decided by the attempt count (<c>if (++attempt &gt;= 3) throw;</c>) is a
    /// bound, not a choice of failures.
    /// </summary>
    private static bool Decides(ICatchClauseOperation clause)
    {
        if (clause.ExceptionDeclarationOrExpression is not IVariableDeclaratorOperation { Symbol: { } caught })
        {
            return false;
        }

        return OperationTree.Any(clause.Handler, operation => operation switch
        {
            IIsTypeOperation or IIsPatternOperation or ISwitchOperation or ISwitchExpressionOperation => true,
            IConditionalOperation { Condition: var condition } => ReadsLocal(condition, caught),
            _ => false,
        });
    }

    private static bool ReadsLocal(IOperation root, ILocalSymbol local)
        => OperationTree.Any(root, o => o is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
           || (root is ILocalReferenceOperation self && SymbolEqualityComparer.Default.Equals(self.Local, local));
}
