using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Retry;

namespace ResilienceAnalyzers.Libraries.Polly;

/// <summary>
/// Polly v7 retry policies: the <c>Retry*</c> and <c>WaitAndRetry*</c> extension methods of the retry syntax
/// classes (Polly 7.2 API, still shipped in package Polly 8.x), with their count and sleep durations.
/// </summary>
public static class PollyV7PolicyRecognizer
{
    /// <summary>Cheap test before any symbol comparison.</summary>
    public static bool IsCandidateName(string name)
        => name is "Retry" or "RetryAsync" or "RetryForever" or "RetryForeverAsync"
            or "WaitAndRetry" or "WaitAndRetryAsync" or "WaitAndRetryForever" or "WaitAndRetryForeverAsync";

    public static PollyV7Policy? Recognize(IInvocationOperation invocation, KnownTypes types)
    {
        var method = invocation.TargetMethod;
        if (!IsCandidateName(method.Name)
            || !types.Polly.IsV7RetrySyntax(method.ContainingType)
            || invocation.Syntax is not InvocationExpressionSyntax syntax
            || NameToken(syntax.Expression) is not { } name)
        {
            return null;
        }

        var isForever = method.Name.Contains("Forever");
        var waits = method.Name.StartsWith("WaitAndRetry", System.StringComparison.Ordinal);

        // Retry() retries once (Polly 7.2 RetrySyntax.Retry(PolicyBuilder): retryCount 1).
        int? count = isForever ? null : 1;
        var countArgument = -1;
        var delayArgument = -1;
        var delay = waits ? DelayModel.Unknown : DelayModel.Immediate;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.IsImplicit || argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }

