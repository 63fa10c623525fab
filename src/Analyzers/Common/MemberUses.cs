using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ResilienceAnalyzers.Common;

/// <summary>
/// Who calls a method, who hands it over as a delegate, and who fills or rewrites a field or property: the questions about
/// other members' code that RES022, RES023, RES030 and RES031 ask. Each is asked of a member that only its own type can use
/// (a private method or local function, a private or read-only field, a property without a public setter), so it is
/// answered from that type's declarations when first asked: the names in them that match the member's, each bound to see
/// whether it is that member. Whether a helper of the entry point's type is called from a loop is read from the syntax of
/// the whole compilation, also when first asked (<see cref="IsCalledFromALoop"/>). One per compilation (the composed analyzer's
/// families share it).
/// </summary>
/// <remarks>
/// The questions are asked of a few members per compilation, and the compilation has tens of thousands of invocations and
/// field references: reading the one type that can hold the uses, when asked, costs far less than indexing every use as the
/// callbacks go, and the answer is known at once, so the findings that ask show while typing, not only at compilation end.
/// Binding a use through the compilation's semantic model is the binding the analyzer driver does for that member anyway
/// (it shares the models), done earlier. The answers are kept per member; no operation or semantic model is.
/// </remarks>
internal sealed class MemberUses
{
    private static readonly ConditionalWeakTable<Compilation, MemberUses> ByCompilation = new();

    private readonly Compilation _compilation;
    private readonly Lazy<HashSet<INamedTypeSymbol>> _entryPointTypes;
    private readonly Lazy<Dictionary<string, List<InvocationExpressionSyntax>>> _callsInLoops;
    private readonly ConcurrentDictionary<IMethodSymbol, bool> _calledFromALoop = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, IReadOnlyCollection<SyntaxReference>?> _calls = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ISymbol, bool> _filled = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ISymbol, bool> _writtenAgain = new(SymbolEqualityComparer.Default);
    private readonly Func<IMethodSymbol, bool> _findCallFromALoop;
    private readonly Func<IMethodSymbol, IReadOnlyCollection<SyntaxReference>?> _findCalls;
    private readonly Func<ISymbol, bool> _findFill;
    private readonly Func<ISymbol, bool> _findWriteAgain;

    private MemberUses(Compilation compilation)
    {
        _compilation = compilation;
        _entryPointTypes = new Lazy<HashSet<INamedTypeSymbol>>(() => EntryPointTypes(compilation));
        _callsInLoops = new Lazy<Dictionary<string, List<InvocationExpressionSyntax>>>(() => CallsInLoops(compilation));
        _findCallFromALoop = FindCallFromALoop;
        _findCalls = FindCalls;
        _findFill = FindFill;
        _findWriteAgain = FindWriteAgain;
    }

    /// <summary>The uses for <paramref name="compilation"/>, shared by every family that asks.</summary>
    public static MemberUses For(Compilation compilation)
        => ByCompilation.GetValue(compilation, static c => new MemberUses(c));

    /// <summary>
    /// A type that declares the program's entry point (<c>static Main</c>, or top-level statements): its helpers run as
    /// the program starts, unless it calls them from a loop (<see cref="IsCalledFromALoop"/>).
    /// </summary>
    public bool IsEntryPointType(INamedTypeSymbol type)
    {
        var types = _entryPointTypes.Value;
        return types.Count > 0 && types.Contains(type.OriginalDefinition);
    }

    /// <summary>A method of an entry point's type that some code calls from inside a loop (or a lambda in one).</summary>
    /// <remarks>
    /// Asked of the few helpers of an entry point's type that hold a finding, so answered from the syntax when first asked
    /// rather than by looking up every call's target type as the callbacks go: the calls inside loops whose name is the
    /// method's, each bound to see whether it is that method.
    /// </remarks>
    public bool IsCalledFromALoop(IMethodSymbol method)
        => _calledFromALoop.GetOrAdd(method.OriginalDefinition, _findCallFromALoop);

