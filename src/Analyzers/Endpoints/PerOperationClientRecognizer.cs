using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;
using ResilienceAnalyzers.Libraries.Polly;

namespace ResilienceAnalyzers.Endpoints;

/// <summary>A client meant to live long, created for one operation and dropped after it (RES022).</summary>
public sealed class PerOperationClient
{
    public PerOperationClient(IOperation creation, string subject, string consequence, bool canHoist = false, Location? location = null)
    {
        Creation = creation;
        Subject = subject;
        Consequence = consequence;
        CanHoist = canHoist;
        Location = location ?? creation.Syntax.GetLocation();
    }

    /// <summary>Where the diagnostic goes: the <c>new</c> or factory call, or the name of the call that builds a Polly pipeline or policy.</summary>
    public Location Location { get; }

    /// <summary>
    /// An HttpClient declared as a local with settings that depend on nothing of the call (no local, parameter or instance
    /// member), on no handler or an inline <c>SocketsHttpHandler</c>, and used only to send: the fix can make it one
    /// <c>static readonly</c> field as it is.
    /// </summary>
    public bool CanHoist { get; }

    /// <summary>The <c>new</c> or the factory call.</summary>
    public IOperation Creation { get; }

    /// <summary>What is created, in the message's words ("This HttpClient").</summary>
    public string Subject { get; }

    /// <summary>What creating it per operation costs.</summary>
    public string Consequence { get; }
}

/// <summary>
/// RES022: <c>new HttpClient(…)</c>, an AWS or Azure service client, <c>CosmosClient</c>,
/// <c>ConnectionMultiplexer.Connect*</c> or <c>GrpcChannel.ForAddress</c> inside a method that runs per operation, when
/// the object stays in that method (a local used only through its own members, or a call made on the new object) and is
/// not reused by a loop of it. Whatever escapes (a field, a return, an argument, a lambda) may be the one long-lived
/// instance, and RES021 judges what is stored for the process: a client is never both.
/// </summary>
/// <remarks>
/// Not per operation: constructors, initializers, start-up code (<see cref="StartupCode"/>: <c>Main</c> and top-level
/// statements, a hosted service's start and execute, startup configuration, a host builder's extension methods), and
/// lambdas (a <c>Lazy</c> or singleton factory runs once; which lambdas run per request cannot be told from here). Test projects are skipped by the analyzer.
/// </remarks>
internal sealed class PerOperationClientRecognizer
{
    private const string HttpConsequence = "each one opens its own connections and asks DNS again, and leaves sockets in TIME_WAIT when disposed: share one (a static readonly HttpClient on a SocketsHttpHandler with a finite PooledConnectionLifetime) or use IHttpClientFactory";
    private const string SdkConsequence = "each one opens its own connections and repeats its setup: create it once and reuse it";

    // Azure.Core's HTTP clients send over one shared transport by default: what each new one repeats is its pipeline, its
    // retry policy's state and its credential's token cache (a token request per operation with a TokenCredential).
    private const string AzureHttpConsequence = "each one builds its own pipeline, retry policy and token cache and repeats its setup: create it once per account and reuse it";
    private const string BreakerConsequence = "its circuit breaker starts closed and empty on every call, so it never sees more than one call's failures and never opens: build it once (a static or singleton field, or AddResiliencePipeline) and share it";
    private const string LimiterConsequence = "its limiter starts with every permit free on every call, so it never limits anything: build it once (a static or singleton field, or AddResiliencePipeline) and share it";

    private readonly KnownTypes _types;
    private readonly MemberUses _uses;
    private readonly INamedTypeSymbol? _connectionMultiplexer;
    private readonly INamedTypeSymbol? _grpcChannel;

    public PerOperationClientRecognizer(KnownTypes types, Compilation compilation, MemberUses uses)
    {
        _uses = uses;
        _types = types;
        JudgesPolicies = types.Polly.HasPolicies;
        var lookup = LibraryTypeLookup.For(compilation);
        _connectionMultiplexer = lookup.Find("StackExchange.Redis", "StackExchange.Redis.ConnectionMultiplexer");
        _grpcChannel = lookup.Find("Grpc.Net.Client", "Grpc.Net.Client.GrpcChannel");
    }

    /// <summary>A Redis or gRPC channel factory is referenced: the invocation callback has something to look for.</summary>
    public bool JudgesFactories => _connectionMultiplexer is not null || _grpcChannel is not null;

