using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Libraries.Http;
using ResilienceAnalyzers.Libraries.Sockets;
using ResilienceAnalyzers.Retry;

namespace ResilienceAnalyzers.Endpoints;

/// <summary>A DNS answer kept for the process, as RES023 reports it.</summary>
public sealed class KeptDnsAnswer
{
    public KeptDnsAnswer(SyntaxNode node, string subject, string remedy)
    {
        Node = node;
        Subject = subject;
        Remedy = remedy;
    }

    /// <summary>The resolution call, or the <c>DnsRefreshTimeout</c> assignment.</summary>
    public SyntaxNode Node { get; }

    /// <summary>What keeps the answer, in the message's words.</summary>
    public string Subject { get; }

    /// <summary>What to do instead.</summary>
    public string Remedy { get; }
}

/// <summary>
/// RES023: the answer of <c>Dns.GetHostAddresses*</c>, <c>Dns.GetHostEntry*</c> or <c>Dns.Resolve</c> (or an
/// <c>IPAddress</c>/<c>IPEndPoint</c> made from it) kept for the process: stored once in a static member or a singleton's
/// member, reused by every round of a reconnect loop, or captured by a <c>SocketsHttpHandler.ConnectCallback</c>; and
/// <c>ServicePointManager.DnsRefreshTimeout = -1</c>.
/// </summary>
/// <remarks>
/// The answer is followed from the resolution call with IOperation: through <c>await</c>, <c>AddressList</c>, an element,
/// <c>First</c> and its kin, <c>new IPEndPoint(address, port)</c>, and locals written once. Anything else it flows into
/// (a helper, a collection, a return) cannot be followed, and the rule stays silent. Not reported: names of this machine
/// (<c>Dns.GetHostName()</c>, <c>Environment.MachineName</c>, <c>""</c>, <c>"localhost"</c>), IP literals, reverse lookups of
/// an <c>IPAddress</c>, a member written again after its first value (a refresh, a reset on failure, a cache with an
/// expiry), and a member another type could write.
/// </remarks>
internal sealed class KeptDnsAnswerRecognizer
{
    private const string ResolveAgain = "resolve the name again when connecting, or keep the answer with an expiry";

    // Locals and derived values followed from one resolution before giving up.
    private const int MaxSteps = 8;

    private readonly DnsTypes _types;
    private readonly HttpTypes _http;
    private readonly NetworkWaitTypes _sockets;
    private readonly INamedTypeSymbol? _environment;
    private readonly MemberUses _uses;

    public KeptDnsAnswerRecognizer(KnownTypes types, MemberUses uses)
    {
        _uses = uses;
        _types = types.Dns;
        _http = types.Http;
        _sockets = types.Sockets;
        _environment = types.Environment;
    }

    /// <summary>A cheap first test on a call's name, before any symbol is compared.</summary>
    public static bool IsCandidateName(string name)
        => name is "GetHostAddresses" or "GetHostAddressesAsync" or "GetHostEntry" or "GetHostEntryAsync" or "Resolve" or "GetHostByName";

    public KeptDnsAnswer? RecognizeResolution(IInvocationOperation call)
    {
        if (!IsCandidateName(call.TargetMethod.Name)
            || !SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, _types.Dns)
            || call.Arguments.Length == 0
            || NamesThisMachine(call.Arguments[0].Value))
        {
            return null;
        }

