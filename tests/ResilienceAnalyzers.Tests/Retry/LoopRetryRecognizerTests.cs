using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using ResilienceAnalyzers.Retry;
using ResilienceAnalyzers.Tests.Verifiers;

namespace ResilienceAnalyzers.Tests.Retry;

/// <summary>The loop recogniser's model on its own: which loops are retries, and what bounds them.</summary>
public sealed class LoopRetryRecognizerTests
{
    [Theory]
    [InlineData("while (true)", "", null)]
    [InlineData("for (var i = 0; i < 3; i++)", "", AttemptBoundKind.Counter)]
    [InlineData("while (attempt < 5)", "attempt++;", AttemptBoundKind.Counter)]
    [InlineData("while (true)", "if (++attempt >= 3) throw;", AttemptBoundKind.Counter)]
    [InlineData("while (clock.Elapsed < TimeSpan.FromSeconds(5))", "", AttemptBoundKind.Deadline)]
    [InlineData("while (DateTime.UtcNow < deadline)", "", AttemptBoundKind.Deadline)]
    [InlineData("while (!token.IsCancellationRequested)", "", AttemptBoundKind.Cancellation)]
    [InlineData("while (true)", "if (!pool.TryAcquire()) throw;", AttemptBoundKind.Counter)]
    [InlineData("while (true)", "if (!IsTransient(ex)) throw;", null)]
    public void Bound(string loop, string onFailure, AttemptBoundKind? expected)
    {
        var construct = Recognize($$"""
            {{loop}}
            {
                try
                {
                    return await client.GetStringAsync(url);
                }
                catch (HttpRequestException ex)
                {
                    {{onFailure}}
                }
            }
            """);

        Assert.NotNull(construct);
        Assert.Equal(expected ?? AttemptBoundKind.None, construct!.Bound.Kind);
    }

    [Theory]
    [InlineData("while (!token.IsCancellationRequested) { try { var c = await listener.AcceptTcpClientAsync(token); } catch (SocketException) { } }")]
    [InlineData("while (true) { try { var line = await reader.ReadLineAsync(); if (line == null) break; } catch (IOException) { } }")]
    [InlineData("while (true) { try { return int.Parse(Console.ReadLine()); } catch (FormatException) { } }")]
    [InlineData("while (true) { try { return await client.GetStringAsync(url); } catch (HttpRequestException) { throw; } }")]
    [InlineData("while (true) { try { return await client.GetStringAsync(url); } catch (HttpRequestException) { if (!budget.TryAcquire()) throw; } }")]
    public void NotARetry(string loop)
        => Assert.Null(Recognize(loop));

    private static RetryConstruct? Recognize(string loop)
    {
        var source = $$"""
            using System;
            using System.Diagnostics;
            using System.IO;
            using System.Net.Http;
            using System.Net.Sockets;
            using System.Threading;
            using System.Threading.Tasks;

            interface IBudget { bool TryAcquire(); }

            class RetryBudget { private int _left = 10; public bool TryAcquire() => --_left > 0; }

            class C
            {
                async Task<object> M(HttpClient client, string url, CancellationToken token, IBudget budget, RetryBudget pool, TcpListener listener, StreamReader reader)
                {
                    var attempt = 0;
                    var clock = Stopwatch.StartNew();
                    var deadline = DateTime.UtcNow.AddSeconds(5);
                    {{loop}}
                    return null;
                }

                static bool IsTransient(Exception ex) => true;
            }
            """;
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        var compilation = CSharpCompilation.Create("Recognize", new[] { tree }, TestReferences.For(TestLibraries.None), new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));

        var model = compilation.GetSemanticModel(tree);
        var loopSyntax = tree.GetRoot().DescendantNodes().OfType<StatementSyntax>().First(s => s is WhileStatementSyntax or ForStatementSyntax or DoStatementSyntax);
        var operation = (ILoopOperation)model.GetOperation(loopSyntax)!;
        return LoopRetryRecognizer.Recognize(operation, RetryRecognitionContext.Create(compilation), CancellationToken.None);
    }
}
