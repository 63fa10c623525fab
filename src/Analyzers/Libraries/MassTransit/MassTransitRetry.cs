using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Retry;

namespace ResilienceAnalyzers.Libraries.MassTransit;

/// <summary>
/// MassTransit retry policies on an <c>IRetryConfigurator</c> (<c>UseMessageRetry</c>, <c>UseRetry</c>, redelivery):
/// <c>Immediate</c>, <c>Interval</c>, <c>Intervals</c>, <c>Incremental</c>, <c>Exponential</c>.
/// </summary>
/// <remarks>
/// Read in MassTransit/MassTransit src/MassTransit/Configuration/RetryConfigurationExtensions.cs and RetryPolicies/ (8.4-8.5):
/// <list type="bullet">
/// <item>A limit n gives n retries; <c>Immediate(0)</c> and <c>Incremental(0, …)</c> still retry once.</item>
/// <item><c>Immediate</c> waits nothing; <c>Interval(n, t)</c> waits t each time; <c>Intervals(…)</c> waits the table;
/// <c>Incremental(n, i, s)</c> waits i, i + s, i + 2s … with no cap and no jitter.</item>
/// <item><c>Exponential(n, min, max, δ)</c> grows, is randomised (δ drawn per policy; ×0.75-1.25 per retry since 8.4.1) and
/// capped near <c>max</c>: nothing to report but its count. It is the API's jittered backoff, so a growing table or
/// <c>Incremental</c> gets RES003 and the fix for <c>Immediate</c> and <c>Interval</c> writes it.</item>
/// <item>With no <c>Handle&lt;T&gt;</c> on the configurator, every exception is retried (<c>ExceptionSpecification</c>: an empty
/// include list matches anything; <c>Ignore&lt;T&gt;</c> only takes some out).</item>
/// </list>
/// </remarks>
internal static class MassTransitRetry
{
    public static bool IsCandidateName(string name) => name is "Immediate" or "Interval" or "Intervals" or "Incremental" or "Exponential";

    public static LibraryRetrySettings? Recognize(IInvocationOperation invocation, LibraryRetryTypes types, KnownTypes known)
    {
        var method = invocation.TargetMethod;
        if (!IsCandidateName(method.Name) || types.MassTransitRetryConfigurator is null || !method.IsExtensionMethod
            || invocation.Arguments.Length == 0
            || !ResilienceAnalyzers.Common.TypeFacts.DerivesFromDefinition(method.Parameters[0].Type, types.MassTransitRetryConfigurator)
            || invocation.Syntax is not InvocationExpressionSyntax { Expression: var callee }
            || callee switch { MemberAccessExpressionSyntax access => access.Name, SimpleNameSyntax simple => simple, _ => null } is not { } name)
        {
            return null;
        }

        var location = name.GetLocation();
        var hints = ImmutableDictionary<string, string?>.Empty;
        long? retries = null;
        var delay = DelayModel.Unknown;
        switch (method.Name)
        {
            case "Immediate":
                retries = Count(invocation, "retryLimit", ref hints, atLeastOne: true);
                delay = DelayModel.Immediate;
                hints = hints.SetItem(RetryFixHintKeys.RetryPolicyCall, ResilienceAnalyzers.Common.FixHintSpan.Format(invocation.Syntax));
                break;
            case "Interval":
                retries = Count(invocation, "retryCount", ref hints, atLeastOne: false);
                delay = new DelayModel(DelayKind.Constant, JitterKind.None, location: null);
                hints = hints.SetItem(RetryFixHintKeys.RetryPolicyCall, ResilienceAnalyzers.Common.FixHintSpan.Format(invocation.Syntax));
                break;
            case "Intervals":
                delay = Table(invocation, known, out var count);
                retries = count;
                break;
            case "Incremental":
                retries = Count(invocation, "retryLimit", ref hints, atLeastOne: true);
                delay = Incremental(invocation, retries);
                break;
            case "Exponential":
                retries = Count(invocation, "retryLimit", ref hints, atLeastOne: false);
                delay = new DelayModel(DelayKind.Growing, JitterKind.Real, location: null)
                    .WithGrowth(new DelayGrowth(isCapped: true, largestBeforeLimitMilliseconds: null, growingExpression: null));
                break;
        }

        return new LibraryRetrySettings("'" + method.Name + "'")
        {
            Retries = retries,
            Unbounded = retries == int.MaxValue,
            RetriesLocation = location,
            Delay = delay,
            DelayLocation = location,
            EveryExceptionLocation = HandlesEverything(invocation) ? location : null,
            FixHints = hints,
        };
    }

