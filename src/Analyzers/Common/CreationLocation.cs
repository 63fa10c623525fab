using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace ResilienceAnalyzers.Common;

/// <summary>Where a diagnostic about an object creation goes: the <c>new</c> and its type, without the initializer.</summary>
public static class CreationLocation
{
    /// <param name="withArguments">Through the argument list (<c>new RetryStrategyOptions()</c>), or only the type (<c>new LinearRetry</c>(5000)).</param>
    public static Location Of(SyntaxNode creation, bool withArguments)
    {
        var end = creation switch
        {
            ObjectCreationExpressionSyntax explicitNew => withArguments ? explicitNew.ArgumentList?.Span.End ?? explicitNew.Type.Span.End : explicitNew.Type.Span.End,
            ImplicitObjectCreationExpressionSyntax implicitNew => implicitNew.ArgumentList.Span.End,
            _ => creation.Span.End,
        };
        return Location.Create(creation.SyntaxTree, TextSpan.FromBounds(creation.SpanStart, end));
    }
}
