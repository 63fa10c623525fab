using ResilienceAnalyzers.Tests.Verifiers;

namespace ResilienceAnalyzers.Tests.Retry;

/// <summary>RES001-RES003 on <c>goto</c> retries and methods that call themselves from a catch.</summary>
public sealed class GotoAndRecursionRetryTests
{
    private const string Usings = """
        using System;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        """;

    private static Task Verify(string source, string? editorConfig = null)
        => CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>.VerifyAnalyzerAsync(Usings + source, TestLibraries.None, editorConfig);

    [Fact]
    public Task GotoBackToLabel_Unbounded_ReportsOnGotoKeyword()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client, string url)
                {
                retry:
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException)
                    {
                        {|RES001:{|RES002:goto|}|} retry;
                    }
                }
            }
            """);

    [Fact]
    public Task GotoWithCounterAndGrowingDelay_ReportsRes003Only()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client, string url)
                {
                    var attempt = 0;
                retry:
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException) when (attempt < 3)
                    {
                        attempt++;
                        await Task.Delay(100 * (1 << attempt));
                        {|RES003:goto|} retry;
                    }
                }
            }
            """);

    [Fact]
    public Task GotoForward_IsNotARetry()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client, string url)
                {
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException)
                    {
                        goto fail;
                    }

                fail:
                    return null;
                }
            }
            """);

    [Fact]
    public Task RecursionWithSameArguments_Unbounded()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client, string url)
                {
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(1000);
                        return await {|RES001:{|RES002:Get(client, url)|}|};
                    }
                }
            }
            """);

    /// <summary>
    /// Insert-if-missing under a race: the update finds no row, the insert loses to another writer with a
    /// duplicate key, and the method runs again to take the update path. Not a retry of a failing dependency.
    /// </summary>
    [Fact]
    public Task RecursionFromAWriteConflictCatch_IsNotARetry()
        => Verify("""
            namespace Microsoft.EntityFrameworkCore
            {
                public class DbUpdateException : Exception { }
                public class DbUpdateConcurrencyException : DbUpdateException { }
            }

            namespace Counters
            {
                using Microsoft.EntityFrameworkCore;

                public interface ICounterTable
                {
                    Task<int> IncrementAsync(string name, CancellationToken token);
                    Task InsertAsync(string name, long value, CancellationToken token);
                }

                public sealed class SequenceStore(ICounterTable table)
                {
                    public async Task<long> NextAsync(string name, CancellationToken token)
                    {
                        if (await table.IncrementAsync(name, token) > 0)
                        {
                            return 0;
                        }

                        try
                        {
                            await table.InsertAsync(name, 1, token);
                        }
                        catch (DbUpdateException)
                        {
                            return await NextAsync(name, token);
                        }

                        return 1;
                    }

                    public async Task<long> ResetAsync(string name, CancellationToken token)
                    {
                        try
                        {
                            await table.InsertAsync(name, 0, token);
                            return 0;
                        }
                        catch (VersionConflictException)
                        {
                            return await ResetAsync(name, token);
                        }
                    }
                }

                public sealed class VersionConflictException : Exception { }
            }
            """);

    /// <summary>
    /// The catch decides: a DbUpdateException the compilation cannot resolve (EF Core not referenced) still
    /// names a conflict, while the same shape catching a network failure is a retry.
    /// </summary>
    [Theory]
    [InlineData("{|CS0246:DbUpdateException|}", "ResetAsync(name, token)")]
    [InlineData("HttpRequestException", "{|RES001:{|RES002:ResetAsync(name, token)|}|}")]
    public Task RecursionFromACatch_IsARetryUnlessTheCatchIsAConflict(string caught, string recursion)
        => Verify($$"""
            public interface ICounterTable
            {
                Task InsertAsync(string name, long value, CancellationToken token);
            }

            public sealed class SequenceStore(ICounterTable table)
            {
                public async Task<long> ResetAsync(string name, CancellationToken token)
                {
                    try
                    {
                        await table.InsertAsync(name, 0, token);
                        return 0;
                    }
                    catch ({{caught}})
                    {
                        return await {{recursion}};
                    }
                }
            }
            """);

    [Fact]
    public Task RecursionWithAttemptArgumentAndGuard_IsBounded()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client, string url, int attempt = 0)
                {
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException) when (attempt < 3)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * 200 * Math.Pow(2, attempt)));
                        return await Get(client, url, attempt + 1);
                    }
                }
            }
            """);

    [Fact]
    public Task RecursionWithAttemptArgument_NoGuard_ReportsRes001()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client, string url, int attempt)
                {
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * 200 * Math.Pow(2, attempt)));
                        return await {|RES001:Get(client, url, attempt + 1)|};
                    }
                }
            }
            """);

    // A countdown argument guarded in the catch bounds the recursion; the fixed sleep before it is no backoff.
    [Fact]
    public Task RecursionCountingDownWithAFixedSleep_ReportsRes002()
        => Verify("""
            class C
            {
                string Get(HttpClient client, string url, int retries = 3)
                {
                    try
                    {
                        return client.GetStringAsync(url).Result;
                    }
                    catch (Exception)
                    {
                        if (retries > 0)
                        {
                            Thread.Sleep(1000);
                            return {|RES002:Get(client, url, retries - 1)|};
                        }

                        throw;
                    }
                }
            }
            """);

    // A directory server (LDAP through System.DirectoryServices) is a dependency across the network.
    [Fact]
    public async Task RecursionAroundADirectoryServerConnection_IsARetry()
    {
        var test = new CSharpAnalyzerVerifier<ResilienceAnalyzers.Retry.RetryAnalyzer>.Test
        {
            TestCode = Usings + """
                using System.DirectoryServices.AccountManagement;

                class Directory
                {
                    T Run<T>(Func<PrincipalContext, T> command, int retries = 3)
                    {
                        try
                        {
                            using var context = new PrincipalContext(ContextType.Domain);
                            return command(context);
                        }
                        catch (Exception)
                        {
                            if (retries > 0)
                            {
                                Thread.Sleep(1000);
                                return {|RES002:Run(command, retries - 1)|};
                            }

                            throw;
                        }
                    }
                }
                """,
            TestLibraries = TestLibraries.None,
        };
        TestSetup.AddStandInLibrary(test.TestState, """
            namespace System.DirectoryServices.AccountManagement
            {
                public enum ContextType { Machine, Domain }
                public class PrincipalContext : System.IDisposable
                {
                    public PrincipalContext(ContextType type) { }
                    public void Dispose() { }
                }
            }
            """);
        await test.RunAsync();
    }

    [Fact]
    public Task RecursionWithDifferentArguments_IsNotARetry()
        => Verify("""
            class C
            {
                async Task<string> Get(HttpClient client, string url)
                {
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException)
                    {
                        return await Get(client, "https://fallback.example.test/");
                    }
                }
            }
            """);

    [Fact]
    public Task RecursionOutsideCatch_IsNotARetry()
        => Verify("""
            class C
            {
                int Depth(HttpClient client, int n) => n == 0 ? 0 : Depth(client, n - 1);
            }
            """);
}
