using ResilienceAnalyzers.Tests.Verifiers;
using Verify = ResilienceAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>;

namespace ResilienceAnalyzers.Tests.Retry;

/// <summary>
/// The retry settings of the libraries services call, judged like loops and Polly: each setting that maps to a rule, the
/// library defaults (safe ones stay silent), and what RULES.md leaves alone. The judgement and its source are written
/// beside each recogniser (src/Analyzers/Libraries).
/// </summary>
public sealed class LibraryRetryTests
{
    private static Task Verify(string source) => Verify005(source, everyException: false);

    private static Task Verify005(string source, bool everyException = true)
        => new Verify.Test { TestCode = source, TestLibraries = TestLibraries.All, VerifiesEveryExceptionRule = everyException }.RunAsync(System.Threading.CancellationToken.None);

    private const string StandInRetryLibrary = """
        namespace MassTransit
        {
            public interface IRetryConfigurator { }

            public static class RetryConfigurationExtensions
            {
                public static IRetryConfigurator Immediate(this IRetryConfigurator configurator, int retryLimit) => configurator;
            }
        }
        """;

    private const string ConfiguresTheRetry = """
        using MassTransit;

        class TransportSettings
        {
            void Configure(IRetryConfigurator retry) => retry.Immediate(10);
        }
        """;

    // RULES.md, "Use, not definition": a project of the library's own family, building the library from source, is where
    // the library is written; the same line in a project that merely references it is a use.
    [Fact]
    public Task TheLibrarysOwnProjects_AreNotJudged_AProjectThatUsesItIs()
    {
        var own = new Verify.Test { TestLibraries = TestLibraries.None, TestCode = ConfiguresTheRetry };
        Verifiers.TestSetup.AddStandInLibrary(own.TestState, StandInRetryLibrary, "MassTransit.Abstractions");
        own.SolutionTransforms.Add((solution, project) => solution.WithProjectAssemblyName(project, "MassTransit.RabbitMqTransport"));

        var use = new Verify.Test { TestLibraries = TestLibraries.None, TestCode = ConfiguresTheRetry.Replace("retry.Immediate(10)", "retry.{|RES002:Immediate|}(10)", System.StringComparison.Ordinal) };
        Verifiers.TestSetup.AddStandInLibrary(use.TestState, StandInRetryLibrary, "MassTransit.Abstractions");
        return Task.WhenAll(own.RunAsync(), use.RunAsync());
    }

    [Fact]
    public Task EfCore_TooManyRetriesOrNoDelay_AreReported_DefaultsAreNot()
        => Verify("""
            using System;
            using Microsoft.EntityFrameworkCore;

            class C
            {
                void Configure(DbContextOptionsBuilder options, string connection)
                {
                    options.UseSqlServer(connection, sql => sql.EnableRetryOnFailure({|RES001:50|}));
                    options.UseSqlServer(connection, sql => sql.EnableRetryOnFailure({|RES001:int.MaxValue|}, TimeSpan.FromSeconds(30), null));
                    options.UseSqlServer(connection, sql => sql.EnableRetryOnFailure(5, {|RES002:TimeSpan.Zero|}, null));

                    // Six retries, exponential with jitter, capped at 30 s: safe.
                    options.UseSqlServer(connection, sql => sql.EnableRetryOnFailure());
                    options.UseSqlServer(connection, sql => sql.EnableRetryOnFailure(8));

                    // An explicit cap above a minute is still a cap.
                    options.UseSqlServer(connection, sql => sql.EnableRetryOnFailure(10, TimeSpan.FromMinutes(5), null));
                }
            }
            """);

    [Fact]
    public Task EfCore_AStrategyOfOnesOwn_IsJudgedByWhatItPassesToTheBase()
        => Verify("""
            using System;
            using Microsoft.EntityFrameworkCore.Storage;

            class PatientStrategy : ExecutionStrategy
            {
                public PatientStrategy(ExecutionStrategyDependencies dependencies)
                    : base(dependencies, maxRetryCount: {|RES001:40|}, maxRetryDelay: TimeSpan.FromSeconds(30))
                {
                }

                protected override bool ShouldRetryOn(Exception exception) => exception is TimeoutException;
            }

            class HastyStrategy : ExecutionStrategy
            {
                public HastyStrategy(ExecutionStrategyDependencies dependencies)
                    : base(dependencies, 5, {|RES002:TimeSpan.Zero|})
                {
                }

                protected override bool ShouldRetryOn(Exception exception) => exception is TimeoutException;
            }
            """);

