using System;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace RetryStorm;

/// <summary>
/// Code that cannot get out of a regional outage: calls that wait forever (an infinite timeout, a socket read), an endpoint pinned to one region,
/// a client that never re-resolves DNS and one made for every call. Each member says which diagnostic the build reports on it.
/// </summary>
public static class OutageExposure
{
    // RES021: lives for the process on a handler that keeps its connections, and so its DNS answer, for ever.
    private static readonly HttpClient Shared = new HttpClient();

    // RES020: the regional endpoint is written into the code; there is nowhere to fail over to.
    private const string OrdersTable = "https://dynamodb.us-east-1.amazonaws.com";

    // RES010: a hung endpoint holds this call, its thread and its connection for as long as it hangs.
    public static HttpClient CreateReportingClient() => new HttpClient { Timeout = Timeout.InfiniteTimeSpan };

    // Clean: a finite connection lifetime lets DNS changes reach the client, and the timeout is bounded.
    private static readonly HttpClient Rotating = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
    {
        Timeout = TimeSpan.FromSeconds(30),
    };

    // RES012: a peer that stops answering without closing the connection holds this read, and its caller, for ever.
    public static async Task<int> ReadStatusAsync(string host, byte[] buffer, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(host, 7000, cancellationToken);
        return await client.GetStream().ReadAsync(buffer, 0, buffer.Length);
    }

    // RES022: a new client, new connections and a new DNS lookup for every call; disposed, its sockets linger.
    public static async Task<string> PriceAsync(string sku)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        return await client.GetStringAsync("https://prices.example.com/" + sku);
    }

    public static Uri OrdersEndpoint() => new Uri(OrdersTable);

    public static HttpClient Client(bool rotating) => rotating ? Rotating : Shared;
}