        var subject = Follow(call, new Trail(call));
        return subject is null ? null : new KeptDnsAnswer(call.Syntax, subject, ResolveAgain);
    }

    /// <summary><c>ServicePointManager.DnsRefreshTimeout = -1</c>: any constant -1 (<c>Timeout.Infinite</c>, a const local) counts.</summary>
    public KeptDnsAnswer? RecognizeRefreshTimeout(ISimpleAssignmentOperation assignment)
        => assignment.Target is IPropertyReferenceOperation { Property: { Name: "DnsRefreshTimeout" } property }
           && SymbolEqualityComparer.Default.Equals(property.ContainingType, _types.ServicePointManager)
           && assignment.Value.ConstantValue is { HasValue: true, Value: -1 }
            ? new KeptDnsAnswer(assignment.Syntax, "DnsRefreshTimeout = -1 makes ServicePointManager keep every DNS answer it gets", "leave the default (2 minutes) or set a finite value")
            : null;

    /// <summary>
    /// Where the answer <paramref name="value"/> goes, once the steps that keep it an answer are climbed; the message's
    /// subject when it is kept for the process, null when it is not or cannot be followed.
    /// </summary>
    private string? Follow(IOperation value, Trail trail)
    {
        if (++trail.Steps > MaxSteps)
        {
            return null;
        }

        var resolution = trail.Resolution;
        var top = Derived(value, trail);
        switch (top.Parent)
        {
            case IFieldInitializerOperation { InitializedFields.Length: 1 } initializer:
                return KeptIn(initializer.InitializedFields[0]);
            case IPropertyInitializerOperation { InitializedProperties.Length: 1 } initializer:
                return KeptIn(initializer.InitializedProperties[0]);
            case IAssignmentOperation assignment when assignment.Value == top:
                if (OperationTree.Unwrap(assignment.Target) is ILocalReferenceOperation written)
                {
                    return assignment is ISimpleAssignmentOperation ? FollowLocal(written.Local, assignment, trail) : null;
                }

                return HttpClientLifetimeRecognizer.IsOwnMember(assignment.Target) && OperationTree.ReferencedSymbol(assignment.Target) is { } member ? KeptIn(member) : null;
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                return FollowLocal(declarator.Symbol, declarator, trail);
            case IReturnOperation returned when LazyAround(returned) is { } lazy:
                // new Lazy<IPAddress>(() => Dns.GetHostAddresses(host)[0]): the Lazy keeps what its factory returns.
                return Follow(lazy, trail);
            case IArgumentOperation { Parent: IInvocationOperation connect } when IsConnect(connect):
                return ReusedByConnect(connect, trail);
            default:
                return null;
        }
    }

    /// <summary>A local written once, with the answer: where each of its reads takes it.</summary>
    private string? FollowLocal(ILocalSymbol local, IOperation write, Trail trail)
    {
        if (LocalWrites.Values(local, write) is not { Count: 1 })
        {
            return null;
        }

        foreach (var operation in OperationTree.Root(write).Descendants())
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local)
                && Follow(reference, trail) is { } subject)
            {
                return subject;
            }
        }

        return null;
    }

    /// <summary>
    /// The operation that still holds the answer after <paramref name="value"/>: its awaited value, an element or the
    /// address list of a host entry, the first matching address, an end point made from it. What else each step reads
    /// (an index, a predicate, a port) goes to the trail's inputs.
    /// </summary>
    private IOperation Derived(IOperation value, Trail trail)
    {
        var current = OperationTree.Outer(value);
        for (var i = 0; i < MaxSteps; i++)
        {
            var parent = current.Parent;
            IOperation? next = parent switch
            {
                IAwaitOperation awaited => awaited,
                IInvocationOperation { TargetMethod.Name: "ConfigureAwait" or "GetAwaiter" or "GetResult" or "MapToIPv4" or "MapToIPv6" } call when call.Instance == current => call,
                IPropertyReferenceOperation { Property.Name: "AddressList" or "Result" } property when property.Instance == current => property,
                IArrayElementReferenceOperation element when element.ArrayReference == current => element,
                IPropertyReferenceOperation { Property.IsIndexer: true } indexer when indexer.Instance == current => indexer,
                IArgumentOperation { Parent: IInvocationOperation call } argument when IsSelection(call, argument) => call,
                IArgumentOperation { Parent: IObjectCreationOperation creation } argument when IsEndPointOf(creation, argument) => creation,
                _ => null,
            };
            if (next is null)
            {
                return current;
            }

            foreach (var input in next.ChildOperations)
            {
                if (input != current && !(input is IArgumentOperation { Value: var argued } && OperationTree.Outer(argued) == current))
                {
                    trail.Inputs.Add(input);
                }
            }

            current = OperationTree.Outer(next);
        }

        return current;
    }

    /// <summary><c>addresses.First(…)</c>, <c>Where</c>, <c>ToArray</c> and their kin in System.Linq: the answer, filtered.</summary>
    private static bool IsSelection(IInvocationOperation call, IArgumentOperation argument)
        => call.TargetMethod is { IsExtensionMethod: true, ContainingType: { Name: "Enumerable", ContainingNamespace.Name: "Linq" } } method
           && call.Arguments.Length > 0 && call.Arguments[0] == argument
           && method.Name is "First" or "FirstOrDefault" or "Single" or "SingleOrDefault" or "Last" or "LastOrDefault" or "ElementAt"
               or "ElementAtOrDefault" or "Where" or "ToArray" or "ToList" or "OrderBy" or "OrderByDescending";

    /// <summary><c>new IPEndPoint(address, port)</c>: the address argument of an end point.</summary>
    private bool IsEndPointOf(IObjectCreationOperation creation, IArgumentOperation argument)
        => TypeFacts.IsOrDerivesFrom(creation.Type, _types.EndPoint)
           && SymbolEqualityComparer.Default.Equals(argument.Parameter?.Type, _types.IPAddress);

    /// <summary>The <c>new Lazy&lt;T&gt;(…)</c> whose factory lambda returns <paramref name="returned"/>'s value.</summary>
    private static IOperation? LazyAround(IReturnOperation returned)
        => returned.Parent is IBlockOperation { Parent: IAnonymousFunctionOperation { Parent: IDelegateCreationOperation { Parent: IArgumentOperation { Parent: IObjectCreationOperation lazy } } } }
           && lazy.Type is INamedTypeSymbol { Name: "Lazy", ContainingNamespace.Name: "System" }
            ? lazy
            : null;

    /// <summary>A connect call given an address or end point (<c>Socket.Connect*</c>, <c>TcpClient.Connect*</c>).</summary>
    private bool IsConnect(IInvocationOperation call)
        => call.TargetMethod.Name.StartsWith("Connect", StringComparison.Ordinal)
           && (TypeFacts.IsOrDerivesFrom(call.TargetMethod.ContainingType, _sockets.Socket) || TypeFacts.IsOrDerivesFrom(call.TargetMethod.ContainingType, _sockets.TcpClient));

    /// <summary>
    /// The answer handed to a connect call: kept when the call is in a <c>ConnectCallback</c> the resolution is not in
    /// (every new connection gets the first answer), or in a loop the resolution is not in, which goes round after the
    /// connection fails (every reconnect goes to the first answer).
    /// </summary>
    private string? ReusedByConnect(IInvocationOperation connect, Trail trail)
    {
        var resolution = trail.Resolution;
        var callback = Enclosing<IAnonymousFunctionOperation>(connect);
        if (!SameFunction(callback, resolution))
        {
            return callback is not null && IsConnectCallback(callback)
                ? "This DNS answer is resolved once, outside SocketsHttpHandler.ConnectCallback, and every new connection goes to it"
                : null;
        }

        for (var loop = OperationTree.Ancestor<ILoopOperation>(connect); loop is not null; loop = OperationTree.Ancestor<ILoopOperation>(loop))
        {
            if (OperationTree.IsWithin(resolution, loop))
            {
                // Resolved in the loop: every round asks again.
                return null;
            }

            if (ChangesPerRound(trail, loop))
            {
                // addresses[i], addresses[(next++) % n]: every round tries another address; failover, not a reconnect.
                return null;
            }

            if (GoesRoundAfterAFailure(connect, loop))
            {
                return "This DNS answer is resolved once, before a reconnect loop, and every reconnect goes to it";
            }
        }

        return null;
    }

    /// <summary>What the answer was narrowed with (an index, a predicate) reads a local that <paramref name="loop"/> writes.</summary>
    private static bool ChangesPerRound(Trail trail, ILoopOperation loop)
    {
        foreach (var input in trail.Inputs)
        {
            foreach (var operation in input.DescendantsAndSelf())
            {
                if (operation is ILocalReferenceOperation { Local: var local } && WrittenIn(loop, local))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool WrittenIn(ILoopOperation loop, ILocalSymbol local)
    {
        foreach (var operation in loop.DescendantsAndSelf())
        {
            var written = operation switch
            {
                IVariableDeclaratorOperation declarator => SymbolEqualityComparer.Default.Equals(declarator.Symbol, local),
                IAssignmentOperation assignment => IsLocal(assignment.Target, local),
                IIncrementOrDecrementOperation increment => IsLocal(increment.Target, local),
                _ => false,
            };
            if (written)
            {
                return true;
            }
        }

        return loop is IForEachLoopOperation forEach && forEach.Locals.Contains(local);

        static bool IsLocal(IOperation target, ILocalSymbol local)
            => OperationTree.Unwrap(target) is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local);
    }

    /// <summary>The connect call is protected by a try inside <paramref name="loop"/> one of whose catches goes round again.</summary>
    private static bool GoesRoundAfterAFailure(IOperation connect, ILoopOperation loop)
    {
        if (loop.SemanticModel is not { } model)
        {
            return false;
        }

        for (var @try = OperationTree.Ancestor<ITryOperation>(connect); @try is not null && OperationTree.IsWithin(@try, loop); @try = OperationTree.Ancestor<ITryOperation>(@try))
        {
            if (OperationTree.IsWithin(connect, @try.Body) && !ControlFlowFacts.FailureCatches(@try, loop, model).IsEmpty)
            {
                return true;
            }
        }

        return false;
    }

    private bool IsConnectCallback(IAnonymousFunctionOperation lambda)
        => lambda.Parent is IDelegateCreationOperation creation
           && OperationTree.Outer(creation).Parent is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "ConnectCallback" } target }
           && TypeFacts.IsOrDerivesFrom(target.Property.ContainingType, _http.SocketsHttpHandler);

    private static bool SameFunction(IAnonymousFunctionOperation? function, IOperation operation)
        => function is null ? Enclosing<IAnonymousFunctionOperation>(operation) is null : OperationTree.IsWithin(operation, function);

    /// <summary>The nearest ancestor of type <typeparamref name="T"/>, across lambdas (<see cref="OperationTree.Ancestor{T}"/> stops at them).</summary>
    private static T? Enclosing<T>(IOperation operation)
        where T : class, IOperation
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is T match)
            {
                return match;
            }
        }

        return null;
    }

    /// <summary>One resolution followed: the steps taken, and what the answer was narrowed with on the way.</summary>
    private sealed class Trail
    {
        public Trail(IInvocationOperation resolution) => Resolution = resolution;

        public IInvocationOperation Resolution { get; }

        public int Steps { get; set; }

        public System.Collections.Generic.List<IOperation> Inputs { get; } = new();
    }

    /// <summary>
    /// The answer is kept when <paramref name="member"/> lives for the process (RES021's judgement) and gets its value
    /// once: every write of it is an initializer, a constructor of the right kind, <c>Main</c>, or a lazy first write
    /// (<c>??=</c>, or under a test that it is still null).
    /// </summary>
    private string? KeptIn(ISymbol member)
    {
        if (!HttpClientLifetimeRecognizer.IsProcessLived(member) || !WrittenOnce(member))
        {
            return null;
        }

        return member.IsStatic
            ? "This DNS answer is stored in the static " + Kind(member) + " '" + member.Name + "'"
            : "This DNS answer is stored in '" + member.Name + "' of the singleton '" + member.ContainingType.Name + "'";
    }

    private static string Kind(ISymbol member) => member is IPropertySymbol ? "property" : "field";

    private bool WrittenOnce(ISymbol member)
    {
        // Only the type itself can write it: a private or read-only field, a property without a public setter.
        var onlyTheTypeWrites = member switch
        {
            IFieldSymbol field => field.IsReadOnly || field.DeclaredAccessibility == Accessibility.Private,
            IPropertySymbol property => property.SetMethod is null || property.SetMethod.DeclaredAccessibility == Accessibility.Private,
            _ => false,
        };
        return onlyTheTypeWrites && !_uses.IsWrittenAgain(member);
    }

    /// <summary>
    /// The host argument names this machine or is already an address: <c>Dns.GetHostName()</c>,
    /// <c>Environment.MachineName</c>, <c>""</c> or <c>string.Empty</c>, <c>"localhost"</c>, an IP literal, or an <c>IPAddress</c> (a reverse lookup).
    /// </summary>
    private bool NamesThisMachine(IOperation host)
    {
        host = OperationTree.Unwrap(host)!;
        if (host is ILocalReferenceOperation local && LocalWrites.Single(local.Local, host) is { } written)
        {
            host = OperationTree.Unwrap(written)!;
        }

        if (SymbolEqualityComparer.Default.Equals(host.Type, _types.IPAddress))
        {
            return true;
        }

        if (host.ConstantValue is { HasValue: true, Value: string text })
        {
            text = text.Trim();
            return text.Length == 0 || OutboundOperations.IsLoopbackHost(text) || System.Net.IPAddress.TryParse(text, out _);
        }

        return host switch
        {
            IInvocationOperation { TargetMethod.Name: "GetHostName" } call => SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, _types.Dns),
            IPropertyReferenceOperation { Property.Name: "MachineName" } property => SymbolEqualityComparer.Default.Equals(property.Property.ContainingType, _environment),
            IFieldReferenceOperation { Field: { Name: "Empty", ContainingType.SpecialType: SpecialType.System_String } } => true,
            _ => false,
        };
    }
}