    [Fact]
    public Task EfCore_TheNextDelayOfAStrategyOfOnesOwn_IsJudgedLikeADelayLambda()
        => Verify("""
            using System;
            using Microsoft.EntityFrameworkCore.Storage;

            abstract class Strategy : ExecutionStrategy
            {
                protected Strategy(ExecutionStrategyDependencies dependencies) : base(dependencies, 5, TimeSpan.FromSeconds(30))
                {
                }

                protected override bool ShouldRetryOn(Exception exception) => exception is TimeoutException;
            }

            class Fixed : Strategy
            {
                public Fixed(ExecutionStrategyDependencies dependencies) : base(dependencies) { }

                protected override TimeSpan? {|RES002:GetNextDelay|}(Exception lastException)
                    => ExceptionsEncountered.Count < 5 ? TimeSpan.FromSeconds(1) : null;
            }

            class Doubling : Strategy
            {
                public Doubling(ExecutionStrategyDependencies dependencies) : base(dependencies) { }

                protected override TimeSpan? {|RES003:GetNextDelay|}(Exception lastException)
                {
                    if (ExceptionsEncountered.Count >= 5)
                    {
                        return null;
                    }

                    return TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, ExceptionsEncountered.Count)));
                }
            }

            class Jittered : Strategy
            {
                public Jittered(ExecutionStrategyDependencies dependencies) : base(dependencies) { }

                protected override TimeSpan? GetNextDelay(Exception lastException)
                    => TimeSpan.FromSeconds(Random.Shared.NextDouble() * Math.Min(30, Math.Pow(2, ExceptionsEncountered.Count)));
            }

            class Shaped : Strategy
            {
                public Shaped(ExecutionStrategyDependencies dependencies) : base(dependencies) { }

                protected override TimeSpan? GetNextDelay(Exception lastException) => base.GetNextDelay(lastException) * 2;
            }
            """);

    // AWS SDK v3's legacy retry mode (the member is gone in v4), through a stand-in of its configuration types.
    [Fact]
    public Task AwsSdkV3_LegacyRetryMode_BacksOffWithoutJitter()
    {
        var test = new Verify.Test
        {
            TestLibraries = TestLibraries.None,
            TestCode = """
                using Amazon.Runtime;

                class DynamoConfig : ClientConfig
                {
                }

                class C
                {
                    object Legacy() => new DynamoConfig { {|RES003:RetryMode = RequestRetryMode.Legacy|} };
                    object Standard() => new DynamoConfig { RetryMode = RequestRetryMode.Standard };
                }
                """,
        };
        Verifiers.TestSetup.AddStandInLibrary(test.TestState, """
            namespace Amazon.Runtime
            {
                public enum RequestRetryMode { Legacy, Standard, Adaptive }

                public abstract class ClientConfig
                {
                    public RequestRetryMode RetryMode { get; set; }

                    public int MaxErrorRetry { get; set; }
                }
            }
            """, "AWSSDK.Core");
        return test.RunAsync();
    }

    [Fact]
    public Task MassTransit_ImmediateIntervalAndGrowingPolicies_AreJudged()
        => Verify005("""
            using System;
            using MassTransit;

            class C
            {
                void Configure(IReceiveEndpointConfigurator endpoint)
                {
                    endpoint.UseMessageRetry(r => r.{|RES002:{|RES005:Immediate|}|}(5));
                    endpoint.UseMessageRetry(r =>
                    {
                        r.Handle<TimeoutException>();
                        r.{|RES002:Interval|}(3, TimeSpan.FromSeconds(2));
                    });
                    endpoint.UseMessageRetry(r =>
                    {
                        r.Handle<TimeoutException>();
                        r.{|RES001:Exponential|}(20, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2));
                    });
                    endpoint.UseMessageRetry(r =>
                    {
                        r.Handle<TimeoutException>();
                        r.{|RES003:{|RES004:Incremental|}|}(8, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10));
                    });
                    endpoint.UseMessageRetry(r =>
                    {
                        r.Handle<TimeoutException>();
                        r.{|RES003:Intervals|}(100, 500, 1000);
                    });

                    // Jittered, capped, a few retries, on the failures it names: nothing to say.
                    endpoint.UseMessageRetry(r =>
                    {
                        r.Handle<TimeoutException>();
                        r.Exponential(5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2));
                    });
                    endpoint.UseMessageRetry(r =>
                    {
                        r.Handle<TimeoutException>();
                        r.Incremental(3, TimeSpan.FromSeconds(1), TimeSpan.Zero.Add(TimeSpan.FromSeconds(1)));
                    });
                }
            }
            """);

