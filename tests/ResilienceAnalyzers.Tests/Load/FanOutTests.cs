using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using ResilienceAnalyzers.Load;
using ResilienceAnalyzers.Tests.Verifiers;

namespace ResilienceAnalyzers.Tests.Load;

/// <summary>
/// RES031: <c>Task.WhenAll</c> over a projection of outbound calls, and <c>Parallel.ForEach*</c> over outbound work, with
/// nothing that bounds the collection or how many calls run together.
/// </summary>
public sealed class FanOutTests
{
    private const string Usings = """
        using System;
        using System.Collections.Generic;
        using System.Data.Common;
        using System.IO;
        using System.Linq;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private const string XunitStub = """

        namespace Xunit
        {
            public sealed class FactAttribute : System.Attribute { }
        }
        """;

    private static Task Verify(string source, TestLibraries libraries = TestLibraries.None, string? editorConfig = null, Microsoft.CodeAnalysis.Testing.DiagnosticResult[]? expected = null)
        => CSharpAnalyzerVerifier<LoadAnalyzer>.VerifyAnalyzerAsync(Usings + source, libraries, editorConfig, expected ?? System.Array.Empty<Microsoft.CodeAnalysis.Testing.DiagnosticResult>());

    private static Task VerifyFiles(params string[] sources)
    {
        var test = new CSharpAnalyzerVerifier<LoadAnalyzer>.Test { TestLibraries = TestLibraries.None };
        foreach (var source in sources)
        {
            test.TestState.Sources.Add(Usings + source);
        }

        return test.RunAsync(CancellationToken.None);
    }

    // ---- Flagged: Task.WhenAll over a projection ----

    [Fact]
    public Task WhenAll_over_a_projection_of_HttpClient_calls_is_flagged()
        => Verify("""
            sealed class PriceLookup
            {
                private readonly HttpClient _http;

                public PriceLookup(HttpClient http) => _http = http;

                public async Task<string[]> PricesAsync(IEnumerable<string> skus)
                    => await Task.{|RES031:WhenAll|}(skus.Select(sku => _http.GetStringAsync("https://prices.example/" + sku)));
            }

            sealed class Caller
            {
                public Task<string[]> Run(PriceLookup lookup, List<string> skus) => lookup.PricesAsync(skus);
            }
            """);

    [Fact]
    public Task Message_names_the_method_the_outbound_call_and_the_collection()
        => Verify(
            """
            sealed class Notifier
            {
                public Task NotifyAsync(HttpClient http, string[] userIds)
                    => Task.{|#0:WhenAll|}(userIds.Select(id => http.PostAsync("https://push.example/" + id, null)));
            }
            """,
            expected: new[] { CSharpAnalyzerVerifier<LoadAnalyzer>.Diagnostic("RES031").WithLocation(0).WithArguments("Task.WhenAll", "HttpClient.PostAsync", "userIds", "at once") });

    [Fact]
    public Task WhenAll_over_a_projection_of_database_commands_is_flagged()
        => Verify("""
            sealed class Archive
            {
                private readonly DbConnection _connection;

                public Archive(DbConnection connection) => _connection = connection;

                public Task ArchiveAsync(IReadOnlyList<int> orderIds)
                    => Task.{|RES031:WhenAll|}(orderIds.Select(async id =>
                    {
                        await using var command = _connection.CreateCommand();
                        command.CommandText = "UPDATE Orders SET Archived = 1 WHERE Id = " + id;
                        await command.ExecuteNonQueryAsync();
                    }));
            }

            sealed class Job
            {
                public Task Run(Archive archive) => archive.ArchiveAsync(new List<int>());
            }
            """);

    [Fact]
    public Task Message_names_the_request_the_work_awaits_not_a_step_before_it()
        => Verify(
            """
            sealed class Cleanup
            {
                public Task PurgeAsync(DbConnection connection, List<int> ids)
                    => Task.{|#0:WhenAll|}(ids.Select(async id =>
                    {
                        using var command = connection.CreateCommand();
                        command.CommandText = "DELETE FROM Sessions WHERE UserId = " + id;
                        await command.ExecuteNonQueryAsync();
                    }));
            }
            """,
            expected: new[] { CSharpAnalyzerVerifier<LoadAnalyzer>.Diagnostic("RES031").WithLocation(0).WithArguments("Task.WhenAll", "DbCommand.ExecuteNonQueryAsync", "ids", "at once") });

    [Fact]
    public Task A_list_filled_before_the_projection_is_as_big_as_what_was_added()
        => Verify("""
            sealed class Digest
            {
                private readonly HttpClient _http = new();

                public async Task SendAsync(IEnumerable<string> subscribers)
                {
                    var recipients = new List<string>();
                    foreach (var subscriber in subscribers)
                    {
                        recipients.Add(subscriber.Trim());
                    }

                    await Task.{|RES031:WhenAll|}(recipients.Select(r => _http.PostAsync("https://mail.example/" + r, null)));
                }
            }

            sealed class Weekly
            {
                public Task Run(Digest digest) => digest.SendAsync(new List<string>());
            }
            """);

    [Fact]
    public Task WhenAll_over_a_method_of_the_compilation_that_calls_out_is_flagged()
        => Verify("""
            sealed class StockClient
            {
                private readonly HttpClient _http = new();

                public async Task<int> CountAsync(string sku)
                    => int.Parse(await _http.GetStringAsync("https://stock.example/" + sku));
            }

            sealed class Restock
            {
                private readonly StockClient _stock = new();

                public Task<int[]> CountAllAsync(IEnumerable<string> skus)
                    => Task.{|RES031:WhenAll|}(skus.Select(sku => _stock.CountAsync(sku)));
            }
            """);

    [Fact]
    public Task A_method_group_that_calls_out_is_flagged()
        => Verify("""
            sealed class Crawler
            {
                public Task<string[]> FetchAllAsync(HttpClient http, List<string> urls)
                    => Task.{|RES031:WhenAll|}(urls.Select(http.GetStringAsync));
            }

            sealed class Feeds
            {
                private readonly HttpClient _http = new();

                public Task<string[]> RefreshAsync(List<string> feeds) => Task.{|RES031:WhenAll|}(feeds.Select(FetchAsync));

                private Task<string> FetchAsync(string feed) => _http.GetStringAsync(feed);
            }
            """);

    [Fact]
    public Task Through_a_local_and_through_ToList_or_ToArray_is_flagged()
        => Verify("""
            sealed class Profiles
            {
                private readonly HttpClient _http = new();

                public async Task LoadAsync(IEnumerable<string> ids)
                {
                    var pending = ids.Select(id => _http.GetStringAsync("https://profiles.example/" + id));
                    await Task.{|RES031:WhenAll|}(pending);

                    var listed = ids.Select(id => _http.GetStringAsync("https://avatars.example/" + id)).ToList();
                    await Task.{|RES031:WhenAll|}(listed);

                    await Task.{|RES031:WhenAll|}(ids.Select(id => _http.DeleteAsync("https://cache.example/" + id)).ToArray());
                }
            }

            sealed class Startup
            {
                public Task Run(Profiles profiles) => profiles.LoadAsync(Array.Empty<string>());
            }
            """);

    [Fact]
    public Task A_query_expression_and_a_filtered_source_are_flagged()
        => Verify("""
            sealed class Mailer
            {
                public Task SendAsync(HttpClient http, IEnumerable<(string Address, bool Active)> users)
                    => Task.{|RES031:WhenAll|}(from user in users where user.Active select http.PostAsync("https://mail.example/" + user.Address, null));

