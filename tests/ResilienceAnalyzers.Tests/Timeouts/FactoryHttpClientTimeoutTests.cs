using ResilienceAnalyzers.Tests.Verifiers;

namespace ResilienceAnalyzers.Tests.Timeouts;

/// <summary>
/// RES010 on <c>HttpClient.Timeout</c> configured through <c>IHttpClientFactory</c>: reported unless the same
/// builder adds a timeout strategy, which then owns the deadline.
/// </summary>
public sealed class FactoryHttpClientTimeoutTests
{
    private const string Usings = """
        using System;
        using System.Net.Http;
        using System.Threading;
        using Microsoft.Extensions.DependencyInjection;
        using Polly;

        """;

    private static Task Verify(string source)
        => CSharpAnalyzerVerifier<ResilienceAnalyzers.Timeouts.TimeoutAnalyzer>.VerifyAnalyzerAsync(
            Usings + source, TestLibraries.HttpResilience | TestLibraries.Polly, editorConfig: null);

    [Fact]
    public Task ConfigureHttpClient_Without_Strategy_Is_Reported()
        => Verify("""
            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient("catalog").ConfigureHttpClient(c => {|RES010:c.Timeout = Timeout.InfiniteTimeSpan|});
                    services.AddHttpClient("orders", c => { c.BaseAddress = new Uri("https://orders"); {|RES010:c.Timeout = Timeout.InfiniteTimeSpan|}; });
                    services.AddHttpClient<Startup>(c => {|RES010:c.Timeout = Timeout.InfiniteTimeSpan|})
                        .AddPolicyHandler(Policy.Handle<HttpRequestException>().OrResult<HttpResponseMessage>(r => false).RetryAsync(3));
                }
            }
            """);

    [Fact]
    public Task Standard_Handler_On_The_Same_Builder_Owns_The_Timeout()
        => Verify("""
            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient("catalog")
                        .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan)
                        .AddStandardResilienceHandler();
                    services.AddHttpClient("orders", c => c.Timeout = Timeout.InfiniteTimeSpan)
                        .AddStandardHedgingHandler();
                    services.ConfigureHttpClientDefaults(b =>
                    {
                        b.ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan);
                        b.AddStandardResilienceHandler();
                    });
                }
            }
            """);

    [Fact]
    public Task Builder_In_A_Local_Owns_The_Timeout_Through_A_Later_Call()
        => Verify("""
            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    var builder = services.AddHttpClient("catalog");
                    builder.ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan);
                    builder.AddStandardResilienceHandler();
                }
            }
            """);

    [Fact]
    public Task Resilience_Handler_With_AddTimeout_And_Polly_Timeout_Policy_Own_The_Timeout()
        => Verify("""
            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient("catalog")
                        .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan)
                        .AddResilienceHandler("pipeline", b => b.AddTimeout(TimeSpan.FromSeconds(10)));
                    services.AddHttpClient("orders")
                        .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan)
                        .AddPolicyHandler(Policy.TimeoutAsync<HttpResponseMessage>(10));
                    services.AddHttpClient("billing")
                        .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan)
                        .AddPolicyHandler(BillingPolicy());
                }

                static IAsyncPolicy<HttpResponseMessage> BillingPolicy()
                    => Policy.WrapAsync(
                        Policy.Handle<HttpRequestException>().OrResult<HttpResponseMessage>(r => false).RetryAsync(3),
                        Policy.TimeoutAsync<HttpResponseMessage>(TimeSpan.FromSeconds(10)));
            }
            """);

    [Fact]
    public Task A_Policy_That_Cannot_Be_Seen_May_Own_The_Timeout()
        => Verify("""
            class Startup
            {
                void Configure(IServiceCollection services, IAsyncPolicy<HttpResponseMessage> policy)
                {
                    services.AddHttpClient("catalog")
                        .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan)
                        .AddPolicyHandler(policy);
                }

                static void Shared(IHttpClientBuilder builder)
                    => builder.ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan);
            }
            """);

    [Fact]
    public Task Typed_Client_Constructor_Registered_With_Standard_Handler()
        => Verify("""
            public sealed class CatalogClient
            {
                private readonly HttpClient _http;

                public CatalogClient(HttpClient http)
                {
                    _http = http;
                    _http.Timeout = Timeout.InfiniteTimeSpan;
                }
            }

            public sealed class OrdersClient
            {
                public OrdersClient(HttpClient http) => {|RES010:http.Timeout = Timeout.InfiniteTimeSpan|};
            }

            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient<CatalogClient>().AddStandardResilienceHandler();
                    services.AddHttpClient<OrdersClient>();
                }
            }
            """);

    [Fact]
    public Task A_Client_Created_Directly_Is_Reported_Even_When_Another_Builder_Has_A_Strategy()
        => Verify("""
            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient("catalog").AddStandardResilienceHandler();
                    services.AddSingleton(_ => new HttpClient { {|RES010:Timeout = Timeout.InfiniteTimeSpan|} });
                }
            }
            """);

