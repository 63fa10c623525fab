using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ResilienceAnalyzers.Common;

/// <summary>
/// A fluent chain of calls, each made on the result of the one before (<c>services.AddHttpClient("x").AddRetry(…).Build()</c>),
/// whether instance or extension methods.
/// </summary>
public static class FluentChain
{
    /// <summary>
    /// The last call of its chain that returns a builder <paramref name="isBuilder"/> accepts: nothing is called on its
    /// result, or only a call that leaves the builder (<c>.Build()</c>).
    /// </summary>
    public static bool IsTop(IInvocationOperation call, System.Func<ITypeSymbol?, bool> isBuilder)
        => Next(call) is not { } next || !isBuilder(next.Type);

    /// <summary>The call made on the result of <paramref name="call"/>, if any.</summary>
    public static IInvocationOperation? Next(IInvocationOperation call)
    {
        var value = OperationTree.Outer(call);
        return value.Parent switch
        {
            IArgumentOperation { Parent: IInvocationOperation extension } argument
                when extension.TargetMethod.IsExtensionMethod && extension.Arguments.Length > 0 && extension.Arguments[0] == argument => extension,
            IInvocationOperation instanceCall when instanceCall.Instance == value => instanceCall,
            _ => null,
        };
    }

    /// <summary>The calls of the chain that ends at <paramref name="top"/>, first call first.</summary>
    public static List<IInvocationOperation> Steps(IInvocationOperation top)
    {
        var steps = new List<IInvocationOperation>();
        for (var current = top; current is not null; current = OperationTree.Receiver(current) as IInvocationOperation)
        {
            steps.Add(current);
        }

        steps.Reverse();
        return steps;
    }

    /// <summary>What the first call of the chain is made on (a local, a parameter, a <c>new</c>), unwrapped.</summary>
    public static IOperation? Start(IInvocationOperation top)
    {
        var current = top;
        while (OperationTree.Receiver(current) is IInvocationOperation previous)
        {
            current = previous;
        }

        return OperationTree.Receiver(current);
    }

    /// <summary>From the called method's name to the end of its argument list: <c>AddTimeout(TimeSpan.FromSeconds(10))</c>.</summary>
    public static Location CallLocation(IInvocationOperation call)
    {
        var syntax = call.Syntax;
        if (syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } invocation)
        {
            return Location.Create(syntax.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(member.Name.SpanStart, invocation.Span.End));
        }

        return syntax.GetLocation();
    }
}