    /// <summary>Polly policies or pipelines are referenced: the invocation callback looks for stateful ones built per call.</summary>
    public bool JudgesPolicies { get; }

    /// <summary>A cheap first test on a call's name, before any symbol is compared.</summary>
    public static bool IsCandidateFactoryName(string name) => name is "Connect" or "ConnectAsync" or "ForAddress";

    public PerOperationClient? RecognizeCreation(IObjectCreationOperation creation, ISymbol containingSymbol)
    {
        if (creation.Type is not INamedTypeSymbol { Name: var name } type || !name.EndsWith("Client", System.StringComparison.Ordinal)
            || Subject(type) is not { } subject)
        {
            return null;
        }

        var isHttpClient = SymbolEqualityComparer.Default.Equals(type, _types.Http.HttpClient);
        if (isHttpClient && !OwnsItsHandler(creation))
        {
            // new HttpClient(sharedHandler, disposeHandler: false) per call is how a handler is shared: its connections stay.
            return null;
        }

        return StaysInOneOperation(creation, containingSymbol)
            ? new PerOperationClient(creation, subject, isHttpClient ? HttpConsequence : IsAzureHttpClient(type) ? AzureHttpConsequence : SdkConsequence, isHttpClient && CanHoist(creation))
            : null;
    }

    public PerOperationClient? RecognizeFactory(IInvocationOperation call, ISymbol containingSymbol)
    {
        var method = call.TargetMethod;
        if (!method.IsStatic || !IsCandidateFactoryName(method.Name))
        {
            return null;
        }

        string subject;
        if (method.Name is "Connect" or "ConnectAsync" && SymbolEqualityComparer.Default.Equals(method.ContainingType, _connectionMultiplexer))
        {
            subject = "This ConnectionMultiplexer";
        }
        else if (method.Name == "ForAddress" && SymbolEqualityComparer.Default.Equals(method.ContainingType, _grpcChannel))
        {
            if (UsesASharedTransport(call))
            {
                return null;
            }

            subject = "This GrpcChannel";
        }
        else
        {
            return null;
        }

        // await ConnectionMultiplexer.ConnectAsync(…).ConfigureAwait(false): the awaited value is what is kept.
        IOperation created = call;
        if (OperationTree.Outer(created).Parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure && configure.Instance == OperationTree.Outer(created))
        {
            created = configure;
        }

        if (OperationTree.Outer(created).Parent is IAwaitOperation awaited)
        {
            created = awaited;
        }
        else if (method.Name == "ConnectAsync")
        {
            return null;
        }

        return StaysInOneOperation(created, containingSymbol) ? new PerOperationClient(call, subject, SdkConsequence) : null;
    }

    /// <summary>
    /// A Polly pipeline or policy that keeps state between executions (a circuit breaker, a limiter), built in a method
    /// that runs per operation and dropped after it: the state starts afresh on every call.
    /// </summary>
    public PerOperationClient? RecognizePolicy(IInvocationOperation call, ISymbol containingSymbol)
    {
        if (PollyStatefulStrategies.Recognize(call, _types.Polly) is not { } state || !StaysInOneOperation(call, containingSymbol))
        {
            return null;
        }

        var isPipeline = call.TargetMethod.Name == "Build";
        var subject = (isPipeline, state) switch
        {
            (true, PollyState.CircuitBreaker) => "This resilience pipeline with a circuit breaker",
            (true, _) => "This resilience pipeline with a rate limiter",
            (false, PollyState.CircuitBreaker) => "This circuit-breaker policy",
            _ => "This " + call.TargetMethod.Name.Replace("Async", string.Empty).ToLowerInvariant().Replace("ratelimit", "rate-limit") + " policy",
        };
        var name = call.Syntax is InvocationExpressionSyntax { Expression: var expression } && PollyV7PolicyRecognizer.NameToken(expression) is { } token
            ? token.GetLocation()
            : null;
        return new PerOperationClient(call, subject, state == PollyState.CircuitBreaker ? BreakerConsequence : LimiterConsequence, location: name);
    }

