using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>
/// A <c>while</c>, <c>do</c> or <c>for</c> loop is a retry when its body has a try around an outbound call,
/// success leaves the loop and failure goes round again. A loop whose success also goes round (an accept
/// loop, a queue consumer) is a worker loop, not a retry. A loop that checks an HTTP response for success,
/// leaves on success and goes round otherwise is a retry too, with no try at all.
/// </summary>
public static class LoopRetryRecognizer
{
    public static RetryConstruct? Recognize(ILoopOperation loop, RetryRecognitionContext context, CancellationToken cancellationToken)
    {
        IOperation? condition;
        switch (loop)
        {
            case IWhileLoopOperation whileLoop:
                condition = whileLoop.Condition;
                break;
            case IForLoopOperation forLoop:
                condition = forLoop.Condition;
                break;
            default:
                return null;
        }

        List<TryStatementSyntax>? ownTries = null;
        if (condition?.ConstantValue is { HasValue: true, Value: false } || loop.Body is null || loop.SemanticModel is null
            || !MayBeRetry(loop, condition, out ownTries))
        {
            return null;
        }

        ITryOperation? @try = null;
        var failureCatches = ImmutableArray<int>.Empty;
        if (!TryFindRetry(loop, condition, ownTries, context, out @try, out failureCatches, cancellationToken)
            && !(ResultRetry.IsResultRetry(loop, context) && SameRequest.Holds(loop, loop, context)))
        {
            return null;
        }

        // A user-input loop: every round answers what the user typed or chose (a menu, a prompt, a credentials dialog).
        // Asked of the few loops shaped like a retry: it reads the whole body.
        if (context.Outbound.ReadsUserInput(loop.Body))
        {
            return null;
        }

        // What is written on every attempt, anywhere in the loop (condition, body, for-incrementors).
        var counters = AttemptBoundRecognizer.FindCounters(new[] { (IOperation)loop });

        var guards = new List<IOperation>();
        var goRound = new HashSet<IOperation>();
        if (condition is not null && condition.ConstantValue is not { HasValue: true })
        {
            guards.Add(condition);
            goRound.Add(condition);
        }

        // Filters decide either way: on a clause that goes round (when (attempt < max)), or on one that gives up
        // (catch (X) when (trial is max) { throw; } before catch (X) { trial++; }).
        if (@try is not null)
        {
            for (var i = 0; i < @try.Catches.Length; i++)
            {
                if (@try.Catches[i].Filter is { } filter)
                {
                    guards.Add(filter);
                    if (failureCatches.Contains(i))
                    {
                        goRound.Add(filter);
                    }
                }
            }
        }

        guards.AddRange(ControlFlowFacts.ExitGuards(loop.Body, loop));
        var scope = new RetryScope(context.Types, OperationTree.Root(loop), loop.Syntax.Span, counters) { Outbound = context.Outbound, GoRoundGuards = goRound };
        // A wait in the loop condition (while (await timer.WaitForNextTickAsync(token))) is a wait between attempts too.
        var delayRegions = condition is null ? new[] { loop.Body } : new[] { loop.Body, condition };
        var bound = AttemptBoundRecognizer.Recognize(guards, delayRegions, counters, scope);
        if (bound.Kind == AttemptBoundKind.Counter)
        {
            bound = bound.WithAttempts(AttemptBoundRecognizer.LoopAttempts(loop, @try, failureCatches, guards, scope));
        }

        var delay = DelayRecognizer.Recognize(delayRegions, scope, out var delayCall, @try?.Body);
        if (delay.Kind == DelayKind.Growing && delayCall is not null
            && OperationTree.Descendants(loop.Body).FirstOrDefault(o => o.Syntax == delayCall) is IInvocationOperation wait
            && DelayRecognizer.DelayArgument(wait) is { } waited)
        {
            delay = delay.WithGrowth(DelayGrowthRecognizer.ForLoop(loop, waited, scope, bound, @try, failureCatches));
        }

        return new RetryConstruct(
            RetryConstructKind.Loop,
            KeywordLocation(loop.Syntax),
            bound,
            delay,
            @try?.Syntax,
            failureCatches,
            delayCall,
            isBackgroundRecovery: delay.Kind == DelayKind.Growing && IsCapped(loop) && ReturnsNothing(loop),
            everyExceptionCatch: @try is null ? null : EveryExceptionCatch.Find(@try, failureCatches));
    }

