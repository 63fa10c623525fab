using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ResilienceAnalyzers.Common;

/// <summary>
/// Who calls a method, who hands it over as a delegate, and who fills or rewrites a field or property, as the operation
/// callbacks the families register anyway see them (invocations, field references, assignments) plus method references:
/// the questions about other members' code that RES022, RES023, RES030 and RES031 ask, answered without walking any
/// syntax. The one exception is whether a helper of the entry point's type is called from a loop: asked of few methods,
/// it is read from the syntax when first asked (<see cref="IsCalledFromALoop"/>). One per compilation start context (the
/// composed analyzer's families share it).
/// </summary>
/// <remarks>
/// Every answer needs every use in the compilation, so it is known only once the callbacks are done: a question asked
/// before then throws <see cref="NotYetKnownException"/>, and the family keeps the finding's place to judge again at
/// compilation end (<see cref="Deferred"/>). Those findings show in builds and full-solution analysis, not while typing.
/// The facts kept are symbols and syntax references, never operations or semantic models.
/// </remarks>
internal sealed class MemberUses
{
    private static readonly ConditionalWeakTable<CompilationStartAnalysisContext, MemberUses> ByContext = new();

    private readonly Compilation _compilation;
    private readonly Lazy<HashSet<INamedTypeSymbol>> _entryPointTypes;
    private readonly Lazy<Dictionary<string, List<InvocationExpressionSyntax>>> _callsInLoops;
    private readonly ConcurrentDictionary<IMethodSymbol, bool> _calledFromALoop = new(SymbolEqualityComparer.Default);
    private readonly Func<IMethodSymbol, bool> _findCallFromALoop;

    // Every call of a private method or local function, in one queue (a queue per method cost a segment of 32 slots for each
    // of the hundreds of methods called), grouped by method when first asked.
    private readonly ConcurrentQueue<(IMethodSymbol Method, SyntaxReference Call)> _calls = new();
    private readonly Lazy<Dictionary<IMethodSymbol, List<SyntaxReference>>> _callsByMethod;
    private readonly ConcurrentDictionary<IMethodSymbol, byte> _handedOver = new(SymbolEqualityComparer.Default);

    // Filled fields and members written again, one entry per use as the callbacks see them (most field references of a
    // compilation pass through here, and appending costs no hashing, no lock and no table growth), made sets when first asked.
    private readonly ConcurrentQueue<ISymbol> _fills = new();
    private readonly ConcurrentQueue<ISymbol> _writesAgain = new();
    private readonly Lazy<HashSet<ISymbol>> _filled;
    private readonly Lazy<HashSet<ISymbol>> _writtenAgain;
    private volatile bool _complete;

    private MemberUses(Compilation compilation)
    {
        _compilation = compilation;
        _entryPointTypes = new Lazy<HashSet<INamedTypeSymbol>>(() => EntryPointTypes(compilation));
        _callsInLoops = new Lazy<Dictionary<string, List<InvocationExpressionSyntax>>>(() => CallsInLoops(compilation));
        _callsByMethod = new Lazy<Dictionary<IMethodSymbol, List<SyntaxReference>>>(GroupCalls);
        _filled = new Lazy<HashSet<ISymbol>>(() => new HashSet<ISymbol>(_fills, SymbolEqualityComparer.Default));
        _writtenAgain = new Lazy<HashSet<ISymbol>>(() => new HashSet<ISymbol>(_writesAgain, SymbolEqualityComparer.Default));
        _findCallFromALoop = FindCallFromALoop;
    }

