using System.Linq;
using Microsoft.CodeAnalysis;
using ResilienceAnalyzers.Common;

namespace ResilienceAnalyzers.Libraries;

/// <summary>
/// The types of the libraries whose own retry settings the retry rules judge, resolved once per compilation. A library
/// that is not referenced resolves to null, and its recogniser is never asked (RULES.md: gate on references).
/// </summary>
public sealed class LibraryRetryTypes
{
    private LibraryRetryTypes(Compilation compilation)
    {
        var lookup = LibraryTypeLookup.For(compilation);
        INamedTypeSymbol? Used(string family, string metadataName) => Use(compilation, lookup.Find(family, metadataName));

        EfCoreExecutionStrategy = Used("Microsoft.EntityFrameworkCore", "Microsoft.EntityFrameworkCore.Storage.ExecutionStrategy");
        MassTransitRetryConfigurator = Used("MassTransit", "MassTransit.IRetryConfigurator");
        AzureRetryOptions = Used("Azure.Core", "Azure.Core.RetryOptions");
        AwsClientConfig = Used("AWSSDK", "Amazon.Runtime.ClientConfig");
        GrpcRetryPolicy = Used("Grpc.Net.Client", "Grpc.Net.Client.Configuration.RetryPolicy");
        GrpcHedgingPolicy = Used("Grpc.Net.Client", "Grpc.Net.Client.Configuration.HedgingPolicy");
        SqlRetryLogicOption = Used("Microsoft.Data.SqlClient", "Microsoft.Data.SqlClient.SqlRetryLogicOption");
        SqlConfigurableRetryFactory = Used("Microsoft.Data.SqlClient", "Microsoft.Data.SqlClient.SqlConfigurableRetryFactory");
        RedisLinearRetry = Used("StackExchange.Redis", "StackExchange.Redis.LinearRetry");
        RedisExponentialRetry = Used("StackExchange.Redis", "StackExchange.Redis.ExponentialRetry");
        RedisConfigurationOptions = Used("StackExchange.Redis", "StackExchange.Redis.ConfigurationOptions");
        SqlConnectionStringBuilder = Used("Microsoft.Data.SqlClient", "Microsoft.Data.SqlClient.SqlConnectionStringBuilder");
        DaprWorkflowRetryPolicy = Used("Dapr", "Dapr.Workflow.WorkflowRetryPolicy");
        CosmosClientOptions = Used("Microsoft.Azure.Cosmos", "Microsoft.Azure.Cosmos.CosmosClientOptions");
        CosmosClientBuilder = Used("Microsoft.Azure.Cosmos", "Microsoft.Azure.Cosmos.Fluent.CosmosClientBuilder");
    }

    /// <summary>
    /// RULES.md, "Use, not definition": the library's own projects (MassTransit's transports configuring MassTransit's
    /// retry, the Azure SDK's clients setting Azure.Core's options) are where the library is written, not used. They are
    /// recognised by building the library's type from source and by an assembly name of the library's family
    /// (<c>MassTransit.RabbitMqTransport</c> beside <c>MassTransit.Abstractions</c>). Users' code references the library
    /// as a binary, and samples in the library's repository have names of their own.
    /// </summary>
    private static INamedTypeSymbol? Use(Compilation compilation, INamedTypeSymbol? type)
    {
        if (type is null || !type.Locations.Any(l => l.IsInSource))
        {
            return type;
        }

        return LibraryTypeLookup.Family(compilation.AssemblyName) is { } family && family == LibraryTypeLookup.Family(type.ContainingAssembly?.Name) ? null : type;
    }

    public INamedTypeSymbol? EfCoreExecutionStrategy { get; }

    public INamedTypeSymbol? MassTransitRetryConfigurator { get; }

    public INamedTypeSymbol? AzureRetryOptions { get; }

    public INamedTypeSymbol? AwsClientConfig { get; }

    public INamedTypeSymbol? GrpcRetryPolicy { get; }

    public INamedTypeSymbol? GrpcHedgingPolicy { get; }

    public INamedTypeSymbol? SqlRetryLogicOption { get; }

    public INamedTypeSymbol? SqlConfigurableRetryFactory { get; }

    public INamedTypeSymbol? RedisLinearRetry { get; }

    public INamedTypeSymbol? RedisExponentialRetry { get; }

    public INamedTypeSymbol? RedisConfigurationOptions { get; }

    public INamedTypeSymbol? SqlConnectionStringBuilder { get; }

    public INamedTypeSymbol? DaprWorkflowRetryPolicy { get; }

    public INamedTypeSymbol? CosmosClientOptions { get; }

    public INamedTypeSymbol? CosmosClientBuilder { get; }

    /// <summary>Null when none of the libraries is referenced: then nothing is registered for them.</summary>
    public static LibraryRetryTypes? TryCreate(Compilation compilation)
    {
        var types = new LibraryRetryTypes(compilation);
        var any = types.EfCoreExecutionStrategy ?? types.MassTransitRetryConfigurator ?? types.AzureRetryOptions ?? types.AwsClientConfig
                  ?? types.GrpcRetryPolicy ?? types.SqlRetryLogicOption ?? types.SqlConnectionStringBuilder ?? types.RedisLinearRetry ?? types.DaprWorkflowRetryPolicy
                  ?? types.CosmosClientOptions;
        return any is null ? null : types;
    }
}
