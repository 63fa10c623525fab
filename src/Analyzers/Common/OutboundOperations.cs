using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Libraries.Azure;
using ResilienceAnalyzers.Libraries.EfCore;

namespace ResilienceAnalyzers.Common;

/// <summary>
/// Decides whether code calls out to a network, storage or database API (RULES.md, "Outbound operation").
/// One instance per compilation; namespace verdicts are cached.
/// </summary>
public sealed class OutboundOperations
{
    // Namespaces (and their children) whose calls leave the process.
    private static readonly string[] OutboundNamespaces =
    {
        "System.Net",
        "System.IO",
        "System.Data",
        "Microsoft.Data",
        "Npgsql",
        "Grpc",
        "Amazon",
        "Azure",
        "Microsoft.Azure",
        "Google.Cloud",
        "Google.Apis",
        "StackExchange.Redis",
        "MongoDB",
        "RabbitMQ",
        "Confluent.Kafka",
        "Microsoft.EntityFrameworkCore",
        "Dapper",
        "MySqlConnector",
        "MySql.Data",
        "Oracle.ManagedDataAccess",
        "Cassandra",
        "NATS",
        "MailKit",
        "FluentFTP",
        "Renci.SshNet",
        "Neo4j.Driver",
        "Minio",
        "Octokit",
        "Couchbase",
        "Elastic.Clients",
        "Elasticsearch.Net",
        "Nest",

        // The Kubernetes API client (KubernetesClient).
        "k8s",

        // LDAP and Active Directory servers.
        "System.DirectoryServices",
    };

    // Namespaces under an outbound one that hold only in-memory work.
    private static readonly string[] InMemoryNamespaces =
    {
        "System.Net.Http.Headers",
        "System.Net.Mime",
        "System.IO.Compression",
        "System.IO.Enumeration",
        "MongoDB.Bson",
        "System.Data.SqlTypes",

        // SQLite is a database file inside the process, not a service.
        "Microsoft.Data.Sqlite",
        "System.Data.SQLite",
    };

    // Types in an outbound namespace whose members do no I/O (parsing, formatting, buffers).
    private static readonly string[] InMemoryTypes =
    {
        "Path",
        "MemoryStream",
        "StringReader",
        "StringWriter",
        "UnmanagedMemoryStream",
        "IPAddress",
        "IPEndPoint",
        "DnsEndPoint",
        "UnixDomainSocketEndPoint",
        "WebUtility",
        "NetworkCredential",
        "CookieContainer",
        "HttpRequestMessage",
        "HttpResponseMessage",
        "StringContent",
        "ByteArrayContent",
    };

    /// <summary>What a namespace says about the calls into its types.</summary>
    private enum NamespaceKind
    {
        /// <summary>Not an outbound namespace, or one of its in-memory parts.</summary>
        Local,

        /// <summary>An outbound namespace: its types are clients, whatever assembly declares them.</summary>
        Outbound,

        /// <summary><c>Microsoft.Azure.*</c>: outbound when an Azure client library declares it (<see cref="AzureSdkAssemblies"/>).</summary>
        AzureClientIfItsAssemblyIsOne,

        /// <summary><c>Microsoft.EntityFrameworkCore.*</c>: outbound unless the only provider referenced runs in the process (<see cref="EfCoreProviders"/>).</summary>
        EfCore,
    }

    private readonly ConcurrentDictionary<INamespaceSymbol, NamespaceKind> _namespaces = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IAssemblySymbol, bool> _azureClients = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamespaceSymbol, bool> _inMemoryNamespaces = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, bool> _holdsClient = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, bool> _typeHoldsClient = new(SymbolEqualityComparer.Default);
    private readonly Func<IMethodSymbol, bool> _holdsClientOf;
    private readonly Func<INamedTypeSymbol, bool> _typeHoldsClientOf;

    // What the body of a method in another file says, per depth it is read at (the verdict depends on how deep it may look).
    private readonly ConcurrentDictionary<IMethodSymbol, bool>[] _bodies = NewBodyCaches();
    private readonly ConcurrentDictionary<IMethodSymbol, Verdict>[] _sameFileBodies = NewSameFileCaches();
    private readonly INamedTypeSymbol? _console;

    private readonly IAssemblySymbol? _assembly;
    private readonly Lazy<Dictionary<INamedTypeSymbol, List<INamedTypeSymbol>>> _implementers;
    private readonly Lazy<bool> _efCoreInProcess;

