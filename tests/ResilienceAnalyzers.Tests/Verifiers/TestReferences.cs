using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace ResilienceAnalyzers.Tests.Verifiers;

/// <summary>Which third-party libraries a test compilation references, on top of the framework.</summary>
[Flags]
public enum TestLibraries
{
    None = 0,

    /// <summary>Polly v7 API (package Polly) with Polly.Core, which it depends on.</summary>
    Polly = 1,

    /// <summary>Polly v8 (Polly.Core) alone.</summary>
    PollyCore = 2,

    /// <summary>Polly.Contrib.WaitAndRetry.</summary>
    PollyContrib = 4,

    /// <summary>Microsoft.Extensions.Http.Resilience, Microsoft.Extensions.Http.Polly and their Microsoft.Extensions, Polly and System.Threading.RateLimiting dependencies.</summary>
    HttpResilience = 8,

    /// <summary>Grpc.Core.Api and Grpc.Net.Client (with Grpc.Net.Common and the logging abstractions it uses).</summary>
    Grpc = 16,

    /// <summary>Microsoft.Data.SqlClient.</summary>
    SqlClient = 32,

    /// <summary>Dapper.</summary>
    Dapper = 64,

    /// <summary>AWSSDK.Core with the DynamoDB and S3 service packages.</summary>
    Aws = 128,

    /// <summary>Azure.Core with System.ClientModel.</summary>
    Azure = 256,

    /// <summary>Microsoft.EntityFrameworkCore with the SQL Server provider (and the Microsoft.Extensions packages it needs).</summary>
    EfCore = 512,

    /// <summary>MassTransit and MassTransit.Abstractions.</summary>
    MassTransit = 1024,

    /// <summary>StackExchange.Redis.</summary>
    Redis = 2048,

    /// <summary>Dapr.Workflow and its abstractions.</summary>
    Dapr = 4096,

    /// <summary>Microsoft.Azure.Cosmos.</summary>
    Cosmos = 8192,

    All = Polly | PollyCore | PollyContrib | HttpResilience | Grpc | SqlClient | Dapper | Aws | Azure | EfCore | MassTransit | Redis | Dapr | Cosmos,
}

/// <summary>
/// The one place that decides what test compilations reference: the framework's reference pack from the
/// installed SDK and real library assemblies restored with the test project. Nothing is downloaded.
/// </summary>
public static class TestReferences
{
    private static readonly string OutputDirectory = Path.GetDirectoryName(typeof(TestReferences).Assembly.Location)!;

    /// <summary>No package to resolve: the framework comes in as plain metadata references.</summary>
    public static ReferenceAssemblies ReferenceAssemblies { get; } = new("net10.0");

    public static ImmutableArray<MetadataReference> Framework { get; } = LoadFramework();

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<TestLibraries, ImmutableArray<MetadataReference>> Cache = new();

    /// <summary>Metadata references are loaded once per set and shared by every test.</summary>
    public static ImmutableArray<MetadataReference> For(TestLibraries libraries) => Cache.GetOrAdd(libraries, Load);

    private static ImmutableArray<MetadataReference> Load(TestLibraries libraries)
    {
        var references = new List<MetadataReference>(Framework);
        foreach (var file in Directory.EnumerateFiles(OutputDirectory, "*.dll"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (Includes(libraries, name))
            {
                references.Add(MetadataReference.CreateFromFile(file));
            }
        }

        return references.ToImmutableArray();
    }

    private static bool Includes(TestLibraries libraries, string name)
    {
        if (name == "Polly")
        {
            return libraries.HasFlag(TestLibraries.Polly);
        }

        if (name == "Polly.Core")
        {
            return (libraries & (TestLibraries.Polly | TestLibraries.PollyCore | TestLibraries.HttpResilience)) != 0;
        }

        if (name.StartsWith("Polly.Contrib", StringComparison.Ordinal))
        {
            return libraries.HasFlag(TestLibraries.PollyContrib);
        }

        if (name.StartsWith("Polly.", StringComparison.Ordinal) || name == "System.Threading.RateLimiting")
        {
            // Polly.RateLimiting (which the resilience handler brings) is built on System.Threading.RateLimiting.
            return libraries.HasFlag(TestLibraries.HttpResilience);
        }

        if (name.StartsWith("Grpc.", StringComparison.Ordinal))
        {
            return libraries.HasFlag(TestLibraries.Grpc);
        }

        if (name == "Microsoft.Extensions.Logging.Abstractions" && libraries.HasFlag(TestLibraries.Grpc))
        {
            // Grpc.Net.Client logs through it.
            return true;
        }

        if (name.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal))
        {
            return libraries.HasFlag(TestLibraries.EfCore);
        }

        if (name.StartsWith("Microsoft.Extensions.", StringComparison.Ordinal))
        {
            return (libraries & (TestLibraries.HttpResilience | TestLibraries.EfCore | TestLibraries.MassTransit | TestLibraries.Dapr)) != 0;
        }

        if (name.StartsWith("MassTransit", StringComparison.Ordinal))
        {
            return libraries.HasFlag(TestLibraries.MassTransit);
        }

        if (name is "StackExchange.Redis" or "Pipelines.Sockets.Unofficial")
        {
            return libraries.HasFlag(TestLibraries.Redis);
        }

        if (name.StartsWith("Dapr.", StringComparison.Ordinal))
        {
            return libraries.HasFlag(TestLibraries.Dapr);
        }

        if (name.StartsWith("Microsoft.Azure.Cosmos", StringComparison.Ordinal))
        {
            // Microsoft.Azure.Cosmos.ServiceInterop is a native library shipped beside the managed ones.
            return libraries.HasFlag(TestLibraries.Cosmos) && name != "Microsoft.Azure.Cosmos.ServiceInterop";
        }

        if (name.StartsWith("Microsoft.Data.SqlClient", StringComparison.Ordinal))
        {
            return libraries.HasFlag(TestLibraries.SqlClient);
        }

        if (name == "Dapper")
        {
            return libraries.HasFlag(TestLibraries.Dapper);
        }

        if (name.StartsWith("AWSSDK.", StringComparison.Ordinal))
        {
            return libraries.HasFlag(TestLibraries.Aws);
        }

        if (name.StartsWith("Azure.", StringComparison.Ordinal) || name is "System.ClientModel" or "System.Memory.Data")
        {
            return libraries.HasFlag(TestLibraries.Azure);
        }

        return false;
    }

    private static ImmutableArray<MetadataReference> LoadFramework()
    {
        var directory = typeof(TestReferences).Assembly
            .GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "NetCoreReferencePack")
            .Value;
        if (directory is null || !Directory.Exists(directory))
        {
            throw new InvalidOperationException(
                $"The .NET reference pack was not found at '{directory}'. The tests compile against the installed SDK's Microsoft.NETCore.App.Ref pack.");
        }

        return Directory.EnumerateFiles(directory, "*.dll")
            .Select(f => (MetadataReference)MetadataReference.CreateFromFile(f))
            .ToImmutableArray();
    }
}
