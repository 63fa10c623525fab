using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Libraries.Sockets;

namespace ResilienceAnalyzers.Timeouts;

/// <summary>How the RES012 fix hands the wait the token in scope.</summary>
public enum TokenFixKind
{
    /// <summary>No token in scope, or no overload of the call takes one: no fix.</summary>
    None,

    /// <summary>Replace the <c>CancellationToken.None</c> / <c>default</c> argument with the token.</summary>
    ReplaceArgument,

    /// <summary>Append the token as the last argument (named when positional would not land on it).</summary>
    AppendArgument,
}

/// <summary>A socket-level wait nothing can end (RES012), and how the fix would end it.</summary>
public sealed class NetworkWait
{
    public NetworkWait(IInvocationOperation call, string owner, string what, TokenFixKind fix, string? token, string? argumentName, IOperation? replaced)
    {
        Call = call;
        Owner = owner;
        What = what;
        Fix = fix;
        Token = token;
        ArgumentName = argumentName;
        Replaced = replaced;
    }

    public IInvocationOperation Call { get; }

    /// <summary>The local the wait is made on: the socket, client, stream or reader this method owns.</summary>
    public string Owner { get; }

    /// <summary>Why nothing ends the wait, in the message's words.</summary>
    public string What { get; }

    public TokenFixKind Fix { get; }

    /// <summary>The name of the cancellation token in scope the fix passes.</summary>
    public string? Token { get; }

    /// <summary>The parameter name to pass the token by, when a positional argument would not reach it.</summary>
    public string? ArgumentName { get; }

    /// <summary>The <c>CancellationToken.None</c> / <c>default</c> argument the fix replaces.</summary>
    public IOperation? Replaced { get; }
}

/// <summary>
/// RES012: a read, write, connect or accept at socket level with nothing that can end it. Certain only where the method
/// owns what it waits on: a local it created (a socket, client, web socket or pipe; a stream or reader over one; an
/// accepted connection) that nothing else can reach. Anything that holds the object (a field, a caller's parameter, a
/// callback it is captured in, a method it is handed to) may close it to end the wait, and a timeout may be set where
/// the object is configured: silent there.
/// </summary>
/// <remarks>
/// What ends a wait: a cancellation token that is not <c>None</c>/<c>default</c> (its owner may cancel it or bound it);
/// a finite <c>ReceiveTimeout</c>/<c>SendTimeout</c>/<c>ReadTimeout</c>/<c>WriteTimeout</c> set on any object of the
/// chain (socket, client, stream, reader), or a socket option set; <c>.WaitAsync(…)</c> or <c>Task.WhenAny</c> around the
/// task (the task is then not awaited directly). Test projects are skipped by the analyzer.
/// </remarks>
internal static class NetworkWaitRecognizer
{
    private const int MaxChain = 4;

    /// <summary>A cheap first test on the called method's name, before any symbol is compared.</summary>
    public static bool IsCandidateName(string name)
        => name.Length > 3 && name[0] is 'R' or 'S' or 'C' or 'A' or 'W'
           && (name.StartsWith("Receive", System.StringComparison.Ordinal)
               || name.StartsWith("Send", System.StringComparison.Ordinal)
               || name.StartsWith("Connect", System.StringComparison.Ordinal)
               || name.StartsWith("Accept", System.StringComparison.Ordinal)
               || name.StartsWith("Read", System.StringComparison.Ordinal)
               || name.StartsWith("Write", System.StringComparison.Ordinal));

    public static NetworkWait? Recognize(IInvocationOperation call, ISymbol containingSymbol, KnownTypes types)
    {
        var sockets = types.Sockets;
        var method = call.TargetMethod;
        if (method.IsStatic || OperationTree.Unwrap(call.Instance) is not { } receiver
            || Wait(receiver.Type, method, sockets) is not { } wait)
        {
            return null;
        }

        // An accept loop waits for the next client by design (RULES.md: a server's accept loop is not flagged).
        if (wait == WaitKind.Accept && OperationTree.Ancestor<ILoopOperation>(call) is not null)
        {
            return null;
        }

        IArgumentOperation? token = null;
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is not { } parameter)
            {
                return null;
            }