    /// <param name="console">System.Console, whose input is not a call out.</param>
    /// <param name="assembly">The assembly being analysed: its own types are judged by what they do, not by their namespace.</param>
    public OutboundOperations(INamedTypeSymbol? console, IAssemblySymbol? assembly = null)
    {
        _console = console;
        _assembly = assembly;
        _holdsClientOf = HoldsClient;
        _typeHoldsClientOf = TypeHoldsClient;
        _implementers = new Lazy<Dictionary<INamedTypeSymbol, List<INamedTypeSymbol>>>(IndexImplementers, System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
        _efCoreInProcess = new Lazy<bool>(() => assembly is not null && EfCoreProviders.OnlyInProcess(ReferencedAssemblies(assembly)), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// True when <paramref name="type"/> is part of a client library's surface: declared in an outbound namespace, not
    /// in-memory only, and, for the namespaces that hosts and frameworks share with clients, by a client's assembly.
    /// </summary>
    /// <remarks>
    /// A library is known by its assembly, not by the namespace it writes in: a type that another assembly declares
    /// <c>internal</c> (seen through <c>InternalsVisibleTo</c>) is a sibling project's plumbing, never a library's public
    /// surface, and <c>Microsoft.Azure.*</c> is also where Microsoft's hosts and a repository's own projects live. Both
    /// are decided from the symbol alone, so a sibling project gives the same answer as metadata (a build) and as source
    /// (an IDE's project reference, the scanner's folder mode).
    /// </remarks>
    public bool IsOutboundType(ITypeSymbol? type)
    {
        if (type is null || type.ContainingNamespace is null)
        {
            return false;
        }

        if (Array.IndexOf(InMemoryTypes, type.Name) >= 0)
        {
            return false;
        }

        switch (_namespaces.GetOrAdd(type.ContainingNamespace, static ns => Classify(ns.ToDisplayString())))
        {
            case NamespaceKind.Local:
                return false;
            case NamespaceKind.AzureClientIfItsAssemblyIsOne when type.ContainingAssembly is not { } assembly
                                                                  || !_azureClients.GetOrAdd(assembly, static a => AzureSdkAssemblies.IsClient(a.Name)):
                return false;
            case NamespaceKind.EfCore when _efCoreInProcess.Value:
                return false;
        }

        return !IsSiblingAbstraction(type);
    }

    /// <summary>
    /// An interface that another assembly declares internal (it or a type containing it): reached only through
    /// <c>InternalsVisibleTo</c>, which a library grants its own tests and sibling projects, never its users, so it is
    /// not a library's public surface but the repository's own abstraction, and which implementation runs cannot be
    /// seen, as for an interface of the compilation (certain or silent). An internal class of a client library is still
    /// the client's code, and is judged as the library is.
    /// </summary>
    private bool IsSiblingAbstraction(ITypeSymbol type)
    {
        if (type.TypeKind != TypeKind.Interface || SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, _assembly))
        {
            return false;
        }

        for (ISymbol? current = type; current is INamedTypeSymbol named; current = named.ContainingType)
        {
            if (named.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<IAssemblySymbol> ReferencedAssemblies(IAssemblySymbol assembly)
    {
        foreach (var module in assembly.Modules)
        {
            foreach (var reference in module.ReferencedAssemblySymbols)
            {
                yield return reference;
            }
        }
    }

    /// <summary>
    /// An operation that, by itself, sends a request to another service (RULES.md, "Outbound operation"): a call or a
    /// connecting constructor of a network, database, broker or cloud API, or a call to a method of the compilation
    /// that visibly makes one. Local files, accepting inbound connections, console input, waiting, and calls whose
    /// target cannot be seen (an interface of the compilation, a delegate) are not.
    /// </summary>
    /// <remarks>Told by kind: the walks ask this of every operation they visit, and an interface type test scans the operation class's interfaces.</remarks>
    public bool IsOutbound(IOperation operation)
        => operation.Kind switch
        {
            OperationKind.Invocation => IsOutboundCall((IInvocationOperation)operation, depth: 0),

            // Constructors that connect or open (TcpClient(host, port)); not those that wrap a connection already made
            // (new NetworkStream(socket), new SslStream(stream)) or only make a handle (new Socket(family, type, protocol)).
            OperationKind.ObjectCreation => operation is IObjectCreationOperation creation
                && creation.Arguments.Length > 0 && IsRemoteType(creation.Type)
                && creation.Type?.Name != "Socket" && !WrapsAConnection(creation)
                && !(IsSocketClient(creation.Type as INamedTypeSymbol) && HasLoopbackArgument(creation.Arguments)),
            _ => false,
        };

    /// <summary>
    /// A method handed over as a delegate rather than called (<c>ids.Select(client.GetStringAsync)</c>,
    /// <c>ids.Select(FetchAsync)</c>): judged as a call to it would be, from the method and the receiver it is bound to.
    /// Kept apart from <see cref="IsOutbound"/>, whose callers walk bodies where a method group is not a call.
    /// </summary>
    public bool IsOutboundMethodGroup(IMethodReferenceOperation reference)
    {
        var method = reference.Method;
        var receiver = OperationTree.Unwrap(reference.Instance);
        if (IsConsoleReader(receiver) || IsKnownNotToCallOut(method) || IsInMemoryReceiver(receiver, method))
        {
            return false;
        }

        if ((IsRemoteType(method.ContainingType) && !IsSettingsType(method.ContainingType))
            || (method.ReducedFrom is not null && IsRemoteType(receiver?.Type) && !IsInMemoryExtension(method)))
        {
            return true;
        }

        return MethodCallsOut((method.ReducedFrom ?? method).OriginalDefinition, reference.SemanticModel, depth: 0);
    }

    /// <summary>Catching an exception type that only a remote call throws (SocketException, HttpRequestException, DbException).</summary>
    public bool IsOutboundException(ITypeSymbol? exceptionType) => IsRemoteType(exceptionType);

    /// <summary>Accepting an inbound connection or request waits for a client; it sends nothing to a dependency.</summary>
    public static bool IsInbound(IMethodSymbol method)
        => method.Name.StartsWith("Accept", StringComparison.Ordinal)
           || method.Name is "GetContext" or "GetContextAsync" or "BeginGetContext" or "Listen"
           || IsListener(method.ContainingType);

    /// <summary><c>HttpListener</c> and <c>TcpListener</c> serve: starting one binds a port on this machine.</summary>
    private static bool IsListener(INamedTypeSymbol? type)
        => type is { Name: "HttpListener" or "TcpListener" or "UdpListener" }
           && type.ContainingNamespace?.ToDisplayString() is "System.Net" or "System.Net.Sockets";

    /// <summary>An outbound type that is not local I/O: <c>System.IO</c> files, directories and streams stay on the machine.</summary>
    /// <remarks>
    /// Inside a client library's own code (Npgsql compiling Npgsql), its namespace says nothing: a parser or a cache
    /// there is in-memory work. Its types are judged by what their methods visibly do (<see cref="VisiblyCallsOut"/>).
    /// </remarks>
    public bool IsRemoteType(ITypeSymbol? type)
        => type is not null
           && IsOutboundType(type)
           && !IsLocalIo(type.ContainingNamespace)
           && !SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, _assembly);

    /// <summary>How many calls deep a method of the compilation is looked into.</summary>
    private const int MaxVisibleDepth = 3;

    private static ConcurrentDictionary<IMethodSymbol, Verdict>[] NewSameFileCaches()
    {
        var caches = new ConcurrentDictionary<IMethodSymbol, Verdict>[MaxVisibleDepth];
        for (var i = 0; i < caches.Length; i++)
        {
            caches[i] = new ConcurrentDictionary<IMethodSymbol, Verdict>(SymbolEqualityComparer.Default);
        }

        return caches;
    }

    private static ConcurrentDictionary<IMethodSymbol, bool>[] NewBodyCaches()
    {
        var caches = new ConcurrentDictionary<IMethodSymbol, bool>[MaxVisibleDepth];
        for (var i = 0; i < caches.Length; i++)
        {
            caches[i] = new ConcurrentDictionary<IMethodSymbol, bool>(SymbolEqualityComparer.Default);
        }

        return caches;
    }

    private bool IsOutboundCall(IInvocationOperation invocation, int depth)
    {
        var method = invocation.TargetMethod;
        if (IsConsoleReader(invocation.Instance) || IsKnownNotToCallOut(method) || TalksToThisMachine(invocation) || HasInMemoryReceiver(invocation))
        {
            return false;
        }

        if ((IsRemoteType(method.ContainingType) && !IsSettingsType(method.ContainingType))
            || (method.IsExtensionMethod
                && invocation.Arguments.Length > 0
                && IsRemoteType(invocation.Arguments[0].Value.Type)
                && !IsInMemoryExtension(method)))
        {
            return true;
        }

        return depth < MaxVisibleDepth && VisiblyCallsOut(invocation, depth);
    }

    /// <summary>
    /// A method of the compilation that visibly calls out. Its body, when the compilation has it, decides: it calls out
    /// when it holds an outbound operation, and a body that calls nothing out does not (certain or silent), whatever
    /// clients its type holds. The clients it takes or its type holds (in a field or an auto-property) are the guess for
    /// a body that cannot be read whole: one deeper than <see cref="MaxVisibleDepth"/> calls, or with lambdas in it. A
    /// body in another file is read only when that guess would claim a send, so the guess is checked without binding
    /// every callee of the compilation.
    /// Abstract and interface members and delegates are not claimed to call out: which implementation runs cannot be
    /// seen (certain or silent). An interface of the compilation whose every implementation stays local is known to
    /// stay local (<see cref="IsSeenToStayLocal"/>). A method of a sibling project whose source is at hand (an IDE's or
    /// the scanner's project reference) is judged by the guess only: its body is not the compilation's to bind.
    /// Formatting, equality and ordering members (<see cref="IsValueMember"/>) never send.
    /// </summary>
    private bool VisiblyCallsOut(IInvocationOperation invocation, int depth)
        => MethodCallsOut(invocation.TargetMethod.OriginalDefinition, invocation.SemanticModel, depth);

    private bool MethodCallsOut(IMethodSymbol method, SemanticModel? model, int depth)
    {
        if (method.IsAbstract || method.IsExtern || method.DeclaringSyntaxReferences.IsEmpty
            || method.ContainingType is null || method.ContainingType.TypeKind == TypeKind.Interface
            || IsValueMember(method))
        {
            return false;
        }

        if (model is not null && SameFileBodyCallsOut(method, model, depth) is { } inThisFile)
        {
            return inThisFile;
        }

        if (!_holdsClient.GetOrAdd(method, _holdsClientOf))
        {
            return false;
        }

        // The guess claims a send: a body in another file checks it.
        return model is null
               || depth >= MaxVisibleDepth
               || _bodies[depth].GetOrAdd(method, m => BodyCallsOut(m, model, inThisFile: false, depth) ?? true);
    }

    /// <summary>
    /// <see cref="BodyCallsOut"/> in this file, kept per method declared in one file: every loop and try of the file that
    /// calls the same helper asks about its body again, and its answer does not change.
    /// </summary>
    private bool? SameFileBodyCallsOut(IMethodSymbol method, SemanticModel model, int depth)
    {
        var references = method.DeclaringSyntaxReferences;
        if (references.Length != 1)
        {
            return BodyCallsOut(method, model, inThisFile: true, depth);
        }

        if (references[0].SyntaxTree != model.SyntaxTree)
        {
            return null;
        }

        var cache = _sameFileBodies[depth];
        if (!cache.TryGetValue(method, out var verdict))
        {
            verdict = cache.GetOrAdd(method, BodyCallsOut(method, model, inThisFile: true, depth) switch { true => Verdict.CallsOut, false => Verdict.StaysLocal, null => Verdict.Unseen });
        }

        return verdict switch { Verdict.CallsOut => true, Verdict.StaysLocal => false, _ => null };
    }

    private enum Verdict : byte
    {
        Unseen,
        CallsOut,
        StaysLocal,
    }

    /// <summary>
    /// What the method's body says, read from this file's <paramref name="model"/> or from the other files of its
    /// compilation: true when it holds an outbound operation (or calls, deeper than it looks, a method whose guess is a
    /// send), false when it holds none and all of it was looked into, null when there is no body to read here, or a lambda
    /// in it was not looked into.
    /// </summary>
    private bool? BodyCallsOut(IMethodSymbol method, SemanticModel model, bool inThisFile, int depth)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            if ((reference.SyntaxTree == model.SyntaxTree) != inThisFile || (!inThisFile && !model.Compilation.ContainsSyntaxTree(reference.SyntaxTree)))
            {
                continue;
            }

            var bodyModel = inThisFile ? model : model.Compilation.GetSemanticModel(reference.SyntaxTree);
            if (bodyModel.GetOperation(reference.GetSyntax()) is not { } body)
            {
                continue;
            }

            // A call too deep to look into is judged by its callee's guess; a lambda or local function leaves the body unseen
            // (the walk does not enter them, and what runs them, Task.Run or a policy, may run them now).
            var unseen = false;
            foreach (var operation in OperationTree.Descendants(body))
            {
                switch (operation.Kind)
                {
                    case OperationKind.Invocation:
                        var inner = (IInvocationOperation)operation;
                        if (IsOutboundCall(inner, depth + 1))
                        {
                            return true;
                        }

                        if (depth + 1 >= MaxVisibleDepth && HasSourceBody(inner.TargetMethod)
                            && _holdsClient.GetOrAdd(inner.TargetMethod.OriginalDefinition, _holdsClientOf))
                        {
                            return true;
                        }

                        break;
                    case OperationKind.ObjectCreation when IsOutbound(operation):
                        return true;
                    case OperationKind.AnonymousFunction or OperationKind.LocalFunction:
                        unseen = true;
                        break;
                }
            }

            return unseen ? null : false;
        }

        return null;
    }

    /// <summary>A method whose verdict would come from its body or its guess (<see cref="MethodCallsOut"/>), not from a library's type.</summary>
    private static bool HasSourceBody(IMethodSymbol method)
        => !method.IsAbstract && !method.DeclaringSyntaxReferences.IsEmpty && !IsValueMember(method)
           && method.ContainingType is { TypeKind: not TypeKind.Interface };

    /// <summary>
    /// <c>ToString</c>, <c>Equals</c>, <c>GetHashCode</c>, <c>CompareTo</c>: the members that format, compare and hash a
    /// value, which every type has or overrides from <see cref="object"/>. They describe the object; they send nothing.
    /// </summary>
    private static bool IsValueMember(IMethodSymbol method)
        => method.Name is "ToString" or "Equals" or "GetHashCode" or "CompareTo";

    /// <summary>
    /// A member of an interface the compilation declares, which has implementations in the compilation and none of
    /// them visibly calls out: what a call to it does can be seen, and it stays on this machine.
    /// </summary>
    public bool IsSeenToStayLocal(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod.OriginalDefinition;
        if (method.ContainingType?.TypeKind != TypeKind.Interface || !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _assembly))
        {
            return false;
        }

        var implementations = ImplementationsOf(method);
        if (implementations.Count == 0)
        {
            return false;
        }

        foreach (var implementation in implementations)
        {
            if (MethodCallsOut(implementation, invocation.SemanticModel, depth: 1))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The methods of the compilation's own classes and structs that implement <paramref name="interfaceMethod"/>.</summary>
    private List<IMethodSymbol> ImplementationsOf(IMethodSymbol interfaceMethod)
    {
        var result = new List<IMethodSymbol>();
        if (interfaceMethod.ContainingType is not { } @interface
            || !SymbolEqualityComparer.Default.Equals(@interface.ContainingAssembly, _assembly)
            || !_implementers.Value.TryGetValue(@interface, out var types))
        {
            return result;
        }

        foreach (var type in types)
        {
            if (type.FindImplementationForInterfaceMember(interfaceMethod) is IMethodSymbol implementation)
            {
                result.Add(implementation.OriginalDefinition);
            }
        }

        return result;
    }

    /// <summary>Each interface the compilation declares, with the compilation's types that implement it. Built once.</summary>
    private Dictionary<INamedTypeSymbol, List<INamedTypeSymbol>> IndexImplementers()
    {
        var index = new Dictionary<INamedTypeSymbol, List<INamedTypeSymbol>>(SymbolEqualityComparer.Default);
        if (_assembly is null)
        {
            return index;
        }

        // Namespaces, and types for the types nested in them. A type's nested types only: asking a type for all its
        // members would build every method and field symbol of the compilation.
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(_assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (current is INamespaceSymbol @namespace)
            {
                foreach (var member in @namespace.GetMembers())
                {
                    pending.Push(member);
                }

                continue;
            }

            var type = (INamedTypeSymbol)current;
            foreach (var nested in type.GetTypeMembers())
            {
                pending.Push(nested);
            }

            if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct))
            {
                continue;
            }

            foreach (var @interface in type.AllInterfaces)
            {
                var definition = @interface.OriginalDefinition;
                if (!SymbolEqualityComparer.Default.Equals(definition.ContainingAssembly, _assembly))
                {
                    continue;
                }

                if (!index.TryGetValue(definition, out var list))
                {
                    index[definition] = list = new List<INamedTypeSymbol>();
                }

                list.Add(type);
            }
        }

        return index;
    }

    private bool HoldsClient(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            if (IsClientType(parameter.Type))
            {
                return true;
            }
        }

        return !method.IsStatic && method.ContainingType is { } type && _typeHoldsClient.GetOrAdd(type, _typeHoldsClientOf);
    }