    /// <summary>The uses seen through <paramref name="context"/>: registered on it the first time a family asks.</summary>
    public static MemberUses On(CompilationStartAnalysisContext context)
    {
        if (ByContext.TryGetValue(context, out var existing))
        {
            return existing;
        }

        // Families register one after another on one thread: no race between the check and the add.
        var uses = new MemberUses(context.Compilation);
        ByContext.Add(context, uses);
        context.RegisterOperationAction(c => uses.OnInvocation((IInvocationOperation)c.Operation), OperationKind.Invocation);
        context.RegisterOperationAction(c => uses.OnMethodReference((IMethodReferenceOperation)c.Operation), OperationKind.MethodReference);
        context.RegisterOperationAction(c => uses.OnFieldReference((IFieldReferenceOperation)c.Operation, c.ContainingSymbol), OperationKind.FieldReference);
        context.RegisterOperationAction(c => uses.OnAssignment((ISimpleAssignmentOperation)c.Operation, c.ContainingSymbol), OperationKind.SimpleAssignment);
        return uses;
    }

    /// <summary>Called first by every compilation end action that judges deferred findings: every use has been seen.</summary>
    public void Complete() => _complete = true;

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
    {
        EnsureComplete();
        return _calledFromALoop.GetOrAdd(method.OriginalDefinition, _findCallFromALoop);
    }

    private bool FindCallFromALoop(IMethodSymbol method)
    {
        if (!_callsInLoops.Value.TryGetValue(method.Name, out var calls))
        {
            return false;
        }

        foreach (var call in calls)
        {
            if (_compilation.GetSemanticModel(call.SyntaxTree).GetSymbolInfo(call).Symbol is IMethodSymbol target
                && SymbolEqualityComparer.Default.Equals((target.ReducedFrom ?? target).OriginalDefinition, method))
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
    /// handed over as a delegate, so that some of its calls cannot be seen.
    /// </summary>
    public IReadOnlyCollection<SyntaxReference>? CallsOf(IMethodSymbol method)
    {
        EnsureComplete();
        method = method.OriginalDefinition;
        if (_handedOver.ContainsKey(method))
        {
            return null;
        }

        return TakesACollection(method) && _callsByMethod.Value.TryGetValue(method, out var calls) ? calls : System.Array.Empty<SyntaxReference>();
    }

    private Dictionary<IMethodSymbol, List<SyntaxReference>> GroupCalls()
    {
        var byMethod = new Dictionary<IMethodSymbol, List<SyntaxReference>>(SymbolEqualityComparer.Default);
        foreach (var (method, call) in _calls)
        {
            if (!byMethod.TryGetValue(method, out var calls))
            {
                byMethod[method] = calls = new List<SyntaxReference>();
            }

            calls.Add(call);
        }

        return byMethod;
    }

    /// <summary>Some code of the compilation fills the private field (<c>_items.Add(…)</c>) or hands it to a call that may.</summary>
    public bool IsFilled(IFieldSymbol field)
    {
        EnsureComplete();
        return _filled.Value.Contains(field.OriginalDefinition);
    }

    /// <summary>
    /// Some write of the member (a field or a property that only its type can set) does not run once in the life of its
    /// holder: each write was judged as the callbacks saw it (a constructor of the right kind, <c>Main</c>, a lazy first
    /// write), outside any lambda or local function.
    /// </summary>
    public bool IsWrittenAgain(ISymbol member)
    {
        EnsureComplete();
        return _writtenAgain.Value.Contains(member.OriginalDefinition);
    }

    private void EnsureComplete()
    {
        if (!_complete)
        {
            throw new NotYetKnownException();
        }
    }

    private void OnInvocation(IInvocationOperation call)
    {
        // A private method or a local function is always this compilation's: called from its own type. Every such call is kept
        // and CallsOf asks whether the method takes a collection: the few methods asked about cost less to judge than the
        // hundreds called (a parameter type's interfaces, listed anew on every ask, on the first call of each method).
        var method = call.TargetMethod;
        if (method.MethodKind == MethodKind.LocalFunction || method is { MethodKind: MethodKind.Ordinary, DeclaredAccessibility: Accessibility.Private })
        {
            _calls.Enqueue((method.OriginalDefinition, call.Syntax.GetReference()));
        }
    }

    private void OnMethodReference(IMethodReferenceOperation reference)
    {
        if (reference.Method.MethodKind is MethodKind.LocalFunction or MethodKind.Ordinary
            && SymbolEqualityComparer.Default.Equals(reference.Method.ContainingAssembly, _compilation.Assembly))
        {
            Mark(_handedOver, reference.Method.OriginalDefinition);
        }
    }

    private void OnFieldReference(IFieldReferenceOperation reference, ISymbol containingSymbol)
    {
        var field = reference.Field;
        var isPrivate = field.DeclaredAccessibility == Accessibility.Private;
        if (!isPrivate && !field.IsReadOnly)
        {
            return;
        }

        var use = OperationTree.Outer(reference);
        if (isPrivate && Fills(use))
        {
            _fills.Enqueue(field.OriginalDefinition);
        }

        if (IsWrittenAgain(use, field, containingSymbol))
        {
            _writesAgain.Enqueue(field.OriginalDefinition);
        }
    }

    /// <summary>
    /// Called on (an extension method's receiver included, as it reads): fills when named so. Handed to a call: may fill.
    /// Told by the parent's kind: this runs on most field references of a compilation, and an interface type test scans the
    /// operation class's interfaces.
    /// </summary>
    private static bool Fills(IOperation use)
    {
        switch (use.Parent?.Kind)
        {
            case OperationKind.Invocation:
                var call = (IInvocationOperation)use.Parent;
                return call.Instance == use && IsFilling(call.TargetMethod.Name);
            case OperationKind.Argument:
                return use.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { IsExtensionMethod: true } extension }, Parameter.Ordinal: 0 }
                    ? IsFilling(extension.Name)
                    : true;
            default:
                return false;
        }
    }