    [Fact]
    public Task Policies_In_Locals_Are_Read_And_TimeoutException_Is_Not_A_Timeout()
        => Verify("""
            using Polly.Extensions.Http;

            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    var retry = HttpPolicyExtensions.HandleTransientHttpError().RetryAsync(3);
                    var timeout = Policy.TimeoutAsync<HttpResponseMessage>(10);
                    services.AddHttpClient("catalog")
                        .ConfigureHttpClient(c => c.Timeout = Timeout.InfiniteTimeSpan)
                        .AddPolicyHandler(Policy.WrapAsync(retry, timeout));
                    services.AddHttpClient("orders")
                        .ConfigureHttpClient(c => {|RES010:c.Timeout = Timeout.InfiniteTimeSpan|})
                        .AddPolicyHandler(retry);
                    services.AddHttpClient("billing")
                        .ConfigureHttpClient(c => {|RES010:c.Timeout = Timeout.InfiniteTimeSpan|})
                        .AddPolicyHandler(Policy<HttpResponseMessage>.Handle<TimeoutException>().RetryAsync(2));
                    services.AddHttpClient("stock")
                        .ConfigureHttpClient(c => {|RES010:c.Timeout = Timeout.InfiniteTimeSpan|})
                        .AddResilienceHandler("stock", b => b.AddRetry(new Microsoft.Extensions.Http.Resilience.HttpRetryStrategyOptions()));
                }
            }
            """);

    [Fact]
    public Task Service_Defaults_With_The_Standard_Handler_Own_Every_Factory_Client()
        => Verify("""
            public sealed class CatalogClient
            {
                public CatalogClient(HttpClient http) => http.Timeout = Timeout.InfiniteTimeSpan;
            }

            static class ServiceDefaults
            {
                public static IServiceCollection AddServiceDefaults(this IServiceCollection services)
                    => services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
            }

            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddServiceDefaults();
                    services.AddHttpClient("orders", c => c.Timeout = Timeout.InfiniteTimeSpan);
                    services.AddHttpClient<CatalogClient>();
                    services.AddSingleton(_ => new HttpClient { {|RES010:Timeout = Timeout.InfiniteTimeSpan|} });
                }
            }
            """);

    [Fact]
    public Task Service_Defaults_Without_A_Timeout_Strategy_Own_Nothing()
        => Verify("""
            class Startup
            {
                void Configure(IServiceCollection services, IAsyncPolicy<HttpResponseMessage> unused)
                {
                    services.ConfigureHttpClientDefaults(http =>
                    {
                        http.ConfigureHttpClient(c => {|RES010:c.Timeout = Timeout.InfiniteTimeSpan|});
                        http.AddPolicyHandler(Policy<HttpResponseMessage>.Handle<HttpRequestException>().RetryAsync(2));
                    });
                    services.AddHttpClient("orders", c => {|RES010:c.Timeout = Timeout.InfiniteTimeSpan|});
                }
            }
            """);

    [Fact]
    public Task The_Same_Named_Or_Typed_Client_Registered_Twice_Is_One_Client()
        => Verify("""
            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient("catalog", c => c.Timeout = Timeout.InfiniteTimeSpan);
                    services.AddHttpClient("catalog").AddStandardResilienceHandler();
                    services.AddHttpClient<Startup>(c => c.Timeout = Timeout.InfiniteTimeSpan);
                    services.AddHttpClient<Startup>().AddStandardResilienceHandler();
                    services.AddHttpClient("orders", c => {|RES010:c.Timeout = Timeout.InfiniteTimeSpan|});
                    services.AddHttpClient("billing").AddStandardResilienceHandler();
                }
            }
            """);

    // The client's own delegating handler enforces a per-request deadline further down the same chain: the factory
    // client turns HttpClient's timeout off so the handler's is the one that counts. The twin adds only a logging
    // handler, and nothing bounds the call.
    [Fact]
    public Task Own_Timeout_Handler_Later_On_The_Chain_Owns_The_Timeout()
        => Verify("""
            sealed class TimeoutHandler : DelegatingHandler
            {
                protected override async System.Threading.Tasks.Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
                {
                    using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    deadline.CancelAfter(TimeSpan.FromSeconds(30));
                    return await base.SendAsync(request, deadline.Token);
                }
            }

            sealed class LoggingHandler : DelegatingHandler
            {
            }

            sealed class Settings
            {
                public bool Resilient { get; set; }

                public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);
            }

            class Startup
            {
                void Configure(IServiceCollection services, Settings settings)
                {
                    services.AddHttpClient("resilient", (sp, client) =>
                        {
                            if (!settings.Resilient)
                            {
                                client.Timeout = settings.Timeout;
                            }
                            else
                            {
                                client.Timeout = Timeout.InfiniteTimeSpan;
                            }
                        })
                        .ConfigurePrimaryHttpMessageHandler(CreatePrimary)
                        .AddHttpMessageHandler(sp => ActivatorUtilities.CreateInstance<LoggingHandler>(sp, (int status) => IsTransient(status)))
                        .AddHttpMessageHandler(sp => ActivatorUtilities.CreateInstance<TimeoutHandler>(sp));
                    static HttpMessageHandler CreatePrimary(IServiceProvider provider) => new HttpClientHandler();
                    static bool IsTransient(int status) => status >= 500;
                    services.AddHttpClient("plain", (sp, client) => {|RES010:client.Timeout = Timeout.InfiniteTimeSpan|})
                        .AddHttpMessageHandler(sp => ActivatorUtilities.CreateInstance<LoggingHandler>(sp));
                }
            }
            """);

    // A step further down the chain that does not bind (a half-typed call, a package that did not resolve) may add
    // the timeout: silent. The bound twin stays reported.
    [Fact]
    public Task Chain_Going_On_Through_A_Call_That_Does_Not_Bind_Is_Not_Judged()
        => Verify("""
            class Startup
            {
                void Configure(IServiceCollection services)
                {
                    services.AddHttpClient("resilient", c => c.Timeout = Timeout.InfiniteTimeSpan)
                        .{|CS1061:AddDeadlineHandler|}(TimeSpan.FromSeconds(30));
                    services.AddHttpClient("plain", c => {|RES010:c.Timeout = Timeout.InfiniteTimeSpan|})
                        .ConfigureHttpClient(c => c.BaseAddress = new Uri("https://plain"));
                }
            }
            """);
}
