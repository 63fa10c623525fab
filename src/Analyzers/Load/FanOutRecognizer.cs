using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Load;

/// <summary>How the calls of a fan-out are started, which the RES031 message says.</summary>
public enum FanOutPace
{
    /// <summary><c>Task.WhenAll</c> over tasks that were all started before it is awaited.</summary>
    AllAtOnce,

    /// <summary><c>Parallel.ForEach</c> with no <c>MaxDegreeOfParallelism</c>: as many at once as the thread pool gives threads.</summary>
    ThreadPool,

    /// <summary><c>MaxDegreeOfParallelism = int.MaxValue</c>: a limit that never limits.</summary>
    Unlimited,
}

/// <summary>RES031: one outbound call started per item of a collection whose size the code does not bound, with nothing limiting how many run together.</summary>
public sealed class FanOut
{
    public FanOut(IInvocationOperation call, string method, FanOutPace pace, string outboundCall, string source)
    {
        Call = call;
        Method = method;
        Pace = pace;
        OutboundCall = outboundCall;
        Source = source;
    }

    /// <summary>The <c>Task.WhenAll</c> or <c>Parallel.ForEach*</c> call, where the diagnostic goes.</summary>
    public IInvocationOperation Call { get; }

    /// <summary><c>Task.WhenAll</c>, <c>Parallel.ForEach</c> or <c>Parallel.ForEachAsync</c>.</summary>
    public string Method { get; }

    public FanOutPace Pace { get; }

    /// <summary>The outbound call made per item, as <c>Type.Method</c>.</summary>
    public string OutboundCall { get; }

    /// <summary>The source text of the collection fanned out.</summary>
    public string Source { get; }
}

/// <summary>
/// RES031: recognises an unbounded fan-out of outbound calls (RULES.md, RES031):
/// <list type="bullet">
/// <item><c>Task.WhenAll(source.Select(x =&gt; …))</c>, directly, through <c>ToList()</c>/<c>ToArray()</c>, or through one
/// local whose every write is seen;</item>
/// <item><c>Task.WhenAll(tasks)</c> where <c>tasks</c> is a list filled by <c>tasks.Add(…)</c> in a <c>foreach</c> that
/// awaits nothing;</item>
/// <item><c>Parallel.ForEach</c> with no <c>MaxDegreeOfParallelism</c>, and <c>Parallel.ForEach*</c> with
/// <c>MaxDegreeOfParallelism = int.MaxValue</c>;</item>
/// </list>
/// where the work per item makes an outbound call (<see cref="OutboundOperations"/>), the collection's size is not bounded
/// in sight (a constant-size array or range, <c>Take</c>, <c>Chunk</c>), and no throttle is in sight (a <c>SemaphoreSlim</c>,
/// a rate limiter, a Polly policy or pipeline, in the work or in what it visibly calls). Certain or silent: whatever cannot
/// be seen (a task list from elsewhere, options from a field, a callee's body in another file whose type holds a throttle)
/// leaves it silent.
/// </summary>
internal sealed class FanOutRecognizer
{
    /// <summary>Calls into the compilation followed when looking for a throttle, and hops through locals.</summary>
    private const int MaxDepth = 3;

    /// <summary>LINQ calls followed up a chain.</summary>
    private const int MaxChain = 16;

    /// <summary>Longest collection text quoted in the message.</summary>
    private const int MaxSourceText = 60;

    private readonly LoadTypes _types;
    private readonly OutboundOperations _outbound;
    private readonly MemberUses _uses;

    public FanOutRecognizer(LoadTypes types, OutboundOperations outbound, MemberUses uses)
    {
        _types = types;
        _outbound = outbound;
        _uses = uses;
    }

    private enum SizeBound
    {
        /// <summary>The code bounds how many items there are: a constant-size array, a constant range, <c>Take</c>, <c>Chunk</c>.</summary>
        Bounded,

        /// <summary>A count the code chose that cannot be read (<c>Enumerable.Range(0, workers)</c>): a worker count, not data.</summary>
        Unknown,

        /// <summary>Nothing in sight bounds it: a parameter, a query result, a property.</summary>
        Unbounded,
    }

    private enum Dop
    {
        /// <summary>No <c>MaxDegreeOfParallelism</c> in sight, or <c>-1</c>: the method's own default.</summary>
        Default,

        /// <summary><c>int.MaxValue</c>.</summary>
        Unlimited,

        /// <summary>Any other value, or options that cannot be seen, or a scheduler that may limit: silent.</summary>
        Limited,
    }

    /// <summary>Cheap test before any other work: the method is named like one this recogniser knows.</summary>
    public static bool IsCandidate(IMethodSymbol method) => method.Name is "WhenAll" or "ForEach" or "ForEachAsync";

    public FanOut? Recognize(IInvocationOperation invocation, CancellationToken cancellationToken)
    {
        var method = invocation.TargetMethod;
        if (method.Name == "WhenAll" && Same(method.ContainingType, _types.Task))
        {
            return WhenAll(invocation, cancellationToken);
        }

        if (method.Name is "ForEach" or "ForEachAsync" && Same(method.ContainingType, _types.Parallel))
        {
            return ParallelLoop(invocation, cancellationToken);
        }

        return null;
    }

    private FanOut? WhenAll(IInvocationOperation whenAll, CancellationToken cancellationToken)
    {
        // WhenAll(first, second) passes a fixed number of tasks: only a collection handed over whole can be unbounded.
        if (whenAll.Arguments.Length != 1 || whenAll.Arguments[0].ArgumentKind != ArgumentKind.Explicit)
        {
            return null;
        }

        var tasks = Materialized(whenAll.Arguments[0].Value);
        if (tasks is not ILocalReferenceOperation local)
        {
            return Projection(whenAll, tasks, cancellationToken);
        }

        if (LocalWrites.Values(local.Local, local) is not { } writes)
        {
            return null;
        }

        if (writes.TrueForAll(IsNewList))
        {
            return LoopBuilt(whenAll, local, cancellationToken);
        }

        FanOut? first = null;
        foreach (var write in writes)
        {
            // Every value the local is given is a fan-out, or it is not judged.
            if (Projection(whenAll, Materialized(write), cancellationToken) is not { } found)
            {
                return null;
            }

            first ??= found;
        }

        return first;
    }

    /// <summary><c>source.Select(x =&gt; outbound call)</c> over an unbounded source, with no throttle in the work.</summary>
    private FanOut? Projection(IInvocationOperation whenAll, IOperation? tasks, CancellationToken cancellationToken)
    {
        if (tasks is not IInvocationOperation { TargetMethod.Name: "Select", Arguments.Length: 2 } select
            || !Same(select.TargetMethod.ContainingType, _types.Enumerable)
            || Size(select.Arguments[0].Value, 0) != SizeBound.Unbounded)
        {
            return null;
        }

        var work = new WorkSearch(cancellationToken);
        InspectDelegate(select.Arguments[1].Value, work);
        return work is { Outbound: { } call, Throttled: false }
            ? new FanOut(whenAll, "Task.WhenAll", FanOutPace.AllAtOnce, call, Describe(select.Arguments[0].Value))
            : null;
    }

