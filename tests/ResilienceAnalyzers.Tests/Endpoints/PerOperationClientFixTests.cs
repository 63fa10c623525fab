using ResilienceAnalyzers.CodeFixes.Endpoints;
using ResilienceAnalyzers.Tests.Verifiers;
using Fix = ResilienceAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<ResilienceAnalyzers.Endpoints.EndpointAnalyzer, ResilienceAnalyzers.CodeFixes.Endpoints.SharedHttpClientCodeFixProvider>;

namespace ResilienceAnalyzers.Tests.Endpoints;

/// <summary>The RES022 fix: one static HttpClient on a rotating SocketsHttpHandler, its settings kept; one at a time and Fix All.</summary>
public sealed class PerOperationClientFixTests
{
    private static Task Verify(string source, string fixedSource)
        => Fix.VerifyCodeFixAsync(source, fixedSource, TestLibraries.None, editorConfig: null, SharedHttpClientCodeFixProvider.ShareKey);

    [Fact]
    public Task MovesTheClientToAStaticField_OneFieldPerSettings()
        => Verify(
            """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;

            class Prices
            {
                async Task<string> GetAsync(string sku)
                {
                    using var client = {|RES022:new HttpClient { Timeout = TimeSpan.FromSeconds(10) }|};
                    return await client.GetStringAsync("https://prices.example.com/" + sku);
                }

                async Task<string> AgainAsync(string sku)
                {
                    var client = {|RES022:new HttpClient { Timeout = TimeSpan.FromSeconds(10) }|};
                    var response = await client.GetAsync("https://prices.example.com/" + sku);
                    return await response.Content.ReadAsStringAsync();
                }

                async Task<string> PlainAsync(string url)
                {
                    using var plain = {|RES022:new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4 })|};
                    return await plain.GetStringAsync(url);
                }
            }
            """,
            """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;

            class Prices
            {
                private static readonly HttpClient SharedHttpClient = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) }) { Timeout = TimeSpan.FromSeconds(10) };
                private static readonly HttpClient SharedHttpClient2 = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 4, PooledConnectionLifetime = TimeSpan.FromMinutes(2) });

                async Task<string> GetAsync(string sku)
                {
                    return await SharedHttpClient.GetStringAsync("https://prices.example.com/" + sku);
                }

                async Task<string> AgainAsync(string sku)
                {
                    var response = await SharedHttpClient.GetAsync("https://prices.example.com/" + sku);
                    return await response.Content.ReadAsStringAsync();
                }

                async Task<string> PlainAsync(string url)
                {
                    return await SharedHttpClient2.GetStringAsync(url);
                }
            }
            """);

    // Settings from the call, per-call headers or a disposal: the client cannot be shared as it is.
    [Fact]
    public Task OffersNothing_ForSettingsOrUsesThatBelongToTheCall()
        => Verify(
            """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;

            class Api
            {
                async Task<string> GetAsync(Uri baseAddress, string token)
                {
                    using var client = {|RES022:new HttpClient { BaseAddress = baseAddress }|};
                    return await client.GetStringAsync("orders");
                }

                async Task<string> WithHeaderAsync(string token)
                {
                    using var client = {|RES022:new HttpClient()|};
                    client.DefaultRequestHeaders.Add("Authorization", token);
                    return await client.GetStringAsync("https://api.example.com/");
                }

                async Task<string> InlineAsync(string url) => await {|RES022:new HttpClient()|}.GetStringAsync(url);
            }
            """,
            """
            using System;
            using System.Net.Http;
            using System.Threading.Tasks;

            class Api
            {
                async Task<string> GetAsync(Uri baseAddress, string token)
                {
                    using var client = {|RES022:new HttpClient { BaseAddress = baseAddress }|};
                    return await client.GetStringAsync("orders");
                }

                async Task<string> WithHeaderAsync(string token)
                {
                    using var client = {|RES022:new HttpClient()|};
                    client.DefaultRequestHeaders.Add("Authorization", token);
                    return await client.GetStringAsync("https://api.example.com/");
                }

                async Task<string> InlineAsync(string url) => await {|RES022:new HttpClient()|}.GetStringAsync(url);
            }
            """);

    // Top-level statements have no type to hold the field: the finding stands, with nothing offered.
    [Fact]
    public Task OffersNothing_InTopLevelStatements()
    {
        const string source = """
            using System;
            using System.Net.Http;

            foreach (var url in args)
            {
                var client = {|RES022:new HttpClient()|};
                Console.WriteLine(await client.GetStringAsync(url));
            }
            """;
        var test = new Fix.Test
        {
            TestLibraries = TestLibraries.None,
            TestCode = source,
            FixedCode = source,
            CodeActionEquivalenceKey = SharedHttpClientCodeFixProvider.ShareKey,
        };
        test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        return test.RunAsync(System.Threading.CancellationToken.None);
    }
}
