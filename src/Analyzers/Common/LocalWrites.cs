using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ResilienceAnalyzers.Common;

/// <summary>The values a local is given in the body that declares it.</summary>
internal static class LocalWrites
{
    /// <summary>
    /// Every value written to <paramref name="local"/> (its initializer and each plain assignment), searching the
    /// block that declares it (the whole body around <paramref name="within"/> when that block cannot be told),
    /// lambdas included. Null when the local is also written in a way whose value cannot be read (<c>ref</c>/<c>out</c>,
    /// compound assignment, deconstruction, a declaration with no initializer).
    /// </summary>
    public static List<IOperation>? Values(ILocalSymbol local, IOperation within)
    {
        var values = new List<IOperation>();
        foreach (var operation in DeclaringScope(local, within).Descendants())
        {
            switch (operation)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    var initializer = declarator.GetVariableInitializer()?.Value;
                    if (initializer is null)
                    {
                        // Declared here, assigned later (or by out): judged by the assignments.
                        continue;
                    }

                    values.Add(initializer);
                    break;
                case ISimpleAssignmentOperation assignment when IsLocal(assignment.Target, local):
                    values.Add(assignment.Value);
                    break;
                case ICompoundAssignmentOperation compound when IsLocal(compound.Target, local):
                case IIncrementOrDecrementOperation increment when IsLocal(increment.Target, local):
                case ICoalesceAssignmentOperation coalesce when IsLocal(coalesce.Target, local):
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument when IsLocal(argument.Value, local):
                case IDeconstructionAssignmentOperation deconstruction when References(deconstruction.Target, local):
                case IDeclarationExpressionOperation declaration when References(declaration, local):
                    return null;
            }
        }

        return values.Count > 0 ? values : null;
    }

    /// <summary>
    /// The value a local is given by the one deconstruction that declares or writes it (<c>var (first, second) = value;</c>,
    /// <c>(IList&lt;T&gt; first, int second) = value;</c>), with the position of the local in it; null when the local is written
    /// any other way too, or sits deeper than the top level of the deconstruction.
    /// </summary>
    public static (IOperation Value, int Index)? Deconstructed(ILocalSymbol local, IOperation within)
    {
        (IOperation Value, int Index)? found = null;
        foreach (var operation in DeclaringScope(local, within).Descendants())
        {
            switch (operation)
            {
                case IDeconstructionAssignmentOperation deconstruction when References(deconstruction.Target, local):
                    var target = deconstruction.Target is IDeclarationExpressionOperation declared ? declared.Expression : deconstruction.Target;
                    if (found is not null || target is not ITupleOperation tuple)
                    {
                        return null;
                    }

                    for (var i = 0; i < tuple.Elements.Length; i++)
                    {
                        var element = tuple.Elements[i] is IDeclarationExpressionOperation single ? single.Expression : tuple.Elements[i];
                        if (IsLocal(element, local))
                        {
                            found = (deconstruction.Value, i);
                        }
                    }

                    if (found is null)
                    {
                        return null;
                    }

                    break;
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                case ISimpleAssignmentOperation assignment when IsLocal(assignment.Target, local):
                case ICompoundAssignmentOperation compound when IsLocal(compound.Target, local):
                case IIncrementOrDecrementOperation increment when IsLocal(increment.Target, local):
                case ICoalesceAssignmentOperation coalesce when IsLocal(coalesce.Target, local):
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument when References(argument.Value, local):
                    return null;
            }
        }

        return found;
    }

    /// <summary>The one value of a local written exactly once; null otherwise.</summary>
    public static IOperation? Single(ILocalSymbol local, IOperation within)
        => Values(local, within) is { Count: 1 } values ? values[0] : null;

    /// <summary>
    /// The innermost block around <paramref name="within"/> that holds the local's declaration: every write to a local is
    /// in the scope its declaration opens, and walking that block instead of the whole body keeps the cost to the code
    /// that can write it.
    /// </summary>
    private static IOperation DeclaringScope(ILocalSymbol local, IOperation within)
    {
        var declarations = local.DeclaringSyntaxReferences;
        if (declarations.Length != 1 || declarations[0].SyntaxTree != within.Syntax.SyntaxTree)
        {
            return OperationTree.Root(within);
        }

        var declaration = declarations[0].Span;
        var current = within;
        while (current.Parent is not null)
        {
            current = current.Parent;
            if (current is IBlockOperation && current.Syntax.Span.Contains(declaration))
            {
                return current;
            }
        }

        return current;
    }

    private static bool IsLocal(IOperation? operation, ILocalSymbol local)
        => OperationTree.Unwrap(operation) is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local);

    private static bool References(IOperation operation, ILocalSymbol local)
    {
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            if (IsLocal(descendant, local))
            {
                return true;
            }
        }

        return false;
    }
}
