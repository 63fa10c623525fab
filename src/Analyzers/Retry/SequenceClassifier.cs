using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

public enum SequenceShape
{
    Unknown,
    Equal,
    Increasing,
}

/// <summary>Judges a written-out table of delays (<c>new[] { 100, 200, 400 }</c>, <c>TimeSpan.FromSeconds(1), ...</c>).</summary>
public static class SequenceClassifier
{
    public static SequenceShape Classify(ImmutableArray<IOperation> elements)
    {
        if (elements.IsDefaultOrEmpty)
        {
            return SequenceShape.Unknown;
        }

        double? first = null;
        double previous = 0;
        var allEqual = true;
        var nonDecreasing = true;
        foreach (var element in elements)
        {
            if (TimeValue.TryGetMilliseconds(element) is not { } value)
            {
                return SequenceShape.Unknown;
            }

            if (first is null)
            {
                first = value;
            }
            else
            {
                allEqual &= value == previous;
                nonDecreasing &= value >= previous;
            }

            previous = value;
        }

        if (allEqual)
        {
            return SequenceShape.Equal;
        }

        return nonDecreasing ? SequenceShape.Increasing : SequenceShape.Unknown;
    }

    /// <summary>
    /// Judges a value that yields one delay per attempt (an <c>IEnumerable&lt;TimeSpan&gt;</c>): a table written
    /// out in place (array, collection expression, collection initializer), a local initialized once with one,
    /// or a Polly.Contrib.WaitAndRetry <c>Backoff</c> helper. <paramref name="count"/> is how many delays it
    /// yields, when that is visible.
    /// </summary>
    public static DelayValue ClassifyDelays(IOperation? value, RetryScope scope, out int? count)
    {
        count = null;
        value = OperationTree.Unwrap(value);
        if (value is ILocalReferenceOperation local)
        {
            // Followed only when written once, where it is declared, and read nowhere else: a table can also
            // change through its contents (delays.Add(...), delays[i] = ...), which are no writes to the local.
            value = scope.WritesOf(local.Local) is { Count: 1 } writes && writes[0] is IVariableDeclaratorOperation declarator && IsOnlyUse(local, scope.Root)
                ? OperationTree.Unwrap(declarator.Initializer?.Value ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value)
                : null;
        }

        if (value is IInvocationOperation invocation
            && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, scope.Types.Polly.ContribBackoff))
        {
            return ClassifyContribBackoff(invocation, out count);
        }

        var elements = Elements(value);
        if (elements.IsDefaultOrEmpty)
        {
            return DelayValue.Unknown;
        }

        count = elements.Length;
        return Classify(elements) switch
        {
            SequenceShape.Equal => DelayValue.Constant,
            SequenceShape.Increasing => DelayValue.Growing,
            _ => DelayValue.Unknown,
        };
    }

    private static bool IsOnlyUse(ILocalReferenceOperation use, IOperation root)
    {
        foreach (var operation in root.Descendants())
        {
            if (operation is ILocalReferenceOperation other && other != use && SymbolEqualityComparer.Default.Equals(other.Local, use.Local))
            {
                return false;
            }
        }

        return true;
    }

    private static ImmutableArray<IOperation> Elements(IOperation? value)
    {
        switch (value)
        {
            case IArrayCreationOperation { Initializer: { } initializer }:
                return initializer.ElementValues;
            case IObjectCreationOperation { Initializer: { } initializer }:
                // new List<TimeSpan> { a, b }: one Add call per element.
                var builder = ImmutableArray.CreateBuilder<IOperation>(initializer.Initializers.Length);
                foreach (var element in initializer.Initializers)
                {
                    if (element is not IInvocationOperation { Arguments.Length: 1 } add)
                    {
                        return default;
                    }

                    builder.Add(add.Arguments[0].Value);
                }

                return builder.MoveToImmutable();
            case { } when value.Syntax.IsKind(SyntaxKind.CollectionExpression):
                // [a, b]: Roslyn 4.8 has no operation kind for collection expressions; the elements are its children.
                var elements = new List<IOperation>();
                foreach (var child in value.ChildOperations)
                {
                    elements.Add(child);
                }

                return elements.ToImmutableArray();
            default:
                return default;
        }
    }

    /// <summary>
    /// Polly.Contrib.WaitAndRetry 1.1.1 <c>Backoff</c>: <c>ConstantBackoff</c> waits the same each time;
    /// <c>LinearBackoff</c> (factor 1 by default) and <c>ExponentialBackoff</c> (factor 2) grow without
    /// randomness; <c>DecorrelatedJitterBackoffV2</c> and <c>AwsDecorrelatedJitterBackoff</c> are jittered.
    /// Every helper takes the number of delays as <c>retryCount</c>.
    /// </summary>
    private static DelayValue ClassifyContribBackoff(IInvocationOperation invocation, out int? count)
    {
        count = null;
        double? factor = null;
        foreach (var argument in invocation.Arguments)
        {
            var constant = argument.Value.ConstantValue;
            switch (argument.Parameter?.Name)
            {
                case "retryCount" when constant is { HasValue: true, Value: int retries }:
                    count = retries;
                    break;
                case "factor" when constant is { HasValue: true, Value: double value }:
                    factor = value;
                    break;
            }
        }

        switch (invocation.TargetMethod.Name)
        {
            case "ConstantBackoff":
                return DelayValue.Constant;
            case "LinearBackoff":
                return factor switch
                {
                    null => DelayValue.Growing,
                    0 => DelayValue.Constant,
                    > 0 => DelayValue.Growing,
                    _ => DelayValue.Unknown,
                };
            case "ExponentialBackoff":
                return factor switch
                {
                    null => DelayValue.Growing,
                    1 => DelayValue.Constant,
                    > 1 => DelayValue.Growing,
                    _ => DelayValue.Unknown,
                };
            case "DecorrelatedJitterBackoffV2":
            case "AwsDecorrelatedJitterBackoff":
                return new DelayValue(grows: true, unknown: false, JitterKind.Real);
            default:
                return DelayValue.Unknown;
        }
    }
}

/// <summary>Reads a constant duration (a number or a <c>TimeSpan.FromX(constant)</c>) as milliseconds.</summary>
public static class TimeValue
{
    public static double? TryGetMilliseconds(IOperation? operation)
    {
        operation = OperationTree.Unwrap(operation);
        if (operation is null)
        {
            return null;
        }

        if (operation.ConstantValue is { HasValue: true, Value: { } constant } && IsNumber(constant))
        {
            return System.Convert.ToDouble(constant, System.Globalization.CultureInfo.InvariantCulture);
        }

        if (operation is IFieldReferenceOperation { Field: { Name: "Zero", ContainingType.Name: "TimeSpan" } })
        {
            return 0;
        }

        if (operation is IInvocationOperation { TargetMethod.ContainingType.Name: "TimeSpan", Arguments.Length: 1 } invocation
            && invocation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: { } amount } && IsNumber(amount))
        {
            var value = System.Convert.ToDouble(amount, System.Globalization.CultureInfo.InvariantCulture);
            return invocation.TargetMethod.Name switch
            {
                "FromMilliseconds" => value,
                "FromSeconds" => value * 1000,
                "FromMinutes" => value * 60_000,
                "FromHours" => value * 3_600_000,
                "FromTicks" => value / 10_000,
                _ => null,
            };
        }

        return null;
    }

    private static bool IsNumber(object value) => value is int or long or double or float or short or byte or uint or ulong or decimal;
}
