using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Libraries.Polly;

/// <summary>
/// What a Polly retry runs again: the callbacks handed to <c>Execute*</c> on the pipeline or policy the retry ends up
/// in. A retry re-sends the work it executes (DESIGN.md), so when the compilation shows every execution, the retry
/// is judged by that work like a loop by its body.
/// </summary>
/// <remarks>
/// The retry is followed from its options (<c>AddRetry(options)</c>, up the builder chain to <c>Build()</c>) or its v7
/// policy call, through locals, private fields and properties of its type, and private methods that return it.
/// Anything else it flows into (a public member, a registration, another method's argument, a wrap) means some
/// executions cannot be seen, and the answer is null.
/// </remarks>
public static class PollyExecutedWork
{
    // A pipeline that travels further than this is not followed.
    private const int MaxHolders = 8;

    /// <summary>
    /// The callbacks of every execution of the retry that <paramref name="construct"/> (a v8 options creation or a v7
    /// policy call) builds, or null when not all of them can be seen.
    /// </summary>
    public static List<IOperation>? Find(IOperation construct, CancellationToken cancellationToken)
    {
        var built = construct is IObjectCreationOperation options ? BuiltFrom(options) : construct;
        if (built is null || construct.SemanticModel is not { } model)
        {
            return null;
        }

        var walk = new Walk(model, cancellationToken);
        return walk.FollowValue(built) && walk.Run() && walk.Callbacks.Count > 0 ? walk.Callbacks : null;
    }

    /// <summary>The <c>Build()</c> call of the pipeline the options are added to, or null when it cannot be seen.</summary>
    private static IOperation? BuiltFrom(IObjectCreationOperation options)
    {
        if (AddedBy(options) is not { } addRetry)
        {
            return null;
        }

        // builder.AddRetry(options).AddTimeout(...).Build()
        IOperation current = addRetry;
        while (CalledOn(current) is { } next)
        {
            if (next.TargetMethod.Name == "Build")
            {
                return next;
            }

            current = next;
        }

        // var builder = new ResiliencePipelineBuilder(); builder.AddRetry(options); var pipeline = builder.Build();
        var root = addRetry;
        while (OperationTree.Receiver(root) is IInvocationOperation inner)
        {
            root = inner;
        }

        if (OperationTree.Receiver(root) is not ILocalReferenceOperation { Local: var builder })
        {
            return null;
        }

        IOperation? build = null;
        foreach (var operation in OperationTree.Root(addRetry).Descendants())
        {
            if (operation is IInvocationOperation { TargetMethod.Name: "Build" } call
                && OperationTree.Receiver(call) is ILocalReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Local, builder))
            {
                if (build is not null)
                {
                    return null;
                }

                build = call;
            }
        }