    private void OnAssignment(ISimpleAssignmentOperation assignment, ISymbol containingSymbol)
    {
        if (assignment.Target is IPropertyReferenceOperation { Property: { } property } target
            && property.SetMethod is null or { DeclaredAccessibility: Accessibility.Private }
            && IsWrittenAgain(target, property, containingSymbol))
        {
            _writesAgain.Enqueue(property.OriginalDefinition);
        }
    }

    /// <summary>Adds <paramref name="key"/> unless it is there: a dictionary takes a lock to add, none to look.</summary>
    private static void Mark<TKey>(ConcurrentDictionary<TKey, byte> set, TKey key)
        where TKey : notnull
    {
        if (!set.ContainsKey(key))
        {
            set.TryAdd(key, 0);
        }
    }

    /// <summary>A write of the member that may run more than once in the life of its holder.</summary>
    /// <remarks>Told by the parent's kind, as <see cref="Fills"/>. A <c>??=</c> writes only while the member is null.</remarks>
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

    /// <summary>Thrown by a question asked before every use has been seen; caught by the family, which defers the finding.</summary>
    public sealed class NotYetKnownException : System.Exception
    {
    }

    /// <summary>
    /// The places of findings that asked a question before its answer was known: judged again, in the same way, at
    /// compilation end. A place is the syntax the callback saw and the symbol it ran for.
    /// </summary>
    public sealed class Deferred
    {
        private readonly ConcurrentQueue<(SyntaxReference Syntax, ISymbol ContainingSymbol)> _places = new();

        public void Add(IOperation operation, ISymbol containingSymbol) => _places.Enqueue((operation.Syntax.GetReference(), containingSymbol));

        /// <summary>The operations again, bound anew (the callbacks' semantic models are gone), with the symbols they ran for.</summary>
        public IEnumerable<(IOperation Operation, ISymbol ContainingSymbol)> Operations(Compilation compilation, System.Threading.CancellationToken cancellationToken)
        {
            var models = new Dictionary<SyntaxTree, SemanticModel>();
            foreach (var (syntax, containingSymbol) in _places)
            {
                if (!models.TryGetValue(syntax.SyntaxTree, out var model))
                {
                    model = compilation.GetSemanticModel(syntax.SyntaxTree);
                    models.Add(syntax.SyntaxTree, model);
                }

                if (model.GetOperation(syntax.GetSyntax(cancellationToken), cancellationToken) is { } operation)
                {
                    yield return (operation, containingSymbol);
                }
            }
        }
    }
}
