using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ResilienceAnalyzers.Common;

/// <summary>
/// Decides whether a value written to a timeout means "wait forever" (RULES.md, RES010):
/// <c>Timeout.InfiniteTimeSpan</c>, <c>Timeout.Infinite</c>, <c>-1</c>, <c>TimeSpan.FromMilliseconds(-1)</c>, and
/// <c>0</c> where the API documents 0 as no limit; through constants, <c>readonly</c> fields and locals written
/// once. A parameter, a configuration value or anything else the compilation does not show is not infinite.
/// </summary>
internal static class InfiniteValueRecognizer
{
    private const int MaxDepth = 4;

    /// <summary>Ticks of <c>Timeout.InfiniteTimeSpan</c>: minus one millisecond.</summary>
    private const long InfiniteTicks = -TimeSpan.TicksPerMillisecond;

    public static bool IsInfinite(IOperation? value, bool zeroIsInfinite, KnownTypes types)
        => IsInfinite(value, zeroIsInfinite, types, depth: 0);

    private static bool IsInfinite(IOperation? value, bool zeroIsInfinite, KnownTypes types, int depth)
    {
        value = OperationTree.Unwrap(value);
        if (value is null || depth > MaxDepth)
        {
            return false;
        }

        if (value.ConstantValue.HasValue)
        {
            return IsInfiniteNumber(value.ConstantValue.Value, zeroIsInfinite);
        }

        switch (value)
        {
            case IFieldReferenceOperation field:
                return IsInfiniteTimeSpanField(field.Field, types)
                    || (field.Field.IsReadOnly && IsInfiniteDeclaration(field.Field, value, zeroIsInfinite, types, depth));
            case IPropertyReferenceOperation { Property: { SetMethod: null, IsIndexer: false } property }:
                return IsInfiniteDeclaration(property, value, zeroIsInfinite, types, depth);
            case IInvocationOperation invocation:
                return TimeSpanTicks(invocation, types) == InfiniteTicks;
            case IObjectCreationOperation creation:
                return TimeSpanTicks(creation, types) == InfiniteTicks;
            case ILocalReferenceOperation local:
                return LocalWrites.Single(local.Local, value) is { } initializer && IsInfinite(initializer, zeroIsInfinite, types, depth + 1);
            default:
                return false;
        }
    }

    private static bool IsInfiniteNumber(object? constant, bool zeroIsInfinite)
    {
        double number;
        switch (constant)
        {
            case int i: number = i; break;
            case long l: number = l; break;
            case short s: number = s; break;
            case sbyte b: number = b; break;
            case double d: number = d; break;
            case float f: number = f; break;
            case decimal m: number = (double)m; break;
            default: return false;
        }

        return number == -1 || (zeroIsInfinite && number == 0);
    }

    private static bool IsInfiniteTimeSpanField(IFieldSymbol field, KnownTypes types)
        => field.Name == "InfiniteTimeSpan" && SymbolEqualityComparer.Default.Equals(field.ContainingType, types.Timeout);

    /// <summary>
    /// A <c>readonly</c> field or get-only property judged from its initializer or expression body
    /// (<c>static readonly TimeSpan Forever = Timeout.InfiniteTimeSpan;</c>, <c>static int None =&gt; 0;</c>).
    /// </summary>
    private static bool IsInfiniteDeclaration(ISymbol symbol, IOperation reference, bool zeroIsInfinite, KnownTypes types, int depth)
    {
        if (symbol.DeclaringSyntaxReferences.Length != 1)
        {
            return false;
        }

        var initializer = symbol.DeclaringSyntaxReferences[0].GetSyntax() switch
        {
            VariableDeclaratorSyntax declarator => declarator.Initializer?.Value,
            PropertyDeclarationSyntax property => property.ExpressionBody?.Expression ?? property.Initializer?.Value,
            _ => null,
        };
        if (initializer is null)
        {
            return false;
        }

        // Same tree: the operation tree of the initializer is at hand. Another tree's semantic model is not
        // for analyzers to ask for, so there the initializer is read from syntax.
        if (reference.SemanticModel is { } model && model.SyntaxTree == initializer.SyntaxTree)
        {
            return IsInfinite(model.GetOperation(initializer), zeroIsInfinite, types, depth + 1);
        }

        return IsInfiniteSyntax(initializer, zeroIsInfinite);
    }