    private bool FindCallFromALoop(IMethodSymbol method)
    {
        if (!_callsInLoops.Value.TryGetValue(method.Name, out var calls))
        {
            return false;
        }

        foreach (var call in calls)
        {
            if (_compilation.GetSemanticModel(call.SyntaxTree).GetSymbolInfo(call).Symbol is IMethodSymbol target && Is(target, method))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The compilation's calls inside a loop (or a lambda in one), by the name they call.</summary>
    private static Dictionary<string, List<InvocationExpressionSyntax>> CallsInLoops(Compilation compilation)
    {
        var calls = new Dictionary<string, List<InvocationExpressionSyntax>>(StringComparer.Ordinal);
        foreach (var tree in compilation.SyntaxTrees)
        {
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (node is not InvocationExpressionSyntax call || SyntaxShapes.CalledName(call) is not { } token
                    || !SyntaxShapes.IsInLoopBelow(call, limit: null))
                {
                    continue;
                }

                var name = token.ValueText;

                if (!calls.TryGetValue(name, out var named))
                {
                    calls[name] = named = new List<InvocationExpressionSyntax>();
                }

                named.Add(call);
            }
        }

        return calls;
    }

    /// <summary>
    /// Every call of a private method or local function that takes a collection (the calls' syntax), or null when it is also
    /// handed over as a delegate, so that some of its calls cannot be seen. Empty for any other method.
    /// </summary>
    public IReadOnlyCollection<SyntaxReference>? CallsOf(IMethodSymbol method)
    {
        method = method.OriginalDefinition;
        return IsOwnedByItsType(method) && TakesACollection(method) ? _calls.GetOrAdd(method, _findCalls) : Array.Empty<SyntaxReference>();
    }

    private IReadOnlyCollection<SyntaxReference>? FindCalls(IMethodSymbol method)
    {
        var calls = new List<SyntaxReference>();
        foreach (var (model, name) in NamesOf(method))
        {
            if (name.Parent is InvocationExpressionSyntax invocation && invocation.Expression == name)
            {
                if (model.GetOperation(invocation) is IInvocationOperation call && Is(call.TargetMethod, method))
                {
                    calls.Add(invocation.GetReference());
                }
            }
            else if (model.GetOperation(name) is IMethodReferenceOperation reference
                     && SymbolEqualityComparer.Default.Equals(reference.Method.OriginalDefinition, method))
            {
                // Handed over as a delegate: whoever it is handed to may call it with anything.
                return null;
            }
        }

        return calls;
    }

    /// <summary>Some code of the compilation fills the private field (<c>_items.Add(…)</c>) or hands it to a call that may.</summary>
    public bool IsFilled(IFieldSymbol field)
    {
        var original = field.OriginalDefinition;
        return original.DeclaredAccessibility == Accessibility.Private && _filled.GetOrAdd(original, _findFill);
    }

    private bool FindFill(ISymbol field)
    {
        foreach (var (model, name) in NamesOf(field))
        {
            if (model.GetOperation(name) is IFieldReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Field.OriginalDefinition, field)
                && Fills(OperationTree.Outer(reference)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Some write of the member (a field or a property that only its type can set) does not run once in the life of its
    /// holder: a constructor of the right kind, <c>Main</c>, or a lazy first write runs once; any other write, or a write in
    /// a lambda or local function, may run again.
    /// </summary>
    public bool IsWrittenAgain(ISymbol member)
    {
        member = member.OriginalDefinition;
        return IsOwnedByItsType(member) && _writtenAgain.GetOrAdd(member, _findWriteAgain);
    }

    private bool FindWriteAgain(ISymbol member)
    {
        foreach (var (model, name) in NamesOf(member))
        {
            var use = model.GetOperation(name) switch
            {
                IFieldReferenceOperation field when SymbolEqualityComparer.Default.Equals(field.Field.OriginalDefinition, member) => OperationTree.Outer(field),
                IPropertyReferenceOperation property when SymbolEqualityComparer.Default.Equals(property.Property.OriginalDefinition, member) => property,
                _ => null,
            };
            if (use is not null && EnclosingMember.At(model, name.SpanStart) is { } containingSymbol && IsWrittenAgain(use, member, containingSymbol))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A call's target is <paramref name="method"/>: its definition, an extension method as declared.</summary>
    private static bool Is(IMethodSymbol target, IMethodSymbol method)
        => SymbolEqualityComparer.Default.Equals((target.ReducedFrom ?? target).OriginalDefinition, method);

    /// <summary>
    /// A member whose every use is in its own type's declarations: a private method or field, a local function, a read-only
    /// field (written only by its type's constructors), a property without a setter or with a private one (for its writes).
    /// </summary>
    private static bool IsOwnedByItsType(ISymbol member)
        => member switch
        {
            IMethodSymbol method => method.MethodKind == MethodKind.LocalFunction || method is { MethodKind: MethodKind.Ordinary, DeclaredAccessibility: Accessibility.Private },
            IFieldSymbol field => field.DeclaredAccessibility == Accessibility.Private || field.IsReadOnly,
            IPropertySymbol property => property.SetMethod is null or { DeclaredAccessibility: Accessibility.Private },
            _ => false,
        };

    /// <summary>
    /// The names in the declarations of <paramref name="member"/>'s type (nested types and every partial part included) that
    /// match the member's, as the expressions that use it (<c>this._items</c>, <c>other.Run</c>, <c>x?.Field</c>: the
    /// member access), with the model that binds them. A local function's are in its type too.
    /// </summary>
    private IEnumerable<(SemanticModel Model, SyntaxNode Name)> NamesOf(ISymbol member)
    {
        if (member.ContainingType is not { } type)
        {
            yield break;
        }

        var name = member.Name;
        foreach (var declaration in type.DeclaringSyntaxReferences)
        {
            var root = declaration.GetSyntax();
            var model = _compilation.GetSemanticModel(root.SyntaxTree);
            foreach (var token in root.DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == name && token.Parent is SimpleNameSyntax simpleName)
                {
                    yield return (model, simpleName.Parent is MemberAccessExpressionSyntax access && access.Name == simpleName || simpleName.Parent is MemberBindingExpressionSyntax
                        ? simpleName.Parent
                        : simpleName);
                }
            }
        }
    }

    /// <summary>
    /// Called on (an extension method's receiver included, as it reads; <c>_items?.Add(…)</c> too): fills when named so.
    /// Handed to a call: may fill.
    /// </summary>
    private static bool Fills(IOperation use)
        => use.Parent switch
        {
            IInvocationOperation call => call.Instance == use && IsFilling(call.TargetMethod.Name),
            IConditionalAccessOperation access => access.Operation == use
                                                 && access.WhenNotNull is IInvocationOperation { Instance: IConditionalAccessInstanceOperation } call
                                                 && IsFilling(call.TargetMethod.Name),
            IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { IsExtensionMethod: true } extension }, Parameter.Ordinal: 0 } => IsFilling(extension.Name),
            IArgumentOperation => true,
            _ => false,
        };

    /// <summary>A write of the member that may run more than once in the life of its holder.</summary>
    /// <remarks>A <c>??=</c> writes only while the member is null.</remarks>
    private static bool IsWrittenAgain(IOperation use, ISymbol member, ISymbol containingSymbol)
    {
        var parent = use.Parent;
        switch (parent?.Kind)
        {
            case OperationKind.SimpleAssignment:
                var assignment = (ISimpleAssignmentOperation)parent;
                return assignment.Target == use && !(RunsOnceFor(assignment, member, containingSymbol) || OnlyWhileNull(assignment, member));
            case OperationKind.CompoundAssignment or OperationKind.DeconstructionAssignment:
                return ((IAssignmentOperation)parent).Target == use;
            case OperationKind.Increment or OperationKind.Decrement:
                return true;
            case OperationKind.Argument:
                return ((IArgumentOperation)parent).Parameter?.RefKind is RefKind.Ref or RefKind.Out;
            default:
                return false;
        }
    }

    /// <summary>The write is in a static constructor (static member), an instance constructor (singleton's member), or <c>Main</c>.</summary>
    private static bool RunsOnceFor(IOperation write, ISymbol member, ISymbol containingSymbol)
    {
        if (InAFunction(write) || containingSymbol is not IMethodSymbol method)
        {
            return false;
        }

        return method.MethodKind switch
        {
            MethodKind.StaticConstructor => member.IsStatic,
            MethodKind.Constructor => !member.IsStatic,
            _ => method.IsStatic && method.Name is "Main" or "<Main>$",
        };
    }

    /// <summary>Inside a lambda or a local function: it runs whenever it is called.</summary>
    private static bool InAFunction(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Under an <c>if</c> whose condition requires the member to be null: lazy initialization, done once.</summary>
    private static bool OnlyWhileNull(IOperation write, ISymbol member)
    {
        for (var conditional = OperationTree.Ancestor<IConditionalOperation>(write); conditional is not null; conditional = OperationTree.Ancestor<IConditionalOperation>(conditional))
        {
            if (conditional.WhenTrue is { } whenTrue && (whenTrue == write || OperationTree.IsWithin(write, whenTrue)) && RequiresNull(conditional.Condition, member))
            {
                return true;
            }
        }

        return false;
    }

    private static bool RequiresNull(IOperation condition, ISymbol member)
    {
        condition = OperationTree.Unwrap(condition)!;
        return condition switch
        {
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and => RequiresNull(and.LeftOperand, member) || RequiresNull(and.RightOperand, member),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equals
                => IsMember(equals.LeftOperand, member) && IsNull(equals.RightOperand) || IsMember(equals.RightOperand, member) && IsNull(equals.LeftOperand),
            IIsPatternOperation { Pattern: IConstantPatternOperation { Value: var constant } } pattern => IsMember(pattern.Value, member) && IsNull(constant),
            _ => false,
        };

        static bool IsMember(IOperation operand, ISymbol member) => SymbolEqualityComparer.Default.Equals(OperationTree.ReferencedSymbol(operand), member);

        static bool IsNull(IOperation operand) => OperationTree.Unwrap(operand)!.ConstantValue is { HasValue: true, Value: null };
    }

    /// <summary>A method that adds to the collection it is called on.</summary>
    public static bool IsFilling(string method)
        => method.StartsWith("Add", System.StringComparison.Ordinal) || method.StartsWith("Insert", System.StringComparison.Ordinal)
           || method is "Enqueue" or "Push" or "TryAdd";

    private bool TakesACollection(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            if (TypeFacts.IsCollection(parameter.Type))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The types that declare a static <c>Main</c>, or the top-level statements' <c>&lt;Main&gt;$</c>: found by name in the
    /// compilation's declarations once, not asked of each type a call goes to.
    /// </summary>
    private static HashSet<INamedTypeSymbol> EntryPointTypes(Compilation compilation)
    {
        var types = new HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var name in new[] { "Main", "<Main>$" })
        {
            // The declaration table answers whether the name is declared at all without making a symbol.
            if (!compilation.ContainsSymbolsWithName(name, SymbolFilter.Member))
            {
                continue;
            }

            foreach (var symbol in compilation.GetSymbolsWithName(name, SymbolFilter.Member))
            {
                if (symbol is IMethodSymbol { IsStatic: true, ContainingType: { } type })
                {
                    types.Add(type.OriginalDefinition);
                }
            }
        }

        return types;
    }
}
