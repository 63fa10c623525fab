using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Polly;
using Polly.Retry;

namespace RetryStorm;

/// <summary>
/// Retry code as it is commonly written, and one retry written safely. Each method says in a comment
/// which diagnostics the build reports on it. Nothing here runs a retry: build the project to see them.
/// </summary>
public static class Program
{
    public static void Main()
    {
        Console.WriteLine("RetryStorm is a sample to build, not to run: 'dotnet build samples/RetryStorm' shows the warnings.");
    }
}

public sealed class InventoryClient
{
    private readonly HttpClient _http;

    public InventoryClient(HttpClient http)
    {
        _http = http;
    }

    // RES001 (no attempt limit) and RES002 (no delay at all): while the service is down, every caller
    // sends a new request as fast as the previous one fails, for ever.
    public async Task<string> GetStockAsync(string sku)
    {
        while (true)
        {
            try
            {
                return await _http.GetStringAsync($"https://inventory.example/stock/{sku}");
            }
            catch (HttpRequestException)
            {
            }
        }
    }

    // RES002: bounded, but the wait never grows, so the load on a struggling service never drops.
    public async Task<string> GetPriceAsync(string sku, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await _http.GetStringAsync($"https://inventory.example/price/{sku}", cancellationToken);
            }
            catch (HttpRequestException) when (attempt < 5)
            {
                await Task.Delay(1000, cancellationToken);
            }
        }
    }

    // RES003: bounded exponential backoff, but every client that failed together retries together.
    public async Task<string> GetDescriptionAsync(string sku, CancellationToken cancellationToken)
    {
        var attempt = 0;
        while (true)
        {
            try
            {
                return await _http.GetStringAsync($"https://inventory.example/description/{sku}", cancellationToken);
            }
            catch (HttpRequestException)
            {
                if (++attempt >= 4)
                {
                    throw;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(100 * Math.Pow(2, attempt)), cancellationToken);
            }
        }
    }

    // Clean: at most 3 attempts, capped exponential backoff with full jitter.
    public async Task<string> GetReviewsAsync(string sku, CancellationToken cancellationToken)
    {
        var attempt = 0;
        while (true)
        {
            try
            {
                return await _http.GetStringAsync($"https://inventory.example/reviews/{sku}", cancellationToken);
            }
            catch (HttpRequestException)
            {
                if (++attempt >= 3)
                {
                    throw;
                }

                var delay = Random.Shared.NextDouble() * Math.Min(20000, 200 * Math.Pow(2, attempt));
                await Task.Delay(TimeSpan.FromMilliseconds(delay), cancellationToken);
            }
        }
    }
}

public static class Policies
{
    // RES001 (WaitAndRetryForeverAsync never gives up) and RES003 (the delay doubles, with no jitter).
    public static readonly AsyncRetryPolicy PollyV7Forever = Policy
        .Handle<HttpRequestException>()
        .WaitAndRetryForeverAsync(retryAttempt => TimeSpan.FromSeconds(Math.Pow(2, retryAttempt)));

    // RES003: Polly v8 exponential backoff with UseJitter left at its default, false.
    public static readonly ResiliencePipeline PollyV8Exponential = new ResiliencePipelineBuilder()
        .AddRetry(new RetryStrategyOptions
        {
            ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(),
            BackoffType = DelayBackoffType.Exponential,
        })
        .Build();
}