    [Fact]
    public Task AzureSdk_RetryOptions_AreJudgedWhereTheyAreSet()
        => Verify("""
            using System;
            using Azure.Core;

            class StorageOptions : ClientOptions
            {
            }

            class C
            {
                object Many() => new StorageOptions { Retry = { {|RES001:MaxRetries = 50|}, Delay = TimeSpan.FromSeconds(1) } };
                object Fixed() => new StorageOptions { Retry = { {|RES002:Mode = RetryMode.Fixed|} } };

                object Later()
                {
                    var options = new StorageOptions();
                    {|RES002:options.Retry.Delay = TimeSpan.Zero|};
                    options.Retry.MaxRetries = 5;
                    options.Retry.Mode = RetryMode.Exponential;
                    return options;
                }

                object Defaults() => new StorageOptions();
            }
            """);

    [Fact]
    public Task AwsSdk_MaxErrorRetry_AboveTheLimit_IsReported()
        => Verify("""
            using Amazon.DynamoDBv2;

            class C
            {
                object Many() => new AmazonDynamoDBConfig { {|RES001:MaxErrorRetry = 25|} };
                object Few() => new AmazonDynamoDBConfig { MaxErrorRetry = 3 };
                object Off() => new AmazonDynamoDBConfig { MaxErrorRetry = 0 };
            }
            """);

    [Fact]
    public Task Grpc_ABackoffThatDoesNotGrow_IsReported()
        => Verify("""
            using System;
            using Grpc.Net.Client.Configuration;

            class C
            {
                object Flat() => new RetryPolicy
                {
                    MaxAttempts = 5,
                    InitialBackoff = TimeSpan.FromSeconds(1),
                    MaxBackoff = TimeSpan.FromSeconds(5),
                    {|RES002:BackoffMultiplier = 1|},
                    RetryableStatusCodes = { Grpc.Core.StatusCode.Unavailable },
                };

                MethodConfig AllAtOnce() => new MethodConfig { HedgingPolicy = {|RES002:new HedgingPolicy|} { MaxAttempts = 3, NonFatalStatusCodes = { Grpc.Core.StatusCode.Unavailable } } };
                MethodConfig ZeroDelay() => new MethodConfig { HedgingPolicy = new HedgingPolicy { MaxAttempts = 3, {|RES002:HedgingDelay = TimeSpan.Zero|} } };
                MethodConfig Spaced() => new MethodConfig { HedgingPolicy = new HedgingPolicy { MaxAttempts = 3, HedgingDelay = TimeSpan.FromMilliseconds(500) } };

                object Growing() => new RetryPolicy
                {
                    MaxAttempts = 5,
                    InitialBackoff = TimeSpan.FromSeconds(1),
                    MaxBackoff = TimeSpan.FromSeconds(5),
                    BackoffMultiplier = 1.5,
                    RetryableStatusCodes = { Grpc.Core.StatusCode.Unavailable },
                };
            }
            """);

