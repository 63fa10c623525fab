using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ResilienceAnalyzers.Common;

/// <summary>Allocation-light traversal helpers over IOperation trees.</summary>
internal static class OperationTree
{
    /// <summary>
    /// Every operation under <paramref name="root"/> (not the root itself), depth first, never entering
    /// lambdas, local functions or anything <paramref name="skip"/> rejects.
    /// </summary>
    public static IEnumerable<IOperation> Descendants(IOperation root, Func<IOperation, bool>? skip = null)
    {
        var stack = new Stack<IOperation>(16);
        Push(stack, root);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            yield return current;

            // By kind, as everywhere on the walks: an interface type test scans the operation class's interfaces.
            if (current.Kind is OperationKind.AnonymousFunction or OperationKind.LocalFunction || (skip is not null && skip(current)))
            {
                continue;
            }

            Push(stack, current);
        }
    }

    /// <summary>True when <paramref name="root"/> or an operation under it satisfies <paramref name="predicate"/>.</summary>
    public static bool Any(IOperation root, Func<IOperation, bool> predicate)
    {
        if (predicate(root))
        {
            return true;
        }

        foreach (var operation in Descendants(root))
        {
            if (predicate(operation))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The outermost operation of the body or initializer that holds <paramref name="operation"/>.</summary>
    public static IOperation Root(IOperation operation)
    {
        var current = operation;
        while (current.Parent is not null)
        {
            current = current.Parent;
        }

        return current;
    }

    /// <summary>The nearest ancestor of type <typeparamref name="T"/>, not crossing a lambda or local function.</summary>
    public static T? Ancestor<T>(IOperation operation)
        where T : class, IOperation
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is T match)
            {
                return match;
            }

            if (current.Kind is OperationKind.AnonymousFunction or OperationKind.LocalFunction)
            {
                return null;
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="ancestor"/> is a strict ancestor of <paramref name="operation"/>.</summary>
    public static bool IsWithin(IOperation operation, IOperation ancestor)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current == ancestor)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The operation of type <typeparamref name="T"/> whose syntax is <paramref name="node"/>, found under
    /// <paramref name="root"/> by following the children whose source holds the node (a path as deep as the node,
    /// not a walk of everything before it); null when there is none.
    /// </summary>
    public static T? FindBySyntax<T>(IOperation root, SyntaxNode node)
        where T : class, IOperation
    {
        var span = node.Span;
        var current = root;
        while (true)
        {
            if (current is T match && current.Syntax == node)
            {
                return match;
            }

            IOperation? next = null;
            foreach (var child in current.ChildOperations)
            {
                if (child.Syntax.Span.Contains(span) && child is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
                {
                    next = child;
                    break;
                }
            }

            if (next is null)
            {
                // A child that holds the node without its source spanning it (the body of a using declaration): walk.
                foreach (var operation in Descendants(root))
                {
                    if (operation is T found && operation.Syntax == node)
                    {
                        return found;
                    }
                }

                return null;
            }

            current = next;
        }
    }

    /// <summary>Symbol of a local, parameter or field reference; null for anything else.</summary>
    public static ISymbol? ReferencedSymbol(IOperation? operation)
        => Unwrap(operation) switch
        {
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IFieldReferenceOperation field => field.Field,
            IPropertyReferenceOperation { Property.IsIndexer: false } property => property.Property,
            _ => null,
        };

    /// <summary>What a call is made on: its instance, or the first argument of an extension method; unwrapped.</summary>
    public static IOperation? Receiver(IInvocationOperation call)
        => Unwrap(call.Instance ?? (call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 ? call.Arguments[0].Value : null));

    /// <summary>
    /// The bodies of the method <paramref name="call"/> invokes that are written in the call's own file (a partial
    /// method may have two); none for a method declared elsewhere. The analysed file's semantic model is the only one
    /// an analyzer asks, so a body in another file stays unseen.
    /// </summary>
    public static IEnumerable<IOperation> BodiesInSameFile(IInvocationOperation call)
    {
        if (call.SemanticModel is not { } model)
        {
            yield break;
        }

        foreach (var reference in call.TargetMethod.OriginalDefinition.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree == model.SyntaxTree && model.GetOperation(reference.GetSyntax()) is { } body)
            {
                yield return body;
            }
        }
    }

    /// <summary>The operation around <paramref name="operation"/> once the conversions and parentheses over it are climbed: the inverse of <see cref="Unwrap"/>.</summary>
    public static IOperation Outer(IOperation operation)
    {
        // By kind: an interface type test scans the operation class's interfaces, and every family climbs from hot callbacks.
        while (operation.Parent is { Kind: OperationKind.Conversion or OperationKind.Parenthesized } parent)
        {
            operation = parent;
        }

        return operation;
    }

    /// <summary>Strips conversions and parentheses.</summary>
    public static IOperation? Unwrap(IOperation? operation)
    {
        while (true)
        {
            switch (operation?.Kind)
            {
                case OperationKind.Conversion:
                    operation = ((IConversionOperation)operation).Operand;
                    break;
                case OperationKind.Parenthesized:
                    operation = ((IParenthesizedOperation)operation).Operand;
                    break;
                default:
                    return operation;
            }
        }
    }

    private static void Push(Stack<IOperation> stack, IOperation operation)
    {
        // Children in reverse so that the walk visits them in source order.
        foreach (var child in operation.ChildOperations.Reverse())
        {
            stack.Push(child);
        }
    }
}
