using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace ResilienceAnalyzers.Common;

/// <summary>
/// Finds a library's types in the compilation's own declarations and in the referenced assemblies whose name starts with
/// the library's (<c>Polly</c> for Polly, Polly.Core and Polly.Extensions; <c>Microsoft.Data.SqlClient</c>).
/// <see cref="Compilation.GetTypeByMetadataName"/> searches every reference for every name, present or not, and a
/// service's compilation has hundreds of references: resolving the libraries the rules know that way cost more than
/// analysing the code (eShopOnContainers: 15 ms of the retry analyzer's 35 ms). A library that is not referenced costs
/// a pass over the reference names.
/// </summary>
public sealed class LibraryTypeLookup
{
    private static readonly ConditionalWeakTable<Compilation, LibraryTypeLookup> Cache = new();
    private static readonly char[] NameSeparators = { '.', '+' };

    private readonly Compilation _compilation;
    private readonly IAssemblySymbol _source;
    private readonly ImmutableArray<IAssemblySymbol> _references;

    // A library's types are looked up by the dozen: the references named by a prefix (Polly.Core under "Polly" and
    // "Polly.Core") are listed the first time the prefix is asked for, and shared by the analyzers that start together.
    // A compilation asks for a few dozen prefixes among hundreds of references: listing them per prefix asked costs less
    // than indexing every prefix of every reference's name.
    private readonly ConcurrentDictionary<string, IAssemblySymbol[]> _byPrefix = new(StringComparer.OrdinalIgnoreCase);
    private readonly Func<string, IAssemblySymbol[]> _named;

    private LibraryTypeLookup(Compilation compilation)
    {
        _compilation = compilation;
        _source = compilation.Assembly;
        _references = compilation.SourceModule.ReferencedAssemblySymbols;
        _named = Named;
    }

    /// <summary>The references named <paramref name="prefix"/> or <c>prefix.*</c>, case-insensitive.</summary>
    private IAssemblySymbol[] Named(string prefix)
    {
        List<IAssemblySymbol>? named = null;
        foreach (var assembly in _references)
        {
            var name = assembly.Name;
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && (name.Length == prefix.Length || name[prefix.Length] == '.'))
            {
                (named ??= new List<IAssemblySymbol>()).Add(assembly);
            }
        }

        return named?.ToArray() ?? Array.Empty<IAssemblySymbol>();
    }

    /// <summary>The lookup of <paramref name="compilation"/>, built once and shared by every analyzer of the package.</summary>
    public static LibraryTypeLookup For(Compilation compilation) => Cache.GetValue(compilation, static c => new LibraryTypeLookup(c));

    /// <summary>
    /// The type named <paramref name="metadataName"/> when exactly one place declares it: the compilation itself (a library's
    /// own repository builds its types from source) or a referenced assembly named <paramref name="assemblyPrefix"/> or
    /// <c>assemblyPrefix.*</c> (case-insensitive: <c>xunit</c> finds xunit.core). Null when none does, or two do (the
    /// compiler would not know which one is meant either).
    /// </summary>
    public INamedTypeSymbol? Find(string assemblyPrefix, string metadataName)
    {
        // The assembly's set of declared type names (built once from the declarations, no symbol made): most compilations
        // declare none of a library's types, and looking one up by namespace would build those namespaces' member maps.
        var found = _source.TypeNames.Contains(SimpleName(metadataName))
            ? _source.GetTypeByMetadataName(metadataName)
            : null;
        foreach (var assembly in _byPrefix.GetOrAdd(assemblyPrefix, _named))
        {
            if (assembly.GetTypeByMetadataName(metadataName) is { } type)
            {
                if (found is not null)
                {
                    return null;
                }

                found = type;
            }
        }

        return found;
    }

    /// <summary>
    /// A framework type: looked for first in the core library (the assembly of <see cref="object"/>: System.Runtime,
    /// netstandard or mscorlib), in the reference assemblies named <paramref name="assemblies"/> that declare it on current
    /// .NET (more than one when it moved between versions) and in .NET Framework's System.dll, then, when none has it (it
    /// does not exist there), in every reference as the compiler would: the costly way, which an assembly name that is right
    /// for the target avoids.
    /// </summary>
    public INamedTypeSymbol? FindFramework(string metadataName, params string[] assemblies)
    {
        if (_compilation.ObjectType.ContainingAssembly?.GetTypeByMetadataName(metadataName) is { } core)
        {
            return core;
        }

        // The reference assemblies that declare it on current .NET, then System.dll, where .NET Framework keeps the
        // networking and component types that later moved out (Dns, ServicePointManager, IPAddress).
        foreach (var assembly in assemblies)
        {
            if (FindIn(assembly, metadataName) is { } type)
            {
                return type;
            }
        }

        return FindIn("System", metadataName) ?? _compilation.GetTypeByMetadataName(metadataName);
    }

    /// <summary>The first part of an assembly name, or the first two after <c>Microsoft.</c> or <c>System.</c>.</summary>
    public static string? Family(string? assemblyName)
    {
        if (string.IsNullOrEmpty(assemblyName))
        {
            return null;
        }

        var parts = assemblyName!.Split('.');
        return parts.Length > 1 && parts[0] is "Microsoft" or "System" ? parts[0] + "." + parts[1] : parts[0];
    }

    /// <summary>The type in the reference named exactly <paramref name="assemblyName"/>.</summary>
    private INamedTypeSymbol? FindIn(string assemblyName, string metadataName)
    {
        foreach (var reference in _byPrefix.GetOrAdd(assemblyName, _named))
        {
            if (string.Equals(reference.Name, assemblyName, StringComparison.OrdinalIgnoreCase) && reference.GetTypeByMetadataName(metadataName) is { } type)
            {
                return type;
            }
        }

        return null;
    }

    /// <summary>A metadata name's last type name, without its arity: <c>Polly.ResiliencePipelineBuilder`1</c> gives <c>ResiliencePipelineBuilder</c>.</summary>
    private static string SimpleName(string metadataName)
    {
        var start = metadataName.LastIndexOfAny(NameSeparators) + 1;
        var arity = metadataName.IndexOf('`', start);
        return arity < 0 ? metadataName.Substring(start) : metadataName.Substring(start, arity - start);
    }
}
