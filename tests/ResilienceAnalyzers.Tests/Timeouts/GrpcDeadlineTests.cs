using ResilienceAnalyzers.Tests.Verifiers;

namespace ResilienceAnalyzers.Tests.Timeouts;

/// <summary>RES011: calls on generated gRPC clients with no deadline, against the real Grpc.Core.Api.</summary>
public sealed class GrpcDeadlineTests
{
    /// <summary>A client shaped like the one grpc_csharp_plugin generates (unary, server streaming, client streaming, duplex).</summary>
    internal const string GeneratedClient = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Grpc.Core;

        namespace Shop
        {
            public sealed class OrderRequest { public int Id { get; set; } }
            public sealed class OrderReply { public string Status { get; set; } = ""; }

            public static partial class Orders
            {
                static readonly Marshaller<OrderRequest> RequestMarshaller = Marshallers.Create(_ => Array.Empty<byte>(), _ => new OrderRequest());
                static readonly Marshaller<OrderReply> ReplyMarshaller = Marshallers.Create(_ => Array.Empty<byte>(), _ => new OrderReply());
                static readonly Method<OrderRequest, OrderReply> GetOrderMethod = new(MethodType.Unary, "shop.Orders", "GetOrder", RequestMarshaller, ReplyMarshaller);
                static readonly Method<OrderRequest, OrderReply> WatchMethod = new(MethodType.ServerStreaming, "shop.Orders", "Watch", RequestMarshaller, ReplyMarshaller);
                static readonly Method<OrderRequest, OrderReply> UploadMethod = new(MethodType.ClientStreaming, "shop.Orders", "Upload", RequestMarshaller, ReplyMarshaller);
                static readonly Method<OrderRequest, OrderReply> ChatMethod = new(MethodType.DuplexStreaming, "shop.Orders", "Chat", RequestMarshaller, ReplyMarshaller);

                public partial class OrdersClient : ClientBase<OrdersClient>
                {
                    public OrdersClient(ChannelBase channel) : base(channel) { }
                    public OrdersClient(CallInvoker callInvoker) : base(callInvoker) { }
                    protected OrdersClient() : base() { }
                    protected OrdersClient(ClientBaseConfiguration configuration) : base(configuration) { }