    /// <summary>
    /// The type's own clients and those it inherits from base classes of the compilation (a table manager deriving from a
    /// data manager that holds the TableClient). What a type holds is in its fields, an auto-property's backing field among
    /// them; a computed property holds nothing (an override of DbTransaction.DbConnection that returns the library's own
    /// connection). Kept per type: every method of a type asks the same question, and answering it lists the type's members.
    /// </summary>
    private bool TypeHoldsClient(INamedTypeSymbol containingType)
    {
        for (var type = containingType; type is not null && !type.DeclaringSyntaxReferences.IsEmpty; type = type.BaseType)
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IFieldSymbol { IsStatic: false } field && IsClientType(field.Type))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// A client's settings (<c>AmazonS3Config</c>, <c>KubernetesClientConfiguration</c>, <c>*Options</c>, <c>*Settings</c>):
    /// its members build or read local configuration, a kubeconfig file among them; they do not call the service.
    /// </summary>
    private static bool IsSettingsType(INamedTypeSymbol? type)
        => type is not null
           && (type.Name.EndsWith("Options", StringComparison.Ordinal) || type.Name.EndsWith("Config", StringComparison.Ordinal)
               || type.Name.EndsWith("Configuration", StringComparison.Ordinal) || type.Name.EndsWith("Settings", StringComparison.Ordinal));

