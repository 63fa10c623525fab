using System;
using System.Threading;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Testing;
using ResilienceAnalyzers.Tests.Verifiers;
using Fix = ResilienceAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<ResilienceAnalyzers.Load.LoadAnalyzer, ResilienceAnalyzers.CodeFixes.Load.CircuitBreakerFixProvider>;
using Verifier = ResilienceAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<ResilienceAnalyzers.Load.LoadAnalyzer>;

namespace ResilienceAnalyzers.Tests.Load;

/// <summary>RES030: a resilience pipeline that retries with nothing that stops retrying while the dependency is down.</summary>
public sealed class RetryWithoutBreakerTests
{
    private const string Usings = """
        using System;
        using System.Net.Http;
        using System.Threading.Tasks;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Http.Resilience;
        using Polly;
        using Polly.CircuitBreaker;
        using Polly.Retry;
        using Polly.Timeout;

        """;

    private static Task Verify(string source, params DiagnosticResult[] expected)
    {
        var test = new Verifier.Test { TestCode = Usings + source, TestLibraries = TestLibraries.HttpResilience | TestLibraries.Polly };
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    private static string Body(string statements) => $$"""
        class C
        {
            object Build(IServiceCollection services, ResiliencePipelineBuilder shared)
            {
                {{statements}}
                return services;
            }
        }
        """;

    [Fact]
    public Task PipelineWithARetryAndNoBreaker_IsReportedOnTheRetry()
        => Verify(
            Body("var p = new ResiliencePipelineBuilder().AddTimeout(TimeSpan.FromSeconds(10)).{|#0:AddRetry(new RetryStrategyOptions())|}.Build();"),
            Verifier.Diagnostic("RES030").WithLocation(0).WithMessage(
                "This 'AddRetry' retries with nothing that stops retrying while the dependency is down; add a circuit breaker"));

    [Theory]
    [InlineData("var p = new ResiliencePipelineBuilder<HttpResponseMessage>().{|RES030:AddRetry(new RetryStrategyOptions<HttpResponseMessage>())|}.Build();")]
    [InlineData("services.AddResiliencePipeline(\"orders\", b => b.{|RES030:AddRetry(new RetryStrategyOptions())|});")]
    [InlineData("services.AddHttpClient(\"catalog\").AddResilienceHandler(\"p\", b => b.{|RES030:AddRetry(new HttpRetryStrategyOptions())|});")]
    [InlineData("services.AddHttpClient(\"catalog\").{|RES030:AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(3, n => TimeSpan.FromSeconds(n)))|};")]
    [InlineData("services.AddHttpClient(\"catalog\").{|RES030:AddPolicyHandler(Policy<HttpResponseMessage>.Handle<HttpRequestException>().RetryAsync(2))|};")]
    [InlineData("var w = Policy.WrapAsync(Policy.TimeoutAsync(5), Policy.Handle<HttpRequestException>().{|RES030:WaitAndRetryAsync|}(3, n => TimeSpan.FromSeconds(n)));")]
    [InlineData("var retry = Policy.Handle<HttpRequestException>().{|RES030:RetryAsync|}(3); var w = retry.WrapAsync(Policy.TimeoutAsync(5));")]
    public Task EveryRetryWithoutABreaker_IsReported(string statements) => Verify(Body(statements));

    [Theory]
    [InlineData("var p = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).AddCircuitBreaker(new CircuitBreakerStrategyOptions()).Build();")]
    [InlineData("var p = new ResiliencePipelineBuilder().AddCircuitBreaker(new CircuitBreakerStrategyOptions()).AddRetry(new RetryStrategyOptions()).Build();")]
    [InlineData("var p = new ResiliencePipelineBuilder().AddTimeout(TimeSpan.FromSeconds(1)).Build();")]
    [InlineData("var p = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).AddConcurrencyLimiter(10).Build();")]
    [InlineData("shared.AddRetry(new RetryStrategyOptions());")]
    [InlineData("var b = new ResiliencePipelineBuilder(); if (services.Count > 0) { b.AddRetry(new RetryStrategyOptions()); }")]
    [InlineData("var o = new RetryStrategyOptions<bool> { ShouldHandle = args => ValueTask.FromResult(!args.Outcome.Result) }; var p = new ResiliencePipelineBuilder<bool>().AddRetry(o).Build();")]
    [InlineData("var p = new ResiliencePipelineBuilder<int>().AddRetry(new RetryStrategyOptions<int> { ShouldHandle = new PredicateBuilder<int>().Handle<HttpRequestException>().HandleResult(n => n == 0) }).Build();")]
    [InlineData("var b = new ResiliencePipelineBuilder(); b.AddRetry(new RetryStrategyOptions()); Helpers.AddBreaker(b);")]
    [InlineData("var p = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions { ShouldHandle = new PredicateBuilder().Handle<Exception>(e => e is not BrokenCircuitException) }).Build();")]
    [InlineData("services.AddHttpClient(\"catalog\").AddStandardResilienceHandler();")]
    [InlineData("services.AddHttpClient(\"catalog\").AddStandardHedgingHandler();")]
    [InlineData("services.AddHttpClient(\"catalog\").AddResilienceHandler(\"p\", b => b.AddRetry(new HttpRetryStrategyOptions()).AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions()));")]
    [InlineData("services.AddHttpClient(\"catalog\").AddResilienceHandler(\"p\", b => b.AddRetry(new HttpRetryStrategyOptions())); services.AddHttpClient(\"catalog\").AddResilienceHandler(\"q\", b => b.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions()));")]
    [InlineData("services.AddHttpClient(\"catalog\").AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(3, n => TimeSpan.FromSeconds(n))).AddTransientHttpErrorPolicy(p => p.CircuitBreakerAsync(5, TimeSpan.FromSeconds(30)));")]
    [InlineData("services.AddHttpClient(\"catalog\").AddPolicyHandler(Policy<HttpResponseMessage>.Handle<HttpRequestException>().RetryAsync(2)).AddHttpMessageHandler(() => new Handler());")]
    [InlineData("services.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler()); services.AddHttpClient(\"catalog\").AddPolicyHandler(Policy<HttpResponseMessage>.Handle<HttpRequestException>().RetryAsync(2));")]
    [InlineData("var w = Policy.WrapAsync(Policy.Handle<HttpRequestException>().RetryAsync(3), Policy.Handle<HttpRequestException>().CircuitBreakerAsync(5, TimeSpan.FromSeconds(30)));")]
    [InlineData("var inner = Policy.WrapAsync(Policy.Handle<HttpRequestException>().RetryAsync(3), Policy.TimeoutAsync(5)); var w = Policy.WrapAsync(Policy.Handle<HttpRequestException>().CircuitBreakerAsync(5, TimeSpan.FromSeconds(30)), inner);")]
    [InlineData("var w = Policy.WrapAsync(Policy.Handle<HttpRequestException>().RetryAsync(3), Helpers.Breaker);")]
    public Task NearMisses_AreNotReported(string statements)
        => Verify(Body(statements) + """

            static class Helpers
            {
                public static void AddBreaker(ResiliencePipelineBuilder b) => b.AddCircuitBreaker(new CircuitBreakerStrategyOptions());
                public static IAsyncPolicy Breaker => Policy.Handle<HttpRequestException>().CircuitBreakerAsync(5, TimeSpan.FromSeconds(30));
            }

            class Handler : DelegatingHandler { }
            """);

    [Fact]
    public Task HandWrittenLoops_AreNotReported()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try { return await client.GetStringAsync("https://example.com"); }
                        catch (HttpRequestException) { await Task.Delay(100 << attempt); }
                    }

