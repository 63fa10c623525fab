using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Retry;

/// <summary>
/// Computes a delay expression for given values of what changes between attempts (RES004): numbers as they are,
/// durations as milliseconds. Randomness takes its upper bound (the longest the wait can be). Anything the
/// compilation does not show (a property, a helper, configuration) makes the result unknown: certain or silent.
/// </summary>
internal static class DelayArithmetic
{
    private const int MaxDepth = 24;

    /// <param name="lookup">The current value of a local or parameter that changes between attempts; null when it does not.</param>
    public static double? Evaluate(IOperation? value, Func<IOperation, double?> lookup, RetryScope scope) => Evaluate(value, lookup, scope, depth: 0);

    private static double? Evaluate(IOperation? value, Func<IOperation, double?> lookup, RetryScope scope, int depth)
    {
        if (value is null || depth > MaxDepth)
        {
            return null;
        }

        if (lookup(value) is { } known)
        {
            // NaN: a value that changes between attempts in a way that cannot be followed.
            return double.IsNaN(known) ? null : known;
        }

        if (value.ConstantValue is { HasValue: true, Value: { } constant })
        {
            return constant switch
            {
                bool flag => flag ? 1 : 0,
                int or long or double or float or short or byte or uint or ulong or decimal => Convert.ToDouble(constant, System.Globalization.CultureInfo.InvariantCulture),
                _ => null,
            };
        }

        switch (value)
        {
            case IConversionOperation conversion:
                return Evaluate(conversion.Operand, lookup, scope, depth + 1);
            case IParenthesizedOperation parenthesized:
                return Evaluate(parenthesized.Operand, lookup, scope, depth + 1);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus } negated:
                return -Evaluate(negated.Operand, lookup, scope, depth + 1);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Plus } plus:
                return Evaluate(plus.Operand, lookup, scope, depth + 1);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return Evaluate(not.Operand, lookup, scope, depth + 1) is { } truth ? (truth == 0 ? 1 : 0) : null;
            case IBinaryOperation binary:
                return Binary(binary, lookup, scope, depth);
            case IIncrementOrDecrementOperation step when Evaluate(step.Target, lookup, scope, depth + 1) is { } before:
                // Task.Delay(1000 * ++attempt): the value the expression yields; the write itself is the loop's to apply.
                return step.IsPostfix ? before : step.Kind == OperationKind.Increment ? before + 1 : before - 1;
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                return Evaluate(conditional.Condition, lookup, scope, depth + 1) switch
                {
                    null => null,
                    0 => Evaluate(whenFalse, lookup, scope, depth + 1),
                    _ => Evaluate(conditional.WhenTrue, lookup, scope, depth + 1),
                };
            case IInvocationOperation invocation:
                return Invocation(invocation, lookup, scope, depth);
            case IObjectCreationOperation creation when creation.Type is { Name: "TimeSpan" }:
                return NewTimeSpan(creation, lookup, scope, depth);
            case IPropertyReferenceOperation property:
                return Property(property, lookup, scope, depth);
            case IFieldReferenceOperation field:
                return Field(field, lookup, scope, depth);
            case ILocalReferenceOperation local:
                return SingleInitializer(local.Local, lookup, scope, depth);
            default:
                return null;
        }
    }

    private static double? Binary(IBinaryOperation binary, Func<IOperation, double?> lookup, RetryScope scope, int depth)
    {
        if (Evaluate(binary.LeftOperand, lookup, scope, depth + 1) is not { } left || Evaluate(binary.RightOperand, lookup, scope, depth + 1) is not { } right)
        {
            return null;
        }

        return binary.OperatorKind switch
        {
            BinaryOperatorKind.Add => left + right,
            BinaryOperatorKind.Subtract => left - right,
            BinaryOperatorKind.Multiply => left * right,
            BinaryOperatorKind.Divide => right == 0 ? null : IsIntegral(binary.Type) ? Math.Truncate(left / right) : left / right,
            BinaryOperatorKind.LeftShift => left * Math.Pow(2, right),
            BinaryOperatorKind.RightShift => Math.Floor(left / Math.Pow(2, right)),
            BinaryOperatorKind.LessThan => left < right ? 1 : 0,
            BinaryOperatorKind.LessThanOrEqual => left <= right ? 1 : 0,
            BinaryOperatorKind.GreaterThan => left > right ? 1 : 0,
            BinaryOperatorKind.GreaterThanOrEqual => left >= right ? 1 : 0,
            BinaryOperatorKind.Equals => left == right ? 1 : 0,
            BinaryOperatorKind.NotEquals => left != right ? 1 : 0,
            BinaryOperatorKind.ConditionalAnd or BinaryOperatorKind.And when IsBoolean(binary.Type) => left != 0 && right != 0 ? 1 : 0,
            BinaryOperatorKind.ConditionalOr or BinaryOperatorKind.Or when IsBoolean(binary.Type) => left != 0 || right != 0 ? 1 : 0,
            _ => null,
        };
    }

    private static double? Invocation(IInvocationOperation invocation, Func<IOperation, double?> lookup, RetryScope scope, int depth)
    {
        var method = invocation.TargetMethod;
        var type = method.ContainingType;
        var arguments = new List<double>(invocation.Arguments.Length);
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }

            if (Evaluate(argument.Value, lookup, scope, depth + 1) is not { } evaluated)
            {
                // Random.Next(max): the range may be unknown while the call is still a jitter; nothing else is.
                return null;
            }

            arguments.Add(evaluated);
        }

        switch (type?.Name)
        {
            case "Math" or "MathF" when IsSystem(type):
                return MathCall(method.Name, arguments);
            case "TimeSpan" when IsSystem(type):
                if (method.IsStatic && arguments.Count == 1)
                {
                    return FromUnit(method.Name, arguments[0]);
                }

                if (!method.IsStatic && Evaluate(invocation.Instance, lookup, scope, depth + 1) is { } self && arguments.Count == 1)
                {
                    return method.Name switch
                    {
                        "Add" => self + arguments[0],
                        "Subtract" => self - arguments[0],
                        "Multiply" => self * arguments[0],
                        "Divide" => arguments[0] == 0 ? null : self / arguments[0],
                        _ => null,
                    };
                }

                return null;
            case "Convert" when IsSystem(type) && arguments.Count == 1 && method.Name.StartsWith("To", StringComparison.Ordinal):
                return arguments[0];
            case "Random" when IsSystem(type):
                // The longest wait the jitter can give.
                return method.Name switch
                {
                    "NextDouble" or "NextSingle" when arguments.Count == 0 => 1,
                    "Next" or "NextInt64" when arguments.Count is 1 or 2 => arguments[arguments.Count - 1],
                    _ => null,
                };
            case "RandomNumberGenerator" when method.Name == "GetInt32" && arguments.Count is 1 or 2:
                return arguments[arguments.Count - 1];
            default:
                return null;
        }
    }

    private static double? MathCall(string name, List<double> arguments)
        => (name, arguments.Count) switch
        {
            ("Pow", 2) => Math.Pow(arguments[0], arguments[1]),
            ("Min", 2) => Math.Min(arguments[0], arguments[1]),
            ("Max", 2) => Math.Max(arguments[0], arguments[1]),
            ("Clamp", 3) => Math.Max(arguments[1], Math.Min(arguments[2], arguments[0])),
            ("Abs", 1) => Math.Abs(arguments[0]),
            ("Ceiling", 1) => Math.Ceiling(arguments[0]),
            ("Floor", 1) => Math.Floor(arguments[0]),
            ("Round", 1) => Math.Round(arguments[0]),
            ("Truncate", 1) => Math.Truncate(arguments[0]),
            ("Sqrt", 1) => Math.Sqrt(arguments[0]),
            ("Exp", 1) => Math.Exp(arguments[0]),
            _ => null,
        };

    private static double? FromUnit(string name, double amount)
        => name switch
        {
            "FromMilliseconds" => amount,
            "FromSeconds" => amount * 1000,
            "FromMinutes" => amount * 60_000,
            "FromHours" => amount * 3_600_000,
            "FromDays" => amount * 86_400_000,
            "FromTicks" => amount / 10_000,
            _ => null,
        };

    private static double? NewTimeSpan(IObjectCreationOperation creation, Func<IOperation, double?> lookup, RetryScope scope, int depth)
    {
        var parts = new List<double>();
        foreach (var argument in creation.Arguments)
        {
            if (Evaluate(argument.Value, lookup, scope, depth + 1) is not { } part)
            {
                return null;
            }

            parts.Add(part);
        }

        return parts.Count switch
        {
            1 => parts[0] / 10_000,
            3 => ((parts[0] * 60) + parts[1]) * 60_000 + (parts[2] * 1000),
            4 => ((((parts[0] * 24) + parts[1]) * 60) + parts[2]) * 60_000 + (parts[3] * 1000),
            5 => ((((parts[0] * 24) + parts[1]) * 60) + parts[2]) * 60_000 + (parts[3] * 1000) + parts[4],
            _ => null,
        };
    }

    private static double? Property(IPropertyReferenceOperation property, Func<IOperation, double?> lookup, RetryScope scope, int depth)
    {
        if (property.Property.ContainingType is not { Name: "TimeSpan" } type || !IsSystem(type) || property.Instance is null
            || Evaluate(property.Instance, lookup, scope, depth + 1) is not { } milliseconds)
        {
            return null;
        }

        return property.Property.Name switch
        {
            "TotalMilliseconds" => milliseconds,
            "TotalSeconds" => milliseconds / 1000,
            "TotalMinutes" => milliseconds / 60_000,
            "TotalHours" => milliseconds / 3_600_000,
            "Ticks" => milliseconds * 10_000,
            _ => null,
        };
    }

    /// <summary><c>TimeSpan.Zero</c>, and a field initialized in this file (<c>static readonly TimeSpan BaseDelay = TimeSpan.FromSeconds(1)</c>).</summary>
    private static double? Field(IFieldReferenceOperation reference, Func<IOperation, double?> lookup, RetryScope scope, int depth)
    {
        var field = reference.Field;
        if (field is { Name: "Zero", ContainingType.Name: "TimeSpan" })
        {
            return 0;
        }

        if (scope.FieldValues.TryGetValue(field, out var known))
        {
            return known;
        }

        var value = FieldValue(field, reference, lookup, scope, depth);
        scope.FieldValues[field] = value;
        return value;
    }

    private static double? FieldValue(IFieldSymbol field, IFieldReferenceOperation reference, Func<IOperation, double?> lookup, RetryScope scope, int depth)
    {
        if (!field.IsReadOnly || field.DeclaringSyntaxReferences.Length != 1
            || field.DeclaringSyntaxReferences[0].SyntaxTree != reference.Syntax.SyntaxTree
            || field.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: { } initializer }
            || reference.SemanticModel?.GetOperation(initializer) is not { } initial)
        {
            return null;
        }

        return Evaluate(initial, lookup, scope, depth + 1);
    }

    /// <summary>A local written once, where it is declared: its initializer (read afresh, so it may depend on the attempt).</summary>
    private static double? SingleInitializer(ILocalSymbol local, Func<IOperation, double?> lookup, RetryScope scope, int depth)
    {
        if (scope.WritesOf(local) is not { Count: 1 } writes || writes[0] is not IVariableDeclaratorOperation declarator)
        {
            return null;
        }

        var initializer = declarator.Initializer?.Value ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer?.Value;
        return Evaluate(initializer, lookup, scope, depth + 1);
    }

    private static bool IsIntegral(ITypeSymbol? type)
        => type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16 or SpecialType.System_UInt32
            or SpecialType.System_UInt64 or SpecialType.System_Byte;

    private static bool IsBoolean(ITypeSymbol? type) => type?.SpecialType == SpecialType.System_Boolean;

    private static bool IsSystem(INamedTypeSymbol type) => type.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true };
}
