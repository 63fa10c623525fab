using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ResilienceAnalyzers.Libraries.Aws;
using ResilienceAnalyzers.Libraries.Azure;
using ResilienceAnalyzers.Libraries.Grpc;
using ResilienceAnalyzers.Libraries.Http;
using ResilienceAnalyzers.Libraries.Polly;
using ResilienceAnalyzers.Libraries.Sockets;

namespace ResilienceAnalyzers.Common;

/// <summary>
/// The types the rules look for, resolved once per compilation. A library that is not referenced
/// leaves its entries null, and the part of an analyzer that needs it registers nothing.
/// </summary>
public sealed class KnownTypes
{
    private KnownTypes(Compilation compilation)
    {
        var lookup = LibraryTypeLookup.For(compilation);
        Task = lookup.FindFramework("System.Threading.Tasks.Task");
        Thread = lookup.FindFramework("System.Threading.Thread", "System.Threading.Thread");
        SpinWait = lookup.FindFramework("System.Threading.SpinWait", "System.Threading");
        TimeProvider = lookup.FindFramework("System.TimeProvider");
        TimeSpan = lookup.FindFramework("System.TimeSpan");
        DateTime = lookup.FindFramework("System.DateTime");
        DateTimeOffset = lookup.FindFramework("System.DateTimeOffset");
        Environment = lookup.FindFramework("System.Environment");
        Stopwatch = lookup.FindFramework("System.Diagnostics.Stopwatch", "System.Runtime.Extensions");
        Random = lookup.FindFramework("System.Random");
        RandomNumberGenerator = lookup.FindFramework("System.Security.Cryptography.RandomNumberGenerator", "System.Security.Cryptography");
        CancellationToken = lookup.FindFramework("System.Threading.CancellationToken");
        CancellationTokenSource = lookup.FindFramework("System.Threading.CancellationTokenSource");
        Math = lookup.FindFramework("System.Math");
        Console = lookup.FindFramework("System.Console", "System.Console");
        Timeout = lookup.FindFramework("System.Threading.Timeout");

        Polly = new PollyTypes(compilation);
        Http = new HttpTypes(compilation);
        Grpc = new GrpcTypes(compilation);
        Aws = new AwsTypes(compilation);
        Azure = new AzureTypes(compilation);
        Sockets = new NetworkWaitTypes(compilation);
        Dns = new DnsTypes(compilation);

        IsTestProject = TestCode.IsTestProject(compilation);
        Assembly = compilation.Assembly;
    }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? Thread { get; }

    public INamedTypeSymbol? SpinWait { get; }

    public INamedTypeSymbol? TimeProvider { get; }

    public INamedTypeSymbol? TimeSpan { get; }

    public INamedTypeSymbol? DateTime { get; }

    public INamedTypeSymbol? DateTimeOffset { get; }

    public INamedTypeSymbol? Environment { get; }

    public INamedTypeSymbol? Stopwatch { get; }

    public INamedTypeSymbol? Random { get; }

    public INamedTypeSymbol? RandomNumberGenerator { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? CancellationTokenSource { get; }

    public INamedTypeSymbol? Math { get; }

    public INamedTypeSymbol? Console { get; }

    public INamedTypeSymbol? Timeout { get; }

    public PollyTypes Polly { get; }

    public HttpTypes Http { get; }

    public GrpcTypes Grpc { get; }

    public AwsTypes Aws { get; }

    public AzureTypes Azure { get; }

    public NetworkWaitTypes Sockets { get; }

    public DnsTypes Dns { get; }

    /// <summary>A type whose values are regions: AWS <c>RegionEndpoint</c> or Azure <c>AzureLocation</c> (or its nullable).</summary>
    public bool IsRegionType(ITypeSymbol? type)
    {
        type = TypeFacts.UnwrapNullable(type);
        return type is not null
               && (SymbolEqualityComparer.Default.Equals(type, Aws.RegionEndpoint) || SymbolEqualityComparer.Default.Equals(type, Azure.AzureLocation));
    }

    /// <summary>The assembly being compiled: what it declares is its own plumbing (RULES.md, "Use, not definition").</summary>
    public IAssemblySymbol Assembly { get; }

    /// <summary>True when <paramref name="type"/> is declared by the compilation being analysed, not by a library it uses.</summary>
    public bool IsDeclaredHere(ITypeSymbol? type) => type is not null && SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, Assembly);

    /// <summary>True when the compilation references xunit, NUnit or MSTest.</summary>
    public bool IsTestProject { get; }

    /// <summary>False in a test project unless <c>resilience_analyzers.analyze_test_code</c> is on for this file.</summary>
    public bool ShouldAnalyze(AnalyzerOptions options, SyntaxTree tree)
        => !IsTestProject || Options.AnalyzeTestCode.GetValue(options, tree);

    /// <summary>
    /// The types of <paramref name="compilation"/>, resolved once and shared by every analyzer of the package
    /// (the retry and endpoint families ask for the same compilation); released with the compilation.
    /// </summary>
    public static KnownTypes Create(Compilation compilation) => Cache.GetValue(compilation, static c => new KnownTypes(c));

    private static readonly ConditionalWeakTable<Compilation, KnownTypes> Cache = new();
}