                    throw new InvalidOperationException();
                }
            }
            """);

    [Fact]
    public Task BrokenCode_IsSilent()
    {
        var test = new Verifier.Test { TestCode = Usings + Body("""
            var p = new ResiliencePipelineBuilder().AddRetry({|CS0103:options|}).Build();
                    var w = Policy.WrapAsync({|CS0103:retry|}, Policy.TimeoutAsync(5));
                    services.AddHttpClient("x").AddResilienceHandler("p", b => b.{|CS1061:AddNothing|}());
            """), TestLibraries = TestLibraries.HttpResilience | TestLibraries.Polly };
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task Fix_AddsABreakerAfterEachRetry_GenericOrNot_WithFixAll()
    {
        var test = new Fix.Test
        {
            TestCode = """
                using System.Net.Http;
                using Microsoft.Extensions.DependencyInjection;
                using Microsoft.Extensions.Http.Resilience;
                using Polly;
                using Polly.Retry;

                class C
                {
                    void Build(IServiceCollection services)
                    {
                        var p = new ResiliencePipelineBuilder().{|RES030:AddRetry(new RetryStrategyOptions())|}.Build();
                        var b = new ResiliencePipelineBuilder<HttpResponseMessage>();
                        b.{|RES030:AddRetry(new RetryStrategyOptions<HttpResponseMessage>())|};
                        services.AddHttpClient("catalog").AddResilienceHandler("p", h => h.{|RES030:AddRetry(new HttpRetryStrategyOptions())|});
                    }
                }
                """,
            FixedCode = """
                using System.Net.Http;
                using Microsoft.Extensions.DependencyInjection;
                using Microsoft.Extensions.Http.Resilience;
                using Polly;
                using Polly.CircuitBreaker;
                using Polly.Retry;

                class C
                {
                    void Build(IServiceCollection services)
                    {
                        var p = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).AddCircuitBreaker(new CircuitBreakerStrategyOptions()).Build();
                        var b = new ResiliencePipelineBuilder<HttpResponseMessage>();
                        b.AddRetry(new RetryStrategyOptions<HttpResponseMessage>()).AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>());
                        services.AddHttpClient("catalog").AddResilienceHandler("p", h => h.AddRetry(new HttpRetryStrategyOptions()).AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>()));
                    }
                }
                """,
            TestLibraries = TestLibraries.HttpResilience | TestLibraries.Polly,

            // The factory client's retry is judged at compilation end, with the client's other handlers.
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
        };
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task NoFix_ForPollyV7()
    {
        var source = Usings + Body("services.AddHttpClient(\"catalog\").{|RES030:AddPolicyHandler(Policy<HttpResponseMessage>.Handle<HttpRequestException>().RetryAsync(2))|};");
        var test = new Fix.Test { TestCode = source, FixedCode = source, TestLibraries = TestLibraries.HttpResilience | TestLibraries.Polly, CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck };
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>Start-up steps that retry: each runs once, with one caller waiting, and has no traffic for a breaker to shed.</summary>
    [Theory]
    [InlineData("""
        static class Program
        {
            static async Task Main()
            {
                var migrate = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).Build();
                await migrate.ExecuteAsync(async token => await Schema.ApplyAsync());
            }
        }
        """)]
    [InlineData("""
        var seed = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).Build();
        await seed.ExecuteAsync(async token => await Schema.ApplyAsync());
        """)]
    [InlineData("""
        sealed class Warmup : Microsoft.Extensions.Hosting.IHostedService
        {
            public async Task StartAsync(System.Threading.CancellationToken token)
                => await new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).Build().ExecuteAsync(async t => await Schema.ApplyAsync(), token);

            public Task StopAsync(System.Threading.CancellationToken token) => Task.CompletedTask;
        }
        """)]
    [InlineData("""
        static class InventoryRegistration
        {
            public static IServiceCollection AddInventory(this IServiceCollection services)
            {
                var probe = new ResiliencePipelineBuilder<string>().AddRetry(new RetryStrategyOptions<string>()).Build();
                var version = probe.Execute(() => Schema.Version());
                return services;
            }
        }
        """)]
    [InlineData("""
        static class Ledger
        {
            private static readonly ResiliencePipeline CreateStore = new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).Build();

            static async Task Main() => await CreateStore.ExecuteAsync(async token => await Schema.ApplyAsync());
        }
        """)]
    [InlineData("""
        static class ReportingRegistration
        {
            public static IServiceCollection AddReporting(this IServiceCollection services)
            {
                services.AddResiliencePipeline("reporting-version", b => b.AddRetry(new RetryStrategyOptions()));
                services.AddSingleton(ConfigureReporting);
                return services;

                static Settings ConfigureReporting(IServiceProvider provider)
                {
                    var pipeline = provider.GetRequiredService<Polly.Registry.ResiliencePipelineProvider<string>>().GetPipeline("reporting-version");
                    return new Settings(pipeline.Execute(() => Schema.Version()));
                }
            }
        }

        sealed record Settings(string Version);
        """)]
    [InlineData("""
        static class ProbeRegistration
        {
            public static void AddProbe(this IServiceCollection services)
            {
                const string key = "probe-version";
                services.AddSingleton(ConfigureProbe);
                services.AddResiliencePipeline(key, static builder =>
                {
                    builder.AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 6 });
                });

                Settings ConfigureProbe(IServiceProvider provider)
                {
                    string version;
                    if (provider is null)
                    {
                        var pipelines = provider!.GetRequiredService<Polly.Registry.ResiliencePipelineProvider<string>>();
                        var pipeline = pipelines.GetPipeline(key);
                        version = pipeline.Execute(static s => Schema.Version() + s, "x");
                    }
                    else
                    {
                        version = "8.0";
                    }

                    return new Settings(version);
                }
            }
        }

        sealed record Settings(string Version);
        """)]
    public Task RetryThatRunsOnce_IsNotReported(string code)
    {
        var test = new Verifier.Test { TestCode = Usings + code + Schema, TestLibraries = TestLibraries.HttpResilience | TestLibraries.Polly };
        if (code.StartsWith("var ", StringComparison.Ordinal))
        {
            // Top-level statements.
            test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        }

        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>The same pipelines where something runs them per operation, or where their executions are out of sight.</summary>
    [Theory]
    [InlineData("""
        static class Program
        {
            static async Task Main()
            {
                var send = new ResiliencePipelineBuilder().{|RES030:AddRetry(new RetryStrategyOptions())|}.Build();
                while (true)
                {
                    await send.ExecuteAsync(async token => await Schema.ApplyAsync());
                }
            }
        }
        """)]
    [InlineData("""
        static class Program
        {
            static void Main()
            {
                var send = new ResiliencePipelineBuilder().{|RES030:AddRetry(new RetryStrategyOptions())|}.Build();
                Schema.Changed += (sender, args) => send.Execute(() => Schema.Version());
            }
        }
        """)]
    [InlineData("""
        static class Program
        {
            static void Main(IServiceCollection services)
            {
                var shared = new ResiliencePipelineBuilder().{|RES030:AddRetry(new RetryStrategyOptions())|}.Build();
                services.AddSingleton(shared);
            }
        }
        """)]
    [InlineData("""
        static class Ledger
        {
            internal static readonly ResiliencePipeline Writes = new ResiliencePipelineBuilder().{|RES030:AddRetry(new RetryStrategyOptions())|}.Build();

            static async Task Main() => await Writes.ExecuteAsync(async token => await Schema.ApplyAsync());
        }

        sealed class Orders
        {
            public async Task Post() => await Ledger.Writes.ExecuteAsync(async token => await Schema.ApplyAsync());
        }
        """)]
    [InlineData("""
        public static class Ledger
        {
            public static ResiliencePipeline Writes { get; } = new ResiliencePipelineBuilder().{|RES030:AddRetry(new RetryStrategyOptions())|}.Build();
        }
        """)]
    [InlineData("""
        sealed class Reports(Polly.Registry.ResiliencePipelineProvider<string> provider)
        {
            public static void Register(IServiceCollection services)
                => services.AddResiliencePipeline("reports", b => b.{|RES030:AddRetry(new RetryStrategyOptions())|});

            public string Get() => provider.GetPipeline("reports").Execute(() => Schema.Version());
        }
        """)]
    public Task RetryThatRunsPerOperation_IsReported(string code) => Verify(code + Schema);

    private const string Schema = """

        static class Schema
        {
            public static event EventHandler? Changed;
            public static Task ApplyAsync() => Task.CompletedTask;
            public static string Version() => Changed is null ? "8.0" : "8.4";
        }
        """;

    /// <summary>
    /// An Aspire hosting integration (types in the Aspire.Hosting namespace) orchestrates its own resources: every retry there
    /// waits for one of them. A service that merely sees the AppHost's types is judged as any other.
    /// </summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public Task HostingIntegrationCode_IsNotReported_AServiceThatOnlySeesTheTypes_Is(bool declaresHostingTypes)
    {
        var retry = declaresHostingTypes ? "AddRetry(new RetryStrategyOptions())" : "{|RES030:AddRetry(new RetryStrategyOptions())|}";
        var test = new Verifier.Test
        {
            TestCode = Usings + $$"""
                namespace {{(declaresHostingTypes ? "Aspire.Hosting.Emulators" : "Inventory")}}
                {
                    sealed class EmulatorDatabase
                    {
                        public async Task Create() => await new ResiliencePipelineBuilder().{{retry}}.Build().ExecuteAsync(async token => await Task.Delay(1, token));
                    }
                }
                """,
            TestLibraries = TestLibraries.HttpResilience | TestLibraries.Polly,
        };
        test.TestState.AdditionalProjects["Aspire.Hosting"].Sources.Add("namespace Aspire.Hosting { public interface IDistributedApplicationBuilder { } }");
        test.TestState.AdditionalProjectReferences.Add("Aspire.Hosting");
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>A retry that only handles the end of a stream re-opens a watch the server closed; anything more is a retry of failures.</summary>
    [Theory]
    [InlineData("new PredicateBuilder().Handle<System.IO.EndOfStreamException>()", false)]
    [InlineData("new PredicateBuilder().HandleInner<System.IO.EndOfStreamException>()", false)]
    [InlineData("new PredicateBuilder().Handle<System.IO.EndOfStreamException>().Handle<HttpRequestException>()", true)]
    [InlineData("new PredicateBuilder().Handle<System.IO.IOException>()", true)]
    public Task RetryThatReopensAnEndedStream_IsNotReported(string shouldHandle, bool reported)
    {
        var retry = "AddRetry(new RetryStrategyOptions { ShouldHandle = " + shouldHandle + ", MaxRetryAttempts = int.MaxValue })";
        return Verify(Body("var watch = new ResiliencePipelineBuilder()." + (reported ? "{|RES030:" + retry + "|}" : retry) + ".Build();"));
    }

    /// <summary>
    /// A retry that handles only SQLite's failures waits for a lock on a database file in this process: no shared
    /// dependency for a breaker to protect. Anything else handled beside it is judged as usual.
    /// </summary>
    [Theory]
    [InlineData("new PredicateBuilder().Handle<Microsoft.Data.Sqlite.SqliteException>(e => e.SqliteErrorCode == 5)", false)]
    [InlineData("new PredicateBuilder().Handle<System.Data.SQLite.SQLiteException>()", false)]
    [InlineData("new PredicateBuilder().Handle<Microsoft.Data.Sqlite.SqliteException>().Handle<HttpRequestException>()", true)]
    [InlineData("new PredicateBuilder().Handle<System.Data.Common.DbException>()", true)]
    public Task RetryOnAnInProcessDatabaseLock_IsNotReported(string shouldHandle, bool reported)
    {
        var retry = "AddRetry(new RetryStrategyOptions { ShouldHandle = " + shouldHandle + ", MaxRetryAttempts = 3 })";
        return Verify(Body("var writes = new ResiliencePipelineBuilder()." + (reported ? "{|RES030:" + retry + "|}" : retry) + ".Build();") + """

            namespace Microsoft.Data.Sqlite
            {
                public class SqliteException : System.Data.Common.DbException
                {
                    public int SqliteErrorCode { get; }
                }
            }

            namespace System.Data.SQLite
            {
                public class SQLiteException : System.Data.Common.DbException
                {
                }
            }
            """);
    }

    /// <summary>
    /// A retry around one long-lived subscription: every execution consumes a stream to its end and hands nothing back, so
    /// the retry re-subscribes one consumer when its stream drops. Work that returns a result, work that reads no stream,
    /// and a pipeline whose executions are out of sight are judged as usual.
    /// </summary>
    [Theory]
    [InlineData("""
        private AsyncPolicyWrap Resubscribe
            => Policy.WrapAsync(
                Policy.Handle<Exception>().{|#0:WaitAndRetryForeverAsync|}(n => TimeSpan.FromSeconds(2)),
                Policy.Handle<OperationCanceledException>().FallbackAsync(token => Task.CompletedTask));

        public Task Listen(CancellationToken token) => Resubscribe.ExecuteAsync(t => Consume(t), token);

        private async Task Consume(CancellationToken token)
        {
            await foreach (var price in feed.Prices(token))
            {
                Last = price;
            }
        }
        """, false)]
    [InlineData("""
        private readonly ResiliencePipeline _resubscribe = new ResiliencePipelineBuilder().{|#0:AddRetry(new RetryStrategyOptions { MaxRetryAttempts = int.MaxValue })|}.Build();

        public async Task Listen(CancellationToken token)
            => await _resubscribe.ExecuteAsync(async t =>
            {
                await foreach (var price in feed.Prices(t))
                {
                    Last = price;
                }
            }, token);
        """, false)]
    [InlineData("""
        private readonly ResiliencePipeline _reads = new ResiliencePipelineBuilder().{|#0:AddRetry(new RetryStrategyOptions())|}.Build();

        public async Task<string> Latest(CancellationToken token)
            => await _reads.ExecuteAsync(async t =>
            {
                await foreach (var price in feed.Prices(t))
                {
                    return price;
                }

                return "";
            }, token);
        """, true)]
    [InlineData("""
        private readonly ResiliencePipeline _writes = new ResiliencePipelineBuilder().{|#0:AddRetry(new RetryStrategyOptions())|}.Build();

        public async Task Store(CancellationToken token) => await _writes.ExecuteAsync(async t => await feed.Publish(Last, t), token);
        """, true)]
    [InlineData("""
        public ResiliencePipeline Resubscribe { get; } = new ResiliencePipelineBuilder().{|#0:AddRetry(new RetryStrategyOptions())|}.Build();

        public async Task Listen(CancellationToken token)
            => await Resubscribe.ExecuteAsync(async t =>
            {
                await foreach (var price in feed.Prices(t))
                {
                    Last = price;
                }
            }, token);
        """, true)]
    public Task RetryThatResubscribesOneStream_IsNotReported(string members, bool reported)
    {
        var test = new Verifier.Test
        {
            TestCode = Usings + "using System.Collections.Generic;\nusing System.Threading;\nusing Polly.Wrap;\n\n"
                       + "sealed class PriceListener(Feed feed)\n{\n    public string Last { get; private set; } = \"\";\n\n" + members + "\n}\n" + """

                abstract class Feed
                {
                    public abstract IAsyncEnumerable<string> Prices(CancellationToken token);

                    public abstract Task Publish(string price, CancellationToken token);
                }
                """,
            TestLibraries = TestLibraries.HttpResilience | TestLibraries.Polly,
        };
        if (reported)
        {
            test.ExpectedDiagnostics.Add(Verifier.Diagnostic("RES030").WithLocation(0).WithArguments("This 'AddRetry'"));
        }

        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>A builder declared outside the branch that adds the retry: the rest of it is out of the recogniser's sight.</summary>
    [Theory]
    [InlineData("var b = new ResiliencePipelineBuilder(); if (services.Count > 0) { b.AddRetry(new RetryStrategyOptions()); } b.AddCircuitBreaker(new CircuitBreakerStrategyOptions()); var p = b.Build();")]
    [InlineData("var b = new ResiliencePipelineBuilder().AddCircuitBreaker(new CircuitBreakerStrategyOptions()); if (services.Count > 0) { b.AddRetry(new RetryStrategyOptions()); }")]
    public Task RetryInABranchOfAnOuterBuilder_IsNotReported(string statements) => Verify(Body(statements));
}
