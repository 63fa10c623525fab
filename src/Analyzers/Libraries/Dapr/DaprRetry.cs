using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Retry;

namespace ResilienceAnalyzers.Libraries.Dapr;

/// <summary>Dapr Workflow <c>new WorkflowRetryPolicy(maxNumberOfAttempts, firstRetryInterval, backoffCoefficient, maxRetryInterval, retryTimeout)</c>.</summary>
/// <remarks>
/// Read in dapr/dotnet-sdk src/Dapr.Workflow.Abstractions/WorkflowRetryPolicy.cs and src/Dapr.Workflow/Client/RetryInterceptor.cs
/// (v1.17.5 to v1.18.5): <c>maxNumberOfAttempts</c> counts every attempt; the wait before retry n is
/// <c>firstRetryInterval × backoffCoefficientⁿ</c>, capped by <c>maxRetryInterval</c> only when one is given (the "1 hour"
/// of the documentation is used for validation only). <c>backoffCoefficient</c> defaults to 1: a constant wait (RES002).
/// Orchestrations must be deterministic, so the API has no jitter (never RES003). A finite <c>retryTimeout</c> ends the
/// retries at a deadline. Every activity failure is retried and the API offers no filter: not RES005 (nothing to choose).
/// </remarks>
internal static class DaprRetry
{
    public static LibraryRetrySettings? Recognize(IObjectCreationOperation creation, LibraryRetryTypes types)
    {
        if (!SymbolEqualityComparer.Default.Equals(creation.Type, types.DaprWorkflowRetryPolicy) || creation.Syntax is not BaseObjectCreationExpressionSyntax syntax)
        {
            return null;
        }

        long? attempts = null;
        double? first = null;
        double coefficient = 1;
        var coefficientKnown = true;
        var capped = false;
        var deadline = false;
        var hints = ImmutableDictionary<string, string?>.Empty;
        Location? attemptsLocation = null;
        foreach (var argument in creation.Arguments)
        {
            var given = argument.ArgumentKind != ArgumentKind.DefaultValue;
            switch (argument.Parameter?.Name)
            {
                case "maxNumberOfAttempts":
                    attempts = argument.Value.ConstantValue is { HasValue: true, Value: int count } ? count : null;
                    attemptsLocation = argument.Value.Syntax.GetLocation();
                    hints = hints.SetItem(RetryFixHintKeys.CountPosition, ResilienceAnalyzers.Common.FixHintSpan.Format(argument.Value.Syntax))
                        .SetItem(RetryFixHintKeys.CountsFirstAttempt, "true");
                    break;
                case "firstRetryInterval":
                    first = TimeValue.TryGetMilliseconds(argument.Value);
                    break;
                case "backoffCoefficient" when given:
                    coefficientKnown = argument.Value.ConstantValue is { HasValue: true, Value: double value };
                    coefficient = coefficientKnown ? (double)argument.Value.ConstantValue.Value! : 1;
                    break;
                case "maxRetryInterval" when given:
                    capped = argument.Value.ConstantValue is not { HasValue: true, Value: null };
                    break;
                case "retryTimeout" when given:
                    deadline = argument.Value.ConstantValue is not { HasValue: true, Value: null };
                    break;
            }
        }

        var retries = attempts is { } total ? total - 1 : (long?)null;
        var unbounded = attempts == int.MaxValue && !deadline;
        DelayModel delay;
        if (!coefficientKnown || first is not { } firstDelay)
        {
            delay = DelayModel.Unknown;
        }
        else if (coefficient <= 1)
        {
            delay = new DelayModel(DelayKind.Constant, JitterKind.None, location: null);
        }
        else
        {
            var growth = DelayGrowthRecognizer.ForSettings(
                n => firstDelay * System.Math.Pow(coefficient, n),
                unbounded || retries is not { } count ? null : (int)System.Math.Min(count, int.MaxValue),
                maxDelayMilliseconds: null);
            delay = new DelayModel(DelayKind.Growing, JitterKind.None, location: null).WithGrowth(
                capped || deadline ? new DelayGrowth(isCapped: true, largestBeforeLimitMilliseconds: null, growingExpression: null) : growth);
        }

        var location = ResilienceAnalyzers.Common.CreationLocation.Of(syntax, withArguments: false);
        return new LibraryRetrySettings("'WorkflowRetryPolicy'")
        {
            Retries = retries,
            Unbounded = unbounded,
            // A finite retryTimeout ends the retries at a deadline: a bound, as for a loop.
            RetriesLocation = deadline ? null : attemptsLocation,
            Delay = delay,
            DelayLocation = location,
            OffersJitter = false,
            FixHints = hints,
        };
    }
}