                public Task PingAsync(HttpClient http, IEnumerable<string> hosts)
                    => Task.{|RES031:WhenAll|}(hosts.Where(h => h.Length > 0).OrderBy(h => h).Select(h => http.GetAsync(h)));
            }
            """);

    [Fact]
    public Task A_range_over_a_collections_count_is_flagged_a_range_over_a_worker_count_is_not()
        => Verify("""
            sealed class Pages
            {
                private readonly HttpClient _http = new();

                public Task GetAsync(List<string> pages)
                    => Task.{|RES031:WhenAll|}(Enumerable.Range(0, pages.Count).Select(i => _http.GetAsync(pages[i])));

                // Not flagged: a number of workers the code chose, not the size of the data.
                public Task PollAsync(int workers)
                    => Task.WhenAll(Enumerable.Range(0, workers).Select(_ => _http.GetAsync("https://queue.example/next")));
            }
            """);

    [Fact]
    public Task A_list_filled_in_a_foreach_and_awaited_with_WhenAll_is_flagged()
        => Verify("""
            sealed class Invalidator
            {
                private readonly HttpClient _http = new();

                public async Task PurgeAsync(IEnumerable<string> keys)
                {
                    var tasks = new List<Task<HttpResponseMessage>>();
                    foreach (var key in keys)
                    {
                        tasks.Add(_http.DeleteAsync("https://cdn.example/" + key));
                    }

                    await Task.{|RES031:WhenAll|}(tasks);
                }
            }

            sealed class Admin
            {
                public Task Run(Invalidator invalidator) => invalidator.PurgeAsync(new[] { "a" }.Concat(Array.Empty<string>()));
            }
            """);

    // ---- Flagged: Parallel loops ----

    [Fact]
    public Task Parallel_ForEach_over_outbound_work_without_MaxDegreeOfParallelism_is_flagged()
        => Verify("""
            sealed class Exporter
            {
                private readonly HttpClient _http = new();

                public void Export(IEnumerable<string> documents, CancellationToken token)
                {
                    Parallel.{|RES031:ForEach|}(documents, document =>
                    {
                        using var request = new HttpRequestMessage(HttpMethod.Put, "https://search.example/" + document);
                        _http.Send(request);
                    });

                    // Options that only carry a token leave MaxDegreeOfParallelism at -1: no limit.
                    Parallel.{|RES031:ForEach|}(documents, new ParallelOptions { CancellationToken = token }, document => _http.Send(new HttpRequestMessage(HttpMethod.Delete, document)));

                    var options = new ParallelOptions { MaxDegreeOfParallelism = -1 };
                    Parallel.{|RES031:ForEach|}(documents, options, document => _http.Send(new HttpRequestMessage(HttpMethod.Head, document)));
                }
            }

            sealed class Nightly
            {
                public void Run(Exporter exporter) => exporter.Export(new List<string>(), CancellationToken.None);
            }
            """);

    [Fact]
    public Task Parallel_ForEach_over_database_commands_is_flagged()
        => Verify("""
            sealed class Reindex
            {
                public void Run(DbConnection connection, string[] tables)
                {
                    Parallel.{|RES031:ForEach|}(tables, table =>
                    {
                        using var command = connection.CreateCommand();
                        command.CommandText = "ALTER INDEX ALL ON " + table + " REBUILD";
                        command.ExecuteNonQuery();
                    });
                }
            }
            """);

    [Fact]
    public Task Parallel_ForEachAsync_with_MaxDegreeOfParallelism_int_MaxValue_is_flagged()
        => Verify(
            """
            sealed class Warmup
            {
                public Task RunAsync(HttpClient http, IEnumerable<string> urls)
                    => Parallel.{|#0:ForEachAsync|}(urls, new ParallelOptions { MaxDegreeOfParallelism = int.MaxValue }, async (url, token) => await http.GetAsync(url, token));
            }
            """,
            expected: new[]
            {
                CSharpAnalyzerVerifier<LoadAnalyzer>.Diagnostic("RES031").WithLocation(0)
                    .WithArguments("Parallel.ForEachAsync", "HttpClient.GetAsync", "urls", "with MaxDegreeOfParallelism = int.MaxValue"),
            });

    // ---- Not flagged: the size is bounded ----

    [Fact]
    public Task Constant_size_collections_are_not_flagged()
        => Verify("""
            sealed class Health
            {
                private static readonly string[] Regions = { "eu", "us", "ap" };
                private static readonly string[] Zones = ["a", "b"];
                private readonly HttpClient _http = new();

                public async Task CheckAsync()
                {
                    await Task.WhenAll(new[] { "https://a.example", "https://b.example" }.Select(u => _http.GetAsync(u)));
                    await Task.WhenAll(Regions.Select(r => _http.GetAsync("https://" + r + ".example/health")));
                    await Task.WhenAll(Zones.Select(z => _http.GetAsync("https://" + z + ".example/health")));
                    string[] mirrors = ["https://m1.example", "https://m2.example"];
                    await Task.WhenAll(mirrors.Select(m => _http.GetAsync(m)));
                    await Task.WhenAll(Enumerable.Range(1, 4).Select(shard => _http.GetAsync("https://shard" + shard + ".example")));
                    var hosts = new List<string> { "https://x.example", "https://y.example" };
                    await Task.WhenAll(hosts.Select(h => _http.GetAsync(h)));
                    Parallel.ForEach(new[] { "https://p.example", "https://q.example" }, u => _http.Send(new HttpRequestMessage(HttpMethod.Get, u)));
                }
            }

            sealed class Probe
            {
                public Task Run(Health health) => health.CheckAsync();
            }
            """);

    [Fact]
    public Task Take_and_Chunk_upstream_are_not_flagged()
        => Verify("""
            sealed class Backfill
            {
                private readonly HttpClient _http = new();

                public async Task RunAsync(List<string> ids, int batchSize)
                {
                    await Task.WhenAll(ids.Take(20).Select(id => _http.GetAsync(id)));

                    foreach (var chunk in ids.Chunk(10))
                    {
                        await Task.WhenAll(chunk.Select(id => _http.GetAsync(id)));
                    }

                    for (var i = 0; i < ids.Count; i += batchSize)
                    {
                        var batch = ids.Skip(i).Take(batchSize);
                        await Task.WhenAll(batch.Select(id => _http.GetAsync(id)));
                    }

                    await Task.WhenAll(ids.Chunk(50).Select(part => _http.PostAsync("https://bulk.example", new StringContent(string.Join(",", part)))));
                    await Task.WhenAll(ids.Chunk(50).Select(part => Task.WhenAll(part.Select(id => _http.GetAsync(id)))));
                    Parallel.ForEach(ids.Chunk(25), part => _http.Send(new HttpRequestMessage(HttpMethod.Post, "https://bulk.example/" + part.Length)));
                }
            }

            sealed class Tool
            {
                public Task Run(Backfill backfill) => backfill.RunAsync(new List<string>(), 10);
            }
            """);

    [Fact]
    public Task Message_names_the_request_not_the_ConfigureAwait_on_its_result()
        => CSharpAnalyzerVerifier<LoadAnalyzer>.VerifyAnalyzerAsync(
            ResilienceAnalyzers.Tests.Timeouts.GrpcDeadlineTests.GeneratedClient + """
            namespace App
            {
                using System.Collections.Generic;
                using System.Linq;
                using Shop;

