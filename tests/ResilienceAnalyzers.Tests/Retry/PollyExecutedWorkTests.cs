using ResilienceAnalyzers.Tests.Verifiers;
using Verify = ResilienceAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>;

namespace ResilienceAnalyzers.Tests.Retry;

/// <summary>
/// A Polly retry re-sends the work it executes: when the compilation shows every execution of the pipeline or
/// policy and none calls out, nothing goes again to a dependency. Each silent case sits next to its twin.
/// </summary>
public sealed class PollyExecutedWorkTests
{
    // A settings file another process is still writing: read again until it parses.
    [Fact]
    public Task PipelineThatOnlyReadsALocalFile_IsNotARetryOfADependency()
        => Verify.VerifyAnalyzerAsync("""
            using System.IO;
            using System.Threading.Tasks;
            using Polly;
            using Polly.Retry;

            sealed class SettingsReader
            {
                private ResiliencePipeline? _pipeline;

                private ResiliencePipeline Pipeline()
                {
                    if (_pipeline == null)
                    {
                        var options = new RetryStrategyOptions
                        {
                            ShouldHandle = new PredicateBuilder().Handle<IOException>(),
                            BackoffType = DelayBackoffType.Constant,
                            MaxRetryAttempts = 20,
                        };
                        _pipeline = new ResiliencePipelineBuilder().AddRetry(options).Build();
                    }

                    return _pipeline;
                }

                public async Task<string> ReadAsync(string path)
                {
                    var pipeline = Pipeline();
                    return await pipeline.ExecuteAsync(async token =>
                    {
                        var file = new FileInfo(path);
                        return await File.ReadAllTextAsync(file.FullName, token);
                    });
                }
            }
            """);

    [Fact]
    public Task SamePipelineAroundAnHttpCall_IsARetry()
        => Verify.VerifyAnalyzerAsync("""
            using System.Net.Http;
            using System.Threading.Tasks;
            using Polly;
            using Polly.Retry;

            sealed class SettingsReader
            {
                private readonly HttpClient _http = new();
                private ResiliencePipeline? _pipeline;

                private ResiliencePipeline Pipeline()
                {
                    if (_pipeline == null)
                    {
                        var options = new RetryStrategyOptions
                        {
                            ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(),
                            {|RES002:BackoffType = DelayBackoffType.Constant|},
                            {|RES001:MaxRetryAttempts = 20|},
                        };
                        _pipeline = new ResiliencePipelineBuilder().AddRetry(options).Build();
                    }

                    return _pipeline;
                }

                public async Task<string> ReadAsync(string url)
                {
                    var pipeline = Pipeline();
                    return await pipeline.ExecuteAsync(async token => await _http.GetStringAsync(url, token));
                }
            }
            """);

    // The pipeline leaves the type: some executions cannot be seen, so it is judged as written.
    [Fact]
    public Task PipelineHandedOutPublicly_IsJudgedAsWritten()
        => Verify.VerifyAnalyzerAsync("""
            using System.IO;
            using Polly;
            using Polly.Retry;

            sealed class Pipelines
            {
                public ResiliencePipeline Files { get; } = new ResiliencePipelineBuilder()
                    .AddRetry(new RetryStrategyOptions { {|RES002:BackoffType = DelayBackoffType.Constant|} })
                    .Build();

                public string Read(string path) => Files.Execute(() => File.ReadAllText(path));
            }
            """);

    // What the callback calls through an interface of the compilation cannot be seen.
    [Fact]
    public Task PipelineAroundAnInterfaceOfTheCompilation_IsJudgedAsWritten()
        => Verify.VerifyAnalyzerAsync("""
            using System.Threading.Tasks;
            using Polly;
            using Polly.Retry;

            interface IStore { Task SaveAsync(); }

            sealed class Saver
            {
                private readonly IStore _store;
                private readonly ResiliencePipeline _pipeline = new ResiliencePipelineBuilder()
                    .AddRetry(new RetryStrategyOptions { {|RES002:BackoffType = DelayBackoffType.Constant|} })
                    .Build();

                public Saver(IStore store) => _store = store;

                public async Task SaveAsync() => await _pipeline.ExecuteAsync(async _ => await _store.SaveAsync());
            }
            """);

    // A method of the compilation in another file: its body cannot be seen from here.
    [Fact]
    public async Task PipelineAroundAMethodInAnotherFile_IsJudgedAsWritten()
    {
        var test = new Verify.Test
        {
            TestCode = """
                using System.Threading.Tasks;
                using Polly;
                using Polly.Retry;

                sealed class Cleanup
                {
                    private readonly ApiClient _client = new();

                    public async Task WaitAsync()
                    {
                        var pipeline = new ResiliencePipelineBuilder()
                            .AddRetry(new RetryStrategyOptions { {|RES002:BackoffType = DelayBackoffType.Constant|} })
                            .Build();
                        await pipeline.ExecuteAsync(async _ => await _client.GetStatusAsync());
                    }
                }
                """,
        };
        test.TestState.Sources.Add(("/0/ApiClient.cs", """
            using System.Threading.Tasks;

            sealed class ApiClient
            {
                public Task<string> GetStatusAsync() => Task.FromResult("done");
            }
            """));
        await test.RunAsync();
    }