            switch (argument.Parameter?.Name)
            {
                case "retryCount":
                    count = argument.Value.ConstantValue is { HasValue: true, Value: int retries } ? retries : null;
                    countArgument = IndexOf(syntax.ArgumentList, argument.Syntax);
                    break;
                case "sleepDurationProvider":
                    delay = DelayLambdaRecognizer.Recognize(argument.Value, types, DelayLambdaRecognizer.FirstIntParameter);
                    delayArgument = IndexOf(syntax.ArgumentList, argument.Syntax);
                    break;
                case "sleepDurations":
                    var scope = new RetryScope(types, OperationTree.Root(invocation), default(TextSpan), System.Array.Empty<ISymbol>());
                    var value = SequenceClassifier.ClassifyDelays(argument.Value, scope, out count);
                    delay = value.ToModel(argument.Syntax.GetLocation());
                    if (delay.Kind == DelayKind.Growing && OperationTree.Unwrap(argument.Value) is IInvocationOperation backoff
                        && SymbolEqualityComparer.Default.Equals(backoff.TargetMethod.ContainingType, types.Polly.ContribBackoff))
                    {
                        delay = delay.WithGrowth(ContribGrowth(backoff, count));
                    }

                    delayArgument = IndexOf(syntax.ArgumentList, argument.Syntax);
                    break;
            }
        }

        // RES004: a sleep-duration provider is called with the retry number, from 1.
        if (delay.Kind == DelayKind.Growing && delayArgument >= 0 && Provider(invocation) is { } provider)
        {
            delay = delay.WithGrowth(DelayLambdaRecognizer.Growth(provider, types, DelayLambdaRecognizer.FirstIntParameter, first: 1, retries: count));
        }

        return new PollyV7Policy(method.Name, name.GetLocation(), isForever, count, delay, countArgument, delayArgument, EveryExceptionHandle(invocation));
    }

    /// <summary>
    /// RES005: the builder chain the policy is made from (<c>Policy.Handle&lt;HttpRequestException&gt;().Or&lt;Exception&gt;()</c>):
    /// the name of a <c>Handle&lt;Exception&gt;()</c> or <c>Or&lt;Exception&gt;()</c> without a predicate, which lets every
    /// failure through to the retry. A chain that does not start in sight (a builder from a helper) says nothing.
    /// </summary>
    private static Location? EveryExceptionHandle(IInvocationOperation invocation)
    {
        var builder = invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0
            ? OperationTree.Unwrap(invocation.Arguments[0].Value)
            : OperationTree.Unwrap(invocation.Instance);
        for (var depth = 0; depth < 16 && builder is IInvocationOperation step; depth++)
        {
            if (step.TargetMethod is { Name: "Handle" or "Or", TypeArguments.Length: 1 } handle
                && handle.TypeArguments[0] is { Name: "Exception", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } }
                && !HasPredicate(step)
                && step.Syntax is InvocationExpressionSyntax { Expression: var expression }
                && expression switch { MemberAccessExpressionSyntax access => access.Name, SimpleNameSyntax simple => simple, _ => null } is { } name)
            {
                return name.GetLocation();
            }

            builder = step.TargetMethod.IsExtensionMethod && step.Arguments.Length > 0
                ? OperationTree.Unwrap(step.Arguments[0].Value)
                : OperationTree.Unwrap(step.Instance);
        }

        return null;
    }

    private static bool HasPredicate(IInvocationOperation handle)
    {
        foreach (var argument in handle.Arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.DefaultValue && argument.Parameter is { Ordinal: var ordinal } && (ordinal > 0 || !handle.TargetMethod.IsExtensionMethod))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// RES004 for Polly.Contrib.WaitAndRetry 1.1.1 <c>Backoff</c> helpers, none of which caps but
    /// <c>AwsDecorrelatedJitterBackoff(minDelay, maxDelay, …)</c>: <c>ExponentialBackoff</c> waits initialDelay × factorⁿ
    /// (factor 2), <c>LinearBackoff</c> initialDelay × (1 + factor × n) (factor 1), <c>DecorrelatedJitterBackoffV2</c> has a
    /// median of medianFirstRetryDelay × 2ⁿ.
    /// </summary>
    private static DelayGrowth? ContribGrowth(IInvocationOperation backoff, int? count)
    {
        double? first = null;
        double? factor = null;
        foreach (var argument in backoff.Arguments)
        {
            switch (argument.Parameter?.Name)
            {
                case "initialDelay" or "medianFirstRetryDelay":
                    first = TimeValue.TryGetMilliseconds(argument.Value);
                    break;
                case "factor" when argument.ArgumentKind != ArgumentKind.DefaultValue:
                    factor = argument.Value.ConstantValue is { HasValue: true, Value: double value } ? value : double.NaN;
                    break;
            }
        }

        if (first is not { } initial || factor is double.NaN)
        {
            return null;
        }

        System.Func<int, double>? delayAt = backoff.TargetMethod.Name switch
        {
            "ExponentialBackoff" => n => initial * System.Math.Pow(factor ?? 2, n),
            "LinearBackoff" => n => initial * (1 + ((factor ?? 1) * n)),
            "DecorrelatedJitterBackoffV2" => n => initial * System.Math.Pow(2, n),
            _ => null,
        };
        return delayAt is null ? null : DelayGrowthRecognizer.ForSettings(delayAt, count, maxDelayMilliseconds: null);
    }

    private static IOperation? Provider(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == "sleepDurationProvider")
            {
                return argument.Value;
            }
        }

        return null;
    }

    /// <summary>The name a call is made by (<c>Name</c> of <c>x.Name(…)</c>, <c>x?.Name(…)</c>, <c>Name(…)</c>).</summary>
    internal static SyntaxToken? NameToken(ExpressionSyntax expression)
        => expression switch
        {
            MemberAccessExpressionSyntax memberAccess => memberAccess.Name.Identifier,
            MemberBindingExpressionSyntax memberBinding => memberBinding.Name.Identifier,
            SimpleNameSyntax simpleName => simpleName.Identifier,
            _ => null,
        };

    private static int IndexOf(ArgumentListSyntax arguments, SyntaxNode argument)
    {
        for (var i = 0; i < arguments.Arguments.Count; i++)
        {
            if (arguments.Arguments[i] == argument)
            {
                return i;
            }
        }

        return -1;
    }
}
