using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace ResilienceAnalyzers.CodeFixes.Common;

/// <summary>Adds member assignments to an object creation's initializer, creating one when there is none, in the layout already there.</summary>
internal static class ObjectInitializers
{
    public static BaseObjectCreationExpressionSyntax Add(BaseObjectCreationExpressionSyntax creation, IReadOnlyList<ExpressionSyntax> assignments)
    {
        if (creation.Initializer is not { } initializer)
        {
            var created = SyntaxFactory.InitializerExpression(SyntaxKind.ObjectInitializerExpression, SyntaxFactory.SeparatedList(assignments));
            if (creation is ObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 0 } explicitNew)
            {
                // new T() { ... } reads as new T { ... }.
                var type = explicitNew.Type.WithTrailingTrivia(explicitNew.ArgumentList!.GetTrailingTrivia());
                return explicitNew.WithType(type).WithArgumentList(null).WithInitializer(created).WithAdditionalAnnotations(Formatter.Annotation);
            }

            return creation.WithInitializer(created).WithAdditionalAnnotations(Formatter.Annotation);
        }

        return creation.WithInitializer(Append(initializer, assignments));
    }

    private static InitializerExpressionSyntax Append(InitializerExpressionSyntax initializer, IReadOnlyList<ExpressionSyntax> assignments)
    {
        var expressions = initializer.Expressions;
        var multiline = expressions.Count > 0 && OnOwnLine(expressions[0]);
        if (!multiline)
        {
            var nodes = new List<SyntaxNodeOrToken>();
            foreach (var item in expressions.GetWithSeparators())
            {
                nodes.Add(item);
            }

            if (expressions.Count > 0 && expressions.SeparatorCount < expressions.Count)
            {
                var last = (ExpressionSyntax)nodes[nodes.Count - 1].AsNode()!;
                nodes[nodes.Count - 1] = last.WithoutTrailingTrivia();
                nodes.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space));
                AddSingleLine(nodes, assignments, last.GetTrailingTrivia());
            }
            else
            {
                AddSingleLine(nodes, assignments, SyntaxFactory.TriviaList(SyntaxFactory.Space));
            }

            return initializer.WithExpressions(SyntaxFactory.SeparatedList<ExpressionSyntax>(nodes));
        }

        // One assignment per line, indented like the first, the trailing comma kept if there was one.
        var indentation = expressions[0].GetLeadingTrivia();
        var endOfLine = SyntaxFactory.TriviaList(SyntaxFactory.EndOfLine("\n"));
        var list = new List<SyntaxNodeOrToken>();
        foreach (var item in expressions.GetWithSeparators())
        {
            list.Add(item);
        }

        var trailingComma = expressions.SeparatorCount == expressions.Count;
        if (!trailingComma)
        {
            var last = (ExpressionSyntax)list[list.Count - 1].AsNode()!;
            endOfLine = last.GetTrailingTrivia();
            list[list.Count - 1] = last.WithoutTrailingTrivia();
            list.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(endOfLine));
        }
        else
        {
            endOfLine = list[list.Count - 1].AsToken().TrailingTrivia;
        }

        for (var i = 0; i < assignments.Count; i++)
        {
            var isLast = i == assignments.Count - 1;
            var assignment = assignments[i].WithLeadingTrivia(indentation);
            if (isLast && !trailingComma)
            {
                list.Add(assignment.WithTrailingTrivia(endOfLine));
            }
            else
            {
                list.Add(assignment);
                list.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(endOfLine));
            }
        }

        return initializer.WithExpressions(SyntaxFactory.SeparatedList<ExpressionSyntax>(list));
    }

    private static void AddSingleLine(List<SyntaxNodeOrToken> nodes, IReadOnlyList<ExpressionSyntax> assignments, SyntaxTriviaList lastTrailing)
    {
        for (var i = 0; i < assignments.Count; i++)
        {
            if (i > 0)
            {
                nodes.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space));
            }

            var assignment = assignments[i].WithoutTrivia();
            nodes.Add(i == assignments.Count - 1 ? assignment.WithTrailingTrivia(lastTrailing) : assignment);
        }
    }

    private static bool OnOwnLine(SyntaxNode node)
    {
        foreach (var trivia in node.GetFirstToken().GetPreviousToken().TrailingTrivia)
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return true;
            }
        }

        return false;
    }
}