                    public virtual OrderReply GetOrder(OrderRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
                        => GetOrder(request, new CallOptions(headers, deadline, cancellationToken));
                    public virtual OrderReply GetOrder(OrderRequest request, CallOptions options)
                        => CallInvoker.BlockingUnaryCall(GetOrderMethod, null, options, request);
                    public virtual AsyncUnaryCall<OrderReply> GetOrderAsync(OrderRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
                        => GetOrderAsync(request, new CallOptions(headers, deadline, cancellationToken));
                    public virtual AsyncUnaryCall<OrderReply> GetOrderAsync(OrderRequest request, CallOptions options)
                        => CallInvoker.AsyncUnaryCall(GetOrderMethod, null, options, request);
                    public virtual AsyncServerStreamingCall<OrderReply> Watch(OrderRequest request, Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
                        => Watch(request, new CallOptions(headers, deadline, cancellationToken));
                    public virtual AsyncServerStreamingCall<OrderReply> Watch(OrderRequest request, CallOptions options)
                        => CallInvoker.AsyncServerStreamingCall(WatchMethod, null, options, request);
                    public virtual AsyncClientStreamingCall<OrderRequest, OrderReply> Upload(Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
                        => Upload(new CallOptions(headers, deadline, cancellationToken));
                    public virtual AsyncClientStreamingCall<OrderRequest, OrderReply> Upload(CallOptions options)
                        => CallInvoker.AsyncClientStreamingCall(UploadMethod, null, options);
                    public virtual AsyncDuplexStreamingCall<OrderRequest, OrderReply> Chat(Metadata? headers = null, DateTime? deadline = null, CancellationToken cancellationToken = default)
                        => Chat(new CallOptions(headers, deadline, cancellationToken));
                    public virtual AsyncDuplexStreamingCall<OrderRequest, OrderReply> Chat(CallOptions options)
                        => CallInvoker.AsyncDuplexStreamingCall(ChatMethod, null, options);
                    protected override OrdersClient NewInstance(ClientBaseConfiguration configuration) => new OrdersClient(configuration);
                }
            }
        }

        """;

    private static Task Verify(string source, TestLibraries libraries = TestLibraries.Grpc)
        => CSharpAnalyzerVerifier<ResilienceAnalyzers.Timeouts.TimeoutAnalyzer>.VerifyAnalyzerAsync(GeneratedClient + source, libraries, editorConfig: null);

    [Fact]
    public Task Unary_Calls_Without_Deadline()
        => Verify("""
            namespace App
            {
                using Shop;

                class C
                {
                    async Task<string> Get(Orders.OrdersClient client, CancellationToken token)
                    {
                        var reply = await client.{|RES011:GetOrderAsync|}(new OrderRequest { Id = 1 });
                        // Not reported: the caller's token may carry its deadline.
                        var again = await client.GetOrderAsync(new OrderRequest(), cancellationToken: token);
                        var sync = client.{|RES011:GetOrder|}(new OrderRequest(), new Metadata());
                        var nulled = await client.{|RES011:GetOrderAsync|}(new OrderRequest(), deadline: null);
                        // Not reported: the caller's token may carry its deadline.
                        var positional = client.GetOrder(new OrderRequest(), null, null, token);
                        return reply.Status + again.Status + sync.Status + nulled.Status + positional.Status;
                    }
                }
            }
            """);

    [Fact]
    public Task Streaming_Calls_Without_Deadline()
        => Verify("""
            namespace App
            {
                using Shop;

                class C
                {
                    void Stream(Orders.OrdersClient client)
                    {
                        // Not reported: a server stream stays open by design.
                        using var watch = client.Watch(new OrderRequest());
                        using var upload = client.{|RES011:Upload|}();
                        // Not reported: a duplex stream stays open by design.
                        using var chat = client?.Chat();
                    }
                }
            }
            """);

    [Fact]
    public Task CallOptions_Without_Deadline()
        => Verify("""
            namespace App
            {
                using Shop;

                class C
                {
                    void Call(Orders.OrdersClient client, Metadata headers, CancellationToken token)
                    {
                        client.{|RES011:GetOrder|}(new OrderRequest(), new CallOptions());
                        client.{|RES011:GetOrder|}(new OrderRequest(), default);
                        client.{|RES011:GetOrder|}(new OrderRequest(), default(CallOptions));
                        // Not reported: the caller's token may carry its deadline.
                        client.GetOrder(new OrderRequest(), new CallOptions(headers: headers, cancellationToken: token));
                        client.GetOrder(new OrderRequest(), new CallOptions(headers).WithCancellationToken(token)); // Not reported: the caller's token may carry its deadline.
                        var options = new CallOptions(headers);
                        client.{|RES011:GetOrder|}(new OrderRequest(), options);
                    }
                }
            }
            """);

    [Fact]
    public Task Caller_Token_Or_Open_Stream_Is_Not_Flagged_None_Token_Is()
        => Verify("""
            namespace App
            {
                using Shop;

                class C
                {
                    async Task Call(Orders.OrdersClient client, CancellationToken cancellationToken)
                    {
                        // Not reported: the caller's token may carry its deadline.
                        await client.GetOrderAsync(new OrderRequest(), cancellationToken: cancellationToken);
                        // Reported: CancellationToken.None can never end the call.
                        await client.{|RES011:GetOrderAsync|}(new OrderRequest(), cancellationToken: CancellationToken.None);
                        // Not reported: a server stream stays open by design.
                        using var watch = client.Watch(new OrderRequest());
                        // Reported: a client stream is not a subscription; nothing ends it if the server hangs.
                        using var upload = client.{|RES011:Upload|}();
                    }
                }
            }
            """);

    [Fact]
    public Task A_Deadline_That_Reaches_The_Call_Is_Not_Flagged()
        => Verify("""
            namespace App
            {
                using Shop;

                class C
                {
                    async Task Call(Orders.OrdersClient client, DateTime deadline, CallOptions given, ServerCallContext context)
                    {
                        await client.GetOrderAsync(new OrderRequest(), deadline: DateTime.UtcNow.AddSeconds(5));
                        client.GetOrder(new OrderRequest(), null, DateTime.UtcNow.AddSeconds(5));
                        client.GetOrder(new OrderRequest(), deadline: deadline);
                        client.GetOrder(new OrderRequest(), deadline: context.Deadline);
                        client.GetOrder(new OrderRequest(), new CallOptions(deadline: deadline));
                        client.GetOrder(new OrderRequest(), new CallOptions().WithDeadline(deadline));
                        client.GetOrder(new OrderRequest(), new CallOptions().WithDeadline(deadline).WithHeaders(new Metadata()));
                        client.GetOrder(new OrderRequest(), new CallOptions(propagationToken: context.CreatePropagationToken()));
                        client.GetOrder(new OrderRequest(), given);
                        client.GetOrder(new OrderRequest(), Options());
                        var options = new CallOptions();
                        options = options.WithDeadline(deadline);
                        client.GetOrder(new OrderRequest(), options);
                        using var watch = client.Watch(new OrderRequest(), deadline: DateTime.UtcNow.AddMinutes(5));
                    }

                    CallOptions Options() => new CallOptions(deadline: DateTime.UtcNow.AddSeconds(5));
                }
            }
            """);

    [Fact]
    public Task Client_Base_Members_And_Other_Types_Are_Not_Flagged()
        => Verify("""
            namespace App
            {
                using Shop;

                class Other
                {
                    public void Send(string message, DateTime? deadline = null) { }
                }

                class C
                {
                    void Call(Orders.OrdersClient client, Other other)
                    {
                        var scoped = client;
                        other.Send("x");
                    }
                }
            }
            """);

    [Fact]
    public Task DateTime_MaxValue_Is_No_Deadline()
        => Verify("""
            namespace App
            {
                using Shop;

                class C
                {
                    void Call(Orders.OrdersClient client)
                    {
                        client.{|RES011:GetOrder|}(new OrderRequest(), deadline: DateTime.MaxValue);
                        client.{|RES011:GetOrder|}(new OrderRequest(), new CallOptions().WithDeadline(DateTime.MaxValue));
                    }
                }
            }
            """);

    [Fact]
    public Task Grpc_Net_Client_Channel_And_Client_In_One_Method()
        => Verify("""
            namespace App
            {
                using Grpc.Net.Client;
                using Shop;

                class C
                {
                    async Task<string> Get()
                    {
                        using var channel = GrpcChannel.ForAddress("https://orders");
                        var client = new Orders.OrdersClient(channel);
                        var reply = await client.{|RES011:GetOrderAsync|}(new OrderRequest { Id = 7 });
                        return reply.Status;
                    }
                }
            }
            """);
}
