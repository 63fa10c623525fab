using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using ResilienceAnalyzers.CodeFixes.Common;

namespace ResilienceAnalyzers.CodeFixes.Retry;

/// <summary>
/// The waits the loop fixes write, built on <see cref="BackoffSyntax.FullJitter"/>: a new
/// <c>await Task.Delay(backoff, token);</c> or <c>Thread.Sleep(backoff);</c>, or a new duration for an existing wait.
/// </summary>
internal sealed class JitteredDelay
{
    private readonly SyntaxGenerator _generator;
    private readonly Compilation _compilation;
    private readonly int _baseMilliseconds;
    private readonly int _capMilliseconds;

    public JitteredDelay(SyntaxGenerator generator, Compilation compilation, int baseMilliseconds, int capMilliseconds)
    {
        _generator = generator;
        _compilation = compilation;
        _baseMilliseconds = baseMilliseconds;
        _capMilliseconds = capMilliseconds;
    }

    /// <summary>The delay for the attempt held in the local <paramref name="attempt"/>.</summary>
    public ExpressionSyntax Expression(string attempt)
        => (ExpressionSyntax)BackoffSyntax.FullJitter(_generator, _compilation, SyntaxFactory.IdentifierName(attempt), _baseMilliseconds, _capMilliseconds)!;

    /// <summary>A wait statement: <c>await Task.Delay(delay, token);</c> in async code, <c>Thread.Sleep(delay);</c> otherwise.</summary>
    public StatementSyntax Statement(string attempt, bool isAsync, string? token)
    {
        var delay = Expression(attempt);
        SyntaxNode call;
        if (isAsync)
        {
            var arguments = token is null ? new[] { (SyntaxNode)delay } : new[] { delay, _generator.IdentifierName(token) };
            call = _generator.AwaitExpression(_generator.InvocationExpression(Member("System.Threading.Tasks.Task", "Delay"), arguments));
        }
        else
        {
            call = _generator.InvocationExpression(Member("System.Threading.Thread", "Sleep"), delay);
        }

        return SyntaxFactory.ExpressionStatement((ExpressionSyntax)call).WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>
    /// Replaces the duration of an existing wait (<c>Task.Delay(1000)</c>, <c>Thread.Sleep(delay)</c>) and passes the
    /// token in scope to <c>Task.Delay</c> when it has none.
    /// </summary>
    public InvocationExpressionSyntax Rewrite(InvocationExpressionSyntax current, string attempt, string? token, IMethodSymbol? method)
    {
        var arguments = current.ArgumentList.Arguments;
        if (arguments.Count == 0)
        {
            return current;
        }

        var first = arguments[0];
        arguments = arguments.Replace(first, first.WithNameColon(null).WithExpression(Expression(attempt).WithTriviaFrom(first.Expression)));

        if (token is not null
            && method is { Name: "Delay", ContainingType.Name: "Task" }
            && !method.Parameters.Any(p => p.Type.Name == "CancellationToken")
            && arguments.Count == 1)
        {
            arguments = arguments.Add(SyntaxFactory.Argument(SyntaxFactory.IdentifierName(token)));
        }

        return current.WithArgumentList(current.ArgumentList.WithArguments(arguments));
    }

    private SyntaxNode Member(string typeName, string member)
    {
        var type = _compilation.GetTypeByMetadataName(typeName);
        var receiver = type is null ? _generator.IdentifierName(typeName) : Imports.TypeReference(_generator, type);
        return _generator.MemberAccessExpression(receiver, member);
    }
}