                sealed class OrderWatch
                {
                    public async Task WaitAllAsync(Orders.OrdersClient client, IEnumerable<int> ids)
                    {
                        var waits = ids.Select(async id =>
                        {
                            async Task<OrderReply> Call() => await client.GetOrderAsync(new OrderRequest { Id = id }, deadline: DateTime.UtcNow.AddMinutes(1)).ConfigureAwait(false);
                            return await Call();
                        });
                        await Task.{|#0:WhenAll|}(waits).ConfigureAwait(false);
                    }
                }
            }
            """,
            TestLibraries.Grpc,
            editorConfig: null,
            CSharpAnalyzerVerifier<LoadAnalyzer>.Diagnostic("RES031").WithLocation(0).WithArguments("Task.WhenAll", "OrdersClient.GetOrderAsync", "ids", "at once"));

    [Fact]
    public Task A_private_field_built_from_an_enum_is_bounded_unless_the_type_fills_it()
        => Verify("""
            enum Currency { Eur, Usd, Gbp }

            sealed class Rates
            {
                private readonly List<Currency> _currencies = Enum.GetValues<Currency>().ToList();
                private readonly List<Currency> _watched = Enum.GetValues<Currency>().ToList();
                private readonly HttpClient _http = new();

                public void Watch(Currency currency) => _watched.Add(currency);

                public async Task RefreshAsync()
                {
                    await Task.WhenAll(_currencies.Select(c => _http.GetStringAsync("https://rates.example/" + c)));
                    await Task.{|RES031:WhenAll|}(_watched.Select(c => _http.GetStringAsync("https://rates.example/" + c)));
                }
            }
            """);

    // The fill is found however the field is named where it is filled: through this, through a conditional access, or in a
    // nested type (which may use its outer type's private members), and in another part of a partial type.
    [Fact]
    public Task A_private_field_filled_through_this_a_conditional_access_a_nested_type_or_another_part_is_not_bounded()
        => Verify("""
            enum Currency { Eur, Usd, Gbp }

            sealed partial class Rates
            {
                private readonly List<Currency> _kept = Enum.GetValues<Currency>().ToList();
                private readonly List<Currency> _watched = Enum.GetValues<Currency>().ToList();
                private readonly List<Currency>? _pinned = Enum.GetValues<Currency>().ToList();
                private readonly List<Currency> _followed = Enum.GetValues<Currency>().ToList();
                private readonly List<Currency> _listed = Enum.GetValues<Currency>().ToList();
                private readonly HttpClient _http = new();

                public void Watch(Currency currency) => this._watched.Add(currency);

                public void Pin(Currency currency) => _pinned?.Add(currency);

                public async Task RefreshAsync()
                {
                    await Task.WhenAll(this._kept.Select(c => _http.GetStringAsync("https://rates.example/" + c)));
                    await Task.{|RES031:WhenAll|}(_watched.Select(c => _http.GetStringAsync("https://rates.example/" + c)));
                    await Task.{|RES031:WhenAll|}(_pinned!.Select(c => _http.GetStringAsync("https://rates.example/" + c)));
                    await Task.{|RES031:WhenAll|}(_followed.Select(c => _http.GetStringAsync("https://rates.example/" + c)));
                    await Task.{|RES031:WhenAll|}(_listed.Select(c => _http.GetStringAsync("https://rates.example/" + c)));
                }

                private sealed class Follower
                {
                    public void Follow(Rates rates, Currency currency) => rates._followed.Add(currency);
                }
            }

            partial class Rates
            {
                public void List(Currency currency) => _listed.Insert(0, currency);
            }
            """);

    [Fact]
    public Task Chunks_made_inside_SelectMany_count_as_Chunk_upstream()
        => Verify("""
            sealed class TableCleaner
            {
                private readonly HttpClient _http = new();

                public Task ClearAsync(IEnumerable<(string Partition, string Row)> rows)
                    => Task.WhenAll(rows.GroupBy(r => r.Partition)
                        .SelectMany(partition => partition.Chunk(100))
                        .Select(batch => _http.PostAsync("https://table.example/batch/" + batch.Length, null)));

                // Not a chunk: the partitions themselves are flattened back into rows.
                public Task ClearEachAsync(IEnumerable<(string Partition, string Row)> rows)
                    => Task.{|RES031:WhenAll|}(rows.GroupBy(r => r.Partition)
                        .SelectMany(partition => partition)
                        .Select(row => _http.DeleteAsync("https://table.example/" + row.Row)));
            }
            """);

    [Fact]
    public Task A_collection_fetched_with_a_limit_is_bounded()
        => Verify("""
            sealed class Outbox
            {
                private readonly HttpClient _http = new();
                private readonly DbConnection _db;

                public Outbox(DbConnection db) => _db = db;

                public async Task DeliverAsync(int batchLimit, CancellationToken stoppingToken)
                {
                    // At most resultLimit ids come back: the code chose how many are in flight.
                    var ids = (await PendingAsync(resultLimit: batchLimit, stoppingToken)).ToList();
                    await Task.WhenAll(ids.Select(id => _http.PostAsync("https://broker.example/" + id, null, stoppingToken)));

                    // A token is not a limit.
                    var all = await AllPendingAsync(stoppingToken);
                    await Task.{|RES031:WhenAll|}(all.Select(id => _http.PostAsync("https://broker.example/" + id, null, stoppingToken)));
                }

                private async Task<IEnumerable<int>> PendingAsync(int resultLimit, CancellationToken stoppingToken)
                {
                    using var command = _db.CreateCommand();
                    command.CommandText = "SELECT TOP (@limit) Id FROM Outbox";
                    return await ReadIdsAsync(command, stoppingToken);
                }

                private async Task<List<int>> AllPendingAsync(CancellationToken stoppingToken)
                {
                    using var command = _db.CreateCommand();
                    command.CommandText = "SELECT Id FROM Outbox";
                    return await ReadIdsAsync(command, stoppingToken);
                }

                private static async Task<List<int>> ReadIdsAsync(DbCommand command, CancellationToken stoppingToken)
                {
                    var ids = new List<int>();
                    using var reader = await command.ExecuteReaderAsync(stoppingToken);
                    while (await reader.ReadAsync(stoppingToken))
                    {
                        ids.Add(reader.GetInt32(0));
                    }

                    return ids;
                }
            }
            """);

    // A private method's collection is as big as what its callers, all in sight, give it; a private method's result is as
    // big as what each of its returns holds, a tuple's element included; a list filled once per item of a bounded
    // collection is bounded; a call asked for a constant count of items returns that many.
    [Fact]
    public Task A_private_methods_collection_is_bounded_by_what_its_callers_pass()
        => Verify("""
            sealed class Seeder
            {
                private readonly HttpClient _http = new();

                public async Task SeedAsync()
                {
                    (IList<string> names, List<string> aliases) = await MakeSamplesAsync();
                    await PublishAsync(names);
                    await PublishAsync(aliases);
                    await RegisterAsync(new[] { "north", "south" });
                }

                private async Task<(IList<string>, List<string>)> MakeSamplesAsync()
                {
                    var count = 4;
                    await Task.Yield();
                    IList<string> names = SampleNames.Make(count).ToList();
                    var aliases = new List<string>();
                    foreach (var name in names)
                    {
                        aliases.Add(name + "-alias");
                    }

                    return (names, aliases);
                }

                private async Task PublishAsync(IList<string> items)
                {
                    var sends = new List<Task>();
                    foreach (var item in items)
                    {
                        sends.Add(_http.PostAsync("https://catalog.example/" + item, null));
                    }

                    await Task.WhenAll(sends);
                }

                private Task RegisterAsync(IEnumerable<string> regions)
                    => Task.WhenAll(regions.Select(region => _http.PutAsync("https://registry.example/" + region, null)));
            }

