using ResilienceAnalyzers.CodeFixes.Retry;
using Fix = ResilienceAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer, ResilienceAnalyzers.CodeFixes.Retry.RetryCodeFixProvider>;

namespace ResilienceAnalyzers.Tests.Retry;

/// <summary>The fixes for library retry settings, one by one and through Fix All (the verifier checks both).</summary>
public sealed class LibraryRetryFixTests
{
    [Fact]
    public Task Counts_BecomeTheConfiguredAttempts_CountingTheFirstAttemptWhereTheSettingDoes()
        => Fix.VerifyCodeFixAsync(
            """
            using System;
            using Amazon.DynamoDBv2;
            using Microsoft.Data.SqlClient;
            using Microsoft.EntityFrameworkCore;

            class C
            {
                void Configure(DbContextOptionsBuilder options, string connection)
                    => options.UseSqlServer(connection, sql => sql.EnableRetryOnFailure({|RES001:50|}));

                object Aws() => new AmazonDynamoDBConfig { {|RES001:MaxErrorRetry = 25|} };

                object Sql() => new SqlRetryLogicOption { {|RES001:NumberOfTries = 30|}, DeltaTime = TimeSpan.FromSeconds(1), MaxTimeInterval = TimeSpan.FromSeconds(20) };
            }
            """,
            """
            using System;
            using Amazon.DynamoDBv2;
            using Microsoft.Data.SqlClient;
            using Microsoft.EntityFrameworkCore;

            class C
            {
                void Configure(DbContextOptionsBuilder options, string connection)
                    => options.UseSqlServer(connection, sql => sql.EnableRetryOnFailure(3));

                object Aws() => new AmazonDynamoDBConfig { MaxErrorRetry = 3 };

                object Sql() => new SqlRetryLogicOption { NumberOfTries = 4, DeltaTime = TimeSpan.FromSeconds(1), MaxTimeInterval = TimeSpan.FromSeconds(20) };
            }
            """,
            equivalenceKey: RetryCodeFixProvider.BoundKey);

    [Fact]
    public Task MassTransit_ImmediateAndInterval_BecomeExponential()
        => Fix.VerifyCodeFixAsync(
            """
            using System;
            using MassTransit;

            class C
            {
                void Configure(IReceiveEndpointConfigurator endpoint)
                {
                    endpoint.UseMessageRetry(r => r.{|RES002:Immediate|}(5));
                    endpoint.UseMessageRetry(r => r.{|RES002:Immediate|}(0));
                    endpoint.UseMessageRetry(r => r.{|RES002:Interval|}(3, TimeSpan.FromSeconds(2)));
                }
            }
            """,
            """
            using System;
            using MassTransit;

            class C
            {
                void Configure(IReceiveEndpointConfigurator endpoint)
                {
                    endpoint.UseMessageRetry(r => r.Exponential(5, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(20000), TimeSpan.FromMilliseconds(200)));
                    endpoint.UseMessageRetry(r => r.Exponential(1, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(20000), TimeSpan.FromMilliseconds(200)));
                    endpoint.UseMessageRetry(r => r.Exponential(3, TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(20000), TimeSpan.FromMilliseconds(200)));
                }
            }
            """,
            equivalenceKey: RetryCodeFixProvider.JitteredBackoffKey);

    [Fact]
    public Task AwsSdkV3LegacyMode_BecomesStandard()
    {
        var test = new Fix.Test
        {
            TestLibraries = Verifiers.TestLibraries.None,
            TestCode = """
                using Amazon.Runtime;

                class DynamoConfig : ClientConfig
                {
                }

                class C
                {
                    object Legacy() => new DynamoConfig { {|RES003:RetryMode = RequestRetryMode.Legacy|} };
                }
                """,
            FixedCode = """
                using Amazon.Runtime;

                class DynamoConfig : ClientConfig
                {
                }

                class C
                {
                    object Legacy() => new DynamoConfig { RetryMode = RequestRetryMode.Standard };
                }
                """,
            CodeActionEquivalenceKey = RetryCodeFixProvider.AddJitterKey,
        };
        foreach (var state in new[] { test.TestState, test.FixedState, test.BatchFixedState })
        {
            Verifiers.TestSetup.AddStandInLibrary(state, """
                namespace Amazon.Runtime
                {
                    public enum RequestRetryMode { Legacy, Standard, Adaptive }

                    public abstract class ClientConfig
                    {
                        public RequestRetryMode RetryMode { get; set; }
                    }
                }
                """, "AWSSDK.Core");
        }

        return test.RunAsync();
    }

    [Fact]
    public Task AzureFixedMode_BecomesExponential()
        => Fix.VerifyCodeFixAsync(
            """
            using Azure.Core;

            class StorageOptions : ClientOptions
            {
            }

            class C
            {
                object Fixed() => new StorageOptions { Retry = { {|RES002:Mode = RetryMode.Fixed|} } };
            }
            """,
            """
            using Azure.Core;

            class StorageOptions : ClientOptions
            {
            }

            class C
            {
                object Fixed() => new StorageOptions { Retry = { Mode = RetryMode.Exponential } };
            }
            """,
            equivalenceKey: RetryCodeFixProvider.JitteredBackoffKey);
}
