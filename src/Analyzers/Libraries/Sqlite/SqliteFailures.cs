using Microsoft.CodeAnalysis;

namespace ResilienceAnalyzers.Libraries.Sqlite;

/// <summary>
/// SQLite runs inside the process, on a local file: its failures (<c>SQLITE_BUSY</c>, a lock another writer holds) come from
/// this machine, not from a dependency other callers share. Both ADO.NET providers are recognised by their exception type:
/// <c>Microsoft.Data.Sqlite.SqliteException</c> and <c>System.Data.SQLite.SQLiteException</c>.
/// </summary>
internal static class SqliteFailures
{
    /// <summary><paramref name="type"/> is a SQLite provider's exception, or derives from one.</summary>
    public static bool IsSqliteException(ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.ContainingNamespace?.ToDisplayString() is { } ns
                && ((current.Name == "SqliteException" && ns == "Microsoft.Data.Sqlite")
                    || (current.Name == "SQLiteException" && ns == "System.Data.SQLite")))
            {
                return true;
            }
        }

        return false;
    }
}