    /// <summary>A type whose instances talk to another service: a remote type that is not an exception, options or a value.</summary>
    private bool IsClientType(ITypeSymbol? type)
        => type is { TypeKind: TypeKind.Class or TypeKind.Interface }
           && !type.Name.EndsWith("Exception", StringComparison.Ordinal)
           && !type.Name.EndsWith("Options", StringComparison.Ordinal)
           && IsRemoteType(type);

    private static bool IsLocalIo(INamespaceSymbol? ns)
    {
        for (var current = ns; current is not null && !current.IsGlobalNamespace; current = current.ContainingNamespace)
        {
            if (current.Name == "IO" && current.ContainingNamespace is { Name: "System" } system && system.ContainingNamespace.IsGlobalNamespace)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A call that is known to stay on this machine or to wait for a client, whatever its type is.</summary>
    public static bool IsKnownNotToCallOut(IMethodSymbol method)
        => IsInbound(method) || IsLocalEnqueue(method) || IsReadinessWait(method) || IsValueMember(method) || IsLogWrite(method) || IsTeardown(method);

    /// <summary>
    /// Closing, disposing, stopping or aborting what this process holds (<c>connection.CloseAsync()</c> on shutdown,
    /// <c>probe.Close()</c> after a test connection) releases it: it is not a request that a retry could send again, nor a
    /// backlog of them, whatever the object talks to.
    /// </summary>
    public static bool IsTeardown(IMethodSymbol method)
    {
        var name = method.Name;
        return name.StartsWith("Close", StringComparison.Ordinal)
               || name.StartsWith("Dispose", StringComparison.Ordinal)
               || name.StartsWith("Stop", StringComparison.Ordinal)
               || name.StartsWith("Abort", StringComparison.Ordinal)
               || name.StartsWith("Shutdown", StringComparison.Ordinal)
               || name.StartsWith("Disconnect", StringComparison.Ordinal);
    }

    /// <summary>
    /// A log write: a method that returns nothing and takes first the logger it writes to
    /// (<c>Microsoft.Extensions.Logging.ILogger</c> or <c>ILogger&lt;T&gt;</c>), the shape of the helpers written over
    /// <c>LoggerMessage.Define</c> and generated for <c>[LoggerMessage]</c> (<c>Log.SendFailed(_logger, message)</c>) and
    /// of <c>ILogger</c> extension methods (<c>_logger.SendFailed(message)</c>). A client library writes such helpers in
    /// its own namespace, and its sibling projects call them; they hand an entry to the logging pipeline, not a request
    /// to a dependency, whatever namespace declares them.
    /// </summary>
    private static bool IsLogWrite(IMethodSymbol method)
    {
        var parameters = (method.ReducedFrom ?? method).Parameters;
        return method.ReturnsVoid
               && parameters.Length > 0
               && parameters[0].Type is INamedTypeSymbol { Name: "ILogger", ContainingNamespace: { Name: "Logging", ContainingNamespace: { Name: "Extensions", ContainingNamespace: { Name: "Microsoft", ContainingNamespace.IsGlobalNamespace: true } } } };
    }

    /// <summary>
    /// <c>Socket.Poll</c> and <c>Socket.Select</c> wait until a socket can be read or written; they send nothing. A loop
    /// around them waits for data, it does not re-send a request.
    /// </summary>
    private static bool IsReadinessWait(IMethodSymbol method)
        => (method.Name is "Poll" or "Select"
            && method.ContainingType is { Name: "Socket" } socket
            && socket.ContainingNamespace?.ToDisplayString() == "System.Net.Sockets")
           || IsConnectionStateQuery(method);

    /// <summary>
    /// StackExchange.Redis <c>IsConnected(key)</c> reads the multiplexer's own view of its connection to the server
    /// that owns the key; it sends nothing. A loop around it waits for a reconnection, it does not re-send a request.
    /// </summary>
    private static bool IsConnectionStateQuery(IMethodSymbol method)
        => method.Name == "IsConnected"
           && method.ContainingNamespace?.ToDisplayString() == "StackExchange.Redis";

    /// <summary>
    /// Kafka's synchronous <c>Produce</c> only puts the message on the client's local send queue (delivery is reported
    /// later, to a handler), and <c>Poll</c> serves those reports: neither waits on the broker. <c>ProduceAsync</c> does.
    /// </summary>
    private static bool IsLocalEnqueue(IMethodSymbol method)
        => method.Name is "Produce" or "Poll"
           && method.ContainingNamespace?.ToDisplayString() == "Confluent.Kafka";

    /// <summary>
    /// A call on a Unix-domain socket endpoint (<c>ConnectAsync(new UnixDomainSocketEndPoint(path))</c>): a process on the
    /// same machine, reached through the file system, not a dependency across the network.
    /// </summary>
    private static bool TalksToThisMachine(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (OperationTree.Unwrap(argument.Value)?.Type is { Name: "UnixDomainSocketEndPoint" } type
                && type.ContainingNamespace?.ToDisplayString() == "System.Net.Sockets")
            {
                return true;
            }
        }

        return invocation.TargetMethod.Name is "Connect" or "ConnectAsync" or "BeginConnect"
               && IsSocketClient(invocation.TargetMethod.ContainingType)
               && HasLoopbackArgument(invocation.Arguments);
    }

    /// <summary>
    /// A connection to a loopback address (<c>socket.Connect(IPAddress.Loopback, port)</c>, <c>new TcpClient("localhost",
    /// port)</c>) is answered, or refused, by this machine: a loop around it waits for a local process (a tunnel, a child
    /// process) to listen. Nothing crosses the network, so there is no dependency for its attempts to pile onto.
    /// </summary>
    private static bool HasLoopbackArgument(ImmutableArray<IArgumentOperation> arguments)
    {
        foreach (var argument in arguments)
        {
            if (IsLoopback(argument.Value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsLoopback(IOperation? value)
        => OperationTree.Unwrap(value) switch
        {
            IFieldReferenceOperation { Field: { Name: "Loopback" or "IPv6Loopback", ContainingType.Name: "IPAddress" } } => true,
            { ConstantValue: { HasValue: true, Value: string host } } => IsLoopbackHost(host),
            IObjectCreationOperation { Type.Name: "IPEndPoint" or "DnsEndPoint", Arguments.Length: > 0 } endpoint => IsLoopback(endpoint.Arguments[0].Value),
            IInvocationOperation { TargetMethod: { Name: "Parse", ContainingType.Name: "IPAddress" }, Arguments.Length: 1 } parse => IsLoopback(parse.Arguments[0].Value),
            _ => false,
        };

    /// <summary>
    /// A host that is this machine: <c>localhost</c> and its subdomains (RFC 6761), or a loopback address
    /// (<c>127.0.0.0/8</c>, <c>::1</c>, bracketed or not).
    /// </summary>
    public static bool IsLoopbackHost(string host)
    {
        host = host.Trim();
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
               || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase)
               || (System.Net.IPAddress.TryParse(host.Trim('[', ']'), out var address) && System.Net.IPAddress.IsLoopback(address));
    }

    private static bool IsSocketClient(INamedTypeSymbol? type)
        => type is { Name: "Socket" or "TcpClient" or "UdpClient" } && type.ContainingNamespace?.ToDisplayString() == "System.Net.Sockets";

    /// <summary>
    /// The call is made on an object of an in-memory library, whatever base type declares the method:
    /// <c>sqliteCommand.ExecuteNonQueryAsync()</c> is <c>DbCommand</c>'s method run by SQLite inside the process.
    /// </summary>
    private bool HasInMemoryReceiver(IInvocationOperation invocation) => IsInMemoryReceiver(OperationTree.Receiver(invocation), invocation.TargetMethod);

    private bool IsInMemoryReceiver(IOperation? receiver, IMethodSymbol method)
        => receiver?.Type is INamedTypeSymbol { ContainingNamespace: { } ns } type
           && !SymbolEqualityComparer.Default.Equals(type, method.ContainingType)
           && _inMemoryNamespaces.GetOrAdd(ns, static n => IsInMemoryNamespace(n.ToDisplayString()));

    private static bool IsInMemoryNamespace(string ns)
    {
        foreach (var inMemory in InMemoryNamespaces)
        {
            if (IsSameOrChild(ns, inMemory))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The constructor takes a socket or a stream: it wraps a connection that is already there.</summary>
    private static bool WrapsAConnection(IObjectCreationOperation creation)
    {
        foreach (var argument in creation.Arguments)
        {
            for (var type = OperationTree.Unwrap(argument.Value)?.Type; type is not null; type = type.BaseType)
            {
                if (type.Name is "Socket" or "Stream"
                    && type.ContainingNamespace?.ToDisplayString() is "System.Net.Sockets" or "System.IO")
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsInMemoryExtension(IMethodSymbol method) => method.ContainingNamespace?.ToDisplayString() == "System.Linq";

    /// <summary>
    /// The region asks the user: it reads what they type (<c>Console.ReadLine()</c>, <c>Console.ReadKey()</c>,
    /// <c>Console.In.ReadLine()</c>) or shows a modal dialog (<c>form.ShowDialog()</c>: the name every desktop UI library
    /// gives it, and read from the syntax too, since a desktop app scanned without its UI framework's references still
    /// says it).
    /// </summary>
    public bool ReadsUserInput(IOperation region)
        => OperationTree.Any(region, o => o switch
        {
            IInvocationOperation invocation => IsDialog(invocation.TargetMethod.Name)
                || (_console is not null
                    && ((invocation.TargetMethod.Name.StartsWith("Read", StringComparison.Ordinal)
                         && SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, _console))
                        || IsConsoleReader(invocation.Instance))),
            IInvalidOperation { Syntax: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax member } } => IsDialog(member.Name.Identifier.ValueText),
            _ => false,
        });

    private static bool IsDialog(string methodName) => methodName is "ShowDialog" or "ShowDialogAsync";

    private bool IsConsoleReader(IOperation? instance)
        => instance is IPropertyReferenceOperation { Property.Name: "In" } property
           && SymbolEqualityComparer.Default.Equals(property.Property.ContainingType, _console);

    private static NamespaceKind Classify(string ns)
    {
        if (IsInMemoryNamespace(ns))
        {
            return NamespaceKind.Local;
        }

        foreach (var outbound in OutboundNamespaces)
        {
            if (IsSameOrChild(ns, outbound))
            {
                return outbound switch
                {
                    "Microsoft.Azure" => NamespaceKind.AzureClientIfItsAssemblyIsOne,
                    "Microsoft.EntityFrameworkCore" => NamespaceKind.EfCore,
                    _ => NamespaceKind.Outbound,
                };
            }
        }

        return NamespaceKind.Local;
    }

    internal static bool IsSameOrChild(string ns, string parent)
        => ns.StartsWith(parent, StringComparison.Ordinal) && (ns.Length == parent.Length || ns[parent.Length] == '.');
}
