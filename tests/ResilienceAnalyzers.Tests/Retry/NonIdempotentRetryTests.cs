using System;
using System.Threading;
using ResilienceAnalyzers.Tests.Verifiers;
using Verifier = ResilienceAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>;

namespace ResilienceAnalyzers.Tests.Retry;

/// <summary>RES007: a POST or PATCH sent again by a retry (loop, Polly execution), and what RULES.md leaves alone.</summary>
public sealed class NonIdempotentRetryTests
{
    private static Task Verify(string send, string extra = "")
    {
        var test = new Verifier.Test
        {
            TestCode = $$"""
                using System;
                using System.Net.Http;
                using System.Net.Http.Json;
                using System.Threading.Tasks;

                class C
                {
                    async Task<HttpResponseMessage> Send(HttpClient client, object order)
                    {
                        for (var attempt = 0; attempt < 3; attempt++)
                        {
                            try
                            {
                                {{extra}}
                                return await {{send}};
                            }
                            catch (HttpRequestException)
                            {
                                await Task.Delay(100 * (1 << attempt));
                            }
                        }

                        throw new InvalidOperationException();
                    }
                }
                """,
            VerifiesLayerRules = true,
        };
        test.DisabledDiagnostics.AddRange(new[] { "RES001", "RES002", "RES003", "RES004" });
        return test.RunAsync(CancellationToken.None);
    }

    [Theory]
    [InlineData("client.{|#0:PostAsync|}(\"https://shop/orders\", null)")]
    [InlineData("client.{|#0:PatchAsync|}(\"https://shop/orders/1\", null)")]
    [InlineData("client.{|#0:PostAsJsonAsync|}(\"https://shop/orders\", order)")]
    [InlineData("client.{|#0:SendAsync|}(new HttpRequestMessage(HttpMethod.Post, \"https://shop/orders\"))")]
    [InlineData("client.{|#0:SendAsync|}(new HttpRequestMessage { Method = new HttpMethod(\"PATCH\") })")]
    public Task UnsafeRequestInARetryLoop_IsReported(string send)
        => Verify(send.Replace("{|#0:", "{|RES007:", StringComparison.Ordinal));

    [Fact]
    public Task RequestInALocal_IsFollowed()
        => Verify("client.{|RES007:SendAsync|}(request)", "var request = new HttpRequestMessage(HttpMethod.Get, \"https://shop/orders\"); request.Method = HttpMethod.Post;");

    [Theory]
    [InlineData("client.PutAsync(\"https://shop/orders/1\", null)")]
    [InlineData("client.DeleteAsync(\"https://shop/orders/1\")")]
    [InlineData("client.GetAsync(\"https://shop/orders/1\")")]
    [InlineData("client.SendAsync(new HttpRequestMessage(HttpMethod.Put, \"https://shop/orders/1\"))")]
    [InlineData("client.SendAsync(Build())")]
    public Task IdempotentOrUnseenMethods_AreNotReported(string send)
        => Verify(send.Replace("Build()", "new HttpRequestMessage()", StringComparison.Ordinal));

    [Fact]
    public Task AnIdempotencyKeyHeader_IsNotReported()
        => Verify("client.PostAsync(\"https://shop/orders\", null)", "client.DefaultRequestHeaders.Add(\"Idempotency-Key\", Guid.NewGuid().ToString());");

    [Fact]
    public Task PostInAPollyPipelinesExecution_IsReported_UnlessShouldHandleReadsTheMethod()
    {
        var test = new Verifier.Test
        {
            TestCode = """
                using System.Net.Http;
                using System.Threading.Tasks;
                using Polly;
                using Polly.Retry;

                class C
                {
                    private readonly ResiliencePipeline<HttpResponseMessage> _retry = new ResiliencePipelineBuilder<HttpResponseMessage>()
                        .AddRetry(new RetryStrategyOptions<HttpResponseMessage> { BackoffType = DelayBackoffType.Exponential, UseJitter = true })
                        .Build();

                    private readonly ResiliencePipeline<HttpResponseMessage> _safeRetry = new ResiliencePipelineBuilder<HttpResponseMessage>()
                        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                        {
                            BackoffType = DelayBackoffType.Exponential,
                            UseJitter = true,
                            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.RequestMessage?.Method != HttpMethod.Post),
                        })
                        .Build();

                    Task<HttpResponseMessage> Send(HttpClient client)
                        => _retry.ExecuteAsync(async token => await client.{|RES007:PostAsync|}("https://shop/orders", null, token)).AsTask();

                    Task<HttpResponseMessage> SendSafely(HttpClient client)
                        => _safeRetry.ExecuteAsync(async token => await client.PostAsync("https://shop/orders", null, token)).AsTask();
                }
                """,
            VerifiesLayerRules = true,
        };
        test.DisabledDiagnostics.AddRange(new[] { "RES001", "RES002", "RES003", "RES004" });
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task PostOutsideAnyRetry_OrInTheCatch_IsNotReported()
        => new Verifier.Test
        {
            TestCode = """
                using System;
                using System.Net.Http;
                using System.Threading.Tasks;

                class C
                {
                    async Task Send(HttpClient client)
                    {
                        await client.PostAsync("https://shop/orders", null);
                        for (var attempt = 0; attempt < 3; attempt++)
                        {
                            try
                            {
                                await client.GetAsync("https://shop/health");
                                return;
                            }
                            catch (HttpRequestException)
                            {
                                await client.PostAsync("https://shop/alerts", null);
                                await Task.Delay(100 * (1 << attempt));
                            }
                        }
                    }
                }
                """,
            VerifiesLayerRules = true,
            DisabledDiagnostics = { "RES001", "RES002", "RES003", "RES004" },
        }.RunAsync(CancellationToken.None);
}