    /// <summary>
    /// <c>var tasks = new List&lt;Task&gt;(); foreach (var x in source) tasks.Add(outbound call); await Task.WhenAll(tasks);</c>.
    /// A list that tasks are also taken out of (a window, a batch) or filled in a loop that awaits something is paced.
    /// </summary>
    private FanOut? LoopBuilt(IInvocationOperation whenAll, ILocalReferenceOperation tasks, CancellationToken cancellationToken)
    {
        FanOut? found = null;
        foreach (var operation in OperationTree.Root(tasks).Descendants())
        {
            if (operation is not IInvocationOperation call || !IsOn(call, tasks.Local))
            {
                continue;
            }

            switch (call.TargetMethod.Name)
            {
                case "Add" when call.Arguments.Length == 1:
                    break;
                case "AddRange" when call.Arguments.Length == 1:
                    found ??= Projection(whenAll, Materialized(call.Arguments[0].Value), cancellationToken);
                    continue;
                case "Clear" or "Remove" or "RemoveAt" or "RemoveAll" or "RemoveRange":
                    return null;
                default:
                    continue;
            }

            var loop = OperationTree.Ancestor<ILoopOperation>(call);
            if (loop is null)
            {
                // Added once, not per item.
                continue;
            }

            if (loop is not IForEachLoopOperation { IsAsynchronous: false } each || Paces(each.Body))
            {
                return null;
            }

            if (found is not null || Size(each.Collection, 0) != SizeBound.Unbounded)
            {
                continue;
            }

            var work = new WorkSearch(cancellationToken);
            Inspect(call.Arguments[0].Value, work, depth: 0);
            if (work is { Outbound: { } outbound, Throttled: false })
            {
                found = new FanOut(whenAll, "Task.WhenAll", FanOutPace.AllAtOnce, outbound, Describe(each.Collection));
            }
        }

        return found;
    }

    /// <summary>The loop body waits for something on each item (an await, a semaphore, another WhenAll), so it sets a pace.</summary>
    private bool Paces(IOperation body)
    {
        foreach (var operation in OperationTree.Descendants(body))
        {
            switch (operation)
            {
                case IAwaitOperation:
                    return true;
                case IInvocationOperation call when (call.TargetMethod.Name.StartsWith("When", StringComparison.Ordinal) || call.TargetMethod.Name.StartsWith("Wait", StringComparison.Ordinal))
                                                    && Same(call.TargetMethod.ContainingType, _types.Task):
                    return true;
                case ILocalReferenceOperation or IFieldReferenceOperation or IParameterReferenceOperation or IPropertyReferenceOperation when IsThrottle(operation.Type):
                    return true;
            }
        }

        return false;
    }

    private FanOut? ParallelLoop(IInvocationOperation loop, CancellationToken cancellationToken)
    {
        var isAsync = loop.TargetMethod.Name == "ForEachAsync";
        IArgumentOperation? source = null, options = null, body = null;
        foreach (var argument in loop.Arguments)
        {
            switch (argument.Parameter?.Name)
            {
                case "source":
                    source = argument;
                    break;
                case "parallelOptions":
                    options = argument;
                    break;
                case "body":
                    body = argument;
                    break;
            }
        }

        if (source is null || body is null)
        {
            return null;
        }

        // Parallel.ForEach: ParallelOptions.MaxDegreeOfParallelism is -1 unless set, "no upper bound", and the loop then
        // starts as many workers as the scheduler runs (TaskReplicator.Run takes int.MaxValue for a level that is not
        // positive; dotnet/runtime src/libraries/System.Threading.Tasks.Parallel/src/System/Threading/Tasks/Parallel.cs
        // and TaskReplicator.cs), which for blocking calls is as many as the thread pool injects.
        // Parallel.ForEachAsync: with no options, or options whose MaxDegreeOfParallelism is -1, it runs at most
        // Environment.ProcessorCount bodies at once ("if (dop < 0) dop = DefaultDegreeOfParallelism", Parallel.ForEachAsync.cs,
        // .NET 6 and later; documented in its remarks): bounded, not reported.
        var dop = options is null ? Dop.Default : MaxDegreeOfParallelism(options.Value);
        FanOutPace pace;
        if (dop == Dop.Unlimited)
        {
            pace = FanOutPace.Unlimited;
        }
        else if (dop == Dop.Default && !isAsync)
        {
            pace = FanOutPace.ThreadPool;
        }
        else
        {
            return null;
        }

        if (Size(source.Value, 0) != SizeBound.Unbounded)
        {
            return null;
        }

        var work = new WorkSearch(cancellationToken);
        InspectDelegate(body.Value, work);
        return work is { Outbound: { } call, Throttled: false }
            ? new FanOut(loop, isAsync ? "Parallel.ForEachAsync" : "Parallel.ForEach", pace, call, Describe(source.Value))
            : null;
    }

    /// <summary>What the <c>ParallelOptions</c> passed say about <c>MaxDegreeOfParallelism</c>.</summary>
    private Dop MaxDegreeOfParallelism(IOperation options)
    {
        switch (OperationTree.Unwrap(options))
        {
            case IObjectCreationOperation creation when Same(creation.Type, _types.ParallelOptions):
                return Settings(creation.Initializer?.Initializers, Dop.Default);
            case ILocalReferenceOperation local:
                if (LocalWrites.Values(local.Local, local) is not { } writes)
                {
                    return Dop.Limited;
                }

                var dop = Dop.Default;
                foreach (var write in writes)
                {
                    if (OperationTree.Unwrap(write) is not IObjectCreationOperation creation || !Same(creation.Type, _types.ParallelOptions))
                    {
                        return Dop.Limited;
                    }

                    dop = Combine(dop, Settings(creation.Initializer?.Initializers, Dop.Default));
                }

                // options.MaxDegreeOfParallelism = …; later in the same body.
                foreach (var operation in OperationTree.Root(local).Descendants())
                {
                    if (operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Instance: { } instance } } assignment
                        && OperationTree.Unwrap(instance) is ILocalReferenceOperation target
                        && SymbolEqualityComparer.Default.Equals(target.Local, local.Local))
                    {
                        dop = Combine(dop, Setting(assignment));
                    }
                }

