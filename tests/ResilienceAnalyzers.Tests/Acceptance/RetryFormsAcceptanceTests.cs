using ResilienceAnalyzers.Tests.Verifiers;

namespace ResilienceAnalyzers.Tests.Acceptance;

/// <summary>The everyday Polly retry forms and their near-misses, as a user meets them first.</summary>
public sealed class RetryFormsAcceptanceTests
{
    [Theory]
    [InlineData("Policy.Handle<HttpRequestException>().{|RES001:{|RES002:WaitAndRetryForeverAsync|}|}(attempt => TimeSpan.FromSeconds(2))")]
    [InlineData("Policy.Handle<Exception>().{|RES002:RetryAsync|}(3)")]
    [InlineData("Policy.Handle<Exception>().{|RES003:WaitAndRetryAsync|}(5, retryAttempt => TimeSpan.FromSeconds(Math.Pow(2, retryAttempt)))")]
    [InlineData("Policy.Handle<Exception>().WaitAndRetryAsync(Backoff.DecorrelatedJitterBackoffV2(TimeSpan.FromSeconds(1), 5))")]
    [InlineData("Policy.Handle<Exception>().WaitAndRetryAsync(3, retryAttempt => TimeSpan.FromSeconds(Math.Pow(2, retryAttempt)) + TimeSpan.FromMilliseconds(Jitterer.Next(0, 1000)))")]
    [InlineData("Policy.Handle<Exception>().{|RES001:WaitAndRetryAsync|}(50, retryAttempt => TimeSpan.FromMilliseconds(Jitterer.Next(0, 100 << Math.Min(retryAttempt, 10))))")]
    [InlineData("Policy.Handle<Exception>().{|RES002:WaitAndRetryAsync|}(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1) })")]
    [InlineData("Policy.Handle<Exception>().{|RES003:WaitAndRetryAsync|}(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4) })")]
    public Task PollyV7(string policy)
        => CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>.VerifyAnalyzerAsync($$"""
            using System;
            using System.Net.Http;
            using Polly;
            using Polly.Contrib.WaitAndRetry;

            class C
            {
                static readonly Random Jitterer = new Random();

                IAsyncPolicy Create() => {{policy}};
            }
            """);

    [Fact]
    public Task HttpClientFactoryPolicies()
        => CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>.VerifyAnalyzerAsync("""
            using System;
            using System.Net.Http;
            using Microsoft.Extensions.DependencyInjection;
            using Polly;
            using Polly.Retry;
            using Microsoft.Extensions.Http.Resilience;

            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient("catalog")
                        .AddTransientHttpErrorPolicy(p => p.{|RES002:WaitAndRetryAsync|}(3, _ => TimeSpan.FromMilliseconds(600)));

                    services.AddHttpClient("orders")
                        .AddStandardResilienceHandler(o => { {|RES003:o.Retry.UseJitter = false|}; });

                    services.AddHttpClient("basket")
                        .AddStandardResilienceHandler();

                    services.AddHttpClient("payments")
                        .AddResilienceHandler("pipeline", b => b.AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 4 }));

                    var pipeline = new ResiliencePipelineBuilder()
                        .AddRetry(new RetryStrategyOptions { {|RES001:MaxRetryAttempts = int.MaxValue|}, {|RES004:BackoffType = DelayBackoffType.Exponential|}, UseJitter = true })
                        .AddRetry(new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, UseJitter = true, {|RES002:Delay = TimeSpan.Zero|} })
                        .Build();
                }
            }
            """);
}
