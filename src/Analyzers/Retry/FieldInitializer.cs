using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ResilienceAnalyzers.Retry;

/// <summary>Reads a field's initializer from syntax alone, without asking another tree's semantic model.</summary>
internal static class FieldInitializer
{
    /// <summary>
    /// True when the field is initialized with literals only: <c>2000</c>, <c>TimeSpan.FromSeconds(2)</c>,
    /// <c>new TimeSpan(0, 0, 2)</c>, and arithmetic of those.
    /// </summary>
    public static bool IsLiteralOnly(IFieldSymbol field)
    {
        if (field.DeclaringSyntaxReferences.Length != 1
            || field.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: { } value })
        {
            return false;
        }

        return IsLiteralOnly(value, depth: 0);
    }

    private static bool IsLiteralOnly(ExpressionSyntax expression, int depth)
    {
        if (depth > 8)
        {
            return false;
        }

        switch (expression)
        {
            case LiteralExpressionSyntax literal:
                return literal.IsKind(SyntaxKind.NumericLiteralExpression);
            case ParenthesizedExpressionSyntax parenthesized:
                return IsLiteralOnly(parenthesized.Expression, depth + 1);
            case PrefixUnaryExpressionSyntax unary:
                return IsLiteralOnly(unary.Operand, depth + 1);
            case BinaryExpressionSyntax binary:
                return IsLiteralOnly(binary.Left, depth + 1) && IsLiteralOnly(binary.Right, depth + 1);
            case MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "TimeSpan" }, Name.Identifier.ValueText: "Zero" }:
                return true;
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "TimeSpan" } } } invocation:
                return AllLiteral(invocation.ArgumentList, depth);
            case ObjectCreationExpressionSyntax { Type: IdentifierNameSyntax { Identifier.ValueText: "TimeSpan" }, ArgumentList: { } arguments }:
                return AllLiteral(arguments, depth);
            default:
                return false;
        }
    }

    private static bool AllLiteral(ArgumentListSyntax arguments, int depth)
    {
        foreach (var argument in arguments.Arguments)
        {
            if (!IsLiteralOnly(argument.Expression, depth + 1))
            {
                return false;
            }
        }

        return true;
    }
}