    [Fact]
    public Task SqlClient_MissingMaxIntervalOrFixedProvider_RetriesWithoutBackoff()
        => Verify("""
            using System;
            using Microsoft.Data.SqlClient;

            class C
            {
                SqlRetryLogicBaseProvider NoMaximum() => SqlConfigurableRetryFactory.CreateExponentialRetryProvider(
                    {|RES002:new SqlRetryLogicOption|} { NumberOfTries = 5, DeltaTime = TimeSpan.FromSeconds(1) });

                SqlRetryLogicBaseProvider Many() => SqlConfigurableRetryFactory.CreateExponentialRetryProvider(
                    new SqlRetryLogicOption { {|RES001:NumberOfTries = 30|}, DeltaTime = TimeSpan.FromSeconds(1), MaxTimeInterval = TimeSpan.FromSeconds(20) });

                SqlRetryLogicBaseProvider Fixed() => SqlConfigurableRetryFactory.{|RES002:CreateFixedRetryProvider|}(
                    new SqlRetryLogicOption { NumberOfTries = 5, DeltaTime = TimeSpan.FromSeconds(1), MaxTimeInterval = TimeSpan.FromSeconds(20) });

                SqlRetryLogicBaseProvider Good() => SqlConfigurableRetryFactory.CreateExponentialRetryProvider(
                    new SqlRetryLogicOption { NumberOfTries = 5, DeltaTime = TimeSpan.FromSeconds(1), MaxTimeInterval = TimeSpan.FromSeconds(20) });

                SqlRetryLogicBaseProvider NoDelta() => SqlConfigurableRetryFactory.CreateExponentialRetryProvider(
                    {|RES002:new SqlRetryLogicOption|} { NumberOfTries = 5, MaxTimeInterval = TimeSpan.FromSeconds(20) });

                SqlRetryLogicBaseProvider FlatMinimum() => SqlConfigurableRetryFactory.CreateExponentialRetryProvider(
                    new SqlRetryLogicOption { NumberOfTries = 5, {|RES002:DeltaTime = TimeSpan.Zero|}, MinTimeInterval = TimeSpan.FromSeconds(1), MaxTimeInterval = TimeSpan.FromSeconds(20) });

                object ManyReconnects() => new SqlConnectionStringBuilder { {|RES001:ConnectRetryCount = 30|}, ConnectRetryInterval = 10 };
                object FewReconnects() => new SqlConnectionStringBuilder { ConnectRetryCount = 3 };

                SqlRetryLogicBaseProvider SetLater()
                {
                    var options = new SqlRetryLogicOption { NumberOfTries = 5, DeltaTime = TimeSpan.FromSeconds(1) };
                    options.MaxTimeInterval = TimeSpan.FromSeconds(20);
                    return SqlConfigurableRetryFactory.CreateExponentialRetryProvider(options);
                }
            }
            """);

    [Fact]
    public Task Redis_FixedReconnectPolicies_AreReported_TheExponentialOneIsNot()
        => Verify("""
            using StackExchange.Redis;

            class C
            {
                void Configure(ConfigurationOptions options)
                {
                    options.ReconnectRetryPolicy = {|RES002:new LinearRetry|}(5000);
                    options.ReconnectRetryPolicy = {|RES002:new ExponentialRetry|}(0);
                    options.ReconnectRetryPolicy = {|RES002:new ExponentialRetry|}(3000, 3000);
                    options.ReconnectRetryPolicy = new ExponentialRetry(2500);
                    options.ReconnectRetryPolicy = new ExponentialRetry(1000, 60000);
                    {|RES001:options.ConnectRetry = 20|};
                    options.ConnectRetry = 5;
                }
            }
            """);

    [Fact]
    public Task DaprWorkflow_ConstantUncappedOrManyAttempts_AreJudged()
        => Verify("""
            using System;
            using Dapr.Workflow;

            class C
            {
                object Constant() => new WorkflowRetryPolicy(3, TimeSpan.FromSeconds(5)).Equals(null) ? null! : {|RES002:new WorkflowRetryPolicy|}(3, TimeSpan.FromSeconds(5));
                object Uncapped() => {|RES004:new WorkflowRetryPolicy|}(maxNumberOfAttempts: 10, firstRetryInterval: TimeSpan.FromSeconds(1), backoffCoefficient: 2.0);
                object Many() => new WorkflowRetryPolicy({|RES001:30|}, TimeSpan.FromSeconds(1), 2.0, TimeSpan.FromSeconds(30));
                object Capped() => new WorkflowRetryPolicy(5, TimeSpan.FromSeconds(1), 2.0, TimeSpan.FromSeconds(30));
                object Deadline() => new WorkflowRetryPolicy(int.MaxValue, TimeSpan.FromSeconds(1), 2.0, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(10));
            }
            """.Replace("new WorkflowRetryPolicy(3, TimeSpan.FromSeconds(5)).Equals(null) ? null! : ", "", System.StringComparison.Ordinal));

    [Fact]
    public Task Cosmos_RateLimitRetriesAboveTheLimit_AreReported()
        => Verify("""
            using System;
            using Microsoft.Azure.Cosmos;
            using Microsoft.Azure.Cosmos.Fluent;

            class C
            {
                object Many() => new CosmosClientOptions { {|RES001:MaxRetryAttemptsOnRateLimitedRequests = 30|} };
                object Default() => new CosmosClientOptions { MaxRetryAttemptsOnRateLimitedRequests = 9 };
                object Builder(string connection) => new CosmosClientBuilder(connection).WithThrottlingRetryOptions(TimeSpan.FromSeconds(30), {|RES001:50|});
            }
            """);
}
