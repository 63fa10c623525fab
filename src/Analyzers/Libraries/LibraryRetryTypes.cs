using System.Linq;
using Microsoft.CodeAnalysis;

namespace ResilienceAnalyzers.Libraries;

/// <summary>
/// The types of the libraries whose own retry settings the retry rules judge, resolved once per compilation. A library
/// that is not referenced resolves to null, and its recogniser is never asked (RULES.md: gate on references).
/// </summary>
public sealed class LibraryRetryTypes
{
    private LibraryRetryTypes(Compilation compilation)
    {
        INamedTypeSymbol? Used(string metadataName) => Use(compilation, compilation.GetTypeByMetadataName(metadataName));
        EfCoreExecutionStrategy = Used("Microsoft.EntityFrameworkCore.Storage.ExecutionStrategy");
        MassTransitRetryConfigurator = Used("MassTransit.IRetryConfigurator");
        AzureRetryOptions = Used("Azure.Core.RetryOptions");
        AwsClientConfig = Used("Amazon.Runtime.ClientConfig");
        GrpcRetryPolicy = Used("Grpc.Net.Client.Configuration.RetryPolicy");
        GrpcHedgingPolicy = Used("Grpc.Net.Client.Configuration.HedgingPolicy");
        SqlRetryLogicOption = Used("Microsoft.Data.SqlClient.SqlRetryLogicOption");
        SqlConfigurableRetryFactory = Used("Microsoft.Data.SqlClient.SqlConfigurableRetryFactory");
        RedisLinearRetry = Used("StackExchange.Redis.LinearRetry");
        RedisExponentialRetry = Used("StackExchange.Redis.ExponentialRetry");
        RedisConfigurationOptions = Used("StackExchange.Redis.ConfigurationOptions");
        SqlConnectionStringBuilder = Used("Microsoft.Data.SqlClient.SqlConnectionStringBuilder");
        DaprWorkflowRetryPolicy = Used("Dapr.Workflow.WorkflowRetryPolicy");
        CosmosClientOptions = Used("Microsoft.Azure.Cosmos.CosmosClientOptions");
        CosmosClientBuilder = Used("Microsoft.Azure.Cosmos.Fluent.CosmosClientBuilder");
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

        return Family(compilation.AssemblyName) is { } family && family == Family(type.ContainingAssembly?.Name) ? null : type;
    }

    /// <summary>The first part of an assembly name, or the first two after <c>Microsoft.</c> or <c>System.</c>.</summary>
    private static string? Family(string? assemblyName)
    {
        if (assemblyName is null)
        {
            return null;
        }

        var parts = assemblyName.Split('.');
        return parts.Length > 1 && parts[0] is "Microsoft" or "System" ? parts[0] + "." + parts[1] : parts[0];
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
