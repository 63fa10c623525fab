using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace ResilienceAnalyzers.Common;

/// <summary>
/// Finds a library's types in the compilation's own declarations and in the referenced assemblies whose name starts with
/// the library's (<c>Polly</c> for Polly, Polly.Core and Polly.Extensions; <c>Microsoft.Data.SqlClient</c>).
/// <see cref="Compilation.GetTypeByMetadataName"/> searches every reference for every name, present or not, and a
/// service's compilation has hundreds of references: resolving the libraries the rules know that way cost more than
/// analysing the code (eShopOnContainers: 15 ms of the retry analyzer's 35 ms). A library that is not referenced costs
/// one dictionary lookup.
/// </summary>
public sealed class LibraryTypeLookup
{
    private static readonly ConditionalWeakTable<Compilation, LibraryTypeLookup> Cache = new();
    private static readonly char[] NameSeparators = { '.', '+' };

    private readonly Compilation _compilation;
    private readonly IAssemblySymbol _source;

    // The references under each name and each dotted prefix of it (Polly.Core under "Polly" and "Polly.Core"), in reference
    // order, case-insensitive: one pass over the references' names when the compilation starts, where listing them per
    // prefix asked had cost a pass for each of the few dozen library and framework assemblies the rules look in.
    private readonly Dictionary<string, List<IAssemblySymbol>> _byPrefix = new(StringComparer.OrdinalIgnoreCase);

    private LibraryTypeLookup(Compilation compilation)
    {
        _compilation = compilation;
        _source = compilation.Assembly;
        foreach (var assembly in compilation.SourceModule.ReferencedAssemblySymbols)
        {
            var name = assembly.Name;
            for (var end = name.IndexOf('.'); ; end = name.IndexOf('.', end + 1))
            {
                var prefix = end < 0 ? name : name.Substring(0, end);
                if (!_byPrefix.TryGetValue(prefix, out var named))
                {
                    _byPrefix[prefix] = named = new List<IAssemblySymbol>();
                }

                named.Add(assembly);
                if (end < 0)
                {
                    break;
                }
            }
        }
    }

    /// <summary>The references named <paramref name="prefix"/> or <c>prefix.*</c>, case-insensitive.</summary>
    private IReadOnlyList<IAssemblySymbol> Named(string prefix)
        => _byPrefix.TryGetValue(prefix, out var named) ? named : Array.Empty<IAssemblySymbol>();

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
        foreach (var assembly in Named(assemblyPrefix))
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
        foreach (var reference in Named(assemblyName))
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