            if (SymbolEqualityComparer.Default.Equals(parameter.Type, types.CancellationToken))
            {
                if (TokenArguments.CanEnd(argument))
                {
                    return null;
                }

                token = argument;
            }
            else if (parameter.Name is "timeout" or "millisecondsTimeout" && argument.ArgumentKind != ArgumentKind.DefaultValue)
            {
                // NamedPipeClientStream.Connect(timeout), Socket.Poll-like overloads: bounded by the argument.
                return null;
            }
        }

        // A task handed to WaitAsync, WhenAny or a helper may be bounded there: only a task awaited as it is can be judged.
        var awaitable = IsAwaitable(method.ReturnType);
        if (awaitable && !IsAwaitedDirectly(call))
        {
            return null;
        }

        if (method.Parameters.Length > 0 && method.Parameters[0].Type.Name == "SocketAsyncEventArgs")
        {
            // The event-args pattern completes through a callback, not a wait.
            return null;
        }

        // The object waited on, or the one it is read through (client.GetStream().Read(...)).
        var chain = new Chain(sockets, OperationTree.Root(call), call);
        if (!chain.Start(receiver) || chain.Owner is not { } owner || !chain.IsNetwork(wait) || !chain.IsOwnedAndUnbounded())
        {
            return null;
        }

        // A datagram socket's Connect sends nothing (it records the default peer) and its Send waits for no answer.
        if (chain.IsDatagram && (wait == WaitKind.Connect || method.Name.StartsWith("Send", System.StringComparison.Ordinal)))
        {
            return null;
        }

        var what = token is null || token.ArgumentKind == ArgumentKind.DefaultValue
            ? (awaitable ? "no cancellation token" : "no timeout set on '" + owner.Name + "'")
            : "a cancellation token that never cancels";
        return WithFix(call, owner.Name, what, token, containingSymbol, types);
    }

    private enum WaitKind
    {
        Transfer,
        Connect,
        Accept,
        ReadLine,
    }

    /// <summary>Which wait the call is, by the receiver's type (a stream's Read is declared on Stream).</summary>
    private static WaitKind? Wait(ITypeSymbol? receiver, IMethodSymbol method, NetworkWaitTypes sockets)
    {
        var name = method.Name;
        if (TypeFacts.IsOrDerivesFrom(receiver, sockets.Socket))
        {
            return name.StartsWith("Accept", System.StringComparison.Ordinal) ? WaitKind.Accept
                : name.StartsWith("Connect", System.StringComparison.Ordinal) ? WaitKind.Connect
                : name.StartsWith("Receive", System.StringComparison.Ordinal) || name.StartsWith("Send", System.StringComparison.Ordinal) ? WaitKind.Transfer
                : null;
        }

        if (TypeFacts.IsOrDerivesFrom(receiver, sockets.NetworkStream) || TypeFacts.IsOrDerivesFrom(receiver, sockets.SslStream))
        {
            return name.StartsWith("Read", System.StringComparison.Ordinal) || name.StartsWith("Write", System.StringComparison.Ordinal) ? WaitKind.Transfer : null;
        }

        if (TypeFacts.IsOrDerivesFrom(receiver, sockets.TcpClient))
        {
            return name is "Connect" or "ConnectAsync" ? WaitKind.Connect : null;
        }

        if (TypeFacts.IsOrDerivesFrom(receiver, sockets.WebSocket))
        {
            return name == "ReceiveAsync" || (name == "ConnectAsync" && TypeFacts.IsOrDerivesFrom(receiver, sockets.ClientWebSocket)) ? WaitKind.Transfer : null;
        }

        if (TypeFacts.IsOrDerivesFrom(receiver, sockets.StreamReader))
        {
            return name is "ReadLine" or "ReadLineAsync" ? WaitKind.ReadLine : null;
        }

        if (TypeFacts.IsOrDerivesFrom(receiver, sockets.NamedPipeClientStream))
        {
            return name is "Connect" or "ConnectAsync" ? WaitKind.Connect : null;
        }

        return null;
    }

    private static bool IsAwaitable(ITypeSymbol type)
        => type.Name is "Task" or "ValueTask" && type.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks";

    /// <summary><c>await call</c> or <c>await call.ConfigureAwait(…)</c>.</summary>
    private static bool IsAwaitedDirectly(IInvocationOperation call)
    {
        var outer = OperationTree.Outer(call);
        if (outer.Parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure && configure.Instance == outer)
        {
            outer = OperationTree.Outer(configure);
        }

        return outer.Parent is IAwaitOperation;
    }

    /// <summary>The token in scope (the one <c>CancellationToken</c> parameter of the method) and where it goes.</summary>
    private static NetworkWait WithFix(IInvocationOperation call, string owner, string what, IArgumentOperation? token, ISymbol containingSymbol, KnownTypes types)
    {
        string? name = null;
        if (containingSymbol is IMethodSymbol method && OperationTree.Ancestor<IAnonymousFunctionOperation>(call) is null
            && OperationTree.Ancestor<ILocalFunctionOperation>(call) is null)
        {
            foreach (var parameter in method.Parameters)
            {
                if (SymbolEqualityComparer.Default.Equals(parameter.Type, types.CancellationToken))
                {
                    if (name is not null)
                    {
                        name = null;
                        break;
                    }

                    name = parameter.Name;
                }
            }
        }

        if (name is null)
        {
            return new NetworkWait(call, owner, what, TokenFixKind.None, null, null, null);
        }

        if (token is { ArgumentKind: not ArgumentKind.DefaultValue })
        {
            return new NetworkWait(call, owner, what, TokenFixKind.ReplaceArgument, name, null, token.Value);
        }

        var target = token?.Parameter ?? OverloadTakingAToken(call.TargetMethod, types)?.Parameters[call.TargetMethod.Parameters.Length];
        if (target is null)
        {
            return new NetworkWait(call, owner, what, TokenFixKind.None, null, null, null);
        }

        // Positional only when every argument before it is written, in order.
        var positional = true;
        var written = 0;
        foreach (var argument in call.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue || argument.Parameter is null)
            {
                continue;
            }

            written++;
            positional &= argument.Parameter.Ordinal == written - 1;
        }

        positional &= written == target.Ordinal;
        return new NetworkWait(call, owner, what, TokenFixKind.AppendArgument, name, positional ? null : target.Name, null);
    }

    /// <summary>The overload with the same parameters and a <c>CancellationToken</c> after them (Stream.ReadAsync(byte[], int, int, CancellationToken)).</summary>
    private static IMethodSymbol? OverloadTakingAToken(IMethodSymbol method, KnownTypes types)
    {
        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            foreach (var member in type.GetMembers(method.Name))
            {
                if (member is IMethodSymbol { DeclaredAccessibility: Accessibility.Public } candidate
                    && candidate.IsStatic == method.IsStatic
                    && candidate.Parameters.Length == method.Parameters.Length + 1
                    && SymbolEqualityComparer.Default.Equals(candidate.Parameters[method.Parameters.Length].Type, types.CancellationToken)
                    && SameParameters(candidate, method))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    private static bool SameParameters(IMethodSymbol candidate, IMethodSymbol method)
    {
        for (var i = 0; i < method.Parameters.Length; i++)
        {
            if (!SymbolEqualityComparer.Default.Equals(candidate.Parameters[i].Type, method.Parameters[i].Type)
                || candidate.Parameters[i].RefKind != method.Parameters[i].RefKind)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The locals the wait goes through (a reader over a stream over a client), each created or accepted here, and whether
    /// anything else can reach them or bounds them with a timeout.
    /// </summary>
    private sealed class Chain
    {
        private readonly NetworkWaitTypes _sockets;
        private readonly IOperation _root;
        private readonly IOperation _call;
        private readonly HashSet<ILocalSymbol> _locals = new(SymbolEqualityComparer.Default);
        private bool _network;

        public Chain(NetworkWaitTypes sockets, IOperation root, IOperation call)
        {
            _sockets = sockets;
            _root = root;
            _call = call;
        }

        /// <summary>The first local of the chain: the object the message names.</summary>
        public ILocalSymbol? Owner { get; private set; }

        /// <summary>The wait's receiver is a local made here, or a stream taken from one (<c>client.GetStream()</c>).</summary>
        public bool Start(IOperation receiver) => Inner(receiver, depth: 0);

        /// <summary>Every value of <paramref name="local"/> is an object made here (or over one made here).</summary>
        private bool Follow(ILocalSymbol local, int depth)
        {
            if (depth > MaxChain)
            {
                return false;
            }

            if (!_locals.Add(local))
            {
                return true;
            }

            Owner ??= local;

            if (LocalWrites.Values(local, _call) is not { } values)
            {
                return false;
            }

            foreach (var value in values)
            {
                if (!Origin(value, depth))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>A UDP or raw socket: its Connect only records the peer and its Send waits for no one.</summary>
        public bool IsDatagram { get; private set; }

        private static bool IsDatagramSocket(IObjectCreationOperation creation)
        {
            foreach (var argument in creation.Arguments)
            {
                if (OperationTree.Unwrap(argument.Value) is IFieldReferenceOperation { Field: { IsStatic: true } field }
                    && (field.ContainingType?.Name, field.Name) is ("SocketType", "Dgram" or "Raw" or "Rdm") or ("ProtocolType", "Udp" or "Icmp" or "IcmpV6"))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>A reader over a pipe or a file is not a network wait; a stream's or a socket's always is.</summary>
        public bool IsNetwork(WaitKind wait) => wait != WaitKind.ReadLine || _network;

        private bool Origin(IOperation value, int depth)
        {
            var unwrapped = OperationTree.Unwrap(value);
            if (unwrapped is IAwaitOperation awaited)
            {
                unwrapped = OperationTree.Unwrap(awaited.Operation);
                if (unwrapped is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured })
                {
                    unwrapped = OperationTree.Unwrap(configured);
                }
            }

            switch (unwrapped)
            {
                case IObjectCreationOperation { Type: { } type } creation:
                    if (Is(type, _sockets.Socket) || Is(type, _sockets.TcpClient) || Is(type, _sockets.ClientWebSocket))
                    {
                        _network = true;
                        IsDatagram |= Is(type, _sockets.Socket) && IsDatagramSocket(creation);
                        return true;
                    }

                    if (Is(type, _sockets.NamedPipeClientStream))
                    {
                        return true;
                    }

                    if (Is(type, _sockets.NetworkStream) || Is(type, _sockets.SslStream) || Is(type, _sockets.StreamReader))
                    {
                        _network |= Is(type, _sockets.NetworkStream);
                        return creation.Arguments.Length > 0 && Inner(creation.Arguments[0].Value, depth);
                    }

                    return false;
                case IInvocationOperation { TargetMethod.Name: "GetStream", Instance: { } client } when Is(client.Type, _sockets.TcpClient):
                    _network = true;
                    return Inner(client, depth);
                case IInvocationOperation { Instance: { } listener } accept when accept.TargetMethod.Name.StartsWith("Accept", System.StringComparison.Ordinal)
                                                                                 && (Is(listener.Type, _sockets.Socket) || Is(listener.Type, _sockets.TcpListener)):
                    // A connection accepted here starts with the defaults: no timeouts.
                    _network = true;
                    return true;
                default:
                    return false;
            }
        }

        private bool Inner(IOperation inner, int depth)
        {
            var unwrapped = OperationTree.Unwrap(inner);
            return unwrapped is ILocalReferenceOperation local ? Follow(local.Local, depth + 1) : unwrapped is not null && Origin(unwrapped, depth + 1);
        }

        /// <summary>No local of the chain reaches anything that could close it, and none has a timeout set.</summary>
        public bool IsOwnedAndUnbounded()
        {
            foreach (var operation in _root.Descendants())
            {
                if (operation is ILocalReferenceOperation reference && _locals.Contains(reference.Local)
                    && !StaysHere(reference))
                {
                    return false;
                }
            }

            return true;
        }

        private bool StaysHere(ILocalReferenceOperation reference)
        {
            // Captured by a lambda or local function the wait is not in: a callback (token.Register, a timer) may close it.
            for (var current = reference.Parent; current is not null; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation && !OperationTree.IsWithin(_call, current))
                {
                    return false;
                }
            }

            return Use(OperationTree.Outer(reference), depth: 0);
        }

        /// <summary>What is done with one reference to an object of the chain: false when it escapes or is given a timeout.</summary>
        private bool Use(IOperation value, int depth)
        {
            switch (value.Parent)
            {
                case IInvocationOperation call when call.Instance == value:
                    // A socket option may be a timeout; anything else (Connect, Close, Dispose, a read) keeps it here.
                    return call.TargetMethod.Name != "SetSocketOption";
                case IPropertyReferenceOperation property when property.Instance == value:
                    if (property.Parent is ISimpleAssignmentOperation set && set.Target == property)
                    {
                        return !IsTimeout(property.Property.Name) || IsNoTimeout(set.Value);
                    }

                    // client.Client (the socket), stream.Socket: followed as the chain's own object.
                    return depth < MaxChain && (!IsChainType(property.Type) || Use(OperationTree.Outer(property), depth + 1));
                case IConditionalAccessOperation access when access.Operation == value:
                    return true;
                case IArgumentOperation { Parent: IObjectCreationOperation { Type: { } wrapper } }:
                    // Wrapped in a stream, a reader or a writer of this method.
                    return IsChainType(wrapper) || wrapper.Name is "StreamWriter" or "BinaryReader" or "BinaryWriter";
                case ISimpleAssignmentOperation assignment when assignment.Target == value:
                    return true;
                case IBinaryOperation or IIsPatternOperation or IIsTypeOperation or IUsingOperation:
                    return true;
                default:
                    return false;
            }
        }

        private bool IsChainType(ITypeSymbol? type)
            => Is(type, _sockets.Socket) || Is(type, _sockets.TcpClient) || Is(type, _sockets.NetworkStream) || Is(type, _sockets.SslStream)
               || Is(type, _sockets.StreamReader) || Is(type, _sockets.WebSocket) || Is(type, _sockets.NamedPipeClientStream);

        private static bool IsTimeout(string name) => name is "ReceiveTimeout" or "SendTimeout" or "ReadTimeout" or "WriteTimeout";

        /// <summary>0 or a negative constant: no timeout (RES010 reports those values).</summary>
        private static bool IsNoTimeout(IOperation value)
            => OperationTree.Unwrap(value)?.ConstantValue is { HasValue: true, Value: int milliseconds } && milliseconds <= 0;

        private static bool Is(ITypeSymbol? type, INamedTypeSymbol? expected) => TypeFacts.IsOrDerivesFrom(type, expected);
    }
}
