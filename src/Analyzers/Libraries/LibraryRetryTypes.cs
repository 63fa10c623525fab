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
        EfCoreExecutionStrategy = compilation.GetTypeByMetadataName("Microsoft.EntityFrameworkCore.Storage.ExecutionStrategy");
        MassTransitRetryConfigurator = compilation.GetTypeByMetadataName("MassTransit.IRetryConfigurator");
        AzureRetryOptions = compilation.GetTypeByMetadataName("Azure.Core.RetryOptions");
        AwsClientConfig = compilation.GetTypeByMetadataName("Amazon.Runtime.ClientConfig");
        GrpcRetryPolicy = compilation.GetTypeByMetadataName("Grpc.Net.Client.Configuration.RetryPolicy");
        SqlRetryLogicOption = compilation.GetTypeByMetadataName("Microsoft.Data.SqlClient.SqlRetryLogicOption");
        SqlConfigurableRetryFactory = compilation.GetTypeByMetadataName("Microsoft.Data.SqlClient.SqlConfigurableRetryFactory");
        RedisLinearRetry = compilation.GetTypeByMetadataName("StackExchange.Redis.LinearRetry");
        RedisExponentialRetry = compilation.GetTypeByMetadataName("StackExchange.Redis.ExponentialRetry");
        DaprWorkflowRetryPolicy = compilation.GetTypeByMetadataName("Dapr.Workflow.WorkflowRetryPolicy");
        CosmosClientOptions = compilation.GetTypeByMetadataName("Microsoft.Azure.Cosmos.CosmosClientOptions");
        CosmosClientBuilder = compilation.GetTypeByMetadataName("Microsoft.Azure.Cosmos.Fluent.CosmosClientBuilder");
    }

    public INamedTypeSymbol? EfCoreExecutionStrategy { get; }

    public INamedTypeSymbol? MassTransitRetryConfigurator { get; }

    public INamedTypeSymbol? AzureRetryOptions { get; }

    public INamedTypeSymbol? AwsClientConfig { get; }

    public INamedTypeSymbol? GrpcRetryPolicy { get; }

    public INamedTypeSymbol? SqlRetryLogicOption { get; }

    public INamedTypeSymbol? SqlConfigurableRetryFactory { get; }

    public INamedTypeSymbol? RedisLinearRetry { get; }

    public INamedTypeSymbol? RedisExponentialRetry { get; }

    public INamedTypeSymbol? DaprWorkflowRetryPolicy { get; }

    public INamedTypeSymbol? CosmosClientOptions { get; }

    public INamedTypeSymbol? CosmosClientBuilder { get; }

    /// <summary>Null when none of the libraries is referenced: then nothing is registered for them.</summary>
    public static LibraryRetryTypes? TryCreate(Compilation compilation)
    {
        var types = new LibraryRetryTypes(compilation);
        var any = types.EfCoreExecutionStrategy ?? types.MassTransitRetryConfigurator ?? types.AzureRetryOptions ?? types.AwsClientConfig
                  ?? types.GrpcRetryPolicy ?? types.SqlRetryLogicOption ?? types.RedisLinearRetry ?? types.DaprWorkflowRetryPolicy
                  ?? types.CosmosClientOptions;
        return any is null ? null : types;
    }
}