    /// <summary>The spellings of an infinite value, for an initializer in another file.</summary>
    private static bool IsInfiniteSyntax(ExpressionSyntax expression, bool zeroIsInfinite)
    {
        switch (expression)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return IsInfiniteSyntax(parenthesized.Expression, zeroIsInfinite);
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.UnaryMinusExpression, Operand: LiteralExpressionSyntax literal }:
                return literal.Token.Value is int and 1 or long and 1;
            case LiteralExpressionSyntax literal:
                return zeroIsInfinite && literal.Token.Value is int and 0;
            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "InfiniteTimeSpan" or "Infinite" } member:
                return IsTimeoutClass(member.Expression);
            case InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "FromMilliseconds" } from,
                ArgumentList.Arguments: { Count: 1 } arguments,
            }:
                return IsTimeSpanClass(from.Expression) && IsInfiniteSyntax(arguments[0].Expression, zeroIsInfinite: false);
            default:
                return false;
        }
    }

    private static bool IsTimeoutClass(ExpressionSyntax expression)
        => expression is IdentifierNameSyntax { Identifier.ValueText: "Timeout" }
            or MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Timeout", Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Threading" } };

    private static bool IsTimeSpanClass(ExpressionSyntax expression)
        => expression is IdentifierNameSyntax { Identifier.ValueText: "TimeSpan" }
            or MemberAccessExpressionSyntax { Name.Identifier.ValueText: "TimeSpan" };

    /// <summary>The ticks of a <c>TimeSpan.FromX(constant)</c> call; null for anything else.</summary>
    private static double? TimeSpanTicks(IInvocationOperation invocation, KnownTypes types)
    {
        var method = invocation.TargetMethod;
        if (!method.IsStatic || !SymbolEqualityComparer.Default.Equals(method.ContainingType, types.TimeSpan))
        {
            return null;
        }

        double unit = method.Name switch
        {
            "FromTicks" => 1,
            "FromMicroseconds" => 10,
            "FromMilliseconds" => TimeSpan.TicksPerMillisecond,
            "FromSeconds" => TimeSpan.TicksPerSecond,
            "FromMinutes" => TimeSpan.TicksPerMinute,
            "FromHours" => TimeSpan.TicksPerHour,
            "FromDays" => TimeSpan.TicksPerDay,
            _ => 0,
        };
        if (unit == 0)
        {
            return null;
        }

        // .NET 9 added overloads with optional smaller units: only the first argument may be given.
        double? ticks = null;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }

            if (ticks is not null || Number(argument.Value) is not { } number)
            {
                return null;
            }

            ticks = number * unit;
        }

        return ticks;
    }

    /// <summary>The ticks of <c>new TimeSpan(...)</c> with constant arguments; null for anything else.</summary>
    private static double? TimeSpanTicks(IObjectCreationOperation creation, KnownTypes types)
    {
        if (!SymbolEqualityComparer.Default.Equals(creation.Type, types.TimeSpan))
        {
            return null;
        }

        var values = new double[creation.Arguments.Length];
        for (var i = 0; i < values.Length; i++)
        {
            if (Number(creation.Arguments[i].Value) is not { } number)
            {
                return null;
            }

            values[i] = number;
        }

        // TimeSpan(ticks), (h, m, s), (d, h, m, s), (d, h, m, s, ms), (d, h, m, s, ms, µs).
        return values.Length switch
        {
            1 => values[0],
            3 => (values[0] * 3600 + values[1] * 60 + values[2]) * TimeSpan.TicksPerSecond,
            >= 4 and <= 6 => ((values[0] * 86400) + (values[1] * 3600) + (values[2] * 60) + values[3]) * TimeSpan.TicksPerSecond
                + (values.Length > 4 ? values[4] * TimeSpan.TicksPerMillisecond : 0)
                + (values.Length > 5 ? values[5] * 10 : 0),
            _ => null,
        };
    }

    private static double? Number(IOperation value)
        => value.ConstantValue is { HasValue: true, Value: { } constant } && constant is int or long or short or sbyte or double or float or decimal
            ? Convert.ToDouble(constant, System.Globalization.CultureInfo.InvariantCulture)
            : null;
}
