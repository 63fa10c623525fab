using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ResilienceAnalyzers.Recognition;

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
}

/// <summary>Reads a constant duration (a number or a <c>TimeSpan.FromX(constant)</c>) as milliseconds.</summary>
public static class TimeValue
{
    public static double? TryGetMilliseconds(IOperation? operation)
    {
        operation = OperationWalker.Unwrap(operation);
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