    /// <summary>
    /// What any retry loop has in its syntax: a <c>try</c> with a <c>catch</c>, or the shape of a result retry (a
    /// <c>while</c> or <c>do</c> whose condition is a call, or an <c>if</c> directly in the body that tests a call or
    /// <c>IsSuccessStatusCode</c>). Most loops have neither, and telling so from the syntax costs nothing, where the
    /// rest of the recognition reads the loop's operations and what its calls do. An iterator's loop (a <c>yield return</c>
    /// in its body) hands out each result and goes round for the next: a producer, not a retry. A lambda's or local
    /// function's try and yield are theirs, not the loop's.
    /// </summary>
    private static bool MayBeRetry(ILoopOperation loop, IOperation? condition, out List<TryStatementSyntax>? ownTries)
    {
        var statement = loop.Body.Syntax;
        ownTries = null;
        var hasTry = false;

        // Statements only: no expression holds a statement (a lambda's are its own).
        foreach (var node in statement.DescendantNodes(static n => n is StatementSyntax and not LocalFunctionStatementSyntax
                                                                   or SwitchSectionSyntax or CatchClauseSyntax or FinallyClauseSyntax or ElseClauseSyntax))
        {
            switch (node)
            {
                case YieldStatementSyntax yield when yield.IsKind(SyntaxKind.YieldReturnStatement):
                    return false;
                case TryStatementSyntax { Catches.Count: > 0 } @try:
                    hasTry = true;
                    if (!SyntaxShapes.IsInLoopBelow(@try, statement))
                    {
                        (ownTries ??= new List<TryStatementSyntax>()).Add(@try);
                    }

                    break;
            }
        }

        if (hasTry)
        {
            return true;
        }

        if (loop is IWhileLoopOperation && condition?.Syntax is ExpressionSyntax test && IsCallAnswer(test))
        {
            return true;
        }

        if (statement is BlockSyntax block)
        {
            foreach (var child in block.Statements)
            {
                if (child is IfStatementSyntax check && (IsCallAnswer(check.Condition) || NamesSuccessStatus(check.Condition)))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool NamesSuccessStatus(ExpressionSyntax condition)
    {
        foreach (var node in condition.DescendantNodesAndSelf())
        {
            if (node is IdentifierNameSyntax { Identifier.ValueText: "IsSuccessStatusCode" })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A call's answer, possibly negated or awaited: <c>!await client.PingAsync().ConfigureAwait(false)</c>.</summary>
    private static bool IsCallAnswer(ExpressionSyntax expression)
    {
        while (true)
        {
            switch (expression)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    expression = parenthesized.Expression;
                    break;
                case PrefixUnaryExpressionSyntax unary:
                    expression = unary.Operand;
                    break;
                case AwaitExpressionSyntax awaited:
                    expression = awaited.Expression;
                    break;
                case CastExpressionSyntax cast:
                    expression = cast.Expression;
                    break;
                default:
                    return expression is InvocationExpressionSyntax;
            }
        }
    }

    /// <summary>The loop caps a value with <c>Math.Min</c>/<c>Math.Clamp</c> (the growing delay, in practice).</summary>
    private static bool IsCapped(ILoopOperation loop)
        => OperationTree.Any(loop, o => o is IInvocationOperation { TargetMethod: { Name: "Min" or "Clamp", ContainingType.Name: "Math" } });

    /// <summary>The method, lambda or local function holding the loop gives no result to its caller.</summary>
    private static bool ReturnsNothing(ILoopOperation loop)
    {
        IMethodSymbol? method = null;
        for (var current = loop.Parent; current is not null && method is null; current = current.Parent)
        {
            method = current switch
            {
                IAnonymousFunctionOperation lambda => lambda.Symbol,
                ILocalFunctionOperation local => local.Symbol,
                _ => null,
            };
        }

        method ??= loop.SemanticModel?.GetEnclosingSymbol(loop.Syntax.SpanStart) as IMethodSymbol;
        if (method is null)
        {
            return false;
        }

        var returnType = method.ReturnType;
        return method.ReturnsVoid
               || (returnType is INamedTypeSymbol { IsGenericType: false, Name: "Task" or "ValueTask" } named
                   && named.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks");
    }

    private static bool TryFindRetry(
        ILoopOperation loop,
        IOperation? condition,
        List<TryStatementSyntax>? ownTries,
        RetryRecognitionContext context,
        out ITryOperation? @try,
        out ImmutableArray<int> failureCatches,
        CancellationToken cancellationToken)
    {
        @try = null;
        failureCatches = ImmutableArray<int>.Empty;
        if (ownTries is null)
        {
            return false;
        }

        // The loop's own tries (a nested loop's belong to it), found from the syntax MayBeRetry read: a path down the
        // loop's operations to each, not a walk of them all.
        foreach (var trySyntax in ownTries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (OperationTree.FindBySyntax<ITryOperation>(loop.Body, trySyntax) is not { Catches.Length: > 0 } candidate
                || OperationTree.Ancestor<ILoopOperation>(candidate) != loop)
            {
                continue;
            }

            // The shape first (success leaves, a failure goes round), then what the attempt calls: deciding whether
            // a call leaves the process can mean reading the bodies of the methods it calls, and most loops with a
            // try are not shaped like a retry at all.
            var succeeds = ControlFlowFacts.SuccessLeavesLoop(candidate, loop, condition, context)
                || ControlFlowFacts.ConditionalExitAfter(candidate, loop)
                || ControlFlowFacts.UnconditionalExitAfter(candidate, loop);
            if (!succeeds)
            {
                continue;
            }

            var catches = ControlFlowFacts.FailureCatches(candidate, loop, loop.SemanticModel!);
            if (catches.Length > 0
                && ControlFlowFacts.CallsOut(candidate, context)
                && !AcceptsAConnection(candidate.Body)
                && !IsSilenced(candidate, catches)
                && SameRequest.Holds(candidate.Body, loop, context))
            {
                @try = candidate;
                failureCatches = catches;
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// An accept loop: the attempt waits for a client to connect, and what it does with the accepted connection (wrap
    /// it, start it, read its first bytes) is inbound work. Failing that connection moves on to the next client.
    /// </summary>
    private static bool AcceptsAConnection(IOperation body)
        => OperationTree.Any(body, o => o is IInvocationOperation invocation && OutboundOperations.IsInbound(invocation.TargetMethod));

    /// <summary>
    /// Not ours to judge: every failure clause catches a write conflict (another writer got there first: the loop
    /// re-reads and re-decides, DESIGN.md), or the compilation cannot judge: a failure clause catches a type that
    /// does not bind, the protected block does not bind, or the decision to go round belongs to an interface or a
    /// delegate. Certain or silent.
    /// </summary>
    private static bool IsSilenced(ITryOperation @try, ImmutableArray<int> failureCatches)
    {
        var allConflicts = true;
        var allLocalFiles = true;
        foreach (var index in failureCatches)
        {
            allConflicts &= ConflictExceptions.IsConflictCatch(@try.Catches[index]);
            allLocalFiles &= IsLocalFileFailure(@try.Catches[index].ExceptionType);
        }

        if (allConflicts || allLocalFiles)
        {
            return true;
        }

        foreach (var index in failureCatches)
        {
            var @catch = @try.Catches[index];
            if (@catch.ExceptionType is IErrorTypeSymbol || ControlFlowFacts.DecisionIsOpaque(@catch))
            {
                return true;
            }
        }

        return OperationTree.Any(@try.Body, o => o is IInvalidOperation);
    }

    /// <summary>
    /// A failure of a file on this machine: <c>FileNotFoundException</c>, <c>DirectoryNotFoundException</c>, or a type named
    /// for a file or directory (<c>FileBeingDeletedException</c>). Going round on it waits for a local file (a chunk being
    /// swapped, a file another process holds), not on a failing dependency (RULES.md, "Outbound operation").
    /// </summary>
    private static bool IsLocalFileFailure(ITypeSymbol? exception)
        => exception is INamedTypeSymbol { Name: var name }
           && (name.StartsWith("File", StringComparison.Ordinal) || name.StartsWith("Directory", StringComparison.Ordinal)
               || name is "DriveNotFoundException" or "PathTooLongException")
           && name.EndsWith("Exception", StringComparison.Ordinal);

    /// <summary>The loop keyword: the narrowest span that names the construct.</summary>
    public static Location KeywordLocation(SyntaxNode loop)
        => loop switch
        {
            WhileStatementSyntax whileStatement => whileStatement.WhileKeyword.GetLocation(),
            DoStatementSyntax doStatement => doStatement.DoKeyword.GetLocation(),
            ForStatementSyntax forStatement => forStatement.ForKeyword.GetLocation(),
            _ => loop.GetLocation(),
        };
}
