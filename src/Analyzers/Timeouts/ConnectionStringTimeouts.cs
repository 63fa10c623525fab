using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Timeouts;

/// <summary>
/// Finds <c>Connect Timeout=0</c> / <c>Command Timeout=0</c> and their synonyms in connection-string text:
/// ADO.NET providers (SqlClient, Npgsql, MySqlConnector) read 0 there as "wait forever".
/// </summary>
internal static class ConnectionStringTimeouts
{
    // Keys with whitespace and underscores removed, lower case.
    private static readonly string[] TimeoutKeys = { "connecttimeout", "connectiontimeout", "timeout", "commandtimeout", "defaultcommandtimeout" };

    private static readonly string[] ConnectionKeys =
    {
        "server", "datasource", "host", "hostname", "address", "addr", "networkaddress", "database", "initialcatalog",
        "userid", "uid", "user", "username", "password", "pwd", "integratedsecurity", "trustedconnection", "port",
        "attachdbfilename", "encrypt", "trustservercertificate", "sslmode", "applicationname", "multipleactiveresultsets",
    };

    /// <summary>A connection-string key that sets a connect or command timeout (<c>Connect Timeout</c>, <c>CommandTimeout</c>).</summary>
    public static bool IsTimeoutKey(string key) => Array.IndexOf(TimeoutKeys, Normalize(key)) >= 0;

    /// <summary>Cheap test on the text before anything else.</summary>
    public static bool MayHold(string text)
        => text.Length >= 9 && text.IndexOf('=') >= 0 && text.IndexOf("timeout", StringComparison.OrdinalIgnoreCase) >= 0;

    /// <summary>
    /// The first timeout key set to 0, as written (<c>Connect Timeout</c>); null when there is none or the text
    /// is not <c>key=value</c> pairs. <paramref name="isFragment"/> allows a partial pair at either end (text
    /// between interpolation holes). <paramref name="namesConnection"/> is true when another key is one only
    /// connection strings have (Server, Database, User ID...).
    /// </summary>
    public static string? FindInfinite(string text, bool isFragment, out bool namesConnection)
    {
        namesConnection = false;
        string? found = null;
        var segments = text.Split(';');
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var equals = segment.IndexOf('=');
            if (equals < 0)
            {
                if (segment.Trim().Length == 0 || (isFragment && (i == 0 || i == segments.Length - 1)))
                {
                    continue;
                }

                return null;
            }

            var key = segment.Substring(0, equals).Trim();
            var normalized = Normalize(key);
            if (Array.IndexOf(ConnectionKeys, normalized) >= 0)
            {
                namesConnection = true;
            }

            var value = segment.Substring(equals + 1).Trim().Trim('\'', '"').Trim();
            if (found is null && value == "0" && Array.IndexOf(TimeoutKeys, normalized) >= 0)
            {
                found = key;
            }
        }

        return found;
    }

    /// <summary>
    /// The string that holds <paramref name="literal"/> is used as a connection string: passed for a
    /// <c>connectionString</c> parameter, assigned to a <c>ConnectionString</c> property, or stored in a
    /// variable, field or property whose name says so.
    /// </summary>
    public static bool IsInConnectionStringContext(IOperation literal)
    {
        var current = literal;
        while (current.Parent is IInterpolatedStringTextOperation or IInterpolatedStringOperation or IBinaryOperation
               or IConversionOperation or IParenthesizedOperation)
        {
            current = current.Parent;
        }

        return current.Parent switch
        {
            IArgumentOperation { Parameter: { } parameter } => NamesConnectionString(parameter.Name),
            ISimpleAssignmentOperation assignment => NamesConnectionString(OperationTree.ReferencedSymbol(assignment.Target)?.Name),
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => NamesConnectionString(declarator.Symbol.Name),
            IFieldInitializerOperation field => field.InitializedFields.Length == 1 && NamesConnectionString(field.InitializedFields[0].Name),
            IPropertyInitializerOperation property => property.InitializedProperties.Length == 1 && NamesConnectionString(property.InitializedProperties[0].Name),
            _ => false,
        };
    }

    private static bool NamesConnectionString(string? name)
        => name is not null
           && (name.IndexOf("ConnectionString", StringComparison.OrdinalIgnoreCase) >= 0
               || name.IndexOf("ConnString", StringComparison.OrdinalIgnoreCase) >= 0);

    private static string Normalize(string key)
    {
        var chars = new char[key.Length];
        var length = 0;
        foreach (var c in key)
        {
            if (!char.IsWhiteSpace(c) && c != '_')
            {
                chars[length++] = char.ToLowerInvariant(c);
            }
        }

        return new string(chars, 0, length);
    }
}
