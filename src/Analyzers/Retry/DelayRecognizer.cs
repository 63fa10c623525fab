using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>
/// Finds the waits on a retry's failure path (<c>Task.Delay</c>, <c>Thread.Sleep</c>, <c>TimeProvider.Delay</c>,
/// the SpinWait family) and classifies them into one <see cref="DelayModel"/>.
/// </summary>
public static class DelayRecognizer
{
    /// <param name="protectedBlock">The try block that calls out: awaited helpers there are the operation, not a wait.</param>
    /// <param name="repeatedCall">A recursive retry's call to itself: the retry, not a wait.</param>
    public static DelayModel Recognize(IEnumerable<IOperation> region, RetryScope scope, out SyntaxNode? singleDelayCall, IOperation? protectedBlock = null, IOperation? repeatedCall = null)
    {
        singleDelayCall = null;
        var found = 0;
        var mayWait = false;
        var value = DelayValue.Constant;
        Location? location = null;
        foreach (var root in region)
        {
            foreach (var operation in OperationTree.Descendants(root))
            {
                if (operation is IInvalidOperation)
                {
                    // Unresolved or half-typed code may be a wait we cannot see: never claim there is none.
                    return DelayModel.Unknown;
                }

                if (operation is IAwaitOperation awaited
                    && AppHelpers.IsHelperCall(awaited.Operation)
                    && (protectedBlock is null || !protectedBlock.Syntax.Span.Contains(awaited.Syntax.Span))
                    && (repeatedCall is null || !awaited.Syntax.Span.Contains(repeatedCall.Syntax.Span)))
                {
                    // Awaiting the application's own code on the failure path: it may be the wait, so with no
                    // visible wait there is no saying the retry is immediate.
                    mayWait = true;
                }

                if (operation is not IInvocationOperation invocation)
                {
                    continue;
                }

                switch (Classify(invocation, scope.Types))
                {
                    case WaitKind.Delay:
                        found++;
                        singleDelayCall = invocation.Syntax;
                        location ??= invocation.Syntax.GetLocation();
                        value = value.Combine(DelayArgument(invocation) is { } argument
                            ? DelayValueClassifier.Classify(argument, scope)
                            : DelayValue.Unknown);
                        break;
                    case WaitKind.Opaque:
                        return DelayModel.Unknown;
                }
            }
        }

        if (found != 1)
        {
            singleDelayCall = null;
        }

        if (found == 0)
        {
            return mayWait ? DelayModel.Unknown : DelayModel.Immediate;
        }

        return value.ToModel(location);
    }

    private enum WaitKind
    {
        NotAWait,
        Delay,
        Opaque,
    }

    private static WaitKind Classify(IInvocationOperation invocation, KnownTypes types)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        if (method.Name == "Delay" && SymbolEqualityComparer.Default.Equals(type, types.Task))
        {
            return WaitKind.Delay;
        }

        if (method.Name is "Sleep" or "SpinWait" && SymbolEqualityComparer.Default.Equals(type, types.Thread))
        {
            return WaitKind.Delay;
        }

        // TimeProvider.Delay(...) extensions and SpinWait.SpinUntil(..., timeout) wait for a time we can read.
        if (method.Name == "Delay" && invocation.Arguments.Length > 0
            && SymbolEqualityComparer.Default.Equals(invocation.Arguments[0].Value.Type, types.TimeProvider))
        {
            return WaitKind.Delay;
        }

        if (SymbolEqualityComparer.Default.Equals(type, types.SpinWait))
        {
            return WaitKind.Opaque;
        }

        // A wait handle or semaphore waited on with a timeout sleeps for that long unless signalled (a shutdown-aware
        // sleep: stopEvent.WaitOne(TimeSpan.FromSeconds(5))); a periodic timer's tick waits for a period set elsewhere.
        if (method.Name is "WaitOne" or "Wait" or "WaitAsync" && IsWaitHandle(type) && DelayArgument(invocation) is not null)
        {
            return WaitKind.Delay;
        }

        if (method.Name == "WaitForNextTickAsync")
        {
            return WaitKind.Opaque;
        }

        // A delegate or an interface member handed a duration (await Delay(backoff, token), await clock.Wait(next)):
        // it may be the wait, and how long it waits cannot be seen.
        if ((method.MethodKind == MethodKind.DelegateInvoke || method.IsAbstract) && HasDurationArgument(invocation, types))
        {
            return WaitKind.Opaque;
        }

        // A helper that waits (BackoffAsync, WaitBeforeRetry, PauseAsync): its delay cannot be seen.
        // A call whose value is passed on (Task.Delay(Backoff(attempt))) computes a delay; it does not wait.
        return LooksLikeWait(method.Name) && !AppHelpers.IsFramework(type) && !IsArgument(invocation) ? WaitKind.Opaque : WaitKind.NotAWait;
    }

    private static bool HasDurationArgument(IInvocationOperation invocation, KnownTypes types)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (SymbolEqualityComparer.Default.Equals(TypeFacts.UnwrapNullable(argument.Value.Type), types.TimeSpan))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsWaitHandle(INamedTypeSymbol? type)
    {
        if (!AppHelpers.IsFramework(type) || type!.Name is "ManualResetEventSlim" or "SemaphoreSlim")
        {
            return type is not null && AppHelpers.IsFramework(type);
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name == "WaitHandle")
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsArgument(IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation or IAwaitOperation or IInvocationOperation { TargetMethod.Name: "ConfigureAwait" })
        {
            parent = parent.Parent;
        }

        return parent is IArgumentOperation;
    }

    private static bool LooksLikeWait(string name)
        => name.IndexOf("Delay", System.StringComparison.Ordinal) >= 0
           || name.IndexOf("Sleep", System.StringComparison.Ordinal) >= 0
           || name.IndexOf("Wait", System.StringComparison.Ordinal) >= 0
           || name.IndexOf("Backoff", System.StringComparison.Ordinal) >= 0
           || name.IndexOf("Pause", System.StringComparison.Ordinal) >= 0
           || name.IndexOf("Throttle", System.StringComparison.Ordinal) >= 0;

    /// <summary>The argument that says how long to wait (<c>Task.Delay(delay, token)</c> ⇒ <c>delay</c>).</summary>
    internal static IOperation? DelayArgument(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            var type = argument.Parameter?.Type;
            if (type is null || argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }

            if (type.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 || type.Name == "TimeSpan")
            {
                return argument.Value;
            }
        }

        return null;
    }
}