                return dop;
            default:
                // A field, a parameter, a helper's result: cannot be seen.
                return Dop.Limited;
        }
    }

    private static Dop Settings(IEnumerable<IOperation>? initializers, Dop dop)
    {
        if (initializers is null)
        {
            return dop;
        }

        foreach (var initializer in initializers)
        {
            if (initializer is ISimpleAssignmentOperation assignment)
            {
                dop = Combine(dop, Setting(assignment));
            }
        }

        return dop;
    }

    /// <summary>One assignment to a <c>ParallelOptions</c> property.</summary>
    private static Dop Setting(ISimpleAssignmentOperation assignment)
    {
        if (assignment.Target is not IPropertyReferenceOperation { Property.Name: var name })
        {
            return Dop.Default;
        }

        var value = OperationTree.Unwrap(assignment.Value);
        switch (name)
        {
            case "MaxDegreeOfParallelism":
                return value?.ConstantValue is { HasValue: true, Value: int constant }
                    ? constant switch
                    {
                        -1 => Dop.Default,
                        int.MaxValue => Dop.Unlimited,
                        _ => Dop.Limited,
                    }
                    : Dop.Limited;
            case "TaskScheduler":
                // The default scheduler sets no limit; any other may (ConcurrentExclusiveSchedulerPair, a limited-concurrency scheduler).
                return value is IPropertyReferenceOperation { Property.Name: "Default", Property.IsStatic: true } ? Dop.Default : Dop.Limited;
            default:
                return Dop.Default;
        }
    }

    private static Dop Combine(Dop first, Dop second)
        => first == Dop.Limited || second == Dop.Limited ? Dop.Limited
            : first == Dop.Unlimited || second == Dop.Unlimited ? Dop.Unlimited
            : Dop.Default;

    /// <summary>How big a collection can be, as far as the code shows.</summary>
    private SizeBound Size(IOperation? operation, int depth)
    {
        operation = OperationTree.Unwrap(operation);
        if (operation is null || depth > MaxChain)
        {
            return SizeBound.Unknown;
        }

        if (operation.Syntax is CollectionExpressionSyntax collection)
        {
            // [a, b, c] holds what it lists; a spread holds what it spreads.
            return HasSpread(collection) ? SizeBound.Unbounded : SizeBound.Bounded;
        }

        if (operation.ConstantValue.HasValue)
        {
            return SizeBound.Bounded;
        }

        switch (operation)
        {
            case ITranslatedQueryOperation query:
                return Size(query.Operation, depth + 1);
            case IArrayCreationOperation array:
                return array.Initializer is not null || AllConstant(array.DimensionSizes) ? SizeBound.Bounded : SizeBound.Unbounded;
            case IObjectCreationOperation creation:
                // new List<T> { a, b } holds what its initializer lists; new List<T>(items) holds items.
                foreach (var argument in creation.Arguments)
                {
                    if (argument.Value.Type is { SpecialType: not SpecialType.System_Int32 } argumentType && TypeFacts.IsCollection(argumentType))
                    {
                        return Size(argument.Value, depth + 1);
                    }
                }

                return SizeBound.Bounded;
            case IInvocationOperation invocation:
                return InvocationSize(invocation, depth);
            case ILocalReferenceOperation local:
                return LocalSize(local, depth);
            case IParameterReferenceOperation parameter:
                return ElementOfChunks(parameter) || (depth <= MaxDepth && PassedBounded(parameter, depth)) ? SizeBound.Bounded : SizeBound.Unbounded;
            case IFieldReferenceOperation field:
                return IsFixedArrayField(field.Field) || (depth <= MaxDepth && IsBoundedPrivateField(field, depth)) ? SizeBound.Bounded : SizeBound.Unbounded;
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                return Max(Size(conditional.WhenTrue, depth + 1), Size(whenFalse, depth + 1));
            case ICoalesceOperation coalesce:
                return Max(Size(coalesce.Value, depth + 1), Size(coalesce.WhenNull, depth + 1));
            case IAwaitOperation awaited:
                return Size(awaited.Operation, depth + 1);
            default:
                return SizeBound.Unbounded;
        }
    }

    private SizeBound InvocationSize(IInvocationOperation invocation, int depth)
    {
        var method = invocation.TargetMethod;
        var name = method.Name;
        if (IsBoundingCall(name))
        {
            return SizeBound.Bounded;
        }

        // Enum.GetValues<T>(), Enum.GetNames(typeof(T)): the members of a type.
        if (method.ContainingType?.SpecialType == SpecialType.System_Enum)
        {
            return SizeBound.Bounded;
        }

        // Partitioner.Create(0, count) splits a range into a few chunks; Partitioner.Create(items) partitions items.
        if (name == "Create" && method.ContainingType?.Name is "Partitioner" && invocation.Arguments.Length > 0)
        {
            var first = invocation.Arguments[0].Value;
            return first.Type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 ? SizeBound.Bounded : Size(first, depth + 1);
        }

        if (Same(method.ContainingType, _types.Enumerable))
        {
            switch (name)
            {
                case "Range" or "Repeat":
                    return CountSize(Argument(invocation, "count"), depth);
                case "Empty":
                    return SizeBound.Bounded;
                case "Concat" or "Union" when invocation.Arguments.Length == 2:
                    return Max(Size(invocation.Arguments[0].Value, depth + 1), Size(invocation.Arguments[1].Value, depth + 1));
                case "SelectMany":
                    // items.GroupBy(…).SelectMany(group => group.Chunk(100)): each element is a chunk, as after Chunk.
                    return invocation.Arguments.Length > 1 && ChunksInSelector(invocation.Arguments[1].Value) ? SizeBound.Bounded : SizeBound.Unbounded;
            }

            // Where, Select, OrderBy, Distinct, Skip, ToList, ToArray… hold at most what they are given.
            return invocation.Arguments.Length > 0 ? Size(invocation.Arguments[0].Value, depth + 1) : SizeBound.Unbounded;
        }

        // list.ToArray(), list.ToList(), immutable conversions: the same items.
        if (IsMaterializing(name) && OperationTree.Receiver(invocation) is { } receiver)
        {
            return Size(receiver, depth + 1);
        }

        // A query, a repository call, a parse of configuration: as many as it returns, unless it is asked for at most so many
        // (a limit, or a constant count of items: Generate(3), GetMessages(count: 10)), or it is a private method of this
        // file each of whose returns holds a bounded collection.
        if (FetchedWithLimit(invocation) || AskedForConstantCount(invocation))
        {
            return SizeBound.Bounded;
        }

        return depth <= MaxDepth && ReturnedSize(invocation, element: -1, depth) is { } returned ? returned : SizeBound.Unbounded;
    }

    /// <summary>
    /// What a method of the compilation whose bodies are all in this file returns, as far as each of its returns shows
    /// (<paramref name="element"/> of a returned tuple, or the whole value when it is -1): a private method or a local
    /// function, whose callers are all in sight. Null for any other method.
    /// </summary>
    private SizeBound? ReturnedSize(IInvocationOperation call, int element, int depth)
    {
        var method = call.TargetMethod.OriginalDefinition;
        if (!IsPrivateToThisFile(method, call.SemanticModel))
        {
            return null;
        }

        var size = SizeBound.Bounded;
        var returns = 0;
        foreach (var body in OperationTree.BodiesInSameFile(call))
        {
            foreach (var operation in OperationTree.Descendants(body))
            {
                if (operation is not IReturnOperation { ReturnedValue: { } value } returnOperation)
                {
                    continue;
                }

                if (returnOperation.Kind == OperationKind.YieldReturn)
                {
                    // An iterator yields as many items as its loops run.
                    return SizeBound.Unbounded;
                }

                returns++;
                var returned = element < 0 ? value : TupleElement(value, element);
                size = Max(size, returned is null ? SizeBound.Unbounded : Size(returned, depth + 1));
                if (size == SizeBound.Unbounded)
                {
                    return size;
                }
            }
        }

        return returns > 0 ? size : null;
    }

    /// <summary>The <paramref name="index"/>th element of a tuple literal (<c>return (first, second);</c>); null for any other value.</summary>
    private static IOperation? TupleElement(IOperation value, int index)
        => OperationTree.Unwrap(value) is ITupleOperation tuple && index < tuple.Elements.Length ? tuple.Elements[index] : null;

    /// <summary>
    /// A method only its own type can call, written whole in this file: a private method of a type declared in this file
    /// only (every part of it), or a local function. Its callers are all in sight.
    /// </summary>
    private static bool IsPrivateToThisFile(IMethodSymbol method, SemanticModel? model)
    {
        if (model is null || method.DeclaringSyntaxReferences.IsEmpty || method.IsAbstract || method.IsVirtual || method.IsOverride || method.IsExtern)
        {
            return false;
        }

        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree != model.SyntaxTree)
            {
                return false;
            }
        }

        if (method.MethodKind == MethodKind.LocalFunction)
        {
            return true;
        }

        if (method.MethodKind != MethodKind.Ordinary || method.DeclaredAccessibility != Accessibility.Private || method.ContainingType is not { } type)
        {
            return false;
        }

        foreach (var part in type.DeclaringSyntaxReferences)
        {
            if (part.SyntaxTree != model.SyntaxTree)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A parameter of a private method (or a local function) that every call in sight gives a collection of bounded size,
    /// and that the method neither replaces nor fills: <c>InsertAsync(items)</c> where every caller passes three generated
    /// items. A method also handed over as a delegate has callers that cannot be seen.
    /// </summary>
    private bool PassedBounded(IParameterReferenceOperation reference, int depth)
    {
        var parameter = reference.Parameter;
        if (parameter.RefKind != RefKind.None || parameter.IsParams
            || parameter.ContainingSymbol is not IMethodSymbol method
            || !IsPrivateToThisFile(method.OriginalDefinition, reference.SemanticModel)
            || reference.SemanticModel is not { } model
            || IsWrittenOrFilled(reference))
        {
            return false;
        }

        // Every call of the method, as the invocation callback saw them (the index throws until all are seen).
        if (_uses.CallsOf(method) is not { Count: > 0 } calls)
        {
            return false;
        }

        foreach (var syntax in calls)
        {
            var node = syntax.GetSyntax();
            var callModel = node.SyntaxTree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(node.SyntaxTree);
            if (callModel.GetOperation(node) is not IInvocationOperation call)
            {
                return false;
            }

            IOperation? passed = null;
            foreach (var argument in call.Arguments)
            {
                if (argument.Parameter?.Ordinal == parameter.Ordinal && argument.ArgumentKind == ArgumentKind.Explicit)
                {
                    passed = argument.Value;
                }
            }

            if (passed is null || Size(passed, depth + 1) != SizeBound.Bounded)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The method assigns the parameter, or fills the collection it was given (<c>items.Add(…)</c>).</summary>
    private static bool IsWrittenOrFilled(IParameterReferenceOperation reference)
    {
        foreach (var operation in OperationTree.Root(reference).Descendants())
        {
            var target = operation switch
            {
                ISimpleAssignmentOperation assignment => assignment.Target,
                ICompoundAssignmentOperation compound => compound.Target,
                ICoalesceAssignmentOperation coalesce => coalesce.Target,
                IInvocationOperation call when MemberUses.IsFilling(call.TargetMethod.Name) => OperationTree.Receiver(call),
                _ => null,
            };
            if (OperationTree.Unwrap(target) is IParameterReferenceOperation written && SymbolEqualityComparer.Default.Equals(written.Parameter, reference.Parameter))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The call asks for a constant number of items: an argument for a parameter named <c>count</c> (or <c>itemCount</c>,
    /// <c>messageCount</c>…) whose value is a constant or a local only ever given constants (<c>Generate(count)</c> after
    /// <c>var count = 3;</c>).
    /// </summary>
    private static bool AskedForConstantCount(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.Explicit || argument.Parameter is not { } parameter || !IsItemCountName(parameter.Name))
            {
                continue;
            }

            var value = OperationTree.Unwrap(argument.Value);
            if (value is { ConstantValue.HasValue: true })
            {
                return true;
            }

            if (value is ILocalReferenceOperation local && LocalWrites.Values(local.Local, local) is { } writes && writes.TrueForAll(w => w.ConstantValue.HasValue))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>count</c>, or a count of items by name (<c>itemCount</c>, <c>messageCount</c>), not of anything else (<c>retryCount</c>).</summary>
    private static bool IsItemCountName(string name)
    {
        var words = Words(name);
        return words.Count > 0 && words[words.Count - 1] == "count"
               && (words.Count == 1 || words[words.Count - 2] is "item" or "items" or "message" or "messages" or "record" or "records" or "result" or "results" or "element" or "elements");
    }

    /// <summary>
    /// The call, or one before it in its chain, asks for at most so many: a <c>Limit(n)</c>/<c>Take(n)</c>/<c>Top(n)</c> query
    /// step, or a limit argument (<c>GetOutboxes(resultLimit: 100)</c>, <c>maxItemCount</c>, <c>pageSize</c>, <c>batchSize</c>).
    /// </summary>
    private static bool FetchedWithLimit(IInvocationOperation invocation)
    {
        IOperation? current = invocation;
        for (var i = 0; i < MaxChain && OperationTree.Unwrap(current) is IInvocationOperation call; i++)
        {
            if (call.TargetMethod.Name is "Limit" or "Take" or "Top")
            {
                return true;
            }

            foreach (var argument in call.Arguments)
            {
                if (argument.Parameter is { } parameter && IsLimitName(parameter.Name))
                {
                    return true;
                }
            }

            current = OperationTree.Receiver(call);
            if (OperationTree.Unwrap(current) is IAwaitOperation awaited)
            {
                current = awaited.Operation;
            }
        }

        return false;
    }

    /// <summary>A parameter named as a count to fetch, word by word: <c>limit</c>, <c>resultLimit</c>, <c>top</c>, <c>pageSize</c>, <c>maxItemCount</c> (not <c>stoppingToken</c>).</summary>
    private static bool IsLimitName(string name)
    {
        var words = Words(name);
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (word is "limit" or "take" or "top")
            {
                return true;
            }

            var next = i + 1 < words.Count ? words[i + 1] : null;
            if ((word is "page" or "batch" && next == "size")
                || (word == "max" && next is "count" or "item" or "items" or "result" or "results" or "message" or "messages" or "record" or "records" or "entries"))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The words of a camelCase name, lower-cased: <c>maxItemCount</c> is max, item, count.</summary>
    private static List<string> Words(string name)
    {
        var words = new List<string>();
        var start = 0;
        for (var i = 1; i <= name.Length; i++)
        {
            if (i == name.Length || char.IsUpper(name[i]) || name[i] == '_')
            {
                if (i > start)
                {
                    words.Add(name.Substring(start, i - start).Trim('_').ToLowerInvariant());
                }

                start = i;
            }
        }

        return words;
    }

    /// <summary>The count of <c>Enumerable.Range</c>/<c>Repeat</c>: a constant, a collection's count, or a number the code chose.</summary>
    private SizeBound CountSize(IOperation? count, int depth)
    {
        count = OperationTree.Unwrap(count);
        if (count is null)
        {
            return SizeBound.Unknown;
        }

        if (count.ConstantValue.HasValue)
        {
            return SizeBound.Bounded;
        }

        // Enumerable.Range(0, items.Count) is one per item of items.
        switch (count)
        {
            case IPropertyReferenceOperation { Property.Name: "Count" or "Length" or "LongLength", Instance: { } instance }:
                return Size(instance, depth + 1);
            case IInvocationOperation { TargetMethod.Name: "Count" or "LongCount" } counted when OperationTree.Receiver(counted) is { } receiver:
                return Size(receiver, depth + 1);
            default:
                // A worker count, a configured parallelism: a number the code chose, not the size of data.
                return SizeBound.Unknown;
        }
    }

    private SizeBound LocalSize(ILocalReferenceOperation reference, int depth)
    {
        // foreach (var chunk in items.Chunk(50)) … chunk is at most 50 items.
        if (IterationCollection(reference) is { } collection)
        {
            return ChunkedElements(collection, depth) ? SizeBound.Bounded : SizeBound.Unbounded;
        }

        if (depth > MaxDepth)
        {
            return SizeBound.Unbounded;
        }

        if (LocalWrites.Values(reference.Local, reference) is not { } writes)
        {
            // (first, second) = await ReadAsync(): the element a private method's returns put there.
            return LocalWrites.Deconstructed(reference.Local, reference) is { } deconstructed
                   && OperationTree.Unwrap(deconstructed.Value) is var value
                   && (value is IAwaitOperation awaited ? OperationTree.Unwrap(awaited.Operation) : value) is { } source
                ? source is IInvocationOperation call
                    ? ReturnedSize(call, deconstructed.Index, depth) ?? SizeBound.Unbounded
                    : TupleElement(source, deconstructed.Index) is { } element ? Size(element, depth + 1) : SizeBound.Unbounded
                : SizeBound.Unbounded;
        }

        var size = SizeBound.Bounded;
        foreach (var write in writes)
        {
            size = Max(size, Size(write, depth + 1));
        }

        // A collection written once but filled afterwards holds what it was given, unless it is filled only once per item
        // of bounded collections.
        return size == SizeBound.Bounded && IsFilled(reference, depth) ? SizeBound.Unbounded : size;
    }

    /// <summary>The collection a foreach iteration variable walks over; null for any other local.</summary>
    private static IOperation? IterationCollection(ILocalReferenceOperation reference)
    {
        for (var current = reference.Parent; current is not null; current = current.Parent)
        {
            if (current is IForEachLoopOperation { LoopControlVariable: IVariableDeclaratorOperation declarator } loop
                && SymbolEqualityComparer.Default.Equals(declarator.Symbol, reference.Local))
            {
                return loop.Collection;
            }
        }

        return null;
    }

    /// <summary>
    /// The local has items added after it is written (<c>list.Add(x)</c>, <c>queue.Enqueue(x)</c>) beyond a bound: in any
    /// loop but a <c>foreach</c> over a collection of bounded size, in a lambda (run who knows how often), or by adding a
    /// whole collection (<c>AddRange</c>) that is not bounded. A fixed number of adds per item of a bounded collection is
    /// bounded.
    /// </summary>
    private bool IsFilled(ILocalReferenceOperation reference, int depth)
    {
        foreach (var operation in OperationTree.Root(reference).Descendants())
        {
            if (operation is IInvocationOperation call
                && IsOn(call, reference.Local)
                && MemberUses.IsFilling(call.TargetMethod.Name)
                && !FilledWithinBound(call, depth))
            {
                return true;
            }
        }

        return false;
    }

    private bool FilledWithinBound(IInvocationOperation fill, int depth)
    {
        if (fill.TargetMethod.Name.EndsWith("Range", StringComparison.Ordinal)
            && (fill.Arguments.Length == 0 || Size(fill.Arguments[fill.Arguments.Length - 1].Value, depth + 1) != SizeBound.Bounded))
        {
            return false;
        }

        for (var current = fill.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
                case IForEachLoopOperation each when Size(each.Collection, depth + 1) == SizeBound.Bounded:
                    continue;
                case ILoopOperation:
                    return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A lambda parameter that stands for one element of a chunked collection: <c>items.Chunk(50).Select(chunk =&gt; …)</c>,
    /// <c>Parallel.ForEach(items.Chunk(50), chunk =&gt; …)</c>.
    /// </summary>
    private bool ElementOfChunks(IParameterReferenceOperation reference)
    {
        if (reference.Parameter is not { Ordinal: 0, ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } lambdaSymbol })
        {
            return false;
        }

        for (var current = reference.Parent; current is not null; current = current.Parent)
        {
            if (current is not IAnonymousFunctionOperation lambda || !SymbolEqualityComparer.Default.Equals(lambda.Symbol, lambdaSymbol))
            {
                continue;
            }

            var outer = OperationTree.Outer(lambda);
            while (outer.Parent is IDelegateCreationOperation or IConversionOperation)
            {
                outer = outer.Parent;
            }

            if (outer.Parent is not IArgumentOperation { Parent: IInvocationOperation call })
            {
                return false;
            }

            var elements = Argument(call, "source") ?? OperationTree.Receiver(call);
            return elements is not null && ChunkedElements(elements, 0);
        }

        return false;
    }

    /// <summary>Each element of the collection is a chunk of bounded size: <c>items.Chunk(50)</c>, MoreLINQ's <c>Batch(50)</c>.</summary>
    private bool ChunkedElements(IOperation collection, int depth)
    {
        var value = OperationTree.Unwrap(collection);
        if (value is null || depth > MaxChain)
        {
            return false;
        }

        switch (value)
        {
            case IInvocationOperation call when IsChunking(call.TargetMethod.Name):
                return true;
            case IInvocationOperation call when Same(call.TargetMethod.ContainingType, _types.Enumerable) || IsMaterializing(call.TargetMethod.Name):
                // Where, Skip, Take, ToList… of chunks are still chunks.
                return call.TargetMethod.Name != "SelectMany" && OperationTree.Receiver(call) is { } receiver && ChunkedElements(receiver, depth + 1);
            case ILocalReferenceOperation local when depth <= MaxDepth:
                if (LocalWrites.Values(local.Local, local) is not { } writes)
                {
                    return false;
                }

                foreach (var write in writes)
                {
                    if (!ChunkedElements(write, depth + 1))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>The <c>SelectMany</c> selector returns chunks: <c>group =&gt; group.Chunk(100)</c>.</summary>
    private static bool ChunksInSelector(IOperation selector)
    {
        var target = OperationTree.Unwrap(selector);
        if (target is IDelegateCreationOperation creation)
        {
            target = OperationTree.Unwrap(creation.Target);
        }

        if (target is not IAnonymousFunctionOperation lambda)
        {
            return false;
        }

        foreach (var operation in OperationTree.Descendants(lambda.Body))
        {
            if (operation is IReturnOperation { ReturnedValue: { } returned }
                && OperationTree.Unwrap(returned) is IInvocationOperation call
                && IsChunking(call.TargetMethod.Name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A read-only array field whose declaration lists its elements (<c>static readonly string[] Regions = { "a", "b" };</c>).</summary>
    private static bool IsFixedArrayField(IFieldSymbol field)
    {
        if (field.Type is not IArrayTypeSymbol || !(field.IsReadOnly || field.IsConst) || field.DeclaringSyntaxReferences.IsEmpty)
        {
            return false;
        }

        foreach (var reference in field.DeclaringSyntaxReferences)
        {
            var initializer = (reference.GetSyntax() as VariableDeclaratorSyntax)?.Initializer?.Value;
            var listed = initializer switch
            {
                InitializerExpressionSyntax => true,
                ImplicitArrayCreationExpressionSyntax => true,
                ArrayCreationExpressionSyntax array => array.Initializer is not null,
                CollectionExpressionSyntax collection => !HasSpread(collection),
                _ => false,
            };
            if (!listed)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A private read-only field whose initializer, in this file, is bounded (<c>Enum.GetValues&lt;T&gt;().ToList()</c>, a
    /// listed collection), and that its type never fills (<c>_field.Add(…)</c>) nor hands to anything that could.
    /// </summary>
    private bool IsBoundedPrivateField(IFieldReferenceOperation reference, int depth)
    {
        var field = reference.Field;
        if (!field.IsReadOnly || field.DeclaredAccessibility != Accessibility.Private || InitializersInThisFile(reference) is not { } values)
        {
            return false;
        }

        foreach (var value in values)
        {
            if (Size(value, depth + 1) != SizeBound.Bounded)
            {
                return false;
            }
        }

        return !_uses.IsFilled(field);
    }

    /// <summary>The values the field's declarations initialise it with; null when it has none, or one is in another file.</summary>
    private static List<IOperation>? InitializersInThisFile(IFieldReferenceOperation reference)
    {
        var field = reference.Field;
        if (reference.SemanticModel is not { } model || field.DeclaringSyntaxReferences.IsEmpty)
        {
            return null;
        }

        var values = new List<IOperation>();
        foreach (var declaration in field.DeclaringSyntaxReferences)
        {
            if (declaration.SyntaxTree != model.SyntaxTree
                || (declaration.GetSyntax() as VariableDeclaratorSyntax)?.Initializer?.Value is not { } initializer
                || model.GetOperation(initializer) is not { } value)
            {
                return null;
            }

            values.Add(value);
        }

        return values;
    }

    private static bool HasSpread(CollectionExpressionSyntax collection)
    {
        foreach (var element in collection.Elements)
        {
            if (element is SpreadElementSyntax)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Strips materialisation off a task collection: <c>tasks.ToList()</c>, <c>query.ToArray()</c>, a query expression.</summary>
    private static IOperation? Materialized(IOperation? value)
    {
        for (var i = 0; i < MaxChain; i++)
        {
            value = OperationTree.Unwrap(value);
            if (value is ITranslatedQueryOperation query)
            {
                value = query.Operation;
                continue;
            }

            if (value is IInvocationOperation call && IsMaterializing(call.TargetMethod.Name) && OperationTree.Receiver(call) is { } receiver)
            {
                value = receiver;
                continue;
            }

            break;
        }

        return value;
    }

    private static bool IsMaterializing(string name)
        => name is "ToList" or "ToArray" or "AsEnumerable" or "ToImmutableArray" or "ToImmutableList" or "ToHashSet" or "AsReadOnly";

    /// <summary>Calls that hand back at most a given number of items, or chunks of one.</summary>
    private static bool IsBoundingCall(string name)
        => name is "Take" or "TakeLast" or "GetRange" or "Slice" || IsChunking(name);

    /// <summary><c>Chunk</c>, <c>Batch</c>, <c>Buffer</c> and helpers named after them (<c>InBatchesOf</c>, <c>ToChunks</c>).</summary>
    private static bool IsChunking(string name)
        => name.IndexOf("Chunk", StringComparison.Ordinal) >= 0 || name.IndexOf("Batch", StringComparison.Ordinal) >= 0 || name == "Buffer";

    private static bool IsNewList(IOperation write)
        => OperationTree.Unwrap(write) is IObjectCreationOperation { Type: INamedTypeSymbol { Name: "List", Arity: 1 }, Initializer: null };

    /// <summary>The call is made on <paramref name="local"/>: its instance, or the first argument of an extension method.</summary>
    private static bool IsOn(IInvocationOperation call, ILocalSymbol local)
        => OperationTree.Receiver(call) is ILocalReferenceOperation receiver && SymbolEqualityComparer.Default.Equals(receiver.Local, local);

    private static IOperation? Argument(IInvocationOperation call, string parameter)
    {
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter?.Name == parameter)
            {
                return argument.Value;
            }
        }

        return null;
    }

    private static bool AllConstant(System.Collections.Immutable.ImmutableArray<IOperation> values)
    {
        foreach (var value in values)
        {
            if (!value.ConstantValue.HasValue)
            {
                return false;
            }
        }

        return true;
    }

    private static SizeBound Max(SizeBound first, SizeBound second) => first > second ? first : second;

    /// <summary>The body of a delegate argument: a lambda, or a method group, looked into for outbound calls and throttles.</summary>
    private void InspectDelegate(IOperation value, WorkSearch work)
    {
        var target = OperationTree.Unwrap(value);
        if (target is IDelegateCreationOperation creation)
        {
            target = OperationTree.Unwrap(creation.Target);
        }

        switch (target)
        {
            case IAnonymousFunctionOperation lambda when !IsWorkerLoop(lambda.Body):
                Inspect(lambda.Body, work, depth: 0);
                break;
            case IMethodReferenceOperation group:
                Inspect(group, work, depth: 0);
                break;
        }
    }

    /// <summary>
    /// Looks through the work done per item, nested lambdas and local functions included, for its first outbound call and
    /// for any throttle; follows the methods of the compilation it calls (to <see cref="MaxDepth"/>) for a throttle only
    /// (whether a call into the compilation calls out is <see cref="OutboundOperations"/>'s to say, and it is named as called).
    /// </summary>
    private void Inspect(IOperation root, WorkSearch work, int depth)
    {
        foreach (var operation in root.DescendantsAndSelf())
        {
            work.CancellationToken.ThrowIfCancellationRequested();
            switch (operation)
            {
                case IInvocationOperation call:
                    if (IsThrottle(call.TargetMethod.ContainingType) || CapsConnectionsPerServer(OperationTree.Receiver(call), depth: 0))
                    {
                        work.Throttled = true;
                        return;
                    }

                    if (depth == 0 && !work.OutboundIsAwaited && CallsOut(call, work, hops: 0))
                    {
                        work.Found(Name(call.TargetMethod, OperationTree.Receiver(call)), IsAwaitedOrReturned(call));
                    }

                    InspectCallee(call.TargetMethod, call.SemanticModel, work, depth);
                    break;
                case IMethodReferenceOperation group:
                    if (depth == 0 && work.Outbound is null && CallsOut(group, work, hops: 0))
                    {
                        work.Found(Name(group.Method, OperationTree.Unwrap(group.Instance)), awaited: true);
                    }

                    InspectCallee(group.Method, group.SemanticModel, work, depth);
                    break;
                case IObjectCreationOperation creation:
                    if (IsThrottle(creation.Type))
                    {
                        work.Throttled = true;
                        return;
                    }

                    if (depth == 0 && work.Outbound is null && _outbound.IsOutbound(creation))
                    {
                        work.Found("new " + creation.Type?.Name, awaited: false);
                    }

                    break;
                case ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation when IsThrottle(operation.Type):
                    work.Throttled = true;
                    return;
            }

            if (work.Throttled)
            {
                return;
            }
        }
    }

    /// <summary>
    /// The call (or method group) sends a request. <see cref="OutboundOperations"/> decides, except that a method of the
    /// compilation written in this file is judged by what its body visibly calls, to <see cref="MaxDepth"/> calls deep:
    /// the oracle's fallback on the clients a method takes or its type holds is for bodies it cannot see, and a body that can
    /// be seen and calls nothing out is not a request (certain or silent). Teardown is never a request (<see cref="OutboundOperations.IsTeardown"/>).
    /// </summary>
    private bool CallsOut(IOperation operation, WorkSearch work, int hops)
    {
        IMethodSymbol method;
        switch (operation)
        {
            case IInvocationOperation call:
                method = call.TargetMethod;
                break;
            case IMethodReferenceOperation group:
                method = group.Method;
                break;
            case IObjectCreationOperation creation:
                return _outbound.IsOutbound(creation);
            default:
                return false;
        }

        if (OutboundOperations.IsTeardown(method) || IsAwaitPlumbing(method) || IsServerWebSocket(method, operation) || IsBatchedByTheClient(method)
            || (operation is IInvocationOperation withArguments && TakesUnixSocket(withArguments)))
        {
            return false;
        }

        if (hops < MaxDepth && operation.SemanticModel is { } model)
        {
            var seen = false;
            foreach (var reference in (method.ReducedFrom ?? method).OriginalDefinition.DeclaringSyntaxReferences)
            {
                if (reference.SyntaxTree != model.SyntaxTree
                    || model.GetOperation(reference.GetSyntax(work.CancellationToken), work.CancellationToken) is not { } body)
                {
                    continue;
                }

                seen = true;
                if (IsWorkerLoop(body))
                {
                    return false;
                }

                foreach (var inner in body.Descendants())
                {
                    if (inner is IInvocationOperation or IMethodReferenceOperation or IObjectCreationOperation && CallsOut(inner, work, hops + 1))
                    {
                        return true;
                    }
                }
            }

            if (seen)
            {
                return false;
            }
        }

        return operation is IInvocationOperation invocation ? _outbound.IsOutbound(invocation) : _outbound.IsOutboundMethodGroup((IMethodReferenceOperation)operation);
    }

    /// <summary>
    /// A method of the compilation the work calls: its body, when it is in this file, is looked into for a throttle; when it
    /// is elsewhere, a throttle its type holds (a <c>SemaphoreSlim</c> field) is taken as used.
    /// </summary>
    private void InspectCallee(IMethodSymbol method, SemanticModel? model, WorkSearch work, int depth)
    {
        method = (method.ReducedFrom ?? method).OriginalDefinition;
        if (depth >= MaxDepth || method.DeclaringSyntaxReferences.IsEmpty || !work.Visited.Add(method))
        {
            return;
        }

        var seen = false;
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if (model is null || reference.SyntaxTree != model.SyntaxTree)
            {
                continue;
            }

            if (model.GetOperation(reference.GetSyntax(work.CancellationToken), work.CancellationToken) is { } body)
            {
                seen = true;
                Inspect(body, work, depth + 1);
            }
        }

        if (!seen && HoldsThrottle(method.ContainingType))
        {
            work.Throttled = true;
        }
    }

    /// <summary>The type, or a base type of the compilation, has a throttle in a field (an auto-property's backing field included).</summary>
    private bool HoldsThrottle(INamedTypeSymbol? type)
    {
        for (var current = type; current is not null && !current.DeclaringSyntaxReferences.IsEmpty; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                if (member is IFieldSymbol field && IsThrottle(field.Type))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// Something that limits how many calls run together: <c>SemaphoreSlim</c>, <c>Semaphore</c>, the
    /// System.Threading.RateLimiting limiters, a Polly policy or pipeline (a bulkhead, a rate limiter, or strategies this
    /// code does not show), and types named as throttles (<c>AsyncSemaphore</c>, <c>AsyncLock</c>, <c>*Throttle*</c>,
    /// <c>*Limiter</c>, <c>*Bulkhead*</c>) or as batchers (<c>BatchingChannel</c>, a Redis <c>IBatch</c>), which group the
    /// calls into fewer requests as <c>Chunk</c> does.
    /// </summary>
    private bool IsThrottle(ITypeSymbol? type)
    {
        if (type is null || type.SpecialType != SpecialType.None || type.TypeKind is TypeKind.Error or TypeKind.TypeParameter)
        {
            return false;
        }

        if (Same(type, _types.SemaphoreSlim) || Same(type, _types.Semaphore))
        {
            return true;
        }

        var name = type.Name;
        if (name.IndexOf("Semaphore", StringComparison.Ordinal) >= 0
            || name.IndexOf("Throttl", StringComparison.Ordinal) >= 0
            || name.IndexOf("Limiter", StringComparison.Ordinal) >= 0
            || name.IndexOf("Bulkhead", StringComparison.Ordinal) >= 0
            || name.IndexOf("Batch", StringComparison.Ordinal) >= 0
            || name == "AsyncLock")
        {
            return true;
        }

        var ns = type.ContainingNamespace;
        return ns is not null && !ns.IsGlobalNamespace && (IsNamespace(ns, "Polly") || IsNamespace(ns, "System.Threading.RateLimiting"));
    }

    /// <summary>
    /// An <c>HttpClient</c> whose handler, in sight, caps its connections per server (<c>MaxConnectionsPerServer</c> set to
    /// a finite value on a <c>SocketsHttpHandler</c> or <c>HttpClientHandler</c>): requests above the cap wait in the
    /// handler for a free connection (HTTP/1.1, the default), so the dependency never sees more at once. The client is a
    /// local whose every value is such a creation, or a field initialised with one in this file.
    /// </summary>
    private bool CapsConnectionsPerServer(IOperation? client, int depth)
    {
        client = OperationTree.Unwrap(client);
        if (client is null || depth > MaxDepth || !Same(client.Type, _types.HttpClient))
        {
            return false;
        }

        switch (client)
        {
            case IObjectCreationOperation creation:
                return creation.Arguments.Length > 0 && HandlerCapsConnections(creation.Arguments[0].Value, depth + 1);
            case ILocalReferenceOperation local:
                return LocalWrites.Values(local.Local, local) is { Count: > 0 } writes && writes.TrueForAll(w => CapsConnectionsPerServer(w, depth + 1));
            case IFieldReferenceOperation { Field.IsReadOnly: true } field:
                return InitializersInThisFile(field) is { } values && values.TrueForAll(v => CapsConnectionsPerServer(v, depth + 1));
            default:
                return false;
        }
    }

    /// <summary>The handler is created with, or later given, a finite <c>MaxConnectionsPerServer</c>.</summary>
    private bool HandlerCapsConnections(IOperation handler, int depth)
    {
        handler = OperationTree.Unwrap(handler)!;
        switch (handler)
        {
            case IObjectCreationOperation creation when Same(creation.Type, _types.SocketsHttpHandler) || Same(creation.Type, _types.HttpClientHandler):
                return creation.Initializer is { } initializer
                       && initializer.Initializers.Any(i => i is ISimpleAssignmentOperation assignment && IsConnectionCap(assignment));
            case ILocalReferenceOperation local when depth <= MaxDepth:
                if (LocalWrites.Values(local.Local, local) is not { Count: > 0 } writes)
                {
                    return false;
                }

                // var handler = new HttpClientHandler(); handler.MaxConnectionsPerServer = 6;
                var setLater = OperationTree.Root(local).Descendants().Any(o => o is ISimpleAssignmentOperation
                {
                    Target: IPropertyReferenceOperation { Instance: ILocalReferenceOperation owner }
                } assignment && SymbolEqualityComparer.Default.Equals(owner.Local, local.Local) && IsConnectionCap(assignment));
                return setLater || writes.TrueForAll(w => HandlerCapsConnections(w, depth + 1));
            case IFieldReferenceOperation { Field.IsReadOnly: true } field when depth <= MaxDepth:
                return InitializersInThisFile(field) is { } values && values.TrueForAll(v => HandlerCapsConnections(v, depth + 1));
            default:
                return false;
        }
    }

    private static bool IsConnectionCap(ISimpleAssignmentOperation assignment)
        => assignment.Target is IPropertyReferenceOperation { Property.Name: "MaxConnectionsPerServer" }
           && OperationTree.Unwrap(assignment.Value)?.ConstantValue is { HasValue: true, Value: int cap }
           && cap is > 0 and < int.MaxValue;

    private static bool IsNamespace(INamespaceSymbol ns, string name)
        => OutboundOperations.IsSameOrChild(ns.ToDisplayString(), name);

    /// <summary>
    /// The work runs until it is stopped: a <c>while (!token.IsCancellationRequested)</c> loop, or a <c>while (true)</c> /
    /// <c>for (;;)</c> loop that never returns or breaks (a retry loop leaves on success, a worker goes round again).
    /// Starting one per queue or partition starts a pool of workers, each sending one request at a time, sized by what it
    /// listens to; it is not a burst of requests.
    /// </summary>
    private static bool IsWorkerLoop(IOperation body)
    {
        foreach (var operation in OperationTree.Descendants(body))
        {
            switch (operation)
            {
                case IWhileLoopOperation { Condition: { } condition } when OperationTree.Any(condition, c => c is IPropertyReferenceOperation { Property.Name: "IsCancellationRequested" }):
                    return true;
                case IWhileLoopOperation { Condition.ConstantValue: { HasValue: true, Value: true } } loop when !Leaves(loop):
                    return true;
                case IForLoopOperation { Condition: null } loop when !Leaves(loop):
                    return true;
            }
        }

        return false;
    }

    /// <summary>The loop has a <c>return</c>, or a <c>break</c> out of itself.</summary>
    private static bool Leaves(ILoopOperation loop)
        => OperationTree.Any(loop.Body, o => o is IReturnOperation
            || (o is IBranchOperation { BranchKind: BranchKind.Break } branch && SymbolEqualityComparer.Default.Equals(branch.Target, loop.ExitLabel)));

    /// <summary>
    /// A client that batches what it is handed, so that many calls started together become a few requests, as after
    /// <c>Chunk</c>: Confluent.Kafka's <c>ProduceAsync</c> queues the message locally and librdkafka sends each
    /// partition's queue as one batch (<c>batch.num.messages</c>, <c>batch.size</c>, <c>linger.ms</c>; librdkafka
    /// CONFIGURATION.md and INTRODUCTION.md, "Performance").
    /// </summary>
    private static bool IsBatchedByTheClient(IMethodSymbol method)
        => method.Name == "ProduceAsync" && method.ContainingNamespace?.ToDisplayString() == "Confluent.Kafka";

    /// <summary>
    /// The call is handed a socket that is visibly a Unix-domain one (<c>new Socket(AddressFamily.Unix, …)</c>): it talks to a
    /// process on this machine through the file system, as <see cref="OutboundOperations"/> already rules for a
    /// <c>UnixDomainSocketEndPoint</c>, whatever else the callee holds.
    /// </summary>
    private static bool TakesUnixSocket(IInvocationOperation call)
    {
        foreach (var argument in call.Arguments)
        {
            if (OperationTree.Unwrap(argument.Value) is ILocalReferenceOperation { Type.Name: "Socket" } local
                && LocalWrites.Values(local.Local, local) is { } writes
                && writes.Exists(IsUnixSocketCreation)
                && writes.TrueForAll(w => IsUnixSocketCreation(w) || OperationTree.Unwrap(w)?.ConstantValue is { HasValue: true, Value: null }))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsUnixSocketCreation(IOperation write)
        => OperationTree.Unwrap(write) is IObjectCreationOperation { Type.Name: "Socket", Arguments.Length: > 0 } creation
           && OperationTree.Unwrap(creation.Arguments[0].Value) is IFieldReferenceOperation { Field: { Name: "Unix", ContainingType.Name: "AddressFamily" } };

    /// <summary>
    /// <c>ConfigureAwait</c>, <c>GetAwaiter</c>, <c>GetResult</c>, <c>AsTask</c> on a call's result wait for the request made
    /// before them; the request is that call, which the walk meets next and the message names.
    /// </summary>
    private static bool IsAwaitPlumbing(IMethodSymbol method)
        => method.Name is "ConfigureAwait" or "GetAwaiter" or "GetResult" or "AsTask";

    /// <summary>
    /// A send or receive on a <c>System.Net.WebSockets.WebSocket</c> that is not a <c>ClientWebSocket</c>: the socket an
    /// ASP.NET Core request accepted, so the call talks to this process's own client (a push to a browser), as a response
    /// body write does, not to a dependency. A <c>ClientWebSocket</c> connects out and stays outbound.
    /// </summary>
    private static bool IsServerWebSocket(IMethodSymbol method, IOperation operation)
    {
        if (method.ContainingType is not { Name: "WebSocket" } type || type.ContainingNamespace?.ToDisplayString() != "System.Net.WebSockets")
        {
            return false;
        }

        var receiver = operation switch
        {
            IInvocationOperation call => OperationTree.Receiver(call),
            IMethodReferenceOperation group => OperationTree.Unwrap(group.Instance),
            _ => null,
        };
        return receiver?.Type is not { Name: "ClientWebSocket" };
    }

    /// <summary>The call's value is awaited, or is what the lambda returns: the request the work is about.</summary>
    private static bool IsAwaitedOrReturned(IInvocationOperation call)
    {
        var outer = OperationTree.Outer(call);
        while (outer.Parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" or "AsTask" } wrapper)
        {
            outer = OperationTree.Outer(wrapper);
        }

        return outer.Parent is IAwaitOperation or IReturnOperation;
    }

    /// <summary><c>HttpClient.GetStringAsync</c>: the receiver's type for an extension method, else the declaring type.</summary>
    private static string Name(IMethodSymbol method, IOperation? receiver)
    {
        var type = method.IsExtensionMethod || method.ReducedFrom is not null ? receiver?.Type ?? method.ContainingType : method.ContainingType;
        return type is null ? method.Name : type.Name + "." + method.Name;
    }

    /// <summary>The collection's source text on one line, shortened for the message.</summary>
    private static string Describe(IOperation source)
    {
        var text = OperationTree.Unwrap(source)?.Syntax.ToString() ?? source.Syntax.ToString();
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var character in text)
        {
            if (char.IsWhiteSpace(character))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(character);
        }

        return builder.Length > MaxSourceText ? builder.ToString(0, MaxSourceText - 1) + "…" : builder.ToString();
    }

    private static bool Same(ITypeSymbol? type, INamedTypeSymbol? expected)
        => expected is not null && SymbolEqualityComparer.Default.Equals(type?.OriginalDefinition, expected);

    /// <summary>What the look through one item's work has found so far.</summary>
    private sealed class WorkSearch
    {
        public WorkSearch(CancellationToken cancellationToken) => CancellationToken = cancellationToken;

        public CancellationToken CancellationToken { get; }

        /// <summary>The outbound call the message names, as <c>Type.Method</c>: the first awaited or returned one, else the first.</summary>
        public string? Outbound { get; private set; }

        /// <summary><see cref="Outbound"/> is awaited or returned: the request itself, not a step before it (<c>CreateCommand</c>).</summary>
        public bool OutboundIsAwaited { get; private set; }

        public void Found(string call, bool awaited)
        {
            if (Outbound is null || (awaited && !OutboundIsAwaited))
            {
                Outbound = call;
                OutboundIsAwaited = awaited;
            }
        }

        public bool Throttled { get; set; }

        public HashSet<IMethodSymbol> Visited { get; } = new(SymbolEqualityComparer.Default);
    }
}
