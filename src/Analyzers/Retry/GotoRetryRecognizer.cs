using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>A <c>goto</c> from a catch back to a label before its try: the code between runs again.</summary>
public static class GotoRetryRecognizer
{
    public static RetryConstruct? Recognize(IBranchOperation branch, RetryRecognitionContext context)
    {
        if (branch.BranchKind != BranchKind.GoTo
            || branch.Syntax is not GotoStatementSyntax gotoStatement
            || OperationTree.Ancestor<ICatchClauseOperation>(branch) is not { } @catch
            || @catch.Parent is not ITryOperation @try
            || branch.Target.Locations.Length == 0)
        {
            return null;
        }

        var labelStart = branch.Target.Locations[0].SourceSpan.Start;
        if (labelStart >= @try.Syntax.SpanStart
            || branch.Target.Locations[0].SourceTree != branch.Syntax.SyntaxTree
            || !ControlFlowFacts.CallsOut(@try, context))
        {
            return null;
        }

        // The code that repeats: from the label to the end of the try.
        var root = OperationTree.Root(branch);
        var repeated = Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(labelStart, @try.Syntax.Span.End);
        var region = new List<IOperation>();
        foreach (var operation in OperationTree.Descendants(root))
        {
            if (operation.Parent is IBlockOperation && repeated.Contains(operation.Syntax.Span))
            {
                region.Add(operation);
            }
        }

        var counters = AttemptBoundRecognizer.FindCounters(region);
        var guards = new List<IOperation>();
        if (@catch.Filter is { } filter)
        {
            guards.Add(filter);
        }

        guards.AddRange(ControlFlowFacts.ExitGuards(@catch.Handler, loop: null));
        var scope = new RetryScope(context.Types, root, repeated, counters);
        var bound = AttemptBoundRecognizer.Recognize(guards, region, counters, scope);
        var delay = DelayRecognizer.Recognize(region, scope, out var delayCall, @try.Body);

        var index = @try.Catches.IndexOf(@catch);
        return new RetryConstruct(
            RetryConstructKind.Goto,
            gotoStatement.GotoKeyword.GetLocation(),
            bound,
            delay,
            @try.Syntax,
            ImmutableArray.Create(index),
            delayCall,
            everyExceptionCatch: EveryExceptionCatch.Find(@try, ImmutableArray.Create(index)));
    }
}
