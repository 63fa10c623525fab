using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ResilienceAnalyzers.Common;

/// <summary>Syntax facts several recognisers read before (or instead of) asking for operations.</summary>
internal static class SyntaxShapes
{
    /// <summary>
    /// The called method's name token: <c>SayHelloAsync</c> in <c>client.SayHelloAsync(request)</c>, <c>WhenAll</c> in
    /// <c>Task.WhenAll(tasks)</c>, <c>Send</c> in <c>queue?.Send(x)</c>; null when the call is not made through a name (a
    /// delegate returned by another call).
    /// </summary>
    public static SyntaxToken? CalledName(InvocationExpressionSyntax invocation)
        => invocation.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name.Identifier,
            MemberBindingExpressionSyntax binding => binding.Name.Identifier,
            SimpleNameSyntax simple => simple.Identifier,
            _ => null,
        };

    /// <summary><c>while</c>, <c>do</c>, <c>for</c> or <c>foreach</c>.</summary>
    public static bool IsLoop(SyntaxNode node)
        => node is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or CommonForEachStatementSyntax;

    /// <summary>
    /// A loop statement around <paramref name="node"/>, below <paramref name="limit"/> (not included) and inside the member
    /// that holds the node.
    /// </summary>
    public static bool IsInLoopBelow(SyntaxNode node, SyntaxNode? limit)
    {
        for (var current = node.Parent; current is not null and not MemberDeclarationSyntax && current != limit; current = current.Parent)
        {
            if (IsLoop(current))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The outermost <c>+</c> whose first operand is <paramref name="node"/>, parentheses aside: <c>"https://" + host + path</c>
    /// for the literal <c>"https://"</c>; null when the node starts no sum.
    /// </summary>
    public static BinaryExpressionSyntax? SumStartedBy(ExpressionSyntax node)
    {
        SyntaxNode current = node;
        BinaryExpressionSyntax? top = null;
        while (current.Parent is { } parent)
        {
            if (parent is BinaryExpressionSyntax sum && sum.IsKind(SyntaxKind.AddExpression) && sum.Left == current)
            {
                top = sum;
            }
            else if (parent is not ParenthesizedExpressionSyntax)
            {
                break;
            }

            current = parent;
        }

        return top;
    }
}
