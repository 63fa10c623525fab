using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Timeouts;

/// <summary>The unit of a timeout, which the RES010 fix keeps.</summary>
public enum TimeoutUnit
{
    /// <summary>Not known for certain: the fix offers nothing.</summary>
    Unknown,
    TimeSpan,
    Seconds,
    Milliseconds,
    ConnectionString,
}

/// <summary>A property or parameter that bounds how long an outbound call may wait.</summary>
public sealed class TimeoutTarget
{
    public TimeoutTarget(string displayName, bool zeroIsInfinite, TimeoutUnit unit, bool isHttp, bool isHttpClientTimeout)
    {
        DisplayName = displayName;
        ZeroIsInfinite = zeroIsInfinite;
        Unit = unit;
        IsHttp = isHttp;
        IsHttpClientTimeout = isHttpClientTimeout;
    }

    /// <summary>How the diagnostic names it: <c>HttpClient.Timeout</c>, <c>'commandTimeout'</c>.</summary>
    public string DisplayName { get; }

    /// <summary>The API documents 0 as "no limit" (ADO.NET timeouts and what forwards to them, socket send/receive).</summary>
    public bool ZeroIsInfinite { get; }

    public TimeoutUnit Unit { get; }

    /// <summary>An HTTP timeout: the fix's default is HttpClient's 100 s rather than ADO.NET's 30 s.</summary>
    public bool IsHttp { get; }

    /// <summary><c>HttpClient.Timeout</c>, which a timeout strategy on the client's factory builder may own instead.</summary>
    public bool IsHttpClientTimeout { get; }
}

/// <summary>
/// Recognises the timeouts RES010 judges: every API RULES.md lists, and any other <c>*Timeout</c> property or
/// <c>*timeout</c> parameter of a type in an outbound namespace (see <see cref="OutboundOperations"/>).
/// </summary>
public sealed class TimeoutTargetRecognizer
{
    // Names ending in Timeout that bound an idle connection's life or a background chore, not a call.
    private static readonly string[] NotCallTimeouts = { "Idle", "Lease", "Lifetime", "KeepAlive", "Drain", "DnsRefresh" };

    // Namespaces of ADO.NET providers and what forwards to them; their int timeouts are seconds, 0 = no limit.
    private static readonly string[] DataNamespaces =
    {
        "System.Data",
        "Microsoft.Data",
        "Npgsql",
        "MySqlConnector",
        "MySql.Data",
        "Oracle.ManagedDataAccess",
        "IBM.Data",
        "FirebirdSql",
        "Dapper",
        "Microsoft.EntityFrameworkCore",
    };

    // System.Net.Sockets.SocketOptionName values.
    private const int SocketOptionSendTimeout = 0x1005;
    private const int SocketOptionReceiveTimeout = 0x1006;

    private readonly KnownTypes _types;
    private readonly OutboundOperations _outbound;

    public TimeoutTargetRecognizer(KnownTypes types, OutboundOperations outbound)
    {
        _types = types;
        _outbound = outbound;
    }

    /// <summary>Cheap test on the name alone, before any symbol work; asked of every argument's parameter, so its last letter first.</summary>
    public static bool HasTimeoutName(string name)
        => name.Length >= 7 && (name[name.Length - 1] | 0x20) == 't'
           && name.EndsWith("Timeout", StringComparison.OrdinalIgnoreCase) && !IsNotCallTimeout(name);

    public TimeoutTarget? Property(IPropertySymbol property)
    {
        if (!HasTimeoutName(property.Name))
        {
            return null;
        }

        // An override (SqlCommand.CommandTimeout, a user's Stream) counts through the API it overrides.
        INamedTypeSymbol? declaring = null;
        for (var current = property; current is not null; current = current.OverriddenProperty)
        {
            if (IsTimeoutOwner(current.ContainingType))
            {
                declaring = current.ContainingType;
                break;
            }
        }

        if (declaring is null)
        {
            return null;
        }

        var ns = Namespace(declaring);
        var isSocket = ns == "System.Net.Sockets" && property.Name is "SendTimeout" or "ReceiveTimeout";
        return Create(declaring, ns, property.Type, $"{declaring.Name}.{property.Name}", isSocket, isHttpClientTimeout: property.Name == "Timeout" && SymbolEqualityComparer.Default.Equals(declaring, _types.Http.HttpClient));
    }

    /// <summary><c>builder["Connect Timeout"] = …</c> on a <c>DbConnectionStringBuilder</c>: seconds, 0 = no limit.</summary>
    public static TimeoutTarget? ConnectionStringBuilderIndexer(IPropertyReferenceOperation indexer)
    {
        if (!indexer.Property.IsIndexer
            || indexer.Arguments.Length != 1
            || indexer.Arguments[0].Value.ConstantValue is not { HasValue: true, Value: string key }
            || !ConnectionStringTimeouts.IsTimeoutKey(key)
            || !IsConnectionStringBuilder(indexer.Property.ContainingType))
        {
            return null;
        }

        return new TimeoutTarget($"'{key}'", zeroIsInfinite: true, TimeoutUnit.Seconds, isHttp: false, isHttpClientTimeout: false);
    }

