using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace ResilienceAnalyzers.CodeFixes;

/// <summary>
/// The backoff every retry fix writes: full jitter over a capped exponential,
/// <c>TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(cap, base * Math.Pow(2, attempt)))</c>.
/// Type names are generated from symbols so the simplifier shortens them and adds the <c>using</c> directives.
/// </summary>
internal sealed class JitteredDelay
{
    private readonly GeneratedExpressions _expressions;
    private readonly int _baseMilliseconds;
    private readonly int _capMilliseconds;

    public JitteredDelay(SyntaxGenerator generator, Compilation compilation, int baseMilliseconds, int capMilliseconds)
    {
        _baseMilliseconds = baseMilliseconds;
        _capMilliseconds = capMilliseconds;
        _expressions = new GeneratedExpressions(generator, compilation, "System.TimeSpan", "System.Random", "System.Math", "System.Threading.Tasks.Task", "System.Threading.Thread");
    }

    /// <summary><c>Random.Shared</c> exists (.NET 6 and later); without it the fixes that need it offer nothing.</summary>
    public static bool IsAvailable(Compilation compilation)
        => compilation.GetTypeByMetadataName("System.Random")?.GetMembers("Shared").Any(m => m.IsStatic) == true;

    /// <summary>The delay for the attempt held in <paramref name="attempt"/>.</summary>
    public ExpressionSyntax Expression(string attempt)
        => _expressions.Build(string.Format(
            CultureInfo.InvariantCulture,
            "ΦTimeSpan.FromMilliseconds(ΦRandom.Shared.NextDouble() * ΦMath.Min({0}, {1} * ΦMath.Pow(2, {2})))",
            _capMilliseconds,
            _baseMilliseconds,
            attempt));

    /// <summary><c>retryAttempt =&gt; &lt;delay&gt;</c>, for Polly v7 sleep-duration providers.</summary>
    public ExpressionSyntax Lambda(string parameter)
        => SyntaxFactory.SimpleLambdaExpression(SyntaxFactory.Parameter(SyntaxFactory.Identifier(parameter)), Expression(parameter));

    /// <summary>A wait statement: <c>await Task.Delay(delay, token);</c> in async code, <c>Thread.Sleep(delay);</c> otherwise.</summary>
    public StatementSyntax Statement(string attempt, bool isAsync, string? token)
    {
        var delay = Expression(attempt);
        ExpressionSyntax call;
        if (isAsync)
        {
            var arguments = new List<ArgumentSyntax> { SyntaxFactory.Argument(delay) };
            if (token is not null)
            {
                arguments.Add(SyntaxFactory.Argument(SyntaxFactory.IdentifierName(token)));
            }

            call = SyntaxFactory.AwaitExpression(
                SyntaxFactory.InvocationExpression(Member("Task", "Delay"), SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(arguments))));
        }
        else
        {
            call = SyntaxFactory.InvocationExpression(
                Member("Thread", "Sleep"),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(delay))));
        }

        return SyntaxFactory.ExpressionStatement(call).WithAdditionalAnnotations(Formatter.Annotation);
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

    private ExpressionSyntax Member(string type, string member)
        => SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, _expressions.TypeName(type), SyntaxFactory.IdentifierName(member));

    /// <summary>Namespaces the generated code refers to; the fix imports the ones not yet in scope.</summary>
    public HashSet<string> Namespaces => _expressions.Namespaces;
}