    private static long? Count(IInvocationOperation invocation, string parameter, ref ImmutableDictionary<string, string?> hints, bool atLeastOne)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == parameter)
            {
                hints = hints.SetItem(RetryFixHintKeys.CountPosition, ResilienceAnalyzers.Common.FixHintSpan.Format(argument.Value.Syntax));
                return argument.Value.ConstantValue is { HasValue: true, Value: int count } ? (atLeastOne && count == 0 ? 1 : count) : null;
            }
        }

        return null;
    }

    private static DelayModel Table(IInvocationOperation invocation, KnownTypes known, out long? count)
    {
        count = null;
        var elements = ImmutableArray.CreateBuilder<IOperation>();
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.ParamArray && OperationTree.Unwrap(argument.Value) is IArrayCreationOperation { Initializer: { } initializer })
            {
                elements.AddRange(initializer.ElementValues);
            }
            else if (argument.ArgumentKind != ArgumentKind.DefaultValue && argument.Parameter?.Ordinal > 0)
            {
                return DelayModel.Unknown;
            }
        }

        if (elements.Count == 0)
        {
            return DelayModel.Unknown;
        }

        count = elements.Count;
        return SequenceClassifier.Classify(elements.ToImmutable()) switch
        {
            // A written-out table is its own cap.
            SequenceShape.Increasing => new DelayModel(DelayKind.Growing, JitterKind.None, location: null)
                .WithGrowth(new DelayGrowth(isCapped: true, largestBeforeLimitMilliseconds: null, growingExpression: null)),
            SequenceShape.Equal => new DelayModel(DelayKind.Constant, JitterKind.None, location: null),
            _ => DelayModel.Unknown,
        };
    }

    /// <summary><c>Incremental(n, initial, increment)</c>: initial + k × increment before retry k, with no cap.</summary>
    private static DelayModel Incremental(IInvocationOperation invocation, long? retries)
    {
        double? initial = null;
        double? increment = null;
        foreach (var argument in invocation.Arguments)
        {
            switch (argument.Parameter?.Name)
            {
                case "initialInterval":
                    initial = TimeValue.TryGetMilliseconds(argument.Value);
                    break;
                case "intervalIncrement":
                    increment = TimeValue.TryGetMilliseconds(argument.Value);
                    break;
            }
        }

        if (initial is not { } first || increment is not { } step)
        {
            return DelayModel.Unknown;
        }

        if (step == 0)
        {
            return first == 0 ? DelayModel.Immediate : new DelayModel(DelayKind.Constant, JitterKind.None, location: null);
        }

        var growth = DelayGrowthRecognizer.ForSettings(k => first + (k * step), retries is { } count && count < int.MaxValue ? (int)count : null, maxDelayMilliseconds: null);
        return new DelayModel(DelayKind.Growing, JitterKind.None, location: null).WithGrowth(growth);
    }

    /// <summary>
    /// The configure lambda the policy is chosen in (<c>r =&gt; { r.Handle&lt;TimeoutException&gt;(); r.Interval(3, …); }</c>)
    /// names no exception to handle. Silent when the configurator does not come from a lambda in sight.
    /// </summary>
    private static bool HandlesEverything(IInvocationOperation invocation)
    {
        if (OperationTree.Unwrap(invocation.Arguments[0].Value) is not IParameterReferenceOperation { Parameter: var configurator }
            || configurator.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.AnonymousFunction }
            || OperationTree.Ancestor<IAnonymousFunctionOperation>(invocation) is not { } lambda
            || !SymbolEqualityComparer.Default.Equals(lambda.Symbol, configurator.ContainingSymbol))
        {
            return false;
        }

        return !OperationTree.Any(lambda.Body, o => o is IInvocationOperation { TargetMethod.Name: "Handle" } handle
            && (handle.Instance ?? (handle.Arguments.Length > 0 ? handle.Arguments[0].Value : null)) is { } receiver
            && OperationTree.Unwrap(receiver) is IParameterReferenceOperation { Parameter: var owner }
            && SymbolEqualityComparer.Default.Equals(owner, configurator));
    }
}
