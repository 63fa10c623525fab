using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;

namespace ResilienceAnalyzers.CodeFixes.Common;

/// <summary>
/// The expressions the retry fixes write (RULES.md "Fix shapes"). Type references are fully qualified and
/// annotated, so the simplifier shortens them and adds the <c>using</c> directives they need.
/// </summary>
internal static class BackoffSyntax
{
    /// <summary><c>TimeSpan.FromMilliseconds(milliseconds)</c>.</summary>
    public static SyntaxNode? Milliseconds(SyntaxGenerator generator, Compilation compilation, int milliseconds)
        => compilation.GetTypeByMetadataName("System.TimeSpan") is { } timeSpan
            ? generator.InvocationExpression(
                generator.MemberAccessExpression(Imports.TypeReference(generator, timeSpan), "FromMilliseconds"),
                generator.LiteralExpression(milliseconds))
            : null;

    /// <summary>
    /// Full jitter: <c>attempt =&gt; TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(cap, base * Math.Pow(2, attempt)))</c>.
    /// Null when the compilation has no <c>Random.Shared</c> (before .NET 6).
    /// </summary>
    public static SyntaxNode? FullJitterLambda(SyntaxGenerator generator, Compilation compilation, string attempt, int baseMilliseconds, int capMilliseconds)
        => FullJitter(generator, compilation, generator.IdentifierName(attempt), baseMilliseconds, capMilliseconds) is { } body
            ? generator.ValueReturningLambdaExpression(attempt, body).WithAdditionalAnnotations(Formatter.Annotation)
            : null;

    /// <summary><c>Random.Shared</c> exists (.NET 6 and later); without it the fixes that need it offer nothing.</summary>
    public static bool HasSharedRandom(Compilation compilation)
        => compilation.GetTypeByMetadataName("System.Random") is { } random && !random.GetMembers("Shared").IsEmpty;

    /// <summary>
    /// Full jitter for the attempt in <paramref name="attempt"/>:
    /// <c>TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Min(cap, base * Math.Pow(2, attempt)))</c>.
    /// Null when the compilation has no <c>Random.Shared</c>.
    /// </summary>
    public static SyntaxNode? FullJitter(SyntaxGenerator generator, Compilation compilation, SyntaxNode attempt, int baseMilliseconds, int capMilliseconds)
    {
        var timeSpan = compilation.GetTypeByMetadataName("System.TimeSpan");
        var random = compilation.GetTypeByMetadataName("System.Random");
        var math = compilation.GetTypeByMetadataName("System.Math");
        if (timeSpan is null || math is null || random is null || random.GetMembers("Shared").IsEmpty)
        {
            return null;
        }

        var growth = generator.MultiplyExpression(
            generator.LiteralExpression(baseMilliseconds),
            generator.InvocationExpression(
                generator.MemberAccessExpression(Imports.TypeReference(generator, math), "Pow"),
                generator.LiteralExpression(2),
                attempt));
        var capped = generator.InvocationExpression(
            generator.MemberAccessExpression(Imports.TypeReference(generator, math), "Min"),
            generator.LiteralExpression(capMilliseconds),
            growth);
        var jittered = generator.MultiplyExpression(
            generator.InvocationExpression(generator.MemberAccessExpression(generator.MemberAccessExpression(Imports.TypeReference(generator, random), "Shared"), "NextDouble")),
            capped);
        return generator.InvocationExpression(
            generator.MemberAccessExpression(Imports.TypeReference(generator, timeSpan), "FromMilliseconds"),
            jittered);
    }
}
