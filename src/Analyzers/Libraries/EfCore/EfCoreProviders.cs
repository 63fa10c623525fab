using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace ResilienceAnalyzers.Libraries.EfCore;

/// <summary>
/// Which database EF Core talks to, as far as the compilation's references say. A provider is a package of its own
/// (dotnet/efcore docs, "Database Providers"): a compilation whose only provider runs the database inside the process
/// (SQLite on a file, the in-memory provider) sends no EF Core query to another service.
/// </summary>
internal static class EfCoreProviders
{
    // Providers whose database is in the process: Microsoft.EntityFrameworkCore.Sqlite (and .Sqlite.Core,
    // .Sqlite.NetTopologySuite), Microsoft.EntityFrameworkCore.InMemory.
    private static readonly string[] InProcess =
    {
        "Microsoft.EntityFrameworkCore.Sqlite",
        "Microsoft.EntityFrameworkCore.InMemory",
    };

    // EF Core's own assemblies and integrations that are no provider: they come with any provider.
    private static readonly string[] NotProviders =
    {
        "Microsoft.EntityFrameworkCore",
        "Microsoft.EntityFrameworkCore.Abstractions",
        "Microsoft.EntityFrameworkCore.Relational",
        "Microsoft.EntityFrameworkCore.Design",
        "Microsoft.EntityFrameworkCore.Analyzers",
        "Microsoft.EntityFrameworkCore.Proxies",
        "Microsoft.EntityFrameworkCore.Tools",
        "Microsoft.AspNetCore.Identity.EntityFrameworkCore",
        "Microsoft.AspNetCore.DataProtection.EntityFrameworkCore",
        "Microsoft.Extensions.Diagnostics.HealthChecks.EntityFrameworkCore",
    };

    /// <summary>
    /// True when the references hold an in-process provider and no other assembly that may be one: any other assembly
    /// named after EF Core (<c>Microsoft.EntityFrameworkCore.SqlServer</c>, <c>Npgsql.EntityFrameworkCore.PostgreSQL</c>,
    /// <c>Pomelo.EntityFrameworkCore.MySql</c>, an extension not listed here) leaves the database possibly remote.
    /// </summary>
    public static bool OnlyInProcess(IEnumerable<IAssemblySymbol> references)
    {
        var inProcess = false;
        foreach (var reference in references)
        {
            var name = reference.Name;
            if (StartsWithAny(name, InProcess))
            {
                inProcess = true;
            }
            else if (Array.IndexOf(NotProviders, name) < 0
                     && (name.IndexOf("EntityFrameworkCore", StringComparison.OrdinalIgnoreCase) >= 0 || name.StartsWith("EFCore.", StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }
        }

        return inProcess;
    }

    private static bool StartsWithAny(string name, string[] prefixes)
    {
        foreach (var prefix in prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && (name.Length == prefix.Length || name[prefix.Length] == '.'))
            {
                return true;
            }
        }

        return false;
    }
}