    /// <summary>
    /// <c>socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReceiveTimeout, 0)</c>: the option value
    /// of a send or receive timeout, in milliseconds, 0 = no limit.
    /// </summary>
    public static TimeoutTarget? SocketOption(IArgumentOperation argument)
    {
        if (argument.Parameter is not { Name: "optionValue", Type.SpecialType: SpecialType.System_Int32 }
            || argument.Parent is not IInvocationOperation { TargetMethod: { Name: "SetSocketOption", ContainingType.Name: "Socket" } } call
            || call.TargetMethod.ContainingType.ContainingNamespace?.ToDisplayString() != "System.Net.Sockets")
        {
            return null;
        }

        foreach (var other in call.Arguments)
        {
            if (other.Parameter?.Name == "optionName"
                && other.Value.ConstantValue is { HasValue: true, Value: int option }
                && option is SocketOptionSendTimeout or SocketOptionReceiveTimeout)
            {
                return new TimeoutTarget(option == SocketOptionSendTimeout ? "SocketOptionName.SendTimeout" : "SocketOptionName.ReceiveTimeout", zeroIsInfinite: true, TimeoutUnit.Milliseconds, isHttp: false, isHttpClientTimeout: false);
            }
        }

        return null;
    }

    public TimeoutTarget? Parameter(IParameterSymbol parameter)
    {
        if (!HasTimeoutName(parameter.Name)
            || parameter.ContainingSymbol is not IMethodSymbol method
            || method.MethodKind is MethodKind.PropertySet or MethodKind.EventAdd or MethodKind.EventRemove
            || IsCheck(method.Name)
            || method.ContainingType is not { } type)
        {
            return null;
        }

        var ns = Namespace(type);
        if (!IsTimeoutOwner(type)
            && !(IsPolly(ns) && method.Name is "Timeout" or "TimeoutAsync" or "AddTimeout"))
        {
            return null;
        }

        // Readiness waits (Socket.Poll and Select, a message consumer's Consume) are how servers and workers
        // idle until there is work; they are not calls that hang.
        if (method.Name is "Poll" or "Select" or "Consume")
        {
            return null;
        }

        return Create(type, ns, parameter.Type, $"'{parameter.Name}'", isSocket: false, isHttpClientTimeout: false);
    }

    private TimeoutTarget Create(INamedTypeSymbol owner, string ns, ITypeSymbol valueType, string displayName, bool isSocket, bool isHttpClientTimeout)
    {
        var type = TypeFacts.UnwrapNullable(valueType);
        var isData = IsUnder(ns, DataNamespaces);
        var isInteger = type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_UInt32 or SpecialType.System_Int16;

        TimeoutUnit unit;
        if (SymbolEqualityComparer.Default.Equals(type, _types.TimeSpan))
        {
            unit = TimeoutUnit.TimeSpan;
        }
        else if (isInteger && isData)
        {
            unit = TimeoutUnit.Seconds;
        }
        else if (isInteger && (OutboundOperations.IsSameOrChild(ns, "System.Net") || OutboundOperations.IsSameOrChild(ns, "System.IO")))
        {
            // Sockets, streams, WebRequest, SmtpClient, pipes: .NET's int timeouts are milliseconds.
            unit = TimeoutUnit.Milliseconds;
        }
        else
        {
            unit = TimeoutUnit.Unknown;
        }

        var isHttp = OutboundOperations.IsSameOrChild(ns, "System.Net.Http") || owner.Name.EndsWith("WebRequest", StringComparison.Ordinal);
        return new TimeoutTarget(displayName, zeroIsInfinite: isInteger && (isData || isSocket), unit, isHttp, isHttpClientTimeout);
    }

    /// <summary>A type whose timeouts bound outbound calls: one in an outbound namespace, or Polly's timeout options.</summary>
    private bool IsTimeoutOwner(INamedTypeSymbol type)
    {
        // A type the compilation declares is its own plumbing (RULES.md, "Use, not definition"): its overloads and
        // internal values (Wait() => Wait(0), -1 for "the remaining budget") are judged where callers choose them.
        if (_types.IsDeclaredHere(type))
        {
            return false;
        }

        if (TypeFacts.DerivesFromDefinition(type, _types.Polly.TimeoutStrategyOptions))
        {
            return true;
        }

        // FileSystemWatcher waits for local file events, not for a dependency.
        return type.Name != "FileSystemWatcher" && _outbound.IsOutboundType(type);
    }

    private static bool IsConnectionStringBuilder(INamedTypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name == "DbConnectionStringBuilder" && current.ContainingNamespace?.ToDisplayString() == "System.Data.Common")
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsNotCallTimeout(string name)
    {
        foreach (var part in NotCallTimeouts)
        {
            if (name.IndexOf(part, StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Methods that test a value rather than use it (<c>ClientConfig.ValidateTimeout</c>).</summary>
    private static bool IsCheck(string name)
        => name.StartsWith("Validate", StringComparison.Ordinal) || name.StartsWith("Check", StringComparison.Ordinal) || name.StartsWith("Is", StringComparison.Ordinal);

    private static string Namespace(INamedTypeSymbol type) => type.ContainingNamespace?.ToDisplayString() ?? string.Empty;

    private static bool IsPolly(string ns) => OutboundOperations.IsSameOrChild(ns, "Polly");

    private static bool IsUnder(string ns, string[] parents)
    {
        foreach (var parent in parents)
        {
            if (OutboundOperations.IsSameOrChild(ns, parent))
            {
                return true;
            }
        }

        return false;
    }
}