    private bool CanHoist(IObjectCreationOperation creation)
    {
        if (_types.Http.SocketsHttpHandler is null
            || OperationTree.Outer(creation).Parent is not IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: var local, Parent: IVariableDeclarationOperation { Declarators.Length: 1 } } }
            || creation.Type?.DeclaringSyntaxReferences.Length != 0)
        {
            return false;
        }

        foreach (var argument in creation.Arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.DefaultValue
                && !(OperationTree.Unwrap(argument.Value) is IObjectCreationOperation { Type: var handler } && SymbolEqualityComparer.Default.Equals(handler, _types.Http.SocketsHttpHandler)))
            {
                return false;
            }
        }

        // Settings that depend on the call (a parameter, a local, the instance) cannot move to a static field.
        foreach (var operation in creation.Descendants())
        {
            if (operation is ILocalReferenceOperation or IParameterReferenceOperation or IInvalidOperation
                or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance })
            {
                return false;
            }
        }

        // Used only to send: a shared client must not be disposed, reconfigured or given per-call headers.
        foreach (var operation in OperationTree.Root(creation).Descendants())
        {
            if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local)
                && !(OperationTree.Outer(reference).Parent is IInvocationOperation { TargetMethod.Name: var name } call
                     && call.Instance == OperationTree.Outer(reference)
                     && (name.StartsWith("Get", System.StringComparison.Ordinal) || name.StartsWith("Post", System.StringComparison.Ordinal)
                         || name.StartsWith("Put", System.StringComparison.Ordinal) || name.StartsWith("Patch", System.StringComparison.Ordinal)
                         || name.StartsWith("Delete", System.StringComparison.Ordinal) || name.StartsWith("Send", System.StringComparison.Ordinal))))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <c>GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpClient = _shared })</c> (or <c>HttpHandler</c>): the
    /// channel sends over a client or handler made elsewhere, which keeps the connections, as a shared handler does for
    /// <c>new HttpClient(shared, disposeHandler: false)</c>.
    /// </summary>
    private static bool UsesASharedTransport(IInvocationOperation forAddress)
    {
        foreach (var argument in forAddress.Arguments)
        {
            // The options inline, or in a local written once (var options = new GrpcChannelOptions { … }).
            var options = OperationTree.Unwrap(argument.Value);
            if (options is ILocalReferenceOperation local)
            {
                options = OperationTree.Unwrap(LocalWrites.Single(local.Local, local));
            }

            if (options is IObjectCreationOperation { Initializer: { } initializer })
            {
                foreach (var setting in initializer.Initializers)
                {
                    if (setting is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "HttpClient" or "HttpHandler" } } assignment
                        && OperationTree.Unwrap(assignment.Value) is not (IObjectCreationOperation or null)
                        && assignment.Value.ConstantValue is not { HasValue: true, Value: null })
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>No handler, or one made here for this client: the connections are this client's and go with it.</summary>
    private static bool OwnsItsHandler(IObjectCreationOperation creation)
    {
        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter is not { Name: "handler" } || argument.ArgumentKind == ArgumentKind.DefaultValue)
            {
                continue;
            }

            var handler = OperationTree.Unwrap(argument.Value);
            if (handler is ILocalReferenceOperation local
                && LocalWrites.Values(local.Local, handler) is { } values
                && values.TrueForAll(v => OperationTree.Unwrap(v) is IObjectCreationOperation))
            {
                return true;
            }

            return handler is IObjectCreationOperation;
        }

        return true;
    }

    /// <summary>How the message names a client type meant to live long; null for any other type.</summary>
    private string? Subject(INamedTypeSymbol type)
    {
        if (SymbolEqualityComparer.Default.Equals(type, _types.Http.HttpClient))
        {
            // In the browser and on mobile platforms the platform's stack owns the connections.
            return _types.Http.UsesPlatformHandler ? null : "This HttpClient";
        }

        if (_types.Aws.AmazonServiceClient is { } aws && TypeFacts.IsOrDerivesFrom(type.BaseType, aws) && !_types.IsDeclaredHere(type))
        {
            return "This " + type.Name;
        }

        // The Azure SDK's service-level clients hold connections (AMQP for Service Bus and Event Hubs) or a pipeline of
        // their own; container and blob clients are cheap views on a service client and are left alone.
        var space = type.ContainingNamespace?.ToDisplayString();
        var isAzureClient = space is not null
                            && (space.StartsWith("Azure.", System.StringComparison.Ordinal) || space == "Microsoft.Azure.Cosmos")
                            && (type.Name is "ServiceBusClient" or "EventHubProducerClient" or "EventHubConsumerClient" or "CosmosClient" || IsAzureHttpClient(type));
        return isAzureClient && !_types.IsDeclaredHere(type) ? "This " + type.Name : null;
    }

    /// <summary>An Azure Storage service client: HTTP through Azure.Core.</summary>
    private static bool IsAzureHttpClient(ITypeSymbol type)
        => type.Name is "BlobServiceClient" or "QueueServiceClient" or "TableServiceClient" or "ShareServiceClient" or "DataLakeServiceClient"
           && type.ContainingNamespace?.ToDisplayString() is { } space && space.StartsWith("Azure.", System.StringComparison.Ordinal);

    private bool StaysInOneOperation(IOperation created, ISymbol containingSymbol)
    {
        // A lambda runs when whatever it is handed to calls it: judged only when that is once per request (a Minimal API
        // handler). A method that runs once (Main, start-up) still makes one client per item in a loop.
        var lambda = StartupCode.EnclosingLambda(created);
        var perOperation = lambda is null
            ? StartupCode.RunsPerOperation(containingSymbol, _uses) || OperationTree.Ancestor<ILoopOperation>(created) is not null
            : StartupCode.IsRequestHandler(lambda);
        if (!perOperation)
        {
            return false;
        }

        var outer = OperationTree.Outer(created);
        switch (outer.Parent)
        {
            // new HttpClient().GetStringAsync(url): made, used once, dropped.
            case IInvocationOperation call when call.Instance == outer:
                return true;
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: var local } }:
                return LocalWrites.Values(local, created) is { Count: 1 } && LocalStaysAndIsNotReused(local, created);
            default:
                // Returned, stored, handed on: it may be the one long-lived instance.
                return false;
        }
    }

    /// <summary>
    /// Every use of <paramref name="local"/> is through its own members (calls, settings, <c>using</c>, null tests), in
    /// the same lambda-free code as its creation, and none is inside a loop the creation is not in: a client made once
    /// before a batch loop and reused by it is reused, not per operation.
    /// </summary>
    private static bool LocalStaysAndIsNotReused(ILocalSymbol local, IOperation created)
    {
        foreach (var operation in OperationTree.Root(created).Descendants())
        {
            if (operation is not ILocalReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                continue;
            }

            if (StartupCode.EnclosingLambda(reference) != StartupCode.EnclosingLambda(created) || InALoopTheCreationIsNotIn(reference, created))
            {
                return false;
            }

            var outer = OperationTree.Outer(reference);
            var staysHere = outer.Parent switch
            {
                IInvocationOperation call => call.Instance == outer && !HandsOnAPartOf(call, local.Type),
                IPropertyReferenceOperation property => property.Instance == outer,
                IConditionalAccessOperation access => access.Operation == outer,
                IUsingOperation or IBinaryOperation or IIsPatternOperation => true,
                ISimpleAssignmentOperation assignment => assignment.Target == outer,
                _ => false,
            };
            if (!staysHere)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// The call returns a part of the client (<c>muxer.GetDatabase()</c>, <c>cosmos.GetContainer(…)</c>: a type of the
    /// client's own library) and that part leaves the method: returned, stored, handed to a call, directly or through one
    /// local. The part keeps the client alive and in use, so the client is not dropped after this operation.
    /// </summary>
    private static bool HandsOnAPartOf(IInvocationOperation call, ITypeSymbol client)
    {
        if (call.Type is not { } part || !SymbolEqualityComparer.Default.Equals(part.ContainingAssembly, client.ContainingAssembly))
        {
            return false;
        }

        var outer = OperationTree.Outer(call);
        if (outer.Parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: var holder } })
        {
            foreach (var operation in OperationTree.Root(call).Descendants())
            {
                if (operation is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, holder) && Leaves(reference))
                {
                    return true;
                }
            }

            return false;
        }

        return Leaves(call);

        static bool Leaves(IOperation value)
            => OperationTree.Outer(value).Parent is IReturnOperation or IArgumentOperation
                   or ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation };
    }

    private static bool InALoopTheCreationIsNotIn(IOperation use, IOperation created)
    {
        for (var current = use.Parent; current is not null; current = current.Parent)
        {
            if (current is ILoopOperation loop && !OperationTree.IsWithin(created, loop))
            {
                return true;
            }
        }

        return false;
    }
}