            static class SampleNames
            {
                public static IEnumerable<string> Make(int count) => Enumerable.Range(0, count).Select(i => "sample" + i);
            }
            """);

    [Fact]
    public Task A_private_methods_collection_is_unbounded_when_one_caller_passes_an_unbounded_one_or_it_is_a_delegate()
        => Verify("""
            sealed class Mirror
            {
                private readonly HttpClient _http = new();

                public async Task MirrorAsync(List<string> keys, Func<List<string>, Task>? onBatch)
                {
                    await CopyAsync(new List<string> { "index" });
                    await CopyAsync(keys);
                    await EchoAsync(new List<string> { "index" });
                    onBatch = EchoAsync;
                    await FromQueueAsync(3);
                }

                private Task CopyAsync(List<string> items)
                    => Task.{|RES031:WhenAll|}(items.Select(item => _http.PostAsync("https://mirror.example/" + item, null)));

                private Task EchoAsync(List<string> items)
                    => Task.{|RES031:WhenAll|}(items.Select(item => _http.PostAsync("https://echo.example/" + item, null)));

                private async Task FromQueueAsync(int retryCount)
                {
                    var pending = new List<string> { "first" };
                    while (pending.Count < 100)
                    {
                        pending.Add(await _http.GetStringAsync("https://queue.example/next"));
                    }

                    await Task.{|RES031:WhenAll|}(pending.Select(item => _http.PostAsync("https://mirror.example/" + item, null)));
                    await Task.{|RES031:WhenAll|}(Fetch(retryCount: 3).Select(item => _http.PostAsync("https://mirror.example/" + item, null)));
                }

                private static IEnumerable<string> Fetch(int retryCount)
                {
                    foreach (var line in File.ReadLines("queue.txt"))
                    {
                        yield return line;
                    }
                }
            }
            """);

    // ---- Not flagged: a throttle in sight ----

    /// <summary>
    /// A handler that caps connections per server queues the requests above the cap in the process (HTTP/1.1, the
    /// default): the dependency never sees more at once than the cap.
    /// </summary>
    [Fact]
    public Task A_client_whose_handler_caps_connections_per_server_is_not_flagged()
        => Verify("""
            sealed class Crawler
            {
                private static readonly HttpClient Shared = new(new SocketsHttpHandler { MaxConnectionsPerServer = 4 });
                private static readonly SocketsHttpHandler Capped = new() { MaxConnectionsPerServer = 8 };
                private static readonly HttpClient OnCapped = new(Capped);

                public Task FetchAllAsync(IEnumerable<string> pages)
                {
                    var handler = new HttpClientHandler();
                    handler.MaxConnectionsPerServer = 6;
                    using var local = new HttpClient(handler);
                    return Task.WhenAll(pages.Select(page => local.GetStringAsync(page)));
                }

                public Task FetchSharedAsync(IEnumerable<string> pages)
                    => Task.WhenAll(pages.Select(page => Shared.GetStringAsync(page)));

                public Task FetchOnCappedAsync(IEnumerable<string> pages)
                    => Task.WhenAll(pages.Select(page => OnCapped.GetStringAsync(page)));

                public Task FetchInlineAsync(IEnumerable<string> pages)
                {
                    var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 2 });
                    return Task.WhenAll(pages.Select(page => client.GetStringAsync(page)));
                }
            }
            """);

    [Fact]
    public Task A_cap_that_never_caps_or_cannot_be_seen_is_still_flagged()
        => Verify("""
            sealed class Crawler
            {
                private readonly HttpClient _injected;

                public Crawler(HttpClient injected) => _injected = injected;