        return build;
    }

    /// <summary>The <c>AddRetry</c> call the options are passed to: directly, or through the one local that holds them.</summary>
    private static IInvocationOperation? AddedBy(IObjectCreationOperation options)
    {
        var value = OperationTree.Outer(options);
        if (value.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "AddRetry" } direct })
        {
            return direct;
        }

        if (value.Parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: var local } })
        {
            return null;
        }

        IInvocationOperation? addRetry = null;
        foreach (var operation in OperationTree.Root(options).Descendants())
        {
            if (operation is ILocalReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Local, local)
                && OperationTree.Outer(reference).Parent is IArgumentOperation { Parent: IInvocationOperation call })
            {
                if (call.TargetMethod.Name != "AddRetry" || addRetry is not null)
                {
                    return null;
                }

                addRetry = call;
            }
        }

        return addRetry;
    }

    /// <summary>The call made on <paramref name="value"/> (as its instance, or the first argument of an extension method).</summary>
    private static IInvocationOperation? CalledOn(IOperation value)
    {
        var outer = OperationTree.Outer(value);
        return outer.Parent switch
        {
            IInvocationOperation call when call.Instance == outer => call,
            IArgumentOperation { Parent: IInvocationOperation { TargetMethod.IsExtensionMethod: true } call } argument
                when call.Arguments.Length > 0 && call.Arguments[0] == argument => call,
            _ => null,
        };
    }

    private static bool IsExecution(IMethodSymbol method) => method.Name.StartsWith("Execute", StringComparison.Ordinal);

    private sealed class Walk
    {
        private readonly SemanticModel _model;
        private readonly CancellationToken _cancellationToken;
        private readonly Queue<ISymbol> _pending = new();
        private readonly HashSet<ISymbol> _seen = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<ISymbol, IOperation> _localScopes = new(SymbolEqualityComparer.Default);

        public Walk(SemanticModel model, CancellationToken cancellationToken)
        {
            _model = model;
            _cancellationToken = cancellationToken;
        }

        public List<IOperation> Callbacks { get; } = new();

        /// <summary>Follows every holder found so far; false as soon as one use of the retry cannot be followed.</summary>
        public bool Run()
        {
            while (_pending.Count > 0)
            {
                _cancellationToken.ThrowIfCancellationRequested();
                var holder = _pending.Dequeue();
                if (!(holder is ILocalSymbol local ? FollowLocal(local) : FollowMember(holder)))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>Where one read of the pipeline or policy goes.</summary>
        public bool FollowValue(IOperation value)
        {
            var outer = OperationTree.Outer(value);
            if (CalledOn(value) is { } call)
            {
                return IsExecution(call.TargetMethod) && AddCallback(call);
            }

            switch (outer.Parent)
            {
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    _localScopes[declarator.Symbol] = OperationTree.Root(declarator);
                    return Hold(declarator.Symbol);
                case IFieldInitializerOperation { InitializedFields.Length: 1 } field:
                    return Hold(field.InitializedFields[0]);
                case IPropertyInitializerOperation { InitializedProperties.Length: 1 } property:
                    return Hold(property.InitializedProperties[0]);
                case ISimpleAssignmentOperation assignment when assignment.Value == outer:
                    return assignment.Target is ILocalReferenceOperation target
                        ? Scope(target) && Hold(target.Local)
                        : Hold(OperationTree.ReferencedSymbol(assignment.Target));
                case ICoalesceAssignmentOperation coalesce when coalesce.Value == outer:
                    return Hold(OperationTree.ReferencedSymbol(coalesce.Target)) && FollowValue(coalesce);
                case ICoalesceOperation coalesce:
                    return FollowValue(coalesce);
                case IReturnOperation:
                    return Hold(_model.GetEnclosingSymbol(outer.Syntax.SpanStart, _cancellationToken) switch
                    {
                        IMethodSymbol { MethodKind: MethodKind.PropertyGet } getter => getter.AssociatedSymbol,
                        IMethodSymbol { MethodKind: MethodKind.Ordinary } method => method,
                        _ => null,
                    });
                case IBinaryOperation or IIsPatternOperation:
                    // Tested against null: nothing runs.
                    return true;
                case IExpressionStatementOperation:
                    return true;
                default:
                    return false;
            }
        }

        private bool Scope(ILocalReferenceOperation reference)
        {
            _localScopes[reference.Local] = OperationTree.Root(reference);
            return true;
        }

        private bool Hold(ISymbol? holder)
        {
            if (holder is null)
            {
                return false;
            }

            if (_seen.Contains(holder))
            {
                return true;
            }

            if (_seen.Count >= MaxHolders)
            {
                return false;
            }

            _seen.Add(holder);
            _pending.Enqueue(holder);
            return true;
        }

        private bool FollowLocal(ILocalSymbol local)
        {
            if (!_localScopes.TryGetValue(local, out var scope))
            {
                return false;
            }

            // Lambdas included: a pipeline executed inside one (Task.Run(() => pipeline.Execute(...))) is an execution too.
            foreach (var operation in scope.Descendants())
            {
                if (operation is ILocalReferenceOperation reference
                    && SymbolEqualityComparer.Default.Equals(reference.Local, local)
                    && !IsWritten(reference)
                    && !FollowValue(reference))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>
        /// A private field, property or method of a type declared in this file only: every use of it is in that
        /// declaration. A member anyone else can reach, or a type spread over files, has uses that cannot be seen.
        /// </summary>
        private bool FollowMember(ISymbol member)
        {
            if (member is not (IFieldSymbol or IPropertySymbol or IMethodSymbol)
                || member.DeclaredAccessibility != Accessibility.Private
                || member.ContainingType is not { } type)
            {
                return false;
            }

            foreach (var declaration in type.DeclaringSyntaxReferences)
            {
                if (declaration.SyntaxTree != _model.SyntaxTree)
                {
                    return false;
                }
            }

            foreach (var declaration in type.DeclaringSyntaxReferences)
            {
                foreach (var node in declaration.GetSyntax(_cancellationToken).DescendantNodes())
                {
                    if (node is IdentifierNameSyntax identifier
                        && identifier.Identifier.ValueText == member.Name
                        && Reference(identifier, member) is { } reference
                        && !IsWritten(reference)
                        && !FollowValue(reference))
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        /// <summary>The operation through which <paramref name="identifier"/> reads <paramref name="member"/>: the reference, or the call.</summary>
        private IOperation? Reference(IdentifierNameSyntax identifier, ISymbol member)
        {
            SyntaxNode? node = identifier;
            for (var depth = 0; depth < 3 && node is not null; depth++, node = node.Parent)
            {
                var operation = _model.GetOperation(node, _cancellationToken);
                var symbol = operation switch
                {
                    IInvocationOperation call => call.TargetMethod.OriginalDefinition,
                    IMethodReferenceOperation reference => reference.Method.OriginalDefinition,
                    IFieldReferenceOperation or IPropertyReferenceOperation => OperationTree.ReferencedSymbol(operation),
                    _ => null,
                };
                if (symbol is not null)
                {
                    return SymbolEqualityComparer.Default.Equals(symbol, member) ? operation : null;
                }
            }

            return null;
        }

        private static bool IsWritten(IOperation reference)
            => OperationTree.Outer(reference).Parent is IAssignmentOperation assignment && assignment.Target == OperationTree.Outer(reference);

        /// <summary>The delegate the execution runs: a lambda or anonymous method written there; anything else cannot be seen.</summary>
        private bool AddCallback(IInvocationOperation execution)
        {
            foreach (var argument in execution.Arguments)
            {
                var value = OperationTree.Unwrap(argument.Value);
                if (value is IDelegateCreationOperation creation)
                {
                    value = creation.Target;
                }

                if (value is IAnonymousFunctionOperation function)
                {
                    Callbacks.Add(function.Body);
                    return true;
                }

                if (argument.Parameter?.Type.TypeKind == TypeKind.Delegate)
                {
                    return false;
                }
            }

            return false;
        }
    }
}
