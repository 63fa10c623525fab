using System.Collections.Immutable;
using System.Linq;
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
    /// <c>catch</c>, <c>catch (Exception)</c>, <c>catch (Exception ex)</c>, with no filter that chooses failures: a filter on the
    /// attempt count or a token (<c>when (attempt &lt; 3)</c>) decides how often, not on what, and one that only lets
    /// cancellation through (<c>when (ex is not OperationCanceledException)</c>) still retries every failure.
    /// </summary>
    private static bool AcceptsEverything(ICatchClauseOperation clause)
        => clause.ExceptionType is { SpecialType: SpecialType.System_Object } or { Name: "Exception", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } }
           && (clause.Filter is null
               || (clause.ExceptionDeclarationOrExpression is not IVariableDeclaratorOperation { Symbol: { } caught } || !ChoosesFailures(clause.Filter, caught))
                  && !OperationTree.Any(clause.Filter, o => o is IInvocationOperation));

    /// <summary>
    /// The clause tests the exception it caught (its type, a pattern, a condition that reads it or a verdict computed
    /// from it) and gives up on what it finds: a branch of that test throws, returns or leaves the loop. A test that
    /// only changes the wait (<c>if (ex.InnerException is IOException) await Task.Delay(…)</c>) still goes round on every
    /// failure. A rethrow decided by the attempt count (<c>if (++attempt &gt;= 3) throw;</c>) is a bound, and one that
    /// lets cancellation through (<c>if (ex is OperationCanceledException) throw;</c>) no choice among failures.
    /// </summary>
    private static bool Decides(ICatchClauseOperation clause)
    {
        if (clause.ExceptionDeclarationOrExpression is not IVariableDeclaratorOperation { Symbol: { } caught })
        {
            return false;
        }

        var derived = Derived(clause.Handler, caught);
        return OperationTree.Any(clause.Handler, operation => operation switch
        {
            IConditionalOperation { Condition: var condition } conditional
                => derived.Exists(local => ChoosesFailures(condition, local)) && (Leaves(conditional.WhenTrue) || Leaves(conditional.WhenFalse)),
            ISwitchOperation { Value: var value } => derived.Exists(local => ChoosesFailures(value, local)),
            ISwitchExpressionOperation { Value: var value } => derived.Exists(local => ChoosesFailures(value, local)),
            _ => false,
        });
    }

    /// <summary>
    /// The caught exception and the locals that carry what it says: computed from it (<c>var verdict = Classify(ex)</c>),
    /// matched out of it (<c>ex is HttpRequestException { } http</c>), or set where a test of it holds
    /// (<c>if (ex is IOException) retry = true;</c>).
    /// </summary>
    private static System.Collections.Generic.List<ILocalSymbol> Derived(IOperation handler, ILocalSymbol caught)
    {
        var derived = new System.Collections.Generic.List<ILocalSymbol> { caught };
        bool Reads(IOperation? value) => value is not null && derived.Exists(local => ChoosesFailures(value, local));
        bool UnderATestOfIt(IOperation operation)
        {
            for (IOperation? current = operation, parent = operation.Parent; parent is not null && current != handler; current = parent, parent = parent.Parent)
            {
                if (parent is IConditionalOperation conditional && current != conditional.Condition && Reads(conditional.Condition))
                {
                    return true;
                }
            }

            return false;
        }

        // A few passes reach a fixed point: a local derived from a local derived from the exception.
        for (var pass = 0; pass < 3; pass++)
        {
            var added = false;
            foreach (var operation in OperationTree.Descendants(handler))
            {
                var (local, value) = operation switch
                {
                    IVariableDeclaratorOperation declarator => (declarator.Symbol, declarator.Initializer?.Value),
                    IAssignmentOperation { Target: ILocalReferenceOperation target } assignment => (target.Local, assignment.Value),
                    IDeclarationPatternOperation { DeclaredSymbol: ILocalSymbol declared } => (declared, (operation.Parent as IIsPatternOperation)?.Value),
                    IRecursivePatternOperation { DeclaredSymbol: ILocalSymbol declared } => (declared, (operation.Parent as IIsPatternOperation)?.Value),
                    _ => (null, null),
                };
                if (local is not null && !derived.Contains(local, SymbolEqualityComparer.Default) && (Reads(value) || UnderATestOfIt(operation)))
                {
                    derived.Add(local);
                    added = true;
                }
            }

            if (!added)
            {
                break;
            }
        }

        return derived;
    }

    private static bool Leaves(IOperation? branch)
        => branch is not null
           && (branch is IThrowOperation or IReturnOperation or IBranchOperation { BranchKind: BranchKind.Break or BranchKind.GoTo }
               || (branch is IExpressionStatementOperation { Operation: IThrowOperation })
               || OperationTree.Any(branch, o => o is IThrowOperation or IReturnOperation or IBranchOperation { BranchKind: BranchKind.Break or BranchKind.GoTo }));

    /// <summary>The condition reads the caught exception for anything but a test for cancellation.</summary>
    private static bool ChoosesFailures(IOperation condition, ILocalSymbol caught)
    {
        foreach (var operation in OperationTree.Descendants(condition).Prepend(condition))
        {
            if (operation is not ILocalReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Local, caught))
            {
                continue;
            }

            var tested = OperationTree.Outer(reference).Parent switch
            {
                IIsTypeOperation isType => isType.TypeOperand,
                IIsPatternOperation { Pattern: var pattern } => TestedType(pattern),
                _ => null,
            };
            if (!IsCancellation(tested))
            {
                return true;
            }
        }

        return false;
    }

    private static ITypeSymbol? TestedType(IPatternOperation pattern)
        => pattern switch
        {
            INegatedPatternOperation negated => TestedType(negated.Pattern),
            ITypePatternOperation type => type.MatchedType,
            IDeclarationPatternOperation declaration => declaration.MatchedType,
            _ => null,
        };

    private static bool IsCancellation(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current is { Name: "OperationCanceledException", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
            {
                return true;
            }
        }

        return false;
    }
}
