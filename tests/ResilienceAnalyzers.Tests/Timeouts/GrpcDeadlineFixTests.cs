using ResilienceAnalyzers.CodeFixes.Timeouts;
using ResilienceAnalyzers.Tests.Verifiers;
using Fix = ResilienceAnalyzers.Tests.Verifiers.CSharpCodeFixVerifier<ResilienceAnalyzers.Timeouts.TimeoutAnalyzer, ResilienceAnalyzers.CodeFixes.Timeouts.GrpcDeadlineCodeFixProvider>;

namespace ResilienceAnalyzers.Tests.Timeouts;

/// <summary>The RES011 fix: a deadline argument, or a deadline in the CallOptions passed; one at a time and Fix All.</summary>
public sealed class GrpcDeadlineFixTests
{
    private static Task Verify(string source, string fixedSource, string? editorConfig = null)
        => Fix.VerifyCodeFixAsync(
            GrpcDeadlineTests.GeneratedClient + source,
            GrpcDeadlineTests.GeneratedClient + fixedSource,
            TestLibraries.Grpc,
            editorConfig,
            GrpcDeadlineCodeFixProvider.AddDeadlineKey);

    [Fact]
    public Task Adds_A_Deadline_Argument()
        => Verify(
            """
            namespace App
            {
                using Shop;

                class C
                {
                    async Task Call(Orders.OrdersClient client, CancellationToken token)
                    {
                        await client.{|RES011:GetOrderAsync|}(new OrderRequest());
                        await client.{|RES011:GetOrderAsync|}(new OrderRequest(), cancellationToken: CancellationToken.None);
                        // Not reported, left as is: the caller's token may carry its deadline.
                        await client.GetOrderAsync(new OrderRequest(), cancellationToken: token);
                        client.{|RES011:GetOrder|}(new OrderRequest(), deadline: null);
                        client.{|RES011:GetOrder|}(new OrderRequest(), null, null, CancellationToken.None);
                        using var upload = client.{|RES011:Upload|}();
                    }
                }
            }
            """,
            """
            namespace App
            {
                using Shop;

                class C
                {
                    async Task Call(Orders.OrdersClient client, CancellationToken token)
                    {
                        await client.GetOrderAsync(new OrderRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
                        await client.GetOrderAsync(new OrderRequest(), cancellationToken: CancellationToken.None, deadline: DateTime.UtcNow.AddSeconds(30));
                        // Not reported, left as is: the caller's token may carry its deadline.
                        await client.GetOrderAsync(new OrderRequest(), cancellationToken: token);
                        client.GetOrder(new OrderRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
                        client.GetOrder(new OrderRequest(), null, DateTime.UtcNow.AddSeconds(30), CancellationToken.None);
                        using var upload = client.Upload(deadline: DateTime.UtcNow.AddSeconds(30));
                    }
                }
            }
            """);

    [Fact]
    public Task Puts_The_Deadline_Into_CallOptions()
        => Verify(
            """
            namespace App
            {
                using Shop;

                class C
                {
                    void Call(Orders.OrdersClient client, Metadata headers, CancellationToken token)
                    {
                        client.{|RES011:GetOrder|}(new OrderRequest(), new CallOptions());
                        client.{|RES011:GetOrder|}(new OrderRequest(), new CallOptions(headers, null, CancellationToken.None));
                        client.{|RES011:GetOrder|}(new OrderRequest(), new CallOptions(cancellationToken: CancellationToken.None));
                        // Not reported, left as is: the caller's token may carry its deadline.
                        client.GetOrder(new OrderRequest(), new CallOptions(cancellationToken: token));
                        client.{|RES011:GetOrder|}(new OrderRequest(), default);
                        var options = new CallOptions(headers);
                        client.{|RES011:GetOrder|}(new OrderRequest(), options);
                        client.{|RES011:GetOrder|}(new OrderRequest(), options.WithCancellationToken(CancellationToken.None));
                    }
                }
            }
            """,
            """
            namespace App
            {
                using Shop;

                class C
                {
                    void Call(Orders.OrdersClient client, Metadata headers, CancellationToken token)
                    {
                        client.GetOrder(new OrderRequest(), new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)));
                        client.GetOrder(new OrderRequest(), new CallOptions(headers, DateTime.UtcNow.AddSeconds(30), CancellationToken.None));
                        client.GetOrder(new OrderRequest(), new CallOptions(cancellationToken: CancellationToken.None, deadline: DateTime.UtcNow.AddSeconds(30)));
                        // Not reported, left as is: the caller's token may carry its deadline.
                        client.GetOrder(new OrderRequest(), new CallOptions(cancellationToken: token));
                        client.GetOrder(new OrderRequest(), new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)));
                        var options = new CallOptions(headers);
                        client.GetOrder(new OrderRequest(), options.WithDeadline(DateTime.UtcNow.AddSeconds(30)));
                        client.GetOrder(new OrderRequest(), options.WithCancellationToken(CancellationToken.None).WithDeadline(DateTime.UtcNow.AddSeconds(30)));
                    }
                }
            }
            """);