    // Executions and calls out inside lambdas count like any other.
    [Fact]
    public Task PipelineExecutedInsideALambdaAroundAnHttpCall_IsARetry()
        => Verify.VerifyAnalyzerAsync("""
            using System.IO;
            using System.Net.Http;
            using System.Threading.Tasks;
            using Polly;
            using Polly.Retry;

            static class Sync
            {
                public static Task RunAsync(HttpClient http, string path)
                {
                    var pipeline = new ResiliencePipelineBuilder()
                        .AddRetry(new RetryStrategyOptions { {|RES002:BackoffType = DelayBackoffType.Constant|} })
                        .Build();
                    pipeline.Execute(() => File.Delete(path));
                    return Task.Run(() => pipeline.Execute(() => http.Send(new HttpRequestMessage(HttpMethod.Get, "https://example.test/"))));
                }
            }
            """);

    [Fact]
    public Task PipelineWhoseCallbackCallsOutInsideALambda_IsARetry()
        => Verify.VerifyAnalyzerAsync("""
            using System.Net.Http;
            using System.Threading.Tasks;
            using Polly;
            using Polly.Retry;

            static class Sync
            {
                public static Task RunAsync(HttpClient http)
                {
                    var pipeline = new ResiliencePipelineBuilder()
                        .AddRetry(new RetryStrategyOptions { {|RES002:BackoffType = DelayBackoffType.Constant|} })
                        .Build();
                    return pipeline.ExecuteAsync(async _ => await Task.Run(() => http.GetStringAsync("https://example.test/"))).AsTask();
                }
            }
            """);

    [Fact]
    public Task PipelineBuiltFromALocalBuilderAroundAFileMove_IsNotARetryOfADependency()
        => Verify.VerifyAnalyzerAsync("""
            using System.IO;
            using Polly;
            using Polly.Retry;

            static class Files
            {
                public static void Move(string from, string to)
                {
                    var builder = new ResiliencePipelineBuilder();
                    builder.AddRetry(new RetryStrategyOptions { BackoffType = DelayBackoffType.Constant, MaxRetryAttempts = 50 });
                    var pipeline = builder.Build();
                    pipeline.Execute(() => File.Move(from, to));
                }
            }
            """);

    [Fact]
    public Task V7PolicyInAPrivateFieldAroundAFileRead_IsNotARetryOfADependency()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.IO;
            using Polly;

            sealed class Journal
            {
                private static readonly ISyncPolicy Locked = Policy.Handle<IOException>().RetryForever();

                public string Read(string path) => Locked.Execute(() => File.ReadAllText(path));
            }
            """);

    [Fact]
    public Task V7PolicyInAPrivateFieldAroundAnHttpCall_IsARetry()
        => Verify.VerifyAnalyzerAsync("""
            using System.Net.Http;
            using Polly;

            sealed class Journal
            {
                private static readonly HttpClient Http = new();
                private static readonly ISyncPolicy Transient = Policy.Handle<HttpRequestException>().{|RES001:{|RES002:RetryForever|}|}();

                public string Read(string url) => Transient.Execute(() => Http.GetStringAsync(url).Result);
            }
            """);

    // A method group: what runs is another method, not a lambda written at the execution.
    [Fact]
    public Task V7PolicyExecutingAMethodGroup_IsJudgedAsWritten()
        => Verify.VerifyAnalyzerAsync("""
            using System;
            using System.IO;
            using Polly;

            sealed class Journal
            {
                private static readonly ISyncPolicy Locked = Policy.Handle<IOException>().{|RES001:{|RES002:RetryForever|}|}();

                public void Run(Action work) => Locked.Execute(work);
            }
            """);

    // A client's settings type reads its configuration file; the client itself calls the API.
    private const string KubernetesStandIn = """
        namespace k8s
        {
            public class KubernetesClientConfiguration
            {
                public static System.Threading.Tasks.Task<KubernetesClientConfiguration> BuildConfigFromConfigFileAsync(System.IO.FileInfo kubeconfig) => null!;
            }

            public class Kubernetes
            {
                public Kubernetes(KubernetesClientConfiguration configuration) { }
                public System.Threading.Tasks.Task<string> ListNamespacesAsync() => null!;
            }
        }
        """;

    [Fact]
    public async Task PipelineReadingAKubeconfigFile_IsNotARetryOfADependency()
    {
        var test = new Verify.Test
        {
            TestCode = KubeconfigReader("await k8s.KubernetesClientConfiguration.BuildConfigFromConfigFileAsync(new FileInfo(path))", "BackoffType = DelayBackoffType.Constant"),
        };
        TestSetup.AddStandInLibrary(test.TestState, KubernetesStandIn);
        await test.RunAsync();
    }

    [Fact]
    public async Task PipelineCallingTheKubernetesApi_IsARetry()
    {
        var test = new Verify.Test
        {
            TestCode = KubeconfigReader(
                "await new k8s.Kubernetes(await k8s.KubernetesClientConfiguration.BuildConfigFromConfigFileAsync(new FileInfo(path))).ListNamespacesAsync()",
                "{|RES002:BackoffType = DelayBackoffType.Constant|}"),
        };
        TestSetup.AddStandInLibrary(test.TestState, KubernetesStandIn);
        await test.RunAsync();
    }

    private static string KubeconfigReader(string work, string backoff) => $$"""
        using System.IO;
        using System.Threading.Tasks;
        using Polly;
        using Polly.Retry;

        sealed class KubeconfigReader
        {
            private readonly ResiliencePipeline _pipeline = new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions { {{backoff}} })
                .Build();

            public async Task<object> ReadAsync(string path) => await _pipeline.ExecuteAsync<object>(async _ => {{work}});
        }
        """;
}
