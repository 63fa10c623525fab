using System;
using System.Collections.Concurrent;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

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
    };

    // Namespaces under an outbound one that hold only in-memory work.
    private static readonly string[] InMemoryNamespaces =
    {
        "System.Net.Http.Headers",
        "System.Net.Mime",
        "System.IO.Compression",
        "System.IO.Enumeration",
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
        "WebUtility",
        "NetworkCredential",
        "CookieContainer",
        "HttpRequestMessage",
        "HttpResponseMessage",
        "StringContent",
        "ByteArrayContent",
    };

    private readonly ConcurrentDictionary<INamespaceSymbol, bool> _namespaces = new(SymbolEqualityComparer.Default);
    private readonly INamedTypeSymbol? _console;

    public OutboundOperations(INamedTypeSymbol? console)
    {
        _console = console;
    }

    /// <summary>True when <paramref name="type"/> is declared in an outbound namespace and is not in-memory only.</summary>
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

        return _namespaces.GetOrAdd(type.ContainingNamespace, static ns => Classify(ns.ToDisplayString()));
    }

    /// <summary>An operation that, by itself, calls out: an outbound API call or any awaited call.</summary>
    public bool IsOutbound(IOperation operation)
    {
        switch (operation)
        {
            case IInvocationOperation invocation:
                if (IsConsoleReader(invocation.Instance))
                {
                    return false;
                }

                return IsOutboundType(invocation.TargetMethod.ContainingType)
                    || (invocation.TargetMethod.IsExtensionMethod
                        && invocation.Arguments.Length > 0
                        && IsOutboundType(invocation.Arguments[0].Value.Type)
                        && !IsInMemoryExtension(invocation.TargetMethod));
            case IObjectCreationOperation creation:
                // Constructors that connect or open (TcpClient(host, port), FileStream(path, ...)).
                return creation.Arguments.Length > 0 && IsOutboundType(creation.Type);
            case IAwaitOperation await:
                return IsAwaitedCall(await.Operation);
            default:
                return false;
        }
    }

    /// <summary>Catching an exception type that only I/O throws shows the protected code calls out.</summary>
    public bool IsOutboundException(ITypeSymbol? exceptionType) => IsOutboundType(exceptionType);

    private static bool IsAwaitedCall(IOperation awaited)
    {
        var operation = OperationTree.Unwrap(awaited);

        // ConfigureAwait(false) wraps the real call.
        if (operation is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } inner })
        {
            operation = OperationTree.Unwrap(inner);
        }

        if (operation is not IInvocationOperation invocation)
        {
            return false;
        }

        // Waiting and scheduling are not calls out (Task.Delay, Task.Yield, SemaphoreSlim.WaitAsync, channels).
        var ns = invocation.TargetMethod.ContainingType?.ContainingNamespace?.ToDisplayString();
        return ns is not ("System.Threading" or "System.Threading.Tasks" or "System.Threading.Channels");
    }

    private static bool IsInMemoryExtension(IMethodSymbol method) => method.ContainingNamespace?.ToDisplayString() == "System.Linq";

    private bool IsConsoleReader(IOperation? instance)
        => instance is IPropertyReferenceOperation { Property.Name: "In" } property
           && SymbolEqualityComparer.Default.Equals(property.Property.ContainingType, _console);

    private static bool Classify(string ns)
    {
        foreach (var inMemory in InMemoryNamespaces)
        {
            if (IsSameOrChild(ns, inMemory))
            {
                return false;
            }
        }

        foreach (var outbound in OutboundNamespaces)
        {
            if (IsSameOrChild(ns, outbound))
            {
                return true;
            }
        }

        return false;
    }

    internal static bool IsSameOrChild(string ns, string parent)
        => ns.StartsWith(parent, StringComparison.Ordinal) && (ns.Length == parent.Length || ns[parent.Length] == '.');
}