    [Fact]
    public Task Option_Sets_The_Deadline()
        => Fix.VerifyCodeFixAsync(
            GrpcDeadlineTests.GeneratedClient + """
            namespace App
            {
                class C
                {
                    void Call(Shop.Orders.OrdersClient client) => client.{|RES011:GetOrder|}(new Shop.OrderRequest());
                }
            }
            """,
            GrpcDeadlineTests.GeneratedClient + """
            namespace App
            {
                class C
                {
                    void Call(Shop.Orders.OrdersClient client) => client.GetOrder(new Shop.OrderRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
                }
            }
            """,
            TestLibraries.Grpc,
            editorConfig: "RES011.deadline_seconds = 5");

    [Fact]
    public async Task Using_System_Is_Added_Where_DateTime_Is_Not_In_Scope()
    {
        const string app = """
            namespace App
            {
                class C
                {
                    void Call(Shop.Orders.OrdersClient client, Grpc.Core.CallOptions options)
                    {
                        client.{|RES011:GetOrder|}(new Shop.OrderRequest());
                        client.{|RES011:GetOrder|}(new Shop.OrderRequest(), default(Grpc.Core.CallOptions));
                    }
                }
            }
            """;
        const string fixedApp = """
            using System;
            using Grpc.Core;

            namespace App
            {
                class C
                {
                    void Call(Shop.Orders.OrdersClient client, Grpc.Core.CallOptions options)
                    {
                        client.GetOrder(new Shop.OrderRequest(), deadline: DateTime.UtcNow.AddSeconds(30));
                        client.GetOrder(new Shop.OrderRequest(), new CallOptions(deadline: DateTime.UtcNow.AddSeconds(30)));
                    }
                }
            }
            """;
        var test = new Fix.Test { TestLibraries = TestLibraries.Grpc };
        test.TestState.Sources.Add(("/0/Client.cs", GrpcDeadlineTests.GeneratedClient));
        test.TestState.Sources.Add(("/0/App.cs", app));
        test.FixedState.Sources.Add(("/0/Client.cs", GrpcDeadlineTests.GeneratedClient));
        test.FixedState.Sources.Add(("/0/App.cs", fixedApp));
        await test.RunAsync();
    }

    [Fact]
    public Task Nested_Calls_Are_Fixed_Together()
        => Verify(
            """
            namespace App
            {
                using Shop;

                class C
                {
                    OrderReply Call(Orders.OrdersClient client)
                        => client.{|RES011:GetOrder|}(new OrderRequest { Id = client.{|RES011:GetOrder|}(new OrderRequest()).Status.Length });
                }
            }
            """,
            """
            namespace App
            {
                using Shop;

                class C
                {
                    OrderReply Call(Orders.OrdersClient client)
                        => client.GetOrder(new OrderRequest { Id = client.GetOrder(new OrderRequest(), deadline: DateTime.UtcNow.AddSeconds(30)).Status.Length }, deadline: DateTime.UtcNow.AddSeconds(30));
                }
            }
            """);
}
