using System;
using System.Threading;
using Microsoft.CodeAnalysis.Testing;
using ResilienceAnalyzers.Tests.Verifiers;
using Verifier = ResilienceAnalyzers.Tests.Verifiers.CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>;

namespace ResilienceAnalyzers.Tests.Retry;

/// <summary>
/// RES006: a retry layer inside another, each nesting path of RULES.md (written inside, through up to three calls, SDK
/// clients that retry by themselves, two retries on one chain), the message, the option and the near-misses.
/// </summary>
public sealed class RetryInsideRetryTests
{
    private const string Usings = """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    /// <summary>Four attempts around an HTTP call: the outer layer most tests use.</summary>
    private const string Loop = """
                for (var attempt = 0; attempt < 4; attempt++)
                {
                    try
                    {
        """;

    private static Task Verify(string source, string? editorConfig = null, params DiagnosticResult[] expected)
    {
        var test = new Verifier.Test { TestCode = Usings + source, VerifiesLayerRules = true, EditorConfig = editorConfig };
        test.DisabledDiagnostics.AddRange(new[] { "RES001", "RES002", "RES003", "RES004" });
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    private static string Retrying(string protectedWork, string returns = "string") => $$"""
        class C
        {
            async Task<{{returns}}> Outer(HttpClient client)
            {
                for (var attempt = 0; attempt < 4; attempt++)
                {
                    try
                    {
                        {{protectedWork}}
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(100 * (1 << attempt));
                    }
                }

                throw new InvalidOperationException();
            }
        """;

    private const string InnerLoop = """
            async Task<string> Fetch(HttpClient client)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        return await client.GetStringAsync("https://example.com");
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(100 * (1 << attempt));
                    }
                }

                throw new HttpRequestException("no answer after 3 attempts");
            }
        }
        """;

    [Fact]
    public Task LoopInsideLoop_IsReportedOnTheInnerLoop_WithTheProduct()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client)
                {
                    for (var attempt = 0; attempt < 4; attempt++)
                    {
                        try
                        {
                            {|#0:for|} (var inner = 0; inner < 3; inner++)
                            {
                                try
                                {
                                    return await client.GetStringAsync("https://example.com");
                                }
                                catch (HttpRequestException)
                                {
                                    await Task.Delay(100 * (1 << inner));
                                }
                            }
                        }
                        catch (InvalidOperationException)
                        {
                            await Task.Delay(100 * (1 << attempt));
                        }
                    }

                    throw new InvalidOperationException();
                }
            }
            """,
            null,
            Verifier.Diagnostic("RES006").WithLocation(0).WithMessage(
                "Up to 12 calls: the retry loop on line 9 makes 4 attempts and the retry loop on line 13 makes up to 3 of its own; retry in one layer only"));

    [Fact]
    public Task ThroughOneCall_IsReportedOnTheCall()
        => Verify(Retrying("""return await {|RES006:Fetch|}(client);""") + InnerLoop.Replace("async Task<string> Fetch", "async Task<string> Fetch", StringComparison.Ordinal));

    [Theory]
    [InlineData(2, true)]
    [InlineData(3, true)]
    [InlineData(4, false)]
    public Task ThroughUpToThreeCalls_NotFour(int calls, bool reported)
    {
        var chain = "";
        for (var i = 1; i < calls; i++)
        {
            chain += $"    Task<string> Step{i}(HttpClient client) => Step{i + 1}(client);\n";
        }

        var first = calls == 1 ? "Fetch" : "Step1";
        chain = chain.Replace($"Step{calls}(client)", "Fetch(client)", StringComparison.Ordinal);
        var call = reported ? "{|RES006:" + first + "|}" : first;
        return Verify(Retrying($"return await {call}(client);") + chain + InnerLoop);
    }

    /// <summary>
    /// A retry (or an SDK call) written in a lambda the called method stores for later runs when that delegate is invoked,
    /// not when the method is called: the outer retry does not repeat it. A lambda the method runs in place still counts.
    /// </summary>
    [Fact]
    public Task RetryInALambdaTheCalleeStores_IsNotReachedThroughTheCall()
        => Task.WhenAll(
            Verify(Retrying("""Register(client); return await client.GetStringAsync("https://example.com");""") + """
                    Func<Task<string>> _later;
                    event Func<Task<string>> Changed;

                    void Register(HttpClient client)
                    {
                        _later = () => Fetch(client);
                        Changed += async () =>
                        {
                            for (var attempt = 0; attempt < 3; attempt++)
                            {
                                try { return await client.GetStringAsync("https://example.com"); }
                                catch (HttpRequestException) { await Task.Delay(100 * (1 << attempt)); }
                            }

                            throw new InvalidOperationException();
                        };
                    }

                    Func<Task<string>> Make(HttpClient client) => () => Fetch(client);

                """ + InnerLoop),
            Verify(Retrying("""return await {|RES006:RunNow|}(client);""") + """
                    Task<string> RunNow(HttpClient client) => Task.Run(() => Fetch(client));

                """ + InnerLoop));

    [Fact]
    public Task Recursion_InTheCallGraph_Ends()
        => Verify(Retrying("""return await Ping(client, 0);""") + """
                Task<string> Ping(HttpClient client, int n) => n > 5 ? client.GetStringAsync("https://example.com") : Pong(client, n);
                Task<string> Pong(HttpClient client, int n) => Ping(client, n + 1);
            }
            """);

    [Fact]
    public Task InnerCall_InTheCatchOrAfterTheLoop_IsNotNested()
        => Verify("""
            class C
            {
                async Task<string> Outer(HttpClient client)
                {
                    for (var attempt = 0; attempt < 4; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync("https://example.com/a");
                        }
                        catch (HttpRequestException)
                        {
                            await Fetch(client);
                            await Task.Delay(100 * (1 << attempt));
                        }
                    }

                    return await Fetch(client);
                }
            """ + InnerLoop);

    [Fact]
    public Task LayersOneAfterAnother_AreNotNested()
        => Verify("""
            class C
            {
                async Task<string> Both(HttpClient client)
                {
                    var first = await Fetch(client);
                    return first + await Fetch(client);
                }
            """ + InnerLoop);

    [Fact]
    public Task ProductWithinMaxTotalAttempts_IsNotReported_AndTheOptionRaisesOrLowersTheBar()
        => Task.WhenAll(
            Verify(Retrying("""return await Fetch(client);""") + InnerLoop, "RES006.max_total_attempts = 12"),
            Verify(Retrying("""return await {|RES006:Fetch|}(client);""") + InnerLoop, "RES006.max_total_attempts = 11"));

    /// <summary>
    /// An outer loop that goes round only on a failure of reading a local file (<c>IOException</c>), around a call into a
    /// method whose own loop swallows every failed attempt and gives up by returning null: nothing that method lets out after
    /// its last attempt sends the outer loop round, so the layers never multiply. They do when the outer loop turns that null
    /// into the failure it goes round on, when it goes round on every exception, or when the inner method gives up with
    /// the failure it caught.
    /// </summary>
    [Theory]
    [InlineData("catch (System.IO.IOException)", "return null;", "if (token == null) return null;", false)]
    [InlineData("catch (System.IO.IOException)", "throw new InvalidOperationException(\"no token\");", "", false)]
    [InlineData("catch (System.IO.IOException)", "return null;", "if (token == null) throw new System.IO.IOException(\"no token\");", true)]
    [InlineData("catch (System.IO.IOException)", "throw new System.IO.IOException(\"no token\");", "", true)]
    [InlineData("catch (System.IO.IOException)", "ThrowHelper.NoToken(); return null;", "", true)]
    [InlineData("catch (SystemException)", "return null;", "if (token == null) return null;", true)]
    public Task OuterRetry_MultipliesACalledRetryOnlyWhenItGoesRoundOnWhatThatRetryGivesUpWith(string outerCatch, string givesUp, string check, bool reported)
    {
        var call = reported ? "{|RES006:Token|}" : "Token";
        return Verify($$"""
            static class ThrowHelper
            {
                public static void NoToken() => throw new System.IO.IOException("no token");
            }

            class C
            {
                async Task<string> Upload(HttpClient client, string path)
                {
                    for (var attempt = 0; attempt < 4; attempt++)
                    {
                        try
                        {
                            var token = await {{call}}(client);
                            {{check}}
                            var body = await System.IO.File.ReadAllTextAsync(path);
                            return await client.GetStringAsync("https://example.com/check?t=" + token + "&b=" + body);
                        }
                        {{outerCatch}}
                        {
                            await Task.Delay(100 * (1 << attempt));
                        }
                    }

                    return null;
                }

                async Task<string> Token(HttpClient client)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync("https://example.com/token");
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(100 * (1 << attempt));
                        }
                    }

                    {{givesUp}}
                }
            }
            """);
    }

    /// <summary>A called retry that lets its last failure through its filter gives up with the type it catches.</summary>
    [Fact]
    public Task CalledRetry_WhoseFilterLetsTheLastFailureOut_MultipliesWithAnOuterRetryOfThatFailure()
        => Verify(Retrying("""return await {|RES006:Fetch|}(client);""") + """
                async Task<string> Fetch(HttpClient client)
                {
                    for (var attempt = 0; ; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync("https://example.com");
                        }
                        catch (HttpRequestException) when (attempt < 2)
                        {
                            await Task.Delay(100 * (1 << attempt));
                        }
                    }
                }
            }
            """);

    [Fact]
    public Task WorkerLoop_IsNoOuterRetry()
        => Verify("""
            class C
            {
                async Task Work(HttpClient client, CancellationToken token)
                {
                    while (!token.IsCancellationRequested)
                    {
                        try
                        {
                            await Fetch(client);
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(1000);
                        }
                    }
                }
            """ + InnerLoop);

    [Fact]
    public Task FailoverOverEndpoints_IsNoOuterRetry()
        => Verify("""
            class C
            {
                async Task<string> Any(HttpClient client, string[] hosts)
                {
                    for (var i = 0; i < hosts.Length; i++)
                    {
                        try
                        {
                            return await Fetch(client, hosts[i]);
                        }
                        catch (HttpRequestException)
                        {
                        }
                    }

                    throw new InvalidOperationException();
                }

                async Task<string> Fetch(HttpClient client, string host)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try
                        {
                            return await client.GetStringAsync(host);
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(100 * (1 << attempt));
                        }
                    }

                    throw new InvalidOperationException();
                }
            }
            """);

    [Fact]
    public Task LoopInsideAPipelinesLambda_IsReported_ALoopWhoseOnlyCallIsThePipelineIsNoRetryOfItsOwn()
        => Verify("""
            using Polly;
            using Polly.Retry;

            class C
            {
                private readonly ResiliencePipeline _pipeline = new ResiliencePipelineBuilder()
                    .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 2, BackoffType = DelayBackoffType.Exponential, UseJitter = true })
                    .Build();

                async Task<string> Outer(HttpClient client)
                {
                    for (var attempt = 0; attempt < 4; attempt++)
                    {
                        try
                        {
                            return await _pipeline.ExecuteAsync(async token => await client.GetStringAsync("https://example.com", token));
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(100 * (1 << attempt));
                        }
                    }

                    throw new InvalidOperationException();
                }

                async Task<string> Inner(HttpClient client)
                    => await _pipeline.ExecuteAsync(async token =>
                    {
                        {|RES006:for|} (var attempt = 0; attempt < 3; attempt++)
                        {
                            try
                            {
                                return await client.GetStringAsync("https://example.com", token);
                            }
                            catch (HttpRequestException)
                            {
                                await Task.Delay(100 * (1 << attempt), token);
                            }
                        }

                        throw new InvalidOperationException();
                    });
            }
            """);

    [Fact]
    public Task PollyV7PolicyInsideLoop_IsReported()
        => Verify("""
            using Polly;

            class C
            {
                private readonly IAsyncPolicy _policy = Policy.Handle<HttpRequestException>().WaitAndRetryAsync(3, n => TimeSpan.FromSeconds(n));

                async Task<string> Outer(HttpClient client)
                {
                    for (var attempt = 0; attempt < 4; attempt++)
                    {
                        try
                        {
                            return await _policy.{|RES006:ExecuteAsync|}(() => client.GetStringAsync("https://example.com"));
                        }
                        catch (HttpRequestException)
                        {
                            await Task.Delay(100 * (1 << attempt));
                        }
                    }

                    throw new InvalidOperationException();
                }
            }
            """);

    private const string Dynamo = """
        using Amazon.DynamoDBv2;
        using Amazon.DynamoDBv2.Model;

        """;

    private static string AroundDynamo(string call) => Dynamo + Retrying(call, "GetItemResponse").Replace("HttpClient client", "AmazonDynamoDBClient db", StringComparison.Ordinal) + "\n}\n";

    [Fact]
    public Task AwsClientInsideLoop_IsReported_WithTheMessage()
        => Verify(
            AroundDynamo("""return await db.{|#0:GetItemAsync|}(new GetItemRequest());"""),
            null,
            Verifier.Diagnostic("RES006").WithLocation(0).WithMessage(
                "Up to 12 calls: the retry loop on line 11 makes 4 attempts and AmazonDynamoDBClient.GetItemAsync makes up to 3 of its own; retry in one layer only"));

    /// <summary>
    /// The attempts a retry loop makes come from its counter's start, its step, the comparison and where the check sits
    /// (before the attempt, or after a failure), not from the largest constant the counter is compared with. Each shape
    /// wraps a DynamoDB call (3 attempts of its own); the product is the loop's attempts times 3.
    /// </summary>
    [Theory]
    [InlineData("for (var attempt = 0; attempt < 3; attempt++) // outer\n{ try { CALL } catch (AmazonDynamoDBException) { await Task.Delay(100); } }", 3)]
    [InlineData("for (var i = 1; i < 3; i++) // outer\n{ try { CALL } catch (AmazonDynamoDBException) { await Task.Delay(100); } }", 2)]
    [InlineData("for (var i = 1; i <= 3; i++) // outer\n{ try { CALL } catch (AmazonDynamoDBException) { await Task.Delay(100); } }", 3)]
    [InlineData("var attempt = 0;\nwhile (true) // outer\n{ try { CALL } catch (AmazonDynamoDBException) { if (++attempt > 2) throw; await Task.Delay(100); } }", 3)]
    [InlineData("var n = 0;\nwhile (true) // outer\n{ try { CALL } catch (AmazonDynamoDBException) { if (++n == 5) throw; } }", 5)]
    [InlineData("var attempt = 0;\ndo // outer\n{ try { CALL } catch (AmazonDynamoDBException) { attempt++; await Task.Delay(100); } }\nwhile (attempt < 3);", 3)]
    [InlineData("var attempt = 0;\nfor (;;) // outer\n{ try { CALL } catch (AmazonDynamoDBException) { if (attempt >= 3) throw; attempt++; } }", 4)]
    [InlineData("const int max = 4;\nvar attempt = 0;\nfor (;;) // outer\n{ try { CALL } catch (AmazonDynamoDBException) { attempt++; if (attempt >= max) throw; } }", 4)]
    [InlineData("var attempt = 0;\nwhile (true) // outer\n{ try { CALL } catch (AmazonDynamoDBException) when (attempt++ < 3) { } }", 4)]
    [InlineData("for (var attempt = 1; ; attempt++) // outer\n{ try { CALL } catch (AmazonDynamoDBException) { if (attempt < 3) { continue; } throw; } }", 3)]
    [InlineData("var attempt = 0;\nwhile (true) // outer\n{ if (attempt == 3) throw new InvalidOperationException(); attempt++; try { CALL } catch (AmazonDynamoDBException) { await Task.Delay(100); } }", 3)]
    [InlineData("var retried = false;\nwhile (true) // outer\n{ try { CALL } catch (AmazonDynamoDBException) when (!retried) { retried = true; } }", 2)]
    [InlineData("var retried = false;\nwhile (true) // outer\n{ try { CALL } catch (AmazonDynamoDBException) { if (retried) throw; retried = true; } }", 2)]
    [InlineData("var attempts = 3;\nwhile (attempts > 0) // outer\n{ try { CALL } catch (AmazonDynamoDBException) { attempts--; await Task.Delay(100); } }", 3)]
    [InlineData("for (var attempt = 1; ; attempt++) // outer\n{ try { CALL } catch (AmazonDynamoDBException) when (attempt < 30 && !Environment.HasShutdownStarted) { await Task.Delay(100); } }", 30)]
    public Task LoopAttempts_AreCountedFromTheCounter_NotFromItsLargestLimit(string loop, int attempts)
    {
        var body = loop.Replace("CALL", "return await db.{|#0:GetItemAsync|}(new GetItemRequest());", StringComparison.Ordinal);
        var source = Dynamo + $$"""
            class C
            {
                async Task<GetItemResponse> Outer(AmazonDynamoDBClient db)
                {
            {{body}}
                    throw new InvalidOperationException();
                }
            }
            """;
        var line = Array.FindIndex((Usings + source).Split('\n'), l => l.Contains("// outer", StringComparison.Ordinal)) + 1;
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        return Verify(source, null, Verifier.Diagnostic("RES006").WithLocation(0).WithMessage(string.Format(culture,
            "Up to {0} calls: the retry loop on line {1} makes {2} attempts and AmazonDynamoDBClient.GetItemAsync makes up to 3 of its own; retry in one layer only",
            attempts * 3, line, attempts)));
    }

    /// <summary>Attempts that cannot be worked out in sight (a limit passed in, a counter stepped in a lambda) give no product: silent.</summary>
    [Theory]
    [InlineData("for (var attempt = 0; attempt < max; attempt++)\n{ try { CALL } catch (AmazonDynamoDBException) { await Task.Delay(100); } }")]
    [InlineData("var attempt = 0;\nAction step = () => attempt++;\nwhile (attempt < 3)\n{ try { CALL } catch (AmazonDynamoDBException) { step(); } }")]
    [InlineData("var attempt = 0;\nwhile (true)\n{ try { CALL } catch (AmazonDynamoDBException) { if (attempt >= max) throw; attempt++; } }")]
    [InlineData("for (var attempt = 1; ; attempt++)\n{ try { CALL } catch (AmazonDynamoDBException) when (attempt < max && !Environment.HasShutdownStarted) { } }")]
    public Task LoopAttempts_OutOfSight_AreNotMultiplied(string loop)
        => Verify(Dynamo + $$"""
            class C
            {
                async Task<GetItemResponse> Outer(AmazonDynamoDBClient db, int max)
                {
            {{loop.Replace("CALL", "return await db.GetItemAsync(new GetItemRequest());", StringComparison.Ordinal)}}
                    throw new InvalidOperationException();
                }
            }
            """);

    [Fact]
    public Task AwsClient_ThroughARepositoryMethod_IsReported()
        => Verify(Dynamo + Retrying("""return await {|RES006:Load|}(db);""", "GetItemResponse").Replace("HttpClient client", "AmazonDynamoDBClient db", StringComparison.Ordinal) + """
                Task<GetItemResponse> Load(AmazonDynamoDBClient db) => db.GetItemAsync(new GetItemRequest());
            }
            """);

    [Fact]
    public Task AwsRetriesTurnedOffAnywhereForTheClientType_AreSilent()
        => Task.WhenAll(
            Verify(AroundDynamo("""return await db.GetItemAsync(new GetItemRequest());""").Replace("class C\n{", "class C\n{\n    static AmazonDynamoDBConfig Config() => new AmazonDynamoDBConfig { MaxErrorRetry = 0 };\n", StringComparison.Ordinal)),
            Verify(AroundDynamo("""var config = new AmazonDynamoDBConfig(); config.MaxErrorRetry = 0; return await new AmazonDynamoDBClient(config).GetItemAsync(new GetItemRequest());""")));

    /// <summary>An Azure SDK client library, as the packages ship one: a client whose options derive from ClientOptions.</summary>
    private const string AzureLibrary = """
        using System.Threading.Tasks;
        using Azure.Core;

        namespace Azure.Storage.Fake
        {
            public class FakeClientOptions : ClientOptions { }

            public class FakeServiceClient
            {
                public FakeServiceClient(FakeClientOptions options) { }
                public virtual Task<Azure.Response<string>> DownloadAsync() => Task.FromResult<Azure.Response<string>>(null);
                public virtual FakeServiceClient GetChildClient() => this;
                public virtual string GetSasUri() => "";
            }
        }
        """;

    private static Task VerifyAzure(string off, string call)
        => VerifyAzureLoop(off, $$"""
                    for (var attempt = 0; attempt < 4; attempt++)
                    {
                        try
                        {
                            return await Task.FromResult<object>(blobs.{{call}}());
                        }
                        catch (Azure.RequestFailedException)
                        {
                            await Task.Delay(100 * (1 << attempt));
                        }
                    }
            """);

    /// <summary><paramref name="loop"/> is the body of <c>Outer(FakeServiceClient blobs)</c>, before its final throw.</summary>
    private static Task VerifyAzureLoop(string off, string loop) => VerifyAzureLoopTest(off, loop).RunAsync(CancellationToken.None);

    private static Verifier.Test VerifyAzureLoopTest(string off, string loop)
    {
        var test = new Verifier.Test { VerifiesLayerRules = true };
        test.DisabledDiagnostics.AddRange(new[] { "RES001", "RES002", "RES003", "RES004" });
        var library = new Microsoft.CodeAnalysis.Testing.ProjectState("Azure.Storage.Fake", Microsoft.CodeAnalysis.LanguageNames.CSharp, "/Azure.Storage.Fake/Test", "cs");
        library.Sources.Add(AzureLibrary);
        library.AdditionalReferences.AddRange(TestReferences.For(TestLibraries.Azure));
        test.TestState.AdditionalProjects.Add("Azure.Storage.Fake", library);
        test.TestState.AdditionalProjectReferences.Add("Azure.Storage.Fake");
        test.TestCode = Usings + $$"""
            class C
            {
                {{off}}
                async Task<object> Outer(Azure.Storage.Fake.FakeServiceClient blobs)
                {
            {{loop}}
                    throw new InvalidOperationException();
                }
            }
            """;
        return test;
    }

    [Fact]
    public Task AzureClientInsideLoop_IsReported_UnlessItsRetriesAreOff()
        => Task.WhenAll(
            VerifyAzure("", "{|RES006:DownloadAsync|}"),
            VerifyAzure("static void Off(Azure.Storage.Fake.FakeClientOptions o) { o.Retry.MaxRetries = 0; }", "DownloadAsync"));

    // Retries set in a nested initializer (new Options { Retry = { MaxRetries = n } }) count as options.Retry.MaxRetries = n does:
    // off when zero, and the count the message gives otherwise.
    [Fact]
    public async Task AzureRetriesSetInANestedInitializer_AreTheClientsRetries()
    {
        await VerifyAzure("static Azure.Storage.Fake.FakeClientOptions Options => new() { Retry = { MaxRetries = 0 } };", "DownloadAsync");
        var test = VerifyAzureLoopTest(
                "const int MaxRetries = 15; static Azure.Storage.Fake.FakeClientOptions Options => new() { Retry = { MaxRetries = MaxRetries } };",
                """
                    for (var attempt = 0; attempt < 4; attempt++)
                    {
                        try
                        {
                            return await Task.FromResult<object>(blobs.{|#0:DownloadAsync|}());
                        }
                        catch (Azure.RequestFailedException)
                        {
                            await Task.Delay(100 * (1 << attempt));
                        }
                    }
            """);
        test.ExpectedDiagnostics.Add(Verifier.Diagnostic("RES006").WithLocation(0).WithMessage(
            "Up to 64 calls: the retry loop on line 10 makes 4 attempts and FakeServiceClient.DownloadAsync makes up to 16 of its own; retry in one layer only"));
        await test.RunAsync(CancellationToken.None);
    }

    /// <summary>
    /// An outer retry that goes round only on a failure the SDK client never retries itself (an HTTP 4xx other than 408 and
    /// 429, a "not found" or "conflict" code), by its filter or by a rethrow-unless check, cannot multiply with the client's
    /// retries: the client gives up on that failure at once, and a transient failure, which it retries, is not caught.
    /// </summary>
    [Theory]
    [InlineData("catch (Azure.RequestFailedException e) when (e.Status == 404) { Recreate(); }")]
    [InlineData("catch (Azure.RequestFailedException e) when (again && e.ErrorCode == \"ContainerNotFound\") { again = false; Recreate(); }")]
    [InlineData("catch (Azure.RequestFailedException e) when (e.Status is 404 or 410) { Recreate(); }")]
    [InlineData("catch (Azure.RequestFailedException e) when (e is { Status: 404 }) { Recreate(); }")]
    [InlineData("catch (Azure.RequestFailedException e) { if (e.Status != (int)System.Net.HttpStatusCode.NotFound) throw; Recreate(); }")]
    [InlineData("catch (Azure.RequestFailedException e) { if (!(e.ErrorCode == \"BlobNotFound\" || e.ErrorCode == \"ContainerNotFound\")) { throw; } Recreate(); }")]
    public Task OuterRetryOnAFailureTheClientNeverRetries_DoesNotMultiply(string clause)
        => VerifyAzureLoop(Recreate, Fixing(clause, "DownloadAsync"));

    [Theory]
    [InlineData("catch (Azure.RequestFailedException e) when (e.Status == 503) { Recreate(); }")]
    [InlineData("catch (Azure.RequestFailedException e) when (e.Status == 429) { Recreate(); }")]
    [InlineData("catch (Azure.RequestFailedException e) when (e.Status == 404 || e.Status >= 500) { Recreate(); }")]
    [InlineData("catch (Azure.RequestFailedException e) when (again || e.ErrorCode == \"ContainerNotFound\") { again = false; Recreate(); }")]
    [InlineData("catch (Azure.RequestFailedException) { Recreate(); }")]
    [InlineData("catch (Azure.RequestFailedException e) { if (e.Status == 503) continue; if (e.Status != 404) throw; }")]
    public Task OuterRetryThatAlsoAdmitsTransientFailures_StillMultiplies(string clause)
        => VerifyAzureLoop(Recreate, Fixing(clause, "{|RES006:DownloadAsync|}"));

    /// <summary>
    /// An outer retry goes round on what the client lets out once its own retries give up only when one of its failure
    /// catches catches it. Azure.Core rethrows the one exception an attempt threw (an <c>IOException</c>, a timeout's
    /// <c>TaskCanceledException</c>), or an <c>AggregateException</c> of several, and a client turns a failed response into a
    /// <c>RequestFailedException</c>: a catch of any of these, or of a base type of one, sends the loop round.
    /// </summary>
    [Theory]
    [InlineData("catch (Azure.RequestFailedException) { }")]
    [InlineData("catch (AggregateException) { }")]
    [InlineData("catch (Exception) { }")]
    [InlineData("catch (SystemException) { }")]
    [InlineData("catch { }")]
    [InlineData("catch (System.IO.IOException e) when (!(e is System.IO.PathTooLongException)) { }")]
    [InlineData("catch (TaskCanceledException) { }")]
    [InlineData("catch (System.Text.Json.JsonException) { } catch (OperationCanceledException) { }")]
    public Task OuterRetryCatchingWhatTheClientLetsOut_Multiplies(string clause)
    {
        var test = VerifyAzureLoopTest(Recreate, Fixing(clause, "{|RES006:DownloadAsync|}"));
        test.DisabledDiagnostics.Add("RES005");
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>
    /// A loop that goes round only on a failure the client never lets out after its retries (a local file's, a parser's, a
    /// bug's) never re-sends what the client retried; a failure the client does let out aborts it. A catch of a type derived
    /// from a framework type the client lets out (<c>FileNotFoundException</c> from <c>IOException</c>) catches only that kind.
    /// </summary>
    [Theory]
    [InlineData("catch (System.Text.Json.JsonException) { }")]
    [InlineData("catch (InvalidOperationException) { Recreate(); }")]
    [InlineData("catch (System.IO.FileNotFoundException) { Recreate(); } catch (Exception) { return null; }")]
    [InlineData("catch (UnauthorizedAccessException) { } catch (System.Text.Json.JsonException) { }")]
    public Task OuterRetryOnFailuresTheClientNeverLetsOut_DoesNotMultiply(string clause)
    {
        var test = VerifyAzureLoopTest(Recreate, Fixing(clause, "DownloadAsync"));
        test.DisabledDiagnostics.Add("RES005");
        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>
    /// Both principles in one loop: the catch of a failure the client never lets out and the catch whose filter admits only a
    /// 404 leave the loop alone; a filter that also admits a 503 sends it round on what the client retried.
    /// </summary>
    [Fact]
    public Task OuterRetryMixingAForeignFailureAndANonTransientFilter_DoesNotMultiply_UnlessTheFilterAdmitsA5xx()
        => Task.WhenAll(
            VerifyAzureLoop(Recreate, Fixing("catch (System.Text.Json.JsonException) { } catch (Azure.RequestFailedException e) when (e.Status == 404) { Recreate(); }", "DownloadAsync")),
            VerifyAzureLoop(Recreate, Fixing("catch (System.Text.Json.JsonException) { } catch (Azure.RequestFailedException e) when (e.Status == 404 || e.Status == 503) { Recreate(); }", "{|RES006:DownloadAsync|}")));

    /// <summary>
    /// A catch between the call and the loop's catches may turn the client's failure into another one, and a lambda may run it
    /// elsewhere: what reaches the loop is then not known, and the layers are taken to multiply.
    /// </summary>
    [Fact]
    public Task ClientFailureTranslatedOnTheWay_IsTakenToMultiply()
        => VerifyAzureLoop(Recreate, """
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        try
                        {
                            try
                            {
                                return await blobs.{|RES006:DownloadAsync|}();
                            }
                            catch (Azure.RequestFailedException e)
                            {
                                throw new System.Text.Json.JsonException(e.Message);
                            }
                        }
                        catch (System.Text.Json.JsonException)
                        {
                            Recreate();
                        }
                    }
            """);

    private static string AroundDynamoCatching(string clause, string call) => Dynamo + $$"""
        class C
        {
            async Task<GetItemResponse> Outer(AmazonDynamoDBClient db)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        return await db.{{call}}(new GetItemRequest());
                    }
                    {{clause}}
                }

                throw new InvalidOperationException();
            }
        }
        """;

    /// <summary>
    /// The AWS SDK rethrows the last failure as it is: a service error (<c>AmazonServiceException</c> and each service's own
    /// subtype), an <c>IOException</c> but <c>FileNotFoundException</c>, a <c>WebException</c> or <c>ObjectDisposedException</c>
    /// (both <c>InvalidOperationException</c>s), an <c>HttpRequestException</c>, a timeout.
    /// </summary>
    [Theory]
    [InlineData("catch (Amazon.Runtime.AmazonServiceException) { }", true)]
    [InlineData("catch (AmazonDynamoDBException) { }", true)]
    [InlineData("catch (ProvisionedThroughputExceededException) { }", true)]
    [InlineData("catch (HttpRequestException) { }", true)]
    [InlineData("catch (System.IO.IOException) { }", true)]
    [InlineData("catch (InvalidOperationException) { }", true)]
    [InlineData("catch (TimeoutException) { }", true)]
    [InlineData("catch (System.IO.FileNotFoundException) { }", false)]
    [InlineData("catch (System.Text.Json.JsonException) { }", false)]
    [InlineData("catch (ArgumentException) { }", false)]
    public Task AwsClient_MultipliesOnlyWithACatchOfWhatItLetsOut(string clause, bool multiplies)
        => Verify(AroundDynamoCatching(clause, multiplies ? "{|RES006:GetItemAsync|}" : "GetItemAsync"));

    private const string CosmosLoop = """
        using Microsoft.Azure.Cosmos;

        class C
        {
            async Task<object> Outer(Container container)
            {
                for (var attempt = 0; attempt < 4; attempt++)
                {
                    try
                    {
                        return await container.CALL;
                    }
                    CATCH
                }

                throw new InvalidOperationException();
            }
        }
        """;

    /// <summary>
    /// EF Core wraps a failure it retried in a <c>RetryLimitExceededException</c>, gRPC fails with an <c>RpcException</c>, a
    /// Cosmos DB typed operation with a <c>CosmosException</c>; a stream operation returns its 429 instead, so what it lets out
    /// is not known and the layers are taken to multiply.
    /// </summary>
    [Fact]
    public Task GrpcEfCoreAndCosmos_MultiplyOnlyWithACatchOfWhatTheyLetOut()
        => Task.WhenAll(
            Verify(CosmosLoop.Replace("CALL", "ReadItemAsync<string>(\"id\", new PartitionKey(\"pk\"))", StringComparison.Ordinal)
                .Replace("CATCH", "catch (System.Text.Json.JsonException) { }", StringComparison.Ordinal)),
            Verify(CosmosLoop.Replace("CALL", "{|RES006:ReadItemAsync<string>|}(\"id\", new PartitionKey(\"pk\"))", StringComparison.Ordinal)
                .Replace("CATCH", "catch (CosmosOperationCanceledException) { }", StringComparison.Ordinal)),
            Verify(CosmosLoop.Replace("CALL", "{|RES006:ReadItemStreamAsync|}(\"id\", new PartitionKey(\"pk\"))", StringComparison.Ordinal)
                .Replace("CATCH", "catch (System.Text.Json.JsonException) { }", StringComparison.Ordinal)),
            Verify(EfCore.Replace("RETRIES", "", StringComparison.Ordinal).Replace("SAVE", "SaveChangesAsync", StringComparison.Ordinal)
                .Replace("Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException", "Microsoft.Data.SqlClient.SqlException", StringComparison.Ordinal)),
            Verify(EfCore.Replace("RETRIES", "", StringComparison.Ordinal).Replace("SAVE", "{|RES006:SaveChangesAsync|}", StringComparison.Ordinal)
                .Replace("Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException", "AggregateException", StringComparison.Ordinal)),
            Verify(Grpc.Replace("catch (RpcException)", "catch (System.IO.IOException)", StringComparison.Ordinal).Replace("{|RES006:HelloAsync|}", "HelloAsync", StringComparison.Ordinal)),
            Verify(Grpc));

    private const string Recreate = "static void Recreate() { }";

    private static string Fixing(string clause, string call) => $$"""
                var again = true;
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        return await blobs.{{call}}();
                    }
                    {{clause}}
                }
        """;

    /// <summary>
    /// A client's own retries wrap the requests it sends: a call that makes a child client, signs a URL, describes a query or
    /// tracks an entity sends nothing, so it is no layer, however often the loop runs it (a blob client made inside a retry
    /// loop was reported as making 4 attempts of its own).
    /// </summary>
    [Fact]
    public Task SdkCallsThatSendNoRequest_AreNoLayer()
        => Task.WhenAll(
            VerifyAzure("", "GetChildClient"),
            VerifyAzure("", "GetSasUri"),
            Verify(AroundDynamo("""new Amazon.S3.AmazonS3Client().GetPreSignedURL(new Amazon.S3.Model.GetPreSignedUrlRequest()); db.Dispose(); return await db.{|RES006:GetItemAsync|}(new GetItemRequest());""")),
            Verify("""
                using Microsoft.Azure.Cosmos;

                class C
                {
                    async Task<ItemResponse<string>> Outer(CosmosClient client)
                    {
                        for (var attempt = 0; attempt < 4; attempt++)
                        {
                            try
                            {
                                var container = client.GetContainer("db", "items");
                                var query = container.GetItemQueryIterator<string>("SELECT * FROM c");
                                return await container.{|RES006:ReadItemAsync<string>|}("id", new PartitionKey("pk"));
                            }
                            catch (CosmosException)
                            {
                                await Task.Delay(100 * (1 << attempt));
                            }
                        }

                        throw new InvalidOperationException();
                    }
                }
                """),
            Verify(EfCore.Replace("RETRIES", "", StringComparison.Ordinal).Replace(
                "return await db.SAVE();",
                "db.Add(new object()); var query = db.Set<object>().Where(o => o != null).AsNoTracking(); db.Entry(new object()); return await db.{|RES006:SaveChangesAsync|}();",
                StringComparison.Ordinal).Replace("using Microsoft.EntityFrameworkCore;", "using System.Linq;\nusing Microsoft.EntityFrameworkCore;", StringComparison.Ordinal)),
            Verify(EfCore.Replace("RETRIES", "", StringComparison.Ordinal).Replace(
                "return await db.SAVE();",
                "return await db.Set<string>().Where(o => o != null).{|RES006:CountAsync|}();",
                StringComparison.Ordinal).Replace("using Microsoft.EntityFrameworkCore;", "using System.Linq;\nusing Microsoft.EntityFrameworkCore;", StringComparison.Ordinal)));

    [Fact]
    public Task CosmosContainerInsideLoop_IsReported()
        => Verify("""
            using Microsoft.Azure.Cosmos;

            class C
            {
                async Task<ItemResponse<string>> Outer(Container container)
                {
                    for (var attempt = 0; attempt < 4; attempt++)
                    {
                        try
                        {
                            return await container.{|RES006:ReadItemAsync<string>|}("id", new PartitionKey("pk"));
                        }
                        catch (CosmosException)
                        {
                            await Task.Delay(100 * (1 << attempt));
                        }
                    }

                    throw new InvalidOperationException();
                }
            }
            """);

    private const string EfCore = """
        using Microsoft.EntityFrameworkCore;

        class ShopContext : DbContext
        {
            protected override void OnConfiguring(DbContextOptionsBuilder options)
                => options.UseSqlServer("Server=db", sql => sql.EnableRetryOnFailure(RETRIES));
        }

        class C
        {
            async Task<int> Save(ShopContext db)
            {
                for (var attempt = 0; attempt < 4; attempt++)
                {
                    try
                    {
                        return await db.SAVE();
                    }
                    catch (Microsoft.EntityFrameworkCore.Storage.RetryLimitExceededException)
                    {
                        await Task.Delay(100 * (1 << attempt));
                    }
                }

                throw new InvalidOperationException();
            }
        }
        """;

    [Fact]
    public Task EfCoreContextWithRetryOnFailure_IsReported_UnlessItsRetriesAreZero()
        => Task.WhenAll(
            Verify(EfCore.Replace("RETRIES", "", StringComparison.Ordinal).Replace("SAVE", "{|RES006:SaveChangesAsync|}", StringComparison.Ordinal)),
            Verify(EfCore.Replace("RETRIES", "0", StringComparison.Ordinal).Replace("SAVE", "SaveChangesAsync", StringComparison.Ordinal)),
            Verify(EfCore.Replace("sql => sql.EnableRetryOnFailure(RETRIES)", "sql => { }", StringComparison.Ordinal).Replace("SAVE", "SaveChangesAsync", StringComparison.Ordinal)));

    private const string Grpc = """
            using Grpc.Core;
            using Grpc.Net.Client;
            using Grpc.Net.Client.Configuration;

            class Greeter : ClientBase<Greeter>
            {
                public Greeter(ChannelBase channel) : base(channel) { }
                protected Greeter(ClientBaseConfiguration configuration) : base(configuration) { }
                protected override Greeter NewInstance(ClientBaseConfiguration configuration) => new Greeter(configuration);
                public virtual Task<string> HelloAsync(CancellationToken token) => new HttpClient().GetStringAsync("https://greeter", token);
            }

            class C
            {
                static readonly GrpcChannel Channel = GrpcChannel.ForAddress("https://greeter", new GrpcChannelOptions
                {
                    ServiceConfig = new ServiceConfig { MethodConfigs = { new MethodConfig { Names = { MethodName.Default }, RetryPolicy = new RetryPolicy
                    {
                        MaxAttempts = 4, InitialBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(5), BackoffMultiplier = 1.5,
                        RetryableStatusCodes = { StatusCode.Unavailable },
                    } } } },
                });

                async Task<string> Outer(CancellationToken token)
                {
                    var client = new Greeter(Channel);
                    for (var attempt = 0; attempt < 4; attempt++)
                    {
                        try
                        {
                            return await client.{|RES006:HelloAsync|}(token);
                        }
                        catch (RpcException)
                        {
                            await Task.Delay(100 * (1 << attempt), token);
                        }
                    }

                    throw new InvalidOperationException();
                }
            }
            """;

    [Fact]
    public Task GrpcClientOnAChannelWithARetryPolicy_IsReported()
        => Verify(Grpc);

    [Fact]
    public Task TwoAddRetryInOnePipeline_IsReportedOnTheSecond_ATimeoutOrBreakerIsNot()
        => Verify("""
            using Polly;
            using Polly.CircuitBreaker;
            using Polly.Retry;

            class C
            {
                ResiliencePipeline Twice() => new ResiliencePipelineBuilder()
                    .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 2 })
                    .AddTimeout(TimeSpan.FromSeconds(10))
                    .{|RES006:AddRetry|}(new RetryStrategyOptions())
                    .Build();

                ResiliencePipeline Once() => new ResiliencePipelineBuilder()
                    .AddRetry(new RetryStrategyOptions())
                    .AddCircuitBreaker(new CircuitBreakerStrategyOptions())
                    .AddTimeout(TimeSpan.FromSeconds(10))
                    .Build();
            }
            """);

    [Fact]
    public Task PolicyWrapOfTwoRetries_IsReportedOnTheInner_RetryAndBreakerIsNot()
        => Verify("""
            using Polly;

            class C
            {
                IAsyncPolicy Twice()
                {
                    var outer = Policy.Handle<HttpRequestException>().WaitAndRetryAsync(3, n => TimeSpan.FromSeconds(n));
                    var inner = Policy.Handle<HttpRequestException>().RetryAsync(2);
                    return Policy.WrapAsync(outer, {|RES006:inner|});
                }

                IAsyncPolicy WithBreaker()
                {
                    var retry = Policy.Handle<HttpRequestException>().WaitAndRetryAsync(3, n => TimeSpan.FromSeconds(n));
                    var breaker = Policy.Handle<HttpRequestException>().CircuitBreakerAsync(5, TimeSpan.FromSeconds(30));
                    return Policy.WrapAsync(retry, breaker);
                }
            }
            """);

    [Fact]
    public Task MassTransitRedeliveryAroundMessageRetry_IsReported()
        => Verify("""
            using MassTransit;

            class C
            {
                void Configure(IReceiveEndpointConfigurator e)
                {
                    e.UseDelayedRedelivery(r => r.Intervals(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15)));
                    e.{|RES006:UseMessageRetry|}(r => r.Exponential(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2)));
                }

                void RetryOnly(IReceiveEndpointConfigurator e)
                    => e.UseMessageRetry(r => r.Exponential(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2)));
            }
            """);

    [Fact]
    public Task TestProjects_AreSkipped()
    {
        var test = new Verifier.Test { TestCode = Usings + Retrying("return await Fetch(client);") + InnerLoop, VerifiesLayerRules = true };
        test.DisabledDiagnostics.AddRange(new[] { "RES001", "RES002", "RES003", "RES004" });
        Verifiers.TestSetup.AddStandInLibrary(test.TestState, "namespace Xunit { public sealed class FactAttribute : System.Attribute { } }", "xunit.core");
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task BrokenCode_DoesNotCrash()
    {
        var test = new Verifier.Test
        {
            TestCode = Usings + Retrying("return await Fetch(client, );") + """
                    async Task<string> Fetch(HttpClient client) { for (var i = 0; i < 3; i++) { try { return await client.GetStringAsync(; } catch (HttpRequestException) { } } throw null; }
                }
                """,
            VerifiesLayerRules = true,
        };
        test.DisabledDiagnostics.AddRange(new[] { "RES001", "RES002", "RES003", "RES004" });
        test.CompilerDiagnostics = CompilerDiagnostics.None;
        return test.RunAsync(CancellationToken.None);
    }
}