                public Task UnlimitedAsync(IEnumerable<string> pages)
                {
                    var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue });
                    return Task.{|RES031:WhenAll|}(pages.Select(page => client.GetStringAsync(page)));
                }

                public Task OtherSettingAsync(IEnumerable<string> pages)
                {
                    var client = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
                    return Task.{|RES031:WhenAll|}(pages.Select(page => client.GetStringAsync(page)));
                }

                public Task InjectedAsync(IEnumerable<string> pages)
                    => Task.{|RES031:WhenAll|}(pages.Select(page => _injected.GetStringAsync(page)));
            }
            """);

    [Fact]
    public Task A_SemaphoreSlim_in_the_lambda_or_the_method_it_calls_is_not_flagged()
        => Verify("""
            sealed class Thumbnails
            {
                private static readonly SemaphoreSlim Gate = new(8);
                private readonly HttpClient _http = new();

                public async Task RenderAsync(IEnumerable<string> images)
                {
                    await Task.WhenAll(images.Select(async image =>
                    {
                        await Gate.WaitAsync();
                        try
                        {
                            await _http.GetAsync("https://render.example/" + image);
                        }
                        finally
                        {
                            Gate.Release();
                        }
                    }));

                    await Task.WhenAll(images.Select(image => RenderOneAsync(image)));

                    using var local = new SemaphoreSlim(4);
                    await Task.WhenAll(images.Select(image => RenderWithAsync(image, local)));

                    await Task.WhenAll(images.Select(LocalAsync));

                    async Task LocalAsync(string image)
                    {
                        await Gate.WaitAsync();
                        try { await _http.GetAsync(image); } finally { Gate.Release(); }
                    }
                }

                private async Task RenderOneAsync(string image)
                {
                    await Gate.WaitAsync();
                    try { await _http.GetAsync("https://render.example/" + image); } finally { Gate.Release(); }
                }

                private async Task RenderWithAsync(string image, SemaphoreSlim gate)
                {
                    await gate.WaitAsync();
                    try { await _http.GetAsync(image); } finally { gate.Release(); }
                }
            }

            sealed class Gallery
            {
                public Task Run(Thumbnails thumbnails) => thumbnails.RenderAsync(new List<string>());
            }
            """);

    [Fact]
    public Task A_callee_in_another_file_is_judged_by_what_its_type_holds()
        => VerifyFiles(
            """
            sealed class Uploader
            {
                private readonly GuardedStore _guarded = new();
                private readonly PlainStore _plain = new();

                public async Task UploadAsync(IEnumerable<string> files)
                {
                    // Not flagged: GuardedStore holds a SemaphoreSlim, which its method may well take.
                    await Task.WhenAll(files.Select(f => _guarded.PutAsync(f)));
                    await Task.{|RES031:WhenAll|}(files.Select(f => _plain.PutAsync(f)));
                }
            }
            """,
            """
            sealed class GuardedStore
            {
                private readonly SemaphoreSlim _gate = new(4);
                private readonly HttpClient _http = new();

                public async Task PutAsync(string file)
                {
                    await _gate.WaitAsync();
                    try { await _http.PutAsync("https://store.example/" + file, null); } finally { _gate.Release(); }
                }
            }

            sealed class PlainStore
            {
                private readonly HttpClient _http = new();

                public Task PutAsync(string file) => _http.PutAsync("https://store.example/" + file, null);
            }
            """);

    [Fact]
    public Task A_rate_limiter_or_a_Polly_pipeline_in_the_lambda_is_not_flagged()
        => Verify(
            """
            using System.Threading.RateLimiting;
            using Polly;

            sealed class Sync
            {
                private readonly ConcurrencyLimiter _limiter = new(new ConcurrencyLimiterOptions { PermitLimit = 4, QueueLimit = 1000 });
                private readonly ResiliencePipeline _pipeline = ResiliencePipeline.Empty;
                private readonly HttpClient _http = new();

                public async Task RunAsync(IEnumerable<string> ids)
                {
                    await Task.WhenAll(ids.Select(async id =>
                    {
                        using var lease = await _limiter.AcquireAsync();
                        await _http.GetAsync(id);
                    }));

                    await Task.WhenAll(ids.Select(id => _pipeline.ExecuteAsync(async token => await _http.GetAsync(id, token)).AsTask()));
                }
            }

            sealed class Host
            {
                public Task Run(Sync sync) => sync.RunAsync(new List<string>());
            }
            """,
            TestLibraries.HttpResilience);

    [Fact]
    public Task A_foreach_that_waits_or_takes_tasks_out_is_not_flagged()
        => Verify("""
            sealed class Replicator
            {
                private readonly HttpClient _http = new();
                private readonly SemaphoreSlim _gate = new(10);

                public async Task ReplicateAsync(IEnumerable<string> keys)
                {
                    var throttled = new List<Task>();
                    foreach (var key in keys)
                    {
                        await _gate.WaitAsync();
                        throttled.Add(CopyAsync(key));
                    }

                    await Task.WhenAll(throttled);

                    var window = new List<Task>();
                    foreach (var key in keys)
                    {
                        window.Add(_http.GetAsync(key));
                        if (window.Count >= 16)
                        {
                            await Task.WhenAll(window);
                            window.Clear();
                        }
                    }

                    await Task.WhenAll(window);

                    // Each item waits for a read before its write starts: the loop sets the pace.
                    var writes = new List<Task>();
                    foreach (var key in keys)
                    {
                        var value = await _http.GetStringAsync("https://source.example/" + key);
                        writes.Add(_http.PutAsync("https://target.example/" + key, new StringContent(value)));
                    }

                    await Task.WhenAll(writes);
                }

                private async Task CopyAsync(string key)
                {
                    try { await _http.GetAsync(key); } finally { _gate.Release(); }
                }
            }

            sealed class Worker
            {
                public Task Run(Replicator replicator) => replicator.ReplicateAsync(new List<string>());
            }
            """);

    [Fact]
    public Task MaxDegreeOfParallelism_set_is_not_flagged_and_ForEachAsync_defaults_are_bounded()
        => Verify("""
            sealed class Indexer
            {
                private readonly HttpClient _http = new();
                private readonly ParallelOptions _configured = new() { MaxDegreeOfParallelism = 4 };

                public async Task RunAsync(IEnumerable<string> pages, int parallelism, CancellationToken token)
                {
                    Parallel.ForEach(pages, new ParallelOptions { MaxDegreeOfParallelism = 8 }, page => _http.Send(new HttpRequestMessage(HttpMethod.Get, page)));
                    Parallel.ForEach(pages, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, page => _http.Send(new HttpRequestMessage(HttpMethod.Get, page)));
                    Parallel.ForEach(pages, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, page => _http.Send(new HttpRequestMessage(HttpMethod.Get, page)));
                    var options = new ParallelOptions();
                    options.MaxDegreeOfParallelism = 2;
                    Parallel.ForEach(pages, options, page => _http.Send(new HttpRequestMessage(HttpMethod.Get, page)));
                    Parallel.ForEach(pages, _configured, page => _http.Send(new HttpRequestMessage(HttpMethod.Get, page)));

                    // Parallel.ForEachAsync runs at most Environment.ProcessorCount bodies at once unless told otherwise.
                    await Parallel.ForEachAsync(pages, async (page, ct) => await _http.GetAsync(page, ct));
                    await Parallel.ForEachAsync(pages, token, async (page, ct) => await _http.GetAsync(page, ct));
                    await Parallel.ForEachAsync(pages, new ParallelOptions { CancellationToken = token }, async (page, ct) => await _http.GetAsync(page, ct));
                    await Parallel.ForEachAsync(pages, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (page, ct) => await _http.GetAsync(page, ct));
                }
            }

            sealed class Crawl
            {
                public Task Run(Indexer indexer) => indexer.RunAsync(new List<string>(), 2, CancellationToken.None);
            }
            """);

    // ---- Not flagged: the work is not outbound ----

    [Fact]
    public Task In_memory_work_local_files_and_CPU_work_are_not_flagged()
        => Verify("""
            sealed class Reports
            {
                public async Task BuildAsync(IEnumerable<string> paths, IEnumerable<int> numbers)
                {
                    await Task.WhenAll(numbers.Select(n => Task.FromResult(n * 2)));
                    await Task.WhenAll(numbers.Select(async n => { await Task.Yield(); return n.ToString(); }));
                    await Task.WhenAll(paths.Select(p => File.ReadAllTextAsync(p)));
                    await Task.WhenAll(paths.Select(async p => { using var stream = File.OpenRead(p); return await new StreamReader(stream).ReadToEndAsync(); }));
                    await Task.WhenAll(numbers.Select(n => Task.Run(() => Fibonacci(n))));
                    Parallel.ForEach(paths, p => File.WriteAllText(p + ".bak", File.ReadAllText(p)));
                    Parallel.ForEach(numbers, n => Fibonacci(n));
                }

                private static int Fibonacci(int n) => n < 2 ? n : Fibonacci(n - 1) + Fibonacci(n - 2);
            }

            sealed class Cli
            {
                public Task Run(Reports reports) => reports.BuildAsync(new List<string>(), new List<int>());
            }
            """);

    [Fact]
    public Task Closing_or_disposing_what_the_process_holds_is_not_a_request()
        => Verify("""
            sealed class Link
            {
                private readonly System.Net.Sockets.Socket _socket = new(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);

                public Task CloseAsync() => _socket.DisconnectAsync(reuseSocket: false).AsTask();

                public ValueTask DisposeAsync() { _socket.Dispose(); return ValueTask.CompletedTask; }

                public async Task SendAsync(byte[] payload) => await _socket.SendAsync(payload);
            }

            sealed class LinkPool
            {
                private readonly List<Link> _links = new();

                public void Open(Link link) => _links.Add(link);

                public async Task ShutdownAsync()
                {
                    await Task.WhenAll(_links.Select(link => link.CloseAsync()));
                    await Task.WhenAll(_links.Select(link => link.DisposeAsync().AsTask()));
                    await Task.{|RES031:WhenAll|}(_links.Select(link => link.SendAsync(new byte[] { 0 })));
                }
            }
            """);

    [Fact]
    public Task The_message_names_the_call_the_work_makes_not_what_it_calls_in_turn()
        => Verify(
            """
            sealed class LeaseStore
            {
                private readonly HttpClient _http = new();

                public async Task<bool> AcquireAsync(string key)
                {
                    var response = await _http.PutAsync(Url(key), null);
                    return response.IsSuccessStatusCode;
                }

                private static string Url(string key) => "https://leases.example/" + key;

                public async Task<bool[]> AcquireAllAsync(string[] keys)
                {
                    var tasks = new List<Task<bool>>(keys.Length);
                    foreach (var key in keys)
                    {
                        tasks.Add(AcquireAsync(key));
                    }

                    return await Task.{|#0:WhenAll|}(tasks);
                }
            }
            """,
            expected: new[] { CSharpAnalyzerVerifier<LoadAnalyzer>.Diagnostic("RES031").WithLocation(0).WithArguments("Task.WhenAll", "LeaseStore.AcquireAsync", "keys", "at once") });

    [Fact]
    public Task A_helper_in_this_file_is_judged_by_its_body_not_by_the_network_types_it_takes()
        => Verify("""
            sealed class PartitionState
            {
                public Task ReleaseAsync() => Task.CompletedTask;
            }

            sealed class Rebalancer
            {
                private readonly Dictionary<int, PartitionState> _states = new();

                public Task OnRevokedAsync(System.Net.Sockets.TcpClient owner, IEnumerable<int> partitions)
                {
                    // Forget takes the TcpClient, but its body only drops local state.
                    var forgotten = Task.WhenAll(partitions.Select(partition => Forget(owner, partition)));
                    var told = Task.{|RES031:WhenAll|}(partitions.Select(partition => Tell(owner, partition)));
                    return Task.WhenAll(forgotten, told);

                    Task Forget(System.Net.Sockets.TcpClient client, int partition)
                        => client.Connected && _states.Remove(partition, out var state) ? state.ReleaseAsync() : Task.CompletedTask;

                    Task Tell(System.Net.Sockets.TcpClient client, int partition)
                        => client.GetStream().WriteAsync(BitConverter.GetBytes(partition)).AsTask();
                }
            }
            """);

    [Fact]
    public Task Pushing_to_the_processs_own_websocket_clients_is_not_a_call_to_a_dependency()
        => Verify("""
            using System.Net.WebSockets;

            sealed class Broadcaster
            {
                private readonly Dictionary<string, WebSocket> _accepted = new();
                private readonly Dictionary<string, ClientWebSocket> _upstreams = new();

                public Task PushAsync(IEnumerable<string> connectionIds, byte[] payload)
                    => Task.WhenAll(connectionIds.Select(id => _accepted[id].SendAsync(payload, WebSocketMessageType.Text, true, CancellationToken.None)));

                public Task ForwardAsync(IEnumerable<string> upstreamIds, byte[] payload)
                    => Task.{|RES031:WhenAll|}(upstreamIds.Select(id => _upstreams[id].SendAsync(payload, WebSocketMessageType.Text, true, CancellationToken.None)));
            }
            """);

    [Fact]
    public Task Talking_to_local_processes_over_Unix_domain_sockets_is_not_a_call_to_a_dependency()
        => VerifyFiles(
            """
            using System.Net.Sockets;

            sealed class AgentMonitor
            {
                public async Task AttachAllAsync(IEnumerable<string> socketPaths)
                {
                    var attaching = new List<Task>();
                    foreach (var path in socketPaths)
                    {
                        attaching.Add(AttachAsync(path));
                    }

                    await Task.WhenAll(attaching);
                    await Task.{|RES031:WhenAll|}(socketPaths.Select(host => AttachRemoteAsync(host)));
                }

                private static async Task AttachAsync(string path)
                {
                    Socket? socket = null;
                    socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
                    await AgentChannel.OpenAsync(socket);
                }

                private static async Task AttachRemoteAsync(string host)
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    await AgentChannel.OpenAsync(socket);
                }
            }
            """,
            """
            using System.Net.Sockets;

            static class AgentChannel
            {
                public static Task OpenAsync(Socket socket) => socket.SendAsync(new byte[] { 1 }, SocketFlags.None);
            }
            """);

    [Fact]
    public Task One_worker_loop_per_queue_is_a_pool_of_workers_not_a_burst()
        => Verify("""
            sealed class DeadLetterDrain
            {
                private readonly HttpClient _http = new();

                public async Task RunAsync(IReadOnlyList<string> queues, CancellationToken stoppingToken)
                {
                    await Task.WhenAll(queues.Select(queue => DrainAsync(queue, stoppingToken)));
                    await Task.WhenAll(queues.Select(async queue =>
                    {
                        for (;;)
                        {
                            await _http.DeleteAsync("https://queues.example/" + queue + "/head", stoppingToken);
                        }
                    }));

                    // A retry loop leaves when the call succeeds: one request per queue, all at once.
                    await Task.{|RES031:WhenAll|}(queues.Select(queue => PeekWithRetryAsync(queue)));
                }

                private async Task DrainAsync(string queue, CancellationToken stoppingToken)
                {
                    while (!stoppingToken.IsCancellationRequested)
                    {
                        await _http.PostAsync("https://queues.example/" + queue + "/receive", null, stoppingToken);
                        await Task.Delay(1000, stoppingToken);
                    }
                }

                private async Task<string> PeekWithRetryAsync(string queue)
                {
                    var attempt = 0;
                    while (true)
                    {
                        try
                        {
                            return await _http.GetStringAsync("https://queues.example/" + queue + "/peek");
                        }
                        catch (HttpRequestException) when (++attempt < 3)
                        {
                            await Task.Delay(200 * attempt);
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task A_batcher_in_the_work_groups_the_calls_as_Chunk_does()
        => Verify("""
            sealed class DeleteBatcher
            {
                private readonly HttpClient _http = new();
                private readonly List<string> _pending = new();

                public Task PostAsync(string receipt)
                {
                    _pending.Add(receipt);
                    return _pending.Count >= 10 ? FlushAsync() : Task.CompletedTask;
                }

                private Task FlushAsync() => _http.PostAsync("https://queue.example/delete-batch", new StringContent(string.Join(",", _pending)));
            }

            sealed class Acknowledger
            {
                private readonly DeleteBatcher _deletes = new();

                public Task AckAsync(IEnumerable<string> receipts) => Task.WhenAll(receipts.Select(r => _deletes.PostAsync(r)));
            }
            """);

    [Fact]
    public Task Kafka_produces_are_batched_by_the_producer()
    {
        var test = new CSharpAnalyzerVerifier<LoadAnalyzer>.Test
        {
            TestLibraries = TestLibraries.None,
            TestCode = Usings + """
                using Confluent.Kafka;

                sealed class Publisher
                {
                    private readonly IProducer<string, byte[]> _producer;
                    private readonly HttpClient _http = new();

                    public Publisher(IProducer<string, byte[]> producer) => _producer = producer;

                    public async Task PublishAsync(IEnumerable<byte[]> events)
                    {
                        await Task.WhenAll(events.Select(e => _producer.ProduceAsync("events", new Message<string, byte[]> { Value = e })));
                        await Task.{|RES031:WhenAll|}(events.Select(e => _http.PostAsync("https://mirror.example/events", new ByteArrayContent(e))));
                    }
                }
                """,
        };
        TestSetup.AddStandInLibrary(test.TestState, """
            namespace Confluent.Kafka
            {
                public sealed class Message<TKey, TValue>
                {
                    public TValue? Value { get; set; }
                }

                public sealed class DeliveryResult<TKey, TValue>
                {
                }

                public interface IProducer<TKey, TValue>
                {
                    System.Threading.Tasks.Task<DeliveryResult<TKey, TValue>> ProduceAsync(string topic, Message<TKey, TValue> message, System.Threading.CancellationToken cancellationToken = default);
                }
            }
            """, "Confluent.Kafka");
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task Calls_whose_target_cannot_be_seen_are_not_flagged()
        => Verify("""
            interface IOrderStore
            {
                Task<string> LoadAsync(string id);
            }

            sealed class Orders
            {
                private readonly IOrderStore _store;
                private readonly Func<string, Task> _callback;

                public Orders(IOrderStore store, Func<string, Task> callback)
                {
                    _store = store;
                    _callback = callback;
                }

                public async Task LoadAsync(IEnumerable<string> ids)
                {
                    await Task.WhenAll(ids.Select(id => _store.LoadAsync(id)));
                    await Task.WhenAll(ids.Select(id => _callback(id)));
                    await Task.WhenAll(ids.Select(_callback));
                }
            }
            """);

    [Fact]
    public Task A_fixed_number_of_tasks_or_tasks_from_elsewhere_are_not_flagged()
        => Verify("""
            sealed class Dashboard
            {
                private readonly HttpClient _http = new();

                public async Task LoadAsync(IEnumerable<Task> started, string user)
                {
                    await Task.WhenAll(_http.GetAsync("https://a.example/" + user), _http.GetAsync("https://b.example/" + user));
                    await Task.WhenAll(started);
                    var single = new List<Task>();
                    single.Add(_http.GetAsync("https://c.example/" + user));
                    await Task.WhenAll(single);
                }
            }

            sealed class Page
            {
                public Task Run(Dashboard dashboard) => dashboard.LoadAsync(new List<Task>(), "me");
            }
            """);

    // ---- What is a library, and what a method of the compilation does ----

    private const string SiblingPlumbing = """
        using System.Threading.Tasks;

        [assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Host")]

        namespace Microsoft.Azure.Widgets
        {
            internal interface IChannelGroup
            {
                Task OpenAsync();
            }

            public interface IWidgetListener
            {
                Task StartAsync();
            }

            public class WidgetSender
            {
                public virtual Task SendAsync(string message) => Task.CompletedTask;
            }
        }
        """;

    private const string SiblingUser = """
        using Microsoft.Azure.Widgets;

        sealed class Host
        {
            public async Task RunAsync(List<IChannelGroup> groups, List<IWidgetListener> listeners, WidgetSender sender, List<string> messages)
            {
                await Task.WhenAll(groups.Select(g => g.OpenAsync()));
                await Task.WhenAll(listeners.Select(l => l.StartAsync()));
                await Task.WhenAll(messages.Select(m => sender.SendAsync(m)));
            }
        }
        """;

    /// <summary>The line of <paramref name="text"/> in <see cref="SiblingUser"/> after the usings.</summary>
    private static int SiblingUserLine(string text)
        => (Usings + SiblingUser).Substring(0, (Usings + SiblingUser).IndexOf(text, System.StringComparison.Ordinal)).Count(c => c == '\n') + 1;

    // A project of the same repository, in a Microsoft.Azure.* namespace, referenced by the analysed one: its internal
    // interfaces (reached through InternalsVisibleTo) are its own abstractions, never a client library's surface, and a
    // project whose assembly is no Azure client library is not one because of its namespace. Its public types count as a
    // client only when its assembly is one. A build sees the sibling as metadata, an IDE and the scanner as source: the
    // verdicts are the same.
    [Theory]
    [InlineData("Microsoft.Azure.Widgets.Common", true)]
    [InlineData("Microsoft.Azure.Widgets.Common", false)]
    [InlineData("Microsoft.Azure.ServiceBus", true)]
    [InlineData("Microsoft.Azure.ServiceBus", false)]
    public async Task A_sibling_project_in_a_Microsoft_Azure_namespace_is_a_library_only_by_its_assembly(string siblingAssembly, bool asMetadata)
    {
        var sibling = CSharpCompilation.Create(
            siblingAssembly,
            new[] { CSharpSyntaxTree.ParseText(SiblingPlumbing, new CSharpParseOptions(LanguageVersion.Latest)) },
            TestReferences.For(TestLibraries.None),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var reference = asMetadata ? Emitted(sibling) : sibling.ToMetadataReference();

        var lines = await FanOutLines(TestReferences.For(TestLibraries.None).Add(reference), Usings + SiblingUser, "Host");

        // An Azure client's public types are calls out; its internal interfaces, and another assembly's types in its
        // namespace, never are.
        var expected = siblingAssembly == "Microsoft.Azure.ServiceBus"
            ? new List<int> { SiblingUserLine("l.StartAsync"), SiblingUserLine("sender.SendAsync") }
            : new List<int>();
        Assert.Equal(expected, lines);
    }

    private const string ClientLogHelpers = """
        using System.Threading.Tasks;
        using Microsoft.Extensions.Logging;

        [assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Relay")]

        namespace Microsoft.Azure.ServiceBus
        {
            internal static class DeliveryLog
            {
                public static void Delivered(ILogger logger, string id) => logger.LogDebug("delivered {Id}", id);
            }

            public static class QueueLogExtensions
            {
                public static void Queued(this ILogger logger, string id) => logger.LogDebug("queued {Id}", id);
            }

            public class ParcelSender
            {
                public virtual Task SendAsync(string id) => Task.CompletedTask;
            }
        }
        """;

    private const string ClientLogUser = """
        using Microsoft.Azure.ServiceBus;
        using Microsoft.Extensions.Logging;

        sealed class Relay
        {
            private readonly ILogger _logger;
            private readonly ParcelSender _sender;

            public Relay(ILogger logger, ParcelSender sender) => (_logger, _sender) = (logger, sender);

            public async Task RelayAsync(List<string> ids)
            {
                await Task.WhenAll(ids.Select(id => NoteAsync(id)));
                await Task.WhenAll(ids.Select(id => _sender.SendAsync(id)));
            }

            private async Task NoteAsync(string id)
            {
                await Task.Yield();
                DeliveryLog.Delivered(_logger, id);
                _logger.Queued(id);
            }
        }
        """;

    // A client library's log helpers (a static method over LoggerMessage, an ILogger extension method: they return nothing
    // and take the logger first) write a log entry, not a request, though a client's namespace and assembly declare them;
    // its sibling projects call them through InternalsVisibleTo. The client's own call is still one.
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_client_librarys_log_helper_is_not_a_call_out(bool asMetadata)
    {
        var sibling = CSharpCompilation.Create(
            "Microsoft.Azure.ServiceBus",
            new[] { CSharpSyntaxTree.ParseText(ClientLogHelpers, new CSharpParseOptions(LanguageVersion.Latest)) },
            TestReferences.For(TestLibraries.Grpc),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var reference = asMetadata ? Emitted(sibling) : sibling.ToMetadataReference();

        var lines = await FanOutLines(TestReferences.For(TestLibraries.Grpc).Add(reference), Usings + ClientLogUser, "Relay");

        var sent = (Usings + ClientLogUser).Substring(0, (Usings + ClientLogUser).IndexOf("_sender.SendAsync(id)", System.StringComparison.Ordinal)).Count(c => c == '\n') + 1;
        Assert.Equal(new List<int> { sent }, lines);
    }

    // A method of the compilation in another file is judged by its body: completing a TaskCompletionSource or formatting the
    // object sends nothing, even though the type holds an HttpClient; the method of the same type that uses it is a send.
    [Fact]
    public Task A_method_in_another_file_is_judged_by_its_body_not_by_the_client_its_type_holds()
        => VerifyFiles(
            """
            sealed class Dispatcher
            {
                public async Task DispatchAsync(IEnumerable<Route> routes)
                {
                    await Task.WhenAll(routes.Select(r => FinishAsync(r)));
                    await Task.WhenAll(routes.Select(async r => { await Task.Yield(); Console.WriteLine(r.ToString()); }));
                    await Task.{|RES031:WhenAll|}(routes.Select(r => r.PingAsync()));
                }

                private static async Task FinishAsync(Route route)
                {
                    await Task.Yield();
                    route.MarkDone();
                }
            }
            """,
            """
            class RouteBase
            {
                protected readonly HttpClient Http = new();
            }

            sealed class Route : RouteBase
            {
                private readonly TaskCompletionSource<bool> _done = new();

                public void MarkDone() => _done.TrySetResult(true);

                public Task PingAsync() => Http.GetAsync("https://route.example/ping");

                public override string ToString() => "route " + _done.Task.IsCompleted;
            }
            """);

    // Notifying a user's handler runs a delegate: what it does cannot be seen (certain or silent), whatever the type holds.
    [Fact]
    public Task A_method_in_another_file_that_only_invokes_a_delegate_is_not_a_send()
        => VerifyFiles(
            """
            interface ILease
            {
                Task RenewAsync();
            }

            sealed class LeaseKeeper
            {
                public async Task RenewAllAsync(IEnumerable<ILease> leases, HostOptions options)
                {
                    var renewing = new List<Task>();
                    foreach (var lease in leases)
                    {
                        renewing.Add(Task.Run(async () =>
                        {
                            try
                            {
                                await lease.RenewAsync();
                            }
                            catch (Exception e)
                            {
                                options.Notify(e);
                            }
                        }));
                    }

                    await Task.WhenAll(renewing);
                }
            }
            """,
            """
            sealed class HostOptions
            {
                private readonly HttpClient _telemetry = new();
                private Action<Exception>? _onError;

                public void OnError(Action<Exception> handler) => _onError = handler;

                internal void Notify(Exception exception)
                {
                    try
                    {
                        _onError?.Invoke(exception);
                    }
                    catch
                    {
                    }
                }
            }
            """);

    private const string EfCoreQueries = """
        using Microsoft.EntityFrameworkCore;

        sealed class Shelf
        {
            public int Id { get; set; }
            public int Owner { get; set; }
        }

        sealed class LibraryContext : DbContext
        {
            public DbSet<Shelf> Shelves => Set<Shelf>();

            protected override void OnConfiguring(DbContextOptionsBuilder options) => options.UseLocalFile("library.db");
        }

        sealed class Shelves
        {
            private readonly LibraryContext _context = new();

            public Task<List<Shelf>[]> ForOwnersAsync(IEnumerable<int> owners)
                => Task.WhenAll(owners.Select(owner => _context.Shelves.Where(s => s.Owner == owner).ToListAsync()));
        }
        """;

    // EF Core over SQLite (or the in-memory provider) runs the database inside the process: when it is the only provider
    // the compilation references, its queries are not calls to a dependency. With a server provider referenced too, they are.
    [Theory]
    [InlineData(false, 0)]
    [InlineData(true, 1)]
    public async Task EF_Core_queries_are_outbound_unless_the_only_provider_runs_in_the_process(bool serverProviderToo, int expected)
    {
        var sqlite = CSharpCompilation.Create(
            "Microsoft.EntityFrameworkCore.Sqlite",
            new[]
            {
                CSharpSyntaxTree.ParseText("""
                    namespace Microsoft.EntityFrameworkCore
                    {
                        public static class LocalFileOptions
                        {
                            public static DbContextOptionsBuilder UseLocalFile(this DbContextOptionsBuilder options, string path) => options;
                        }
                    }
                    """),
            },
            TestReferences.For(TestLibraries.EfCore),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var references = TestReferences.For(TestLibraries.EfCore)
            .Where(r => serverProviderToo || !(r.Display ?? "").Contains("EntityFrameworkCore.SqlServer", System.StringComparison.Ordinal))
            .Append(Emitted(sqlite));

        var lines = await FanOutLines(references, Usings + EfCoreQueries, "Reader");

        Assert.Equal(expected, lines.Count);
    }

    /// <summary>The assembly <paramref name="compilation"/> builds, as a reference to its metadata, as a build passes a project reference.</summary>
    private static MetadataReference Emitted(CSharpCompilation compilation)
    {
        using var image = new System.IO.MemoryStream();
        var result = compilation.Emit(image);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics));
        return MetadataReference.CreateFromImage(image.ToArray());
    }

    /// <summary>The lines (1-based) of the RES031 diagnostics LoadAnalyzer reports on <paramref name="source"/>, compiled as <paramref name="assemblyName"/>.</summary>
    private static async Task<List<int>> FanOutLines(IEnumerable<MetadataReference> references, string source, string assemblyName)
    {
        var compilation = CSharpCompilation.Create(
            assemblyName,
            new[] { CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest)) },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new LoadAnalyzer()))
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        return diagnostics.Where(d => d.Id == "RES031").Select(d => d.Location.GetLineSpan().StartLinePosition.Line + 1).OrderBy(l => l).ToList();
    }

    // ---- Scope ----

    private const string TestProjectSource = """
        sealed class Seeder
        {
            public Task SeedAsync(HttpClient http, List<string> ids) => Task.MARK(ids.Select(id => http.PostAsync("https://api.example/" + id, null)));
        }
        """;

    [Fact]
    public Task Test_projects_are_skipped_by_default()
        => Verify(TestProjectSource.Replace("MARK", "WhenAll") + XunitStub);

    [Fact]
    public Task Test_projects_are_analyzed_when_asked()
        => Verify(TestProjectSource.Replace("MARK", "{|RES031:WhenAll|}") + XunitStub, editorConfig: "resilience_analyzers.analyze_test_code = true");

    // ---- Broken code ----

    public static TheoryData<string> HalfTyped => new()
    {
        "class C { Task F(HttpClient http, List<string> ids) => Task.WhenAll(ids.Select(",
        "class C { Task F(HttpClient http, List<string> ids) => Task.WhenAll(ids.Select(id => http.",
        "class C { Task F(HttpClient http, List<string> ids) => Task.WhenAll(ids.Select(id => http.GetAsync(id)).ToList(",
        "class C { Task F(HttpClient http, List<string> ids) => Task.WhenAll(",
        "class C { Task F(HttpClient http, List<string> ids) => Task.WhenAll(ids.Select(Missing));",
        "class C { Task F(HttpClient http, List<string> ids) => Task.WhenAll(missing.Select(id => http.GetAsync(id)));",
        "class C { async Task F(HttpClient http, List<string> ids) { var tasks = new List<Task>(); foreach (var id in ids) tasks.Add(http.GetAsync(",
        "class C { async Task F(HttpClient http, List<string> ids) { List<Task> tasks; foreach (var id in ids) tasks.Add(http.GetAsync(id)); await Task.WhenAll(tasks); } }",
        "class C { void F(HttpClient http, List<string> ids) { Parallel.ForEach(ids, ",
        "class C { void F(HttpClient http, List<string> ids) { Parallel.ForEach(ids, new ParallelOptions { MaxDegreeOfParallelism = }, id => http.Send(null)); } }",
        "class C { void F(HttpClient http, List<string> ids) { var o = new ParallelOptions(); o.MaxDegreeOfParallelism = ; Parallel.ForEach(ids, o, id => http.Send(null)); } }",
        "class C { Task F(HttpClient http, List<string> ids) => Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = int.MaxValue }, async (id, ct) => await http.",
        "class C { Task F(HttpClient http) => Task.WhenAll(Enumerable.Range(0, ).Select(i => http.GetAsync(\"x\")));",
        "class C { Task F(HttpClient http, string[] ids) => Task.WhenAll(ids.Chunk().Select(c => http.GetAsync(c[0])));",
        "class C { Task F(HttpClient http, string[] ids) => Task.WhenAll([..ids].Select(i => http.GetAsync(i)));",
    };

    [Theory]
    [MemberData(nameof(HalfTyped))]
    public async Task Half_typed_code_never_throws(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(Usings + source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create(
            "Broken",
            new[] { tree },
            TestReferences.For(TestLibraries.None),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var exceptions = new List<System.Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, _, _) => { lock (exceptions) { exceptions.Add(exception); } },
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false);

        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new LoadAnalyzer()), options).GetAnalyzerDiagnosticsAsync(CancellationToken.None);

        Assert.True(exceptions.Count == 0, "LoadAnalyzer threw: " + exceptions.FirstOrDefault());
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
    }
}
